import type { Result } from "./result.js";

/**
 * Format rules for the identifiers and values exchanged with BRON (bron-interface.md §5).
 * Each check returns a Result: `ok` or a one-line Dutch reason a user can act on.
 */

export type Check = Result;

const ok: Check = { ok: true };
const fail = (reason: string): Check => ({ ok: false, reason });

const WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, -1] as const;

/** The weighted sum of the 11-test: 9d1 + 8d2 + … + 2d8 − d9 (for exactly 9 digits). */
export function elfproefSum(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += WEIGHTS[i]! * (nineDigits.charCodeAt(i) - 48);
  return sum;
}

const mod11 = (n: number) => ((n % 11) + 11) % 11;

/** Rule: a BSN is 8 or 9 digits (padded to 9 with a leading zero), > 0, and passes the 11-test (sum mod 11 = 0). */
export function checkBsn(value: string): Check {
  if (!/^\d{8,9}$/.test(value)) return fail("BSN moet uit 8 of 9 cijfers bestaan");
  const padded = value.padStart(9, "0");
  if (/^0+$/.test(padded)) return fail("BSN mag niet 0 zijn");
  if (mod11(elfproefSum(padded)) !== 0) return fail("BSN voldoet niet aan de elfproef");
  return ok;
}

/** Rule: an onderwijsnummer is 9 digits starting with "10", with the 11-test weights giving sum mod 11 = 5. */
export function checkOnderwijsnummer(value: string): Check {
  if (!/^\d{9}$/.test(value)) return fail("Onderwijsnummer moet uit 9 cijfers bestaan");
  if (!value.startsWith("10")) return fail("Onderwijsnummer moet met 10 beginnen");
  if (mod11(elfproefSum(value)) !== 5) return fail("Onderwijsnummer voldoet niet aan de controle (som mod 11 moet 5 zijn)");
  return ok;
}

/** Rule: a Dutch postcode is 4 digits (not starting with 0) and 2 capitals; SA, SD and SS are never issued. */
export function checkPostcode(value: string): Check {
  const m = /^([1-9]\d{3}) ?([A-Z]{2})$/.exec(value);
  if (!m) return fail("Postcode moet de vorm 1234 AB hebben");
  if (["SA", "SD", "SS"].includes(m[2]!)) return fail(`Postcode met letters ${m[2]} wordt niet uitgegeven`);
  return ok;
}

/** Normal form of a valid postcode: "1234AB" (no space). */
export function normalizePostcode(value: string): string {
  // Stryker disable next-line Regex: equivalent — removing each whitespace character or each run of them leaves the same text
  return value.replace(/\s+/g, "").toUpperCase();
}

/** BRIN: 2 digits + 2 capitals, e.g. 00AA. */
export function checkBrin(value: string): Check {
  return /^\d{2}[A-Z]{2}$/.test(value) ? ok : fail("BRIN moet uit 2 cijfers en 2 hoofdletters bestaan, bijv. 00AA");
}

/** Vestiging: BRIN + 2-digit volgnummer, e.g. 00AA01. */
export function checkVestiging(value: string): Check {
  return /^\d{2}[A-Z]{2}\d{2}$/.test(value) ? ok : fail("Vestiging moet BRIN + 2 cijfers zijn, bijv. 00AA01");
}

/** Aanleverpunt: BRIN + 2-digit aanleverpuntnummer, e.g. 00AA00 (not the same thing as a vestiging). */
export function checkAanleverpunt(value: string): Check {
  return /^\d{2}[A-Z]{2}\d{2}$/.test(value) ? ok : fail("Aanleverpunt moet BRIN + 2 cijfers zijn, bijv. 00AA00");
}

/** An ISO calendar date (YYYY-MM-DD) that really exists. */
export function checkIsoDate(value: string): Check {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return fail("Datum moet de vorm JJJJ-MM-DD hebben");
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return fail("Datum bestaat niet");
  return ok;
}

/** The school's OIN as DUO's services expect it: 00000007000 + BRIN + 00000. */
export function schoolOin(brin: string): string {
  return `00000007000${brin}00000`;
}
