/** The BRON adapter's public surface (docs/bron-contract.md). */
export { createBronClient, type BronClient, type BronClientOptions } from "./client.js";
export { planDeliveries, DEFAULT_BATCH_SIZE } from "./batches.js";
export { BronError, ExternalRejection, MalformedResponseError, ResponseTooLargeError, TransientError, ValidationError } from "./errors.js";
export { deliveryMessageId } from "./message-id.js";
export type { OnleesbareTerugkoppeling, Requests, Responses } from "./codec-operations.js";
export type { BronCertificate } from "./transport.js";
export type { InschrijvingGegevens, LeerlingGegevens, LeerlingVerwijzing, Mutatie, MutatieSoort } from "../../contracts/bron/messages.js";
