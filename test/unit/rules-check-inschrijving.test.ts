import { describe, expect, it } from "vitest";
import { checkActions, sendableActions } from "../../src/core/check-actions.js";
import { checkInschrijving } from "../../src/core/check-inschrijving.js";
import type { Inschrijving, Signal } from "../../src/core/model.js";
import { AP, TODAY, inschrijving, leerling, lvsSnapshot } from "./determine-actions.fixtures.js";
import { act } from "./rules-fixtures.js";

/** Controleren, the enrolment's part (domain.md "Rules: checking", manual ch. 6), rule by rule. */

type Found = { code: string; ernst: Signal["ernst"]; tekst: string; field: string };
const check = (over: Partial<Inschrijving>): Found[] => {
  const out: Found[] = [];
  checkInschrijving(inschrijving("I1", "1", over), AP, TODAY, (code, ernst, tekst, field) => out.push({ code, ernst, tekst, field }));
  return out;
};
const AMB = { ondersteunendeVestiging: "00AA01", begindatum: "2019-08-15", ontvangendeVestiging: "78GH01" };

describe("rule: date order — inschrijfdatum ≤ uitschrijfdatum", () => {
  it("deregistered on the day of enrolment is in order; the day before is an afkeur", () => {
    expect(check({ inschrijfdatum: "2019-08-15", uitschrijfdatum: "2019-08-15", redenUitschrijving: "VERHUIZING" })).toEqual([]);
    expect(check({ inschrijfdatum: "2019-08-15", uitschrijfdatum: "2019-08-14", redenUitschrijving: "VERHUIZING" })).toEqual([
      { code: "DATUMVOLGORDE", ernst: "AFKEUR", tekst: "Uitschrijfdatum ligt voor de inschrijfdatum", field: "uitschrijfdatum" },
    ]);
  });

  it("a deregistration needs a reden; spaces only are no reden", () => {
    const missing = [{ code: "REDEN_UITSCHRIJVING_ONTBREEKT", ernst: "AFKEUR", tekst: "Reden uitschrijving ontbreekt", field: "redenUitschrijving" }];
    expect(check({ uitschrijfdatum: "2026-07-31", redenUitschrijving: "  " })).toEqual(missing);
    expect(check({ uitschrijfdatum: "2026-07-31", redenUitschrijving: null })).toEqual(missing);
    expect(check({ uitschrijfdatum: null, redenUitschrijving: null })).toEqual([]);
  });

  it("an inschrijfdatum today is normal; tomorrow is an attentie", () => {
    expect(check({ inschrijfdatum: TODAY })).toEqual([]);
    expect(check({ inschrijfdatum: "2026-11-29" })).toEqual([{ code: "INSCHRIJFDATUM_TOEKOMST", ernst: "ATTENTIE", tekst: "Inschrijfdatum ligt in de toekomst", field: "inschrijfdatum" }]);
  });
});

describe("rule: required enrolment fields", () => {
  it("the vestiging must belong to the aanleverpunt's BRIN; the text names both", () => {
    expect(check({ vestiging: "00AA07" })).toEqual([]);
    expect(check({ vestiging: "11BB01" })).toEqual([{ code: "VESTIGING_ANDER_BRIN", ernst: "AFKEUR", tekst: "Vestiging 11BB01 hoort niet bij BRIN 00AA", field: "vestiging" }]);
  });

  it("leerjaar/groep is required", () => {
    expect(check({ leerjaar: null })).toEqual([{ code: "LEERJAAR_ONTBREEKT", ernst: "AFKEUR", tekst: "Leerjaar/groep ontbreekt", field: "leerjaar" }]);
  });

  it("ambulante begeleiding and groep 0 go together: one without the other is an afkeur on the missing side", () => {
    const tekst = "Ambulante begeleiding vraagt groep 0 en de ondersteunende en ontvangende vestiging";
    expect(check({ leerjaar: 0, ambulanteBegeleiding: AMB })).toEqual([]);
    expect(check({ leerjaar: 0, ambulanteBegeleiding: null })).toEqual([{ code: "AMBULANT_ONVOLLEDIG", ernst: "AFKEUR", tekst, field: "ambulanteBegeleiding" }]);
    expect(check({ leerjaar: 4, ambulanteBegeleiding: AMB })).toEqual([{ code: "AMBULANT_ONVOLLEDIG", ernst: "AFKEUR", tekst, field: "leerjaar" }]);
  });

  it("SO and VSO need an onderwijssoort (cluster); spaces only is none; BAO and SBO do not", () => {
    const missing = [{ code: "ONDERWIJSSOORT_ONTBREEKT", ernst: "AFKEUR", tekst: "Onderwijssoort (cluster) ontbreekt bij SO/VSO", field: "onderwijssoort" }];
    expect(check({ schoolsoort: "VSO", onderwijssoort: null })).toEqual(missing);
    expect(check({ schoolsoort: "SO", onderwijssoort: " " })).toEqual(missing);
    expect(check({ schoolsoort: "VSO", onderwijssoort: "CLUSTER4" })).toEqual([]);
    expect(check({ schoolsoort: "SBO", onderwijssoort: null })).toEqual([]);
  });
});

