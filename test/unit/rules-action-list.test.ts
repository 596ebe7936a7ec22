import { describe, expect, it } from "vitest";
import { deleteAction, deleteUnexecutedActions, firstSeenOf, forgottenDecisions, memoryFrom, mergeDetermined, pendingFromActions } from "../../src/core/action-list.js";
import type { ActionStatus, Decision } from "../../src/core/model.js";
import { act, deadline } from "./rules-fixtures.js";

/** The action list of one aanleverpunt (manual ch. 4/5 "Acties ongedaan maken") and the memory between runs. */

const ALL: ActionStatus[] = ["OPEN", "GECONTROLEERD", "IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD", "VERWIJDERD"];
const decision = (fingerprint: string, keuze: Decision["keuze"]): Decision => ({ keuze, door: "j.jansen", op: "2026-11-28T10:00:00Z", fingerprint, actionId: `A-${fingerprint}` });

describe("rule: a single action can be deleted, also an executed one", () => {
  it("an unsent, ignored or LVS2000-written action is gone; the others stay as they are", () => {
    for (const status of ["OPEN", "GECONTROLEERD", "VERWERKT", "GENEGEERD"] as const) {
      const r = deleteAction([act("A", { status }), act("B")], "A");
      expect(r, status).toEqual({ ok: true, actions: [act("B")], removed: 1 });
    }
  });

  it("an action BRON received (in behandeling, geaccepteerd, afgekeurd) stays behind as a hidden tombstone without its field values", () => {
    for (const status of ["IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD"] as const) {
      expect(deleteAction([act("A", { status })], "A"), status).toEqual({ ok: true, actions: [act("A", { status: "VERWIJDERD", fields: [] })], removed: 1 });
    }
  });

  it("an action that is not there, or already deleted, does not exist (any more)", () => {
    const gone = { ok: false, reason: "Deze actie bestaat niet (meer).", notFound: true };
    expect(deleteAction([act("A")], "B")).toEqual(gone);
    expect(deleteAction([act("A", { status: "VERWIJDERD" })], "A")).toEqual(gone);
  });
});

describe("rule: all unexecuted actions can be deleted at once", () => {
  it("open and checked ones go; every other status stays", () => {
    const actions = ALL.map((status) => act(status, { status }));
    expect(deleteUnexecutedActions(actions).map((a) => a.status)).toEqual(["IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD", "VERWIJDERD"]);
  });
});

describe("rule: an action sent and awaiting feedback is not determined again", () => {
  it("pending are the actions being sent or in behandeling, by type, pupil and enrolment", () => {
    const actions = ALL.map((status, n) => act(`A${n}`, { status, leerlingId: String(n) }));
    expect(pendingFromActions(actions)).toEqual([
      { type: "NIEUWE_INSCHRIJVING", leerlingId: "2", inschrijvingId: "I1001" },
      { type: "NIEUWE_INSCHRIJVING", leerlingId: "3", inschrijvingId: "I1001" },
    ]);
  });
});

describe("rule: a new determination merges with what is stored", () => {
  it("the merged list is in the fixed order (by pupil), whatever order stored and new actions came in", () => {
    const stored = [act("B", { leerlingId: "2", status: "IN_BEHANDELING" })];
    const fresh = [act("C", { leerlingId: "3" }), act("A", { leerlingId: "1" })];
    expect(mergeDetermined(stored, fresh).map((a) => a.id)).toEqual(["A", "B", "C"]);
  });

  it("a manual unsent action stays although no determination finds it; a determined one whose difference is gone drops", () => {
    const manual = act("M", { manual: true });
    const stale = act("S");
    expect(mergeDetermined([manual, stale], []).map((a) => a.id)).toEqual(["M"]);
  });
});

describe("rule: the memory determineActions needs is derived from what is stored", () => {
  it("only decisions to ignore make a difference ignored", () => {
    const m = memoryFrom([], [decision("fp1", "NEGEREN"), decision("fp2", "NAAR_BRON"), decision("fp3", "NAAR_LVS"), decision("fp4", "NEGEREN")]);
    expect(m.ignored).toEqual(["fp1", "fp4"]);
  });

  it("the first day a difference was seen is the earliest known: the stored record or the open action", () => {
    const actions = [act("A", { fingerprint: "fpA", deadline: deadline("2026-11-24", { since: "2026-11-10" }) }), act("B", { fingerprint: "fpB", deadline: deadline("2026-12-05", { since: "2026-11-21" }) })];
    const m = memoryFrom(actions, [], { fpA: "2026-11-12", fpB: "2026-11-01", fpC: "2026-10-01" });
    expect(m.firstSeen).toEqual({ fpA: "2026-11-10", fpB: "2026-11-01", fpC: "2026-10-01" });
    expect(m.pending).toEqual([]);
  });

  it("only open differences with a 14-day window (from first seen) count; enrolments run from their date, sent ones are settled", () => {
    const actions = [
      act("A", { fingerprint: "fpA", deadline: deadline("2026-12-01", { since: "2026-11-17" }) }),
      act("B", { fingerprint: "fpB", status: "GECONTROLEERD", deadline: deadline("2026-12-01", { since: "2026-11-18" }) }),
      act("C", { fingerprint: "fpC", deadline: deadline("2026-12-01", { since: "2026-11-24", windowDays: 7 }) }),
      act("D", { fingerprint: "fpD", status: "IN_BEHANDELING", deadline: deadline("2026-12-01", { since: "2026-11-19" }) }),
      act("E", { fingerprint: "fpE", type: "IDENTIFICATIEVERZOEK", deadline: null }),
    ];
    expect(firstSeenOf(actions)).toEqual({ fpA: "2026-11-17", fpB: "2026-11-18" });
  });
});

describe("rule: deleting an action also forgets the decision taken on it, so the next run asks again", () => {
  const decided = (id: string, status: ActionStatus, keuze: Decision["keuze"] = "NEGEREN") => act(id, { status, needsDecision: true, decision: { keuze, door: "j.jansen", op: "2026-11-28T10:00:00Z" } });

  it("a deleted ignored action, or a decided one not yet sent, takes its decision with it", () => {
    const before = [decided("A", "GENEGEERD"), decided("B", "OPEN", "NAAR_BRON"), act("C")];
    const r = deleteAction(before, "A");
    expect(r.ok && forgottenDecisions(before, r.actions)).toEqual(["fp-A"]);
    expect(forgottenDecisions(before, deleteUnexecutedActions(before))).toEqual(["fp-B"]);
  });

  it("an undecided action, a deleted sent action's tombstone kept for BRON's answer, or another action on the same difference keep what there is", () => {
    const before = [act("U"), decided("S", "GEACCEPTEERD", "NAAR_BRON"), decided("D", "GENEGEERD"), act("D2", { fingerprint: "fp-D" })];
    const u = deleteAction(before, "U");
    expect(u.ok && forgottenDecisions(before, u.actions)).toEqual([]);
    const d = deleteAction(before, "D");
    expect(d.ok && forgottenDecisions(before, d.actions)).toEqual([]);
    // the tombstone is not shown: the decision on the sent difference goes (a re-send is a new choice)
    const s2 = deleteAction(before, "S");
    expect(s2.ok && s2.actions.find((a) => a.id === "S")?.status).toBe("VERWIJDERD");
    expect(s2.ok && forgottenDecisions(before, s2.actions)).toEqual(["fp-S"]);
  });

  it("nothing deleted, nothing forgotten", () => {
    const before = [decided("A", "GENEGEERD")];
    expect(forgottenDecisions(before, before)).toEqual([]);
  });
});
