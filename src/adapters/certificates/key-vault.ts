/**
 * The two Key Vault reads behind a client certificate, with the real SDKs: the certificate
 * (`CertificateClient.getCertificate`: DER, version, enabled) and the secret of that same version
 * (`SecretClient.getSecret`, asked as PEM). Key Vault failures become typed errors.
 */
import type { CertificateClient } from "@azure/keyvault-certificates";
import type { SecretClient } from "@azure/keyvault-secrets";
import { KeyVaultAccessError } from "./errors.js";
import { factsFromDer, materialFromSecret, type CertificateFacts, type ClientMaterial } from "./material.js";

export interface VaultClients {
  certificates: CertificateClient;
  secrets: SecretClient;
}

export type CertificateLookup = { found: false } | { found: true; version: string; enabled: boolean; facts: CertificateFacts };

const PEM = "application/x-pem-file";

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number } | null)?.statusCode;

/** The latest version of a certificate, or `found: false` on 404. */
export async function lookupCertificate(clients: VaultClients, name: string, aanleverpunt: string): Promise<CertificateLookup> {
  try {
    const c = await clients.certificates.getCertificate(name);
    if (!c.cer || !c.properties.version) return { found: false };
    return { found: true, version: c.properties.version, enabled: c.properties.enabled !== false, facts: factsFromDer(c.cer) };
  } catch (e) {
    if (statusOf(e) === 404) return { found: false };
    throw accessError(e, aanleverpunt);
  }
}

/** The key + certificate of one version; "missing" (404), "disabled" (403 on a disabled secret) or "unreadable". */
export async function fetchMaterial(
  clients: VaultClients,
  name: string,
  version: string,
  facts: CertificateFacts,
  aanleverpunt: string,
): Promise<ClientMaterial | "missing" | "disabled" | "unreadable"> {
  try {
    const s = await clients.secrets.getSecret(name, { version, outContentType: PEM });
    if (!s.value) return "unreadable";
    return materialFromSecret(s.value, facts.leaf) ?? "unreadable";
  } catch (e) {
    if (statusOf(e) === 404) return "missing";
    if (statusOf(e) === 403 && /disabled/i.test(String((e as Error).message))) return "disabled";
    throw accessError(e, aanleverpunt);
  }
}

/** 401/403: access not granted (no retry); anything else (network, 429, 5xx): Key Vault unreachable (retry). */
function accessError(e: unknown, aanleverpunt: string): KeyVaultAccessError {
  const status = statusOf(e);
  if (status === 401 || status === 403) {
    return new KeyVaultAccessError(false, aanleverpunt, `Geen toegang tot Key Vault voor het certificaat van aanleverpunt ${aanleverpunt} (HTTP ${status}).`, { cause: e });
  }
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
  return new KeyVaultAccessError(retryable, aanleverpunt, `Key Vault is niet bereikbaar voor het certificaat van aanleverpunt ${aanleverpunt}${status ? ` (HTTP ${status})` : ""}.`, { cause: e });
}
