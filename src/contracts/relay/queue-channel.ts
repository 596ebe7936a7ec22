import { z } from "zod";
import { headers } from "./signing.js";

/**
 * The relay's outbound-only channel (docs/relay.md "Transport"): the cloud puts each request on the
 * school's own Storage queue; the relay at the school polls that queue (outbound HTTPS only) and
 * uploads the answer to a blob the request names, through a short-lived SAS that allows creating and
 * writing that one blob and nothing else. The request inside is exactly the signed HTTP request of the
 * relay API (method, path+query, body, the three signature headers of signing.ts), so the relay runs
 * it through the same handler, signature check and version gate as over HTTPS.
 *
 * This envelope has its own version (`v`): the relay API (api.ts, RELAY_API_VERSION) travels inside it
 * unchanged.
 */

export const QUEUE_ENVELOPE_VERSION = 1;

/** The container the answers go to; each school's answers under `<queue name>/`. */
export const REPLY_CONTAINER = "relay-replies";

/** A school's queue: `relay-` + the school id (Storage queue names: 3–63 lowercase letters, digits, single hyphens). */
export const RelayQueueName = z
  .string()
  .regex(/^relay-[a-z0-9]+(?:-[a-z0-9]+)*$/, "expected a queue name like relay-school-a")
  .max(63);

/** The largest request body the envelope carries (a queue message holds at most 64 KiB). */
export const MAX_ENVELOPE_BODY_CHARS = 48 * 1024;

export const QueueRequest = z.object({
  v: z.literal(QUEUE_ENVELOPE_VERSION),
  /** the request's id; also the answer blob's name */
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "expected 16-64 characters A-Z a-z 0-9 _ -"),
  method: z.enum(["GET", "POST"]),
  /** path and query relative to the relay API root, exactly as signed */
  pathAndQuery: z.string().startsWith("/").max(2048),
  /** the signature headers of signing.ts */
  headers: z.object({
    [headers.timestamp]: z.string().max(20),
    [headers.nonce]: z.string().max(64),
    [headers.signature]: z.string().max(128),
  }),
  /** the request body as UTF-8 text (JSON), "" for none */
  body: z.string().max(MAX_ENVELOPE_BODY_CHARS),
  /** where the answer goes: `<reply container URL>/<queue name>/<id>` with a SAS (create + write, minutes) */
  replyUrl: z.string().url().max(4096),
});
export type QueueRequest = z.infer<typeof QueueRequest>;

/** Blob metadata on an answer (metadata names are C# identifiers, values ASCII). */
export const replyMetadata = {
  status: "status",
  contentType: "contenttype",
  idempotentReplay: "idempotentreplay",
  /** the answering relay's version (issue 13: reported on every contact; older relays send none) */
  relayVersion: "relayversion",
} as const;

/** The blob an answer to request `id` on `queue` goes to, relative to the reply container. */
export const replyBlobName = (queue: string, id: string) => `${queue}/${id}`;

/**
 * Where a relay accepts to send answers: only into its own folder of the reply container. The relay
 * derives the container from its queue URL (same account, blob endpoint) unless configured.
 */
export function isOwnReplyUrl(replyUrl: string, replyContainerUrl: string, queue: string, id: string): boolean {
  let u: URL;
  let c: URL;
  try {
    u = new URL(replyUrl);
    c = new URL(replyContainerUrl);
  } catch {
    return false;
  }
  const base = c.pathname.replace(/\/$/, "");
  return u.protocol === c.protocol && u.host === c.host && u.pathname === `${base}/${replyBlobName(queue, id)}` && u.hash === "";
}

/**
 * The blob endpoint's container URL for a queue URL of an Azure Storage account
 * (https://<account>.queue.core.windows.net/<queue> → https://<account>.blob.core.windows.net/relay-replies);
 * null when the URL is not of that form (then it must be configured, as with Azurite).
 */
export function replyContainerFor(queueUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(queueUrl);
  } catch {
    return null;
  }
  const m = /^([a-z0-9]{3,24})\.queue\.(core\.[a-z0-9.]+)$/.exec(u.hostname);
  if (!m) return null;
  return `${u.protocol}//${m[1]}.blob.${m[2]}/${REPLY_CONTAINER}`;
}

/** The queue name in a queue URL (its last path segment), or null when it is not a relay queue. */
export function queueNameOf(queueUrl: string): string | null {
  try {
    const name = decodeURIComponent(new URL(queueUrl).pathname.split("/").filter(Boolean).at(-1) ?? "");
    return RelayQueueName.safeParse(name).success ? name : null;
  } catch {
    return null;
  }
}
