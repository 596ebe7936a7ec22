import { daysBetween } from "./dates.js";
import type { BronMirror, IsoDate, LvsSnapshot } from "./model.js";

/** Rule: actions may only be determined against a registratieoverzicht no older than 4 weeks. */
export const DEFAULT_MAX_OVERZICHT_AGE_DAYS = 28;

export type Usable = { ok: true; firstDelivery: boolean } | { ok: false; reason: string };

/** A mirror BRON has told us nothing about: no overzicht fetched, no pupils, no enrolments. */
export function isNeverFetched(mirror: BronMirror): boolean {
  return mirror.overzichtDatum === null && isEmpty(mirror);
}

function isEmpty(mirror: BronMirror): boolean {
  return mirror.leerlingen.length === 0 && mirror.inschrijvingen.length === 0 && mirror.historisch.length === 0;
}

function ageText(days: number): string {
  if (days === 7) return "1 week";
  return days % 7 === 0 ? `${days / 7} weken` : `${days} dagen`;
}

/**
 * May actions be determined against this mirror today?
 *
 * - The LVS snapshot and the mirror must be of the same aanleverpunt.
 * - An empty mirror that was never fetched (overzichtDatum null) is the first delivery: BRON holds
 *   nothing for this aanleverpunt yet, so every enrolment is delivered (manual ch. 2 "Eerste
 *   aanlevering"). It is allowed, and `firstDelivery` says so.
 * - A mirror with data but no overzichtDatum cannot be trusted: refresh first.
 * - An overzicht older than `maxAgeDays` (default 28 = 4 weeks) refuses, also when it is empty.
 */
export function checkMirrorUsable(lvs: LvsSnapshot, mirror: BronMirror, today: IsoDate, maxAgeDays = DEFAULT_MAX_OVERZICHT_AGE_DAYS): Usable {
  if (lvs.aanleverpunt !== mirror.aanleverpunt) {
    return {
      ok: false,
      reason: `De LVS2000-gegevens zijn van aanleverpunt ${lvs.aanleverpunt} en het BRON-registratieoverzicht van ${mirror.aanleverpunt}: acties kunnen niet bepaald worden.`,
    };
  }
  if (mirror.overzichtDatum === null) {
    if (isEmpty(mirror)) return { ok: true, firstDelivery: true };
    return {
      ok: false,
      reason: "Er is nog geen registratieoverzicht van BRON opgehaald, maar er zijn wel BRON-gegevens: haal eerst een actueel registratieoverzicht op.",
    };
  }
  const age = daysBetween(mirror.overzichtDatum, today);
  if (age > maxAgeDays) {
    return {
      ok: false,
      reason: `Het registratieoverzicht van BRON is van ${mirror.overzichtDatum} en daarmee ouder dan ${ageText(maxAgeDays)}: haal eerst een actueel registratieoverzicht op (liefst van vandaag).`,
    };
  }
  return { ok: true, firstDelivery: false };
}
