import type { IsoDate, Signal } from "./model.js";
import { signal } from "./signal-text.js";

/** Days before expiry from which the certificate check warns (attentie). */
export const CERTIFICATE_WARN_DAYS = 30;
const DAY_MS = 86_400_000;

export interface CertificateInfo {
  /** ISO date-time the certificate expires */
  notAfter: string;
  /** ISO date-time it becomes valid (BRON certificates become active a day after issue) */
  notBefore?: string;
}

/**
 * Rule: sending requires the aanleverpunt's certificate to be present and valid; checked before sending and
 * again at send time. Missing, not yet valid or expired → AFKEUR (blocks the whole delivery: actionId null);
 * expiring within 30 days → ATTENTIE. `now` is a date (taken as its start, UTC) or an ISO date-time.
 */
export function checkCertificate(cert: CertificateInfo | null, now: IsoDate | string): Signal[] {
  // Stryker disable next-line ConditionalExpression: equivalent — Date.parse reads a date-only ISO string as UTC midnight too
  const t = Date.parse(now.length === 10 ? `${now}T00:00:00Z` : now);
  if (cert === null) return [signal("CERTIFICAAT_ONTBREEKT", "AFKEUR", "Geen certificaat voor dit aanleverpunt: verzenden is niet mogelijk", null, "certificaat")];
  const notAfter = Date.parse(cert.notAfter);
  const notBefore = cert.notBefore === undefined ? Number.NEGATIVE_INFINITY : Date.parse(cert.notBefore);
  if (Number.isNaN(notAfter) || Number.isNaN(notBefore) || Number.isNaN(t)) {
    return [signal("CERTIFICAAT_ONGELDIG", "AFKEUR", "Geldigheid van het certificaat is onleesbaar", null, "certificaat")];
  }
  if (notAfter <= t) return [signal("CERTIFICAAT_VERLOPEN", "AFKEUR", `Certificaat is verlopen op ${cert.notAfter.slice(0, 10)}`, null, "certificaat")];
  if (t < notBefore) return [signal("CERTIFICAAT_NOG_NIET_GELDIG", "AFKEUR", `Certificaat is pas geldig vanaf ${cert.notBefore!.slice(0, 10)}`, null, "certificaat")];
  if (notAfter - t <= CERTIFICATE_WARN_DAYS * DAY_MS) {
    return [signal("CERTIFICAAT_VERLOOPT_BINNENKORT", "ATTENTIE", `Certificaat verloopt op ${cert.notAfter.slice(0, 10)}: vraag tijdig een nieuw aan`, null, "certificaat")];
  }
  return [];
}
