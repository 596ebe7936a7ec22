import { request } from "node:https";
import type { IncomingMessage } from "node:http";
import { signatureHeaders } from "../../contracts/relay/signing.js";
import { TransientError } from "./errors.js";

/**
 * One signed HTTPS request to the relay. `baseUrl` may carry a path (the Azure Relay Hybrid
 * Connection name, e.g. https://ns.servicebus.windows.net/school-00aa): the signature covers the
 * path relative to it, which is what the relay sees after the transport. With `relayAuthorization`
 * the request also carries the Azure Relay sender token (ServiceBusAuthorization).
 */

export interface TransportOptions {
  baseUrl: string;
  key: Buffer;
  /** extra CA to trust (a local relay's self-signed or test certificate) */
  ca?: string | Buffer;
  /** a client certificate, for a local relay that demands mutual TLS (not possible through Azure Relay) */
  clientCertificate?: { cert: string; key: string };
  /** the Azure Relay sender token (SAS or Entra ID), when the relay sits behind a Hybrid Connection */
  relayAuthorization?: () => Promise<string>;
  timeoutMs?: number;
  now?: () => number;
}

export async function send(o: TransportOptions, method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<IncomingMessage> {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), "utf8");
  const base = new URL(o.baseUrl);
  const basePath = base.pathname.replace(/\/$/, "");
  const url = new URL(basePath + pathAndQuery, base);
  // Sign the path exactly as it goes on the wire (percent-encoded), relative to the base path.
  const signedPath = url.pathname.slice(basePath.length) + url.search;
  const headers: Record<string, string> = {
    accept: "application/json, application/x-ndjson",
    ...signatureHeaders(o.key, { method, pathAndQuery: signedPath, body: payload }, (o.now ?? Date.now)()),
  };
  if (payload.length > 0) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(payload.length);
  }
  if (o.relayAuthorization) headers.ServiceBusAuthorization = await o.relayAuthorization();
  return new Promise((resolve, reject) => {
    const tls = { ...(o.ca ? { ca: o.ca } : {}), ...(o.clientCertificate ?? {}) };
    const req = request(url, { method, headers, ...tls, timeout: o.timeoutMs ?? 60_000 }, resolve);
    req.on("timeout", () => req.destroy(new TransientError("relay did not answer in time", "ETIMEDOUT")));
    req.on("error", (e) => reject(e instanceof TransientError ? e : new TransientError(`relay unreachable: ${e.message}`, (e as { code?: string }).code ?? null, { cause: e })));
    req.end(payload);
  });
}

export async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
