import { describe, expect, it } from "vitest";
import { checkActions } from "../../src/core/check-actions.js";
import { AGE_LIMITS, ageOn, checkAdres, checkOnderwijsSinds, checkPersoon, checkPgn } from "../../src/core/check-leerling.js";
import { Action, type ActionType, type Adres, type Inschrijving, type Leerling, type Signal } from "../../src/core/model.js";
import { AP, TODAY, inschrijving, leerling, lvsSnapshot } from "./determine-actions.fixtures.js";

/** Controleren, the pupil's part (domain.md "Rules: checking", manual ch. 6), rule by rule. */

type Found = { code: string; ernst: Signal["ernst"]; tekst: string; field: string };
function collect(run: (add: (code: string, ernst: Signal["ernst"], tekst: string, field: string) => void) => void): Found[] {
  const out: Found[] = [];
  run((code, ernst, tekst, field) => out.push({ code, ernst, tekst, field }));
  return out;
}
const short = (s: readonly { code: string; ernst: string; field: string | null }[]) => s.map((x) => `${x.ernst}:${x.code}:${x.field}`);

const NL: Adres = { straat: "Dorpsstraat", huisnummer: 12, toevoeging: null, postcode: "3511AB", plaats: "Utrecht", land: "6030" };

function action(type: ActionType, leerlingId: string, inschrijvingId: string | null): Action {
  const id = `${type}-${leerlingId}`;
  return Action.parse({ id, type, direction: "BRON", needsDecision: false, decision: null, aanleverpunt: AP, leerlingId, inschrijvingId, fields: [], fingerprint: `fp-${id}`, deadline: null, reason: "r", status: "OPEN" });
}

describe("rule: the age on the inschrijfdatum is counted in full years", () => {
  it("a birthday later in the year than the reference day is not yet reached", () => {
    expect(ageOn("2015-03-14", "2019-03-13")).toBe(3);
    expect(ageOn("2015-03-14", "2019-03-14")).toBe(4);
    expect(ageOn("2015-03-14", "2019-03-15")).toBe(4);
    expect(ageOn("2015-12-31", "2020-01-01")).toBe(4);
    expect(ageOn("2015-01-01", "2020-12-31")).toBe(5);
  });

  it("the limits: below 2 or above 25 is an afkeur, 2 or 21 to 25 an attentie", () => {
    expect(AGE_LIMITS).toEqual({ afkeurBelow: 2, attentieBelow: 3, attentieAbove: 20, afkeurAbove: 25 });
  });
});

