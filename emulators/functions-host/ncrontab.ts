/** A parsed schedule: 6-field NCRONTAB (sec min hour day month weekday, UTC) or a TimeSpan interval. */
export interface Schedule {
  next(after: Date): Date;
}

const ranges: [number, number][] = [
  [0, 59],
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];
const monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function parseValue(text: string, field: number): number {
  const t = text.toLowerCase();
  if (field === 4 && monthNames.includes(t.slice(0, 3))) return monthNames.indexOf(t.slice(0, 3)) + 1;
  if (field === 5 && dayNames.includes(t.slice(0, 3))) return dayNames.indexOf(t.slice(0, 3));
  if (!/^\d+$/.test(t)) throw new Error(`Bad NCRONTAB value "${text}"`);
  const n = Number(t);
  return field === 5 && n === 7 ? 0 : n;
}

function parseField(text: string, field: number): Set<number> {
  const [lo, hi] = ranges[field] as [number, number];
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const [rangeText, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`Bad NCRONTAB step in "${part}"`);
    let from = lo;
    let to = hi;
    if (rangeText !== "*") {
      const [a, b] = rangeText.split("-") as [string, string | undefined];
      from = parseValue(a, field);
      to = b === undefined ? (stepText === undefined ? from : hi) : parseValue(b, field);
    }
    if (from < lo || to > hi || from > to) throw new Error(`NCRONTAB field "${part}" is out of range ${lo}-${hi}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/**
 * Parses a timer trigger schedule: a 6-field NCRONTAB expression ("0 *\/5 * * * *"), evaluated in
 * UTC, or a TimeSpan ("00:00:10") meaning "every interval". Day-of-month and weekday restrict
 * together when both are given (cron OR rule).
 */
export function parseSchedule(expr: string): Schedule {
  const t = expr.trim();
  const ts = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(t);
  if (ts) {
    const ms = ((Number(ts[1] ?? 0) * 24 + Number(ts[2])) * 3600 + Number(ts[3]) * 60 + Number(ts[4])) * 1000;
    if (ms <= 0) throw new Error(`Timer interval must be positive: "${expr}"`);
    return { next: (after) => new Date(after.getTime() + ms) };
  }
  const parts = t.split(/\s+/);
  if (parts.length !== 6) throw new Error(`Timer schedule "${expr}" is not a 6-field NCRONTAB expression (sec min hour day month weekday).`);
  const [sec, min, hour, day, month, dow] = parts.map((p, i) => parseField(p, i)) as Set<number>[] as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const dayAny = parts[3] === "*" || parts[3] === "?";
  const dowAny = parts[5] === "*" || parts[5] === "?";
  const dayOk = (d: Date) => {
    const dm = day.has(d.getUTCDate());
    const dw = dow.has(d.getUTCDay());
    if (dayAny && dowAny) return true;
    if (dayAny) return dw;
    if (dowAny) return dm;
    return dm || dw;
  };
  return {
    next(after) {
      const d = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
      const limit = after.getTime() + 5 * 366 * 24 * 3600_000;
      while (d.getTime() < limit) {
        if (!month.has(d.getUTCMonth() + 1)) {
          d.setUTCMonth(d.getUTCMonth() + 1, 1);
          d.setUTCHours(0, 0, 0, 0);
        } else if (!dayOk(d)) {
          d.setUTCDate(d.getUTCDate() + 1);
          d.setUTCHours(0, 0, 0, 0);
        } else if (!hour.has(d.getUTCHours())) {
          d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
        } else if (!min.has(d.getUTCMinutes())) {
          d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
        } else if (!sec.has(d.getUTCSeconds())) {
          d.setUTCSeconds(d.getUTCSeconds() + 1, 0);
        } else return d;
      }
      throw new Error(`Schedule "${expr}" never fires.`);
    },
  };
}
