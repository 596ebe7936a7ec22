import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { createSchoolStore, defaultRelayChannel, School, SchoolConflictError } from "../../src/adapters/state/schools.js";
import { SCHOOLS_TABLE } from "../../src/adapters/state/schools.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";

// The school registry in Table Storage (Azurite, @azure/data-tables): read by id, by aanleverpunt, list.

const school = (id: string, naam: string, brin: string, codes: string[]): School => ({
  id, naam, brins: [brin],
  aanleverpunten: codes.map((code) => ({ code, naam: `${naam} ${code}` })),
  relay: defaultRelayChannel(id),
  contact: { emails: [`administratie@${id}.example`] },
  instellingen: { dagelijkseSync: true },
});

describe("the school registry", () => {
  const prefix = `sch${randomBytes(3).toString("hex")}`;
  const tables = tablesFromConnectionString(inject("azuriteConnectionString"));
  const store = () => createSchoolStore({ tables: (t) => tables(`${prefix}${t}`) });

  it("finds a school by id and by each of its aanleverpunten, and lists every school by name", async () => {
    const s = store();
    await s.put(school("de-regenboog", "De Regenboog", "12AB", ["12AB00", "12AB01"]));
    await s.put(school("sbo-de-wissel", "SBO De Wissel", "56EF", ["56EF00"]));
    expect((await s.get("de-regenboog"))?.relay).toEqual({ kanaal: "wachtrij", wachtrij: "relay-de-regenboog", sleutelSecret: "relay-de-regenboog-sleutel" });
    expect((await s.byAanleverpunt("12AB01"))?.id).toBe("de-regenboog");
    expect((await s.byAanleverpunt("56EF00"))?.id).toBe("sbo-de-wissel");
    expect(await s.byAanleverpunt("99ZZ00")).toBeNull();
    expect(await s.get("bestaat-niet")).toBeNull();
    expect((await s.list()).map((x) => x.id)).toEqual(["de-regenboog", "sbo-de-wissel"]);
  });

  it("refuses an aanleverpunt that already belongs to another school, and releases one a school no longer lists", async () => {
    const s = store();
    await expect(s.put(school("kaper", "De Kaper", "12AB", ["12AB00"]))).rejects.toBeInstanceOf(SchoolConflictError);
    expect((await s.byAanleverpunt("12AB00"))?.id).toBe("de-regenboog");
    await s.put(school("de-regenboog", "De Regenboog", "12AB", ["12AB00"]));
    expect(await s.byAanleverpunt("12AB01")).toBeNull();
    await s.put(school("kaper", "De Kaper", "12AB", ["12AB01"]));
    expect((await s.byAanleverpunt("12AB01"))?.id).toBe("kaper");
  });

  it("finds a school by its registration code's hash with one point read; a new code replaces the old one in the index; a used code is still found (to say it was used)", async () => {
    const s = createSchoolStore({ tables: (t) => tables(`${prefix}code${t}`) }); // its own registry: the others count schools
    const hash = (c: string) => c.repeat(64);
    const base = school("de-code", "De Code", "34CD", ["34CD00"]);
    await s.put({ ...base, registratie: { codeSha256: hash("a"), geldigTot: "2026-11-30T10:00:00.000Z", door: "beheerder" } });
    expect((await s.byRegistratiecode(hash("a")))?.id).toBe("de-code");
    expect(await s.byRegistratiecode(hash("b"))).toBeNull();
    expect(await s.byRegistratiecode("niet-een-hash")).toBeNull();

    const v = (await s.getVersioned("de-code"))!;
    await s.replace({ ...v.school, registratie: { codeSha256: hash("b"), geldigTot: "2026-12-01T10:00:00.000Z", door: "beheerder" } }, v.etag);
    expect(await s.byRegistratiecode(hash("a"))).toBeNull();
    expect((await s.byRegistratiecode(hash("b")))?.id).toBe("de-code");

    const w = (await s.getVersioned("de-code"))!;
    await s.replace({ ...w.school, registratie: { ...w.school.registratie!, gebruiktOp: "2026-11-30T11:00:00.000Z" } }, w.etag);
    expect((await s.byRegistratiecode(hash("b")))?.registratie?.gebruiktOp).toBe("2026-11-30T11:00:00.000Z");
    // the index rows are not schools
    expect((await s.list()).map((x) => x.id)).toEqual(["de-code"]);
  });

  it("validates a school: its aanleverpunten must be of its BRINs, ids and e-mail addresses must be well-formed", () => {
    expect(School.safeParse(school("x-y", "X", "12AB", ["34CD00"])).success).toBe(false);
    expect(School.safeParse(school("Hoofdletters", "X", "12AB", ["12AB00"])).success).toBe(false);
    expect(School.safeParse({ ...school("x-y", "X", "12AB", ["12AB00"]), contact: { emails: ["geen-adres"] } }).success).toBe(false);
  });

  it("fails loudly on a corrupt row instead of routing requests with it, while the list (the daily run) goes on with the others", async () => {
    await tables(`${prefix}${SCHOOLS_TABLE}`).upsertEntity({ partitionKey: "school", rowKey: "kapot", data: JSON.stringify({ id: "kapot", naam: "" }) });
    await expect(store().get("kapot")).rejects.toThrow(/corrupt school row kapot/);
    expect((await store().list()).map((x) => x.id)).toEqual(["kaper", "de-regenboog", "sbo-de-wissel"]);
  });
});