describe("rule: geboortedatum plausible on the inschrijfdatum — the exact edges", () => {
  const age = (geboortedatum: string, referentie: string) => short(collect((add) => checkPersoon(leerling("1", { geboortedatum }), referentie, TODAY, add)));

  it("one day before the second birthday is an afkeur; on the second birthday an attentie", () => {
    expect(age("2017-09-01", "2019-08-31")).toEqual(["AFKEUR:GEBOORTEDATUM_ONWAARSCHIJNLIJK:geboortedatum"]);
    expect(age("2017-08-31", "2019-08-31")).toEqual(["ATTENTIE:GEBOORTEDATUM_ONGEBRUIKELIJK:geboortedatum"]);
  });

  it("3 to 20 years is usual", () => {
    expect(age("2016-08-31", "2019-08-31")).toEqual([]);
    expect(age("1999-08-31", "2019-08-31")).toEqual([]);
  });

  it("21 up to and including 25 years is an attentie; 26 an afkeur", () => {
    expect(age("1998-08-31", "2019-08-31")).toEqual(["ATTENTIE:GEBOORTEDATUM_ONGEBRUIKELIJK:geboortedatum"]);
    expect(age("1994-08-31", "2019-08-31")).toEqual(["ATTENTIE:GEBOORTEDATUM_ONGEBRUIKELIJK:geboortedatum"]);
    expect(age("1993-08-31", "2019-08-31")).toEqual(["AFKEUR:GEBOORTEDATUM_ONWAARSCHIJNLIJK:geboortedatum"]);
  });

  it("the texts say the age and what is expected", () => {
    expect(collect((add) => checkPersoon(leerling("1", { geboortedatum: "2018-01-01" }), "2019-08-31", TODAY, add))).toEqual([
      { code: "GEBOORTEDATUM_ONWAARSCHIJNLIJK", ernst: "AFKEUR", tekst: "Geboortedatum onwaarschijnlijk: leerling is 1 jaar op de inschrijfdatum (2 t/m 25 verwacht)", field: "geboortedatum" },
    ]);
    expect(collect((add) => checkPersoon(leerling("1", { geboortedatum: "1997-01-01" }), "2019-08-31", TODAY, add))).toEqual([
      { code: "GEBOORTEDATUM_ONGEBRUIKELIJK", ernst: "ATTENTIE", tekst: "Ongebruikelijke leeftijd: leerling is 22 jaar op de inschrijfdatum", field: "geboortedatum" },
    ]);
  });

  it("born today is not in the future (but 0 years old on an inschrijfdatum today is an afkeur); born tomorrow is", () => {
    expect(age(TODAY, TODAY)).toEqual(["AFKEUR:GEBOORTEDATUM_ONWAARSCHIJNLIJK:geboortedatum"]);
    expect(collect((add) => checkPersoon(leerling("1", { geboortedatum: "2026-11-29" }), "2019-08-31", TODAY, add))).toEqual([
      { code: "GEBOORTEDATUM_TOEKOMST", ernst: "AFKEUR", tekst: "Geboortedatum ligt in de toekomst", field: "geboortedatum" },
    ]);
  });

  it("for an enrolment action the reference is that enrolment's inschrijfdatum", () => {
    const lvs = lvsSnapshot([leerling("1001", { geboortedatum: "2015-09-01" })], [inschrijving("I1001", "1001", { inschrijfdatum: "2017-08-31" }), inschrijving("I1002", "1001", { inschrijfdatum: "2019-08-31" })]);
    expect(short(checkActions([action("NIEUWE_INSCHRIJVING", "1001", "I1002")], lvs, TODAY))).toEqual([]);
    expect(short(checkActions([action("NIEUWE_INSCHRIJVING", "1001", "I1001")], lvs, TODAY))).toEqual(["AFKEUR:GEBOORTEDATUM_ONWAARSCHIJNLIJK:geboortedatum"]);
  });

  it("for key data the reference is the pupil's first inschrijfdatum, whatever order LVS2000 lists the enrolments in", () => {
    const ins = [inschrijving("I1002", "1001", { inschrijfdatum: "2019-08-31" }), inschrijving("I1001", "1001", { inschrijfdatum: "2017-08-31" }), inschrijving("I1003", "1001", { inschrijfdatum: "2020-08-31" })];
    const lvs = lvsSnapshot([leerling("1001", { geboortedatum: "2015-09-01" })], ins);
    expect(short(checkActions([action("WIJZIGING_SLEUTELGEGEVENS", "1001", null)], lvs, TODAY))).toEqual(["AFKEUR:GEBOORTEDATUM_ONWAARSCHIJNLIJK:geboortedatum"]);
  });

  it("for key data of a pupil without enrolments the reference is today", () => {
    const lvs = lvsSnapshot([leerling("1001", { geboortedatum: "2025-01-01" })], []);
    expect(short(checkActions([action("WIJZIGING_SLEUTELGEGEVENS", "1001", null)], lvs, TODAY))).toEqual(["AFKEUR:GEBOORTEDATUM_ONWAARSCHIJNLIJK:geboortedatum"]);
    const older = lvsSnapshot([leerling("1001", { geboortedatum: "2016-01-01" })], []);
    expect(short(checkActions([action("WIJZIGING_SLEUTELGEGEVENS", "1001", null)], older, TODAY))).toEqual([]);
  });
});

describe("rule: required person fields and the geslacht code", () => {
  const persoon = (over: Partial<Leerling>) => collect((add) => checkPersoon(leerling("1", over), "2019-08-15", TODAY, add));

  it("an achternaam of spaces only is missing (afkeur); voornamen of spaces only become a '.' (attentie)", () => {
    expect(persoon({ achternaam: "  " })).toEqual([{ code: "ACHTERNAAM_ONTBREEKT", ernst: "AFKEUR", tekst: "Achternaam ontbreekt", field: "achternaam" }]);
    expect(persoon({ voornamen: "  " })).toEqual([{ code: "VOORNAAM_ONTBREEKT", ernst: "ATTENTIE", tekst: "Geen voornaam: BRON krijgt een punt (.) als voornaam", field: "voornamen" }]);
  });

  it("M and V need nothing; O is an attentie; any other code an afkeur", () => {
    expect(persoon({ geslacht: "M" })).toEqual([]);
    expect(persoon({ geslacht: "V" })).toEqual([]);
    expect(persoon({ geslacht: "O" })).toEqual([{ code: "GESLACHT_ONBEKEND", ernst: "ATTENTIE", tekst: "Geslacht onbekend (O): BRON controleert het BSN op geslacht en geboortedatum", field: "geslacht" }]);
    expect(persoon({ geslacht: "" as never })).toEqual([{ code: "GESLACHT_ONGELDIG", ernst: "AFKEUR", tekst: "Geslacht moet M, V of O (onbekend) zijn", field: "geslacht" }]);
  });
});

