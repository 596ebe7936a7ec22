import { compareActions } from "./action-factory.js";
import type { Action, ActionMemory, ActionStatus, Decision, IsoDate } from "./model.js";

/**
 * Pure operations on the list of actions of one aanleverpunt (manual ch. 4/5 "Acties ongedaan maken"),
 * and the memory determineActions needs from it.
 */

/** Statuses of an action that was carried out: sent to BRON (awaiting, accepted, rejected) or written to LVS2000. */
const EXECUTED: ReadonlySet<ActionStatus> = new Set(["IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT"]);

export function isExecuted(action: Action): boolean {
  return EXECUTED.has(action.status);
}

/**
 * Rule: all unexecuted actions can be deleted at once, then determined again. Removes OPEN and
 * GECONTROLEERD actions; keeps executed ones and GENEGEERD ones (a recorded decision, not a pending action;
 * its fingerprint stays in memory.ignored either way).
 */
export function deleteUnexecutedActions(actions: readonly Action[]): Action[] {
  return actions.filter((a) => isExecuted(a) || a.status === "GENEGEERD");
}

/**
 * Rule: a single action can be deleted, also an executed one, so that it can be determined and sent
 * again after a failed delivery. An unknown id leaves the list as it is.
 */
export function deleteAction(actions: readonly Action[], id: string): Action[] {
  return actions.filter((a) => a.id !== id);
}

/**
 * Rule: an action already sent and awaiting feedback is not determined again. The pending list for
 * determineActions is exactly the actions IN_BEHANDELING. (Decided, not yet executed actions need no
 * entry: they keep their id, and mergeDetermined keeps the stored, decided one.)
 */
export function pendingFromActions(actions: readonly Action[]): ActionMemory["pending"] {
  return actions.filter((a) => a.status === "IN_BEHANDELING").map((a) => ({ type: a.type, leerlingId: a.leerlingId, inschrijvingId: a.inschrijvingId }));
}

/**
 * The memory for the next run: pending from the stored actions, the ignored fingerprints kept, and
 * `firstSeen` for every open difference (its first day kept; today for new ones; gone ones dropped)
 * so the 14-day window keeps running from the day a difference first appeared.
 */
export function rememberActions(memory: ActionMemory, actions: readonly Action[], today: IsoDate): ActionMemory {
  const firstSeen: Record<string, IsoDate> = {};
  for (const a of actions) {
    if (a.status === "OPEN" || a.status === "GECONTROLEERD") firstSeen[a.fingerprint] = memory.firstSeen[a.fingerprint] ?? today;
  }
  return { ignored: [...memory.ignored], pending: pendingFromActions(actions), firstSeen };
}

/**
 * Merges a fresh determination into the stored list. Kept: every action already sent, done or ignored,
 * every manual one, and every unsent (OPEN or GECONTROLEERD) one determined again (same id: same
 * difference, so its decision stays). Dropped: unsent determined actions whose difference is gone or
 * changed (a changed difference has a new id: keeping the old one would send the pupil twice). Added:
 * new differences. Sorted like determineActions.
 */
const UNSENT: ReadonlySet<ActionStatus> = new Set(["OPEN", "GECONTROLEERD"]);

export function mergeDetermined(stored: readonly Action[], determined: readonly Action[]): Action[] {
  const fresh = new Map(determined.map((a) => [a.id, a]));
  const out: Action[] = [];
  const kept = new Set<string>();
  for (const a of stored) {
    if (!UNSENT.has(a.status) || a.manual || fresh.has(a.id)) {
      out.push(a);
      kept.add(a.id);
    }
  }
  for (const a of determined) if (!kept.has(a.id)) out.push(a);
  return out.sort(compareActions);
}

/**
 * The memory determineActions needs, derived from what is stored rather than kept beside it:
 * ignored fingerprints from the decisions, pending from the actions in behandeling, and the first day
 * an open difference was seen from the 14-day deadline of its stored action.
 */
export function memoryFrom(actions: readonly Action[], decisions: readonly Decision[]): ActionMemory {
  const firstSeen: Record<string, IsoDate> = {};
  for (const a of actions) {
    if (UNSENT.has(a.status) && a.deadline?.windowDays === 14) firstSeen[a.fingerprint] = a.deadline.since;
  }
  return {
    ignored: decisions.filter((d) => d.keuze === "NEGEREN").map((d) => d.fingerprint),
    pending: pendingFromActions(actions),
    firstSeen,
  };
}
