import { describe, expect, it } from "vitest";
import { diffAdres, diffOnderwijsgegevens, diffSleutelgegevens, diffUitschrijving, enrolmentFields, sameAmbulanteBegeleiding, sameIndicaties, samePgn, sameText } from "../../src/core/compare.js";
import { determineActions } from "../../src/core/determine-actions.js";
import type { Adres, AmbulanteBegeleiding, Indicatie } from "../../src/core/model.js";
import { NO_MEMORY, TODAY, bronInschrijvingOf, bronLeerlingOf, inStep, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";

/**
 * Comparing LVS2000 with BRON (domain.md "Rules: determining actions"): which differences count, field
 * by field. LVS2000 stores empty strings where BRON has no value; those are the same.
 */

const TLV: Indicatie = { soort: "TLV", begindatum: "2019-08-15", einddatum: "2027-07-31", categorie: "LAAG" };
const AMB: AmbulanteBegeleiding = { ondersteunendeVestiging: "00AA01", begindatum: "2019-08-15", ontvangendeVestiging: "78GH01" };
const ADRES: Adres = { straat: "Dorpsstraat", huisnummer: 12, toevoeging: null, postcode: "3511AB", plaats: "Utrecht", land: "6030" };

describe("rule: LVS2000's empty string equals BRON's 'no value'", () => {
  it("null and the empty string are the same text; any text differs from both", () => {
    expect(sameText(null, "")).toBe(true);
    expect(sameText("", null)).toBe(true);
    expect(sameText(null, null)).toBe(true);
    expect(sameText("", "")).toBe(true);
    expect(sameText("de", "de")).toBe(true);
    expect(sameText("de", "")).toBe(false);
    expect(sameText("", "de")).toBe(false);
    expect(sameText(null, "de")).toBe(false);
    expect(sameText("de", null)).toBe(false);
    expect(sameText("de", "van")).toBe(false);
  });

  it("an empty voorvoegsel, toevoeging, reden uitschrijving, onderwijssoort or soort verblijf in LVS2000 is no difference with BRON's none", () => {
    const { l, i } = inStep();
    const lvs = { ...l, voorvoegsels: "", adres: { ...ADRES, toevoeging: "" } };
    expect(diffSleutelgegevens(lvs, bronLeerlingOf(l, { voorvoegsels: null }))).toBeNull();
    expect(diffAdres(lvs.adres, { ...ADRES, toevoeging: null })).toBeNull();
    const ins = { ...i, redenUitschrijving: "", onderwijssoort: "", soortVerblijf: "" };
    const bron = bronInschrijvingOf(i, { redenUitschrijving: null, onderwijssoort: null, soortVerblijf: null });
    expect(diffUitschrijving(ins, bron)).toBeNull();
    expect(diffOnderwijsgegevens(ins, bron)).toBeNull();
  });

  it("determining over such data gives no action", () => {
    const { l, i, bl, bi } = inStep();
    const lvs = lvsSnapshot([{ ...l, voorvoegsels: "" }], [{ ...i, onderwijssoort: "", soortVerblijf: "" }]);
    const r = determineActions(lvs, mirrorOf([{ ...bl, voorvoegsels: null }], [bi]), NO_MEMORY, TODAY);
    expect(r).toEqual({ ok: true, actions: [] });
  });
});

describe("rule: key data differ (name, geslacht, geboortedatum, PGN) → Wijziging sleutelgegevens", () => {
  it("a corrected BSN (same kind of PGN, another number) is a difference in the PGN", () => {
    expect(samePgn({ soort: "BSN", nummer: "123456782" }, { soort: "BSN", nummer: "10000008" })).toBe(false);
    const { l, i, bl, bi } = inStep();
    const r = determineActions(lvsSnapshot([{ ...l, pgn: { soort: "BSN", nummer: "10000008" } }], [i]), mirrorOf([bl], [bi]), NO_MEMORY, TODAY);
    expect(r.ok && r.actions.map((a) => [a.type, a.direction, a.needsDecision, a.fields])).toEqual([
      ["WIJZIGING_SLEUTELGEGEVENS", "BRON", true, [{ field: "pgn", lvs: { soort: "BSN", nummer: "10000008" }, bron: { soort: "BSN", nummer: "123456782" } }]],
    ]);
  });

  it("the same number of another kind is another PGN; no PGN equals only no PGN", () => {
    expect(samePgn({ soort: "BSN", nummer: "100310303" }, { soort: "ONDERWIJSNUMMER", nummer: "100310303" })).toBe(false);
    expect(samePgn({ soort: "BSN", nummer: "123456782" }, { soort: "BSN", nummer: "123456782" })).toBe(true);
    expect(samePgn(null, null)).toBe(true);
    expect(samePgn(null, { soort: "BSN", nummer: "123456782" })).toBe(false);
    expect(samePgn({ soort: "BSN", nummer: "123456782" }, null)).toBe(false);
  });

  it("every key field is compared and reported with both values, in a fixed order", () => {
    const { l } = inStep();
    const b = bronLeerlingOf(l, { pgn: null, voornamen: "Emma Sophie", voorvoegsels: "van", achternaam: "Dijk", geslacht: "M", geboortedatum: "2015-03-15" });
    expect(diffSleutelgegevens(l, b)).toEqual([
      { field: "pgn", lvs: l.pgn, bron: null },
      { field: "voornamen", lvs: "Emma", bron: "Emma Sophie" },
      { field: "voorvoegsels", lvs: "de", bron: "van" },
      { field: "achternaam", lvs: "Vries", bron: "Dijk" },
      { field: "geslacht", lvs: "V", bron: "M" },
      { field: "geboortedatum", lvs: "2015-03-14", bron: "2015-03-15" },
    ]);
  });

  it("each key field on its own is a difference", () => {
    const { l } = inStep();
    const one = (over: Parameters<typeof bronLeerlingOf>[1]) => diffSleutelgegevens(l, bronLeerlingOf(l, over))?.map((d) => d.field);
    expect(one({ voornamen: "Eva" })).toEqual(["voornamen"]);
    expect(one({ voorvoegsels: null })).toEqual(["voorvoegsels"]);
    expect(one({ achternaam: "Jansen" })).toEqual(["achternaam"]);
    expect(one({ geslacht: "O" })).toEqual(["geslacht"]);
    expect(one({ geboortedatum: "2014-03-14" })).toEqual(["geboortedatum"]);
    expect(diffSleutelgegevens(l, bronLeerlingOf(l))).toBeNull();
  });
});

describe("rule: a change inside an indicatie or an ambulante begeleiding is a change of onderwijsgegevens", () => {
  it("indicaties differ in number, or in soort, begindatum, einddatum or categorie of one of them", () => {
    expect(sameIndicaties([TLV], [TLV])).toBe(true);
    expect(sameIndicaties([], [])).toBe(true);
    expect(sameIndicaties([TLV], [])).toBe(false);
    expect(sameIndicaties([], [TLV])).toBe(false);
    expect(sameIndicaties([TLV], [{ ...TLV, soort: "LWOO" }])).toBe(false);
    expect(sameIndicaties([TLV], [{ ...TLV, begindatum: "2019-08-16" }])).toBe(false);
    expect(sameIndicaties([TLV], [{ ...TLV, einddatum: null }])).toBe(false);
    expect(sameIndicaties([TLV], [{ ...TLV, categorie: "HOOG" }])).toBe(false);
    expect(sameIndicaties([TLV, { ...TLV, soort: "LWOO" }], [TLV, { ...TLV, soort: "CLUSTER1" }])).toBe(false);
  });

  it("an empty categorie in LVS2000 equals none in BRON", () => {
    expect(sameIndicaties([{ ...TLV, categorie: "" }], [{ ...TLV, categorie: null }])).toBe(true);
  });

  it("an ambulante begeleiding on both sides differs in its ondersteunende vestiging, begindatum or ontvangende vestiging", () => {
    expect(sameAmbulanteBegeleiding(AMB, { ...AMB })).toBe(true);
    expect(sameAmbulanteBegeleiding(null, null)).toBe(true);
    expect(sameAmbulanteBegeleiding(AMB, null)).toBe(false);
    expect(sameAmbulanteBegeleiding(null, AMB)).toBe(false);
    expect(sameAmbulanteBegeleiding(AMB, { ...AMB, ondersteunendeVestiging: "00AA02" })).toBe(false);
    expect(sameAmbulanteBegeleiding(AMB, { ...AMB, begindatum: "2020-08-15" })).toBe(false);
    expect(sameAmbulanteBegeleiding(AMB, { ...AMB, ontvangendeVestiging: "78GH02" })).toBe(false);
  });

  it("determining: a changed indicatie and a changed ambulante begeleiding give one Wijziging onderwijsgegevens naming both", () => {
    const { l, i, bl } = inStep();
    const ins = { ...i, leerjaar: 0, indicaties: [TLV], ambulanteBegeleiding: AMB };
    const bron = bronInschrijvingOf(ins, { indicaties: [{ ...TLV, categorie: "MIDDEN" }], ambulanteBegeleiding: { ...AMB, ontvangendeVestiging: "78GH02" } });
    const r = determineActions(lvsSnapshot([l], [ins]), mirrorOf([bl], [bron]), NO_MEMORY, TODAY);
    expect(r.ok && r.actions.map((a) => [a.type, a.fields.map((f) => f.field)])).toEqual([["WIJZIGING_ONDERWIJSGEGEVENS", ["indicaties", "ambulanteBegeleiding"]]]);
  });
});

describe("rule: enrolment data differ → Wijziging onderwijsgegevens, every field with both values", () => {
  it("each onderwijsgegeven is compared, in a fixed order", () => {
    const { i } = inStep();
    const bron = bronInschrijvingOf(i, { vestiging: "00AA02", schoolsoort: "SBO", onderwijssoort: "CLUSTER3", leerjaar: 5, soortVerblijf: "3", indicaties: [TLV], ambulanteBegeleiding: AMB, bekostigd: false });
    expect(diffOnderwijsgegevens(i, bron)).toEqual([
      { field: "vestiging", lvs: "00AA01", bron: "00AA02" },
      { field: "schoolsoort", lvs: "BAO", bron: "SBO" },
      { field: "onderwijssoort", lvs: null, bron: "CLUSTER3" },
      { field: "leerjaar", lvs: 6, bron: 5 },
      { field: "soortVerblijf", lvs: null, bron: "3" },
      { field: "indicaties", lvs: [], bron: [TLV] },
      { field: "ambulanteBegeleiding", lvs: null, bron: AMB },
      { field: "bekostigd", lvs: true, bron: false },
    ]);
  });

  it("the deregistration data: uitschrijfdatum and reden (an empty reden equals none)", () => {
    const { i } = inStep();
    const ins = { ...i, uitschrijfdatum: "2026-07-31", redenUitschrijving: "VERHUIZING" };
    expect(diffUitschrijving(ins, bronInschrijvingOf(i))).toEqual([
      { field: "uitschrijfdatum", lvs: "2026-07-31", bron: null },
      { field: "redenUitschrijving", lvs: "VERHUIZING", bron: null },
    ]);
    expect(diffUitschrijving(ins, bronInschrijvingOf(ins, { redenUitschrijving: "EMIGRATIE" }))).toEqual([{ field: "redenUitschrijving", lvs: "VERHUIZING", bron: "EMIGRATIE" }]);
    expect(diffUitschrijving(ins, bronInschrijvingOf(ins))).toBeNull();
  });

  it("the fields found so far are kept in front", () => {
    const { i } = inStep();
    const before = { field: "inschrijfdatum", lvs: "2019-08-15", bron: "2019-08-16" };
    expect(diffOnderwijsgegevens(i, bronInschrijvingOf(i, { leerjaar: 5 }), [before])).toEqual([before, { field: "leerjaar", lvs: 6, bron: 5 }]);
    expect(diffUitschrijving(i, bronInschrijvingOf(i, { redenUitschrijving: "X" }), [before])).toEqual([before, { field: "redenUitschrijving", lvs: null, bron: "X" }]);
    expect(diffOnderwijsgegevens(i, bronInschrijvingOf(i), [before])).toEqual([before]);
  });
});

describe("rule: the GBA address BRON forwards against the LVS2000 address", () => {
  it("no GBA address means nothing to take over; no LVS2000 address means the whole GBA address", () => {
    expect(diffAdres(ADRES, null)).toBeNull();
    expect(diffAdres(null, null)).toBeNull();
    expect(diffAdres(null, ADRES)).toEqual([{ field: "adres", lvs: null, bron: ADRES }]);
  });

  it("each part of the address is compared, in a fixed order", () => {
    const gba: Adres = { straat: "Kerkstraat", huisnummer: 13, toevoeging: "A", postcode: "3512AB", plaats: "Zeist", land: "5010" };
    expect(diffAdres(ADRES, gba)).toEqual([
      { field: "adres.straat", lvs: "Dorpsstraat", bron: "Kerkstraat" },
      { field: "adres.huisnummer", lvs: 12, bron: 13 },
      { field: "adres.toevoeging", lvs: null, bron: "A" },
      { field: "adres.postcode", lvs: "3511AB", bron: "3512AB" },
      { field: "adres.plaats", lvs: "Utrecht", bron: "Zeist" },
      { field: "adres.land", lvs: "6030", bron: "5010" },
    ]);
  });

  it("postcodes compare in normal form: '3511 ab' is '3511AB'; a postcode differs from none; none equals empty", () => {
    expect(diffAdres({ ...ADRES, postcode: "3511 ab" }, ADRES)).toBeNull();
    expect(diffAdres({ ...ADRES, postcode: "3511  AB" }, ADRES)).toBeNull();
    expect(diffAdres(ADRES, { ...ADRES, postcode: "3511 AB" })).toBeNull();
    expect(diffAdres({ ...ADRES, postcode: null }, ADRES)).toEqual([{ field: "adres.postcode", lvs: null, bron: "3511AB" }]);
    expect(diffAdres(ADRES, { ...ADRES, postcode: null })).toEqual([{ field: "adres.postcode", lvs: "3511AB", bron: null }]);
    expect(diffAdres({ ...ADRES, postcode: "" }, { ...ADRES, postcode: null })).toBeNull();
    expect(diffAdres({ ...ADRES, postcode: null }, { ...ADRES, postcode: null })).toBeNull();
    expect(diffAdres({ ...ADRES, postcode: "3511AC" }, ADRES)).toEqual([{ field: "adres.postcode", lvs: "3511AC", bron: "3511AB" }]);
  });
});

describe("rule: an enrolment on one side only carries every field that has a value", () => {
  it("the LVS side for a Nieuwe melding, the BRON side for a Verwijdering; empty fields are left out", () => {
    const { i } = inStep();
    const lvs = enrolmentFields(i, "lvs");
    expect(lvs).toEqual([
      { field: "inschrijfdatum", lvs: "2019-08-15", bron: null },
      { field: "vestiging", lvs: "00AA01", bron: null },
      { field: "schoolsoort", lvs: "BAO", bron: null },
      { field: "leerjaar", lvs: 6, bron: null },
      { field: "indicaties", lvs: [], bron: null },
      { field: "bekostigd", lvs: true, bron: null },
      { field: "klassenhistorie", lvs: i.klassenhistorie, bron: null },
      { field: "nnca", lvs: false, bron: null },
    ]);
    const toets = { afnamedatum: "2026-04-20", toetsadvies: "HAVO", score: null, redenGeenToets: null };
    const advies = { advies: "HAVO", datum: "2026-01-31", herzienAdvies: null, herzienDatum: null };
    const full = { ...i, uitschrijfdatum: "2026-07-31", redenUitschrijving: "VERHUIZING", onderwijssoort: "CLUSTER3", soortVerblijf: "3", ambulanteBegeleiding: AMB, gewicht: 0.3, vve: true, eindtoets: toets, schooladvies: advies };
    expect(enrolmentFields(full, "bron").map((f) => [f.field, f.lvs, f.bron])).toEqual([
      ["inschrijfdatum", null, "2019-08-15"],
      ["uitschrijfdatum", null, "2026-07-31"],
      ["redenUitschrijving", null, "VERHUIZING"],
      ["vestiging", null, "00AA01"],
      ["schoolsoort", null, "BAO"],
      ["onderwijssoort", null, "CLUSTER3"],
      ["leerjaar", null, 6],
      ["soortVerblijf", null, "3"],
      ["indicaties", null, []],
      ["ambulanteBegeleiding", null, AMB],
      ["bekostigd", null, true],
      ["klassenhistorie", null, i.klassenhistorie],
      ["nnca", null, false],
      ["gewicht", null, 0.3],
      ["vve", null, true],
      ["eindtoets", null, toets],
      ["schooladvies", null, advies],
    ]);
  });
});
