/**
 * The error taxonomy as the BRON adapter throws it (style.md §5):
 * - ValidationError: our message is wrong (schema, addressing, too many mutations). Never retried.
 * - TransientError: network, timeout, 5xx, soap:Server, malformed response. Retried (same MessageID).
 * - ExternalRejection: BRON refuses us (certificate, aanleverpunt). Recorded, not retried.
 * `retryable` lets callers (activity retry policies) decide without instanceof across packages.
 */
export abstract class BronError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    /** the BRON foutcode or a transport code (ETIMEDOUT, HTTP_503, …), when known */
    readonly code: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends BronError {
  readonly retryable = false;
}

export class TransientError extends BronError {
  readonly retryable = true;
}

export class ExternalRejection extends BronError {
  readonly retryable = false;
}

/** The response could not be read (not XML, wrong shape). Retrying is safe: the MessageID is the same. */
export class MalformedResponseError extends TransientError {}

/** The response exceeded the client's size limit; retrying would return the same. */
export class ResponseTooLargeError extends ExternalRejection {}
