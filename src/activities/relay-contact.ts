import { BlobServiceClient } from "@azure/storage-blob";
import { provisionRelayChannel } from "../adapters/lvs/channel-provisioning.js";
import type { NonceStore } from "../adapters/state/relay-nonces.js";
import type { RelayStatusStore } from "../adapters/state/relay-status.js";
import { SchoolChangedError, SchoolId, type School, type SchoolStore } from "../adapters/state/schools.js";
import type { AuditEntry } from "../adapters/state/state-store.js";
import { type AanmeldAntwoord, type AanmeldGegevens, Hartslag, type HartslagAntwoord, type UpdateAanbod } from "../contracts/relay/contact.js";
import { REPLY_CONTAINER } from "../contracts/relay/queue-channel.js";
import { decodeKey, signatureMatches } from "../contracts/relay/signing.js";
import { HARTSLAG_SECONDEN, MINIMUM_RELAY_VERSIE, relayAccepted, relayTooOldReason } from "../core/relay-versie.js";
import { codeSha256 } from "./onboarding.js";

/**
 * The cloud's end of the relay → cloud contact API (src/contracts/relay/contact.ts; functions/api-relay.ts
 * registers the endpoints, functions/access.ts authenticates them): registering a relay with the one-time
 * code, and its heartbeat, signed with the school's relay key. Keys are read with the app's identity
 * (read-only on Key Vault); the app never writes Key Vault — a key rotation's new key was written by a
 * Beheerder (onboarding.ts relaySleutelVervangen), and only which secret is current changes here.
 */

export interface RelayContactDeps {
  schools: SchoolStore;
  relayStatus: RelayStatusStore;
  nonces: NonceStore;
  /** a Key Vault secret's value, read with the app's identity; null when it does not exist */
  secret(name: string): Promise<string | null>;
  /** the relay channel account's connection string (its key signs the relay's queue SAS) */
  channelConnection(): Promise<string>;
  /** helper UPDATE's hook: the signed release to offer a relay of this version, or null */
  updateOffer(relayVersie: string): Promise<UpdateAanbod | null>;
  audit(partition: string, at: Date, entry: AuditEntry): Promise<void>;
  now(): Date;
}

export interface ContactRefusal {
  ok: false;
  status: 400 | 401 | 403 | 409 | 413;
  fout: string;
  melding: string;
}
const refusal = (status: ContactRefusal["status"], fout: string, melding: string): ContactRefusal => ({ ok: false, status, fout, melding });

/** How far a signed request's timestamp may lie from the cloud's clock. */
export const CONTACT_WINDOW_MS = 5 * 60_000;
export const AUDIT_RELAY = "toegang";

// ── registering with the one-time code ──────────────────────────────────────────────────────────────

/**
 * The school whose registration code this is: one point read on the code index by the code's SHA-256
 * (`SchoolStore.byRegistratiecode`), so an anonymous request costs the same however many schools there
 * are, and the stored hashes are never compared one by one (nothing to time).
 */
export async function findByCode(deps: Pick<RelayContactDeps, "schools" | "now">, code: string): Promise<{ ok: true; school: School } | ContactRefusal> {
  const found = await deps.schools.byRegistratiecode(codeSha256(code));
  const r = found?.registratie;
  if (!found || !r) return refusal(401, "CODE_ONBEKEND", "Deze registratiecode is onbekend. Controleer de code (16 tekens, zoals op de beheerpagina) of vraag de beheerder van BRON Sync om een nieuwe.");
  if (r.gebruiktOp) {
    return refusal(401, "CODE_GEBRUIKT", `Deze registratiecode is al gebruikt${r.gebruiktDoor ? ` door server ${r.gebruiktDoor}` : ""}. Een code werkt één keer: vraag de beheerder van BRON Sync om een nieuwe code voor deze school.`);
  }
  if (Date.parse(r.geldigTot) <= deps.now().getTime()) {
    return refusal(401, "CODE_VERLOPEN", "Deze registratiecode is verlopen (een code is 24 uur geldig). Vraag de beheerder van BRON Sync om een nieuwe code voor deze school.");
  }
  return { ok: true, school: found };
}

/**
 * Hands a relay its school's settings for a valid, unused code, then marks the code used. The mark is a
 * conditional write (ETag): of two relays registering with one code at the same moment, one gets the
 * settings and the other the refusal "al gebruikt" — never both.
 */
