import { request } from "node:https";
import { connect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signatureHeaders } from "../../src/contracts/relay/signing.js";
import { startRelayFixture, type RelayFixture } from "./relay-fixture.js";

// Hostile input against the real relay (local HTTPS transport, TDS test server behind it):
// whatever arrives, the relay answers with a clean 4xx and a Dutch melding and keeps running.

let f: RelayFixture;
beforeAll(async () => {
  f = await startRelayFixture({ leerlingen: 5 });
});
afterAll(async () => {
  await f?.stop();
});

/** Sends raw bytes over TLS and returns what came back before the relay closed (or a reset). */
function rawExchange(text: string | Buffer): Promise<{ head: string; body: string; error: string | null }> {
  const u = new URL(f.relay.url);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname, port: Number(u.port), ca: f.ca, servername: "localhost" });
    let got = "";
    let error: string | null = null;
    socket.on("data", (c: Buffer) => (got += c.toString("utf8")));
    socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on("close", () => {
      const i = got.indexOf("\r\n\r\n");
      resolve({ head: i < 0 ? got : got.slice(0, i), body: i < 0 ? "" : got.slice(i + 4), error });
    });
    socket.once("secureConnect", () => socket.end(text));
  });
}

function post(path: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string; error: string | null }> {
  const url = new URL(path, f.relay.url);
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, ca: f.ca }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, error: null }));
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ status: res.statusCode ?? 0, body: text, error: e.code ?? e.message }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ status: 0, body: "", error: e.code ?? e.message }));
    req.end(body);
  });
}

async function stillServing(): Promise<void> {
  expect(await f.client.health()).toMatchObject({ status: "ok" });
}

describe("the relay under hostile request targets", () => {
  it.each([
    ["an absolute URL with a broken host", "http://[/v1/health"],
    ["an absolute URL with a bad port", "http://relay:99999/v1/health"],
    ["a percent sign without hex", "/v1/%zz"],
    ["an asterisk", "*"],
  ])("answers %s with a 4xx and a Dutch melding, and keeps running", async (_what, target) => {
    const r = await rawExchange(`GET ${target} HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n`);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(r.head)?.[1] ?? 0);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(JSON.parse(r.body)).toMatchObject({ melding: expect.stringMatching(/[a-z]/) });
    await stillServing();
  });

  it("answers a 10 000-character path with a 4xx and keeps running", async () => {
    const r = await rawExchange(`GET /v1/aanleverpunten/${"A".repeat(10_000)}/snapshot HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n`);
    expect(Number(/^HTTP\/1\.1 (\d{3})/.exec(r.head)?.[1] ?? 0)).toBeGreaterThanOrEqual(400);
    expect(Number(/^HTTP\/1\.1 (\d{3})/.exec(r.head)?.[1] ?? 0)).toBeLessThan(500);
    await stillServing();
  });
});

describe("the relay under requests Node's HTTP parser refuses", () => {
  it.each([
    ["a header of 20 000 characters", `GET /v1/health HTTP/1.1\r\nHost: relay\r\nX-Lang: ${"a".repeat(20_000)}\r\nConnection: close\r\n\r\n`, 431],
    ["bytes that are no HTTP", "HALLO DAAR\r\n\r\n", 400],
    ["a broken Content-Length", "POST /v1/writes HTTP/1.1\r\nHost: relay\r\nContent-Length: -5\r\n\r\n", 400],
  ])("answers %s with a Dutch melding and keeps running", async (_what, text, status) => {
    const r = await rawExchange(text);
    expect(r.head).toMatch(new RegExp(`^HTTP/1\\.1 ${status}`));
    expect(JSON.parse(r.body)).toMatchObject({ melding: expect.stringContaining("Verzoek") });
    await stillServing();
  });
});

describe("the relay under oversized bodies", () => {
  it("answers a 2 MB body with 413 and a Dutch melding instead of resetting the connection", async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const r = await post("/v1/writes", body, signatureHeaders(f.key, { method: "POST", pathAndQuery: "/v1/writes", body }, Date.now()));
    expect(r.error).toBeNull();
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: "TOO_LARGE", melding: expect.stringContaining("te groot") });
    await stillServing();
  });

  it("answers an unsigned 2 MB body with 413 too, and keeps running", async () => {
    const r = await post("/v1/writes", Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(r.error).toBeNull();
    expect(r.status).toBe(413);
    await stillServing();
  });

  it("answers a body that is announced longer than it is (truncated) without dying", async () => {
    const r = await rawExchange("POST /v1/writes HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"requestId\":");
    expect(r.head).not.toMatch(/^HTTP\/1\.1 5/);
    await stillServing();
  });
});