describe("rule: indicaties", () => {
  const TLV = { soort: "TLV", begindatum: "2019-08-15", einddatum: "2027-07-31", categorie: "LAAG" };

  it("an indicatie ending before it begins is an afkeur naming its soort; ending on its first day or open-ended is fine", () => {
    expect(check({ indicaties: [{ ...TLV, einddatum: "2019-08-14" }] })).toEqual([{ code: "INDICATIE_DATUMVOLGORDE", ernst: "AFKEUR", tekst: "Einddatum van indicatie TLV ligt voor de begindatum", field: "indicaties" }]);
    expect(check({ indicaties: [{ ...TLV, einddatum: "2019-08-15" }] })).toEqual([]);
    expect(check({ indicaties: [{ ...TLV, einddatum: null }] })).toEqual([]);
  });

  it("a TLV needs its bekostigingscategorie (attentie); other indicaties have none", () => {
    expect(check({ indicaties: [{ ...TLV, categorie: null }] })).toEqual([{ code: "TLV_CATEGORIE_ONTBREEKT", ernst: "ATTENTIE", tekst: "Bekostigingscategorie van de TLV ontbreekt", field: "indicaties" }]);
    expect(check({ indicaties: [{ ...TLV, soort: "LWOO", categorie: null }] })).toEqual([]);
  });

  it("every indicatie is checked", () => {
    expect(check({ indicaties: [TLV, { ...TLV, categorie: null }, { ...TLV, soort: "CLUSTER1", einddatum: "2019-01-01", categorie: null }] }).map((s) => s.code)).toEqual(["TLV_CATEGORIE_ONTBREEKT", "INDICATIE_DATUMVOLGORDE"]);
  });
});

describe("rule: what is checked follows what the action sends", () => {
  it("a pupil no longer in LVS2000, or an enrolment no longer there, is an afkeur naming it", () => {
    const lvs = lvsSnapshot([leerling("1001")], []);
    expect(checkActions([act("NI-9", { leerlingId: "9999", inschrijvingId: "I9999" })], lvs, TODAY)).toEqual([
      { code: "LEERLING_ONBEKEND", ernst: "AFKEUR", tekst: "Leerling 9999 staat niet (meer) in LVS2000", actionId: "NI-9", field: null },
    ]);
    expect(checkActions([act("WO-1", { type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I9999" })], lvs, TODAY)).toEqual([
      { code: "INSCHRIJVING_ONBEKEND", ernst: "AFKEUR", tekst: "Inschrijving I9999 staat niet (meer) in LVS2000", actionId: "WO-1", field: null },
    ]);
  });

  it("key data turned around (naar LVS2000) is not checked: it writes BRON's data into LVS2000", () => {
    const lvs = lvsSnapshot([leerling("1001", { achternaam: " ", pgn: null, adres: null })], [inschrijving("I1001", "1001")]);
    expect(checkActions([act("WS-1", { type: "WIJZIGING_SLEUTELGEGEVENS", direction: "LVS" })], lvs, TODAY)).toEqual([]);
    expect(checkActions([act("WS-1", { type: "WIJZIGING_SLEUTELGEGEVENS" })], lvs, TODAY).map((s) => s.code)).toEqual(["PGN_ONTBREEKT", "ACHTERNAAM_ONTBREEKT", "ADRES_ONTBREEKT"]);
  });

  it("an enrolment action checks its enrolment; a key-data action does not", () => {
    const lvs = lvsSnapshot([leerling("1001")], [inschrijving("I1001", "1001", { leerjaar: null })]);
    expect(checkActions([act("UI-1", { type: "UITSCHRIJVING" })], lvs, TODAY).map((s) => s.code)).toEqual(["LEERJAAR_ONTBREEKT"]);
    expect(checkActions([act("WS-1", { type: "WIJZIGING_SLEUTELGEGEVENS" })], lvs, TODAY)).toEqual([]);
  });

  it("a signal without an action (the certificate) blocks no single action", () => {
    const acts = [act("A"), act("B")];
    const certificaat: Signal = { code: "CERTIFICAAT_ONTBREEKT", ernst: "AFKEUR", tekst: "t", actionId: null, field: "certificaat" };
    expect(sendableActions(acts, [certificaat, { ...certificaat, actionId: "B" }]).map((a) => a.id)).toEqual(["A"]);
  });
});
