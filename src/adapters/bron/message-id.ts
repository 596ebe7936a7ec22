/**
 * The client's MessageIDs are the contract's (src/contracts/bron/message-id.ts): the simulator relies on
 * the same derivation to recognise a repeated delivery. Re-exported for the activities that plan sends.
 */
export { acknowledgementMessageId, deliveryMessageId, keyedMessageId, randomMessageId } from "../../contracts/bron/message-id.js";
