import { DAYS_1900_TO_UNIX, formatDate, parseStoredDateTime } from "./datetime.js";
import { SqlError, Unsupported } from "./sql-error.js";

/**
 * CAST/CONVERT as SQL Server does them, for the values this server stores (dates as ISO text): string →
 * date/time with SQL Server's literal rules (language us_english, DATEFORMAT mdy) and the CONVERT styles
 * below; date/time → string by style; string → integer/decimal/float with SQL Server's errors (245, 8114, 8115).
 * Anything outside these rules is refused with an error naming the gap, never converted some other way.
 */

const TICKS_PER_DAY = 864_000_000_000;
const TICKS_PER_MS = 10_000;

export type DateKind = "DATE" | "DATETIME" | "SMALLDATETIME" | "DATETIME2" | "DATETIMEOFFSET" | "TIME";
export const DATE_KINDS = new Set<string>(["DATE", "DATETIME", "SMALLDATETIME", "DATETIME2", "DATETIMEOFFSET", "TIME"]);

/** A point in time as this server keeps it: day since 1970-01-01 and 100-ns ticks of the day (UTC for DATETIMEOFFSET). */
export interface Instant {
  day: number;
  ticks: number;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const MONTH_NAMES = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"];

/** CONVERT styles this server knows: the date order they read, and how they print. */
const STYLES: Record<number, { order: "mdy" | "dmy" | "ymd"; century: boolean }> = {
  0: { order: "mdy", century: true }, 100: { order: "mdy", century: true },
  1: { order: "mdy", century: false }, 101: { order: "mdy", century: true },
  2: { order: "ymd", century: false }, 102: { order: "ymd", century: true },
  3: { order: "dmy", century: false }, 103: { order: "dmy", century: true },
  4: { order: "dmy", century: false }, 104: { order: "dmy", century: true },
  5: { order: "dmy", century: false }, 105: { order: "dmy", century: true },
  10: { order: "mdy", century: false }, 110: { order: "mdy", century: true },
  11: { order: "ymd", century: false }, 111: { order: "ymd", century: true },
  12: { order: "ymd", century: false }, 112: { order: "ymd", century: true },
  20: { order: "ymd", century: true }, 120: { order: "ymd", century: true },
  21: { order: "ymd", century: true }, 121: { order: "ymd", century: true }, 25: { order: "ymd", century: true },
  23: { order: "ymd", century: true }, 126: { order: "ymd", century: true }, 127: { order: "ymd", century: true },
};
export const SUPPORTED_STYLES = Object.keys(STYLES).map(Number).sort((a, b) => a - b);

function styleOf(style: number | null): (typeof STYLES)[number] {
  const s = STYLES[style ?? 0];
  if (!s) throw new Unsupported(`CONVERT style ${style} for date/time is not supported by this test server (supported: ${SUPPORTED_STYLES.join(", ")}).`);
  return s;
}

const conversionFailed = () => new SqlError(241, "Conversion failed when converting date and/or time from character string.");

function dayOf(y: number, m: number, d: number): number | undefined {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return Math.floor(date.getTime() / 86_400_000);
}

/** Two-digit years: 00–49 → 20xx, 50–99 → 19xx (SQL Server's two digit year cutoff 2049). */
function fullYear(text: string): number {
  const n = Number(text);
  if (text.length > 2) return n;
  return n < 50 ? 2000 + n : 1900 + n;
}

function monthNumber(word: string): number | undefined {
  const w = word.toUpperCase().replace(/\.$/, "");
  const short = MONTHS.indexOf(w);
  if (short >= 0) return short + 1;
  const long = MONTH_NAMES.indexOf(w);
  return long >= 0 ? long + 1 : undefined;
}

const TIME = /^(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.:](\d{1,7}))?)?)?\s*(AM|PM)?$/i;

