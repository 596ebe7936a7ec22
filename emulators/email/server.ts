/**
 * DEV/TEST ONLY — never deployed (.funcignore drops emulators/), never imported from src/ or
 * functions/. A stand-in for Azure Communication Services Email that the real SDK
 * (`@azure/communication-email` EmailClient) talks to over HTTPS: `POST /emails:send` with HMAC-SHA256
 * access-key authentication, answered 202 with an `Operation-Location` the SDK polls
 * (`GET /emails/operations/{id}`). It delivers nothing: it keeps every accepted message so the local
 * stack and tests can read them (`GET /admin/messages`). Where it cannot do what ACS does it refuses,
 * naming the gap (README.md).
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { z } from "zod";

/** The api-versions whose request shape this stand-in knows (the SDK 1.1.0 sends 2025-09-01). */
export const API_VERSIONS = ["2023-03-31", "2025-09-01"] as const;
/** ACS accepts at most 50 recipients (to + cc + bcc) per message. */
const MAX_RECIPIENTS = 50;
/** The request body limit this stand-in enforces (ACS: 10 MB including attachments). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** How far x-ms-date may be from now (ACS rejects stale signatures; 15 minutes here). */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

const Address = z.object({ address: z.string().email(), displayName: z.string().optional() });
const SendRequest = z.object({
  senderAddress: z.string().email(),
  content: z.object({ subject: z.string().min(1), plainText: z.string().optional(), html: z.string().optional() }).refine((c) => c.plainText !== undefined || c.html !== undefined, "content needs plainText or html"),
  recipients: z.object({ to: z.array(Address).default([]), cc: z.array(Address).default([]), bcc: z.array(Address).default([]) }),
  replyTo: z.array(Address).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  attachments: z.array(z.unknown()).optional(),
  userEngagementTrackingDisabled: z.boolean().optional(),
});

export interface ReceivedEmail {
  /** the operation id the sender got */
  id: string;
  ontvangenOp: string;
  van: string;
  aan: string[];
  cc: string[];
  bcc: string[];
  onderwerp: string;
  tekst: string | null;
  html: string | null;
}

export interface EmailStandInOptions {
  /** the access key (base64), as in the connection string `endpoint=…;accesskey=…` */
  accessKey: string;
  /** the sender domains linked to the resource (ACS accepts only verified, linked domains) */
  senderDomains: readonly string[];
  /** HTTPS, as ACS (the SDK refuses plain HTTP): e.g. the test PKI's server certificate */
  tls: { cert: string; key: string };
  host?: string;
  /** 0 or absent: a free port */
  port?: number;
}

