import { RELAY_API_VERSION } from "../../src/contracts/relay/api.js";
import { TYPES } from "tedious";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Inschrijving, Leerling, LvsSnapshot } from "../../src/core/model.js";
import { startRelayFixture, type RelayFixture } from "./relay-fixture.js";

// Wire-level fake, not SQL Server: the relay's real queries run through tedious against the TDS test server over SQLite.

let f: RelayFixture;
beforeAll(async () => {
  f = await startRelayFixture({ leerlingen: 60 });
});
afterAll(async () => {
  await f?.stop();
});

const sortById = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
function comparable(s: Pick<LvsSnapshot, "leerlingen" | "inschrijvingen">) {
  const noVersion = <T extends { rowVersion?: string }>({ rowVersion: _rv, ...rest }: T) => rest;
  return {
    leerlingen: sortById(s.leerlingen).map((l: Leerling) => noVersion(l)),
    inschrijvingen: sortById(s.inschrijvingen).map((i: Inschrijving) => ({ ...noVersion(i), indicaties: [...i.indicaties].sort((a, b) => a.begindatum.localeCompare(b.begindatum)) })),
  };
}

describe("relay read API through tedious", () => {
  it("reports health with the LVS2000 database version", async () => {
    expect(await f.client.health()).toMatchObject({ status: "ok", apiVersion: RELAY_API_VERSION, databaseVersion: "2.10.5012", melding: null });
  });

  it("lists the aanleverpunten with their vestigingen", async () => {
    const aps = await f.client.aanleverpunten();
    expect(aps.map((a) => a.code)).toEqual(f.data.aanleverpunten.map((a) => a.code).sort());
    expect(aps.find((a) => a.code === "34CD00")?.vestigingen).toEqual(["34CD00", "34CD01", "34CD03"]);
  });

  it("delivers for every aanleverpunt exactly the pupils and enrolments the demo data put in LVS2000", async () => {
    for (const expected of f.data.lvs) {
      const { snapshot, problems } = await f.client.snapshot(expected.aanleverpunt, 25);
      expect(comparable(snapshot)).toEqual(comparable(expected));
      expect(problems.filter((p) => p.uitgesloten)).toEqual([]);
      for (const l of snapshot.leerlingen) expect(l.rowVersion).toMatch(/^[0-9a-f]{16}\.([0-9a-f]{16}|0)$/);
    }
  });

  it("includes a pupil of the aanleverpunt's administratie whose enrolment was removed", async () => {
    const withoutEnrolment = f.data.lvs.flatMap((s) => s.leerlingen.filter((l) => !s.inschrijvingen.some((i) => i.leerlingId === l.id)).map((l) => [s.aanleverpunt, l.id] as const));
    expect(withoutEnrolment.length).toBeGreaterThan(0);
    for (const [ap, id] of withoutEnrolment) expect((await f.client.snapshot(ap)).snapshot.leerlingen.map((l) => l.id)).toContain(id);
  });

  it("gives the same snapshot in small pages as in one NDJSON stream", async () => {
    const paged = await f.client.snapshot("12AB00", 7);
    const streamed = await f.client.snapshotViaStream("12AB00", 7);
    expect(streamed).toEqual(paged);
    expect(paged.snapshot.leerlingen.length).toBeGreaterThan(7);
  });

  it("ends a stream with an einde line carrying the counts", async () => {
    const lines = [];
    for await (const line of f.client.streamSnapshot("34CD00", 5)) lines.push(line);
    const last = lines.at(-1);
    expect(last).toMatchObject({ soort: "einde", aanleverpunt: "34CD00", leerlingen: lines.filter((l) => l.soort === "leerling").length });
  });

  it("refuses an aanleverpunt that is not a code (no SQL or names reach a query) and an unknown one", async () => {
    await expect(f.client.snapshotPage("00AA00'; DROP TABLE Leerling--")).rejects.toMatchObject({ name: "ValidationError" });
    await expect(f.client.snapshotPage("99ZZ00")).rejects.toMatchObject({ name: "ExternalRejection", code: "NOT_FOUND" });
    expect(f.tds.queries().some((q) => q.includes("DROP"))).toBe(false);
  });
});

