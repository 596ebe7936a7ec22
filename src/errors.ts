/**
 * The one error taxonomy of the service (style.md §5). Adapters translate what their wire says
 * (SOAP faults, HTTP status, network errors) into these, so activities and retry policies decide
 * without knowing which adapter threw:
 * - ValidationError: our request is wrong (schema, addressing, contract). Never retried.
 * - TransientError: network, timeout, 5xx, a cut-off or unreadable answer. Retried; every request
 *   we retry is idempotent (same MessageID, same request id).
 * - ExternalRejection: the other side refuses us (certificate, aanleverpunt, 401, 404). Recorded,
 *   not retried.
 */
export abstract class ServiceError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    /** the remote error code or a transport code (ETIMEDOUT, HTTP_503, …), when known */
    readonly code: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends ServiceError {
  readonly retryable = false;
}

export class TransientError extends ServiceError {
  readonly retryable = true;
}

export class ExternalRejection extends ServiceError {
  readonly retryable = false;
}

/**
 * A refinement of TransientError: the answer could not be read (not XML, not the contract's shape).
 * Retrying is safe because every retried request is idempotent (same MessageID, same request id).
 */
export class MalformedResponseError extends TransientError {}

/**
 * The other side speaks a contract version this service does not (e.g. the relay at the school is
 * older than the cloud). Nothing is exchanged until one of the two is updated, so it is not retried;
 * `reden` is the Dutch explanation that becomes the run's status.
 */
export class IncompatibleVersionError extends ExternalRejection {
  constructor(
    readonly reden: string,
    /** the version the other side reports */
    readonly theirs: string,
    /** the version this service speaks */
    readonly ours: string,
  ) {
    super(reden, "API_VERSION");
  }
}

/**
 * A school's relay does not take up its requests (down, off the network) or does not answer them in
 * time. Only that school's work waits for it, and only as long as the channel's timeouts; `reden` is
 * the Dutch explanation ("De relay van school X is niet bereikbaar sinds …") that becomes the run's
 * status and the admin page's melding. Transient by nature (the relay may be back later), but a run
 * does not retry it: it ends refused and the next run picks up where this one stopped.
 */
export class RelayUnreachableError extends TransientError {
  constructor(
    readonly reden: string,
    /** the school's id in the registry */
    readonly school: string,
    /** ISO instant since when the relay is unreachable */
    readonly sinds: string,
    options?: { cause?: unknown },
  ) {
    super(reden, "RELAY_ONBEREIKBAAR", options);
  }
}

/** Whatever was thrown, as an Error (for logging at the shell). */
export function ensureError(e: unknown): Error {
  return e instanceof Error ? e : new Error(typeof e === "string" ? e : JSON.stringify(e));
}
