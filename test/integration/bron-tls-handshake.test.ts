import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBronClient, type BronClientOptions } from "../../src/adapters/bron/client.js";
import { ExternalRejection } from "../../src/adapters/bron/errors.js";
import type { BronCertificate } from "../../src/adapters/bron/transport.js";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import {
  createExpiredClientCertificate, createSelfSignedClientCertificate, createTestPki, issueTestClientCertificate, type TestClientCertificate, type TestPki,
} from "../../emulators/pki/test-pki.js";
import { freePort } from "../../scripts/local-stack/ports.js";
import { ensureDebianTool, runTool } from "../support/debian-tools.js";

/**
 * Mutual TLS as a real endpoint does it: a client certificate that is missing, self-made, from
 * another CA or expired ends the TLS handshake with an alert (no HTTP answer at all). Checked with
 * `openssl s_client` (a client nobody here wrote) against the simulator; with the real BRON client
 * against the simulator and against `openssl s_server` (a real OpenSSL mTLS endpoint, TLS 1.3); and
 * the simulator's alerts against those of `openssl s_server` in TLS 1.2 for the same certificates.
 */
const AP = "00AA00";
let dir: string;
let openssl: string;
let pki: TestPki;
let sim: BronSimulator;
let certs: { valid: TestClientCertificate; selfSigned: TestClientCertificate; otherCa: TestClientCertificate; expired: TestClientCertificate };

beforeAll(async () => {
  openssl = ensureDebianTool("openssl");
  dir = mkdtempSync(join(tmpdir(), "bron-tls-"));
  pki = await createTestPki(join(dir, "pki"), [AP]);
  const other = await createTestPki(join(dir, "other-pki"), [AP]);
  certs = {
    valid: pki.clients[AP]!,
    selfSigned: await createSelfSignedClientCertificate(join(dir, "pki"), AP),
    otherCa: other.clients[AP]!,
    expired: await createExpiredClientCertificate(join(dir, "pki"), AP, 2),
  };
  sim = await startBronSimulator({ dataDir: join(dir, "data"), tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, validateSchema: false });
}, 600_000);

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const port = () => Number(new URL(sim.url).port);

/** openssl s_client with (or without) a client certificate; sends one HTTP/1.0 request after the handshake. */
function sClient(target: number, c: TestClientCertificate | null) {
  const args = ["s_client", "-connect", `127.0.0.1:${target}`, "-servername", "localhost", "-CAfile", pki.ca.path, "-verify_return_error", "-ign_eof"];
  if (c) args.push("-cert", c.paths.cert, "-key", c.paths.key);
  return runTool(openssl, args, { input: "GET /bron HTTP/1.0\r\nHost: localhost\r\n\r\n" });
}

describe("BRON simulator ← openssl s_client", () => {
  it("a valid client certificate of the test CA completes the handshake and gets an HTTP answer", async () => {
    const r = await sClient(port(), certs.valid);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Verify return code: 0 \(ok\)/);
    expect(r.stdout).toMatch(/HTTP\/1\.1 405 Method Not Allowed/);
  });

  it.each([
    ["no certificate", null, /alert handshake failure|alert certificate required/],
    ["a self-signed certificate", "selfSigned", /alert unknown ca/],
    ["a certificate from another CA", "otherCa", /alert unknown ca/],
    ["an expired certificate", "expired", /alert certificate expired/],
  ] as const)("%s ends the handshake with a TLS alert and no HTTP answer", async (_, which, alert) => {
    const before = sim.counters();
    const r = await sClient(port(), which === null ? null : certs[which]);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(alert);
    expect(r.stdout).not.toMatch(/HTTP\/1\.1/);
    expect(sim.counters().berichten ?? 0).toBe(before.berichten ?? 0);
    expect(sim.counters().tlsGeweigerd).toBe((before.tlsGeweigerd ?? 0) + 1);
  });
});

function bronClient(url: string, certificate: BronCertificate, over: Partial<BronClientOptions> = {}) {
  const retries: string[] = [];
  const client = createBronClient({
    endpoint: url, aanleverpunt: AP, certificate, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 10_000,
    onRetry: (r) => retries.push(r.code ?? "?"), ...over,
  });
  return Object.assign(client, { retries });
}

const pem = (c: TestClientCertificate): BronCertificate => ({ cert: c.cert, key: c.key, ca: pki.ca.cert });
/** What a misconfigured caller could hand over: trust of BRON's CA, an empty certificate (none is sent). */
const noCertificate = (): BronCertificate => ({ cert: "", key: "", ca: pki.ca.cert });

/** The refusal the BRON client must report: not retried, code CERTIFICAAT_GEWEIGERD, a Dutch reason. */
async function expectRefusal(url: string, certificate: BronCertificate, reason: RegExp) {
  const c = bronClient(url, certificate);
  try {
    const e = await c.fetchFeedback().then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ExternalRejection);
    expect((e as ExternalRejection).code).toBe("CERTIFICAAT_GEWEIGERD");
    expect((e as Error).message).toMatch(reason);
    expect((e as Error).message).toMatch(/^BRON weigert het certificaat/);
    expect(c.retries).toEqual([]);
  } finally {
    c.close();
  }
}