export async function aanmelden(deps: RelayContactDeps, school: School, verzoek: AanmeldGegevens, cloudUrl: string): Promise<{ ok: true; antwoord: AanmeldAntwoord } | ContactRefusal> {
  // a key the Beheerder made after a compromise (pending) is the one a new registration gets, and it becomes
  // current at once: the old key — on a stolen or replaced server — is then refused
  const secretName = school.relay.nieuweSleutelSecret ?? school.relay.sleutelSecret;
  const key = await deps.secret(secretName);
  if (!key) return refusal(409, "SLEUTEL_ONTBREEKT", `De relay-sleutel van school ${school.naam} staat niet in Key Vault. Vraag de beheerder van BRON Sync om een nieuwe relay-sleutel (beheerpagina, Aansluiten).`);
  const connection = await deps.channelConnection();
  const now = deps.now();

  const current = await deps.schools.getVersioned(school.id);
  const reg = current?.school.registratie;
  if (!current || !reg || reg.codeSha256 !== school.registratie?.codeSha256 || reg.gebruiktOp) {
    return refusal(401, "CODE_GEBRUIKT", "Deze registratiecode is zojuist al gebruikt. Een code werkt één keer: vraag de beheerder van BRON Sync om een nieuwe code.");
  }
  const { nieuweSleutelSecret: _pending, ...relay } = current.school.relay;
  try {
    await deps.schools.replace({ ...current.school, relay: { ...relay, sleutelSecret: secretName }, registratie: { ...reg, gebruiktOp: now.toISOString(), gebruiktDoor: verzoek.hostnaam } }, current.etag);
  } catch (e) {
    if (e instanceof SchoolChangedError) return refusal(401, "CODE_GEBRUIKT", "Deze registratiecode is zojuist al gebruikt. Een code werkt één keer: vraag de beheerder van BRON Sync om een nieuwe code.");
    throw e;
  }
  // only the registration that won the code gets a queue SAS; it ends the one handed out before
  const channel = await provisionRelayChannel({ connectionString: connection, school, now });
  const replies = BlobServiceClient.fromConnectionString(connection).getContainerClient(REPLY_CONTAINER).url;
  await deps.audit(AUDIT_RELAY, now, { op: "REGISTRATIE", door: `relay:${school.id}`, wat: "relay aangemeld met registratiecode", details: { school: school.id, hostnaam: verzoek.hostnaam, relayVersie: verzoek.relayVersie } });
  return {
    ok: true,
    antwoord: {
      school: { id: school.id, naam: school.naam },
      instellingen: {
        RELAY_SCHOOL: school.id,
        RELAY_TRANSPORT: "queue",
        RELAY_QUEUE_URL: channel.queueUrl,
        RELAY_REPLY_CONTAINER_URL: replies,
        RELAY_HMAC_KEY: key,
        RELAY_CLOUD_URL: cloudUrl,
      },
      melding: `De relay is aangemeld voor school ${school.naam}.`,
    },
  };
}

// ── signed requests from a relay ────────────────────────────────────────────────────────────────────

export interface SignedRequest {
  /** the school the request says it is for (SCHOOL_HEADER) */
  school: string | null;
  method: string;
  /** path and query as the request arrived (what the relay signed) */
  pathAndQuery: string;
  body: Buffer;
  timestamp: string | null;
  nonce: string | null;
  signature: string | null;
}

const ONGELDIG = "De handtekening van de relay klopt niet voor deze school. Controleer RELAY_SCHOOL en RELAY_HMAC_KEY in de configuratie van de relay, of meld de relay opnieuw aan (bronsync-relay register).";

/**
 * Checks a relay's signed request: the school the header names, its current key (or, during a key
 * rotation, its next one — the first request signed with the next key makes it current), the
 * timestamp within the window, and a nonce never seen before. A relay of school B can never act for
 * school A: only A's keys are tried.
 */
