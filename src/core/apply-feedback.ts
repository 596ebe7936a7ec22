import { applyAfkeur, applyDubbeleInschrijving, applyGeaccepteerd, applyRegistratieoverzicht, applySpontaneMutatie, applyWijzigingSleutelgegevens, type FeedbackRun, type HandlerResult } from "./feedback-handlers.js";
import { MirrorState } from "./mirror-state.js";
import type { Action, BronMirror, FeedbackMessage, IsoDate, LvsWrite, Signal } from "./model.js";

export interface ActionUpdate {
  actionId: string;
  /** the action as BRON's answer left it; null: a deleted action whose answer is now applied (its row goes) */
  action: Action | null;
  /** BRON's signals on this action (the afkeur reason, or attentiesignalen with an acceptance) */
  signals: Signal[];
}

export interface FeedbackResult {
  mirror: BronMirror;
  /** one per action whose status changed, in the order of the first message about it */
  actionUpdates: ActionUpdate[];
  /** writes LVS2000 must get at once: assigned PGNs, spontane mutaties, found BSNs */
  lvsWrites: LvsWrite[];
  /** every signal this feedback produced: per-action signals (actionId set) and dubbele inschrijvingen */
  signals: Signal[];
  /** messages that could not be processed, with a Dutch error; they changed nothing and must be kept */
  failed: { messageId: string; error: string }[];
}

/**
 * Terugkoppeling verwerken (domain.md "Rules: feedback"): applies BRON's feedback messages to the mirror,
 * moves the actions they answer forward (messages link to actions by mutatieId = action id) and lists
 * what must be written to LVS2000 at once.
 *
 * Messages are applied in the order BRON delivered them (ontvangenOp; ties keep the given order), each
 * one whole or not at all. Rule: feedback is never lost — a message that cannot be processed (an unknown
 * mutation, another aanleverpunt, an action already final, …) goes to `failed` with its error, and the
 * others still apply. Pure: the inputs are not changed.
 */
export function applyFeedback(mirror: BronMirror, actions: readonly Action[], messages: readonly FeedbackMessage[], today: IsoDate): FeedbackResult {
  const run: FeedbackRun = {
    st: new MirrorState(mirror),
    today,
    actions: new Map(actions.map((a) => [a.id, a])),
    updates: new Map(),
    lvsWrites: [],
    signals: [],
  };
  const failed: FeedbackResult["failed"] = [];
  for (const m of inArrivalOrder(messages)) {
    const error = m.aanleverpunt !== run.st.aanleverpunt ? `Bericht is voor aanleverpunt ${m.aanleverpunt}, niet voor ${run.st.aanleverpunt}` : dispatch(run, m);
    if (error !== null) failed.push({ messageId: m.id, error });
  }
  return { mirror: run.st.toMirror(), actionUpdates: [...run.updates.values()], lvsWrites: run.lvsWrites, signals: run.signals, failed };
}

function dispatch(run: FeedbackRun, m: FeedbackMessage): HandlerResult {
  switch (m.soort) {
    case "AFKEUR":
      return applyAfkeur(run, m);
    case "INSCHRIJVING_GEACCEPTEERD":
      return applyGeaccepteerd(run, m);
    case "SPONTANE_MUTATIE":
      return applySpontaneMutatie(run, m);
    case "WIJZIGING_SLEUTELGEGEVENS":
      return applyWijzigingSleutelgegevens(run, m);
    case "DUBBELE_INSCHRIJVING":
      return applyDubbeleInschrijving(run, m);
    case "REGISTRATIEOVERZICHT":
      return applyRegistratieoverzicht(run, m);
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustive switch — the compiler proves every case is handled, so this branch never runs
    default: {
      const never: never = m;
      return `Onbekende soort terugkoppeling: ${(never as { soort: string }).soort}`;
    }
  }
}

/** Stable sort on the moment BRON delivered each message. */
function inArrivalOrder(messages: readonly FeedbackMessage[]): FeedbackMessage[] {
  return messages
    .map((m, i) => ({ m, i, t: Date.parse(m.ontvangenOp) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.m);
}

/** The stored action list after feedback: answered actions moved on, deleted actions whose answer arrived gone. */
export function actionsAfterFeedback(actions: readonly Action[], result: FeedbackResult): Action[] {
  const updates = new Map(result.actionUpdates.map((u) => [u.actionId, u]));
  return actions.flatMap((a) => {
    const u = updates.get(a.id);
    if (u === undefined) return [a];
    return u.action === null ? [] : [u.action];
  });
}

/**
 * The signals after feedback: BRON's answer replaces the earlier signals of the actions it answers;
 * signals without an action (dubbele inschrijvingen, re-reported until fixed) are the current ones only,
 * each once.
 */
export function signalsAfterFeedback(previous: readonly Signal[], result: FeedbackResult): Signal[] {
  const answered = new Set(result.actionUpdates.map((u) => u.actionId));
  const kept = previous.filter((s) => s.actionId !== null && !answered.has(s.actionId));
  const current = new Map(result.signals.map((s) => [`${s.actionId ?? ""}|${s.code}|${s.tekst}`, s]));
  return [...kept, ...current.values()];
}
