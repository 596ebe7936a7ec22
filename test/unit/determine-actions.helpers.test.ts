import { describe, expect, it } from "vitest";
import { deleteAction, deleteUnexecutedActions, memoryFrom, mergeDetermined, pendingFromActions } from "../../src/core/action-list.js";
import { evolve } from "../../src/core/action-lifecycle.js";
import { deadlineStatus, refreshDeadline, summarizeDeadlines, urgentActions } from "../../src/core/deadline.js";
import { determineActions } from "../../src/core/determine-actions.js";
import { createManualAction } from "../../src/core/manual-action.js";
import type { Action, ActionStatus, BronMirror, Keuze, LvsSnapshot } from "../../src/core/model.js";
import { NO_MEMORY, TODAY, inStep, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";

const p = inStep();
const lvs: LvsSnapshot = lvsSnapshot([{ ...p.l, achternaam: "Bakker", adres: { ...p.l.adres!, straat: "Kerkstraat" } }], [{ ...p.i, leerjaar: 7 }]);
const mirror: BronMirror = mirrorOf([p.bl], [p.bi]);

function determined(): Action[] {
  const r = determineActions(lvs, mirror, NO_MEMORY, TODAY);
  if (!r.ok) throw new Error(r.reason);
  return r.actions;
}
const byType = (t: Action["type"]) => determined().find((a) => a.type === t)!;
const withStatus = (a: Action, status: ActionStatus): Action => ({ ...a, status });

const BESLISSING = (keuze: Keuze) => ({ keuze, door: "j.jansen", op: "2026-11-28T10:00:00Z" });
/** A person's decision through the lifecycle; throws when it is refused. */
function decideAs(a: Action, keuze: Keuze): Action {
  const r = evolve(a, { kind: "decided", beslissing: BESLISSING(keuze) });
  if (!r.ok || r.action === null) throw new Error(r.ok ? "removed" : r.reason);
  return r.action;
}

describe("rule: a person can add an action by hand for any enrolment", () => {
  it("given an enrolment, when a person adds an identificatieverzoek, then it carries the LVS key data and goes ahead", () => {
    const r = createManualAction(lvs, mirror, { type: "IDENTIFICATIEVERZOEK", inschrijvingId: "I1001" }, NO_MEMORY, TODAY);
    expect(r.ok && r.action).toMatchObject({ type: "IDENTIFICATIEVERZOEK", direction: "BRON", manual: true, needsDecision: false, decision: null, status: "OPEN", leerlingId: "1001", inschrijvingId: null, deadline: null });
    expect(r.ok && r.action.fields.map((f) => f.field)).toEqual(["pgn", "voornamen", "voorvoegsels", "achternaam", "geslacht", "geboortedatum"]);
  });

  it.each([
    ["NIEUWE_INSCHRIJVING", "BRON"],
    ["WIJZIGING_ONDERWIJSGEGEVENS", "BRON"],
    ["CORRECTIE_INSCHRIJFDATUM", "BRON"],
    ["WIJZIGING_SLEUTELGEGEVENS", "BRON"],
    ["OVERNEMEN_ADRES_IN_LVS", "LVS"],
  ] as const)("given an enrolment, when a person adds %s by hand, then it is a manual action towards %s", (type, direction) => {
    const r = createManualAction(lvs, mirror, { type, inschrijvingId: "I1001" }, NO_MEMORY, TODAY);
    expect(r.ok && r.action).toMatchObject({ type, direction, manual: true });
    expect(r.ok && r.action.id).not.toBe(determined().find((a) => a.type === type)?.id);
  });

  it.each([
    ["UITSCHRIJVING", "I1001", "uitschrijfdatum"],
    ["VERWIJDERING_INSCHRIJVING", "NOPE", "niet in BRON"],
    ["NIEUWE_INSCHRIJVING", "NOPE", "niet bekend in LVS2000"],
  ] as const)("given %s for %s that cannot be made, then it is refused with a Dutch reason", (type, inschrijvingId, text) => {
    expect(createManualAction(lvs, mirror, { type, inschrijvingId }, NO_MEMORY, TODAY)).toEqual({ ok: false, reason: expect.stringContaining(text) });
  });

  it("given the same open manual action exists, when it is added again, then it is refused as a duplicate", () => {
    const first = createManualAction(lvs, mirror, { type: "IDENTIFICATIEVERZOEK", inschrijvingId: "I1001" }, NO_MEMORY, TODAY);
    if (!first.ok) throw new Error(first.reason);
    expect(createManualAction(lvs, mirror, { type: "IDENTIFICATIEVERZOEK", inschrijvingId: "I1001" }, NO_MEMORY, TODAY, [first.action]).ok).toBe(false);
  });
});

describe("rule: unexecuted actions can be deleted at once; a single one too, also an executed one", () => {
  const [a, b, c] = determined();
  const list = [withStatus(a!, "OPEN"), withStatus(b!, "IN_BEHANDELING"), withStatus(c!, "GECONTROLEERD")];

  it("given open, checked and sent actions, when deleting the unexecuted ones, then only the sent one stays", () => {
    expect(deleteUnexecutedActions(list).map((x) => x.status)).toEqual(["IN_BEHANDELING"]);
  });

  it("given a sent action, when deleting it, then it is hidden and no longer pending, so it is determined and sent again", () => {
    const r = deleteAction(list, b!.id);
    if (!r.ok) throw new Error(r.reason);
    expect(r.actions.map((x) => [x.id, x.status])).toEqual([[a!.id, "OPEN"], [b!.id, "VERWIJDERD"], [c!.id, "GECONTROLEERD"]]);
    expect(pendingFromActions(list)).toEqual([{ type: b!.type, leerlingId: b!.leerlingId, inschrijvingId: b!.inschrijvingId }]);
    expect(pendingFromActions(r.actions)).toEqual([]);
  });
});

describe("rule: a decision has three answers — negeren, naar BRON, naar LVS2000", () => {
  it("given negeren, then the action is GENEGEERD and its fingerprint joins the ignored list, so it is not determined again", () => {
    const a = byType("WIJZIGING_ONDERWIJSGEGEVENS");
    const r = decideAs(a, "NEGEREN");
    expect(r.status).toBe("GENEGEERD");
    const memory = memoryFrom([r], [{ ...r.decision!, fingerprint: a.fingerprint, actionId: a.id }]);
    expect(memory.ignored).toEqual([a.fingerprint]);
    const again = determineActions(lvs, mirror, memory, TODAY);
    expect(again.ok && again.actions.map((x) => x.type)).not.toContain("WIJZIGING_ONDERWIJSGEGEVENS");
  });

  it("given naar BRON, then the action goes ahead towards BRON", () => {
    const r = decideAs(byType("WIJZIGING_ONDERWIJSGEGEVENS"), "NAAR_BRON");
    expect(r).toMatchObject({ direction: "BRON", needsDecision: true, decision: { keuze: "NAAR_BRON", door: "j.jansen" }, status: "OPEN" });
  });

  it("given naar LVS2000 for key data, then BRON's values are taken into LVS2000 (direction LVS)", () => {
    const a = byType("WIJZIGING_SLEUTELGEGEVENS");
    const r = decideAs(a, "NAAR_LVS");
    expect(r).toMatchObject({ type: "WIJZIGING_SLEUTELGEGEVENS", direction: "LVS", decision: { keuze: "NAAR_LVS" }, id: a.id, fields: a.fields });
  });

  it("given key data turned to LVS2000, when choosing naar BRON after all, then it goes to BRON again with the original reason", () => {
    const a = byType("WIJZIGING_SLEUTELGEGEVENS");
    const back = decideAs(decideAs(a, "NAAR_LVS"), "NAAR_BRON");
    expect(back).toEqual({ ...a, decision: BESLISSING("NAAR_BRON") });
  });

  it.each([
    ["WIJZIGING_ONDERWIJSGEGEVENS", "NAAR_LVS"],
    ["OVERNEMEN_ADRES_IN_LVS", "NAAR_BRON"],
  ] as const)("given %s, when choosing %s, then it is refused", (type, keuze) => {
    expect(evolve(byType(type), { kind: "decided", beslissing: BESLISSING(keuze) })).toMatchObject({ ok: false, refusal: "NOT_APPLICABLE" });
  });

  it("given a sent action, when deciding, then it is refused", () => {
    expect(evolve(withStatus(byType("WIJZIGING_ONDERWIJSGEGEVENS"), "IN_BEHANDELING"), { kind: "decided", beslissing: BESLISSING("NEGEREN") })).toMatchObject({ ok: false, refusal: "BACKWARD" });
  });
});

describe("rule: the product shows what is close to or past the deadline", () => {
  const dl = (due: string) => ({ windowDays: 14 as const, since: "2026-11-01", due, daysLeft: 0 });

  it.each([
    ["2026-11-27", "VERLOPEN"],
    ["2026-11-28", "BIJNA_VERLOPEN"],
    ["2026-12-01", "BIJNA_VERLOPEN"],
    ["2026-12-02", "OP_TIJD"],
  ] as const)("given a deadline due %s, today (2026-11-28) it is %s", (due, status) => {
    expect(deadlineStatus(dl(due), TODAY)).toBe(status);
  });

  it("given stored actions, when shown on a later day, then daysLeft, the summary and the urgent list follow that day", () => {
    const actions = determined();
    expect(refreshDeadline(actions[0]!.deadline!, "2026-12-20").daysLeft).toBe(-8);
    expect(summarizeDeadlines(actions, "2026-12-10")).toEqual({ VERLOPEN: 0, ACHTERSTALLIG: 0, BIJNA_VERLOPEN: 3, OP_TIJD: 0, GEEN: 0 });
    expect(urgentActions(actions, "2026-12-10")).toHaveLength(3);
    expect(urgentActions(actions, TODAY)).toEqual([]);
  });
});

describe("memory and merging between runs", () => {
  it("given open actions, when deriving the memory, then firstSeen is each difference's first day", () => {
    const actions = determined();
    const m1 = memoryFrom(actions, [], { [actions[0]!.fingerprint]: "2026-11-20" });
    expect(Object.keys(m1.firstSeen).sort()).toEqual(actions.map((a) => a.fingerprint).sort());
    expect(m1.firstSeen[actions[0]!.fingerprint]).toBe("2026-11-20");
  });

  it("given a decided stored action, when merging a new determination, then the decision stays and gone differences drop", () => {
    const actions = determined();
    const decided = decideAs(actions[0]!, "NAAR_BRON");
    const stale = { ...actions[1]!, id: "WO-gone" };
    const merged = mergeDetermined([decided, stale], actions);
    expect(merged.map((a) => a.id)).toEqual(actions.map((a) => a.id));
    expect(merged[0]).toEqual(decided);
  });

  it("given a checked action whose difference changed before it was sent, when merging, then only the new one remains (the pupil is not sent twice)", () => {
    const actions = determined();
    const checkedStale = { ...actions[0]!, id: `${actions[0]!.id}-old`, status: "GECONTROLEERD" as const };
    const sent = { ...actions[1]!, id: `${actions[1]!.id}-sent`, status: "IN_BEHANDELING" as const };
    const merged = mergeDetermined([checkedStale, sent], actions);
    expect(merged.map((a) => a.id)).not.toContain(checkedStale.id);
    expect(merged.map((a) => a.id)).toContain(sent.id);
  });
});
