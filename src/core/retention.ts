import { FINAL } from "./action-lifecycle.js";
import type { Action } from "./model.js";

/**
 * How long the service keeps personal data it does not need any more (docs/privacy.md). Pure: the
 * caller passes the moment a row last changed and "now"; the store applies what these decide.
 *
 * - A final action (geaccepteerd, afgekeurd, verwerkt, genegeerd) keeps its field values — names, PGN,
 *   address parts — for 13 months after its last change: a school year plus the month in which
 *   questions about last year's registrations come. Then the values go; the row stays without them
 *   (id, type, pupil and enrolment number, status), so the action's history stays readable and an action
 *   BRON received is never sent again under the same mutatieId (as with a deleted sent action's tombstone).
 * - The audit trail (who did what, who looked at which pupil) is kept for 2 years, then deleted.
 */
export const FINAL_ACTION_DETAIL_DAYS = 395;
export const AUDIT_DAYS = 730;

export const RETENTION_REASON = "De gegevens van deze afgeronde actie zijn na de bewaartermijn van 13 maanden verwijderd.";

const DAY_MS = 86_400_000;

/** The moment before which a row is past a retention of `days` (ISO). */
export function retentionCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** Whether a final action last changed at `changedAt` (ISO) has outlived the retention of its field values. */
export function detailExpired(action: Action, changedAt: string, now: Date): boolean {
  return FINAL.has(action.status) && changedAt < retentionCutoff(now, FINAL_ACTION_DETAIL_DAYS) && (action.fields.length > 0 || action.reason !== RETENTION_REASON);
}

/** The action without its field values (and without a reason that may quote them). */
export function withoutDetail(action: Action): Action {
  return { ...action, fields: [], reason: RETENTION_REASON };
}