export interface EmailStandIn {
  url: string;
  port: number;
  /** the connection string for EmailClient */
  connectionString: string;
  /** every accepted message, oldest first */
  messages(): ReceivedEmail[];
  clear(): void;
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startEmailStandIn(o: EmailStandInOptions): Promise<EmailStandIn> {
  const key = Buffer.from(o.accessKey, "base64");
  if (key.length < 16) throw new Error("email stand-in: accessKey must be base64 of at least 16 bytes");
  const received: ReceivedEmail[] = [];
  const operations = new Map<string, "Succeeded">();
  const domains = new Set(o.senderDomains.map((d) => d.toLowerCase()));

  const server = createServer({ cert: o.tls.cert, key: o.tls.key }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      const r = e instanceof Refusal ? e : new Refusal(500, "InternalError", "email stand-in: unexpected error");
      send(res, r.status, { error: { code: r.code, message: r.message } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://stand-in");
    if (url.pathname === "/admin/messages") {
      if (req.method === "GET") return send(res, 200, { messages: received });
      if (req.method === "DELETE") {
        received.length = 0;
        return send(res, 204, null);
      }
      throw new Refusal(405, "MethodNotAllowed", "email stand-in: /admin/messages takes GET or DELETE");
    }
    const body = await readBody(req);
    const version = url.searchParams.get("api-version");
    if (version === null || !(API_VERSIONS as readonly string[]).includes(version)) throw new Refusal(400, "UnsupportedApiVersion", `email stand-in: api-version ${version ?? "(none)"} is not one it knows (${API_VERSIONS.join(", ")})`);
    authenticate(req, url, body);

    const op = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && op) {
      const id = decodeURIComponent(op[1]!);
      const status = operations.get(id);
      if (!status) throw new Refusal(404, "NotFound", `email stand-in: no send operation ${id}`);
      return send(res, 200, { id, status });
    }
    if (req.method === "POST" && url.pathname === "/emails:send") return accept(req, res, body, version);
    throw new Refusal(404, "NotFound", `email stand-in: ${req.method} ${url.pathname} is not an ACS Email operation it serves`);
  }

  function accept(req: IncomingMessage, res: ServerResponse, body: Buffer, version: string): void {
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      throw new Refusal(400, "BadRequest", "request body is not JSON");
    }
    const parsed = SendRequest.safeParse(json);
    if (!parsed.success) throw new Refusal(400, "BadRequest", `invalid message: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
    const m = parsed.data;
    if (m.attachments !== undefined && m.attachments.length > 0) throw new Refusal(501, "NotImplementedByStandIn", "email stand-in: attachments are not modelled (size, content-type and inline rules of ACS); send without attachments");
    if (m.headers !== undefined && Object.keys(m.headers).length > 0) throw new Refusal(501, "NotImplementedByStandIn", "email stand-in: custom headers are not modelled (ACS limits their names and size)");
    const recipients = [...m.recipients.to, ...m.recipients.cc, ...m.recipients.bcc];
    if (recipients.length === 0) throw new Refusal(400, "BadRequest", "invalid message: at least one recipient is needed");
    if (recipients.length > MAX_RECIPIENTS) throw new Refusal(400, "BadRequest", `invalid message: more than ${MAX_RECIPIENTS} recipients`);
    const domain = m.senderAddress.split("@")[1]!.toLowerCase();
    if (!domains.has(domain)) throw new Refusal(400, "DomainNotLinked", `email stand-in: sender domain ${domain} is not linked to this resource (linked: ${[...domains].join(", ")})`);
    const operationId = req.headers["operation-id"];
    if (typeof operationId === "string" && operations.has(operationId)) {
      throw new Refusal(409, "NotImplementedByStandIn", "email stand-in: a repeated Operation-Id is not modelled (what ACS does with it is not specified here); use a new one");
    }
    const id = typeof operationId === "string" && operationId !== "" ? operationId : randomUUID();
    operations.set(id, "Succeeded");
    received.push({
      id,
      ontvangenOp: new Date().toISOString(),
      van: m.senderAddress,
      aan: m.recipients.to.map((a) => a.address),
      cc: m.recipients.cc.map((a) => a.address),
      bcc: m.recipients.bcc.map((a) => a.address),
      onderwerp: m.content.subject,
      tekst: m.content.plainText ?? null,
      html: m.content.html ?? null,
    });
    const base = `https://${req.headers.host ?? "localhost"}`;
    res.setHeader("Operation-Location", `${base}/emails/operations/${encodeURIComponent(id)}?api-version=${version}`);
    res.setHeader("Retry-After", "0");
    send(res, 202, { id, status: "Running" });
  }

  /** HMAC-SHA256 as the SDK signs (communication-common): `VERB\npath?query\ndate;host;contentHash`. */
  function authenticate(req: IncomingMessage, url: URL, body: Buffer): void {
    const auth = req.headers.authorization ?? "";
    if (/^Bearer /i.test(auth)) throw new Refusal(401, "NotImplementedByStandIn", "email stand-in: Entra ID bearer tokens are not verified here; use the access key (connection string)");
    const m = /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=(.+)$/.exec(auth);
    if (!m) throw new Refusal(401, "Unauthorized", "missing or malformed HMAC-SHA256 Authorization header");
    const date = req.headers["x-ms-date"];
    const hash = req.headers["x-ms-content-sha256"];
    const host = req.headers.host;
    if (typeof date !== "string" || typeof hash !== "string" || typeof host !== "string") throw new Refusal(401, "Unauthorized", "x-ms-date, x-ms-content-sha256 and host are required");
    const when = Date.parse(date);
    if (Number.isNaN(when) || Math.abs(Date.now() - when) > MAX_CLOCK_SKEW_MS) throw new Refusal(401, "Unauthorized", "x-ms-date is missing or too far from now");
    if (createHash("sha256").update(body).digest("base64") !== hash) throw new Refusal(401, "Unauthorized", "x-ms-content-sha256 does not match the body");
    const query = url.searchParams.toString();
    const toSign = `${req.method ?? ""}\n${url.pathname}${query ? `?${query}` : ""}\n${date};${host};${hash}`;
    const expected = createHmac("sha256", key).update(toSign, "utf8").digest();
    const given = Buffer.from(m[1]!, "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Refusal(401, "Unauthorized", "the HMAC signature does not match");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, o.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${o.host === undefined || o.host === "127.0.0.1" ? "localhost" : o.host}:${port}`;
  return {
    url,
    port,
    connectionString: `endpoint=${url}/;accesskey=${o.accessKey}`,
    messages: () => received.map((r) => ({ ...r })),
    clear: () => void (received.length = 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Refusal(413, "RequestEntityTooLarge", "request body larger than 10 MB"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  if (body === null) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) }).end(text);
}
