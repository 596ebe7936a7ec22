import { headers, signatureMatches } from "../contracts/relay/signing.js";

/**
 * Checks the HMAC signature of every request (see contracts/relay/signing.ts). A request is refused
 * when it is unsigned, its timestamp lies outside the replay window, its signature does not match
 * any configured key (current or previous, for rotation), or its nonce was already used within the
 * window. Nonces are only remembered after the signature checked out, so only a key holder can
 * fill the cache; it is bounded, and when full the request is refused rather than let through.
 */

export type Refusal = "UNSIGNED" | "EXPIRED" | "BAD_SIGNATURE" | "REPLAYED" | "NONCE_CACHE_FULL";
export type Verdict = { ok: true } | { ok: false; reason: Refusal };

export interface IncomingSigned {
  method: string;
  pathAndQuery: string;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface VerifierOptions {
  keys: readonly Buffer[];
  windowMs: number;
  now?: () => number;
  maxNonces?: number;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function createVerifier(o: VerifierOptions): (r: IncomingSigned) => Verdict {
  const now = o.now ?? Date.now;
  const maxNonces = o.maxNonces ?? 200_000;
  const seen = new Map<string, number>(); // nonce → expiry (ms), in insertion order

  function prune(t: number): void {
    for (const [nonce, expiry] of seen) {
      if (expiry > t) break;
      seen.delete(nonce);
    }
  }

  return (r) => {
    const ts = one(r.headers[headers.timestamp]);
    const nonce = one(r.headers[headers.nonce]);
    const signature = one(r.headers[headers.signature]);
    if (!ts || !nonce || !signature || !/^\d{1,15}$/.test(ts) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return { ok: false, reason: "UNSIGNED" };
    const t = now();
    const timestamp = Number(ts);
    if (Math.abs(t - timestamp) > o.windowMs) return { ok: false, reason: "EXPIRED" };
    const parts = { method: r.method, pathAndQuery: r.pathAndQuery, body: r.body, timestamp, nonce };
    if (!o.keys.some((k) => signatureMatches(k, parts, signature))) return { ok: false, reason: "BAD_SIGNATURE" };
    prune(t);
    if (seen.has(nonce)) return { ok: false, reason: "REPLAYED" };
    if (seen.size >= maxNonces) return { ok: false, reason: "NONCE_CACHE_FULL" };
    // Remember until the request could no longer pass the timestamp check.
    seen.set(nonce, Math.max(t, timestamp) + o.windowMs);
    return { ok: true };
  };
}