describe("rule: the PGN identifies the pupil in every message", () => {
  const pgn = (over: Partial<Leerling>, type: ActionType) => collect((add) => checkPgn(leerling("1", over), type, add));

  it("a Wijziging sleutelgegevens without a PGN is an afkeur: it would wipe BRON's", () => {
    expect(pgn({ pgn: null }, "WIJZIGING_SLEUTELGEGEVENS")).toEqual([
      { code: "PGN_ONTBREEKT", ernst: "AFKEUR", tekst: "Geen BSN of onderwijsnummer in LVS2000: sleutelgegevens kunnen niet gewijzigd worden", field: "pgn" },
    ]);
  });

  it("a new enrolment (or any other action to BRON) without a PGN is an attentie: BRON assigns an onderwijsnummer", () => {
    for (const type of ["NIEUWE_INSCHRIJVING", "UITSCHRIJVING", "WIJZIGING_ONDERWIJSGEGEVENS"] as const) {
      expect(pgn({ pgn: null }, type), type).toEqual([{ code: "PGN_ONTBREEKT", ernst: "ATTENTIE", tekst: "Geen BSN of onderwijsnummer bekend: BRON kent een onderwijsnummer toe", field: "pgn" }]);
    }
  });

  it("an identificatieverzoek without a PGN is what it is for: no signal", () => {
    expect(pgn({ pgn: null }, "IDENTIFICATIEVERZOEK")).toEqual([]);
  });

  it("an invalid BSN or onderwijsnummer is an afkeur with the reason of its check", () => {
    expect(pgn({ pgn: { soort: "BSN", nummer: "000000000" } }, "NIEUWE_INSCHRIJVING")).toEqual([{ code: "BSN_ONGELDIG", ernst: "AFKEUR", tekst: "BSN mag niet 0 zijn", field: "pgn" }]);
    expect(pgn({ pgn: { soort: "ONDERWIJSNUMMER", nummer: "110000001" } }, "NIEUWE_INSCHRIJVING")).toEqual([
      { code: "ONDERWIJSNUMMER_ONGELDIG", ernst: "AFKEUR", tekst: "Onderwijsnummer moet met 10 beginnen", field: "pgn" },
    ]);
  });

  it("a BSN is checked as a BSN and an onderwijsnummer as an onderwijsnummer", () => {
    expect(pgn({ pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } }, "NIEUWE_INSCHRIJVING")).toEqual([]);
    expect(pgn({ pgn: { soort: "BSN", nummer: "100310303" } }, "NIEUWE_INSCHRIJVING")).toEqual([{ code: "BSN_ONGELDIG", ernst: "AFKEUR", tekst: "BSN voldoet niet aan de elfproef", field: "pgn" }]);
  });

  it("an identificatieverzoek is pointless for a valid BSN (attentie), not for a pupil with only an onderwijsnummer", () => {
    expect(pgn({}, "IDENTIFICATIEVERZOEK")).toEqual([{ code: "IDENTIFICATIE_OVERBODIG", ernst: "ATTENTIE", tekst: "Leerling heeft al een geldig BSN; identificatieverzoek is niet nodig", field: "pgn" }]);
    expect(pgn({ pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } }, "IDENTIFICATIEVERZOEK")).toEqual([]);
    expect(pgn({}, "WIJZIGING_SLEUTELGEGEVENS")).toEqual([]);
  });
});

describe("rule: a missing address — afkeur when BRON needs it to identify the pupil, else attentie", () => {
  const adres = (over: Partial<Leerling>, type: ActionType) => collect((add) => checkAdres(leerling("1", over), type, add));

  it("with a PGN, a new enrolment without address is an attentie (BRON takes the address from the GBA)", () => {
    expect(adres({ adres: null }, "NIEUWE_INSCHRIJVING")).toEqual([{ code: "ADRES_ONTBREEKT", ernst: "ATTENTIE", tekst: "Adres ontbreekt in LVS2000", field: "adres" }]);
  });

  it("without a PGN it is an afkeur: the address is needed to identify the pupil", () => {
    expect(adres({ adres: null, pgn: null }, "NIEUWE_INSCHRIJVING")).toEqual([
      { code: "ADRES_ONTBREEKT", ernst: "AFKEUR", tekst: "Adres ontbreekt; nodig om de leerling te identificeren", field: "adres" },
    ]);
  });

  it("an identificatieverzoek needs it even when the pupil has a PGN", () => {
    expect(adres({ adres: null }, "IDENTIFICATIEVERZOEK")).toEqual([
      { code: "ADRES_ONTBREEKT", ernst: "AFKEUR", tekst: "Adres ontbreekt; nodig om de leerling te identificeren", field: "adres" },
    ]);
  });
});

