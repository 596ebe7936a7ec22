import { request } from "node:https";
import type { Readable } from "node:stream";
import { signatureHeaders } from "../../contracts/relay/signing.js";
import { TransientError } from "./errors.js";

/**
 * How the relay client reaches a relay: a channel sends one signed request and hands back the status
 * and the body as a stream. Two channels: the Storage queue channel (queue-channel.ts, production)
 * and direct HTTPS to a relay's local listener (this file: development, tests, diagnosis).
 */
export interface RelayReply {
  status: number;
  body: Readable;
  /** the answering relay's version as the channel carries it (queue: the answer's metadata), when it says */
  relayVersion?: string;
  /** the body is read (or abandoned): the channel may clean up (the queue channel deletes the answer blob) */
  release(): Promise<void>;
}

export interface RelayChannel {
  send(method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<RelayReply>;
}

export interface TransportOptions {
  baseUrl: string;
  key: Buffer;
  /** extra CA to trust (a local relay's self-signed or test certificate) */
  ca?: string | Buffer;
  /** a client certificate, for a local relay that demands mutual TLS */
  clientCertificate?: { cert: string; key: string };
  timeoutMs?: number;
  now?: () => number;
}

/** The request body as the wire carries it (and as it is signed): JSON, or nothing. */
export const payloadOf = (body: unknown) => (body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), "utf8"));

/** One signed HTTPS request to a relay's local listener. */
export function httpsChannel(o: TransportOptions): RelayChannel {
  return {
    async send(method, pathAndQuery, body) {
      const payload = payloadOf(body);
      const url = new URL(pathAndQuery, o.baseUrl);
      // Sign the path exactly as it goes on the wire (percent-encoded).
      const signedPath = url.pathname + url.search;
      const headers: Record<string, string> = {
        accept: "application/json, application/x-ndjson",
        ...signatureHeaders(o.key, { method, pathAndQuery: signedPath, body: payload }, (o.now ?? Date.now)()),
      };
      if (payload.length > 0) {
        headers["content-type"] = "application/json";
        headers["content-length"] = String(payload.length);
      }
      const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
        const tls = { ...(o.ca ? { ca: o.ca } : {}), ...(o.clientCertificate ?? {}) };
        const req = request(url, { method, headers, ...tls, timeout: o.timeoutMs ?? 60_000 }, resolve);
        req.on("timeout", () => req.destroy(new TransientError("relay did not answer in time", "ETIMEDOUT")));
        req.on("error", (e) => reject(e instanceof TransientError ? e : new TransientError(`relay unreachable: ${e.message}`, (e as { code?: string }).code ?? null, { cause: e })));
        req.end(payload);
      });
      return {
        status: res.statusCode ?? 0,
        body: res,
        async release() {
          if (!res.complete) res.destroy();
        },
      };
    },
  };
}

export async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
