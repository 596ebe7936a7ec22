import type { Action, ActionMemory, Decision } from "../core/model.js";
import { pendingFromActions } from "../core/action-list.js";

/**
 * The memory determineActions needs, derived from what is stored rather than kept beside it:
 * ignored fingerprints from the decisions, pending from the actions in behandeling, and the first day
 * an open difference was seen from the 14-day deadline of its stored action.
 */
export function memoryFrom(actions: readonly Action[], decisions: readonly Decision[]): ActionMemory {
  const firstSeen: Record<string, string> = {};
  for (const a of actions) {
    if ((a.status === "OPEN" || a.status === "GECONTROLEERD") && a.deadline?.windowDays === 14) firstSeen[a.fingerprint] = a.deadline.since;
  }
  return {
    ignored: decisions.filter((d) => d.keuze === "NEGEREN").map((d) => d.fingerprint),
    pending: pendingFromActions(actions),
    firstSeen,
  };
}
