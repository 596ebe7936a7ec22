/**
 * The certificate provider: each aanleverpunt's client certificate and key from Key Vault
 * (certificate `bron-<aanleverpunt>`, see names.ts), cached until near expiry.
 *
 * Domain rule: sending requires the aanleverpunt's certificate to be present and valid, checked
 * again at send time — so every `getClientCertificate` checks validity against `now()`, also for a
 * cached certificate, and throws CertificateUnavailableError (Dutch message) instead of handing out
 * a missing, disabled, expired, not-yet-valid, key-less or other school's certificate.
 * Only usable certificates are cached; a refusal is never cached, so a fix in Key Vault counts at once.
 */
import { CertificateClient, type CertificateClientOptions } from "@azure/keyvault-certificates";
import { SecretClient } from "@azure/keyvault-secrets";
import { schoolOin } from "../../core/validation.js";
import { CertificateUnavailableError, KeyVaultAccessError, type CertificateProblem } from "./errors.js";
import { fetchMaterial, lookupCertificate, type VaultClients } from "./key-vault.js";
import type { CertificateFacts, ClientMaterial, TlsMaterial } from "./material.js";
import { certificateName } from "./names.js";
import { DAY_MS, daysUntil, stateMessage, validityState, type CertificateState } from "./status.js";

/** Options for both SDK clients: retry, extra pipeline policies (e.g. trust of a private CA), challenge verification. */
export type KeyVaultClientOptions = Omit<CertificateClientOptions, "serviceVersion">;

export interface CertificateProviderOptions {
  vaultUrl: string;
  /** production: `new DefaultAzureCredential()`; any TokenCredential works */
  credential: ConstructorParameters<typeof CertificateClient>[1];
  clientOptions?: KeyVaultClientOptions;
  now: () => Date;
  /** fetch again once fewer than this many days remain (a renewed certificate is picked up); default 14 */
  refreshBeforeExpiryDays?: number;
  /** state "expiring" below this many days (CERTIFICATE_WARN_DAYS); default 30 */
  warnDays?: number;
  /** a cached certificate is fetched again after this long anyway (a replaced one is picked up); default 60 */
  maxCacheAgeMinutes?: number;
  /**
   * refuse a certificate whose Subject.serialNumber is an OIN other than the school's
   * (00000007000 + BRIN + 00000); default true. A certificate without serialNumber is not checked.
   */
  requireSchoolOin?: boolean;
}

export interface ClientCertificate {
  aanleverpunt: string;
  certificateName: string;
  version: string;
  /** PEM: leaf, then chain */
  cert: string;
  /** PEM private key; undefined only if the vault returned PKCS#12 — spread `tls` instead */
  key: string | undefined;
  /** spread into https.Agent / tls.connect options */
  tls: TlsMaterial;
  notBefore: string;
  notAfter: string;
  daysUntilExpiry: number;
  thumbprint: string;
  oin: string | null;
  state: "valid" | "expiring";
}

export interface CertificateStatus {
  aanleverpunt: string;
  certificateName: string;
  state: CertificateState;
  daysUntilExpiry: number | null;
  notAfter: string | null;
  thumbprint: string | null;
  /** Dutch, for the user */
  melding: string;
}

export interface CertificateProvider {
  /** The usable certificate for sending, or CertificateUnavailableError / KeyVaultAccessError. */
  getClientCertificate(aanleverpunt: string): Promise<ClientCertificate>;
  /** Whole days left (negative once expired); throws when there is no certificate at all. */
  daysUntilExpiry(aanleverpunt: string): Promise<number>;
  status(aanleverpunt: string): Promise<CertificateStatus>;
  listStatus(aanleverpunten: readonly string[]): Promise<CertificateStatus[]>;
  /** Forget a cached certificate (e.g. after BRON refused it in the TLS handshake). */
  invalidate(aanleverpunt: string): void;
}

interface Entry {
  name: string;
  version: string;
  facts: CertificateFacts;
  material: ClientMaterial;
  staleAt: number;
}

/** A recheck interval inside the refresh window, so an unrenewed certificate does not cost a Key Vault call per send. */
const NEAR_EXPIRY_RECHECK_MS = 15 * 60_000;

