import { TO_REPORT } from "./action-lifecycle.js";
import { addDays, daysBetween } from "./dates.js";
import type { Action, Deadline, IsoDate } from "./model.js";

/**
 * Reporting deadlines (domain.md, rule): DUO wants in- and uitschrijvingen within 7 days, the
 * Ministerie van OCW every other change within two weeks. The product shows what is close to or past
 * that deadline.
 */

/** DUO: in/uitschrijvingen within 7 days of the in/uitschrijfdatum. */
export const ENROLMENT_WINDOW_DAYS = 7;
/** OCW: every other change within two weeks of when it arose (first seen). */
export const CHANGE_WINDOW_DAYS = 14;
/** Days left at or below which a deadline counts as close ("bijna verlopen"). */
export const DEFAULT_CLOSE_DAYS = 3;

/** The window opened on `since`: due `windowDays` later; `daysLeft` counts from `today` (negative when overdue). */
export function computeDeadline(windowDays: 7 | 14, since: IsoDate, today: IsoDate): Deadline {
  const due = addDays(since, windowDays);
  return { windowDays, since, due, daysLeft: daysBetween(today, due) };
}

/** The same deadline seen from another day (a stored action's `daysLeft` is relative to when it was determined). */
export function refreshDeadline(deadline: Deadline, today: IsoDate): Deadline {
  return { ...deadline, daysLeft: daysBetween(today, deadline.due) };
}

export type DeadlineStatus = "VERLOPEN" | "ACHTERSTALLIG" | "BIJNA_VERLOPEN" | "OP_TIJD" | "GEEN";

/**
 * Where a deadline stands today: past (VERLOPEN), close (BIJNA_VERLOPEN, ≤ `closeDays` left), or in time.
 * Rule: historical enrolments of a first delivery are ACHTERSTALLIG (backlog), not thousands of days late.
 */
export function deadlineStatus(deadline: Deadline | null, today: IsoDate, closeDays = DEFAULT_CLOSE_DAYS): DeadlineStatus {
  if (deadline === null) return "GEEN";
  if (deadline.achterstallig === true) return "ACHTERSTALLIG";
  const left = daysBetween(today, deadline.due);
  if (left < 0) return "VERLOPEN";
  if (left <= closeDays) return "BIJNA_VERLOPEN";
  return "OP_TIJD";
}

export type DeadlineSummary = Record<DeadlineStatus, number>;

/** Counts of outstanding actions per deadline status, for the overview screen. */
export function summarizeDeadlines(actions: readonly Action[], today: IsoDate, closeDays = DEFAULT_CLOSE_DAYS): DeadlineSummary {
  const summary: DeadlineSummary = { VERLOPEN: 0, ACHTERSTALLIG: 0, BIJNA_VERLOPEN: 0, OP_TIJD: 0, GEEN: 0 };
  for (const a of actions) if (TO_REPORT.has(a.status)) summary[deadlineStatus(a.deadline, today, closeDays)]++;
  return summary;
}

/** Outstanding actions that are past or close to their deadline, most urgent first (then by id, deterministic). */
export function urgentActions(actions: readonly Action[], today: IsoDate, closeDays = DEFAULT_CLOSE_DAYS): Action[] {
  return actions
    .filter((a) => TO_REPORT.has(a.status) && a.deadline !== null && a.deadline.achterstallig !== true && daysBetween(today, a.deadline.due) <= closeDays)
    .sort((x, y) => (x.deadline!.due < y.deadline!.due ? -1 : x.deadline!.due > y.deadline!.due ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
