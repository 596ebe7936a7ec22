/**
 * Spreading the daily run's starts (docs/scale.md "The daily run"): each aanleverpunt gets a fixed
 * offset within the spreading window, derived from a hash of its code, so thousands of aanleverpunten
 * do not start in the same second, and the same aanleverpunt starts at the same moment every day
 * (its school sees a stable time). Pure: no clock, no I/O.
 */

/** FNV-1a (32 bits) of a string: stable across processes and versions, well mixed for short codes. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The aanleverpunt's start offset in whole seconds, in [0, windowSeconds); 0 when the window is 0. */
export function startOffsetSeconds(aanleverpunt: string, windowSeconds: number): number {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 0) throw new RangeError("windowSeconds must be a whole number ≥ 0");
  return windowSeconds === 0 ? 0 : fnv1a(aanleverpunt) % windowSeconds;
}

/** Each aanleverpunt with its start offset, earliest first (ties by code). */
export function spreadStarts(aanleverpunten: readonly string[], windowSeconds: number): { aanleverpunt: string; offsetSeconds: number }[] {
  return aanleverpunten
    .map((aanleverpunt) => ({ aanleverpunt, offsetSeconds: startOffsetSeconds(aanleverpunt, windowSeconds) }))
    .sort((a, b) => a.offsetSeconds - b.offsetSeconds || a.aanleverpunt.localeCompare(b.aanleverpunt));
}
