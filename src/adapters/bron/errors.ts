import { ExternalRejection, ServiceError } from "../../errors.js";

/**
 * The BRON adapter throws the service's error taxonomy (src/errors.ts): SOAP faults, HTTP status and
 * network errors map onto ValidationError, TransientError and ExternalRejection, plus two refinements:
 * MalformedResponseError (src/errors.ts, also thrown by the contract's codec) and ResponseTooLargeError.
 */
export { ExternalRejection, MalformedResponseError, TransientError, ValidationError } from "../../errors.js";

/** Any error the BRON adapter throws. */
export { ServiceError as BronError };

/** The response exceeded the client's size limit; retrying would return the same. */
export class ResponseTooLargeError extends ExternalRejection {}
