/** Days between 0001-01-01 and 1970-01-01 (proleptic Gregorian), the epoch of TDS DATE/DATETIME2. */
export const DAYS_TO_UNIX_EPOCH = 719162;
/** Days between 1900-01-01 and 1970-01-01, the epoch of TDS DATETIME. */
export const DAYS_1900_TO_UNIX = 25567;
const MS_PER_DAY = 86_400_000;

export interface DateTimeParts {
  /** days since 1970-01-01 */
  epochDay: number;
  /** time of day in 100-nanosecond ticks */
  ticks: number;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function utcDay(year: number, month: number, day: number): number | undefined {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return Math.floor(d.getTime() / MS_PER_DAY);
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses how this server stores dates in SQLite ("YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS.fffffff", ISO with
 * "T"/"Z"). Returns undefined for text that is not a real date (SQL Server would refuse it: error 241).
 */
export function parseStoredDateTime(text: string): DateTimeParts | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const epochDay = utcDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (epochDay === undefined) return undefined;
  const [h, min, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return undefined;
  const fraction = Number((m[7] ?? "").padEnd(7, "0").slice(0, 7));
  let ticks = ((h * 60 + min) * 60 + s) * 10_000_000 + fraction;
  let day = epochDay;
  const offset = m[8];
  if (offset && offset !== "Z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
    ticks -= minutes * 60 * 10_000_000;
    const dayTicks = 864_000_000_000;
    day += Math.floor(ticks / dayTicks);
    ticks = ((ticks % dayTicks) + dayTicks) % dayTicks;
  }
  return { epochDay: day, ticks };
}

/** "YYYY-MM-DD" for a day count since 1970-01-01. */
export function formatDate(epochDay: number): string {
  const d = new Date(epochDay * MS_PER_DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** "YYYY-MM-DD HH:MM:SS[.f…]" with `digits` fraction digits (the stored form of DATETIME2/DATETIME). */
export function formatDateTime(epochDay: number, ticks: number, digits = 7): string {
  const totalSeconds = Math.floor(ticks / 10_000_000);
  const fraction = String(ticks % 10_000_000).padStart(7, "0").slice(0, digits);
  const hms = `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}`;
  return `${formatDate(epochDay)} ${hms}${digits > 0 ? "." + fraction : ""}`;
}

/** The stored form of a JS Date (UTC), as GETDATE() and friends return it. */
export function formatJsDate(d: Date, digits = 3): string {
  const ms = d.getTime();
  const epochDay = Math.floor(ms / MS_PER_DAY);
  return formatDateTime(epochDay, (ms - epochDay * MS_PER_DAY) * 10_000, digits);
}