describe("BRON client ← the simulator's handshake refusals (TLS 1.2)", () => {
  it("a valid certificate still works", async () => {
    const c = bronClient(sim.url, pem(certs.valid));
    await expect(c.fetchFeedback()).resolves.toMatchObject({ terugkoppelingen: [] });
    c.close();
  });

  it("no certificate: refused, the reason says none was sent", () => expectRefusal(sim.url, noCertificate(), /geen certificaat/));
  it("a self-signed certificate: refused, unknown issuer", () => expectRefusal(sim.url, pem(certs.selfSigned), /uitgever .*onbekend/));
  it("a certificate from another CA: refused, unknown issuer", () => expectRefusal(sim.url, pem(certs.otherCa), /uitgever .*onbekend/));
  it("an expired certificate: refused, expired", () => expectRefusal(sim.url, pem(certs.expired), /verlopen/));

  it("BRON's own server certificate not trusted by us: refused (not retried), the reason names BRON's certificate", async () => {
    const stranger = await createTestPki(join(dir, "stranger-pki"), [AP]);
    const c = bronClient(sim.url, { ...pem(certs.valid), ca: stranger.ca.cert });
    const e = await c.fetchFeedback().then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ExternalRejection);
    expect((e as ExternalRejection).code).toBe("SERVERCERTIFICAAT_ONGELDIG");
    expect((e as Error).message).toMatch(/servercertificaat van BRON/);
    expect(c.retries).toEqual([]);
    c.close();
  });
});

/** `openssl s_server` as a real OpenSSL mutual-TLS endpoint (verify errors end the handshake), serving its status page. */
async function startSServer(version: "-tls1_2" | "-tls1_3"): Promise<{ port: number; stop: () => void }> {
  const p = await freePort();
  const server: ChildProcess = spawn(openssl, [
    "s_server", version, "-accept", String(p), "-cert", pki.server.certPath, "-key", pki.server.keyPath,
    "-CAfile", pki.ca.path, "-Verify", "1", "-verify_return_error", "-www",
  ], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (c: Buffer) => (c.toString().includes("ACCEPT") ? resolve() : undefined));
    server.on("exit", (code) => reject(new Error(`openssl s_server exited with ${code}`)));
  });
  server.stderr!.resume();
  return { port: p, stop: () => void server.kill() };
}

describe("BRON client ← openssl s_server with -verify_return_error (a real OpenSSL mTLS endpoint, TLS 1.3)", () => {
  let server: { port: number; stop: () => void };
  let url: string;
  beforeAll(async () => {
    server = await startSServer("-tls1_3");
    url = `https://localhost:${server.port}/bron`;
  });
  afterAll(() => server?.stop());

  it("no certificate: refused, the reason says none was sent", () => expectRefusal(url, noCertificate(), /geen certificaat/));
  it("a self-signed certificate: refused, unknown issuer", () => expectRefusal(url, pem(certs.selfSigned), /uitgever .*onbekend/));
  it("an expired certificate: refused, expired", () => expectRefusal(url, pem(certs.expired), /verlopen/));
});

/** The TLS alert a plain Node https client receives (or the HTTP status when the handshake succeeds). */
function outcome(target: number, c: { cert: string; key: string } | null): Promise<string> {
  return new Promise((resolve) => {
    const agent = new Agent({ ca: pki.ca.cert, ...(c ?? {}) });
    const req = request({ host: "127.0.0.1", port: target, path: "/", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve("handshake ok"));
    });
    req.on("close", () => agent.destroy());
    req.on("error", (e) => resolve(/SSL alert number \d+/.exec(e.message)?.[0] ?? `${(e as NodeJS.ErrnoException).code}: ${e.message}`));
    req.end();
  });
}

describe("the simulator's handshake refusals equal those of openssl s_server (TLS 1.2) for the same certificates", () => {
  let server: { port: number; stop: () => void };
  beforeAll(async () => {
    server = await startSServer("-tls1_2");
  });
  afterAll(() => server?.stop());

  it("no certificate, self-signed, other CA (with its CA in the chain), expired, not yet valid, a server certificate, a valid one", async () => {
    const other = await createTestPki(join(dir, "other-pki"), [AP]);
    const future = await issueTestClientCertificate(join(dir, "pki"), AP, { notBefore: new Date(Date.now() + 86_400_000), notAfter: new Date(Date.now() + 10 * 86_400_000), name: "future" });
    const cases: Record<string, { cert: string; key: string } | null> = {
      none: null,
      selfSigned: certs.selfSigned,
      otherCa: certs.otherCa,
      otherCaWithChain: { cert: other.clients[AP]!.cert + other.ca.cert, key: other.clients[AP]!.key },
      expired: certs.expired,
      notYetValid: future,
      serverCertificate: pki.server,
      valid: certs.valid,
    };
    const seen: Record<string, [string, string]> = {};
    for (const [name, c] of Object.entries(cases)) seen[name] = [await outcome(server.port, c), await outcome(port(), c)];
    for (const [name, [reference, simulator]] of Object.entries(seen)) expect(simulator, name).toBe(reference);
    expect(seen.expired![1]).toBe("SSL alert number 45");
    expect(seen.otherCa![1]).toBe("SSL alert number 48");
    expect(seen.valid![1]).toBe("handshake ok");
  });
});
