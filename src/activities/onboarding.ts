import { createHash, randomBytes, randomInt } from "node:crypto";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { CertificateClient } from "@azure/keyvault-certificates";
import { SecretClient } from "@azure/keyvault-secrets";
import { z } from "zod";
import { certificateName, type CertificateProvider } from "../adapters/certificates/index.js";
import { provisionRelayChannel } from "../adapters/lvs/channel-provisioning.js";
import type { RelayClient } from "../adapters/lvs/relay-client.js";
import { defaultRelayChannel, School, SchoolChangedError, SchoolId, type SchoolStore } from "../adapters/state/schools.js";
import { Aanleverpunt } from "../core/model.js";
import { ensureError } from "../errors.js";

/**
 * Onboarding a school without editing code or app settings (docs/onboarding.md). A Beheerder adds the
 * school to the registry, which provisions its relay channel (its own queue and SAS) and writes its
 * relay key to Key Vault; then imports the school's PKIoverheid certificate (a PFX) per aanleverpunt;
 * then tests the relay and the certificates; only then is the school taken into the daily run.
 *
 * Key Vault is written with the Beheerder's own rights: the person's access token for Key Vault (App
 * Service Authentication's token store passes it as `x-ms-token-aad-access-token`), never the app's
 * identity, which stays read-only (Secrets User + Certificate User). A person without the Key Vault
 * role gets Key Vault's refusal, passed on in Dutch.
 */

export interface OnboardingDeps {
  schools: SchoolStore;
  /** the relay channel account's connection string (read with the app's identity; its key signs the relay's SAS) */
  channelConnection(): Promise<string>;
  /** Key Vault clients acting as the signed-in person (their own token) */
  asPerson(token: string): { secrets: SecretClient; certificates: CertificateClient };
  relay(aanleverpunt: string): RelayClient;
  certificates: CertificateProvider;
  now(): Date;
}

/** What the Beheerder enters for a new school. */
export const NieuweSchool = z.object({
  id: SchoolId,
  naam: z.string().trim().min(1).max(200),
  brins: z.array(z.string().regex(/^\d{2}[A-Z]{2}$/, "verwacht een BRIN zoals 12AB")).min(1).max(20),
  aanleverpunten: z.array(z.object({ code: Aanleverpunt, naam: z.string().max(200).default("") })).min(1).max(200),
  contact: z.object({ emails: z.array(z.string().email().max(254)).max(20) }).default({ emails: [] }),
});
export type NieuweSchool = z.infer<typeof NieuweSchool>;

export const CertificaatUpload = z.object({
  aanleverpunt: Aanleverpunt,
  /** the PFX (PKCS#12) file, base64 */
  pfx: z.string().min(100).max(200_000).regex(/^[A-Za-z0-9+/=\s]+$/, "verwacht het PFX-bestand als base64"),
  wachtwoord: z.string().max(256).optional(),
});
export type CertificaatUpload = z.infer<typeof CertificaatUpload>;

/** A refusal the API answers as is: HTTP status, code and Dutch melding. */
export class OnboardingRefusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly fout: string,
    readonly melding: string,
  ) {
    super(melding);
  }
}

/** How long the relay's one-time registration code may be used (issue 13: a day). */
export const REGISTRATIE_UREN = 24;
/** A code a person can type: 4 groups of 4 from an alphabet without 0/O and 1/I/L. */
const ALFABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export function registratiecode(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => ALFABET[randomInt(ALFABET.length)]).join(""));
  return groups.join("-");
}
export const codeSha256 = (code: string) => createHash("sha256").update(code.replace(/[\s-]/g, "").toUpperCase()).digest("hex");

/** A TokenCredential that hands out one person's token (it expires with their sign-in). */
export function personCredential(token: string): TokenCredential {
  return { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 5 * 60_000 }) };
}

/** Key Vault's refusals of the person's own call, in Dutch. */
function vaultRefusal(e: unknown, wat: string, rol: string): never {
  const status = (e as { statusCode?: number }).statusCode;
  if (status === 401) throw new OnboardingRefusal(403, "KEY_VAULT_AANMELDING", `Key Vault accepteert uw aanmelding niet (verlopen of zonder Key Vault-toestemming). Meld opnieuw aan en probeer het nog eens.`);
  if (status === 403) throw new OnboardingRefusal(403, "KEY_VAULT_GEEN_RECHT", `Key Vault weigert ${wat}: uw account heeft de rol ${rol} op de Key Vault niet. Vraag dit aan bij de eigenaar van de Azure-omgeving.`);
  if (status === 400) throw new OnboardingRefusal(400, "KEY_VAULT_ONGELDIG", `Key Vault weigert ${wat}: het bestand is geen geldig PFX-bestand of het wachtwoord klopt niet.`);
  throw e;
}

