import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { PassThrough, Readable, Writable } from "node:stream";
import { BlockBlobClient } from "@azure/storage-blob";
import { QueueClient, type DequeuedMessageItem } from "@azure/storage-queue";
import { isOwnReplyUrl, QueueRequest, queueNameOf, replyMetadata } from "../contracts/relay/queue-channel.js";
import type { Log } from "./log.js";
import type { Handler, RunningTransport } from "./transports.js";

/**
 * The outbound-only transport (contract: src/contracts/relay/queue-channel.ts). The relay polls its
 * school's own Storage queue with a SAS that may only read and take messages from that queue, runs
 * each request through the one request handler (handler.ts: signature, version gate, routes — as over
 * HTTPS), and uploads the answer to the blob the request names, through the short-lived SAS in the
 * request, streaming it (bounded memory: one 4 MiB block at a time). It opens no port and accepts no
 * connection: every byte goes out over HTTPS 443 to Azure Storage.
 *
 * Polling: while requests come, the queue is asked again at once; after the last one, every
 * `activeMs` for `warmMs`; then the wait doubles up to `idleMs` (docs/scale.md explains the numbers:
 * they set both the cost of an idle school and how long the first request of a run waits).
 *
 * A message is deleted from the queue before its request runs (at most once: a relay that dies midway
 * does not run it again; the cloud gives up on it and asks anew, and writes are idempotent by their
 * request id). Until the relay takes it, the cloud can still withdraw it (deleteMessage with the pop
 * receipt it got when sending), which is how the cloud tells "not picked up" from "slow".
 */

export interface QueueTransportOptions {
  /** the school's queue, with a SAS allowing read + process (https://<account>.queue.core.windows.net/relay-<school>?sv=…) */
  queueUrl: string;
  /** the reply container (https://<account>.blob.core.windows.net/relay-replies); answers go only below `<queue>/` in it */
  replyContainerUrl: string;
  idleMs: number;
  activeMs: number;
  warmMs: number;
  /** requests run at the same time (the SQL pool bounds the database work anyway) */
  maxParallel: number;
  /** this relay's version, on every answer (the cloud refuses a relay below its minimum) */
  relayVersion: string;
  log: Log;
}

/** The request as the handler reads it: method, url, headers, and the body as a stream. */
class ChannelRequest extends Readable {
  readonly socket = undefined;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
    private body: Buffer | null,
  ) {
    super();
  }
  override _read(): void {
    if (this.body && this.body.length > 0) this.push(this.body);
    this.body = null;
    this.push(null);
  }
}

interface Head {
  status: number;
  headers: Record<string, string>;
}

/**
 * The response as the handler writes it (writeHead, setHeader, write with back-pressure, end, destroy):
 * the head becomes the answer blob's metadata, the body streams into the upload.
 */
class ChannelResponse extends Writable {
  statusCode = 200;
  private readonly pending: Record<string, string> = {};
  private sent = false;
  readonly body = new PassThrough();
  readonly head: Promise<Head>;
  private resolveHead!: (h: Head) => void;

  constructor() {
    super();
    this.head = new Promise((r) => (this.resolveHead = r));
  }
  get headersSent(): boolean {
    return this.sent;
  }
  setHeader(name: string, value: string | number): this {
    this.pending[name.toLowerCase()] = String(value);
    return this;
  }
  writeHead(status: number, headers: OutgoingHttpHeaders = {}): this {
    if (this.sent) throw new Error("writeHead twice");
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) this.pending[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
    this.sent = true;
    this.resolveHead({ status, headers: { ...this.pending } });
    return this;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (!this.sent) this.writeHead(this.statusCode);
    if (this.body.write(chunk)) done();
    else this.body.once("drain", () => done());
  }
  override _final(done: (e?: Error | null) => void): void {
    if (!this.sent) this.writeHead(this.statusCode);
    this.body.end();
    done();
  }
  override _destroy(e: Error | null, done: (e?: Error | null) => void): void {
    // after a normal end Node destroys the stream too (autoDestroy): only an abandoned answer aborts the upload
    if (e || !this.writableFinished) this.body.destroy(e ?? new Error("answer abandoned"));
    if (!this.sent) this.resolveHead({ status: 0, headers: {} });
    done(e);
  }
}

const REPLY_BLOCK = 4 * 1024 * 1024;

/** A sleep that `sleepers` can cut short (stop). */
function interruptibleSleep(ms: number, stopped: () => boolean, sleepers: Set<() => void>): Promise<void> {
  if (stopped()) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(t);
      sleepers.delete(wake);
      resolve();
    };
    const t = setTimeout(wake, ms);
    sleepers.add(wake);
  });
}

const codeOf = (e: unknown) => String((e as { code?: string }).code ?? (e as { statusCode?: number }).statusCode ?? (e as Error).name ?? "Error");

export class QueueAccessError extends Error {}

