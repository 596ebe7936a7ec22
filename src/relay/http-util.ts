import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorResponse } from "../contracts/relay/api.js";

/** Small HTTP helpers shared by the relay's routes (JSON out, bounded body in). */

/** The body is over the limit. `drained`: it was read to its end (the connection can answer and stay usable). */
export class BodyTooLarge extends Error {
  constructor(readonly drained: boolean) {
    super("request body too large");
  }
}

/** How much of an oversized body is read and thrown away so the client gets its 413 instead of a reset. */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Reads the whole request body, refusing more than `limit` bytes. An oversized body is not kept:
 * the rest is read and discarded (up to `drainLimit`), so the 413 reaches a client that is still
 * sending; past `drainLimit` it stops reading and the caller closes the connection after answering.
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit = DRAIN_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (chunks.length > 0) chunks.length = 0;
      if (size > drainLimit && !settled) {
        settled = true;
        req.off("data", onData);
        req.pause();
        reject(new BodyTooLarge(false));
      }
    };
    req.on("data", onData);
    req.on("end", () => {
      if (settled) return;
      settled = true;
      if (size > limit) reject(new BodyTooLarge(true));
      else resolve(Buffer.concat(chunks));
    });
    req.on("error", (e) => {
      if (settled) return;
      settled = true;
      reject(e);
    });
    req.on("close", () => {
      if (settled) return;
      settled = true;
      reject(new ClientGone());
    });
  });
}

/** The client closed the connection before its body was complete. */
export class ClientGone extends Error {}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store", ...extra });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: string, melding: string, details?: string[]): void {
  const body: ErrorResponse = details ? { error, melding, details } : { error, melding };
  sendJson(res, status, body);
}

/** Writes one chunk, waiting for the socket to drain when its buffer is full (bounded memory when streaming). */
export function writeChunk(res: ServerResponse, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", closed);
      resolve();
    };
    const closed = () => {
      res.off("drain", done);
      reject(new Error("client went away"));
    };
    res.once("drain", done);
    res.once("close", closed);
  });
}
