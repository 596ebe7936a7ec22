import { describe, expect, it } from "vitest";
import { determineActions, type DetermineResult } from "../../src/core/determine-actions.js";
import { deadlineStatus } from "../../src/core/deadline.js";
import type { Action, BronMirror, LvsSnapshot } from "../../src/core/model.js";
import { AP, EMPTY_MIRROR, NO_MEMORY, TODAY, bronInschrijvingOf, bronLeerlingOf, inStep, inschrijving, leerling, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";

function actionsOf(r: DetermineResult): Action[] {
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.actions;
}

function run(lvs: LvsSnapshot, mirror: BronMirror, memory = NO_MEMORY, today = TODAY): Action[] {
  return actionsOf(determineActions(lvs, mirror, memory, today));
}

const summary = (a: Action) => ({ type: a.type, direction: a.direction, needsDecision: a.needsDecision, decision: a.decision, leerlingId: a.leerlingId, inschrijvingId: a.inschrijvingId });

describe("determineActions — the table of situations (domain.md)", () => {
  it("given LVS and BRON in step, when determining, then there are no actions", () => {
    const p = inStep();
    expect(run(lvsSnapshot([p.l], [p.i]), mirrorOf([p.bl], [p.bi]))).toEqual([]);
  });

  it("rule: enrolled in LVS, not in BRON → automatic Nieuwe melding inschrijving with the full enrolment", () => {
    const p = inStep();
    const [a, ...rest] = run(lvsSnapshot([p.l], [p.i]), mirrorOf([], []));
    expect(rest).toEqual([]);
    expect(summary(a!)).toEqual({ type: "NIEUWE_INSCHRIJVING", direction: "BRON", needsDecision: false, decision: null, leerlingId: "1001", inschrijvingId: "I1001" });
    expect(a!.fields).toContainEqual({ field: "inschrijfdatum", lvs: "2019-08-15", bron: null });
    expect(a!.fields.map((f) => f.field)).toEqual(["inschrijfdatum", "vestiging", "schoolsoort", "leerjaar", "indicaties", "bekostigd", "klassenhistorie", "nnca"]);
    expect(a!.deadline).toEqual({ windowDays: 7, since: "2019-08-15", due: "2019-08-22", daysLeft: -2655, achterstallig: true });
  });

  it("rule: historical enrolments of a first delivery show as achterstallig, a late one beside an existing registration as days late", () => {
    const p = inStep();
    const other = inStep("1002");
    const [first] = run(lvsSnapshot([p.l], [p.i]), mirrorOf([], []));
    expect(deadlineStatus(first!.deadline, TODAY)).toBe("ACHTERSTALLIG");
    const [late] = run(lvsSnapshot([p.l, other.l], [p.i, other.i]), mirrorOf([other.bl], [other.bi]));
    expect(late!.deadline).toEqual({ windowDays: 7, since: "2019-08-15", due: "2019-08-22", daysLeft: -2655 });
    expect(deadlineStatus(late!.deadline, TODAY)).toBe("VERLOPEN");
  });

  it.each([
    ["a past date", "2026-11-20", "2026-11-27", -1],
    ["a future date", "2026-12-31", "2027-01-07", 40],
  ])("rule: deregistered in LVS at %s while BRON shows enrolled → automatic Uitschrijving, 7 days from the uitschrijfdatum", (_, datum, due, daysLeft) => {
    const p = inStep();
    const actions = run(lvsSnapshot([p.l], [{ ...p.i, uitschrijfdatum: datum, redenUitschrijving: "VERHUIZING" }]), mirrorOf([p.bl], [p.bi]));
    expect(actions.map(summary)).toEqual([{ type: "UITSCHRIJVING", direction: "BRON", needsDecision: false, decision: null, leerlingId: "1001", inschrijvingId: "I1001" }]);
    expect(actions[0]!.fields).toEqual([
      { field: "uitschrijfdatum", lvs: datum, bron: null },
      { field: "redenUitschrijving", lvs: "VERHUIZING", bron: null },
    ]);
    expect(actions[0]!.deadline).toMatchObject({ windowDays: 7, since: datum, due, daysLeft });
  });

  it("given BRON already holds another uitschrijfdatum, when determining, then the corrected Uitschrijving waits for a decision", () => {
    const p = inStep();
    const lvs = lvsSnapshot([p.l], [{ ...p.i, uitschrijfdatum: "2026-07-31", redenUitschrijving: "VERHUIZING" }]);
    const mirror = mirrorOf([p.bl], [{ ...p.bi, uitschrijfdatum: "2026-07-15", redenUitschrijving: "VERHUIZING" }]);
    expect(run(lvs, mirror).map(summary)).toEqual([{ type: "UITSCHRIJVING", direction: "BRON", needsDecision: true, decision: null, leerlingId: "1001", inschrijvingId: "I1001" }]);
  });

  it("rule: enrolled in BRON, unknown in LVS → Verwijdering inschrijving, waiting for a decision", () => {
    const p = inStep();
    const stray = bronInschrijvingOf(inschrijving("X1", "1001", { inschrijfdatum: "2020-01-06" }));
    const actions = run(lvsSnapshot([p.l], [p.i]), mirrorOf([p.bl], [p.bi, stray]));
    expect(actions.map(summary)).toEqual([{ type: "VERWIJDERING_INSCHRIJVING", direction: "BRON", needsDecision: true, decision: null, leerlingId: "1001", inschrijvingId: "X1" }]);
    expect(actions[0]!.fields).toContainEqual({ field: "inschrijfdatum", lvs: null, bron: "2020-01-06" });
    expect(actions[0]!.deadline).toMatchObject({ windowDays: 14, since: TODAY, daysLeft: 14 });
  });

  it("given a historical BRON enrolment LVS2000 no longer holds, when determining, then it is not proposed for deletion", () => {
    const p = inStep();
    const old = bronInschrijvingOf(inschrijving("H1", "1001", { inschrijfdatum: "2012-08-20", uitschrijfdatum: "2015-07-31" }));
    expect(run(lvsSnapshot([p.l], [p.i]), mirrorOf([p.bl], [p.bi], { historisch: [old] }))).toEqual([]);
  });

  it("rule: inschrijfdatum differs → Correctie inschrijfdatum (decision) carrying every differing enrolment field", () => {
    const p = inStep();
    const actions = run(lvsSnapshot([p.l], [{ ...p.i, inschrijfdatum: "2019-08-19", leerjaar: 7 }]), mirrorOf([p.bl], [p.bi]));
    expect(actions.map(summary)).toEqual([{ type: "CORRECTIE_INSCHRIJFDATUM", direction: "BRON", needsDecision: true, decision: null, leerlingId: "1001", inschrijvingId: "I1001" }]);
    expect(actions[0]!.fields).toEqual([
      { field: "inschrijfdatum", lvs: "2019-08-19", bron: "2019-08-15" },
      { field: "leerjaar", lvs: 7, bron: 6 },
    ]);
  });

  it.each([
    ["voornamen", { voornamen: "Emma Johanna" }],
    ["achternaam", { achternaam: "Visser" }],
    ["voorvoegsels", { voorvoegsels: "van der" }],
    ["geslacht", { geslacht: "M" as const }],
    ["geboortedatum", { geboortedatum: "2015-03-15" }],
    ["pgn", { pgn: { soort: "ONDERWIJSNUMMER" as const, nummer: "101234567" } }],
    ["pgn", { pgn: null }],
    ["nationaliteiten", { nationaliteiten: ["0001", "0052"] }],
    ["nationaliteiten", { nationaliteiten: [] }],
  ])("rule: key data differ (%s) → Wijziging sleutelgegevens, a decision", (field, change) => {
    const p = inStep();
    const actions = run(lvsSnapshot([{ ...p.l, ...change }], [p.i]), mirrorOf([p.bl], [p.bi]));
    expect(actions.map(summary)).toEqual([{ type: "WIJZIGING_SLEUTELGEGEVENS", direction: "BRON", needsDecision: true, decision: null, leerlingId: "1001", inschrijvingId: null }]);
    expect(actions[0]!.fields.map((f) => f.field)).toEqual([field]);
  });

  it("rule: key data are compared per pupil, not per enrolment", () => {
    const l = leerling("7", { achternaam: "Visser" });
    const i1 = inschrijving("A", "7", { inschrijfdatum: "2018-08-20", uitschrijfdatum: "2019-07-31", redenUitschrijving: "VERHUIZING" });
    const i2 = inschrijving("B", "7", { inschrijfdatum: "2020-08-17" });
    const mirror = mirrorOf([bronLeerlingOf(leerling("7"))], [bronInschrijvingOf(i2)], { historisch: [bronInschrijvingOf(i1)] });
    expect(run(lvsSnapshot([l], [i1, i2]), mirror).map((a) => a.type)).toEqual(["WIJZIGING_SLEUTELGEGEVENS"]);
  });

  it.each([
    ["vestiging", { vestiging: "00AA02" }],
    ["schoolsoort", { schoolsoort: "SBO" as const }],
    ["onderwijssoort", { onderwijssoort: "CLUSTER3" }],
    ["leerjaar", { leerjaar: 7 }],
    ["soortVerblijf", { soortVerblijf: "4" }],
    ["indicaties", { indicaties: [{ soort: "TLV", begindatum: "2019-08-15", einddatum: "2021-07-31", categorie: "LAAG" }] }],
    ["ambulanteBegeleiding", { ambulanteBegeleiding: { ondersteunendeVestiging: "00AA01", begindatum: "2020-01-01", ontvangendeVestiging: "11BB00" } }],
    ["bekostigd", { bekostigd: false }],
    ["klassenhistorie", { klassenhistorie: [{ leerjaar: 6, groep: null, begindatum: "2019-08-15" }, { leerjaar: 6, groep: "6B", begindatum: "2020-03-09" }] }],
    ["nnca", { nnca: true }],
    ["gewicht", { gewicht: 0.3 }],
    ["vve", { vve: true }],
    ["eindtoets", { eindtoets: { afnamedatum: "2020-04-16", toetsadvies: "HAVO", score: 540, redenGeenToets: null } }],
    ["schooladvies", { schooladvies: { advies: "HAVO", datum: "2020-02-10", herzienAdvies: null, herzienDatum: null } }],
  ])("rule: enrolment data differ (%s) → Wijziging onderwijsgegevens, a decision", (field, change) => {
    const p = inStep();
    const actions = run(lvsSnapshot([p.l], [{ ...p.i, ...change }]), mirrorOf([p.bl], [p.bi]));
    expect(actions.map(summary)).toEqual([{ type: "WIJZIGING_ONDERWIJSGEGEVENS", direction: "BRON", needsDecision: true, decision: null, leerlingId: "1001", inschrijvingId: "I1001" }]);
    expect(actions[0]!.fields.map((f) => f.field)).toEqual([field]);
  });

  it("nationalities compare as a set: another order in LVS2000 than in BRON is no difference", () => {
    const p = inStep();
    const l = { ...p.l, nationaliteiten: ["0052", "0001"] };
    expect(run(lvsSnapshot([l], [p.i]), mirrorOf([{ ...p.bl, nationaliteiten: ["0001", "0052"] }], [p.bi]))).toEqual([]);
  });

  it("klassenhistorie: a move to another group during the year differs from BRON although today's leerjaar is the same", () => {
    const p = inStep();
    const march = { ...p.i, klassenhistorie: [...p.i.klassenhistorie, { leerjaar: p.i.leerjaar, groep: "6B", begindatum: "2020-03-09" }] };
    const actions = run(lvsSnapshot([p.l], [march]), mirrorOf([p.bl], [p.bi]));
    expect(actions.map((a) => [a.type, a.fields.map((f) => f.field)])).toEqual([["WIJZIGING_ONDERWIJSGEGEVENS", ["klassenhistorie"]]]);
    expect(actions[0]!.fields[0]!.lvs).toEqual(march.klassenhistorie);
  });

  it("a herzien advies after the toets is one Wijziging onderwijsgegevens (the schooladvies field), not a new kind of action", () => {
    const p = inStep();
    const eindtoets = { afnamedatum: "2020-04-16", toetsadvies: "HAVO", score: 540, redenGeenToets: null };
    const advies = { advies: "VMBO_GLTL", datum: "2020-02-10", herzienAdvies: null, herzienDatum: null };
    const bron = { ...p.bi, leerjaar: 8, eindtoets, schooladvies: advies };
    const lvs = { ...p.i, leerjaar: 8, eindtoets, schooladvies: { ...advies, herzienAdvies: "HAVO", herzienDatum: "2020-05-28" } };
    const actions = run(lvsSnapshot([p.l], [lvs]), mirrorOf([p.bl], [bron]));
    expect(actions.map((a) => [a.type, a.fields.map((f) => f.field)])).toEqual([["WIJZIGING_ONDERWIJSGEGEVENS", ["schooladvies"]]]);
  });

  it("given an uitschrijving undone in LVS2000, when determining, then it is reported as a change of enrolment data", () => {
    const p = inStep();
    const mirror = mirrorOf([p.bl], [{ ...p.bi, uitschrijfdatum: "2026-07-31", redenUitschrijving: "VERHUIZING" }]);
    const actions = run(lvsSnapshot([p.l], [p.i]), mirror);
    expect(actions.map((a) => [a.type, a.fields.map((f) => f.field)])).toEqual([["WIJZIGING_ONDERWIJSGEGEVENS", ["uitschrijfdatum", "redenUitschrijving"]]]);
  });

  it.each([
    ["straat", { straat: "Kerkstraat" }, ["adres.straat"]],
    ["huisnummer + postcode", { huisnummer: 14, postcode: "3511AC" }, ["adres.huisnummer", "adres.postcode"]],
    ["land", { land: "5010" }, ["adres.land"]],
  ])("rule: GBA address in BRON differs from LVS (%s) → Overnemen adresgegevens in LVS, direction LVS, a decision", (_, change, fields) => {
    const p = inStep();
    const mirror = mirrorOf([{ ...p.bl, gbaAdres: { ...p.l.adres!, ...change } }], [p.bi]);
    const actions = run(lvsSnapshot([p.l], [p.i]), mirror);
    expect(actions.map(summary)).toEqual([{ type: "OVERNEMEN_ADRES_IN_LVS", direction: "LVS", needsDecision: true, decision: null, leerlingId: "1001", inschrijvingId: null }]);
    expect(actions[0]!.fields.map((f) => f.field)).toEqual(fields);
  });

  it.each([
    ["BRON has no GBA address", { gbaAdres: null }],
    ["the postcode differs only in spacing and case", { gbaAdres: { ...leerling("1001").adres!, postcode: "3511 ab" } }],
  ])("given %s, when determining, then no address action", (_, over) => {
    const p = inStep();
    expect(run(lvsSnapshot([p.l], [p.i]), mirrorOf([{ ...p.bl, ...over }], [p.bi]))).toEqual([]);
  });

  it("rule: an identificatieverzoek is never determined automatically", () => {
    const p = inStep();
    const lvs = lvsSnapshot([{ ...p.l, pgn: null }], [p.i]);
    const all = [...run(lvs, EMPTY_MIRROR), ...run(lvs, mirrorOf([{ ...p.bl, pgn: { soort: "ONDERWIJSNUMMER", nummer: "101234567" } }], [p.bi]))];
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((a) => a.type === "IDENTIFICATIEVERZOEK")).toEqual([]);
  });

  it("rule: only enrolments of the LVS snapshot's aanleverpunt count", () => {
    const p = inStep();
    const elsewhere = inschrijving("Z1", "1001", { aanleverpunt: "00AA01" });
    const bronElsewhere = bronInschrijvingOf(inschrijving("Z2", "1001", { aanleverpunt: "00AA01" }));
    expect(run(lvsSnapshot([p.l], [p.i, elsewhere]), mirrorOf([p.bl], [p.bi, bronElsewhere]))).toEqual([]);
  });

  it("given every action, then each is OPEN, not manual, has a Dutch reason and names no BSN or name", () => {
    const l = leerling("5", { achternaam: "Jansen", pgn: { soort: "BSN", nummer: "111222333" } });
    const i = inschrijving("I5", "5", { leerjaar: 3 });
    const mirror = mirrorOf([bronLeerlingOf(leerling("5"), { gbaAdres: null })], [bronInschrijvingOf(inschrijving("I5", "5"))]);
    const actions = run(lvsSnapshot([l], [i]), mirror);
    expect(actions).toHaveLength(2);
    for (const a of actions) {
      expect(a).toMatchObject({ status: "OPEN", manual: false, aanleverpunt: AP });
      expect(a.reason).toMatch(/LVS2000|BRON/);
      expect(a.reason).not.toMatch(/Jansen|Vries|Emma|111222333|123456782/);
    }
  });
});
