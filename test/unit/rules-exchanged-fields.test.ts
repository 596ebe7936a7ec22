import { describe, expect, it } from "vitest";
import { applyFeedback } from "../../src/core/apply-feedback.js";
import { diffOnderwijsgegevens, diffSleutelgegevens, sameEindtoets, sameKlassenhistorie, sameNationaliteiten, sameSchooladvies } from "../../src/core/compare.js";
import { checkKlassenhistorie, checkUitgewisseldeGegevens } from "../../src/core/check-wpo.js";
import { FeedbackMessage, type Action, type Eindtoets, type Inschrijving, type Schooladvies, type Signal } from "../../src/core/model.js";
import { indexForSend, toLvsWrites, toMutatie } from "../../src/core/to-mutatie.js";
import { AP, TODAY, bronInschrijvingOf, inStep, inschrijving, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";
import { act } from "./rules-fixtures.js";

/**
 * The fields the manual lists beyond the basics (docs/exchanged-fields.md): nationaliteiten, NNCA,
 * klassenhistorie, gewicht, VVE, eindtoets/doorstroomtoets and schooladvies — compared, checked, sent.
 */

const TOETS: Eindtoets = { afnamedatum: "2020-04-16", toetsadvies: "HAVO", score: 538, redenGeenToets: null };
const ADVIES: Schooladvies = { advies: "VMBO_GLTL", datum: "2020-02-10", herzienAdvies: null, herzienDatum: null };
/** A groep-8 pupil enrolled 2019-08-15 (a day when a gewicht could no longer be registered). */
const G8 = (over: Partial<Inschrijving> = {}) => inschrijving("I1", "1", { leerjaar: 8, ...over });

type Found = { code: string; ernst: string; tekst: string; field: string };
function check(ins: Inschrijving, action: Action = act("NI"), today = TODAY): Found[] {
  const out: Found[] = [];
  checkUitgewisseldeGegevens(ins, action, today, (code, ernst, tekst, field) => out.push({ code, ernst, tekst, field }));
  return out;
}
const codes = (f: Found[]) => f.map((x) => x.code);
const one = (code: string, tekst: string, field: string): Found[] => [{ code, ernst: "AFKEUR", tekst, field }];

describe("rule: nationaliteiten compare as a set", () => {
  it("the same codes in another order are the same; a code on one side only differs", () => {
    expect(sameNationaliteiten(["0001", "0052"], ["0052", "0001"])).toBe(true);
    expect(sameNationaliteiten([], [])).toBe(true);
    expect(sameNationaliteiten(["0001"], ["0052"])).toBe(false);
    expect(sameNationaliteiten(["0001"], ["0001", "0052"])).toBe(false);
    expect(sameNationaliteiten(["0001", "0001"], ["0001", "0052"])).toBe(false);
    expect(sameNationaliteiten(["0001", "0052"], ["0001", "0001"])).toBe(false);
  });

  it("a code listed twice on one side is the same set as the code once (a set has no repetition)", () => {
    expect(sameNationaliteiten(["0001", "0001"], ["0001"])).toBe(true);
    expect(sameNationaliteiten(["0052"], ["0052", "0052"])).toBe(true);
    expect(sameNationaliteiten(["0001", "0001"], ["0052"])).toBe(false);
  });

  it("a change of nationaliteiten is a change of person data (Wijziging sleutelgegevens)", () => {
    const p = inStep();
    expect(diffSleutelgegevens({ ...p.l, nationaliteiten: ["0001", "0052"] }, p.bl)).toEqual([{ field: "nationaliteiten", lvs: ["0001", "0052"], bron: ["0001"] }]);
    expect(diffSleutelgegevens({ ...p.l, nationaliteiten: ["0052", "0001"] }, { ...p.bl, nationaliteiten: ["0001", "0052"] })).toBeNull();
  });
});

describe("rule: the klassenhistorie compares whole, in order", () => {
  const h = [
    { leerjaar: 5, groep: "5A", begindatum: "2019-08-15" },
    { leerjaar: 5, groep: "5B", begindatum: "2020-03-01" },
  ];

  it("a move to a parallel group during the year is a difference even when today's leerjaar is the same", () => {
    expect(sameKlassenhistorie(h, [h[0]!])).toBe(false);
    expect(sameKlassenhistorie(h, [h[0]!, { ...h[1]!, groep: "5C" }])).toBe(false);
    expect(sameKlassenhistorie(h, [h[0]!, { ...h[1]!, begindatum: "2020-03-02" }])).toBe(false);
    expect(sameKlassenhistorie(h, [h[0]!, { ...h[1]!, leerjaar: 6 }])).toBe(false);
    expect(sameKlassenhistorie(h, [{ ...h[0]!, groep: "5B" }, h[1]!])).toBe(false);
    expect(sameKlassenhistorie(h, [...h].reverse())).toBe(false);
  });

  it("equal histories are the same; an empty group name equals none", () => {
    expect(sameKlassenhistorie(h, h.map((x) => ({ ...x })))).toBe(true);
    expect(sameKlassenhistorie([], [])).toBe(true);
    expect(sameKlassenhistorie([{ ...h[0]!, groep: "" }], [{ ...h[0]!, groep: null }])).toBe(true);
  });
});

describe("rule: eindtoets and schooladvies compare field by field; empty text equals none", () => {
  it("eindtoets", () => {
    expect(sameEindtoets(TOETS, { ...TOETS })).toBe(true);
    expect(sameEindtoets(null, null)).toBe(true);
    expect(sameEindtoets(TOETS, null)).toBe(false);
    expect(sameEindtoets(null, TOETS)).toBe(false);
    expect(sameEindtoets(TOETS, { ...TOETS, afnamedatum: "2020-04-17" })).toBe(false);
    expect(sameEindtoets(TOETS, { ...TOETS, toetsadvies: "VWO" })).toBe(false);
    expect(sameEindtoets(TOETS, { ...TOETS, score: 539 })).toBe(false);
    expect(sameEindtoets(TOETS, { ...TOETS, redenGeenToets: "ZIEKTE_NIET_INGEHAALD" })).toBe(false);
    expect(sameEindtoets({ ...TOETS, toetsadvies: null, redenGeenToets: "" }, { ...TOETS, toetsadvies: "", redenGeenToets: null })).toBe(true);
  });

  it("schooladvies", () => {
    const herzien = { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2020-05-28" };
    expect(sameSchooladvies(herzien, { ...herzien })).toBe(true);
    expect(sameSchooladvies(null, null)).toBe(true);
    expect(sameSchooladvies(ADVIES, null)).toBe(false);
    expect(sameSchooladvies(null, ADVIES)).toBe(false);
    expect(sameSchooladvies(ADVIES, { ...ADVIES, advies: "HAVO" })).toBe(false);
    expect(sameSchooladvies(ADVIES, { ...ADVIES, datum: "2020-02-11" })).toBe(false);
    expect(sameSchooladvies(herzien, { ...herzien, herzienAdvies: "HAVO_VWO" })).toBe(false);
    expect(sameSchooladvies(herzien, { ...herzien, herzienDatum: "2020-05-29" })).toBe(false);
    expect(sameSchooladvies({ ...ADVIES, herzienAdvies: "" }, ADVIES)).toBe(true);
  });

  it("each of them is a change of onderwijsgegevens, in a fixed order after the basics", () => {
    const { i } = inStep();
    const lvs = { ...i, nnca: true, gewicht: 0, vve: true, eindtoets: TOETS, schooladvies: ADVIES, klassenhistorie: [] };
    expect(diffOnderwijsgegevens(lvs, bronInschrijvingOf(i))?.map((d) => d.field)).toEqual(["klassenhistorie", "nnca", "gewicht", "vve", "eindtoets", "schooladvies"]);
  });
});

describe("rule: klassenhistorie checks", () => {
  const hist = (ins: Inschrijving) => {
    const out: Found[] = [];
    checkKlassenhistorie(ins, (code, ernst, tekst, field) => out.push({ code, ernst, tekst, field }));
    return out;
  };

  it("periods within the enrolment: from the inschrijfdatum up to and including the uitschrijfdatum", () => {
    const ins = (begindatum: string) => inschrijving("I1", "1", { uitschrijfdatum: "2020-07-31", redenUitschrijving: "VERHUIZING", klassenhistorie: [{ leerjaar: 6, groep: null, begindatum }] });
    expect(hist(ins("2019-08-15"))).toEqual([]);
    expect(hist(ins("2020-07-31"))).toEqual([]);
    expect(hist(ins("2020-08-01"))).toEqual(one("KLASSENHISTORIE_BUITEN_INSCHRIJVING", "Klassenhistorie: groepsperiode vanaf 2020-08-01 valt buiten de inschrijving", "klassenhistorie"));
    expect(hist(ins("2019-08-14"))).toEqual(one("KLASSENHISTORIE_BUITEN_INSCHRIJVING", "Klassenhistorie: groepsperiode vanaf 2019-08-14 valt buiten de inschrijving", "klassenhistorie"));
  });

  it("an enrolment that ended on the day it began holds only that day", () => {
    const dag = (begindatum: string) => hist(inschrijving("I1", "1", { inschrijfdatum: "2019-08-15", uitschrijfdatum: "2019-08-15", redenUitschrijving: "X", klassenhistorie: [{ leerjaar: 6, groep: null, begindatum }] }));
    expect(dag("2019-08-15")).toEqual([]);
    expect(codes(dag("2019-08-16"))).toEqual(["KLASSENHISTORIE_BUITEN_INSCHRIJVING"]);
  });

  it("an uitschrijfdatum before the inschrijfdatum (its own afkeur) does not cut the enrolment short", () => {
    const ins = inschrijving("I1", "1", { uitschrijfdatum: "2019-08-01", redenUitschrijving: "X", klassenhistorie: [{ leerjaar: 6, groep: null, begindatum: "2020-01-06" }] });
    expect(hist(ins)).toEqual([]);
  });

  it("one period per day, in order; a period needs its leerjaar — with the texts the administrator sees", () => {
    const ins = inschrijving("I1", "1", {
      klassenhistorie: [
        { leerjaar: 6, groep: "6A", begindatum: "2019-09-01" },
        { leerjaar: 6, groep: "6B", begindatum: "2019-08-20" },
        { leerjaar: null, groep: "6C", begindatum: "2019-10-01" },
      ],
    });
    expect(hist(ins)).toEqual([
      { code: "KLASSENHISTORIE_VOLGORDE", ernst: "AFKEUR", tekst: "Klassenhistorie: groepsperiode vanaf 2019-08-20 staat niet na de vorige (één per dag, in volgorde)", field: "klassenhistorie" },
      { code: "KLASSENHISTORIE_LEERJAAR_ONTBREEKT", ernst: "AFKEUR", tekst: "Klassenhistorie: leerjaar ontbreekt bij de groepsperiode vanaf 2019-10-01", field: "klassenhistorie" },
    ]);
  });

  it("no history at all: an attentie (BRON gets only today's leerjaar); none when there is no leerjaar either", () => {
    expect(hist(inschrijving("I1", "1", { klassenhistorie: [] }))).toEqual([
      { code: "KLASSENHISTORIE_ONTBREEKT", ernst: "ATTENTIE", tekst: "Geen klassenhistorie in LVS2000: BRON krijgt alleen het huidige leerjaar", field: "klassenhistorie" },
    ]);
    expect(hist(inschrijving("I1", "1", { klassenhistorie: [], leerjaar: null }))).toEqual([]);
  });
});

describe("rule: the gewichtenregeling ended on 1 August 2019", () => {
  const voor = (over: Partial<Inschrijving> = {}) => inschrijving("I1", "1", { inschrijfdatum: "2019-07-01", klassenhistorie: [{ leerjaar: 6, groep: null, begindatum: "2019-07-01" }], gewicht: 0.3, ...over });

  it("a gewicht on an enrolment starting on that day or later is an afkeur; the day before is history", () => {
    expect(check(voor())).toEqual([]);
    expect(check(voor({ inschrijfdatum: "2019-08-01", klassenhistorie: [{ leerjaar: 6, groep: null, begindatum: "2019-08-01" }] }))).toEqual(
      one("GEWICHT_NA_EINDE_REGELING", "Gewichtenregeling vervallen per 1 augustus 2019: geen gewicht bij een latere inschrijving", "gewicht"),
    );
  });

  it("changing a gewicht is refused from that day on, not before; a Nieuwe melding carries its historical gewicht", () => {
    const wijziging = act("WO", { type: "WIJZIGING_ONDERWIJSGEGEVENS", fields: [{ field: "gewicht", lvs: 0.3, bron: 0 }] });
    const refused = one("GEWICHT_GEWIJZIGD_NA_EINDE", "Gewicht kan sinds 1 augustus 2019 niet meer worden gewijzigd (gewichtenregeling vervallen)", "gewicht");
    expect(check(voor(), wijziging, "2019-08-01")).toEqual(refused);
    expect(check(voor(), wijziging, "2019-07-31")).toEqual([]);
    expect(check(voor({ gewicht: null }), wijziging)).toEqual(refused);
    expect(check(voor(), act("NI", { fields: [{ field: "gewicht", lvs: 0.3, bron: null }] }))).toEqual([]);
    expect(check(voor(), act("WO", { type: "WIJZIGING_ONDERWIJSGEGEVENS", fields: [{ field: "vve", lvs: true, bron: null }] }))).toEqual([]);
  });

  it("only 0, 0.3 or 1.2, and only on a basisschool", () => {
    expect(check(voor({ gewicht: 0.5 }))).toEqual(one("GEWICHT_ONGELDIG", "Gewicht moet 0, 0.3 of 1.2 zijn", "gewicht"));
    expect(check(voor({ gewicht: 0 }))).toEqual([]);
    expect(check(voor({ gewicht: 1.2, schoolsoort: "SBO" }))).toEqual(one("GEWICHT_ALLEEN_BASISSCHOOL", "Een gewicht hoort alleen bij een inschrijving op een basisschool", "gewicht"));
  });
});

describe("rule: VVE, eindtoets and schooladvies are exchanged for WPO schools only (basisonderwijs and SBO)", () => {
  it("on an SBO enrolment they are fine", () => {
    expect(check(G8({ schoolsoort: "SBO", vve: true, eindtoets: TOETS, schooladvies: ADVIES }), act("NI"), TODAY)).toEqual([]);
  });

  it("on SO or VSO each is an afkeur", () => {
    const so = G8({ schoolsoort: "VSO", onderwijssoort: "CLUSTER4", vve: false, eindtoets: TOETS, schooladvies: ADVIES });
    expect(check(so).slice(0, 3)).toEqual([
      { code: "VVE_ALLEEN_WPO", ernst: "AFKEUR", tekst: "VVE wordt alleen uitgewisseld voor basisonderwijs en SBO", field: "vve" },
      { code: "EINDTOETS_ALLEEN_WPO", ernst: "AFKEUR", tekst: "Eindtoets wordt alleen uitgewisseld voor basisonderwijs en SBO", field: "eindtoets" },
      { code: "ADVIES_ALLEEN_WPO", ernst: "AFKEUR", tekst: "Schooladvies wordt alleen uitgewisseld voor basisonderwijs en SBO", field: "schooladvies" },
    ]);
  });

  it("an ambulant begeleide leerling has NNCA 0", () => {
    const amb = inschrijving("I1", "1", { leerjaar: 0, klassenhistorie: [{ leerjaar: 0, groep: null, begindatum: "2019-08-15" }], nnca: true, ambulanteBegeleiding: { ondersteunendeVestiging: "00AA01", begindatum: "2019-08-15", ontvangendeVestiging: "78GH01" } });
    expect(check(amb)).toEqual(one("NNCA_AMBULANT", "Ambulante begeleiding: NNCA hoort 0 (geen) te zijn", "nnca"));
    expect(check({ ...amb, nnca: false })).toEqual([]);
  });
});

describe("rule: the eindtoets/doorstroomtoets", () => {
  it("belongs to groep 8", () => {
    expect(check(inschrijving("I1", "1", { eindtoets: TOETS }))).toEqual(one("EINDTOETS_NIET_LAATSTE_LEERJAAR", "Een eindtoets/doorstroomtoets hoort bij het laatste leerjaar (groep 8)", "eindtoets"));
  });

  it("gives either a toetsadvies or the reason none was made — not both, not neither", () => {
    const tekst = "Eindtoets: geef óf het toetsadvies óf de reden dat er geen toets is gemaakt";
    expect(check(G8({ eindtoets: { ...TOETS, redenGeenToets: "ZIEKTE_NIET_INGEHAALD" } }))).toEqual(one("EINDTOETS_ONVOLLEDIG", tekst, "eindtoets"));
    expect(check(G8({ eindtoets: { ...TOETS, toetsadvies: null } }))).toEqual(one("EINDTOETS_ONVOLLEDIG", tekst, "eindtoets"));
    expect(check(G8({ eindtoets: { ...TOETS, toetsadvies: null, score: null, redenGeenToets: "ZIEKTE_NIET_INGEHAALD" } }))).toEqual([]);
  });

  it("codes on their lists", () => {
    expect(check(G8({ eindtoets: { ...TOETS, toetsadvies: "MAVO" } }))).toEqual(one("TOETSADVIES_ONGELDIG", "Toetsadvies heeft een onbekende code", "eindtoets"));
    expect(check(G8({ eindtoets: { ...TOETS, toetsadvies: null, redenGeenToets: "GEEN_ZIN" } }))).toEqual(one("REDEN_GEEN_TOETS_ONGELDIG", "Reden geen toets heeft een onbekende code", "eindtoets"));
  });

  it("made within the enrolment and not in the future; today is not the future", () => {
    expect(check(G8({ eindtoets: { ...TOETS, afnamedatum: TODAY } }))).toEqual([]);
    expect(check(G8({ eindtoets: { ...TOETS, afnamedatum: "2026-11-29" } }))).toEqual(one("EINDTOETS_DATUM_TOEKOMST", "Afnamedatum eindtoets ligt in de toekomst", "eindtoets"));
    expect(check(G8({ eindtoets: { ...TOETS, afnamedatum: "2019-04-16" } }))).toEqual(one("EINDTOETS_DATUM_BUITEN_INSCHRIJVING", "Afnamedatum eindtoets valt buiten de inschrijving", "eindtoets"));
  });
});

describe("rule: the schooladvies and the herzien advies", () => {
  it("belongs to groep 8, with a code on the list and a date within the enrolment", () => {
    expect(check(inschrijving("I1", "1", { schooladvies: ADVIES }))).toEqual(one("ADVIES_NIET_LAATSTE_LEERJAAR", "Een schooladvies hoort bij het laatste leerjaar (groep 8)", "schooladvies"));
    expect(check(G8({ schooladvies: { ...ADVIES, advies: "MAVO" } }))).toEqual(one("ADVIES_ONGELDIG", "Schooladvies heeft een onbekende code", "schooladvies"));
    expect(check(G8({ schooladvies: { ...ADVIES, datum: "2026-11-29" } }))).toEqual(one("ADVIES_DATUM_TOEKOMST", "Datum schooladvies ligt in de toekomst", "schooladvies"));
    expect(check(G8({ schooladvies: { ...ADVIES, datum: "2019-02-10" } }))).toEqual(one("ADVIES_DATUM_BUITEN_INSCHRIJVING", "Datum schooladvies valt buiten de inschrijving", "schooladvies"));
  });

  it("a herzien advies and its date go together", () => {
    const tekst = "Herzien advies en de datum ervan horen samen";
    expect(check(G8({ eindtoets: TOETS, schooladvies: { ...ADVIES, herzienAdvies: "HAVO" } }))).toEqual(one("HERZIEN_ADVIES_ONVOLLEDIG", tekst, "schooladvies"));
    expect(check(G8({ eindtoets: TOETS, schooladvies: { ...ADVIES, herzienDatum: "2020-05-28" } }))).toEqual(one("HERZIEN_ADVIES_ONVOLLEDIG", tekst, "schooladvies"));
  });

  it("a herzien advies only goes up: the same level is refused too; its code must be on the list", () => {
    const herzien = (herzienAdvies: string) => check(G8({ eindtoets: TOETS, schooladvies: { ...ADVIES, herzienAdvies, herzienDatum: "2020-05-28" } }));
    expect(herzien("VMBO_GLTL_HAVO")).toEqual([]);
    expect(herzien("VMBO_GLTL")).toEqual(one("HERZIEN_ADVIES_NIET_HOGER", "Herzien advies moet hoger zijn dan het schooladvies (bijstellen gaat alleen omhoog)", "schooladvies"));
    expect(herzien("MAVO")).toEqual(one("ADVIES_ONGELDIG", "Herzien advies heeft een onbekende code", "schooladvies"));
  });

  it("a herzien advies of an unknown schooladvies is only refused for its own code", () => {
    expect(codes(check(G8({ eindtoets: TOETS, schooladvies: { ...ADVIES, advies: "MAVO", herzienAdvies: "VMBO_BB", herzienDatum: "2020-05-28" } })))).toEqual(["ADVIES_ONGELDIG"]);
  });

  it("follows the toets result: without a toetsadvies it is refused; on the day of the toets it is fine, the day before not", () => {
    const s = { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2020-04-16" };
    expect(check(G8({ eindtoets: TOETS, schooladvies: s }))).toEqual([]);
    expect(check(G8({ eindtoets: TOETS, schooladvies: { ...s, herzienDatum: "2020-04-15" } }))).toEqual(one("HERZIEN_ADVIES_VOOR_TOETS", "Herzien advies is gegeven vóór de eindtoets/doorstroomtoets", "schooladvies"));
    expect(check(G8({ eindtoets: { ...TOETS, toetsadvies: null, score: null, redenGeenToets: "ZIEKTE_NIET_INGEHAALD" }, schooladvies: s }))).toEqual(
      one("HERZIEN_ADVIES_ZONDER_TOETS", "Een herzien advies volgt op de uitslag van de eindtoets/doorstroomtoets; die ontbreekt", "schooladvies"),
    );
  });

  it("is not given before the schooladvies itself (the same day is fine), nor in the future, nor outside the enrolment", () => {
    const toetsVroeg = { ...TOETS, afnamedatum: "2020-01-20" };
    expect(check(G8({ eindtoets: toetsVroeg, schooladvies: { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2020-02-10" } }))).toEqual([]);
    expect(check(G8({ eindtoets: toetsVroeg, schooladvies: { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2020-02-09" } }))).toEqual(one("HERZIEN_ADVIES_VOOR_ADVIES", "Herzien advies is gegeven vóór het schooladvies", "schooladvies"));
    expect(check(G8({ eindtoets: TOETS, schooladvies: { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2026-11-29" } }))).toEqual(one("HERZIEN_ADVIES_DATUM_TOEKOMST", "Datum herzien advies ligt in de toekomst", "schooladvies"));
    const uit = G8({ uitschrijfdatum: "2020-05-01", redenUitschrijving: "VERHUIZING", eindtoets: TOETS, schooladvies: { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2020-05-28" } });
    expect(check(uit)).toEqual(one("HERZIEN_ADVIES_DATUM_BUITEN_INSCHRIJVING", "Datum herzien advies valt buiten de inschrijving", "schooladvies"));
  });
});

describe("rule: an enrolment with a value BRON does not know is not sent", () => {
  const p = inStep();
  const bad = { ...p.i, gewicht: 0.5 };
  const ix = indexForSend(lvsSnapshot([p.l], [{ ...bad, uitschrijfdatum: "2026-11-20", redenUitschrijving: "VERHUIZING" }]), mirrorOf([p.bl], [p.bi]));
  const reason = { ok: false, reason: "De inschrijving heeft een waarde die BRON niet kent (gewicht); los de afkeur bij Controleren op." };

  it("the reason names the field, also one inside a part of the enrolment", () => {
    const g8 = { ...p.i, leerjaar: 8, eindtoets: { ...TOETS, toetsadvies: "MAVO" } };
    const ix8 = indexForSend(lvsSnapshot([p.l], [g8]), mirrorOf([p.bl], [p.bi]));
    expect(toMutatie(act("NI"), ix8)).toEqual({ ok: false, reason: "De inschrijving heeft een waarde die BRON niet kent (eindtoets.toetsadvies); los de afkeur bij Controleren op." });
  });

  it("for every mutation that carries the enrolment", () => {
    for (const type of ["NIEUWE_INSCHRIJVING", "UITSCHRIJVING", "WIJZIGING_ONDERWIJSGEGEVENS", "CORRECTIE_INSCHRIJFDATUM"] as const) {
      expect(toMutatie(act(type, { type }), ix), type).toEqual(reason);
    }
  });
});

describe("rule: nationaliteiten from BRON are taken into LVS2000 only as 4-digit GBA codes", () => {
  const p = inStep();
  const ws = act("WS", { type: "WIJZIGING_SLEUTELGEGEVENS", direction: "LVS" });

  it("naar LVS2000 writes BRON's list when it differs", () => {
    const ix = indexForSend(lvsSnapshot([p.l], []), mirrorOf([{ ...p.bl, nationaliteiten: ["0001", "0052"] }], []));
    expect(toLvsWrites(ws, ix)).toEqual({ ok: true, value: [{ soort: "NATIONALITEITEN", leerlingId: "1001", nationaliteiten: ["0001", "0052"] }] });
  });

  it("a code that is not a GBA code of exactly 4 digits refuses the whole write", () => {
    for (const bad of ["NL", "00012", "X0001", "0001X"]) {
      const ix = indexForSend(lvsSnapshot([p.l], []), mirrorOf([{ ...p.bl, nationaliteiten: ["0001", bad] }], []));
      expect(toLvsWrites(ws, ix), bad).toEqual({ ok: false, reason: "BRON heeft een nationaliteitcode die geen GBA-code van 4 cijfers is; niet overgenomen." });
    }
  });

  it("a spontane mutatie of the nationalities is written at once and reported; one with a code that is no GBA code is not", () => {
    const mirror = mirrorOf([p.bl], [p.bi]);
    const msg = (nationaliteiten: string[]) => FeedbackMessage.parse({ aanleverpunt: AP, id: "m1", ontvangenOp: "2026-11-28T10:00:00Z", soort: "SPONTANE_MUTATIE", leerling: { ...p.bl, nationaliteiten } });
    const r = applyFeedback(mirror, [], [msg(["0052", "0001"])], TODAY);
    expect(r.lvsWrites).toEqual([{ soort: "NATIONALITEITEN", leerlingId: "1001", nationaliteiten: ["0052", "0001"] }]);
    expect(r.signals.map((s: Signal) => [s.tekst, s.field])).toEqual([["Spontane mutatie uit de BRP overgenomen voor leerling 1001: nationaliteiten", "nationaliteiten"]]);
    for (const code of ["XX", "00012", "X0001"]) {
      const bad = applyFeedback(mirror, [], [msg(["0001", code])], TODAY);
      expect(bad.lvsWrites, code).toEqual([]);
      expect(bad.signals, code).toEqual([]);
    }
    expect(applyFeedback(mirror, [], [msg(["0001"])], TODAY).lvsWrites).toEqual([]);
  });
});
