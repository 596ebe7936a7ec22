import type { IncomingMessage, ServerResponse } from "node:http";
import { ConnectionError } from "tedious";
import { type z } from "zod";
import { dutchDay } from "../core/dates.js";
import { Aanleverpunt, AanleverpuntenResponse, type HealthResponse, RELAY_API_VERSION, SnapshotQuery, WriteRequest } from "../contracts/relay/api.js";
import type { IncomingSigned, Verdict } from "./auth.js";
import { BodyTooLarge, ClientGone, readBody, sendError, sendJson } from "./http-util.js";
import type { Log } from "./log.js";
import type { SqlPool } from "./sql/connection.js";
import * as sql from "./sql/lvs2000.js";
import { readSnapshotPage } from "./snapshot/read-page.js";
import { streamSnapshot } from "./snapshot/stream.js";
import type { VersionGate } from "./version-gate.js";
import { applyWriteRequest } from "./writes.js";

/**
 * The relay's one request handler. Both transports (the Storage queue channel and local HTTPS) call
 * it with Node's (req, res), so every rule (signature, version gate, zod checks, routes) is the same
 * whichever way a request arrives. It reads only: the body, method, path+query and the signature
 * headers; it writes only: writeHead/setHeader, write (with back-pressure), end, destroy.
 */

export interface RelayDeps {
  pool: SqlPool;
  verify: (r: IncomingSigned) => Verdict;
  gate: VersionGate;
  log: Log;
  now: () => Date;
  relayVersion: string;
  /** the API version the health answer reports (default RELAY_API_VERSION; tests fake an old relay with it) */
  apiVersion?: string;
}

const MAX_BODY = 1024 * 1024;
const snapshotRoute = /^\/v1\/aanleverpunten\/([^/]+)\/(snapshot|snapshot\.ndjson)$/;

function problemsOf(e: z.ZodError): string[] {
  return e.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
}

async function health(d: RelayDeps, res: ServerResponse): Promise<void> {
  const v = await d.gate.check().catch(() => ({ ok: false as const, version: null, melding: "De LVS2000-database is niet bereikbaar" }));
  const body: HealthResponse = {
    status: v.ok ? "ok" : "unavailable",
    relayVersion: d.relayVersion,
    apiVersion: d.apiVersion ?? RELAY_API_VERSION,
    databaseVersion: v.version,
    melding: v.ok ? null : v.melding,
  };
  sendJson(res, v.ok ? 200 : 503, body);
}

async function aanleverpunten(d: RelayDeps, res: ServerResponse): Promise<void> {
  const rows = await sql.selectAanleverpunten(d.pool);
  const byCode = new Map<string, { code: string; naam: string; vestigingen: string[] }>();
  for (const r of rows) {
    const code = String(r.AanleverpuntCode);
    const entry = byCode.get(code) ?? { code, naam: String(r.Naam ?? ""), vestigingen: [] };
    if (typeof r.VestigingCode === "string") entry.vestigingen.push(r.VestigingCode);
    byCode.set(code, entry);
  }
  sendJson(res, 200, AanleverpuntenResponse.parse({ aanleverpunten: [...byCode.values()] }));
}

async function snapshot(d: RelayDeps, res: ServerResponse, apText: string, kind: string, query: URLSearchParams): Promise<void> {
  const ap = Aanleverpunt.safeParse(apText);
  const q = SnapshotQuery.safeParse(Object.fromEntries(query));
  if (!ap.success) return sendError(res, 400, "BAD_REQUEST", "Ongeldig aanleverpunt", problemsOf(ap.error));
  if (!q.success) return sendError(res, 400, "BAD_REQUEST", "Ongeldige parameters", problemsOf(q.error));
  if (!(await sql.aanleverpuntExists(d.pool, ap.data))) return sendError(res, 404, "NOT_FOUND", "Aanleverpunt onbekend in LVS2000");
  const today = dutchDay(d.now());
  if (kind === "snapshot.ndjson") {
    const counts = await streamSnapshot(d.pool, res, ap.data, q.data.limit, today);
    d.log("snapshot_streamed", { aanleverpunt: ap.data, ...counts });
    return;
  }
  const page = await readSnapshotPage(d.pool, ap.data, q.data.cursor, q.data.limit, today);
  d.log("snapshot_page", { aanleverpunt: ap.data, leerlingen: page.leerlingen.length, inschrijvingen: page.inschrijvingen.length, problemen: page.problems.length });
  sendJson(res, 200, page);
}

