import { TYPES } from "tedious";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Leerling, LvsWrite } from "../../src/core/model.js";
import { startRelayFixture, type RelayFixture } from "./relay-fixture.js";

// Wire-level fake, not SQL Server: writes run through tedious against the TDS test server over SQLite.

let f: RelayFixture;
let pupils: Leerling[];
beforeAll(async () => {
  f = await startRelayFixture({ leerlingen: 40 });
  pupils = (await f.client.snapshot("12AB00")).snapshot.leerlingen;
});
afterAll(async () => {
  await f?.stop();
});

let seq = 0;
const rid = () => `test-${process.pid}-${++seq}`;
async function current(id: string): Promise<Leerling> {
  for (const ap of f.data.aanleverpunten) {
    const l = (await f.client.snapshot(ap.code)).snapshot.leerlingen.find((x) => x.id === id);
    if (l) return l;
  }
  throw new Error(`pupil ${id} not in any snapshot`);
}
async function auditCount(requestId: string): Promise<number> {
  const { rows } = await f.sql.query("SELECT COUNT(*) AS n FROM dbo.RelayAudit WHERE RequestId = @r", [{ name: "r", type: TYPES.NVarChar, value: requestId }]);
  return Number(rows[0]?.n);
}

describe("writes to LVS2000: applied with the row version the cloud saw", () => {
  const cases: [string, (l: Leerling) => LvsWrite, (after: Leerling) => unknown, unknown][] = [
    ["SET_PGN", (l) => ({ soort: "SET_PGN", leerlingId: l.id, pgn: { soort: "BSN", nummer: "111222333" } }), (a) => a.pgn, { soort: "BSN", nummer: "111222333" }],
    [
      "NAAM_CORRECTIE",
      (l) => ({ soort: "NAAM_CORRECTIE", leerlingId: l.id, voornamen: "Anna Maria", voorvoegsels: "van der", achternaam: "Berg", geslacht: "V", geboortedatum: "2017-02-03" }),
      (a) => [a.voornamen, a.voorvoegsels, a.achternaam, a.geslacht, a.geboortedatum],
      ["Anna Maria", "van der", "Berg", "V", "2017-02-03"],
    ],
    [
      "GBA_ADRES",
      (l) => ({ soort: "GBA_ADRES", leerlingId: l.id, adres: { straat: "Stationsweg", huisnummer: 12, toevoeging: "A", postcode: "3511AB", plaats: "Utrecht", land: "6030" } }),
      (a) => a.adres,
      { straat: "Stationsweg", huisnummer: 12, toevoeging: "A", postcode: "3511AB", plaats: "Utrecht", land: "6030" },
    ],
    ["ONDERWIJS_SINDS", (l) => ({ soort: "ONDERWIJS_SINDS", leerlingId: l.id, onderwijsSinds: "2021-09-01" }), (a) => a.onderwijsSinds, "2021-09-01"],
    [
      "NAAM_CORRECTIE of one field (unchanged data is never rewritten)",
      (l) => ({ soort: "NAAM_CORRECTIE", leerlingId: l.id, achternaam: "Vries-Jansen" }),
      (a) => a.achternaam,
      "Vries-Jansen",
    ],
  ];

  it.each(cases.map((c, i) => [...c, i] as const))("%s is written, audited, and hands back the new row version", async (_soort, make, read, expected, i) => {
    const before = pupils[i]!;
    const requestId = rid();
    const result = await f.client.write({ requestId, rowVersion: before.rowVersion!, write: make(before) });
    expect(result).toMatchObject({ status: "TOEGEPAST", requestId, leerlingId: before.id });
    const after = await current(before.id);
    expect(read(after)).toEqual(expected);
    expect(result.status === "TOEGEPAST" && result.rowVersion).toBe(after.rowVersion);
    expect(after.rowVersion).not.toBe(before.rowVersion);
    expect(await auditCount(requestId)).toBe(1);
  });

  it("rule: a NAAM_CORRECTIE with some fields leaves the others exactly as LVS2000 holds them", async () => {
    const before = pupils[12]!;
    await f.client.write({ requestId: rid(), rowVersion: before.rowVersion!, write: { soort: "NAAM_CORRECTIE", leerlingId: before.id, geboortedatum: "2016-02-29" } });
    const after = await current(before.id);
    expect([after.voornamen, after.voorvoegsels, after.achternaam, after.geslacht, after.geboortedatum]).toEqual([before.voornamen, before.voorvoegsels, before.achternaam, before.geslacht, "2016-02-29"]);
  });

  it("GBA_ADRES adds the address of a pupil that had none", async () => {
    const p = pupils[5]!;
    await f.sql.query("DELETE FROM dbo.Adres WHERE LeerlingNummer = @id", [{ name: "id", type: TYPES.NVarChar, value: p.id }]);
    const seen = await current(p.id);
    expect(seen.adres).toBeNull();
    const adres = { straat: "Kerkplein", huisnummer: 1, toevoeging: null, postcode: "1234AB", plaats: "Ergens", land: "6030" };
    expect(await f.client.write({ requestId: rid(), rowVersion: seen.rowVersion!, write: { soort: "GBA_ADRES", leerlingId: p.id, adres } })).toMatchObject({ status: "TOEGEPAST" });
    expect((await current(p.id)).adres).toEqual(adres);
  });
});