/** "hh:mm[:ss[.fffffff]] [AM|PM]" → ticks; undefined when malformed. */
function parseTime(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  const s = Number(m[3] ?? 0);
  const ampm = m[5]?.toUpperCase();
  if (m[2] === undefined && !ampm) return undefined;
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm === "PM" ? 12 : 0);
  }
  if (h > 23 || min > 59 || s > 59) return undefined;
  const fraction = Number((m[4] ?? "").padEnd(7, "0").slice(0, 7));
  return ((h * 60 + min) * 60 + s) * 10_000_000 + fraction;
}

interface Parsed extends Instant {
  /** minutes east of UTC given in the text (ISO 8601 Z / ±hh:mm) */
  offset: number | undefined;
}

/** Splits "date[ T]time" where the time part starts at the first space or T followed by a digit and a colon. */
function splitDateTime(text: string): [string, string | undefined] {
  const iso = /^(\d{4}-\d{1,2}-\d{1,2})T(.+)$/.exec(text);
  if (iso) return [iso[1] ?? "", iso[2]];
  const m = /^(.*?)\s+(\d{1,2}(?::\d{1,2}.*|\s*[AaPp][Mm]))$/.exec(text);
  return m ? [m[1] ?? "", m[2]] : [text, undefined];
}

/**
 * Reads a character string as SQL Server reads a date/time literal (us_english, DATEFORMAT mdy), or with a
 * CONVERT style's date order. Accepted: 'YYYYMMDD' / 'YYMMDD' (unseparated), 'YYYY-MM-DD' and other
 * year-first forms, ISO 8601 'YYYY-MM-DDThh:mm:ss[.fffffff][Z|±hh:mm]', numeric dates with / - . in the
 * style's order (mdy without a style), 'Mon dd yyyy' and 'dd Mon yyyy', each optionally followed by a time
 * 'hh:mm[:ss[.fffffff]] [AM|PM]'; a time alone is on 1900-01-01, '' is 1900-01-01 00:00. Else error 241.
 */
