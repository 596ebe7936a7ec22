/**
 * DEV/TEST ONLY. The JSON shapes Key Vault answers with (REST API 2025-07-01), as far as
 * @azure/keyvault-certificates and @azure/keyvault-secrets read them.
 */
import type { CertificateVersion, SecretVersion } from "./store.js";

const RECOVERY = { recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 };

/** A CertificateBundle with its policy. `base` is the vault URL, e.g. https://127.0.0.1:1234. */
export function certificateBundle(base: string, name: string, c: CertificateVersion) {
  return {
    id: `${base}/certificates/${name}/${c.version}`,
    kid: `${base}/keys/${name}/${c.version}`,
    sid: `${base}/secrets/${name}/${c.version}`,
    x5t: c.x5t,
    cer: c.cer,
    attributes: { enabled: c.enabled, nbf: c.nbf, exp: c.exp, created: c.created, updated: c.updated, ...RECOVERY },
    tags: c.tags,
    policy: {
      id: `${base}/certificates/${name}/policy`,
      key_props: { exportable: true, kty: c.kty, key_size: c.keySize, crv: c.crv, reuse_key: false },
      secret_props: { contentType: c.contentType },
      x509_props: { subject: c.subject, ekus: ["1.3.6.1.5.5.7.3.2"], key_usage: ["digitalSignature", "keyEncipherment"], validity_months: 12 },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "EmailContacts" } }],
      issuer: { name: "Unknown" },
      attributes: { enabled: true, created: c.created, updated: c.updated },
    },
  };
}

/** A SecretBundle; `value` may differ from the stored one (PFX converted to PEM on request). */
export function secretBundle(base: string, name: string, s: SecretVersion, override?: { value: string; contentType: string }) {
  return {
    value: override?.value ?? s.value,
    contentType: override?.contentType ?? s.contentType,
    id: `${base}/secrets/${name}/${s.version}`,
    attributes: { enabled: s.enabled, nbf: s.nbf, exp: s.exp, created: s.created, updated: s.updated, ...RECOVERY },
    tags: s.tags,
    ...(s.managed ? { kid: `${base}/keys/${name}/${s.version}`, managed: true } : {}),
  };
}

/**
 * The one api-version the stand-in serves: what @azure/keyvault-secrets 4.11.2 and
 * @azure/keyvault-certificates 4.10.3 send (their LATEST_API_VERSION; the app never sets
 * serviceVersion). Responses and parameters follow the 2025-07-01 REST reference.
 */
export const API_VERSION = "2025-07-01";

/** Versions Key Vault itself serves that the stand-in does not (the SDKs' serviceVersion choices, and older). */
const OTHER_KEY_VAULT_VERSIONS = new Set(["2015-06-01", "2016-10-01", "7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6-preview.2", "7.6"]);

/** 400 BadParameter for any api-version but 2025-07-01: Key Vault's own answer for an unknown one, a named gap for a real one. */
export function unsupportedApiVersion(version: string | null) {
  if (!version) return errorBody("BadParameter", "The 'api-version' query parameter is missing.");
  if (OTHER_KEY_VAULT_VERSIONS.has(version)) {
    return errorBody("BadParameter", `Key Vault stand-in: api-version ${version} is served by Key Vault but not by the stand-in, which implements ${API_VERSION} only (the version the SDKs in this project send).`);
  }
  return errorBody("BadParameter", `The specified version (${version}) is not recognized. Consider using the latest supported version (${API_VERSION}).`);
}

/** Key Vault's error body: `{ error: { code, message, innererror? } }`. */
export function errorBody(code: string, message: string, inner?: string) {
  return { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } };
}

export const notFound = (kind: "Certificate" | "Secret", name: string, version: string) =>
  errorBody(
    `${kind}NotFound`,
    `A ${kind.toLowerCase()} with (name/id) ${name}${version ? `/${version}` : ""} was not found in this key vault. ` +
      "If you recently deleted this certificate you may be able to recover it using the correct recovery command.",
  );

/** The challenge Key Vault sends on an unauthenticated request; the SDK then asks its credential for a token. */
export const CHALLENGE =
  'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"';