export function createCertificateProvider(opts: CertificateProviderOptions): CertificateProvider {
  const clients: VaultClients = {
    certificates: new CertificateClient(opts.vaultUrl, opts.credential, opts.clientOptions),
    secrets: new SecretClient(opts.vaultUrl, opts.credential, opts.clientOptions),
  };
  const refreshMs = (opts.refreshBeforeExpiryDays ?? 14) * DAY_MS;
  const warnDays = opts.warnDays ?? 30;
  const maxAgeMs = (opts.maxCacheAgeMinutes ?? 60) * 60_000;
  const checkOin = opts.requireSchoolOin !== false;
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();

  const refuse = (problem: CertificateProblem, ap: string, facts?: CertificateFacts): never => {
    const name = certificateName(ap);
    const message = stateMessage(problem, { aanleverpunt: ap, certificateName: name, ...facts, expectedOin: schoolOin(ap.slice(0, 4)) });
    const known = facts && { notBefore: facts.notBefore, notAfter: facts.notAfter, thumbprint: facts.thumbprint };
    throw new CertificateUnavailableError(problem, ap, name, message, known);
  };

  const staleAt = (facts: CertificateFacts, fetchedAt: number) => {
    const refreshAt = facts.notAfter.getTime() - refreshMs;
    return refreshAt > fetchedAt ? Math.min(refreshAt, fetchedAt + maxAgeMs) : fetchedAt + Math.min(maxAgeMs, NEAR_EXPIRY_RECHECK_MS);
  };

  const load = async (ap: string): Promise<Entry> => {
    const name = certificateName(ap);
    const found = await lookupCertificate(clients, name, ap);
    if (!found.found) return refuse("missing", ap);
    const { facts, version } = found;
    if (!found.enabled) return refuse("disabled", ap, facts);
    if (checkOin && facts.oin !== null && facts.oin !== schoolOin(ap.slice(0, 4))) return refuse("wrongSchool", ap, facts);
    const state = validityState(facts, opts.now(), warnDays);
    if (state === "expired" || state === "notYetValid") return refuse(state, ap, facts);
    const material = await fetchMaterial(clients, name, version, facts, ap);
    if (typeof material === "string") return refuse(material, ap, facts);
    const entry = { name, version, facts, material, staleAt: staleAt(facts, opts.now().getTime()) };
    cache.set(ap, entry);
    return entry;
  };

  const current = (ap: string): Promise<Entry> => {
    const cached = cache.get(ap);
    if (cached && opts.now().getTime() < cached.staleAt) return Promise.resolve(cached);
    cache.delete(ap);
    let pending = inFlight.get(ap);
    if (!pending) {
      pending = load(ap).finally(() => inFlight.delete(ap));
      inFlight.set(ap, pending);
    }
    return pending;
  };

  const getClientCertificate = async (ap: string): Promise<ClientCertificate> => {
    const e = await current(ap);
    const now = opts.now();
    const state = validityState(e.facts, now, warnDays);
    if (state !== "valid" && state !== "expiring") {
      cache.delete(ap);
      return refuse(state as CertificateProblem, ap, e.facts);
    }
    const { facts, material } = e;
    return {
      aanleverpunt: ap, certificateName: e.name, version: e.version, cert: material.cert, key: material.key, tls: material.tls,
      notBefore: facts.notBefore.toISOString(), notAfter: facts.notAfter.toISOString(), daysUntilExpiry: daysUntil(facts.notAfter, now),
      thumbprint: facts.thumbprint, oin: facts.oin, state,
    };
  };

  const status = async (ap: string): Promise<CertificateStatus> => {
    const base = { aanleverpunt: ap, certificateName: certificateName(ap) };
    try {
      const c = await getClientCertificate(ap);
      const melding = stateMessage(c.state, { ...base, notAfter: new Date(c.notAfter), daysLeft: c.daysUntilExpiry });
      return { ...base, state: c.state, daysUntilExpiry: c.daysUntilExpiry, notAfter: c.notAfter, thumbprint: c.thumbprint, melding };
    } catch (e) {
      if (e instanceof CertificateUnavailableError) {
        const k = e.certificate;
        const days = k ? daysUntil(k.notAfter, opts.now()) : null;
        return { ...base, state: e.problem, daysUntilExpiry: days, notAfter: k?.notAfter.toISOString() ?? null, thumbprint: k?.thumbprint ?? null, melding: e.message };
      }
      if (e instanceof KeyVaultAccessError) {
        return { ...base, state: "unknown", daysUntilExpiry: null, notAfter: null, thumbprint: null, melding: e.message };
      }
      throw e;
    }
  };

  return {
    getClientCertificate,
    status,
    async daysUntilExpiry(ap) {
      const s = await status(ap);
      if (s.daysUntilExpiry !== null) return s.daysUntilExpiry;
      return getClientCertificate(ap).then((c) => c.daysUntilExpiry);
    },
    listStatus: (aps) => Promise.all(aps.map(status)),
    invalidate: (ap) => void cache.delete(ap),
  };
}