describe("rule: a Dutch address (land 6030) needs a valid postcode, house number, street and place", () => {
  const adres = (a: Partial<Adres>) => collect((add) => checkAdres(leerling("1", { adres: { ...NL, ...a } }), "NIEUWE_INSCHRIJVING", add));

  it("a complete address gives nothing, also with a space in the postcode", () => {
    expect(adres({})).toEqual([]);
    expect(adres({ postcode: "3511 AB" })).toEqual([]);
  });

  it("a postcode of spaces only is missing; a malformed one is invalid with the reason of the postcode check", () => {
    expect(adres({ postcode: "  " })).toEqual([{ code: "POSTCODE_ONTBREEKT", ernst: "AFKEUR", tekst: "Postcode ontbreekt bij een Nederlands adres", field: "adres.postcode" }]);
    expect(adres({ postcode: "" })).toEqual([{ code: "POSTCODE_ONTBREEKT", ernst: "AFKEUR", tekst: "Postcode ontbreekt bij een Nederlands adres", field: "adres.postcode" }]);
    expect(adres({ postcode: "3511SS" })).toEqual([{ code: "POSTCODE_ONGELDIG", ernst: "AFKEUR", tekst: "Postcode met letters SS wordt niet uitgegeven", field: "adres.postcode" }]);
  });

  it("a missing house number is an afkeur", () => {
    expect(adres({ huisnummer: null })).toEqual([{ code: "HUISNUMMER_ONTBREEKT", ernst: "AFKEUR", tekst: "Huisnummer ontbreekt bij een Nederlands adres", field: "adres.huisnummer" }]);
  });

  it("an empty street or an empty place is an afkeur naming the missing part (spaces count as empty)", () => {
    expect(adres({ straat: " " })).toEqual([{ code: "ADRES_ONVOLLEDIG", ernst: "AFKEUR", tekst: "Straat of plaats ontbreekt", field: "adres.straat" }]);
    expect(adres({ plaats: "" })).toEqual([{ code: "ADRES_ONVOLLEDIG", ernst: "AFKEUR", tekst: "Straat of plaats ontbreekt", field: "adres.plaats" }]);
    expect(adres({ plaats: "  " })).toEqual([{ code: "ADRES_ONVOLLEDIG", ernst: "AFKEUR", tekst: "Straat of plaats ontbreekt", field: "adres.plaats" }]);
  });

  it("an address abroad is not checked at all: postcode, house number, street", () => {
    expect(adres({ land: "5010", postcode: null, huisnummer: null, straat: "" })).toEqual([]);
  });
});

describe("rule: the leerjaar must be computable from Onderwijs Sinds", () => {
  const sinds = (over: Partial<Leerling>) => collect((add) => checkOnderwijsSinds(leerling("1", over), add));

  it("Onderwijs Sinds on the birth date is accepted, a day before it is not", () => {
    expect(sinds({ geboortedatum: "2015-03-14", onderwijsSinds: "2015-03-14" })).toEqual([]);
    expect(sinds({ geboortedatum: "2015-03-14", onderwijsSinds: "2015-03-13" })).toEqual([{ code: "ONDERWIJS_SINDS_ONGELDIG", ernst: "AFKEUR", tekst: "Onderwijs Sinds ligt voor de geboortedatum", field: "onderwijsSinds" }]);
  });

  it("a missing Onderwijs Sinds is an afkeur", () => {
    expect(sinds({ onderwijsSinds: null })).toEqual([{ code: "LEERJAAR_NIET_BEREKENBAAR", ernst: "AFKEUR", tekst: "Onderwijs Sinds ontbreekt: leerjaar niet te berekenen", field: "onderwijsSinds" }]);
  });

  it("an ambulant begeleide pupil (groep 0) needs no Onderwijs Sinds", () => {
    const amb = { ondersteunendeVestiging: "00AA01", begindatum: "2019-08-15", ontvangendeVestiging: "78GH01" };
    const lvs = lvsSnapshot([leerling("1001", { onderwijsSinds: null })], [inschrijving("I1001", "1001", { leerjaar: 0, ambulanteBegeleiding: amb } as Partial<Inschrijving>)]);
    expect(short(checkActions([action("NIEUWE_INSCHRIJVING", "1001", "I1001")], lvs, TODAY))).toEqual([]);
  });
});
