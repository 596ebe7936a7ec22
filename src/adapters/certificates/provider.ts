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
import { createStaleAtCache } from "./cache.js";
import { CertificateUnavailableError, KeyVaultAccessError, type CertificateProblem } from "./errors.js";
import { fetchMaterial, lookupCertificate, type VaultClients } from "./key-vault.js";
import type { CertificateFacts, ClientMaterial, TlsMaterial } from "./material.js";
import { certificateName } from "../../contracts/keyvault/certificate-names.js";
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
  fetchedAt: number;
}

/** A recheck interval inside the refresh window, so an unrenewed certificate does not cost a Key Vault call per send. */
const NEAR_EXPIRY_RECHECK_MS = 15 * 60_000;

/**
 * Until when a fetched certificate may be used from the cache: the earlier of (notAfter − refresh)
 * and (fetchedAt + maxAge); inside the refresh window, at most NEAR_EXPIRY_RECHECK_MS.
 */
export function cacheUntil(notAfter: Date, fetchedAt: number, refreshMs: number, maxAgeMs: number): number {
  const refreshAt = notAfter.getTime() - refreshMs;
  return refreshAt > fetchedAt ? Math.min(refreshAt, fetchedAt + maxAgeMs) : fetchedAt + Math.min(maxAgeMs, NEAR_EXPIRY_RECHECK_MS);
}

/** A refusal or an unreachable Key Vault as a status line; anything else is rethrown. */
function statusFromError(e: unknown, base: { aanleverpunt: string; certificateName: string }, now: Date): CertificateStatus {
  if (e instanceof CertificateUnavailableError) {
    const k = e.certificate;
    const daysUntilExpiry = k ? daysUntil(k.notAfter, now) : null;
    return { ...base, state: e.problem, daysUntilExpiry, notAfter: k?.notAfter.toISOString() ?? null, thumbprint: k?.thumbprint ?? null, melding: e.message };
  }
  if (e instanceof KeyVaultAccessError) {
    return { ...base, state: "unknown", daysUntilExpiry: null, notAfter: null, thumbprint: null, melding: e.message };
  }
  throw e;
}

/**
 * The certificate provider over Key Vault (see the file comment for the rules). Production passes
 * `DefaultAzureCredential`; tests and the local stack pass any `{ getToken }` object and, through
 * `clientOptions`, the trust and challenge settings the stand-in needs.
 */
export function createCertificateProvider(opts: CertificateProviderOptions): CertificateProvider {
  const clients: VaultClients = {
    certificates: new CertificateClient(opts.vaultUrl, opts.credential, opts.clientOptions),
    secrets: new SecretClient(opts.vaultUrl, opts.credential, opts.clientOptions),
  };
  const refreshMs = (opts.refreshBeforeExpiryDays ?? 14) * DAY_MS;
  const warnDays = opts.warnDays ?? 30;
  const maxAgeMs = (opts.maxCacheAgeMinutes ?? 60) * 60_000;
  const checkOin = opts.requireSchoolOin !== false;
  const cache = createStaleAtCache<Entry>((e) => cacheUntil(e.facts.notAfter, e.fetchedAt, refreshMs, maxAgeMs), () => opts.now().getTime());

  const refuse = (problem: CertificateProblem, ap: string, facts?: CertificateFacts): never => {
    const name = certificateName(ap);
    const message = stateMessage(problem, { aanleverpunt: ap, certificateName: name, ...facts, expectedOin: schoolOin(ap.slice(0, 4)) });
    const known = facts && { notBefore: facts.notBefore, notAfter: facts.notAfter, thumbprint: facts.thumbprint };
    throw new CertificateUnavailableError(problem, ap, name, message, known);
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
    return { name, version, facts, material, fetchedAt: opts.now().getTime() };
  };

  const getClientCertificate = async (ap: string): Promise<ClientCertificate> => {
    const e = await cache.get(ap, () => load(ap));
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
      return statusFromError(e, base, opts.now());
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
