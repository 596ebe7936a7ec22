import { createHash, randomUUID } from "node:crypto";
import { BRON_NAMESPACE } from "./constants.js";

/**
 * WS-Addressing MessageIDs. A delivery's MessageID is a name-based UUID (RFC 9562 v5, SHA-1) of
 * the aanleverpunt and its sorted mutation ids: a retried or replayed activity rebuilds the same
 * batch and so sends the same MessageID, and BRON (and the simulator) drops the duplicate.
 */
export function deliveryMessageId(aanleverpunt: string, mutatieIds: readonly string[]): string {
  return nameBasedId(`aanleverenMutaties|${aanleverpunt}|${[...mutatieIds].sort().join("|")}`);
}

/** MessageID of an acknowledgement: the same set of feedback ids gives the same MessageID. */
export function acknowledgementMessageId(aanleverpunt: string, terugkoppelingIds: readonly string[]): string {
  return nameBasedId(`bevestigenOntvangst|${aanleverpunt}|${[...terugkoppelingIds].sort().join("|")}`);
}

/** MessageID for a caller-chosen request key (e.g. an overzicht request per run), stable across retries. */
export function keyedMessageId(operation: string, aanleverpunt: string, key: string): string {
  return nameBasedId(`${operation}|${aanleverpunt}|${key}`);
}

/** A fresh MessageID (used once per call; the call's retries reuse it). */
export function randomMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

function nameBasedId(name: string): string {
  const h = createHash("sha1").update(BRON_NAMESPACE).update("\u0000").update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
