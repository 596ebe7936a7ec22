import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { BlobSASPermissions, type ContainerClient } from "@azure/storage-blob";
import type { QueueClient } from "@azure/storage-queue";
import { MAX_ENVELOPE_BODY_CHARS, QUEUE_ENVELOPE_VERSION, type QueueRequest, replyBlobName, replyMetadata } from "../../contracts/relay/queue-channel.js";
import { signatureHeaders } from "../../contracts/relay/signing.js";
import { ExternalRejection, TransientError, ValidationError } from "./errors.js";
import { payloadOf, type RelayChannel } from "./http.js";

/**
 * The cloud's end of the outbound-only relay channel (contract: src/contracts/relay/queue-channel.ts).
 * A request is signed as over HTTPS, put on the school's queue with a SAS URL for its answer blob
 * (create + write on that one blob, valid for the request's lifetime), and the answer is awaited by
 * reading that blob with back-off.
 *
 * Timeouts, so that one school's relay never holds up anything but its own work:
 * - not picked up within `pickupTimeoutMs` (the relay is down, or off the network): the request is
 *   withdrawn from the queue — deleting it with the pop receipt from sending only succeeds while no
 *   relay has taken it — and the call fails at once with code RELAY_NOT_PICKED_UP. A withdrawn request
 *   can never run later, so a retry never makes it run twice.
 * - picked up but no answer within `pickupTimeoutMs + answerTimeoutMs`: code RELAY_TIMEOUT (writes are
 *   idempotent by request id, so a retry is safe).
 */

export interface QueueChannelOptions {
  /** the school's request queue, with the cloud's credential (send + delete) */
  queue: QueueClient;
  /** the reply container, with a credential that can sign SAS URLs (the channel account's key) */
  replies: ContainerClient;
  /** the school's HMAC key */
  key: Buffer;
  pickupTimeoutMs: number;
  answerTimeoutMs: number;
  now?: () => number;
}

const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Clock difference tolerated on the SAS start time. */
const SKEW_MS = 5 * 60_000;
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 1_000;

export function queueChannel(o: QueueChannelOptions): RelayChannel {
  const now = o.now ?? Date.now;
  return {
    async send(method, pathAndQuery, body) {
      const payload = payloadOf(body);
      if (payload.length > MAX_ENVELOPE_BODY_CHARS) throw new ValidationError(`request body of ${payload.length} bytes is too large for the queue channel`, "TOO_LARGE");
      const id = randomBytes(18).toString("base64url");
      const started = now();
      const lifetimeMs = o.pickupTimeoutMs + o.answerTimeoutMs;
      const blob = o.replies.getBlockBlobClient(replyBlobName(o.queue.name, id));
      const replyUrl = await blob.generateSasUrl({
        permissions: BlobSASPermissions.parse("cw"),
        startsOn: new Date(started - SKEW_MS),
        expiresOn: new Date(started + lifetimeMs + 60_000),
      });
      const envelope: QueueRequest = {
        v: QUEUE_ENVELOPE_VERSION,
        id,
        method,
        pathAndQuery,
        headers: signatureHeaders(o.key, { method, pathAndQuery, body: payload }, started) as QueueRequest["headers"],
        body: payload.toString("utf8"),
        replyUrl,
      };
      let sent: { messageId: string; popReceipt: string };
      try {
        sent = await o.queue.sendMessage(JSON.stringify(envelope), { messageTimeToLive: Math.ceil(lifetimeMs / 1000) });
      } catch (e) {
        if (statusOf(e) === 404) throw new ExternalRejection(`relay queue ${o.queue.name} does not exist`, "RELAY_QUEUE_MISSING");
        throw new TransientError(`relay queue not reachable: ${(e as Error).message}`, "RELAY_QUEUE", { cause: e });
      }

      let picked = false;
      for (let delay = FIRST_POLL_MS; ; delay = Math.min(MAX_POLL_MS, Math.round(delay * 1.5))) {
        try {
          const answer = await blob.download();
          const status = Number(answer.metadata?.[replyMetadata.status]);
          const stream = answer.readableStreamBody as Readable | undefined;
          if (!stream || !Number.isInteger(status) || status < 100 || status > 599) {
            stream?.resume();
            await blob.deleteIfExists().catch(() => undefined);
            throw new TransientError("relay answer without a status", "RELAY_REPLY");
          }
          const relayVersion = answer.metadata?.[replyMetadata.relayVersion];
          return {
            status,
            body: stream,
            ...(relayVersion ? { relayVersion } : {}),
            async release() {
              if (!stream.readableEnded) stream.destroy();
              await blob.deleteIfExists().catch(() => undefined); // the container's lifecycle rule is the backstop
            },
          };
        } catch (e) {
          if (e instanceof TransientError) throw e;
          // 404: not answered yet; anything else (a storage hiccup): keep waiting until the deadline
        }
        const elapsed = now() - started;
        if (!picked && elapsed >= o.pickupTimeoutMs) {
          try {
            await o.queue.deleteMessage(sent.messageId, sent.popReceipt);
            throw new TransientError(`relay did not pick up the request within ${Math.round(o.pickupTimeoutMs / 1000)} s`, "RELAY_NOT_PICKED_UP");
          } catch (e) {
            if (e instanceof TransientError) throw e;
            // 400 PopReceiptMismatch / 404 MessageNotFound: a relay has taken it; anything else: assume so and wait
            picked = true;
          }
        }
        if (elapsed >= lifetimeMs) throw new TransientError(`relay did not answer within ${Math.round(lifetimeMs / 1000)} s`, "RELAY_TIMEOUT");
        await sleep(delay);
      }
    },
  };
}
