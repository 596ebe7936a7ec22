import { describe, expect, it } from "vitest";
import { determineActions } from "../../src/core/determine-actions.js";
import type { Action, ActionMemory, BronMirror, LvsSnapshot } from "../../src/core/model.js";
import { EMPTY_MIRROR, NO_MEMORY, TODAY, inStep, inschrijving, leerling, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";

function run(lvs: LvsSnapshot, mirror: BronMirror, memory: ActionMemory = NO_MEMORY, today = TODAY): Action[] {
  const r = determineActions(lvs, mirror, memory, today);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.actions;
}

describe("rule: first delivery with an empty mirror", () => {
  const pupils = [leerling("1"), leerling("2"), leerling("3"), leerling("4"), leerling("5")];
  const enrolments = [
    inschrijving("A", "1"),
    inschrijving("B", "2", { inschrijfdatum: "2010-08-16", uitschrijfdatum: "2016-07-31", redenUitschrijving: "VO" }),
    inschrijving("C", "3", { inschrijfdatum: "2002-08-19", uitschrijfdatum: "2008-08-01", redenUitschrijving: "VO" }),
    inschrijving("D", "4", { inschrijfdatum: "2001-08-20", uitschrijfdatum: "2008-07-31", redenUitschrijving: "VO" }),
    inschrijving("E", "5", { inschrijfdatum: "2027-01-04" }),
  ];

  it("given a never-fetched empty mirror, when determining, then every active enrolment and every deregistration on or after 1 August 2008 is delivered", () => {
    const actions = run(lvsSnapshot(pupils, enrolments), EMPTY_MIRROR);
    expect(actions.map((a) => [a.type, a.inschrijvingId, !a.needsDecision])).toEqual([
      ["NIEUWE_INSCHRIJVING", "A", true],
      ["NIEUWE_INSCHRIJVING", "B", true],
      ["NIEUWE_INSCHRIJVING", "C", true],
      ["NIEUWE_INSCHRIJVING", "E", true],
    ]);
    expect(actions[1]!.fields).toContainEqual({ field: "uitschrijfdatum", lvs: "2016-07-31", bron: null });
  });

  it("rule: a deregistration before 1 August 2008 is never delivered, also when BRON still shows the enrolment", () => {
    const d = enrolments[3]!;
    const bron = { inschrijvingId: "D", leerlingId: "4", aanleverpunt: d.aanleverpunt, inschrijfdatum: d.inschrijfdatum, uitschrijfdatum: null, redenUitschrijving: null, vestiging: d.vestiging, schoolsoort: d.schoolsoort, onderwijssoort: null, leerjaar: 6, soortVerblijf: null, indicaties: [], ambulanteBegeleiding: null, bekostigd: true, klassenhistorie: d.klassenhistorie, nnca: false, gewicht: null, vve: null, eindtoets: null, schooladvies: null };
    expect(run(lvsSnapshot([pupils[3]!], [d]), EMPTY_MIRROR)).toEqual([]);
    expect(run(lvsSnapshot([pupils[3]!], [d]), mirrorOf([], [bron]))).toEqual([]);
  });
});

describe("rule: the registratieoverzicht may be no older than 4 weeks", () => {
  const p = inStep();
  const lvs = lvsSnapshot([p.l], [p.i]);

  it.each([
    ["28 days old", "2026-10-31", true],
    ["29 days old", "2026-10-30", false],
    ["a year old", "2025-11-28", false],
  ])("given an overzicht %s, when determining, then ok is %s", (_, peildatum, ok) => {
    const r = determineActions(lvs, mirrorOf([p.bl], [p.bi], { peildatum, overzichtDatum: peildatum }), NO_MEMORY, TODAY);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toBe(`Het registratieoverzicht van BRON heeft peildatum ${peildatum} en is daarmee ouder dan 4 weken: haal eerst een actueel registratieoverzicht op (liefst van vandaag).`);
  });

  it("rule: the 4-week rule counts from the overzicht's peildatum, not from the day it was processed", () => {
    // asked on 30 October, processed a day later: 29 days from its peildatum
    const r = determineActions(lvs, mirrorOf([p.bl], [p.bi], { peildatum: "2026-10-30", overzichtDatum: "2026-10-31" }), NO_MEMORY, TODAY);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("peildatum 2026-10-30") });
  });

  it("rule: a historical overzicht (older peildatum) cannot be used for determining", () => {
    const r = determineActions(lvs, mirrorOf([p.bl], [p.bi], { peildatum: "2026-06-01", overzichtDatum: TODAY }), NO_MEMORY, TODAY);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("historisch overzicht (peildatum 2026-06-01)") });
  });

  it("rule: until the overzicht the service asked for has arrived, nothing is determined (an empty mirror is not a first delivery then)", () => {
    const r = determineActions(lvs, EMPTY_MIRROR, NO_MEMORY, TODAY, { requireOverzicht: true });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("aangevraagd maar nog niet ontvangen") });
  });

  it("given a mirror with data but no overzichtDatum, when determining, then it refuses: fetch an overzicht first", () => {
    const r = determineActions(lvs, mirrorOf([p.bl], [p.bi], { overzichtDatum: null }), NO_MEMORY, TODAY);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("nog geen registratieoverzicht") });
  });

  it("given an empty mirror fetched more than 4 weeks ago, when determining, then it refuses too", () => {
    expect(determineActions(lvs, { ...EMPTY_MIRROR, overzichtDatum: "2026-01-05" }, NO_MEMORY, TODAY).ok).toBe(false);
  });

  it("given a smaller limit in the options, when the overzicht is older, then it refuses", () => {
    const r = determineActions(lvs, mirrorOf([p.bl], [p.bi], { peildatum: "2026-11-20", overzichtDatum: "2026-11-20" }), NO_MEMORY, TODAY, { maxOverzichtAgeDays: 7 });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("ouder dan 1 week:") });
  });

  it("given LVS data of another aanleverpunt than the mirror, when determining, then it refuses", () => {
    const r = determineActions(lvs, { ...EMPTY_MIRROR, aanleverpunt: "00AA01" }, NO_MEMORY, TODAY);
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("00AA01") });
  });
});

