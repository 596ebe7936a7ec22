/**
 * DEV/TEST ONLY. The Key Vault REST routes the stand-in serves, one small handler each. Each returns
 * `[status, body]`; failures throw HttpError with Key Vault's error body.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { PEM, PFX, importMaterial, pfxToPem } from "./material.js";
import type { VaultStore } from "./store.js";
import { certificateBundle, errorBody, notFound, secretBundle } from "./wire.js";

export type Operation = "getCertificate" | "getSecret" | "importCertificate" | "setSecret" | "updateCertificate" | "unauthorized" | "forbidden";

export type RouteOperation = Exclude<Operation, "unauthorized" | "forbidden">;

export class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`HTTP ${status}`);
  }
}

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  /** the vault URL as the client addressed it */
  base: string;
  name: string;
  /** path segment after the name: a version, "import", or "" */
  sub: string;
  store: VaultStore;
  pemCache: Map<string, string>;
}

interface Route {
  method: string;
  collection: "certificates" | "secrets";
  matches: (sub: string) => boolean;
  operation: RouteOperation;
  run: (c: RouteContext) => Promise<[number, unknown]>;
}

const MAX_BODY = 1 << 20;
const anyVersion = () => true;

const importBody = z.object({
  value: z.string().min(1),
  pwd: z.string().optional(),
  policy: z.object({ secret_props: z.object({ contentType: z.string().optional() }).optional() }).passthrough().optional(),
  attributes: z.object({ enabled: z.boolean().optional() }).passthrough().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
const setSecretBody = z.object({
  value: z.string(),
  contentType: z.string().optional(),
  attributes: z.object({ enabled: z.boolean().optional(), nbf: z.number().optional(), exp: z.number().optional() }).passthrough().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
const updateBody = z.object({ attributes: z.object({ enabled: z.boolean().optional() }).passthrough().optional() }).passthrough();

export const routes: Route[] = [
  { method: "GET", collection: "certificates", matches: anyVersion, operation: "getCertificate", run: getCertificate },
  { method: "POST", collection: "certificates", matches: (s) => s === "import", operation: "importCertificate", run: importCertificate },
  { method: "PATCH", collection: "certificates", matches: anyVersion, operation: "updateCertificate", run: updateCertificate },
  { method: "GET", collection: "secrets", matches: anyVersion, operation: "getSecret", run: getSecret },
  { method: "PUT", collection: "secrets", matches: (s) => s === "", operation: "setSecret", run: setSecret },
];

async function getCertificate(c: RouteContext): Promise<[number, unknown]> {
  const cert = c.store.certificate(c.name, c.sub);
  if (!cert) throw new HttpError(404, notFound("Certificate", c.name, c.sub));
  return [200, certificateBundle(c.base, c.name, cert)];
}

/** Import: PEM text (declared, or recognised by its header) or base64 PFX, the latter with an optional password. */
async function importCertificate(c: RouteContext): Promise<[number, unknown]> {
  const body = importBody.parse(await readJson(c.req));
  const declared = body.policy?.secret_props?.contentType;
  const contentType = declared === PEM || (!declared && body.value.includes("-----BEGIN")) ? PEM : PFX;
  const material = await importMaterial(body.value, contentType, body.pwd ?? "");
  const cert = c.store.importCertificate(c.name, material, { enabled: body.attributes?.enabled, tags: body.tags });
  return [200, certificateBundle(c.base, c.name, cert)];
}

async function updateCertificate(c: RouteContext): Promise<[number, unknown]> {
  const enabled = updateBody.parse(await readJson(c.req)).attributes?.enabled;
  const cert = enabled === undefined ? c.store.certificate(c.name, c.sub) : c.store.setCertificateEnabled(c.name, c.sub, enabled);
  if (!cert) throw new HttpError(404, notFound("Certificate", c.name, c.sub));
  return [200, certificateBundle(c.base, c.name, cert)];
}

/**
 * A secret; a disabled one is refused with 403 as Key Vault does. `outContentType` (2025-07-01):
 * "only PFX to PEM conversion is supported; an unsupported format is rejected; not specified: the
 * original format". So the secret behind a PFX certificate asked as PEM is converted; asked in its
 * own format it is returned as it is; PEM asked as PFX or any other value is rejected (400). On a
 * secret that is not behind a certificate the reference says nothing: the stand-in refuses.
 */
async function getSecret(c: RouteContext): Promise<[number, unknown]> {
  const s = c.store.secret(c.name, c.sub);
  if (!s) throw new HttpError(404, notFound("Secret", c.name, c.sub));
  if (!s.enabled) throw new HttpError(403, errorBody("Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled"));
  const wanted = c.url.searchParams.get("outContentType");
  if (wanted === null || (wanted === s.contentType && s.managed)) return [200, secretBundle(c.base, c.name, s)];
  if (wanted !== PEM && wanted !== PFX) throw new HttpError(400, errorBody("BadParameter", `The specified outContentType '${wanted}' is not supported. Supported: ${PEM}, ${PFX}.`));
  if (!s.managed) {
    throw new HttpError(400, errorBody("BadParameter", "Key Vault stand-in: outContentType on a secret that is not behind a certificate is not described by the REST reference; the stand-in refuses it."));
  }
  if (!(wanted === PEM && s.contentType === PFX)) {
    throw new HttpError(400, errorBody("BadParameter", `Conversion from ${s.contentType} to ${wanted} is not supported; only ${PFX} to ${PEM}.`));
  }
  const cacheKey = `${c.name.toLowerCase()}/${s.version}`;
  const pem = c.pemCache.get(cacheKey) ?? (await pfxToPem(s.value));
  c.pemCache.set(cacheKey, pem);
  return [200, secretBundle(c.base, c.name, s, { value: pem, contentType: PEM })];
}

async function setSecret(c: RouteContext): Promise<[number, unknown]> {
  const body = setSecretBody.parse(await readJson(c.req));
  const s = c.store.setSecret(c.name, { value: body.value, contentType: body.contentType, ...body.attributes, tags: body.tags });
  return [200, secretBundle(c.base, c.name, s)];
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, errorBody("RequestTooLarge", "Body too large."));
    chunks.push(chunk);
  }
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString("utf8"));
}