export interface AangeslotenSchool {
  school: School;
  /** one-time code for registering the relay (`bronsync-relay register`, which fetches the relay's settings and key); only its hash is kept */
  registratiecode: string;
  registratieGeldigTot: string;
}

/** Adds a school: registry record (not yet in the daily run), its relay channel, its relay key in Key Vault (the person's rights). */
export async function schoolAansluiten(deps: OnboardingDeps, input: NieuweSchool, o: { token: string; door: string }): Promise<AangeslotenSchool> {
  if (await deps.schools.get(input.id)) throw new OnboardingRefusal(409, "SCHOOL_BESTAAT", `School ${input.id} bestaat al.`);
  for (const a of input.aanleverpunten) {
    const owner = await deps.schools.byAanleverpunt(a.code);
    if (owner) throw new OnboardingRefusal(409, "AANLEVERPUNT_BEZET", `Aanleverpunt ${a.code} hoort al bij school ${owner.naam}.`);
  }
  const now = deps.now();
  const code = registratiecode();
  const geldigTot = new Date(now.getTime() + REGISTRATIE_UREN * 3_600_000).toISOString();
  const parsed = School.safeParse({
    ...input,
    relay: defaultRelayChannel(input.id),
    instellingen: { dagelijkseSync: false },
    registratie: { codeSha256: codeSha256(code), geldigTot, door: o.door },
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new OnboardingRefusal(400, "ONGELDIGE_INVOER", `De school klopt niet: ${i?.path.join(".") ?? ""} ${i?.message ?? ""}`.trim());
  }
  const school = parsed.data;

  // the relay key first, with the person's rights: without them nothing is registered
  const key = randomBytes(32).toString("base64");
  try {
    await deps.asPerson(o.token).secrets.setSecret(school.relay.sleutelSecret, key, { contentType: "text/plain" });
  } catch (e) {
    vaultRefusal(e, "het opslaan van de relay-sleutel", "Key Vault Secrets Officer");
  }
  const connection = await deps.channelConnection();
  // the queue and its SAS policy now; the relay gets its URL (and the key) when it registers with the code
  await provisionRelayChannel({ connectionString: connection, school, now });
  await deps.schools.put(school);
  return {
    school,
    registratiecode: code,
    registratieGeldigTot: geldigTot,
  };
}

/**
 * A new one-time registration code for a school already connected (its relay reinstalled on another
 * server, or the first code expired). The old code stops working; the relay key stays the same.
 */
export async function nieuweRegistratiecode(deps: OnboardingDeps, schoolId: string, o: { door: string }): Promise<{ registratiecode: string; registratieGeldigTot: string }> {
  const v = await deps.schools.getVersioned(schoolId);
  if (!v) throw new OnboardingRefusal(404, "ONBEKENDE_SCHOOL", `School ${schoolId} bestaat niet.`);
  const code = registratiecode();
  const geldigTot = new Date(deps.now().getTime() + REGISTRATIE_UREN * 3_600_000).toISOString();
  try {
    await deps.schools.replace({ ...v.school, registratie: { codeSha256: codeSha256(code), geldigTot, door: o.door } }, v.etag);
  } catch (e) {
    if (e instanceof SchoolChangedError) throw new OnboardingRefusal(409, "GEWIJZIGD", `School ${v.school.naam} is net gewijzigd; probeer het opnieuw.`);
    throw e;
  }
  return { registratiecode: code, registratieGeldigTot: geldigTot };
}

/** The name of a school's next relay key secret (a new secret per rotation; the app never writes Key Vault). */
export const nextKeySecretName = (schoolId: string, now: Date) => `relay-${schoolId}-sleutel-${now.toISOString().replace(/\D/g, "").slice(0, 14)}`;

/**
 * Key rotation without a visit (docs/relay.md "Relay-sleutel vervangen"): a new relay key, written to
 * Key Vault as a new secret with the Beheerder's own rights; the school record names it as pending.
 * The relay's next heartbeat (signed with the current key) gets it, the relay keeps its old key as
 * RELAY_HMAC_KEY_PREVIOUS and signs with the new one; the cloud's first heartbeat signed with the new
 * key makes it current. Until then the cloud keeps signing its queue requests with the current key.
 */
export async function relaySleutelVervangen(deps: OnboardingDeps, schoolId: string, o: { token: string; door: string }): Promise<{ school: School; secret: string }> {
  const v = await deps.schools.getVersioned(schoolId);
  if (!v) throw new OnboardingRefusal(404, "ONBEKENDE_SCHOOL", `School ${schoolId} bestaat niet.`);
  const secret = nextKeySecretName(v.school.id, deps.now());
  try {
    await deps.asPerson(o.token).secrets.setSecret(secret, randomBytes(32).toString("base64"), { contentType: "text/plain" });
  } catch (e) {
    vaultRefusal(e, "het opslaan van de nieuwe relay-sleutel", "Key Vault Secrets Officer");
  }
  const next: School = { ...v.school, relay: { ...v.school.relay, nieuweSleutelSecret: secret } };
  try {
    await deps.schools.replace(next, v.etag);
  } catch (e) {
    if (e instanceof SchoolChangedError) throw new OnboardingRefusal(409, "GEWIJZIGD", `School ${v.school.naam} is net gewijzigd; probeer het opnieuw.`);
    throw e;
  }
  return { school: next, secret };
}

async function schoolOf(deps: OnboardingDeps, id: string): Promise<School> {
  const school = await deps.schools.get(id);
  if (!school) throw new OnboardingRefusal(404, "ONBEKENDE_SCHOOL", `School ${id} bestaat niet.`);
  return school;
}

/** Imports an aanleverpunt's certificate (PFX) into Key Vault with the person's rights; returns its state as the app reads it. */
export async function certificaatImporteren(deps: OnboardingDeps, schoolId: string, upload: CertificaatUpload, o: { token: string }) {
  const school = await schoolOf(deps, schoolId);
  if (!school.aanleverpunten.some((a) => a.code === upload.aanleverpunt)) {
    throw new OnboardingRefusal(400, "ONBEKEND_AANLEVERPUNT", `Aanleverpunt ${upload.aanleverpunt} hoort niet bij school ${school.naam}.`);
  }
  const name = certificateName(upload.aanleverpunt);
  try {
    await deps.asPerson(o.token).certificates.importCertificate(name, new Uint8Array(Buffer.from(upload.pfx, "base64")), {
      ...(upload.wachtwoord ? { password: upload.wachtwoord } : {}),
      policy: { contentType: "application/x-pkcs12", exportable: true },
    });
  } catch (e) {
    vaultRefusal(e, "het importeren van het certificaat", "Key Vault Certificates Officer");
  }
  deps.certificates.invalidate(upload.aanleverpunt);
  return deps.certificates.status(upload.aanleverpunt);
}

export interface Controle {
  relay: { ok: boolean; melding: string; versie?: string };
  certificaten: { aanleverpunt: string; ok: boolean; melding: string; geldigTot: string | null }[];
  /** everything needed for the first run is in place */
  klaar: boolean;
}

/** Tests the school's relay (reachable, compatible version, reports the school's aanleverpunten) and each certificate's validity. */
export async function schoolControleren(deps: OnboardingDeps, schoolId: string): Promise<Controle> {
  const school = await schoolOf(deps, schoolId);
  const first = school.aanleverpunten[0]!.code;
  let relay: Controle["relay"];
  try {
    const client = deps.relay(first);
    const health = await client.requireCompatibleVersion();
    const reported = new Set((await client.aanleverpunten()).map((a) => a.code));
    const missing = school.aanleverpunten.filter((a) => !reported.has(a.code)).map((a) => a.code);
    relay =
      missing.length === 0
        ? { ok: true, melding: `De relay van ${school.naam} is bereikbaar en meldt alle aanleverpunten.`, versie: health.apiVersion }
        : { ok: false, melding: `De relay van ${school.naam} is bereikbaar, maar LVS2000 kent aanleverpunt ${missing.join(", ")} niet. Controleer de aanleverpunten van de school.` };
  } catch (e) {
    const err = ensureError(e);
    relay = { ok: false, melding: /^De relay van school/.test(err.message) ? err.message : `De relay van ${school.naam} antwoordt niet zoals verwacht: ${dutchReason(err)}` };
  }
  const certificaten: Controle["certificaten"] = [];
  for (const a of school.aanleverpunten) {
    const s = await deps.certificates.status(a.code);
    certificaten.push({ aanleverpunt: a.code, ok: s.state === "valid" || s.state === "expiring", melding: s.melding, geldigTot: s.notAfter });
  }
  return { relay, certificaten, klaar: relay.ok && certificaten.every((c) => c.ok) };
}

/** A reason without internals: the error's own text only when it is Dutch (the relay client's reasons are). */
function dutchReason(e: Error): string {
  return /\b(de|het|een|niet|relay)\b/i.test(e.message) && !/\bat\s/.test(e.message) ? e.message : "controleer de installatie op school (docs/onboarding.md).";
}

/** Takes the school into the daily run, only when the test passes. */
export async function schoolActiveren(deps: OnboardingDeps, schoolId: string): Promise<{ school: School; controle: Controle }> {
  const controle = await schoolControleren(deps, schoolId);
  if (!controle.klaar) {
    const waarom = [controle.relay.ok ? null : controle.relay.melding, ...controle.certificaten.filter((c) => !c.ok).map((c) => c.melding)].filter(Boolean).join(" ");
    throw new OnboardingRefusal(409, "NIET_KLAAR", `De school gaat nog niet mee in de dagelijkse sync: ${waarom}`);
  }
  const school = await schoolOf(deps, schoolId);
  const next: School = { ...school, instellingen: { ...school.instellingen, dagelijkseSync: true } };
  await deps.schools.put(next);
  return { school: next, controle };
}