describe("rows with bad data are reported per row without failing the snapshot", () => {
  async function addPupil(id: string, achternaam: string | null, geboren: string | null, bsn: string | null) {
    await f.sql.query(
      "INSERT INTO dbo.Leerling (LeerlingNummer, Bsn, Voornamen, Achternaam, Geslacht, Geboortedatum) VALUES (@id, @bsn, @vn, @an, @g, @gd)",
      [
        { name: "id", type: TYPES.NVarChar, value: id },
        { name: "bsn", type: TYPES.NVarChar, value: bsn },
        { name: "vn", type: TYPES.NVarChar, value: "Geheimvoornaam" },
        { name: "an", type: TYPES.NVarChar, value: achternaam },
        { name: "g", type: TYPES.NVarChar, value: "V" },
        { name: "gd", type: TYPES.DateTime, value: geboren === null ? null : new Date(`${geboren}T00:00:00Z`) },
      ],
    );
  }
  async function enrol(id: string, leerling: string, inschrijfdatum: string | null) {
    await f.sql.query(
      "INSERT INTO dbo.Inschrijving (InschrijvingId, LeerlingNummer, AanleverpuntCode, VestigingCode, Inschrijfdatum, Schoolsoort, Bekostigd) VALUES (@id, @l, @ap, @v, @d, @s, 1)",
      [
        { name: "id", type: TYPES.NVarChar, value: id },
        { name: "l", type: TYPES.NVarChar, value: leerling },
        { name: "ap", type: TYPES.NVarChar, value: "56EF00" },
        { name: "v", type: TYPES.NVarChar, value: "56EF00" },
        { name: "d", type: TYPES.DateTime, value: inschrijfdatum === null ? null : new Date(`${inschrijfdatum}T00:00:00Z`) },
        { name: "s", type: TYPES.NVarChar, value: "SBO" },
      ],
    );
  }

  it("rule: incomplete LVS2000 data never becomes a deletion — an incomplete pupil is reported with field and reason and its enrolments stay; an invalid BSN passes flagged; every good row is delivered", async () => {
    const before = await f.client.snapshot("56EF00");
    await addPupil("Z1", null, "2016-05-05", "111222333"); // NULL achternaam
    await enrol("IZ1", "Z1", "2022-08-22");
    await addPupil("Z2", "Geheimnaam", "1900-01-01", "111222333"); // placeholder date: impossible
    await enrol("IZ2", "Z2", "2022-08-22");
    await addPupil("Z3", "Geheimnaam", "2016-05-05", "123456789"); // fails the 11-test
    await enrol("IZ3", "Z3", "2022-08-22");
    await enrol("IZ4", "Z3", null); // enrolment without inschrijfdatum

    const after = await f.client.snapshot("56EF00", 10);
    expect(after.snapshot.leerlingen.length).toBe(before.snapshot.leerlingen.length + 1);
    expect(after.snapshot.leerlingen.find((l) => l.id === "Z3")?.pgn).toEqual({ soort: "BSN", nummer: "123456789" });
    expect(after.snapshot.inschrijvingen.map((i) => i.id)).toEqual(expect.arrayContaining(["IZ1", "IZ2", "IZ3"]));
    expect(after.snapshot.onvolledig).toEqual(
      expect.arrayContaining([
        { id: "Z1", velden: [{ veld: "achternaam", reden: "Achternaam ontbreekt" }] },
        { id: "Z2", velden: [expect.objectContaining({ veld: "geboortedatum" })] },
      ]),
    );
    expect(after.snapshot.uitgeslotenInschrijvingen).toContain("IZ4");
    const mine = after.problems.filter((p) => p.rijId.includes("Z"));
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tabel: "leerling", rijId: "Z1", veld: "achternaam", uitgesloten: true }),
        expect.objectContaining({ tabel: "leerling", rijId: "Z2", veld: "geboortedatum", uitgesloten: true }),
        expect.objectContaining({ tabel: "leerling", rijId: "Z3", veld: "pgn", uitgesloten: false }),
        expect.objectContaining({ tabel: "inschrijving", rijId: "IZ4", veld: "inschrijfdatum", uitgesloten: true }),
      ]),
    );
    const text = JSON.stringify(mine);
    for (const personal of ["Geheimnaam", "Geheimvoornaam", "123456789", "111222333", "2016-05-05"]) expect(text).not.toContain(personal);
    expect(f.logLines.join("\n")).not.toMatch(/Geheim|123456789|111222333/);
  });
});