describe("a changed row gives a conflict, not an overwrite", () => {
  it("refuses a write based on an old row version and leaves the row as it is", async () => {
    const p = pupils[6]!;
    await f.client.write({ requestId: rid(), rowVersion: p.rowVersion!, write: { soort: "ONDERWIJS_SINDS", leerlingId: p.id, onderwijsSinds: "2020-01-06" } });
    const now = await current(p.id);
    const stale = await f.client.write({ requestId: rid(), rowVersion: p.rowVersion!, write: { soort: "NAAM_CORRECTIE", leerlingId: p.id, voornamen: "X", voorvoegsels: null, achternaam: "Overschreven", geslacht: "M", geboortedatum: "2016-01-01" } });
    expect(stale).toEqual({ status: "CONFLICT", requestId: expect.any(String), leerlingId: p.id, currentRowVersion: now.rowVersion });
    expect((await current(p.id)).achternaam).toBe(now.achternaam);
  });

  it("sees a change to the address made in LVS2000 itself as a conflict too", async () => {
    const p = pupils[7]!;
    await f.sql.query("UPDATE dbo.Adres SET Huisnummer = 99 WHERE LeerlingNummer = @id", [{ name: "id", type: TYPES.NVarChar, value: p.id }]);
    const r = await f.client.write({ requestId: rid(), rowVersion: p.rowVersion!, write: { soort: "ONDERWIJS_SINDS", leerlingId: p.id, onderwijsSinds: "2019-09-02" } });
    expect(r.status).toBe("CONFLICT");
    expect((await current(p.id)).onderwijsSinds).toBe(p.onderwijsSinds);
  });

  it("lets exactly one of several concurrent writes based on the same version through", async () => {
    const p = pupils[10]!;
    const results = await Promise.all(
      ["2018-01-08", "2018-02-05", "2018-03-05", "2018-04-09"].map((d) => f.client.write({ requestId: rid(), rowVersion: p.rowVersion!, write: { soort: "ONDERWIJS_SINDS", leerlingId: p.id, onderwijsSinds: d } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["CONFLICT", "CONFLICT", "CONFLICT", "TOEGEPAST"]);
  });

  it("answers ONBEKEND (404) for a pupil LVS2000 does not have", async () => {
    const r = await f.client.write({ requestId: rid(), rowVersion: "1.0", write: { soort: "ONDERWIJS_SINDS", leerlingId: "GEEN-LEERLING", onderwijsSinds: "2019-09-02" } });
    expect(r).toMatchObject({ status: "ONBEKEND", leerlingId: "GEEN-LEERLING" });
  });
});

describe("writes are idempotent by request id", () => {
  it("answers a retry with the same answer and does not write a second time", async () => {
    const p = pupils[8]!;
    const request = { requestId: rid(), rowVersion: p.rowVersion!, write: { soort: "ONDERWIJS_SINDS" as const, leerlingId: p.id, onderwijsSinds: "2022-02-02" } };
    const first = await f.client.write(request);
    const rowVersionAfterFirst = (await current(p.id)).rowVersion;
    const retry = await f.client.write(request);
    expect(retry).toEqual(first);
    expect(first.status).toBe("TOEGEPAST");
    expect((await current(p.id)).rowVersion).toBe(rowVersionAfterFirst);
    expect(await auditCount(request.requestId)).toBe(1);
  });

  it("writes once when the same request arrives several times at once", async () => {
    const p = pupils[11]!;
    const request = { requestId: rid(), rowVersion: p.rowVersion!, write: { soort: "ONDERWIJS_SINDS" as const, leerlingId: p.id, onderwijsSinds: "2019-05-06" } };
    const results = await Promise.all([1, 2, 3].map(() => f.client.write(request)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]!.status).toBe("TOEGEPAST");
    expect(await auditCount(request.requestId)).toBe(1);
  });

  it("refuses the same request id with different content", async () => {
    const p = pupils[9]!;
    const requestId = rid();
    await f.client.write({ requestId, rowVersion: p.rowVersion!, write: { soort: "ONDERWIJS_SINDS", leerlingId: p.id, onderwijsSinds: "2022-02-02" } });
    await expect(
      f.client.write({ requestId, rowVersion: p.rowVersion!, write: { soort: "ONDERWIJS_SINDS", leerlingId: p.id, onderwijsSinds: "2023-03-03" } }),
    ).rejects.toMatchObject({ name: "ValidationError", code: "REQUEST_ID_REUSED" });
  });

  it("keeps field names, never values, in the audit table", async () => {
    const { rows } = await f.sql.query("SELECT Soort, Resultaat, Velden FROM dbo.RelayAudit");
    expect(rows.length).toBeGreaterThan(5);
    const text = JSON.stringify(rows);
    for (const value of ["111222333", "Berg", "Stationsweg", "Overschreven"]) expect(text).not.toContain(value);
    expect(rows.map((r) => r.Resultaat)).toEqual(expect.arrayContaining(["TOEGEPAST", "CONFLICT", "ONBEKEND"]));
  });

  it("refuses a write that breaks the contract before touching the database", async () => {
    const bad = { requestId: rid(), rowVersion: "x", write: { soort: "DROP_TABLE", leerlingId: "1" } } as unknown as Parameters<typeof f.client.write>[0];
    await expect(f.client.write(bad)).rejects.toMatchObject({ name: "ValidationError", code: "BAD_REQUEST" });
  });
});
