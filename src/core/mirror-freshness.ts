import type { Result } from "./result.js";
import { daysBetween } from "./dates.js";
import type { BronMirror, IsoDate, LvsSnapshot } from "./model.js";

/** Rule: actions may only be determined against a registratieoverzicht no older than 4 weeks. */
export const DEFAULT_MAX_OVERZICHT_AGE_DAYS = 28;

export type Usable = Result<{ firstDelivery: boolean }>;

export type FreshnessOptions = {
  /** the 4-week rule (default 28 days) */
  maxAgeDays?: number;
  /**
   * The service always asks BRON for an overzicht before the first determination: until one arrived, an
   * empty mirror means "not yet received", not "BRON holds nothing" (which would send the whole school as new).
   */
  requireOverzicht?: boolean;
};

/** A peildatum more than this many days before the overzicht arrived makes it a historical overzicht. */
const HISTORICAL_AFTER_DAYS = 1;

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
 * - Rule: the 4-week rule counts from the overzicht's peildatum (the day BRON's data are of), not from the
 *   day it was processed: an overzicht whose peildatum is older than `maxAgeDays` (default 28) refuses.
 * - Rule: a historical overzicht (asked with a peildatum in the past; more than a day before it arrived)
 *   is for viewing only and cannot be used for determining.
 * - With `requireOverzicht`, no overzicht yet refuses too: it was asked and has not arrived.
 */
export function checkMirrorUsable(lvs: LvsSnapshot, mirror: BronMirror, today: IsoDate, options: FreshnessOptions = {}): Usable {
  const maxAgeDays = options.maxAgeDays ?? DEFAULT_MAX_OVERZICHT_AGE_DAYS;
  if (lvs.aanleverpunt !== mirror.aanleverpunt) {
    return {
      ok: false,
      reason: `De LVS2000-gegevens zijn van aanleverpunt ${lvs.aanleverpunt} en het BRON-registratieoverzicht van ${mirror.aanleverpunt}: acties kunnen niet bepaald worden.`,
    };
  }
  if (mirror.overzichtDatum === null) {
    if (options.requireOverzicht) {
      return { ok: false, reason: "Het registratieoverzicht van BRON is aangevraagd maar nog niet ontvangen; de volgende synchronisatie gaat verder." };
    }
    if (isEmpty(mirror)) return { ok: true, firstDelivery: true };
    return {
      ok: false,
      reason: "Er is nog geen registratieoverzicht van BRON opgehaald, maar er zijn wel BRON-gegevens: haal eerst een actueel registratieoverzicht op.",
    };
  }
  const peildatum = mirror.peildatum ?? mirror.overzichtDatum;
  if (daysBetween(peildatum, mirror.overzichtDatum) > HISTORICAL_AFTER_DAYS) {
    return {
      ok: false,
      reason: `Het registratieoverzicht van BRON is een historisch overzicht (peildatum ${peildatum}): dat is alleen om in te zien. Vraag een actueel registratieoverzicht aan om acties te bepalen.`,
    };
  }
  if (daysBetween(peildatum, today) > maxAgeDays) {
    return {
      ok: false,
      reason: `Het registratieoverzicht van BRON heeft peildatum ${peildatum} en is daarmee ouder dan ${ageText(maxAgeDays)}: haal eerst een actueel registratieoverzicht op (liefst van vandaag).`,
    };
  }
  return { ok: true, firstDelivery: isEmpty(mirror) };
}