/** Runs one request through the handler and uploads its answer. */
async function answer(h: Handler, req: QueueRequest, log: Log, relayVersion: string): Promise<void> {
  const request = new ChannelRequest(req.method, req.pathAndQuery, { ...req.headers, ...(req.body ? { "content-type": "application/json" } : {}) }, req.body ? Buffer.from(req.body, "utf8") : null);
  const response = new ChannelResponse();
  // The handler is written against Node's (req, res); these two implement the part it uses.
  h(request as unknown as IncomingMessage, response as unknown as ServerResponse);
  const head = await response.head;
  const reply = new BlockBlobClient(req.replyUrl);
  const metadata = (status: number, headers: Record<string, string>) => ({
    [replyMetadata.status]: String(status),
    [replyMetadata.relayVersion]: relayVersion,
    ...(headers["x-relay-idempotent-replay"] ? { [replyMetadata.idempotentReplay]: "true" } : {}),
  });
  try {
    if (head.status === 0) throw new Error("answer abandoned before its head");
    await reply.uploadStream(response.body, REPLY_BLOCK, 1, {
      metadata: metadata(head.status, head.headers),
      blobHTTPHeaders: { blobContentType: head.headers["content-type"] ?? "application/json; charset=utf-8" },
    });
  } catch (e) {
    log("reply_failed", { id: req.id, code: codeOf(e) });
    // an answer cut off midway is never committed; say so instead of leaving the cloud waiting
    const text = JSON.stringify({ error: "INTERNAL", melding: "Antwoord van de relay afgebroken" });
    await reply.upload(text, Buffer.byteLength(text), { metadata: metadata(500, {}), blobHTTPHeaders: { blobContentType: "application/json; charset=utf-8" } }).catch(() => undefined);
  }
}

export async function startQueueTransport(h: Handler, o: QueueTransportOptions): Promise<RunningTransport> {
  const queueName = queueNameOf(o.queueUrl);
  if (!queueName) throw new QueueAccessError("RELAY_QUEUE_URL noemt geen relay-wachtrij (relay-<school>)");
  const queue = new QueueClient(o.queueUrl);
  try {
    await queue.getProperties();
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    if (status === 403 || status === 404 || status === 401) {
      throw new QueueAccessError(`De relay-wachtrij ${queueName} geeft geen toegang (HTTP ${status}): controleer RELAY_QUEUE_URL (SAS verlopen of ingetrokken?)`);
    }
    o.log("queue_unreachable", { code: codeOf(e) }); // the network may come later: the loop keeps trying
  }

  let stopped = false;
  const sleepers = new Set<() => void>();
  const inFlight = new Set<Promise<void>>();
  let lastWork = Date.now();
  let delay = o.activeMs;
  let failures = 0;

  async function take(m: DequeuedMessageItem): Promise<void> {
    try {
      await queue.deleteMessage(m.messageId, m.popReceipt);
    } catch (e) {
      o.log("queue_take_failed", { code: codeOf(e) }); // withdrawn by the cloud, or taken by another relay
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(m.messageText);
    } catch {
      json = undefined;
    }
    const parsed = QueueRequest.safeParse(json);
    if (!parsed.success) return void o.log("queue_request_refused", { reason: "ENVELOPE" });
    const req = parsed.data;
    if (!isOwnReplyUrl(req.replyUrl, o.replyContainerUrl, queueName!, req.id)) return void o.log("queue_request_refused", { reason: "REPLY_URL", id: req.id });
    await answer(h, req, o.log, o.relayVersion);
  }

  const loop = (async () => {
    while (!stopped) {
      if (inFlight.size >= o.maxParallel) {
        await Promise.race(inFlight);
        continue;
      }
      let messages: DequeuedMessageItem[];
      try {
        messages = (await queue.receiveMessages({ numberOfMessages: Math.min(32, o.maxParallel - inFlight.size), visibilityTimeout: 60 })).receivedMessageItems;
        failures = 0;
      } catch (e) {
        failures++;
        o.log("queue_poll_failed", { code: codeOf(e), attempt: failures });
        await interruptibleSleep(Math.min(o.idleMs, o.activeMs * 2 ** failures), () => stopped, sleepers);
        continue;
      }
      if (messages.length > 0) {
        lastWork = Date.now();
        delay = o.activeMs;
        for (const m of messages) {
          const p = take(m).catch((e: unknown) => o.log("request_failed", { route: "(wachtrij)", code: codeOf(e) }));
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
        continue;
      }
      delay = Date.now() - lastWork < o.warmMs ? o.activeMs : Math.min(o.idleMs, delay * 2);
      await interruptibleSleep(delay, () => stopped, sleepers);
    }
  })();

  return {
    url: `${new URL(o.queueUrl).origin}${new URL(o.queueUrl).pathname}`,
    async close() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await loop;
      await Promise.all([...inFlight]);
    },
  };
}
