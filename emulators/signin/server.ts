/**
 * DEV/TEST ONLY — never deployed (.funcignore drops emulators/), never imported from src/ or
 * functions/. A stand-in for App Service Authentication ("Easy Auth") with Entra ID in front of the
 * local Functions host: it lets you pick a demo person instead of signing in at Microsoft, and then
 * does what the platform does for every request to the app — strips any `x-ms-client-principal*`
 * header the client sent and sets the signed-in person's (base64 JSON claims, -name, -id, -idp).
 * See README.md for what it does not do.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface DemoPerson {
  /** Entra object id */
  id: string;
  /** display name */
  naam: string;
  /** sign-in name (UPN / e-mail address) */
  email: string;
  /** app role values in the token (Beheerder, Schooladministratie) */
  rollen: string[];
  /** Entra group object ids in the token */
  groepen: string[];
  /** what the login page says about this person, in Dutch ("alle scholen", "De Regenboog") */
  omschrijving: string;
}

export interface SignInStandInOptions {
  /** the app behind it, e.g. http://127.0.0.1:41234 */
  target: string;
  people: readonly DemoPerson[];
  host?: string;
  /** 0 or absent: a free port */
  port?: number;
  /**
   * The person's Key Vault access token, as App Service Authentication's token store passes it
   * (`x-ms-token-aad-access-token`) when the login asks for the Key Vault scope (docs/onboarding.md);
   * undefined: no token header. Locally the Key Vault stand-in mints it for the Beheerder.
   */
  accessToken?: (person: DemoPerson) => string | undefined;
  /**
   * As App Service Authentication's `globalValidation.excludedPaths` (infra/modules/functionapp.bicep):
   * paths passed to the app without sign-in and without a principal (the relay → cloud contact API).
   * An entry ending in `*` matches every path that starts with what comes before it.
   */
  excludedPaths?: readonly string[];
}

export interface SignInStandIn {
  url: string;
  port: number;
  /** `Authorization` header value for a demo person (scripts and tests; a browser uses the login page) */
  bearer(personId: string): string;
  /** the headers App Service Authentication would set for this person (to call the app directly, as the platform does) */
  principalHeaders(personId: string): Record<string, string>;
  close(): Promise<void>;
}

/** Paths the stand-in passes through untouched: the host's own management APIs (key-protected in Azure, see README). */
const PASS_THROUGH = ["/admin/", "/durabletask/", "/runtime/webhooks/durabletask/"];
const COOKIE = "AppServiceAuthSession";
const PLATFORM_HEADER = /^x-ms-(client-principal|token-)/i;
const BEARER_PREFIX = "bronsync-standin.";

