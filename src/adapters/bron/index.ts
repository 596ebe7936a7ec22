/** The BRON adapter's public surface (docs/bron-contract.md): the deployed client. The message contract itself is src/contracts/bron/. */
export { createBronClient, type BronClient, type BronClientOptions, type FetchedFeedback } from "./client.js";
export { planDeliveries, DEFAULT_BATCH_SIZE } from "./batches.js";
export { BronError, ExternalRejection, MalformedResponseError, ResponseTooLargeError, TransientError, ValidationError } from "./errors.js";
export { deliveryMessageId } from "../../contracts/bron/message-id.js";
export type { OnleesbareTerugkoppeling, Requests, Responses } from "../../contracts/bron/codec-operations.js";
export type { BronCertificate } from "./transport.js";
export type { InschrijvingGegevens, LeerlingGegevens, LeerlingVerwijzing, Mutatie, MutatieSoort } from "../../contracts/bron/messages.js";
