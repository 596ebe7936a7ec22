import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../../scripts/demo-data/generate.js";
import { loadDemoLvsDatabase } from "../../scripts/local-stack/lvs-db.js";
import { startTdsServer } from "../../emulators/sqlserver/index.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { createRelayClient } from "../../src/adapters/lvs/relay-client.js";
import { signatureHeaders } from "../../src/contracts/relay/signing.js";
import { DatabaseVersionError, startRelay } from "../../src/relay/app.js";
import { memoryLog } from "../../src/relay/log.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { NTLM_LOGIN, sqlPoolFor, startRelayFixture, TODAY, type RelayFixture } from "./relay-fixture.js";

// Wire-level fake, not SQL Server: the TDS test server over SQLite behind the real relay.

let f: RelayFixture;
beforeAll(async () => {
  f = await startRelayFixture({ leerlingen: 20 });
});
afterAll(async () => {
  await f?.stop();
});

interface Raw {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}
function raw(r: Raw): Promise<{ status: number; body: string }> {
  const url = new URL(r.path ?? "/v1/health", f.relay.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: r.method ?? "GET", headers: r.headers ?? {}, ca: f.ca }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(r.body ?? "");
  });
}
const signedHeaders = (method: string, path: string, body: string, at = Date.now()) => signatureHeaders(f.key, { method, pathAndQuery: path, body: Buffer.from(body) }, at);
const refusals = () => f.logLines.map((l) => JSON.parse(l) as { event: string; reason?: string }).filter((l) => l.event === "auth_refused").map((l) => l.reason);

describe("every request must be signed with the relay's key", () => {
  const personal = JSON.stringify({ requestId: "abcdefgh-1", rowVersion: "1.1", write: { soort: "SET_PGN", leerlingId: "100001", pgn: { soort: "BSN", nummer: "999888777" } } });

  it("accepts a signed request", async () => {
    expect((await raw({ headers: signedHeaders("GET", "/v1/health", "") })).status).toBe(200);
  });

  it("refuses an unsigned request with 401 and logs why, without its content", async () => {
    const r = await raw({ method: "POST", path: "/v1/writes", body: personal, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(401);
    expect(refusals()).toContain("UNSIGNED");
    expect(f.logLines.join("\n")).not.toContain("999888777");
  });

  it("refuses an expired request (outside the 5-minute window)", async () => {
    const r = await raw({ headers: signedHeaders("GET", "/v1/health", "", Date.now() - 6 * 60_000) });
    expect(r.status).toBe(401);
    expect(refusals()).toContain("EXPIRED");
  });

  it("refuses a replayed request (same nonce) even within the window", async () => {
    const h = signedHeaders("POST", "/v1/writes", personal);
    const first = await raw({ method: "POST", path: "/v1/writes", body: personal, headers: { ...h, "content-type": "application/json" } });
    const again = await raw({ method: "POST", path: "/v1/writes", body: personal, headers: { ...h, "content-type": "application/json" } });
    expect(first.status).not.toBe(401);
    expect(again.status).toBe(401);
    expect(refusals()).toContain("REPLAYED");
  });

  it("refuses a request whose body was changed after signing", async () => {
    const h = signedHeaders("POST", "/v1/writes", personal);
    const r = await raw({ method: "POST", path: "/v1/writes", body: personal.replace("999888777", "111222333"), headers: { ...h, "content-type": "application/json" } });
    expect(r.status).toBe(401);
    expect(refusals()).toContain("BAD_SIGNATURE");
  });

  it("makes the cloud client fail with ExternalRejection when its key is wrong", async () => {
    const wrong = createRelayClient({ baseUrl: f.relay.url, key: Buffer.alloc(32, 1), ca: f.ca });
    await expect(wrong.health()).rejects.toMatchObject({ name: "ExternalRejection", code: "UNAUTHORIZED" });
    expect(f.logLines.join("\n")).not.toMatch(/999888777|111222333/);
  });
});

describe("relay start-up and transports", () => {
  it("refuses to start against an LVS2000 database older than 2.10, saying what to do", async () => {
    const tds = await startTdsServer({ database: ":memory:", logins: { oud: "Oud!Wachtwoord1" } });
    const pool = sqlPoolFor(tds.port, { type: "sql", userName: "oud", password: "Oud!Wachtwoord1" });
    try {
      await loadDemoLvsDatabase(pool, generateDemoData({ seed: 2, leerlingen: 4, today: TODAY }), { version: "2.9.4100" });
      const env = { ...f.relayEnv, RELAY_SQL_PORT: String(tds.port), RELAY_SQL_USER: "oud", RELAY_SQL_PASSWORD: "Oud!Wachtwoord1" };
      const started = startRelay(loadRelayConfig(env), { log: memoryLog().log });
      await expect(started).rejects.toBeInstanceOf(DatabaseVersionError);
      await expect(started).rejects.toThrow(/versie 2\.9\.4100.*minimaal versie 2\.10/);
    } finally {
      await pool.close();
      await tds.stop();
    }
  });

  it("connects to LVS2000 with Windows (NTLM) authentication", async () => {
    const env = { ...f.relayEnv, RELAY_SQL_AUTH: "ntlm", RELAY_SQL_DOMAIN: NTLM_LOGIN.domain, RELAY_SQL_USER: NTLM_LOGIN.user, RELAY_SQL_PASSWORD: NTLM_LOGIN.password };
    const relay = await startRelay(loadRelayConfig(env), { log: memoryLog().log });
    try {
      const client = createRelayClient({ baseUrl: relay.url, key: f.key, ca: f.ca });
      expect((await client.snapshotPage("12AB00", undefined, 3)).leerlingen).toHaveLength(3);
    } finally {
      await relay.stop();
    }
  });

  it("with mutual TLS configured, lets in only clients with a certificate from the configured CA", async () => {
    const pki = await createTestPki(f.pkiDir, ["12AB00"]);
    const relay = await startRelay(loadRelayConfig({ ...f.relayEnv, RELAY_TLS_CLIENT_CA_FILE: pki.ca.path }), { log: memoryLog().log });
    try {
      const withCert = createRelayClient({ baseUrl: relay.url, key: f.key, ca: f.ca, clientCertificate: { cert: pki.clients["12AB00"]!.cert, key: pki.clients["12AB00"]!.key } });
      expect((await withCert.health()).status).toBe("ok");
      const without = createRelayClient({ baseUrl: relay.url, key: f.key, ca: f.ca });
      await expect(without.health()).rejects.toMatchObject({ name: "TransientError" });
    } finally {
      await relay.stop();
    }
  });
});