describe("rule: an ignored difference is not asked again until the data behind it change", () => {
  const p = inStep();
  const mirror = mirrorOf([p.bl], [p.bi]);
  const lvs = lvsSnapshot([p.l], [{ ...p.i, leerjaar: 7 }]);

  it("given the fingerprint is ignored, when determining again, then the difference is not asked", () => {
    const [a] = run(lvs, mirror);
    expect(run(lvs, mirror, { ...NO_MEMORY, ignored: [a!.fingerprint] })).toEqual([]);
  });

  it("given the fingerprint is ignored, when the data behind it change, then it is asked again with a new fingerprint", () => {
    const [a] = run(lvs, mirror);
    const changed = run(lvsSnapshot([p.l], [{ ...p.i, leerjaar: 8 }]), mirror, { ...NO_MEMORY, ignored: [a!.fingerprint] });
    expect(changed.map((x) => x.type)).toEqual(["WIJZIGING_ONDERWIJSGEGEVENS"]);
    expect(changed[0]!.fingerprint).not.toBe(a!.fingerprint);
  });

  it("given the fingerprint is ignored, when BRON's side changes, then it is asked again", () => {
    const [a] = run(lvs, mirror);
    const again = run(lvs, mirrorOf([p.bl], [{ ...p.bi, leerjaar: 5 }]), { ...NO_MEMORY, ignored: [a!.fingerprint] });
    expect(again).toHaveLength(1);
  });
});

describe("rule: an action already sent and awaiting feedback is not determined again", () => {
  it("given a pending Uitschrijving, when determining, then it is not determined again but other differences are", () => {
    const p = inStep();
    const lvs = lvsSnapshot([{ ...p.l, achternaam: "Bakker" }], [{ ...p.i, uitschrijfdatum: "2026-11-01", leerjaar: 7 }]);
    const memory: ActionMemory = { ...NO_MEMORY, pending: [{ type: "UITSCHRIJVING", leerlingId: "1001", inschrijvingId: "I1001" }] };
    expect(run(lvs, mirrorOf([p.bl], [p.bi]), memory).map((a) => a.type)).toEqual(["WIJZIGING_SLEUTELGEGEVENS", "WIJZIGING_ONDERWIJSGEGEVENS"]);
  });

  it("given a pending pupil-level action (no inschrijving), when determining, then it is matched on type and leerling", () => {
    const p = inStep();
    const memory: ActionMemory = { ...NO_MEMORY, pending: [{ type: "WIJZIGING_SLEUTELGEGEVENS", leerlingId: "1001", inschrijvingId: null }] };
    expect(run(lvsSnapshot([{ ...p.l, achternaam: "Bakker" }], [p.i]), mirrorOf([p.bl], [p.bi]), memory)).toEqual([]);
  });
});

