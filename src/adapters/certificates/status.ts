/**
 * Pure rules about a certificate's usability at a moment in time, and the Dutch texts a user sees.
 * Rule: a certificate is usable from notBefore up to (not including) notAfter; "verloopt binnenkort"
 * once fewer than `warnDays` whole days remain.
 */
import type { CertificateProblem } from "./errors.js";

export const DAY_MS = 86_400_000;

export type CertificateState = "valid" | "expiring" | CertificateProblem | "unknown";

/** Whole days from `now` until `notAfter`: 0 on the last day, negative once expired. */
export function daysUntil(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

/** The state of a present, enabled certificate at `now`. */
export function validityState(validity: { notBefore: Date; notAfter: Date }, now: Date, warnDays: number): CertificateState {
  if (now.getTime() < validity.notBefore.getTime()) return "notYetValid";
  if (now.getTime() >= validity.notAfter.getTime()) return "expired";
  return daysUntil(validity.notAfter, now) < warnDays ? "expiring" : "valid";
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export interface MessageFacts {
  aanleverpunt: string;
  certificateName: string;
  notBefore?: Date;
  notAfter?: Date;
  daysLeft?: number;
  oin?: string | null;
  expectedOin?: string;
}

/** The Dutch message for a state (user-facing, in the manual's words: "certificaat", "aanleverpunt", "verzenden"). */
export function stateMessage(state: CertificateState, f: MessageFacts): string {
  const wie = `Het certificaat voor aanleverpunt ${f.aanleverpunt}`;
  const waar = `(Key Vault-certificaat "${f.certificateName}")`;
  switch (state) {
    case "valid":
      return `${wie} is geldig tot ${f.notAfter ? isoDay(f.notAfter) : "?"}.`;
    case "expiring":
      return `${wie} verloopt over ${f.daysLeft} dag(en), op ${f.notAfter ? isoDay(f.notAfter) : "?"}. Vraag tijdig een nieuw certificaat aan ${waar}.`;
    case "missing":
      return `${wie} ontbreekt ${waar}. Het certificaat moet geïnstalleerd zijn voordat u kunt verzenden.`;
    case "disabled":
      return `${wie} is uitgeschakeld in Key Vault ${waar}. Schakel het in of installeer een nieuw certificaat voordat u verzendt.`;
    case "expired":
      return `${wie} is verlopen op ${f.notAfter ? isoDay(f.notAfter) : "?"} ${waar}. Installeer een nieuw certificaat voordat u verzendt.`;
    case "notYetValid":
      return `${wie} is pas geldig vanaf ${f.notBefore ? isoDay(f.notBefore) : "?"} ${waar}. Verzenden kan vanaf die datum.`;
    case "unreadable":
      return `${wie} kan niet worden gebruikt ${waar}: de privésleutel ontbreekt of hoort niet bij het certificaat.`;
    case "wrongSchool":
      return `${wie} hoort bij een andere school (OIN ${f.oin}, verwacht ${f.expectedOin}) ${waar}.`;
    case "unknown":
      return `De status van ${wie.charAt(0).toLowerCase()}${wie.slice(1)} is onbekend: Key Vault is niet bereikbaar.`;
    default: {
      const never: never = state;
      return never;
    }
  }
}
