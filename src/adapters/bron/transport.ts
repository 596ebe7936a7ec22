import { Agent, request } from "node:https";
import { BronError, ResponseTooLargeError, TransientError } from "./errors.js";
import { tlsFailure } from "./tls-errors.js";

/**
 * One HTTPS POST of a SOAP message with the aanleverpunt's client certificate (mutual TLS). It
 * enforces a deadline and a hard response-size limit, and turns transport failures into the error
 * taxonomy: network trouble and timeouts are transient; a TLS handshake BRON ends (certificate
 * refused) or that we end (BRON's certificate not trusted) is a rejection with a Dutch reason
 * (tls-errors.ts): retrying cannot fix a refused or unknown certificate.
 */
export type BronCertificate =
  | { cert: string; key: string; ca?: string }
  | { pfx: Buffer | Uint8Array; passphrase?: string; ca?: string };

/** An HTTPS agent presenting `certificate`; keeps connections alive between calls. */
export function createMtlsAgent(certificate: BronCertificate): Agent {
  return new Agent({ ...certificate, pfx: "pfx" in certificate ? Buffer.from(certificate.pfx) : undefined, keepAlive: true, maxSockets: 4 });
}

export interface PostOptions {
  url: URL;
  agent: Agent;
  soapAction: string;
  body: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface HttpResult {
  status: number;
  body: string;
}

const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ECONNABORTED", "UND_ERR_SOCKET"]);

/** POSTs `body` and resolves with status and text, or rejects with a BronError. */
export function postSoap(o: PostOptions): Promise<HttpResult> {
  return new Promise<HttpResult>((resolve, reject) => {
    const payload = Buffer.from(o.body, "utf8");
    const req = request(o.url, {
      method: "POST",
      agent: o.agent,
      headers: {
        "content-type": "text/xml; charset=utf-8",
        "content-length": payload.length,
        soapaction: `"${o.soapAction}"`,
      },
    });
    const deadline = setTimeout(() => req.destroy(new TransientError(`BRON did not answer within ${o.timeoutMs} ms`, "ETIMEDOUT")), o.timeoutMs);
    const fail = (e: unknown) => {
      clearTimeout(deadline);
      reject(toBronError(e));
    };
    req.on("error", fail);
    req.on("response", (res) => {
      const declared = Number(res.headers["content-length"] ?? "0");
      if (declared > o.maxResponseBytes) {
        req.destroy(tooLarge(o.maxResponseBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > o.maxResponseBytes) {
          req.destroy(tooLarge(o.maxResponseBytes));
          return;
        }
        chunks.push(c);
      });
      res.on("error", fail);
      res.on("aborted", () => fail(new TransientError("BRON response was cut off", "ECONNRESET")));
      res.on("end", () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.end(payload);
  });
}

function tooLarge(limit: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`BRON response exceeds the limit of ${limit} bytes`, "RESPONSE_TOO_LARGE");
}

/** Maps a Node network/TLS error to the taxonomy. */
export function toBronError(e: unknown): BronError {
  if (e instanceof BronError) return e;
  const tls = tlsFailure(e);
  if (tls) return tls;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? "";
  const msg = err?.message ?? String(e);
  if (TRANSIENT_CODES.has(code) || /socket hang up/i.test(msg)) return new TransientError(`connection to BRON failed: ${msg}`, code || "ECONNRESET", { cause: e });
  return new TransientError(`connection to BRON failed: ${msg}`, code || "NETWORK", { cause: e });
}
