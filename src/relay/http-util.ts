import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorResponse } from "../contracts/relay/api.js";

/** Small HTTP helpers shared by the relay's routes (JSON out, bounded body in). */

export class BodyTooLarge extends Error {}

/** Reads the whole request body, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

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