const claimsOf = (p: DemoPerson) => [
  { typ: "http://schemas.microsoft.com/identity/claims/objectidentifier", val: p.id },
  { typ: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", val: p.email },
  { typ: "preferred_username", val: p.email },
  { typ: "name", val: p.naam },
  ...p.rollen.map((val) => ({ typ: "roles", val })),
  ...p.groepen.map((val) => ({ typ: "groups", val })),
];

export function principalHeadersOf(p: DemoPerson): Record<string, string> {
  const principal = { auth_typ: "aad", claims: claimsOf(p), name_typ: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", role_typ: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role" };
  return {
    "x-ms-client-principal": Buffer.from(JSON.stringify(principal), "utf8").toString("base64"),
    "x-ms-client-principal-name": p.email,
    "x-ms-client-principal-id": p.id,
    "x-ms-client-principal-idp": "aad",
  };
}

/** Only a path on this site: no scheme, no host, no `//` (an open redirect otherwise). */
function localPath(value: string | null, fallback: string): string {
  if (value === null || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || /[\r\n]/.test(value)) return fallback;
  return value;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new Error("te groot");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const PAGE_HEADERS = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'" };

function loginPage(people: readonly DemoPerson[], redirect: string): string {
  const rows = people
    .map((p) => `<li><form method="post" action="/.auth/login/aad/callback"><input type="hidden" name="persoon" value="${escapeHtml(p.id)}"><input type="hidden" name="post_login_redirect_uri" value="${escapeHtml(redirect)}"><button type="submit">${escapeHtml(p.naam)}</button> <span>${escapeHtml(p.rollen.join(", ") || "geen rol")} — ${escapeHtml(p.omschrijving)}</span></form></li>`)
    .join("\n");
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Aanmelden — BRON Sync (lokaal)</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}li{margin:.6rem 0;list-style:none}button{font:inherit;padding:.3rem .8rem;cursor:pointer}span{color:#555}.let-op{background:#fff4ce;padding:.6rem;border-radius:4px}</style></head>
<body><h1>Aanmelden</h1><p class="let-op">Lokale stand-in voor Entra ID (alleen voor ontwikkeling): kies een demopersoon. In Azure meldt u zich aan met uw eigen account.</p>
<ul>${rows}</ul></body></html>`;
}

const loggedOutPage = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Afgemeld — BRON Sync (lokaal)</title></head><body><h1>U bent afgemeld</h1><p><a href="/.auth/login/aad?post_login_redirect_uri=/api/beheer">Opnieuw aanmelden</a></p></body></html>`;

export async function startSignInStandIn(o: SignInStandInOptions): Promise<SignInStandIn> {
  const target = new URL(o.target);
  const people = new Map(o.people.map((p) => [p.id, p]));
  const sessions = new Map<string, string>();
  const bearerOf = (id: string) => `${BEARER_PREFIX}${id}`;

  const personFromBearer = (auth: string): DemoPerson | null | "ongeldig" => {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (!m) return null;
    const token = m[1] as string;
    for (const p of people.values()) {
      const expected = Buffer.from(bearerOf(p.id));
      const got = Buffer.from(token);
      if (expected.length === got.length && timingSafeEqual(expected, got)) return p;
    }
    return "ongeldig";
  };

  const send = (res: ServerResponse, status: number, headers: Record<string, string | string[]>, body = "") => {
    res.writeHead(status, headers);
    res.end(body);
  };

  async function handleAuth(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.toLowerCase();
    if (path === "/.auth/login/aad" && req.method === "GET") {
      return send(res, 200, PAGE_HEADERS, loginPage([...people.values()], localPath(url.searchParams.get("post_login_redirect_uri"), "/api/beheer")));
    }
    if (path === "/.auth/login/aad/callback" && req.method === "POST") {
      const form = new URLSearchParams(await readBody(req).catch(() => ""));
      const person = people.get(form.get("persoon") ?? "");
      if (!person) return send(res, 400, { "content-type": "text/plain; charset=utf-8" }, "Onbekende demopersoon.");
      const session = randomBytes(32).toString("hex");
      sessions.set(session, person.id);
      return send(res, 302, { location: localPath(form.get("post_login_redirect_uri"), "/api/beheer"), "set-cookie": `${COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`, "cache-control": "no-store" });
    }
    if (path === "/.auth/logout") {
      const session = cookieValue(req, COOKIE);
      if (session) sessions.delete(session);
      const redirect = localPath(url.searchParams.get("post_logout_redirect_uri"), "");
      const clear = `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
      return redirect ? send(res, 302, { location: redirect, "set-cookie": clear, "cache-control": "no-store" }) : send(res, 200, { ...PAGE_HEADERS, "set-cookie": clear }, loggedOutPage);
    }
    if (path === "/.auth/me") {
      const person = personOf(req);
      if (!person || person === "ongeldig") return send(res, 401, { "content-type": "text/plain; charset=utf-8" }, "Niet aangemeld.");
      return send(res, 200, { "content-type": "application/json" }, JSON.stringify([{ provider_name: "aad", user_id: person.email, user_claims: claimsOf(person) }]));
    }
    send(res, 501, { "content-type": "text/plain; charset=utf-8" }, `De aanmeld-stand-in kent ${url.pathname} niet (alleen /.auth/login/aad, /.auth/logout en /.auth/me; zie emulators/signin/README.md).`);
  }

  function personOf(req: IncomingMessage): DemoPerson | null | "ongeldig" {
    if (req.headers.authorization !== undefined) return personFromBearer(req.headers.authorization);
    const session = cookieValue(req, COOKIE);
    const id = session === null ? undefined : sessions.get(session);
    return id === undefined ? null : (people.get(id) ?? null);
  }

  function forward(req: IncomingMessage, res: ServerResponse, extra: Record<string, string>): void {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !PLATFORM_HEADER.test(k)) headers[k] = v;
    Object.assign(headers, extra);
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      up.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) send(res, 502, { "content-type": "text/plain; charset=utf-8" }, "De Functions-host achter de aanmeld-stand-in antwoordt niet.");
      else res.destroy();
    });
    req.pipe(upstream);
  }

  const server: Server = createServer((req, res) => {
    const raw = req.url ?? "/";
    let url: URL;
    try {
      url = new URL(raw, "http://stand-in");
    } catch {
      return send(res, 400, { "content-type": "text/plain; charset=utf-8" }, "Ongeldig verzoek.");
    }
    if (url.pathname.toLowerCase().startsWith("/.auth/")) {
      handleAuth(req, res, url).catch(() => send(res, 500, { "content-type": "text/plain; charset=utf-8" }, "Fout in de aanmeld-stand-in."));
      return;
    }
    if (PASS_THROUGH.some((p) => raw.startsWith(p))) return forward(req, res, {});
    if ((o.excludedPaths ?? []).some((p) => (p.endsWith("*") ? url.pathname.startsWith(p.slice(0, -1)) : url.pathname === p))) return forward(req, res, {});
    const person = personOf(req);
    if (person === "ongeldig") {
      return send(res, 401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer error="invalid_token"' }, "De aanmeld-stand-in accepteert alleen zijn eigen demotokens (geen echte Entra ID-tokens).");
    }
    if (person === null) {
      // as App Service: a browser is sent to the login page; a script's call (X-Requested-With: XMLHttpRequest) gets 401
      if ((req.headers["x-requested-with"] ?? "").toString().toLowerCase() === "xmlhttprequest") {
        return send(res, 401, { "content-type": "text/plain; charset=utf-8" }, "Niet aangemeld.");
      }
      return send(res, 302, { location: `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(localPath(raw, "/api/beheer"))}`, "cache-control": "no-store" });
    }
    const token = o.accessToken?.(person);
    forward(req, res, { ...principalHeadersOf(person), ...(token === undefined ? {} : { "x-ms-token-aad-access-token": token }) });
  });
  server.on("clientError", (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, o.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    bearer: (id) => {
      if (!people.has(id)) throw new Error(`unknown demo person ${id}`);
      return `Bearer ${bearerOf(id)}`;
    },
    principalHeaders: (id) => {
      const p = people.get(id);
      if (!p) throw new Error(`unknown demo person ${id}`);
      return principalHeadersOf(p);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
