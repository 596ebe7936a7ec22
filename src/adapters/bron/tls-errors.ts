import { ExternalRejection, TransientError, type ServiceError } from "../../errors.js";

/**
 * A failed TLS handshake with BRON, as the service's error taxonomy with a Dutch reason (the send
 * activity shows it to the user as "BRON weigert de verbinding: …"):
 * - BRON ends the handshake with a certificate alert (missing, self-made, unknown CA, expired, …):
 *   ExternalRejection `CERTIFICAAT_GEWEIGERD`. Retrying cannot help; a person must fix the certificate.
 * - We do not trust BRON's server certificate: ExternalRejection `SERVERCERTIFICAAT_ONGELDIG`.
 * - Any other TLS alert or protocol failure: ExternalRejection `TLS_GEWEIGERD`; BRON's own
 *   internal_error alert is transient.
 * Node reports a received alert as `ERR_SSL_<…>_ALERT_<NAME>` (TLS 1.3) or as `EPROTO` with
 * "SSL alert number N" in the message (TLS 1.2); both are read here. Returns undefined when `e` is
 * not a TLS failure.
 */

/** Alerts that refuse our client certificate (RFC 8446 §6.2 / RFC 5246 §7.2.2), with the Dutch reason. */
const CERTIFICATE_ALERTS: Record<number, { name: string; reden: string }> = {
  40: { name: "handshake_failure", reden: "er is geen certificaat van het aanleverpunt meegestuurd, of geen dat BRON accepteert" },
  42: { name: "bad_certificate", reden: "het certificaat is ongeldig (bijvoorbeeld nog niet geldig of beschadigd)" },
  43: { name: "unsupported_certificate", reden: "het certificaat is niet bedoeld voor het aanleveren bij BRON (verkeerd certificaatgebruik)" },
  44: { name: "certificate_revoked", reden: "het certificaat is ingetrokken" },
  45: { name: "certificate_expired", reden: "het certificaat is verlopen" },
  46: { name: "certificate_unknown", reden: "het certificaat wordt niet geaccepteerd" },
  48: { name: "unknown_ca", reden: "de uitgever van het certificaat is BRON onbekend (een zelfgemaakt certificaat of een van een andere uitgever)" },
  49: { name: "access_denied", reden: "dit certificaat heeft geen toegang" },
  51: { name: "decrypt_error", reden: "de ondertekening met het certificaat klopt niet (sleutel en certificaat horen niet bij elkaar)" },
  116: { name: "certificate_required", reden: "er is geen certificaat van het aanleverpunt meegestuurd" },
};

/** Node's error code suffixes (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA, …) → alert number, for messages without "SSL alert number". */
const ALERT_BY_CODE: Record<string, number> = {
  HANDSHAKE_FAILURE: 40, BAD_CERTIFICATE: 42, UNSUPPORTED_CERTIFICATE: 43, CERTIFICATE_REVOKED: 44, CERTIFICATE_EXPIRED: 45,
  CERTIFICATE_UNKNOWN: 46, ILLEGAL_PARAMETER: 47, UNKNOWN_CA: 48, ACCESS_DENIED: 49, DECODE_ERROR: 50, DECRYPT_ERROR: 51,
  PROTOCOL_VERSION: 70, INSUFFICIENT_SECURITY: 71, INTERNAL_ERROR: 80, CERTIFICATE_REQUIRED: 116, NO_APPLICATION_PROTOCOL: 120,
};

/** Our check of BRON's server certificate (Node's X509 verify codes), with the Dutch reason. */
const SERVER_CERTIFICATE_CODES: Record<string, string> = {
  CERT_HAS_EXPIRED: "het is verlopen",
  CERT_NOT_YET_VALID: "het is nog niet geldig",
  CERT_REVOKED: "het is ingetrokken",
  DEPTH_ZERO_SELF_SIGNED_CERT: "het is zelfondertekend",
  SELF_SIGNED_CERT_IN_CHAIN: "de uitgever wordt niet vertrouwd",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "de uitgever wordt niet vertrouwd",
  UNABLE_TO_GET_ISSUER_CERT: "de uitgever wordt niet vertrouwd",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "de uitgever wordt niet vertrouwd",
  CERT_SIGNATURE_FAILURE: "de ondertekening klopt niet",
  CERT_UNTRUSTED: "het wordt niet vertrouwd",
  CERT_REJECTED: "het wordt niet vertrouwd",
  INVALID_CA: "de uitgever is geen geldige CA",
  INVALID_PURPOSE: "het is niet bedoeld voor een server",
  ERR_TLS_CERT_ALTNAME_INVALID: "het hoort niet bij deze hostnaam",
};

export function tlsFailure(e: unknown): ServiceError | undefined {
  const err = e as NodeJS.ErrnoException | null;
  const code = err?.code ?? "";
  const message = err?.message ?? "";

  const serverReason = SERVER_CERTIFICATE_CODES[code];
  if (serverReason) {
    return new ExternalRejection(`Het servercertificaat van BRON wordt niet vertrouwd: ${serverReason} (${code}). De verbinding is niet opgezet.`, "SERVERCERTIFICAAT_ONGELDIG", { cause: e });
  }

  const alert = alertNumber(code, message);
  if (alert !== undefined) {
    const refusal = CERTIFICATE_ALERTS[alert];
    if (refusal) {
      return new ExternalRejection(
        `BRON weigert het certificaat van het aanleverpunt: ${refusal.reden} (TLS-alert ${refusal.name}). Controleer of het juiste, geldige certificaat in Key Vault staat.`,
        "CERTIFICAAT_GEWEIGERD",
        { cause: e },
      );
    }
    if (alert === 80) return new TransientError("BRON brak de beveiligde verbinding af door een interne fout (TLS-alert internal_error).", "TLS_INTERNE_FOUT", { cause: e });
    return new ExternalRejection(`BRON weigert de beveiligde verbinding (TLS-alert ${alert}).`, "TLS_GEWEIGERD", { cause: e });
  }

  if (/^(ERR_SSL_|ERR_OSSL_|ERR_TLS_)/.test(code) || (code === "EPROTO" && /SSL routines/.test(message))) {
    return new ExternalRejection(`De beveiligde verbinding met BRON kon niet worden opgezet (${code}).`, "TLS_GEWEIGERD", { cause: e });
  }
  return undefined;
}

function alertNumber(code: string, message: string): number | undefined {
  const inMessage = /SSL alert number (\d+)/.exec(message);
  if (inMessage) return Number(inMessage[1]);
  const inCode = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/.exec(code);
  return inCode ? ALERT_BY_CODE[inCode[1]!] : undefined;
}
