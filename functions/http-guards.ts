import type { HttpRequest, HttpResponseInit } from "@azure/functions";

// Checks every write to the admin API passes before its handler runs (functions/api.ts). No
// registrations here: the Functions host loads this file and finds nothing to register.

export const jsonResponse = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body, headers: { "Cache-Control": "no-store" } });

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const isWrite = (req: HttpRequest) => WRITE_METHODS.has(req.method.toUpperCase());

const ANDERE_SITE = () => jsonResponse(403, { fout: "ANDERE_SITE", melding: "Dit verzoek komt van een andere website en is geweigerd." });

/** The host the request was sent to (as the browser saw it), lower case; null when unknown. */
function requestHost(req: HttpRequest): string | null {
  const forwarded = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwarded || req.headers.get("host");
  if (host) return host.toLowerCase();
  try {
    return new URL(req.url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * A browser on another site may not change anything here (CSRF): behind App Service Authentication
 * the session cookie would go along. Browsers say where a request comes from in Sec-Fetch-Site; a
 * browser that does not send it still sends Origin on a cross-origin write, which must then be this
 * app's own origin ("null" — a sandboxed or file page — is foreign too). Tools such as curl send
 * neither and are let through (they carry no session cookie of a user).
 */
export function refuseCrossSite(req: HttpRequest): HttpResponseInit | undefined {
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none" ? undefined : ANDERE_SITE();
  const origin = req.headers.get("origin");
  if (origin === null) return undefined;
  let originHost: string;
  try {
    const u = new URL(origin);
    if (u.protocol !== "https:" && u.protocol !== "http:") return ANDERE_SITE();
    originHost = u.host.toLowerCase();
  } catch {
    return ANDERE_SITE();
  }
  return originHost === requestHost(req) ? undefined : ANDERE_SITE();
}

const hasBody = (req: HttpRequest) => {
  const length = req.headers.get("content-length");
  return (length !== null && length.trim() !== "0") || req.headers.has("transfer-encoding");
};

/**
 * A write carries JSON or nothing: a body (or a declared type) that is not `application/json` is
 * refused with 415 before anything reads it. This also stops the "simple" cross-site form posts
 * (text/plain, form-urlencoded, multipart) that browsers send without asking first.
 */
export function refuseNonJson(req: HttpRequest): HttpResponseInit | undefined {
  const type = req.headers.get("content-type");
  if (type === null && !hasBody(req)) return undefined;
  const mediaType = (type ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/json") return undefined;
  return jsonResponse(415, { fout: "ONGELDIG_TYPE", melding: "Stuur de gegevens als JSON (Content-Type: application/json)." });
}

/** Both checks for a write; undefined when the request may go on. */
export function refuseBadWrite(req: HttpRequest): HttpResponseInit | undefined {
  if (!isWrite(req)) return undefined;
  return refuseCrossSite(req) ?? refuseNonJson(req);
}
