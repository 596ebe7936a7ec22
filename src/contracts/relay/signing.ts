import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Request signing between the cloud and the on-prem relay (HMAC-SHA256 with a per-relay key).
 * The signature covers method, path+query (relative to the relay base URL), the SHA-256 of the
 * body, a timestamp and a nonce, so a captured request cannot be altered, replayed later, or
 * replayed at all within the window (the relay remembers nonces for the window).
 */

export const SIGNATURE_SCHEME = "BRON-RELAY-HMAC-SHA256";
export const headers = {
  timestamp: "x-relay-timestamp",
  nonce: "x-relay-nonce",
  signature: "x-relay-signature",
} as const;

export interface SignedParts {
  method: string;
  /** path and query relative to the relay base URL, e.g. `/v1/aanleverpunten/00AA00/snapshot?limit=100` */
  pathAndQuery: string;
  body: Buffer | string;
  /** milliseconds since the epoch */
  timestamp: number;
  nonce: string;
}

export function sha256Hex(body: Buffer | string): string {
  return createHash("sha256").update(body).digest("hex");
}

/** The exact string that is signed; one field per line, so no field can bleed into the next. */
export function canonicalString(p: SignedParts): string {
  return [SIGNATURE_SCHEME, p.method.toUpperCase(), p.pathAndQuery, sha256Hex(p.body), String(p.timestamp), p.nonce].join("\n");
}

export function sign(key: Buffer, p: SignedParts): string {
  return createHmac("sha256", key).update(canonicalString(p)).digest("base64url");
}

/** Constant-time comparison of a presented signature with the expected one. */
export function signatureMatches(key: Buffer, p: SignedParts, presented: string): boolean {
  const expected = Buffer.from(sign(key, p));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function newNonce(): string {
  return randomBytes(18).toString("base64url");
}

/** The headers a signed request carries. */
export function signatureHeaders(key: Buffer, p: Omit<SignedParts, "timestamp" | "nonce">, now: number = Date.now()): Record<string, string> {
  const parts = { ...p, timestamp: now, nonce: newNonce() };
  return {
    [headers.timestamp]: String(parts.timestamp),
    [headers.nonce]: parts.nonce,
    [headers.signature]: sign(key, parts),
  };
}

/** A relay key as configured: base64 (or base64url) of at least 32 random bytes. */
export function decodeKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length < 32) throw new Error("relay key must be at least 32 bytes (base64)");
  return key;
}
