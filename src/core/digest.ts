/**
 * The daily e-mail digest of one school (issue 10, "Notifications"): facts in, a Dutch subject and body
 * (text and HTML) out — or null when all is well, so no e-mail is sent. Pure: no clock, no I/O.
 *
 * Privacy rule: a digest holds counts, aanleverpunt codes, the school's name and a link to the
 * beheerpagina — never a BSN, a pupil's name or any other field of a pupil. The facts it is built from
 * carry nothing else, so it cannot leak what it is not given.
 */

import { DEFAULT_CLOSE_DAYS, summarizeDeadlines } from "./deadline.js";
import type { Action, IsoDate } from "./model.js";

/** Days before expiry from which a certificate is mentioned. */
export const CERTIFICATE_NOTICE_DAYS = 30;
/** How long a relay must be unreachable before the digest mentions it. */
export const RELAY_NOTICE_MS = 24 * 3_600_000;

export type CertificateFact =
  /** usable, `dagen` whole days left */
  | { soort: "geldig"; dagen: number }
  /** not usable for sending: expired, missing, disabled, not yet valid, without key, of another school */
  | { soort: "onbruikbaar" }
  /** Key Vault did not answer: not mentioned (a digest does not alarm on what it could not see) */
  | { soort: "onbekend" };

export interface AanleverpuntFacts {
  code: string;
  /** outstanding actions BRON refused (status AFGEKEURD) */
  afgekeurd: number;
  /** outstanding actions past their deadline */
  verlopen: number;
  /** outstanding actions with at most 3 days left */
  bijnaVerlopen: number;
  certificaat: CertificateFact;
  /** whether the last run of this aanleverpunt failed */
  runMislukt: boolean;
}

export interface DigestFacts {
  school: { id: string; naam: string };
  /** the moment the digest is made (ISO) */
  nu: string;
  /** since when the school's relay does not answer (ISO), null while it answers */
  relayOnbereikbaarSinds: string | null;
  aanleverpunten: readonly AanleverpuntFacts[];
  /** the beheerpagina, linked from the e-mail */
  beheerUrl: string;
}

export interface DigestCounts {
  afgekeurd: number;
  verlopen: number;
  bijnaVerlopen: number;
  certificaatVerlooptBinnenkort: number;
  certificaatOnbruikbaar: number;
  relayOnbereikbaar: boolean;
  mislukteRuns: number;
}

export interface Digest {
  onderwerp: string;
  tekst: string;
  html: string;
  /** what the digest reports, for the audit (counts only) */
  tellingen: DigestCounts;
}

interface Line {
  ap: string | null;
  text: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The digest for one school, or null when there is nothing to report. */
export function buildDigest(f: DigestFacts): Digest | null {
  const lines: Line[] = [];
  const counts: DigestCounts = { afgekeurd: 0, verlopen: 0, bijnaVerlopen: 0, certificaatVerlooptBinnenkort: 0, certificaatOnbruikbaar: 0, relayOnbereikbaar: false, mislukteRuns: 0 };

  if (f.relayOnbereikbaarSinds !== null && Date.parse(f.nu) - Date.parse(f.relayOnbereikbaarSinds) >= RELAY_NOTICE_MS) {
    counts.relayOnbereikbaar = true;
    const dagen = Math.floor((Date.parse(f.nu) - Date.parse(f.relayOnbereikbaarSinds)) / RELAY_NOTICE_MS);
    lines.push({ ap: null, text: `De relay van de school is al ${plural(dagen, "dag", "dagen")} niet bereikbaar (sinds ${f.relayOnbereikbaarSinds.slice(0, 10)}). Controleer of de relay op school draait en uitgaand verbinding kan maken.` });
  }

  for (const a of [...f.aanleverpunten].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0))) {
    if (a.runMislukt) {
      counts.mislukteRuns++;
      lines.push({ ap: a.code, text: "De laatste synchronisatie is mislukt." });
    }
    if (a.afgekeurd > 0) {
      counts.afgekeurd += a.afgekeurd;
      lines.push({ ap: a.code, text: `${plural(a.afgekeurd, "melding is", "meldingen zijn")} afgekeurd door BRON.` });
    }
    if (a.verlopen > 0) {
      counts.verlopen += a.verlopen;
      lines.push({ ap: a.code, text: `${plural(a.verlopen, "melding is", "meldingen zijn")} over de termijn.` });
    }
    if (a.bijnaVerlopen > 0) {
      counts.bijnaVerlopen += a.bijnaVerlopen;
      lines.push({ ap: a.code, text: `${plural(a.bijnaVerlopen, "melding moet", "meldingen moeten")} binnen 3 dagen worden verzonden.` });
    }
    if (a.certificaat.soort === "onbruikbaar") {
      counts.certificaatOnbruikbaar++;
      lines.push({ ap: a.code, text: "Het certificaat is niet bruikbaar (verlopen, ontbrekend of ongeldig): verzenden naar BRON lukt niet." });
    } else if (a.certificaat.soort === "geldig" && a.certificaat.dagen < CERTIFICATE_NOTICE_DAYS) {
      counts.certificaatVerlooptBinnenkort++;
      lines.push({ ap: a.code, text: `Het certificaat verloopt over ${plural(a.certificaat.dagen, "dag", "dagen")}. Vraag tijdig een nieuw certificaat aan.` });
    }
  }

  if (lines.length === 0) return null;

  const dag = f.nu.slice(0, 10);
  const onderwerp = `BRON Sync: ${plural(lines.length, "aandachtspunt", "aandachtspunten")} voor ${f.school.naam} (${dag})`;
  const label = (l: Line) => (l.ap === null ? "School" : `Aanleverpunt ${l.ap}`);
  const tekst = [
    `Dagelijks overzicht van BRON Sync voor ${f.school.naam} (${dag}).`,
    "",
    ...lines.map((l) => `- ${label(l)}: ${l.text}`),
    "",
    `Bekijk en behandel de details op de beheerpagina: ${f.beheerUrl}`,
    "",
    "Dit bericht bevat bewust geen namen of BSN's, alleen aantallen.",
  ].join("\n");
  const html = [
    "<!doctype html><html lang=\"nl\"><body>",
    `<p>Dagelijks overzicht van BRON Sync voor <strong>${escapeHtml(f.school.naam)}</strong> (${dag}).</p>`,
    "<ul>",
    ...lines.map((l) => `<li><strong>${escapeHtml(label(l))}</strong>: ${escapeHtml(l.text)}</li>`),
    "</ul>",
    `<p>Bekijk en behandel de details op de <a href="${escapeHtml(f.beheerUrl)}">beheerpagina</a>.</p>`,
    "<p>Dit bericht bevat bewust geen namen of BSN's, alleen aantallen.</p>",
    "</body></html>",
  ].join("\n");
  return { onderwerp, tekst, html, tellingen: counts };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The facts of one aanleverpunt from its stored actions (counts only), its certificate and its last run. */
export function aanleverpuntFacts(code: string, actions: readonly Action[], today: IsoDate, certificaat: CertificateFact, runMislukt: boolean): AanleverpuntFacts {
  const deadlines = summarizeDeadlines(actions, today, DEFAULT_CLOSE_DAYS);
  return { code, afgekeurd: actions.filter((a) => a.status === "AFGEKEURD").length, verlopen: deadlines.VERLOPEN, bijnaVerlopen: deadlines.BIJNA_VERLOPEN, certificaat, runMislukt };
}