describe("rule: deadlines — 7 days for in/uitschrijvingen, two weeks for other changes", () => {
  const p = inStep();
  const lvs = lvsSnapshot([p.l], [{ ...p.i, leerjaar: 7 }]);
  const mirror = mirrorOf([p.bl], [p.bi]);

  it("given a change first seen today, then 14 days are left", () => {
    expect(run(lvs, mirror)[0]!.deadline).toEqual({ windowDays: 14, since: TODAY, due: "2026-12-12", daysLeft: 14 });
  });

  it.each([
    ["10 days ago", "2026-11-18", 4],
    ["14 days ago", "2026-11-14", 0],
    ["20 days ago", "2026-11-08", -6],
  ])("given a change first seen %s, then the window runs from that day (daysLeft %i, negative when overdue)", (_, firstSeen, daysLeft) => {
    const [a] = run(lvs, mirror);
    const [again] = run(lvs, mirror, { ...NO_MEMORY, firstSeen: { [a!.fingerprint]: firstSeen } });
    expect(again!.deadline).toMatchObject({ since: firstSeen, daysLeft });
  });
});

describe("stable ids and deterministic output", () => {
  const pupils = ["3", "1", "2"].map((id) => leerling(id, { achternaam: `X${id}` }));
  const enrolments = [inschrijving("C", "3", { leerjaar: 2 }), inschrijving("A", "1", { uitschrijfdatum: "2026-11-01" }), inschrijving("B", "2")];
  const bron = mirrorOf(
    ["1", "2", "3"].map((id) => ({ leerlingId: id, pgn: null, voornamen: "Emma", voorvoegsels: "de", achternaam: "Vries", geslacht: "V" as const, geboortedatum: "2015-03-14", gbaAdres: null, nationaliteiten: [] })),
    ["A", "C"].map((id) => ({ ...inStep().bi, inschrijvingId: id, leerlingId: id === "A" ? "1" : "3" })),
  );

  it("given the same difference, when determining twice (inputs in another order), then the same ids in the same order", () => {
    const first = run(lvsSnapshot(pupils, enrolments), bron);
    const second = run(lvsSnapshot([...pupils].reverse(), [...enrolments].reverse()), { ...bron, leerlingen: [...bron.leerlingen].reverse() });
    expect(second.map((a) => a.id)).toEqual(first.map((a) => a.id));
    expect(first.map((a) => [a.leerlingId, a.inschrijvingId, a.type])).toEqual([
      ["1", null, "WIJZIGING_SLEUTELGEGEVENS"],
      ["1", "A", "UITSCHRIJVING"],
      ["2", null, "WIJZIGING_SLEUTELGEGEVENS"],
      ["2", "B", "NIEUWE_INSCHRIJVING"],
      ["3", null, "WIJZIGING_SLEUTELGEGEVENS"],
      ["3", "C", "WIJZIGING_ONDERWIJSGEGEVENS"],
    ]);
  });

  it("given a different difference on the same enrolment, then a different id", () => {
    const a = run(lvsSnapshot(pupils, enrolments), bron);
    const b = run(lvsSnapshot(pupils, [inschrijving("C", "3", { leerjaar: 3 }), ...enrolments.slice(1)]), bron);
    expect(b.find((x) => x.inschrijvingId === "C")!.id).not.toBe(a.find((x) => x.inschrijvingId === "C")!.id);
  });

  it("given an id, then it names the type, pupil and enrolment", () => {
    expect(run(lvsSnapshot(pupils, enrolments), bron).find((a) => a.type === "UITSCHRIJVING")!.id).toMatch(/^UI-1-A-[0-9a-f]{16}$/);
  });
});
