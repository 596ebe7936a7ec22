import type { RowProblem } from "../../contracts/relay/api.js";
import { checkIsoDate } from "../../core/validation.js";

/**
 * Reading raw column values defensively: LVS2000 data entered over many years holds NULLs,
 * impossible dates and stray spaces. Each reader returns a value or a Dutch reason; the caller
 * decides whether the row is left out or only flagged.
 */

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = <T>(reason: string): Read<T> => ({ ok: false, reason });

/** Text, trimmed; empty counts as NULL. */
export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = (typeof v === "string" ? v : String(v)).trim();
  return s === "" ? null : s;
}

/**
 * Dates before this are impossible for a pupil record: SQL Server's zero DATETIME (1900-01-01) and
 * older placeholder values (1753-01-01) stand for "unknown", not for a real day.
 */
export const EARLIEST_REAL_DAY = "1900-01-02";

/** A calendar date from a DATETIME (a Date at UTC midnight on this connection) or text; NULL gives null. */
export function isoDay(v: unknown): Read<string | null> {
  if (v === null || v === undefined) return ok(null);
  let iso: string;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return fail("datum bestaat niet");
    iso = v.toISOString().slice(0, 10);
  } else {
    const s = text(v);
    if (s === null) return ok(null);
    iso = s.slice(0, 10);
    const check = checkIsoDate(iso);
    if (!check.ok) return fail(check.reason === "Datum bestaat niet" ? "datum bestaat niet" : "datum heeft geen geldige vorm");
  }
  return iso < EARLIEST_REAL_DAY ? fail("onmogelijke datum (vóór 1900)") : ok(iso);
}

/** A required calendar date. */
export function requiredDay(v: unknown, label: string): Read<string> {
  const d = isoDay(v);
  if (!d.ok) return fail(`${label}: ${d.reason}`);
  return d.value === null ? fail(`${label} ontbreekt`) : ok(d.value);
}

/** A whole number from an INT column. */
export function integer(v: unknown): number | null {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** A BIT column as a boolean (NULL counts as false). */
export function bit(v: unknown): boolean {
  return v === true || v === 1 || v === "1" || v === 1n;
}

/** A ROWVERSION as opaque text: hex of the 8 bytes on SQL Server; a counter's digits on stand-ins. */
export function rowVersionText(v: unknown): string {
  if (v === null || v === undefined) return "0";
  if (Buffer.isBuffer(v)) return v.toString("hex");
  if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
  return String(v);
}

/** Collects the problems of one snapshot page. */
export class ProblemList {
  readonly items: RowProblem[] = [];
  add(tabel: RowProblem["tabel"], rijId: string, veld: string, reden: string, uitgesloten: boolean): void {
    this.items.push({ tabel, rijId, veld, reden, uitgesloten });
  }
}
