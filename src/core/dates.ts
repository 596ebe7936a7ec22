import type { IsoDate } from "./model.js";

/** Day arithmetic on ISO calendar dates (UTC, no clock: "today" is always passed in). */
const DAY_MS = 86_400_000;

export function toDayNumber(date: IsoDate): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

const NL_DAY = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" });

/**
 * Rule: "today" is the date in the Netherlands, everywhere (orchestration, relay, admin views, CLI): a run
 * at 00:30 Dutch time counts deadlines from that day, not from yesterday's UTC date. Pure: the instant
 * comes in as data.
 */
export function dutchDay(instant: Date): IsoDate {
  return NL_DAY.format(instant);
}
