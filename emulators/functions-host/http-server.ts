import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { RpcHttpData, RpcTypedData } from "./core-api.js";
import type { ApiRequest, ApiResponse } from "./durable/client-api.js";
import { matchRoute, type HttpRoute } from "./http-routes.js";

/** What the HTTP front end needs from the host. */
export interface HttpHandlers {
  routePrefix: string;
  routes: HttpRoute[];
  keys: { function?: string | undefined; master?: string | undefined };
  invokeHttp(route: HttpRoute, request: RpcHttpData): Promise<RpcTypedData | null | undefined>;
  runNonHttp(name: string, input: string): Promise<boolean>;
  durableApi(req: ApiRequest): Promise<ApiResponse>;
  onError(err: unknown): void;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { "Content-Type": "application/json; charset=utf-8" } : {}), ...headers });
  res.end(text);
}

/** Auth levels: enforced only when keys are configured (Core Tools does not enforce them at all). */
function authorised(level: HttpRoute["authLevel"] | "admin", keys: HttpHandlers["keys"], req: IncomingMessage, url: URL): boolean {
  if (level === "anonymous" || (!keys.function && !keys.master)) return true;
  const given = url.searchParams.get("code") ?? (req.headers["x-functions-key"] as string | undefined);
  if (!given) return false;
  if (given === keys.master) return true;
  return level === "function" && given === keys.function;
}

function writeHttpResult(res: ServerResponse, data: RpcTypedData | null | undefined): void {
  const http = data?.http;
  if (!http) {
    res.writeHead(204).end();
    return;
  }
  const headers: Record<string, string | string[]> = { ...(http.headers ?? {}) };
  const cookies = (http.cookies ?? []).map((c) => [`${c.name}=${c.value}`, c.path ? `Path=${c.path}` : "", c.domain ? `Domain=${c.domain}` : "", c.maxAge ? `Max-Age=${c.maxAge}` : "", c.httpOnly ? "HttpOnly" : "", c.secure ? "Secure" : ""].filter(Boolean).join("; "));
  if (cookies.length) headers["Set-Cookie"] = cookies;
  const body = http.body?.bytes ? Buffer.from(http.body.bytes) : http.body?.string !== undefined && http.body?.string !== null ? Buffer.from(http.body.string) : Buffer.alloc(0);
  res.writeHead(Number(http.statusCode ?? 200), headers);
  res.end(body);
}

async function handle(h: HttpHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const method = (req.method ?? "GET").toUpperCase();
  const parts = url.pathname.split("/").filter(Boolean);
  const body = await readBody(req);
  if (parts[0] === "durabletask" || (parts[0] === "runtime" && parts[1] === "webhooks" && parts[2] === "durabletask")) {
    if (parts[0] === "runtime" && !authorised("function", h.keys, req, url)) return sendJson(res, 401);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const r = await h.durableApi({ method, parts: parts.slice(parts[0] === "durabletask" ? 1 : 3), query: url.searchParams, body: body.toString("utf8"), headers, url: url.href });
    return sendJson(res, r.status, r.body, r.headers);
  }
  if (parts[0] === "admin" && parts[1] === "functions" && parts[2] && method === "POST") {
    if (!authorised("admin", h.keys, req, url)) return sendJson(res, 401);
    const input = body.length ? ((JSON.parse(body.toString("utf8")) as { input?: unknown }).input ?? "") : "";
    const found = await h.runNonHttp(decodeURIComponent(parts[2]), typeof input === "string" ? input : JSON.stringify(input));
    return sendJson(res, found ? 202 : 404);
  }
  if (parts[0] === "admin" && parts[1] === "host" && parts[2] === "status") return sendJson(res, 200, { state: "Running" });
  const prefix = h.routePrefix ? h.routePrefix.split("/").filter(Boolean) : [];
  if (prefix.every((p, i) => parts[i]?.toLowerCase() === p.toLowerCase())) {
    const path = parts.slice(prefix.length);
    let methodMismatch = false;
    for (const route of h.routes) {
      const params = matchRoute(route, path);
      if (!params) continue;
      if (!route.methods.includes(method)) {
        methodMismatch = true;
        continue;
      }
      if (!authorised(route.authLevel, h.keys, req, url)) return sendJson(res, 401);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const query: Record<string, string> = {};
      url.searchParams.forEach((v, k) => (query[k] = v));
      const request: RpcHttpData = { method, url: url.href, headers, query, params, body: { bytes: body } };
      try {
        return writeHttpResult(res, await h.invokeHttp(route, request));
      } catch (err) {
        h.onError(err);
        return sendJson(res, 500);
      }
    }
    if (methodMismatch) return sendJson(res, 405);
  }
  sendJson(res, 404);
}

/** Starts the host's HTTP front end on 127.0.0.1:port (0 = any free port). */
export async function startHttpServer(h: HttpHandlers, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(h, req, res).catch((err: unknown) => {
      // A request target or Host that is no URL: the Azure front end answers 400 Bad Request.
      if ((err as { code?: string }).code === "ERR_INVALID_URL" && !res.headersSent) return sendJson(res, 400);
      h.onError(err);
      if (!res.headersSent) sendJson(res, 500, { message: (err as Error).message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  return { server, port: typeof addr === "object" && addr ? addr.port : port };
}
