import { RestError, type TableClient } from "@azure/data-tables";
import { z } from "zod";
import type { EmailSender } from "../adapters/email/sender.js";
import { EmailRefusedError } from "../adapters/email/sender.js";
import type { CertificateProvider } from "../adapters/certificates/index.js";
import type { RelayStatusStore } from "../adapters/state/relay-status.js";
import type { School, SchoolStore } from "../adapters/state/schools.js";
import type { StateStore } from "../adapters/state/state-store.js";
import { ensureTable, getEntityOrNull, type TableFactory } from "../adapters/state/tables.js";
import { aanleverpuntFacts, buildDigest, type CertificateFact, type DigestCounts } from "../core/digest.js";

/**
 * The daily e-mail digest (issue 10): per school, gathers the facts (actions and deadlines from the
 * state store, its certificates, its relay's status, its last runs), builds the digest (src/core/digest.ts)
 * and sends it to the school's contact addresses — nothing when all is well.
 *
 * At most one digest per school per day, also when the function is retried or runs twice: a row in
 * table `digests` (PartitionKey the school id, RowKey the day) is created before sending (only one
 * attempt can create it) and completed after. A row left "VERZENDEN" means an attempt may or may not
 * have reached ACS: it is not sent again (at most once) and the audit says so. A refusal by ACS (it
 * answered no, nothing accepted) releases the day for a retry. The audit records counts only.
 */

export const DIGESTS_TABLE = "digests";

const Mark = z.object({
  stand: z.enum(["VERZENDEN", "VERZONDEN", "GEWEIGERD"]),
  at: z.string(),
  operatie: z.string().nullable(),
});
type Mark = z.infer<typeof Mark>;

export type DigestOutcome = "VERZONDEN" | "NIETS_TE_MELDEN" | "GEEN_ONTVANGERS" | "AL_VERZONDEN" | "ONZEKER" | "GEWEIGERD" | "FOUT";

export interface DigestDeps {
  schools: SchoolStore;
  relayStatus: RelayStatusStore;
  state: StateStore;
  certificates: CertificateProvider;
  tables: TableFactory;
  mail: EmailSender;
  /** whether the last sync run of an aanleverpunt failed (the durable client's status) */
  runFailed(aanleverpunt: string): Promise<boolean>;
  /** the beheerpagina, linked from the e-mail */
  beheerUrl: string;
  now(): Date;
}

export async function sendDailyDigests(d: DigestDeps): Promise<{ school: string; uitkomst: DigestOutcome }[]> {
  const out: { school: string; uitkomst: DigestOutcome }[] = [];
  // only schools in the daily run (one being onboarded or paused is not alarmed about); one school's
  // failure never stops another school's digest
  // one table client for the run: ensureTable then creates the table once, not once per school
  const marks = d.tables(DIGESTS_TABLE);
  for (const school of (await d.schools.list()).filter((s) => s.instellingen.dagelijkseSync)) {
    const uitkomst = await digestFor(d, school, marks).catch(() => "FOUT" as const);
    out.push({ school: school.id, uitkomst });
  }
  return out;
}

async function certificateFact(certificates: CertificateProvider, ap: string, now: Date): Promise<CertificateFact> {
  try {
    const s = await certificates.status(ap);
    if (s.state === "valid" || s.state === "expiring") return { soort: "geldig", dagen: s.daysUntilExpiry ?? Math.floor((Date.parse(s.notAfter ?? now.toISOString()) - now.getTime()) / 86_400_000) };
    if (s.state === "unknown") return { soort: "onbekend" };
    return { soort: "onbruikbaar" };
  } catch {
    return { soort: "onbekend" };
  }
}

