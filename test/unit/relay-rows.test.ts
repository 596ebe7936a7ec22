import { describe, expect, it } from "vitest";
import { toInschrijving } from "../../src/relay/snapshot/inschrijving-rows.js";
import { toLeerling } from "../../src/relay/snapshot/leerling-rows.js";
import { ProblemList } from "../../src/relay/snapshot/values.js";

const TODAY = "2026-11-28";
const utc = (d: string) => new Date(`${d}T00:00:00Z`);
const pupil = (over: Record<string, unknown> = {}) => ({
  LeerlingNummer: "L1", Bsn: "111222333", Onderwijsnummer: null, Voornamen: "Jan", Voorvoegsels: null, Achternaam: "Jansen",
  Geslacht: "M", Geboortedatum: utc("2018-03-04"), OnderwijsSinds: null, LeerlingRowVersion: Buffer.from("0000000000000007", "hex"),
  AdresLeerlingNummer: "L1", Straat: "Dorpsstraat", Huisnummer: 1, Toevoeging: null, Postcode: "1234AB", Plaats: "Ergens", Land: "6030",
  AdresRowVersion: Buffer.from("0000000000000009", "hex"), ...over,
});
const enrolment = (over: Record<string, unknown> = {}) => ({
  InschrijvingId: "I1", LeerlingNummer: "L1", AanleverpuntCode: "00AA00", VestigingCode: "00AA01", Inschrijfdatum: utc("2022-08-20"),
  Uitschrijfdatum: null, RedenUitschrijving: null, Schoolsoort: "BAO", Onderwijssoort: null, SoortVerblijf: null, Bekostigd: true,
  RowVersion: Buffer.from("000000000000000a", "hex"), AbInschrijvingId: null, ...over,
});

describe("mapping LVS2000 pupil rows: left out and reported, or delivered and flagged", () => {
  it("maps a clean row to a Leerling with an opaque row version of pupil and address", () => {
    const p = new ProblemList();
    const l = toLeerling(pupil(), ["0001"], TODAY, p);
    expect(l).toMatchObject({ id: "L1", pgn: { soort: "BSN", nummer: "111222333" }, geboortedatum: "2018-03-04", nationaliteiten: ["0001"], rowVersion: "0000000000000007.0000000000000009" });
    expect(p.items).toEqual([]);
  });

  it.each([
    ["a NULL achternaam", { Achternaam: null }, "achternaam"],
    ["a NULL geboortedatum", { Geboortedatum: null }, "geboortedatum"],
    ["an impossible geboortedatum (text that is no real day)", { Geboortedatum: "2015-02-30" }, "geboortedatum"],
    ["a placeholder geboortedatum before 1900", { Geboortedatum: utc("1900-01-01") }, "geboortedatum"],
    ["an unknown geslacht code", { Geslacht: "X" }, "geslacht"],
  ])("leaves out a pupil with %s and reports row id, field and a Dutch reason", (_l, over, veld) => {
    const p = new ProblemList();
    expect(toLeerling(pupil(over), [], TODAY, p)).toBeNull();
    expect(p.items).toEqual([expect.objectContaining({ tabel: "leerling", rijId: "L1", veld, uitgesloten: true })]);
    expect(p.items[0]!.reden).toMatch(/niet meegenomen/);
  });

  it("passes an invalid BSN through, flagged (the cloud's checks judge it)", () => {
    const p = new ProblemList();
    const l = toLeerling(pupil({ Bsn: "123456789" }), [], TODAY, p);
    expect(l?.pgn).toEqual({ soort: "BSN", nummer: "123456789" });
    expect(p.items).toEqual([expect.objectContaining({ veld: "pgn", uitgesloten: false, reden: expect.stringContaining("elfproef") })]);
  });

  it("never puts the value itself into a problem (no personal data)", () => {
    const p = new ProblemList();
    toLeerling(pupil({ Bsn: "123456789", Postcode: "0123XY", Geboortedatum: utc("2030-01-01") }), ["ABC"], TODAY, p);
    const text = JSON.stringify(p.items);
    for (const value of ["123456789", "0123XY", "2030", "ABC", "Jansen"]) expect(text).not.toContain(value);
    expect(p.items.length).toBe(4);
  });

  it("drops an address without a street but keeps the pupil", () => {
    const p = new ProblemList();
    expect(toLeerling(pupil({ Straat: null }), [], TODAY, p)?.adres).toBeNull();
    expect(p.items).toEqual([expect.objectContaining({ tabel: "adres", veld: "straat", uitgesloten: true })]);
  });
});

