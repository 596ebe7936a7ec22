/**
 * The relay client throws the service's error taxonomy (src/errors.ts): 400/413/422 and contract
 * breaches are ValidationError; network, timeout, 5xx and cut-off streams TransientError (writes are
 * idempotent by request id); 401/404 ExternalRejection; a relay that speaks another API version
 * IncompatibleVersionError (an ExternalRejection carrying a Dutch reason). A row-version conflict is
 * not an error: write() returns it as a value.
 */
export { ExternalRejection, IncompatibleVersionError, ServiceError as RelayError, TransientError, ValidationError } from "../../errors.js";
