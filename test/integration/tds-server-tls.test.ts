import { mkdtempSync, rmSync } from "node:fs";
import { sniffer } from "../support/sniffer.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "tedious";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { batch, close, connect } from "../../emulators/sqlserver/client.js";
import { startRelay } from "../../src/relay/app.js";
import { memoryLog } from "../../src/relay/log.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { startRelayFixture } from "./relay-fixture.js";

// Wire-level TDS test server over SQLite — not SQL Server. TLS at login as MS-TDS 7.x does it (the handshake
// inside PRELOGIN packets), driven by real tedious with the certificate checked against the test CA.
const login = { userName: "relay", password: "Geheim-2024" };
let dir: string;
let pki: TestPki;
let otherPki: TestPki;
let server: TdsServer;
let forced: TdsServer;

function tediousConnect(port: number, options: Record<string, unknown>): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const c = new Connection({ server: "127.0.0.1", authentication: { type: "default", options: login }, options: { port, database: "LVS2000", connectTimeout: 10_000, ...options } });
    c.connect((err) => (err ? reject(err) : resolve(c)));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tds-tls-"));
  pki = await createTestPki(join(dir, "pki"), []);
  otherPki = await createTestPki(join(dir, "other"), []);
  server = await startTdsServer({ database: ":memory:", logins: { relay: login.password }, tls: { cert: pki.server.cert, key: pki.server.key } });
  forced = await startTdsServer({ database: ":memory:", logins: { relay: login.password }, tls: { cert: pki.server.cert, key: pki.server.key, forceEncryption: true } });
});
afterAll(async () => {
  await server.stop();
  await forced.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("TLS at login (TDS 7.x)", () => {
  it("tedious with encrypt: true checks the server certificate against the trusted CA (TLS 1.2) and the whole connection is encrypted", async () => {
    const proxy = await sniffer(server.port);
    const c = await connect({ port: proxy.port, ...login, tls: { ca: pki.ca.cert } });
    const marker = "Geheime-leerling-Zoë";
    expect((await batch(c, `SELECT N'${marker}' AS naam, SUSER_SNAME() AS wie`)).rows).toEqual([{ naam: marker, wie: "relay" }]);
    await close(c);
    await proxy.close();
    const sent = proxy.sent();
    expect(sent.includes(Buffer.from(marker, "utf16le"))).toBe(false);
    expect(sent.includes(Buffer.from(login.userName, "utf16le"))).toBe(false);
  });

  it("the negotiated session is TLS 1.2 with the test PKI's server certificate", async () => {
    const c = await new Promise<{ conn: Connection; tls: TLSSocket }>((resolve, reject) => {
      const conn = new Connection({
        server: "127.0.0.1",
        authentication: { type: "default", options: login },
        options: { port: server.port, database: "LVS2000", encrypt: true, trustServerCertificate: false, serverName: "localhost", cryptoCredentialsDetails: { ca: pki.ca.cert } },
      });
      let tls: TLSSocket | undefined;
      conn.on("secure", (s: TLSSocket) => (tls = s));
      conn.connect((err) => (err ? reject(err) : tls ? resolve({ conn, tls }) : reject(new Error("no TLS"))));
    });
    expect(c.tls.getProtocol()).toBe("TLSv1.2");
    expect(c.tls.getPeerCertificate().subject.CN).toBe("localhost");
    expect(c.tls.authorized).toBe(true);
    await close(c.conn);
  });

  it("without encryption the same query crosses the wire in clear text (the check above can see it)", async () => {
    const proxy = await sniffer(server.port);
    const c = await connect({ port: proxy.port, ...login });
    const marker = "Zichtbare-naam";
    await batch(c, `SELECT N'${marker}' AS naam`);
    await close(c);
    await proxy.close();
    expect(proxy.sent().includes(Buffer.from(marker, "utf16le"))).toBe(true);
  });

  it("a server certificate from another CA is refused by tedious (certificate checked, not trusted blindly)", async () => {
    const err = await connect({ port: server.port, ...login, tls: { ca: otherPki.ca.cert } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ESOCKET" });
    expect(String((err as Error).message)).toMatch(/certificate/i);
  });

  it("a host name the certificate does not name is refused", async () => {
    const err = await connect({ port: server.port, ...login, tls: { ca: pki.ca.cert, serverName: "lvs-server.school.local" } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ESOCKET" });
  });

  it("large results stream over TLS intact (packets larger than one TLS record)", async () => {
    const c = await connect({ port: server.port, ...login, tls: { ca: pki.ca.cert }, packetSize: 16384 });
    const r = await batch(c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) SELECT i, printf('%0200d', i) AS pad FROM n");
    expect(r.rows.length).toBe(5000);
    expect(r.rows[4999]).toEqual({ i: 5000, pad: "5000".padStart(200, "0") });
    await close(c);
  });

  it("with forced encryption a client that does not encrypt is refused (tedious: encrypt false → EENCRYPT)", async () => {
    const err = await tediousConnect(forced.port, { encrypt: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "EENCRYPT" });
    const c = await connect({ port: forced.port, ...login, tls: { ca: pki.ca.cert } });
    expect((await batch(c, "SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await close(c);
  });
});

describe("the relay's connection to LVS2000 (encrypt: true, certificate checked against RELAY_SQL_CA_FILE)", () => {
  it("the relay fixture's TDS server forces encryption, and the relay reaches it with the test CA trusted", async () => {
    const f = await startRelayFixture({ leerlingen: 4 });
    try {
      expect(f.relayEnv).toMatchObject({ RELAY_SQL_ENCRYPT: "true", RELAY_SQL_TRUST_SERVER_CERTIFICATE: "false", RELAY_SQL_CA_FILE: join(f.pkiDir, "ca.pem") });
      expect((await f.client.snapshotPage("12AB00", undefined, 2)).leerlingen).toHaveLength(2);
      // a relay that does not encrypt is turned away by the server
      await expect(startRelay(loadRelayConfig({ ...f.relayEnv, RELAY_SQL_ENCRYPT: "false", RELAY_SQL_CA_FILE: "" }), { log: memoryLog().log })).rejects.toMatchObject({ code: "EENCRYPT" });
      // a relay that trusts another CA refuses the server's certificate
      const env = { ...f.relayEnv, RELAY_SQL_CA_FILE: otherPki.ca.path };
      await expect(startRelay(loadRelayConfig(env), { log: memoryLog().log })).rejects.toMatchObject({ code: "ESOCKET" });
    } finally {
      await f.stop();
    }
  });

  it("RELAY_SQL_CA_FILE is checked at start-up: it must exist and needs encryption with the certificate checked", () => {
    const base = { RELAY_TRANSPORT: "local", RELAY_SQL_USER: "u", RELAY_SQL_PASSWORD: "p", RELAY_HMAC_KEY: Buffer.alloc(32, 7).toString("base64") };
    expect(loadRelayConfig({ ...base, RELAY_SQL_CA_FILE: pki.ca.path }).RELAY_SQL_CA_FILE).toBe(pki.ca.path);
    expect(() => loadRelayConfig({ ...base, RELAY_SQL_CA_FILE: join(dir, "nope.pem") })).toThrow(/RELAY_SQL_CA_FILE: file not found/);
    expect(() => loadRelayConfig({ ...base, RELAY_SQL_CA_FILE: pki.ca.path, RELAY_SQL_ENCRYPT: "false" })).toThrow(/RELAY_SQL_CA_FILE: only used with RELAY_SQL_ENCRYPT=true/);
    expect(() => loadRelayConfig({ ...base, RELAY_SQL_CA_FILE: pki.ca.path, RELAY_SQL_TRUST_SERVER_CERTIFICATE: "true" })).toThrow(/RELAY_SQL_CA_FILE: has no effect/);
  });
});
