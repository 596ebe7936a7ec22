import type { Refusal } from "./result.js";
import { compareActions } from "./action-factory.js";
import { AWAITING_BRON, evolve, isUnsent, isVisible, type Evolved } from "./action-lifecycle.js";
import type { Action, ActionMemory, Decision, IsoDate } from "./model.js";

/**
 * Pure operations on the list of actions of one aanleverpunt (manual ch. 4/5 "Acties ongedaan maken"),
 * and the memory determineActions needs from it. Every status change goes through `evolve`.
 */

export type DeleteResult = { ok: true; actions: Action[]; removed: number } | (Refusal & { notFound: boolean });

/**
 * Rule: a single action can be deleted, also an executed one, so that it can be determined and sent
 * again after a failed delivery. An action being sent cannot (its batch is recorded). A deleted action
 * in behandeling stays as a hidden tombstone, so BRON's later answer still reaches the mirror.
 */
export function deleteAction(actions: readonly Action[], id: string): DeleteResult {
  const target = actions.find((a) => a.id === id && a.status !== "VERWIJDERD");
  if (target === undefined) return { ok: false, reason: "Deze actie bestaat niet (meer).", notFound: true };
  const r = evolve(target, { kind: "deleted" });
  if (!r.ok) return { ok: false, reason: r.reason, notFound: false };
  return { ok: true, actions: replaceOne(actions, id, r), removed: 1 };
}

/**
 * Rule: all unexecuted actions can be deleted at once, then determined again. Removes the unsent ones
 * (OPEN, GECONTROLEERD); keeps executed, ignored and in-flight ones.
 */
export function deleteUnexecutedActions(actions: readonly Action[]): Action[] {
  return actions.filter((a) => !isUnsent(a));
}

/**
 * Rule: deleting an action also forgets the decision taken on it (the manual's "verwijderen en opnieuw
 * bepalen"): a difference whose ignored action a person deleted is asked again by the next run. Returns
 * the fingerprints whose decisions go: those of decided actions that `after` no longer shows, unless
 * another visible action there still stands on the same difference.
 */
export function forgottenDecisions(before: readonly Action[], after: readonly Action[]): string[] {
  const shownAfter = after.filter(isVisible);
  const still = new Set(shownAfter.map((a) => a.fingerprint));
  const shown = new Set(shownAfter.map((a) => a.id));
  return [...new Set(before.filter((a) => isVisible(a) && a.decision !== null && !shown.has(a.id) && !still.has(a.fingerprint)).map((a) => a.fingerprint))];
}

function replaceOne(actions: readonly Action[], id: string, r: Extract<Evolved, { ok: true }>): Action[] {
  return actions.flatMap((a) => (a.id !== id ? [a] : r.action === null ? [] : [r.action]));
}

/**
 * Rule: an action taken by a send and not yet answered is not determined again (matched on type,
 * leerling and inschrijving). Decided, not yet executed actions need no entry: they keep their id,
 * and mergeDetermined keeps the stored, decided one.
 */
export function pendingFromActions(actions: readonly Action[]): ActionMemory["pending"] {
  return actions.filter((a) => AWAITING_BRON.has(a.status)).map((a) => ({ type: a.type, leerlingId: a.leerlingId, inschrijvingId: a.inschrijvingId }));
}

/**
 * Merges a fresh determination into the stored list. Kept: every action taken by a send, done or
 * ignored, every manual one, and every unsent one determined again (same id: same difference, so its
 * decision stays). Dropped: unsent determined actions whose difference is gone or changed (a changed
 * difference has a new id: keeping the old one would send the pupil twice). Added: new differences.
 */
export function mergeDetermined(stored: readonly Action[], determinedAsIs: readonly Action[]): Action[] {
  const determined = afterDeletedSends(stored, determinedAsIs);
  const fresh = new Map(determined.map((a) => [a.id, a]));
  const out: Action[] = [];
  const kept = new Set<string>();
  for (const a of stored) {
    const again = fresh.get(a.id);
    if (again !== undefined) {
      const r = evolve(a, { kind: "determined", fresh: again });
      if (r.ok && r.action !== null) out.push(r.action);
      kept.add(a.id);
    } else if (!isUnsent(a) || a.manual) out.push(a);
  }
  for (const a of determined) if (!kept.has(a.id)) out.push(a);
  return out.sort(compareActions);
}

/**
 * Rule: a re-send after a person deleted a sent action carries a new mutatieId — BRON registers a
 * mutation once per id, so the same id sent again would be a duplicate. The same difference determined
 * again maps to the first of `id`, `id.2`, `id.3`, … that is no tombstone of a deleted send.
 */
function afterDeletedSends(stored: readonly Action[], determined: readonly Action[]): Action[] {
  const tombstones = new Set(stored.filter((a) => a.status === "VERWIJDERD").map((a) => a.id));
  if (tombstones.size === 0) return [...determined];
  return determined.map((a) => {
    let id = a.id;
    for (let n = 2; tombstones.has(id); n++) id = `${a.id}.${n}`;
    return id === a.id ? a : { ...a, id };
  });
}

/**
 * The memory determineActions needs, derived from what is stored rather than kept beside it:
 * ignored fingerprints from the decisions, pending from the actions awaiting BRON, and the first day
 * each difference was seen from the stored record of it (kept even when its action was deleted, so a
 * deadline never restarts).
 */
export function memoryFrom(actions: readonly Action[], decisions: readonly Decision[], firstSeen: Readonly<Record<string, IsoDate>> = {}): ActionMemory {
  const seen: Record<string, IsoDate> = { ...firstSeen };
  for (const [fp, day] of Object.entries(firstSeenOf(actions))) if (seen[fp] === undefined || day < seen[fp]) seen[fp] = day;
  return {
    ignored: decisions.filter((d) => d.keuze === "NEGEREN").map((d) => d.fingerprint),
    pending: pendingFromActions(actions),
    firstSeen: seen,
  };
}

/**
 * Rule: a deadline runs from the day the change happened (an enrolment's date) or, where no date
 * applies, from the day the difference was first seen — and never restarts when unsent actions are
 * deleted. This is the record to keep beside the actions: first day per open difference with a 14-day window.
 */
export function firstSeenOf(actions: readonly Action[]): Record<string, IsoDate> {
  const seen: Record<string, IsoDate> = {};
  for (const a of actions) if (isUnsent(a) && a.deadline?.windowDays === 14) seen[a.fingerprint] = a.deadline.since;
  return seen;
}
