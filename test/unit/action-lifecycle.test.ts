import { describe, expect, it } from "vitest";
import { deleteAction, deleteUnexecutedActions, mergeDetermined } from "../../src/core/action-list.js";
import { AWAITING_BRON, evolve, EXECUTED, FINAL, goesAhead, TO_REPORT, UNSENT, waitsForDecision, type ActionEvent } from "../../src/core/action-lifecycle.js";
import { actionsAfterFeedback, applyFeedback } from "../../src/core/apply-feedback.js";
import { checkActions, checkRound } from "../../src/core/check-actions.js";
import { determineActions } from "../../src/core/determine-actions.js";
import { dutchDay } from "../../src/core/dates.js";
import { ActionStatus, type Action, type Keuze } from "../../src/core/model.js";
import { afterDelivery, afterLvsWrites, takeForSend } from "../../src/core/send-plan.js";
import { indexForSend } from "../../src/core/to-mutatie.js";
import { AP, TODAY, bronInschrijvingOf, bronLeerlingOf, inStep, inschrijving, leerling, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";

/** The action lifecycle (src/core/action-lifecycle.ts): every status change goes through evolve, forward only. */

const beslissing = (keuze: Keuze) => ({ keuze, door: "j.jansen", op: "2026-11-28T10:00:00Z" });
const action = (over: Partial<Action> = {}): Action =>
  ({
    id: "NI-1001", type: "NIEUWE_INSCHRIJVING", direction: "BRON", needsDecision: false, decision: null, manual: false, aanleverpunt: AP,
    leerlingId: "1001", inschrijvingId: "I1001", fields: [], fingerprint: "fp", deadline: null, reason: "r", status: "OPEN", ...over,
  }) as Action;
const moved = (a: Action, e: ActionEvent) => {
  const r = evolve(a, e);
  return r.ok ? (r.action === null ? "weg" : r.action.status) : `${r.refusal}`;
};

describe("the lifecycle in one place", () => {
  it("every status belongs to the groups it should, defined once", () => {
    expect([...UNSENT]).toEqual(["OPEN", "GECONTROLEERD"]);
    expect([...AWAITING_BRON]).toEqual(["IN_VERZENDING", "IN_BEHANDELING"]);
    expect([...EXECUTED]).toEqual(["IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT"]);
    expect([...TO_REPORT]).toEqual(["OPEN", "GECONTROLEERD", "IN_VERZENDING", "AFGEKEURD"]);
    expect([...FINAL]).toEqual(["GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD"]);
    for (const s of ActionStatus.options) expect(typeof moved(action({ status: s }), { kind: "deleted" })).toBe("string");
  });

  it("rule: an action moves forward only — OPEN → GECONTROLEERD → IN_VERZENDING → IN_BEHANDELING → GEACCEPTEERD", () => {
    let a = action();
    for (const [event, status] of [[{ kind: "checked", passed: true }, "GECONTROLEERD"], [{ kind: "batched" }, "IN_VERZENDING"], [{ kind: "sent" }, "IN_BEHANDELING"], [{ kind: "accepted" }, "GEACCEPTEERD"]] as const) {
      const r = evolve(a, event);
      if (!r.ok || r.action === null) throw new Error("refused");
      expect(r.action.status).toBe(status);
      a = r.action;
    }
    expect(evolve(a, { kind: "afgekeurd" })).toMatchObject({ ok: false, refusal: "BACKWARD", reason: "Actie NI-1001 heeft al status GEACCEPTEERD; AFGEKEURD kan niet meer" });
    expect(evolve(a, { kind: "checked", passed: true })).toMatchObject({ ok: false });
    expect(evolve(a, { kind: "decided", beslissing: beslissing("NEGEREN") })).toMatchObject({ ok: false, refusal: "BACKWARD" });
  });

  it("rule: an afkeur at the check keeps the action open (blocked), it can pass a later check", () => {
    expect(moved(action({ status: "GECONTROLEERD" }), { kind: "checked", passed: false })).toBe("OPEN");
    expect(moved(action(), { kind: "checked", passed: true })).toBe("GECONTROLEERD");
  });

  it("rule: a difference that needs a decision waits for one; deciding it records who and what, and lets it go ahead", () => {
    const waiting = action({ type: "WIJZIGING_ONDERWIJSGEGEVENS", needsDecision: true });
    expect(waitsForDecision(waiting)).toBe(true);
    expect(goesAhead(waiting)).toBe(false);
    expect(evolve(waiting, { kind: "checked", passed: true })).toMatchObject({ ok: false, refusal: "NOT_APPLICABLE", reason: "Deze actie wacht op een beslissing." });
    const r = evolve(waiting, { kind: "decided", beslissing: beslissing("NAAR_BRON") });
    if (!r.ok || r.action === null) throw new Error("refused");
    expect(r.action).toMatchObject({ status: "OPEN", needsDecision: true, decision: beslissing("NAAR_BRON") });
    expect(waitsForDecision(r.action)).toBe(false);
    expect(goesAhead(r.action)).toBe(true);
  });

  it("rule: an ignored action is GENEGEERD and never checked or sent", () => {
    const ignored = evolve(action({ needsDecision: true }), { kind: "decided", beslissing: beslissing("NEGEREN") });
    expect(ignored).toMatchObject({ ok: true, action: { status: "GENEGEERD", decision: { keuze: "NEGEREN" } } });
    if (!ignored.ok || ignored.action === null) throw new Error("refused");
    expect(goesAhead(ignored.action)).toBe(false);
    expect(moved(ignored.action, { kind: "batched" })).toBe("BACKWARD");
  });

  it("rule: an action in a recorded send batch cannot be decided or deleted (the API says why, in Dutch)", () => {
    const busy = action({ status: "IN_VERZENDING" });
    const reason = "Deze actie wordt op dit moment naar BRON verzonden; wacht tot de verzending klaar is.";
    expect(evolve(busy, { kind: "decided", beslissing: beslissing("NEGEREN") })).toEqual({ ok: false, reason, refusal: "BACKWARD" });
    expect(evolve(busy, { kind: "deleted" })).toEqual({ ok: false, reason, refusal: "BACKWARD" });
    expect(deleteAction([busy], busy.id)).toEqual({ ok: false, reason, notFound: false });
    expect(deleteUnexecutedActions([busy])).toEqual([busy]);
  });

  it("rule: BRON answering twice, or confirming a delivery after its answer, changes nothing", () => {
    expect(moved(action({ status: "GEACCEPTEERD" }), { kind: "accepted" })).toBe("GEACCEPTEERD");
    expect(moved(action({ status: "GEACCEPTEERD" }), { kind: "sent" })).toBe("GEACCEPTEERD");
    expect(moved(action({ status: "AFGEKEURD" }), { kind: "refused" })).toBe("AFGEKEURD");
  });

  it("rule: an action taken into LVS2000 is VERWERKT; it never goes to BRON", () => {
    const toLvs = action({ id: "OA-1", type: "OVERNEMEN_ADRES_IN_LVS", direction: "LVS", inschrijvingId: null, status: "GECONTROLEERD" });
    expect(moved(toLvs, { kind: "written" })).toBe("VERWERKT");
    expect(moved(toLvs, { kind: "batched" })).toBe("NOT_APPLICABLE");
    expect(moved(toLvs, { kind: "accepted" })).toBe("NOT_APPLICABLE");
  });

  it("rule: deleting a sent action (in behandeling) does not lose BRON's later answer — it is applied to the mirror, so nothing is sent again", () => {
    const p = inStep("1003");
    const sent = action({ id: "NI-1003", leerlingId: "1003", inschrijvingId: p.i.id, status: "IN_BEHANDELING" });
    const deleted = deleteAction([sent], sent.id);
    if (!deleted.ok) throw new Error(deleted.reason);
    expect(deleted.actions.map((a) => a.status)).toEqual(["VERWIJDERD"]);
    const r = applyFeedback(mirrorOf([], []), deleted.actions, [
      { id: "m1", aanleverpunt: AP, ontvangenOp: "2026-11-28T10:00:00Z", soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: sent.id, leerling: p.bl, inschrijving: p.bi, toegekendOnderwijsnummer: null, signalen: [] },
    ], TODAY);
    expect(r.failed).toEqual([]);
    expect(r.mirror.inschrijvingen).toEqual([p.bi]);
    expect(actionsAfterFeedback(deleted.actions, r).map((a) => a.status)).toEqual(["VERWIJDERD"]);
  });

  it("rule: a re-send after a person deleted a sent action carries a new mutatieId (BRON registers each id once)", () => {
    const tomb = action({ status: "VERWIJDERD", fields: [] });
    const fresh = action();
    expect(mergeDetermined([tomb], [fresh])).toEqual([tomb, { ...fresh, id: "NI-1001.2" }]);
    // deleted again after that re-send: the next one
    expect(mergeDetermined([tomb, { ...tomb, id: "NI-1001.2" }], [fresh]).map((a) => a.id)).toEqual(["NI-1001", "NI-1001.2", "NI-1001.3"]);
    // the re-sent action determined again is the same action (its decision and status kept)
    const resent = { ...fresh, id: "NI-1001.2", status: "GECONTROLEERD" as const };
    expect(mergeDetermined([tomb, resent], [fresh])).toEqual([tomb, resent]);
  });
});

describe("the bookkeeping of checks and sends lives in core", () => {
  const p = inStep();
  const lvs = lvsSnapshot([p.l], [p.i]);

  it("a check round moves what goes ahead and replaces that check's earlier signals; waiting ones stay", () => {
    const waiting = action({ id: "WO-1001", type: "WIJZIGING_ONDERWIJSGEGEVENS", needsDecision: true });
    const stale = { code: "OUD", ernst: "AFKEUR" as const, tekst: "oud", actionId: "NI-1001", field: null };
    const round = checkRound([action(), waiting], lvs, [stale], TODAY);
    expect(round.actions.map((a) => a.status)).toEqual(["GECONTROLEERD", "OPEN"]);
    expect(round.signals).toEqual([]);
    expect(round).toMatchObject({ gecontroleerd: 1, afkeur: 0, wachtOpBeslissing: 1 });
  });

  it("a send takes its checked actions (IN_VERZENDING) with their mutations; one that cannot be built stays checked with an afkeur", () => {
    const ix = indexForSend(lvs, mirrorOf([], []));
    const gone = action({ id: "NI-9", leerlingId: "9", inschrijvingId: "I9", status: "GECONTROLEERD" });
    const taken = takeForSend([action({ status: "GECONTROLEERD" }), gone], [], ix);
    expect(taken.actions.map((a) => a.status)).toEqual(["IN_VERZENDING", "GECONTROLEERD"]);
    expect(taken.mutaties.map((m) => m.mutatieId)).toEqual(["NI-1001"]);
    expect(taken.signals).toMatchObject([{ code: "VERZENDEN", ernst: "AFKEUR", actionId: "NI-9" }]);
  });

  it("a retry after a crash before the batches were recorded builds the left-over actions' batch again; those in a recorded batch are not rebuilt", () => {
    const ix = indexForSend(lvs, mirrorOf([], []));
    const left = action({ status: "IN_VERZENDING" });
    expect(takeForSend([left], [], ix).mutaties.map((m) => m.mutatieId)).toEqual(["NI-1001"]);
    expect(takeForSend([left], [{ messageId: "m", volgorde: 0, actionIds: ["NI-1001"], status: "GEPLAND" }], ix).mutaties).toEqual([]);
  });

  it("BRON's answer to a batch: In behandeling, or Afgekeurd with BRON's reason on each action", () => {
    const batch = { messageId: "m", volgorde: 0, actionIds: ["NI-1001"], status: "GEPLAND" as const };
    expect(afterDelivery([action({ status: "IN_VERZENDING" })], batch, { kind: "sent" }).actions[0]!.status).toBe("IN_BEHANDELING");
    const refused = afterDelivery([action({ status: "IN_VERZENDING" })], batch, { kind: "refused", code: "SCHEMA_ONGELDIG", melding: "x" });
    expect(refused.actions[0]!.status).toBe("AFGEKEURD");
    expect(refused.signals).toEqual([{ code: "SCHEMA_ONGELDIG", ernst: "AFKEUR", tekst: "BRON weigerde de levering: x", actionId: "NI-1001", field: null }]);
  });

  it("an LVS2000 write refused because LVS2000 changed meanwhile leaves the action checked, with an attentie", () => {
    const a = action({ id: "OA-1001", type: "OVERNEMEN_ADRES_IN_LVS", direction: "LVS", inschrijvingId: null, status: "GECONTROLEERD" });
    const w = { actionId: a.id, write: { soort: "GBA_ADRES" as const, leerlingId: "1001", adres: p.l.adres! } };
    expect(afterLvsWrites([a], [w], () => true)).toMatchObject({ verwerkt: 1, conflicten: 0, actions: [{ status: "VERWERKT" }] });
    expect(afterLvsWrites([a], [w], () => false)).toMatchObject({ verwerkt: 0, conflicten: 1, actions: [{ status: "GECONTROLEERD" }], signals: [{ code: "LVS_GEWIJZIGD", ernst: "ATTENTIE" }] });
  });
});

describe("rule: today is the date in the Netherlands", () => {
  it.each([
    ["2026-11-28T23:30:00Z", "2026-11-29"], // winter, UTC+1: 00:30 in the Netherlands
    ["2026-06-30T22:30:00Z", "2026-07-01"], // summer, UTC+2
    ["2026-06-30T21:59:00Z", "2026-06-30"],
  ])("at %s it is %s", (instant, day) => {
    expect(dutchDay(new Date(instant))).toBe(day);
  });
});

describe("rule: incomplete LVS2000 data never becomes a deletion", () => {
  it("a pupil without geboortedatum keeps its enrolment in the snapshot: BRON's enrolment is not proposed for deletion, and any action for it is an afkeur naming the field", async () => {
    const p = inStep();
    const lvs = { ...lvsSnapshot([], [p.i]), onvolledig: [{ id: p.l.id, velden: [{ veld: "geboortedatum", reden: "Geboortedatum ontbreekt" }] }] };
    const r = determineActions(lvs, mirrorOf([p.bl], [p.bi]), { ignored: [], pending: [], firstSeen: {} }, TODAY);
    expect(r.ok && r.actions.filter((a) => a.type === "VERWIJDERING_INSCHRIJVING")).toEqual([]);
    const signals = checkActions([action({ status: "OPEN" })], lvs, TODAY);
    expect(signals).toEqual([{ code: "LEERLING_ONVOLLEDIG", ernst: "AFKEUR", tekst: "Geboortedatum ontbreekt in LVS2000", actionId: "NI-1001", field: "geboortedatum" }]);
  });

  it("an enrolment row the relay had to leave out is not proposed for deletion either", async () => {
    const l = leerling("1001");
    const i = inschrijving("I1001", "1001");
    const lvs = { ...lvsSnapshot([l], []), uitgeslotenInschrijvingen: ["I1001"] };
    const r = determineActions(lvs, mirrorOf([bronLeerlingOf(l)], [bronInschrijvingOf(i)]), { ignored: [], pending: [], firstSeen: {} }, TODAY);
    expect(r).toEqual({ ok: true, actions: [] });
  });
});
