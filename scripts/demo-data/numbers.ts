import { elfproefSum } from "../../src/core/validation.js";
import type { Rng } from "./prng.js";

/** Identifier generators: valid BSNs, valid onderwijsnummers and deliberately broken BSNs. */

const mod11 = (n: number) => ((n % 11) + 11) % 11;

/** Eight random digits followed by the check digit that makes the weighted sum ≡ target (mod 11). */
function withCheckDigit(rng: Rng, prefix: string, target: number): string {
  for (;;) {
    let body = prefix;
    while (body.length < 8) body += String(rng.int(0, 9));
    const partial = elfproefSum(`${body}0`);
    // partial − d9 ≡ target  →  d9 ≡ partial − target (mod 11)
    const d9 = mod11(partial - target);
    if (d9 <= 9) return `${body}${d9}`;
  }
}

/** A BSN that passes the 11-test, first digit 1–6 as issued BSNs mostly are, never starting with "10". */
export function validBsn(rng: Rng): string {
  for (;;) {
    const bsn = withCheckDigit(rng, String(rng.int(1, 6)), 0);
    if (!bsn.startsWith("10")) return bsn;
  }
}

/** An onderwijsnummer: 9 digits starting with "10", weighted sum mod 11 = 5. */
export function validOnderwijsnummer(rng: Rng): string {
  return withCheckDigit(rng, "10", 5);
}

/** A typing error in a valid BSN: the last digit changed, so the 11-test fails. */
export function brokenBsn(rng: Rng, valid: string): string {
  const last = Number(valid[8]);
  const other = (last + rng.int(1, 9)) % 10;
  return `${valid.slice(0, 8)}${other}`;
}
