/** Key Vault certificate provider: one client certificate per aanleverpunt (docs/certificates.md). */
export { createCertificateProvider } from "./provider.js";
export type { CertificateProvider, CertificateProviderOptions, CertificateStatus, ClientCertificate, KeyVaultClientOptions } from "./provider.js";
export { CertificateUnavailableError, KeyVaultAccessError, type CertificateProblem } from "./errors.js";
export { certificateName, CERTIFICATE_NAME_PREFIX } from "../../contracts/keyvault/certificate-names.js";
export type { CertificateState } from "./status.js";
export type { TlsMaterial } from "./material.js";
