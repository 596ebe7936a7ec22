/**
 * The manual's demand: BRON Sync works with an LVS2000 database of at least version 2.10.xxxx
 * (checked in LVS2000 under 'Info → Over Datacare'). Versions compare part by part as numbers, so
 * 2.9 is older than 2.10.
 */
export const MINIMUM_DATABASE_VERSION = "2.10";

export function parseVersion(text: string): number[] | null {
  const t = text.trim();
  return /^\d+(\.\d+)*$/.test(t) ? t.split(".").map(Number) : null;
}

/** True when `version` is at least `minimum` (missing parts count as 0). */
export function isAtLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < Math.max(version.length, minimum.length); i++) {
    const a = version[i] ?? 0;
    const b = minimum[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

export type VersionVerdict = { ok: true; version: string } | { ok: false; version: string | null; melding: string };

/** Judges the version the database reports; the Dutch melding says what to do. */
export function judgeDatabaseVersion(reported: string | null): VersionVerdict {
  if (reported === null) {
    return { ok: false, version: null, melding: "De LVS2000-database meldt geen versie (tabel DatabaseVersie is leeg); minimaal versie 2.10 is vereist" };
  }
  const parsed = parseVersion(reported);
  if (parsed === null) return { ok: false, version: reported, melding: `De LVS2000-databaseversie '${reported}' is niet te lezen; minimaal versie 2.10 is vereist` };
  if (!isAtLeast(parsed, parseVersion(MINIMUM_DATABASE_VERSION)!)) {
    return { ok: false, version: reported, melding: `De LVS2000-database heeft versie ${reported}; BRON Sync vereist minimaal versie 2.10. Werk LVS2000 eerst bij.` };
  }
  return { ok: true, version: reported };
}
