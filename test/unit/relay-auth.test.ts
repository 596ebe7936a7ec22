import { describe, expect, it } from "vitest";
import { headers, sign, signatureHeaders } from "../../src/contracts/relay/signing.js";
import { createVerifier } from "../../src/relay/auth.js";

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 9);
const WINDOW = 5 * 60_000;
const T0 = 1_800_000_000_000;

function signed(over: { method?: string; path?: string; body?: string; at?: number; k?: Buffer } = {}) {
  const method = over.method ?? "POST";
  const pathAndQuery = over.path ?? "/v1/writes";
  const body = Buffer.from(over.body ?? '{"a":1}');
  return { method, pathAndQuery, body, headers: signatureHeaders(over.k ?? key, { method, pathAndQuery, body }, over.at ?? T0) as Record<string, string> };
}

describe("relay request signatures (HMAC-SHA256, replay window, nonce cache)", () => {
  const verifier = (now = T0) => createVerifier({ keys: [key], windowMs: WINDOW, now: () => now });

  it("accepts a correctly signed request within the window", () => {
    expect(verifier()(signed())).toEqual({ ok: true });
  });

  it("refuses a request without signature headers as UNSIGNED", () => {
    const r = signed();
    expect(verifier()({ ...r, headers: {} })).toEqual({ ok: false, reason: "UNSIGNED" });
  });

  it.each([
    ["older than the window", T0 - WINDOW - 1],
    ["too far in the future", T0 + WINDOW + 1],
  ])("refuses a timestamp %s as EXPIRED", (_label, at) => {
    expect(verifier()(signed({ at }))).toEqual({ ok: false, reason: "EXPIRED" });
  });

  it("refuses the same nonce a second time as REPLAYED", () => {
    const v = verifier();
    const r = signed();
    expect(v(r).ok).toBe(true);
    expect(v(r)).toEqual({ ok: false, reason: "REPLAYED" });
  });

  it.each([
    ["the body", (r: ReturnType<typeof signed>) => ({ ...r, body: Buffer.from('{"a":2}') })],
    ["the path", (r: ReturnType<typeof signed>) => ({ ...r, pathAndQuery: "/v1/writes?x=1" })],
    ["the method", (r: ReturnType<typeof signed>) => ({ ...r, method: "GET" })],
    ["the timestamp", (r: ReturnType<typeof signed>) => ({ ...r, headers: { ...r.headers, [headers.timestamp]: String(T0 + 1) } })],
  ])("refuses a request whose %s was altered as BAD_SIGNATURE", (_label, alter) => {
    expect(verifier()(alter(signed()))).toEqual({ ok: false, reason: "BAD_SIGNATURE" });
  });

  it("refuses a request signed with another relay's key", () => {
    expect(verifier()(signed({ k: otherKey }))).toEqual({ ok: false, reason: "BAD_SIGNATURE" });
  });

  it("accepts the previous key during a key rotation", () => {
    const v = createVerifier({ keys: [otherKey, key], windowMs: WINDOW, now: () => T0 });
    expect(v(signed()).ok).toBe(true);
  });

  it("does not remember nonces of badly signed requests (only key holders fill the cache)", () => {
    const v = verifier();
    const bad = signed({ k: otherKey });
    expect(v(bad).ok).toBe(false);
    const nonce = bad.headers[headers.nonce]!;
    const good = { ...bad, headers: { ...bad.headers, [headers.signature]: sign(key, { method: bad.method, pathAndQuery: bad.pathAndQuery, body: bad.body, timestamp: T0, nonce }) } };
    expect(v(good)).toEqual({ ok: true });
  });

  it("refuses new requests when the nonce cache is full instead of forgetting nonces early", () => {
    const v = createVerifier({ keys: [key], windowMs: WINDOW, now: () => T0, maxNonces: 2 });
    expect(v(signed()).ok).toBe(true);
    expect(v(signed()).ok).toBe(true);
    expect(v(signed())).toEqual({ ok: false, reason: "NONCE_CACHE_FULL" });
  });
});
