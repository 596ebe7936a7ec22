/**
 * DEV/TEST ONLY — never deployed, never imported from src/ or functions/. A small HTTPS server
 * that the real @azure/keyvault-certificates and @azure/keyvault-secrets SDKs talk to
 * (docs/certificates.md): bearer challenge, certificates with attributes and policy, the secret
 * behind a certificate (PFX, or PEM on `outContentType`), plain secrets, import, enable/disable.
 * Like Key Vault it checks the bearer token (issued by the stand-in itself, auth.ts: unknown or
 * expired → 401), the caller's RBAC roles (the app's identity is read-only → 403 ForbiddenByRbac)
 * and the api-version (2025-07-01 only → else 400). It is a test double, not a security boundary.
 * The order is Key Vault's: challenge before the body is read (the SDK's first request has none).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { TokenCredential } from "@azure/core-auth";
import { z } from "zod";
import { DATA_ACTION, forbiddenByRbac, permits, TokenIssuer, type Identity } from "./auth.js";
import { ImportError, PEM, PFX, importMaterial } from "./material.js";
import { HttpError, routes, type Operation } from "./routes.js";
import { VaultStore } from "./store.js";
import { API_VERSION, CHALLENGE, errorBody, unsupportedApiVersion } from "./wire.js";

export type { Operation } from "./routes.js";
export type { Identity } from "./auth.js";

export interface KeyVaultStandInOptions {
  /** server certificate and key (PEM), e.g. from createTestPki */
  tls: { cert: string; key: string };
  host?: string;
  /** 0 or absent: a free port */
  port?: number;
  /** with a data dir the contents survive a restart */
  dataDir?: string;
  /** bearer tokens accepted besides those the stand-in issues, each for an identity (the local stack's app process sends a fixed one) */
  fixedTokens?: Record<string, Identity>;
}

export type CertificateInput = { pem: string } | { pfx: Buffer; password?: string };

export interface KeyVaultStandIn {
  /** the vault URL to give the SDK clients */
  url: string;
  port: number;
  /** a TokenCredential for the SDK clients, acting as `identity` (default: the app's read-only identity) */
  credential(identity?: Identity): TokenCredential;
  /** a bearer token for `identity` (for clients like curl); a negative lifetime gives an expired one */
  token(identity?: Identity, opts?: { lifetimeSeconds?: number }): string;
  importCertificate(name: string, input: CertificateInput, opts?: { enabled?: boolean }): Promise<{ version: string }>;
  setSecret(name: string, value: string, opts?: { contentType?: string; enabled?: boolean }): { version: string };
  setCertificateEnabled(name: string, enabled: boolean): void;
  hasCertificate(name: string): boolean;
  hasSecret(name: string): boolean;
  deleteCertificate(name: string): boolean;
  deleteSecret(name: string): boolean;
  /** requests served, optionally only one operation and/or one name (case-insensitive) */
  countRequests(filter?: { operation?: Operation; name?: string }): number;
  resetCounts(): void;
  /** the next `count` authenticated requests fail with `status` (default 503) */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** Starts the stand-in (HTTPS only: the SDK refuses to send bearer tokens over http). */
export async function startKeyVaultStandIn(opts: KeyVaultStandInOptions): Promise<KeyVaultStandIn> {
  const store = new VaultStore(opts.dataDir);
  const log: Array<{ operation: Operation; name: string }> = [];
  const faults = { remaining: 0, status: 503 };
  const pemCache = new Map<string, string>();
  const tokens = new TokenIssuer(opts.fixedTokens);

  /** Order as Key Vault: challenge first (before the body is read: the SDK sends the first request without it). */
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "https://stand-in");
    const [collection, name = "", sub = "", extra] = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (collection === "_admin") return send(res, 200, { counts: countBy(log) });
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "");
    const check = bearer ? tokens.check(bearer[1]!) : ({ ok: false, message: "AKV10000: Request is missing a Bearer or PoP token." } as const);
    if (!check.ok) {
      log.push({ operation: "unauthorized", name });
      res.setHeader("WWW-Authenticate", CHALLENGE);
      return send(res, 401, errorBody("Unauthorized", check.message));
    }
    if (faults.remaining > 0) {
      faults.remaining--;
      return send(res, faults.status, errorBody("ServiceUnavailable", "Injected fault (stand-in)."));
    }
    const apiVersion = url.searchParams.get("api-version");
    if (apiVersion !== API_VERSION) throw new HttpError(400, unsupportedApiVersion(apiVersion));
    if (!NAME.test(name) || extra !== undefined) throw new HttpError(400, errorBody("BadParameter", "Unsupported route or invalid name."));
    const route = routes.find((r) => r.method === req.method && r.collection === collection && r.matches(sub));
    if (!route) throw new HttpError(405, errorBody("MethodNotAllowed", `${req.method} ${url.pathname} is not supported by the stand-in.`));
    if (!permits(check.identity, DATA_ACTION[route.operation])) {
      log.push({ operation: "forbidden", name });
      throw new HttpError(403, forbiddenByRbac(check.identity, DATA_ACTION[route.operation], `/vaults/stand-in/${collection}/${name}`));
    }
    log.push({ operation: route.operation, name });
    const base = `https://${req.headers.host ?? "127.0.0.1"}`;
    const [status, body] = await route.run({ req, url, base, name, sub, store, pemCache });
    send(res, status, body);
  };

  const server: Server = createServer({ cert: opts.tls.cert, key: opts.tls.key }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) return send(res, e.status, e.body);
      if (e instanceof ImportError || e instanceof z.ZodError || e instanceof SyntaxError) return send(res, 400, errorBody("BadParameter", (e as Error).message));
      send(res, 500, errorBody("InternalError", (e as Error).message));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    url: `https://${opts.host ?? "127.0.0.1"}:${port}`,
    port,
    credential: (identity = "app") => tokens.credential(identity),
    token: (identity = "app", o = {}) => tokens.mint(identity, o.lifetimeSeconds).token,
    async importCertificate(name, input, o = {}) {
      const material = "pem" in input ? await importMaterial(input.pem, PEM) : await importMaterial(input.pfx.toString("base64"), PFX, input.password ?? "");
      return { version: store.importCertificate(name, material, o).version };
    },
    setSecret: (name, value, o = {}) => ({ version: store.setSecret(name, { value, ...o }).version }),
    setCertificateEnabled(name, enabled) {
      if (!store.setCertificateEnabled(name, "", enabled)) throw new Error(`no certificate ${name}`);
    },
    hasCertificate: (name) => store.certificate(name) !== undefined,
    hasSecret: (name) => store.secret(name) !== undefined,
    deleteCertificate: (name) => store.deleteCertificate(name),
    deleteSecret: (name) => store.deleteSecret(name),
    countRequests: (f = {}) =>
      log.filter((r) => (!f.operation || r.operation === f.operation) && (!f.name || r.name.toLowerCase() === f.name.toLowerCase())).length,
    resetCounts: () => void log.splice(0),
    failNext(count, status = 503) {
      faults.remaining = count;
      faults.status = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function countBy(log: Array<{ operation: Operation }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of log) out[r.operation] = (out[r.operation] ?? 0) + 1;
  return out;
}
