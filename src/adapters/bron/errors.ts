import { ExternalRejection, ServiceError, TransientError } from "../../errors.js";

/**
 * The BRON adapter throws the service's error taxonomy (src/errors.ts): SOAP faults, HTTP status and
 * network errors map onto ValidationError, TransientError and ExternalRejection, plus two refinements.
 */
export { ExternalRejection, TransientError, ValidationError } from "../../errors.js";

/** Any error the BRON adapter throws. */
export { ServiceError as BronError };

/** The response could not be read (not XML, wrong shape). Retrying is safe: the MessageID is the same. */
export class MalformedResponseError extends TransientError {}

/** The response exceeded the client's size limit; retrying would return the same. */
export class ResponseTooLargeError extends ExternalRejection {}