/** `table`: the digests table's client when the caller has one (sendDailyDigests); else one is made. */
export async function digestFor(d: DigestDeps, school: School, table: TableClient = d.tables(DIGESTS_TABLE)): Promise<DigestOutcome> {
  const now = d.now();
  const today = now.toISOString().slice(0, 10);
  const marks = await ensureTable(table);
  const existing = await getEntityOrNull<{ data: string; etag: string }>(marks, school.id, today);
  const before = existing ? Mark.parse(JSON.parse(existing.data)) : null;
  // a second run the same day (a retry, or by hand) sends nothing; the audit shows it was asked
  if (before?.stand === "VERZONDEN") {
    await audit(d, school, now, "DIGEST_AL_VERZONDEN", null, {});
    return "AL_VERZONDEN";
  }
  if (before?.stand === "VERZENDEN") {
    await audit(d, school, now, "DIGEST_ONZEKER", null, {});
    return "ONZEKER";
  }

  const aanleverpunten = [];
  for (const a of school.aanleverpunten) {
    const actions = await d.state.loadActions(a.code);
    const cert = await certificateFact(d.certificates, a.code, now);
    const failed = await d.runFailed(a.code).catch(() => false);
    aanleverpunten.push(aanleverpuntFacts(a.code, actions, today, cert, failed));
  }
  const relay = await d.relayStatus.get(school.id).catch(() => null);
  const digest = buildDigest({ school: { id: school.id, naam: school.naam }, nu: now.toISOString(), relayOnbereikbaarSinds: relay?.onbereikbaarSinds ?? null, aanleverpunten, beheerUrl: d.beheerUrl });
  if (digest === null) return "NIETS_TE_MELDEN";
  if (school.contact.emails.length === 0) {
    await audit(d, school, now, "DIGEST_GEEN_ONTVANGERS", digest.tellingen, {});
    return "GEEN_ONTVANGERS";
  }

  // claim the day before sending: only one attempt can create (or take over a refused day's) row
  const claim: Mark = { stand: "VERZENDEN", at: now.toISOString(), operatie: null };
  try {
    if (existing) await marks.updateEntity({ partitionKey: school.id, rowKey: today, data: JSON.stringify(claim) }, "Replace", { etag: existing.etag });
    else await marks.createEntity({ partitionKey: school.id, rowKey: today, data: JSON.stringify(claim) });
  } catch (e) {
    if (e instanceof RestError && (e.statusCode === 409 || e.statusCode === 412)) return "AL_VERZONDEN";
    throw e;
  }

  let operatie: string;
  try {
    operatie = await d.mail.send({ to: school.contact.emails, onderwerp: digest.onderwerp, tekst: digest.tekst, html: digest.html });
  } catch (e) {
    if (e instanceof EmailRefusedError) {
      await marks.upsertEntity({ partitionKey: school.id, rowKey: today, data: JSON.stringify({ stand: "GEWEIGERD", at: d.now().toISOString(), operatie: null } satisfies Mark) }, "Replace");
      await audit(d, school, now, "DIGEST_GEWEIGERD", digest.tellingen, { ontvangers: school.contact.emails.length, fout: e.code });
      return "GEWEIGERD";
    }
    // unknown whether ACS accepted it: the row stays VERZENDEN, so it is never sent twice
    await audit(d, school, now, "DIGEST_ONZEKER", digest.tellingen, { ontvangers: school.contact.emails.length });
    return "ONZEKER";
  }
  await marks.upsertEntity({ partitionKey: school.id, rowKey: today, data: JSON.stringify({ stand: "VERZONDEN", at: d.now().toISOString(), operatie } satisfies Mark) }, "Replace");
  await audit(d, school, now, "DIGEST_VERZONDEN", digest.tellingen, { ontvangers: school.contact.emails.length, operatie });
  return "VERZONDEN";
}

/** The audit entry, under each of the school's aanleverpunten (the audit is kept per aanleverpunt): counts only. */
async function audit(d: DigestDeps, school: School, at: Date, op: string, tellingen: DigestCounts | null, extra: Record<string, string | number | null>): Promise<void> {
  const details = { school: school.id, ...(tellingen ?? {}), ...extra };
  for (const a of school.aanleverpunten) {
    await d.state.audit(a.code, at, { op, door: "systeem", wat: "dagelijks overzicht per e-mail", details }).catch(() => undefined);
  }
}