export function parseDateTimeText(input: string, style: number | null = null): Parsed {
  const s = styleOf(style);
  let text = input.trim();
  let offset: number | undefined;
  const zone = /(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (zone && /\d/.test(text.charAt(zone.index - 1))) {
    offset = zone[1] ? (zone[1] === "-" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 0;
    text = text.slice(0, zone.index).trim();
  }
  if (text === "") return { day: DAYS_1900, ticks: 0, offset };
  const [datePart, timePart] = splitDateTime(text);
  let ticks = 0;
  if (timePart !== undefined) {
    const t = parseTime(timePart);
    if (t === undefined) throw conversionFailed();
    ticks = t;
  }
  const onlyTime = parseTime(datePart);
  if (timePart === undefined && onlyTime !== undefined && /:|[AaPp][Mm]/.test(datePart)) return { day: DAYS_1900, ticks: onlyTime, offset };
  const day = parseDate(datePart, s.order);
  if (day === undefined) throw conversionFailed();
  return { day, ticks, offset };
}

const DAYS_1900 = -DAYS_1900_TO_UNIX;

function parseDate(text: string, order: "mdy" | "dmy" | "ymd"): number | undefined {
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(text) ?? /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (m) return dayOf(fullYear(m[1] ?? ""), Number(m[2]), Number(m[3]));
  m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (m) return dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(text);
  if (m) {
    const [a, b, c] = [Number(m[1]), Number(m[2]), m[3] ?? ""];
    if (order === "dmy") return dayOf(fullYear(c), b, a);
    if (order === "ymd") return dayOf(fullYear(m[1] ?? ""), b, Number(c));
    return dayOf(fullYear(c), a, b);
  }
  m = /^([A-Za-z]+\.?)\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
  if (m) {
    const month = monthNumber(m[1] ?? "");
    return month ? dayOf(Number(m[3]), month, Number(m[2])) : undefined;
  }
  m = /^(\d{1,2})\s+([A-Za-z]+\.?),?\s+(\d{4})$/.exec(text);
  if (m) {
    const month = monthNumber(m[2] ?? "");
    return month ? dayOf(Number(m[3]), month, Number(m[1])) : undefined;
  }
  return undefined;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Stored text of a value of a date/time type (the form every value of that type has in SQLite here). */
export function storedText(kind: DateKind, scale: number, v: Instant): string {
  const date = formatDate(v.day);
  const secs = Math.floor(v.ticks / 10_000_000);
  const hms = `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
  const fraction = (digits: number) => (digits > 0 ? "." + String(v.ticks % 10_000_000).padStart(7, "0").slice(0, digits) : "");
  switch (kind) {
    case "DATE": return date;
    case "TIME": return `${hms}${fraction(scale)}`;
    case "DATETIME": case "SMALLDATETIME": return `${date} ${hms}${fraction(3)}`;
    default: return `${date} ${hms}${fraction(scale)}`;
  }
}

/** Rounds to what the type can hold: DATETIME to 1/300 s, SMALLDATETIME to the minute, DATETIME2/TIME to `scale` digits. */
function fit(kind: DateKind, scale: number, v: Instant): Instant {
  let { day, ticks } = v;
  if (kind === "DATE") return { day, ticks: 0 };
  if (kind === "DATETIME") {
    const ms = ticks / TICKS_PER_MS;
    const t300 = Math.round((ms * 3) / 10);
    ticks = Math.round((t300 * 10) / 3) * TICKS_PER_MS;
  } else if (kind === "SMALLDATETIME") {
    ticks = Math.round(ticks / 600_000_000) * 600_000_000;
  } else {
    const unit = 10 ** (7 - scale);
    ticks = Math.round(ticks / unit) * unit;
  }
  if (ticks >= TICKS_PER_DAY) {
    ticks -= TICKS_PER_DAY;
    day += 1;
  }
  if (kind === "TIME") day = 0;
  return { day, ticks };
}

function checkRange(kind: DateKind, v: Instant, from: string): void {
  const year = new Date(v.day * 86_400_000).getUTCFullYear();
  if (kind === "DATETIME" && (year < 1753 || year > 9999)) {
    throw new SqlError(242, `The conversion of a ${from} data type to a datetime data type resulted in an out-of-range value.`);
  }
  if (kind === "SMALLDATETIME" && (v.day < DAYS_1900 || formatDate(v.day) > "2079-06-06")) {
    throw new SqlError(242, `The conversion of a ${from} data type to a smalldatetime data type resulted in an out-of-range value.`);
  }
}

/** A stored value (or any text) as an instant; numbers are DATETIME's days since 1900-01-01. */
function instantOf(value: unknown, kind: DateKind, style: number | null): Instant {
  if (typeof value === "number" || typeof value === "bigint") {
    if (kind !== "DATETIME" && kind !== "SMALLDATETIME") {
      throw new SqlError(529, `Explicit conversion from data type int to ${kind.toLowerCase()} is not allowed.`);
    }
    const days = Number(value);
    const whole = Math.floor(days);
    return { day: whole + DAYS_1900, ticks: Math.round((days - whole) * TICKS_PER_DAY) };
  }
  if (Buffer.isBuffer(value)) throw new SqlError(529, `Explicit conversion from data type varbinary to ${kind.toLowerCase()} is not allowed.`);
  const text = String(value);
  const stored = style === null ? parseStoredDateTime(text) : undefined;
  if (stored && /^\d{4}-\d{2}-\d{2}/.test(text.trim()) && !/[zZ]|[+-]\d{2}:\d{2}$/.test(text.trim())) return { day: stored.epochDay, ticks: stored.ticks };
  const p = parseDateTimeText(text, style);
  if (p.offset !== undefined && kind !== "DATETIMEOFFSET") {
    // SQL Server drops the offset when converting to a type without one (keeps the local time)
    return { day: p.day, ticks: p.ticks };
  }
  if (p.offset !== undefined) {
    let ticks = p.ticks - p.offset * 600_000_000;
    let day = p.day;
    day += Math.floor(ticks / TICKS_PER_DAY);
    ticks = ((ticks % TICKS_PER_DAY) + TICKS_PER_DAY) % TICKS_PER_DAY;
    return { day, ticks };
  }
  return { day: p.day, ticks: p.ticks };
}

/** CAST/CONVERT(<date/time type>, value[, style]) → stored text; errors as SQL Server (241, 242, 529). */
export function toDateTime(kind: DateKind, scale: number, value: unknown, style: number | null): string {
  const v = fit(kind, scale, instantOf(value, kind, style));
  checkRange(kind, v, typeof value === "string" ? "varchar" : "datetime2");
  return storedText(kind, scale, v);
}

/** Comparison key of a date/time value: stored text of DATETIME2(7) (DATE → midnight), so text order is time order. */
export function dateKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return storedText("DATETIME2", 7, instantOf(value, "DATETIME2", null));
}

function hour12(h: number): string {
  return String(h % 12 === 0 ? 12 : h % 12).padStart(2, " ");
}

/** CONVERT(<string type>, <date/time value>, style): the text SQL Server prints for that style. */
export function formatDateTimeStyle(value: string, kind: DateKind, scale: number, style: number | null): string {
  const s = style ?? (kind === "DATETIME" || kind === "SMALLDATETIME" ? 0 : 121);
  styleOf(s);
  const p = parseStoredDateTime(kind === "TIME" ? `1900-01-01 ${value}` : value);
  if (!p) return value;
  const d = new Date(p.epochDay * 86_400_000);
  const [y, mo, da] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const secs = Math.floor(p.ticks / 10_000_000);
  const [h, mi, se] = [Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60];
  const digits = kind === "DATETIME" || kind === "SMALLDATETIME" ? 3 : kind === "DATE" ? 0 : scale;
  const frac = String(p.ticks % 10_000_000).padStart(7, "0").slice(0, digits);
  const yy = (century: boolean) => (century ? pad(y, 4) : pad(y % 100));
  const date = `${pad(y, 4)}-${pad(mo)}-${pad(da)}`;
  const time = `${pad(h)}:${pad(mi)}:${pad(se)}`;
  const st = STYLES[s] as (typeof STYLES)[number];
  const withTime = (t: string) => (kind === "DATE" ? "" : t);
  switch (s) {
    case 0: case 100: {
      if (kind === "DATE") return `${MONTHS[mo - 1]?.[0]}${MONTHS[mo - 1]?.slice(1).toLowerCase()} ${String(da).padStart(2, " ")} ${pad(y, 4)}`;
      const mon = `${MONTHS[mo - 1]?.[0]}${MONTHS[mo - 1]?.slice(1).toLowerCase()}`;
      return `${mon} ${String(da).padStart(2, " ")} ${pad(y, 4)} ${hour12(h)}:${pad(mi)}${h < 12 ? "AM" : "PM"}`;
    }
    case 1: case 101: return `${pad(mo)}/${pad(da)}/${yy(st.century)}`;
    case 2: case 102: return `${yy(st.century)}.${pad(mo)}.${pad(da)}`;
    case 3: case 103: return `${pad(da)}/${pad(mo)}/${yy(st.century)}`;
    case 4: case 104: return `${pad(da)}.${pad(mo)}.${yy(st.century)}`;
    case 5: case 105: return `${pad(da)}-${pad(mo)}-${yy(st.century)}`;
    case 10: case 110: return `${pad(mo)}-${pad(da)}-${yy(st.century)}`;
    case 11: case 111: return `${yy(st.century)}/${pad(mo)}/${pad(da)}`;
    case 12: case 112: return `${yy(st.century)}${pad(mo)}${pad(da)}`;
    case 20: case 120: return kind === "DATE" ? date : `${date} ${time}`;
    case 21: case 25: case 121: return kind === "DATE" ? date : `${date} ${time}${digits > 0 ? "." + frac : ""}`;
    case 23: return date;
    case 126: case 127: {
      if (kind === "DATE") return date;
      const f = kind === "DATETIME" && frac === "000" ? "" : digits > 0 ? "." + frac : "";
      return `${date}T${time}${f}${withTime(s === 127 && kind === "DATETIMEOFFSET" ? "Z" : "")}`;
    }
    default: return value;
  }
}

/** The T-SQL type name of a declaration: kind and scale for date/time types. */
export function dateKindOf(typeName: string): { kind: DateKind; scale: number } | undefined {
  const m = /^\s*(\w+)\s*(?:\(\s*(\d+)\s*\))?/.exec(typeName);
  const kind = m?.[1]?.toUpperCase() ?? "";
  if (!DATE_KINDS.has(kind)) return undefined;
  return { kind: kind as DateKind, scale: m?.[2] === undefined ? 7 : Math.min(7, Number(m[2])) };
}

const INT_RANGE: Record<string, [bigint, bigint]> = {
  TINYINT: [0n, 255n], SMALLINT: [-32768n, 32767n], INT: [-(2n ** 31n), 2n ** 31n - 1n], BIGINT: [-(2n ** 63n), 2n ** 63n - 1n], BIT: [-(2n ** 63n), 2n ** 63n - 1n],
};

function describe(value: unknown): string {
  return typeof value === "string" ? "varchar" : Buffer.isBuffer(value) ? "varbinary" : "numeric";
}

/** CAST/CONVERT to TINYINT/SMALLINT/INT/BIGINT/BIT: strings must be whole numbers (else 245), numbers are truncated; overflow 8115/244/248. */
export function toInteger(type: string, value: unknown): bigint {
  const [min, max] = INT_RANGE[type] ?? (INT_RANGE.INT as [bigint, bigint]);
  let n: bigint;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new SqlError(8115, `Arithmetic overflow error converting float to data type ${type.toLowerCase()}.`);
    n = BigInt(Math.trunc(value));
  } else if (typeof value === "string") {
    const t = value.trim();
    if (type === "BIT" && /^(true|false)$/i.test(t)) return /^true$/i.test(t) ? 1n : 0n;
    if (!/^[+-]?\d+$/.test(t)) {
      throw new SqlError(245, `Conversion failed when converting the varchar value '${value}' to data type ${type.toLowerCase()}.`);
    }
    n = BigInt(t);
    if (type !== "BIT" && (n < min || n > max)) throw new SqlError(248, `The conversion of the varchar value '${value}' overflowed an ${type.toLowerCase()} column.`);
  } else {
    throw new SqlError(529, `Explicit conversion from data type ${describe(value)} to ${type.toLowerCase()} is not allowed.`);
  }
  if (type === "BIT") return n === 0n ? 0n : 1n;
  if (n < min || n > max) throw new SqlError(8115, `Arithmetic overflow error converting expression to data type ${type.toLowerCase()}.`);
  return n;
}

/** CAST/CONVERT to DECIMAL(p,s)/NUMERIC/MONEY: rounded to the scale; text that is no number → 8114; too many digits → 8115. */
export function toDecimal(value: unknown, precision: number, scale: number): number {
  let n: number;
  if (typeof value === "string") {
    const t = value.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) throw new SqlError(8114, "Error converting data type varchar to numeric.");
    n = Number(t);
  } else if (typeof value === "number" || typeof value === "bigint") n = Number(value);
  else throw new SqlError(529, `Explicit conversion from data type ${describe(value)} to numeric is not allowed.`);
  const rounded = Math.round(n * 10 ** scale) / 10 ** scale;
  if (Math.abs(rounded) >= 10 ** (precision - scale)) throw new SqlError(8115, "Arithmetic overflow error converting varchar to data type numeric.");
  return rounded;
}

/** CAST/CONVERT to FLOAT/REAL: text must be a number (8114 otherwise). */
export function toFloat(value: unknown): number {
  if (typeof value === "number" || typeof value === "bigint") return Number(value);
  if (typeof value === "string") {
    const t = value.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new SqlError(8114, "Error converting data type varchar to float.");
    return Number(t);
  }
  throw new SqlError(529, `Explicit conversion from data type ${describe(value)} to float is not allowed.`);
}

/** Adds months as SQL Server's DATEADD does: the day is kept, or clamped to the last day of the target month. */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * 86_400_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const probe = new Date(0);
  probe.setUTCFullYear(targetYear, targetMonth + 1, 0);
  const lastInYear = probe.getUTCDate();
  const result = new Date(0);
  result.setUTCFullYear(targetYear, targetMonth, Math.min(d.getUTCDate(), lastInYear));
  return Math.floor(result.getTime() / 86_400_000);
}

const STRING_TYPES = new Set(["NVARCHAR", "VARCHAR", "NCHAR", "CHAR", "SYSNAME"]);

/** The date/time type a stored text has, judged by its shape (when the source type is not known). */
function shapeKind(text: string): { kind: DateKind; scale: number } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { kind: "DATE", scale: 0 };
  const m = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.(\d{1,7}))?$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]?.length ?? 0;
  return digits === 3 ? { kind: "DATETIME", scale: 3 } : { kind: "DATETIME2", scale: digits };
}

/**
 * tds_convert(type, value, style, try, source): CAST/CONVERT with SQL Server's rules. `source` is the
 * declared date/time type of the value when the rewrite knows it (for the text a style gives); TRY_ variants
 * give NULL where the plain ones fail.
 */
export function convertValue(typeText: string, value: unknown, style: unknown, attempt: unknown, source: unknown): unknown {
  if (value === null || value === undefined) return null;
  const styleNumber = style === null || style === undefined ? null : Number(style);
  try {
    const m = /^\s*(\w+)\s*(?:\(\s*(-?\d+|MAX)\s*(?:,\s*(\d+)\s*)?\))?/i.exec(typeText);
    const name = (m?.[1] ?? "").toUpperCase();
    const a = m?.[2] === undefined || /max/i.test(m[2]) ? undefined : Number(m[2]);
    const b = m?.[3] === undefined ? undefined : Number(m[3]);
    const date = dateKindOf(typeText);
    if (date) return toDateTime(date.kind, date.kind === "DATETIME" ? 3 : date.scale, value, styleNumber);
    if (name in INT_RANGE) return toInteger(name, value);
    if (name === "DECIMAL" || name === "NUMERIC") return toDecimal(value, a ?? 18, b ?? 0);
    if (name === "MONEY" || name === "SMALLMONEY") return toDecimal(value, name === "MONEY" ? 19 : 10, 4);
    if (name === "FLOAT" || name === "REAL") return toFloat(value);
    if (name === "UNIQUEIDENTIFIER") {
      const text = String(value).trim().replace(/^\{(.*)\}$/, "$1");
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) {
        throw new SqlError(8169, "Conversion failed when converting from a character string to uniqueidentifier.");
      }
      return text.toUpperCase();
    }
    if (STRING_TYPES.has(name)) {
      const length = a === undefined ? (m?.[2] === undefined ? 30 : undefined) : a > 0 ? a : undefined;
      let text: string;
      if (Buffer.isBuffer(value)) text = value.toString("latin1");
      else if (typeof value === "string") {
        const known = typeof source === "string" ? dateKindOf(source) : undefined;
        const kind = known ?? (styleNumber !== null ? shapeKind(value) : undefined);
        text = kind ? formatDateTimeStyle(value, kind.kind, kind.kind === "DATETIME" ? 3 : kind.scale, styleNumber) : value;
      } else text = String(value);
      return length === undefined ? text : text.slice(0, length);
    }
    return value;
  } catch (e) {
    if (attempt && e instanceof SqlError && !(e instanceof Unsupported)) return null;
    throw e;
  }
}
