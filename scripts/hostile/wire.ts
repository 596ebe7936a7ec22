import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

/**
 * How the hostile suite talks to the endpoints: ordinary requests through node:http(s), and raw
 * bytes over a socket for what no well-behaved client sends (broken request targets, bodies shorter
 * than announced). Every exchange ends with what came back, or why nothing did.
 */

export interface Outcome {
  /** HTTP status, or null when no answer came (reset, hang-up, timeout) */
  status: number | null;
  contentType: string;
  body: string;
  /** network error code when the exchange broke */
  error: string | null;
}

export interface Endpoint {
  /** base URL, e.g. http://127.0.0.1:7071 or https://localhost:7443 */
  base: string;
  /** CA for https endpoints */
  ca?: string;
  /** headers sent with every request to it (e.g. the principal App Service Authentication forwards) */
  headers?: Record<string, string>;
}

const TIMEOUT_MS = 30_000;
const MAX_KEEP = 64 * 1024;

export interface SendOptions {
  method?: string;
  /** path + query, sent as given (percent-encoding is the caller's) */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** A request through Node's own client. */
export function send(ep: Endpoint, o: SendOptions): Promise<Outcome> {
  const url = new URL(ep.base);
  const tls = url.protocol === "https:";
  const body = o.body === undefined ? undefined : Buffer.isBuffer(o.body) ? o.body : Buffer.from(o.body, "utf8");
  return new Promise((resolve) => {
    let done = false;
    const finish = (out: Outcome) => {
      if (!done) {
        done = true;
        resolve(out);
      }
    };
    const options = {
      host: url.hostname,
      port: Number(url.port),
      method: o.method ?? "GET",
      path: o.path,
      headers: { ...ep.headers, ...(body ? { "content-length": String(body.length) } : {}), ...o.headers },
      agent: false as const,
      timeout: TIMEOUT_MS,
      ...(tls ? { ca: ep.ca, servername: url.hostname === "127.0.0.1" ? "localhost" : url.hostname } : {}),
    };
    const req = (tls ? httpsRequest : httpRequest)(options, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => {
        if (text.length < MAX_KEEP) text += c.toString("utf8");
      });
      res.on("end", () => finish({ status: res.statusCode ?? null, contentType: String(res.headers["content-type"] ?? ""), body: text, error: null }));
      res.on("error", (e: NodeJS.ErrnoException) => finish({ status: res.statusCode ?? null, contentType: String(res.headers["content-type"] ?? ""), body: text, error: e.code ?? e.message }));
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (e: NodeJS.ErrnoException) => finish({ status: null, contentType: "", body: "", error: e.code ?? e.message }));
    if (body) req.write(body);
    req.end();
  });
}

/**
 * Raw bytes over a socket (TLS for https). `half`: after writing, keep the connection open for
 * reading only (a client that stops mid-body but waits for an answer) and give up after `waitMs`.
 */
export function sendRaw(ep: Endpoint, bytes: Buffer | string, o: { waitMs?: number } = {}): Promise<Outcome> {
  const url = new URL(ep.base);
  const tls = url.protocol === "https:";
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    let error: string | null = null;
    const socket: Socket = tls
      ? tlsConnect({ host: url.hostname, port: Number(url.port), ca: ep.ca, servername: url.hostname === "127.0.0.1" ? "localhost" : url.hostname })
      : netConnect({ host: url.hostname, port: Number(url.port) });
    const timer = setTimeout(() => socket.destroy(), o.waitMs ?? TIMEOUT_MS);
    socket.on(tls ? "secureConnect" : "connect", () => {
      socket.write(bytes);
      if (o.waitMs === undefined) socket.end();
    });
    socket.on("data", (c: Buffer) => {
      if (got.length < MAX_KEEP) got = Buffer.concat([got, c]);
    });
    socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on("close", () => {
      clearTimeout(timer);
      const text = got.toString("utf8");
      const i = text.indexOf("\r\n\r\n");
      const head = i < 0 ? text : text.slice(0, i);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      const contentType = /\r\ncontent-type:\s*([^\r\n]*)/i.exec(head)?.[1] ?? "";
      let body = i < 0 ? "" : text.slice(i + 4);
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) body = dechunk(body);
      resolve({ status: status ? Number(status) : null, contentType, body, error: status ? null : (error ?? "NO_ANSWER") });
    });
  });
}

function dechunk(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const nl = rest.indexOf("\r\n");
    if (nl < 0) return out;
    const size = parseInt(rest.slice(0, nl), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 2 + size + 2);
  }
}
