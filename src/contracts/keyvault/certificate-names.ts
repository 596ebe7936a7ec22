/**
 * Naming convention for certificates in Key Vault, shared by the app (src/adapters/certificates), whoever
 * puts the certificates there, and the Key Vault stand-in's seed: one certificate per aanleverpunt,
 * named `bron-<aanleverpunt in lower case>`, e.g. `bron-00aa00`. Key Vault names are case-insensitive
 * and may hold only letters, digits and dashes, which this always satisfies for a valid aanleverpunt.
 */
export const CERTIFICATE_NAME_PREFIX = "bron-";

/** The Key Vault certificate name for an aanleverpunt (e.g. 00AA00 → bron-00aa00). */
export function certificateName(aanleverpunt: string): string {
  return `${CERTIFICATE_NAME_PREFIX}${aanleverpunt.toLowerCase()}`;
}