export async function verifyRelayRequest(deps: RelayContactDeps, r: SignedRequest): Promise<{ ok: true; school: School; sleutel: "huidig" | "nieuw" } | ContactRefusal> {
  if (!r.timestamp || !r.nonce || !r.signature || !/^\d{1,15}$/.test(r.timestamp) || !/^[A-Za-z0-9_-]{16,64}$/.test(r.nonce) || r.signature.length > 128) {
    return refusal(401, "NIET_ONDERTEKEND", "Dit verzoek is niet ondertekend met een relay-sleutel. Alleen een aangemelde relay mag dit (bronsync-relay register).");
  }
  if (!r.school || !SchoolId.safeParse(r.school).success) return refusal(401, "GEEN_SCHOOL", "Dit verzoek noemt geen (geldige) school. Meld de relay opnieuw aan (bronsync-relay register).");
  const now = deps.now();
  const timestamp = Number(r.timestamp);
  if (Math.abs(now.getTime() - timestamp) > CONTACT_WINDOW_MS) {
    return refusal(401, "KLOK_AFWIJKING", "Dit verzoek is geweigerd: de klok van de server van de school wijkt meer dan 5 minuten af van de echte tijd. Zet tijdsynchronisatie (NTP) aan op die server.");
  }
  const school = await deps.schools.get(r.school);
  if (!school) return refusal(401, "ONGELDIGE_HANDTEKENING", ONGELDIG);
  const parts = { method: r.method, pathAndQuery: r.pathAndQuery, body: r.body, timestamp, nonce: r.nonce };
  const matches = async (secret: string | undefined) => {
    if (!secret) return false;
    const value = await deps.secret(secret);
    if (!value) return false;
    try {
      return signatureMatches(decodeKey(value), parts, r.signature!);
    } catch {
      return false;
    }
  };
  let sleutel: "huidig" | "nieuw";
  if (await matches(school.relay.sleutelSecret)) sleutel = "huidig";
  else if (await matches(school.relay.nieuweSleutelSecret)) sleutel = "nieuw";
  else return refusal(401, "ONGELDIGE_HANDTEKENING", ONGELDIG);
  if (!(await deps.nonces.remember(school.id, r.nonce, now))) return refusal(401, "HERHAALD", "Dit verzoek is al eens ontvangen en wordt niet nog eens uitgevoerd.");
  if (sleutel === "nieuw") return { ok: true, school: await promoteKey(deps, school.id), sleutel };
  return { ok: true, school, sleutel };
}

/** The relay signs with its next key: that key becomes current (the school record names its secret); the old secret stays in Key Vault. */
async function promoteKey(deps: RelayContactDeps, schoolId: string): Promise<School> {
  for (let attempt = 0; ; attempt++) {
    const v = await deps.schools.getVersioned(schoolId);
    if (!v) throw new Error(`school ${schoolId} disappeared`);
    const pending = v.school.relay.nieuweSleutelSecret;
    if (!pending) return v.school; // another request promoted it first
    const { nieuweSleutelSecret: _done, ...relay } = v.school.relay;
    const next: School = { ...v.school, relay: { ...relay, sleutelSecret: pending } };
    try {
      await deps.schools.replace(next, v.etag);
    } catch (e) {
      if (e instanceof SchoolChangedError && attempt < 3) continue;
      throw e;
    }
    await deps.audit(AUDIT_RELAY, deps.now(), { op: "RELAY_SLEUTEL", door: `relay:${schoolId}`, wat: "relay gebruikt de nieuwe sleutel", details: { school: schoolId, vorigeSecret: v.school.relay.sleutelSecret, secret: pending } });
    return next;
  }
}

// ── the heartbeat ───────────────────────────────────────────────────────────────────────────────────

/** Records a heartbeat and answers it: accepted or not (the minimum version), an update on offer, and during a rotation the next key. */
export async function hartslag(deps: RelayContactDeps, school: School, sleutel: "huidig" | "nieuw", body: unknown): Promise<{ ok: true; antwoord: HartslagAntwoord } | ContactRefusal> {
  const parsed = Hartslag.safeParse(body);
  if (!parsed.success) return refusal(400, "ONGELDIGE_HARTSLAG", `De hartslag van de relay klopt niet: ${parsed.error.issues.map((i) => `${i.path.join(".") || "invoer"}: ${i.message}`).join("; ")}`);
  const h = parsed.data;
  const geaccepteerd = relayAccepted(h.relayVersie);
  const now = deps.now();
  await deps.relayStatus.recordHeartbeat(school.id, {
    op: now.toISOString(),
    relayVersie: h.relayVersie,
    apiVersie: h.apiVersie,
    lvs2000Versie: h.lvs2000Versie,
    databaseOk: h.database.ok,
    databaseMelding: h.database.melding,
    hostnaam: h.hostnaam ?? null,
    geaccepteerd,
    laatsteUpdate: h.laatsteUpdate,
  });
  const pending = sleutel === "huidig" ? school.relay.nieuweSleutelSecret : undefined;
  const nieuweSleutel = pending ? await deps.secret(pending) : null;
  return {
    ok: true,
    antwoord: {
      geaccepteerd,
      melding: geaccepteerd ? null : relayTooOldReason(h.relayVersie),
      minimumVersie: MINIMUM_RELAY_VERSIE,
      update: await deps.updateOffer(h.relayVersie),
      nieuweSleutel,
      volgendeSeconden: HARTSLAG_SECONDEN,
    },
  };
}
