/**
 * The error taxonomy as the relay client throws it (style.md §5), shaped like the BRON adapter's:
 * - ValidationError: our request is wrong (400/413/422, a response that breaks the contract). Not retried.
 * - TransientError: network, timeout, 5xx, a cut-off stream. Retried (writes are idempotent by request id).
 * - ExternalRejection: the relay refuses us (401: wrong key or clock skew; 404 route). Recorded, not retried.
 * A version conflict is not an error: write() returns it as a value.
 */
export abstract class RelayError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    /** the relay's error code or the HTTP status / network code, when known */
    readonly code: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends RelayError {
  readonly retryable = false;
}

export class TransientError extends RelayError {
  readonly retryable = true;
}

export class ExternalRejection extends RelayError {
  readonly retryable = false;
}