async function write(d: RelayDeps, res: ServerResponse, body: Buffer): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return sendError(res, 400, "BAD_REQUEST", "Verzoek is geen geldige JSON");
  }
  const r = WriteRequest.safeParse(json);
  if (!r.success) return sendError(res, 400, "BAD_REQUEST", "Ongeldig schrijfverzoek", problemsOf(r.error));
  const out = await applyWriteRequest(d.pool, r.data, d.now());
  d.log("write", { requestId: r.data.requestId, soort: r.data.write.soort, httpStatus: out.httpStatus, herhaling: out.replay });
  sendJson(res, out.httpStatus, out.body, out.replay ? { "x-relay-idempotent-replay": "true" } : {});
}

async function route(d: RelayDeps, req: IncomingMessage, res: ServerResponse, target: URL, body: Buffer): Promise<void> {
  const path = target.pathname;
  const method = req.method ?? "GET";
  if (method === "GET" && path === "/v1/health") return health(d, res);
  const gate = await d.gate.check();
  if (!gate.ok) return sendError(res, 503, "DATABASE_VERSION", gate.melding);
  if (method === "GET" && path === "/v1/aanleverpunten") return aanleverpunten(d, res);
  const m = snapshotRoute.exec(path);
  if (method === "GET" && m) return snapshot(d, res, m[1]!, m[2]!, target.searchParams);
  if (method === "POST" && path === "/v1/writes") return write(d, res, body);
  sendError(res, 404, "NOT_FOUND", "Onbekende route");
}

function fail(d: RelayDeps, res: ServerResponse, e: unknown, route: string): void {
  // Lost connection, timeout, or chosen as deadlock victim (1205): the same request may well succeed later.
  const transient = e instanceof ConnectionError || (e as { code?: string }).code === "ETIMEOUT" || (e as { number?: number }).number === 1205;
  d.log("request_failed", { route, soort: (e as Error).name ?? "Error", code: String((e as { code?: string; number?: number }).number ?? (e as { code?: string }).code ?? "") });
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  sendError(res, transient ? 503 : 500, transient ? "TRANSIENT" : "INTERNAL", transient ? "LVS2000-database tijdelijk niet bereikbaar; probeer later opnieuw" : "Interne fout in de relay");
}

/** The request target as a URL, or null when it is not an origin-form path the relay can route. */
function parseTarget(pathAndQuery: string): URL | null {
  if (!pathAndQuery.startsWith("/") || pathAndQuery.startsWith("//")) return null;
  try {
    return new URL(pathAndQuery, "http://relay.invalid");
  } catch {
    return null;
  }
}

/** Answers once, whatever state the response is in (a refusal after a failure must not throw again). */
function safeError(res: ServerResponse, status: number, error: string, melding: string, close = false): void {
  if (res.headersSent || res.writableEnded) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  if (close) res.setHeader("connection", "close");
  sendError(res, status, error, melding);
}

/**
 * Builds the (req, res) handler both transports use. Everything a request can cause, from its very
 * first byte on, happens inside one guard: a hostile request gets a 4xx and a Dutch melding, never a
 * dead process.
 */
export function createRequestHandler(d: RelayDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let routeName = "(onbekend)";
    const handle = async () => {
      const pathAndQuery = req.url ?? "/";
      const target = parseTarget(pathAndQuery);
      const body = await readBody(req, MAX_BODY);
      if (target === null) {
        d.log("bad_request", { reason: "TARGET", method: req.method ?? "" });
        return sendError(res, 400, "BAD_REQUEST", "Ongeldig verzoekadres");
      }
      routeName = target.pathname.slice(0, 200);
      const verdict = d.verify({ method: req.method ?? "GET", pathAndQuery, body, headers: req.headers });
      if (!verdict.ok) {
        d.log("auth_refused", { reason: verdict.reason, method: req.method ?? "", route: routeName, remote: req.socket?.remoteAddress ?? null });
        return sendError(res, 401, "UNAUTHORIZED", "Verzoek niet (geldig) ondertekend");
      }
      await route(d, req, res, target, body);
    };
    handle().catch((e: unknown) => {
      try {
        if (e instanceof ClientGone) return;
        if (e instanceof BodyTooLarge) {
          d.log("bad_request", { reason: "TOO_LARGE", method: req.method ?? "" });
          safeError(res, 413, "TOO_LARGE", "Verzoek is te groot (maximaal 1 MB)", !e.drained);
          if (!e.drained) res.once("finish", () => req.socket?.destroy());
          return;
        }
        fail(d, res, e, routeName);
      } catch {
        // the last resort: never let a request take the relay down
        if (!res.destroyed) res.destroy();
      }
    });
  };
}
