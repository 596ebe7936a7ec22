import { ExternalRejection, ServiceError } from "../../errors.js";

/**
 * Errors of the certificate provider. Domain rule: sending requires the aanleverpunt's certificate
 * to be present and valid, checked again at send time. A refusal is not retried (a person must
 * install or renew the certificate); Key Vault being unreachable is transient.
 */

/** Why a certificate cannot be used. */
export type CertificateProblem = "missing" | "disabled" | "expired" | "notYetValid" | "unreadable" | "wrongSchool";

/** The certificate for an aanleverpunt is missing or unusable; `message` is Dutch and says what to do. No retry. */
export class CertificateUnavailableError extends ExternalRejection {
  constructor(
    readonly problem: CertificateProblem,
    readonly aanleverpunt: string,
    readonly certificateName: string,
    message: string,
    /** what is known about the certificate that was found (absent when missing) */
    readonly certificate?: { notBefore: Date; notAfter: Date; thumbprint: string },
  ) {
    super(message, problem);
  }
}

/** Key Vault could not be asked (network, throttling, 5xx: retryable) or refused access (401/403: not retryable). */
export class KeyVaultAccessError extends ServiceError {
  constructor(
    readonly retryable: boolean,
    readonly aanleverpunt: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, null, options);
  }
}