describe("mapping LVS2000 enrolment rows", () => {
  const parts = { groepHistorie: [{ Leerjaar: 3, Begindatum: utc("2023-08-01") }, { Leerjaar: 4, Begindatum: utc("2024-08-01") }], indicaties: [] };

  it("takes the current leerjaar from the latest group-history row", () => {
    const p = new ProblemList();
    expect(toInschrijving(enrolment(), parts, p)).toMatchObject({ id: "I1", leerjaar: 4, bekostigd: true, rowVersion: "000000000000000a" });
  });

  it.each([
    ["a NULL inschrijfdatum", { Inschrijfdatum: null }, "inschrijfdatum"],
    ["no vestiging", { VestigingCode: null }, "vestiging"],
    ["an unknown schoolsoort", { Schoolsoort: "HAVO" }, "schoolsoort"],
  ])("leaves out an enrolment with %s", (_l, over, veld) => {
    const p = new ProblemList();
    expect(toInschrijving(enrolment(over), parts, p)).toBeNull();
    expect(p.items).toEqual([expect.objectContaining({ tabel: "inschrijving", rijId: "I1", veld, uitgesloten: true })]);
  });

  it("leaves out an indicatie without soort or with a placeholder date, keeping the enrolment and the good indicaties", () => {
    const p = new ProblemList();
    const indicaties = [
      { IndicatieId: 1, Soort: "TLV", Begindatum: utc("2023-08-01"), Einddatum: null, Categorie: "LAAG" },
      { IndicatieId: 2, Soort: null, Begindatum: utc("2023-08-01"), Einddatum: null, Categorie: null },
      { IndicatieId: 3, Soort: "LWOO", Begindatum: utc("1753-01-01"), Einddatum: null, Categorie: null },
    ];
    expect(toInschrijving(enrolment(), { groepHistorie: [], indicaties }, p)?.indicaties).toEqual([{ soort: "TLV", begindatum: "2023-08-01", einddatum: null, categorie: "LAAG" }]);
    expect(p.items.map((x) => [x.tabel, x.rijId, x.veld, x.uitgesloten])).toEqual([["indicatie", "2", "soort", true], ["indicatie", "3", "begindatum", true]]);
  });

  it("delivers every group-history row as the klassenhistorie, in order, with its groep", () => {
    const p = new ProblemList();
    const groepHistorie = [
      { GroepHistorieId: 1, Leerjaar: 3, Groep: "3A", Begindatum: utc("2023-08-01") },
      { GroepHistorieId: 2, Leerjaar: 4, Groep: "4A", Begindatum: utc("2024-08-01") },
      { GroepHistorieId: 3, Leerjaar: 4, Groep: " 4B ", Begindatum: utc("2025-03-10") },
    ];
    expect(toInschrijving(enrolment(), { groepHistorie, indicaties: [] }, p)?.klassenhistorie).toEqual([
      { leerjaar: 3, groep: "3A", begindatum: "2023-08-01" },
      { leerjaar: 4, groep: "4A", begindatum: "2024-08-01" },
      { leerjaar: 4, groep: "4B", begindatum: "2025-03-10" },
    ]);
    expect(p.items).toEqual([]);
  });

  it("leaves out a group period without a usable begindatum and flags a leerjaar out of range, naming the row, never the value", () => {
    const p = new ProblemList();
    const groepHistorie = [
      { GroepHistorieId: 7, Leerjaar: 3, Groep: "3A", Begindatum: utc("1900-01-01") },
      { GroepHistorieId: 8, Leerjaar: 12, Groep: "12X", Begindatum: utc("2024-08-01") },
    ];
    expect(toInschrijving(enrolment(), { groepHistorie, indicaties: [] }, p)?.klassenhistorie).toEqual([{ leerjaar: null, groep: "12X", begindatum: "2024-08-01" }]);
    expect(p.items.map((x) => [x.tabel, x.rijId, x.veld, x.uitgesloten])).toEqual([["inschrijving", "I1", "leerjaar", false], ["groepHistorie", "7", "begindatum", true], ["groepHistorie", "8", "leerjaar", false]]);
    expect(JSON.stringify(p.items)).not.toContain("12X");
  });

  it("reads NNCA, gewicht (one decimal), VVE, eindtoets and schooladvies; NULL VVE stays unknown", () => {
    const p = new ProblemList();
    const row = enrolment({
      Nnca: true, Gewicht: 0.30000001, Vve: null,
      EtInschrijvingId: "I1", EtAfnamedatum: utc("2025-02-05"), EtToetsadvies: "HAVO", EtScore: 540, EtRedenGeenToets: null,
      SaInschrijvingId: "I1", SaAdvies: "VMBO_GLTL", SaAdviesDatum: utc("2025-01-20"), SaHerzienAdvies: "HAVO", SaHerzienDatum: utc("2025-03-20"),
    });
    expect(toInschrijving(row, parts, p)).toMatchObject({
      nnca: true, gewicht: 0.3, vve: null,
      eindtoets: { afnamedatum: "2025-02-05", toetsadvies: "HAVO", score: 540, redenGeenToets: null },
      schooladvies: { advies: "VMBO_GLTL", datum: "2025-01-20", herzienAdvies: "HAVO", herzienDatum: "2025-03-20" },
    });
    expect(p.items).toEqual([]);
    expect(toInschrijving(enrolment({ Nnca: null, Gewicht: null, Vve: false }), parts, new ProblemList())).toMatchObject({ nnca: false, gewicht: null, vve: false, eindtoets: null, schooladvies: null });
  });

  it("leaves out an eindtoets without afnamedatum and a schooladvies without advies, keeping the enrolment", () => {
    const p = new ProblemList();
    const row = enrolment({ EtInschrijvingId: "I1", EtAfnamedatum: null, SaInschrijvingId: "I1", SaAdvies: null, SaAdviesDatum: utc("2025-01-20") });
    expect(toInschrijving(row, parts, p)).toMatchObject({ id: "I1", eindtoets: null, schooladvies: null });
    expect(p.items.map((x) => [x.tabel, x.veld, x.uitgesloten])).toEqual([["eindtoets", "afnamedatum", true], ["schooladvies", "advies", true]]);
  });

  it("delivers an uitschrijfdatum before the inschrijfdatum, flagged", () => {
    const p = new ProblemList();
    expect(toInschrijving(enrolment({ Uitschrijfdatum: utc("2021-01-01") }), parts, p)?.uitschrijfdatum).toBe("2021-01-01");
    expect(p.items).toEqual([expect.objectContaining({ veld: "uitschrijfdatum", uitgesloten: false })]);
  });
});
