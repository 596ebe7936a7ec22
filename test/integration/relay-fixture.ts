import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { generateDemoData, type DemoData } from "../../scripts/demo-data/generate.js";
import { loadDemoLvsDatabase } from "../../scripts/local-stack/lvs-db.js";
import { createRelayClient, type RelayClient } from "../../src/adapters/lvs/relay-client.js";
import { startRelay, type RunningRelay } from "../../src/relay/app.js";
import { memoryLog } from "../../src/relay/log.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { createSqlPool, type SqlPool } from "../../src/relay/sql/connection.js";

/**
 * One relay for a test file, wired as in production: the TDS test server over SQLite (wire-level
 * fake, not SQL Server) holding the documented schema and the demo data, the relay connecting to it
 * through tedious with encryption required (TLS at login, the server certificate checked against the
 * test CA: `encrypt: true`, trustServerCertificate false), listening on local HTTPS with the test PKI's
 * server certificate, and the cloud's relay client. `sql` is a separate tedious pool for arranging and
 * inspecting rows.
 */
export const TODAY = "2026-11-28";
export const SQL_LOGIN = { user: "bronsync", password: "Relay!Geheim1" };
export const NTLM_LOGIN = { domain: "SCHOOL", user: "svc-bronsync", password: "Windows!Geheim2" };

export interface RelayFixture {
  tds: TdsServer;
  sql: SqlPool;
  relay: RunningRelay;
  client: RelayClient;
  key: Buffer;
  ca: string;
  /** the relay's server certificate and key (test PKI) */
  tls: { cert: string; key: string };
  /** the test PKI's folder (its CA signed the relay's certificate) */
  pkiDir: string;
  data: DemoData;
  logLines: string[];
  relayEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** A tedious pool to the TDS test server; with `ca` encrypted and the certificate checked (host "localhost", as the certificate names it). */
export function sqlPoolFor(
  port: number,
  auth: { type: "sql"; userName: string; password: string } | { type: "ntlm"; userName: string; password: string; domain: string } = { type: "sql", userName: SQL_LOGIN.user, password: SQL_LOGIN.password },
  ca?: string,
): SqlPool {
  if (ca) return createSqlPool({ server: "localhost", port, database: "LVS2000", auth, encrypt: true, trustServerCertificate: false, ca, size: 2 });
  return createSqlPool({ server: "127.0.0.1", port, database: "LVS2000", auth, encrypt: false, trustServerCertificate: true, size: 2 });
}

/**
 * `version`: the LVS2000 database version in the demo database; `apiVersion`: the relay API version
 * the relay reports (an old or newer relay, faked through startRelay's test seam); `data`: the LVS2000
 * content (default: 60 generated demo pupils).
 */
export async function startRelayFixture(o: { leerlingen?: number; version?: string; apiVersion?: string; env?: Record<string, string>; data?: DemoData } = {}): Promise<RelayFixture> {
  const dir = mkdtempSync(join(tmpdir(), "relay-test-"));
  const pki = await createTestPki(join(dir, "pki"), []);
  const tds = await startTdsServer({
    database: ":memory:",
    logins: { [SQL_LOGIN.user]: SQL_LOGIN.password, [`${NTLM_LOGIN.domain}\\${NTLM_LOGIN.user}`]: NTLM_LOGIN.password },
    tls: { cert: pki.server.cert, key: pki.server.key, forceEncryption: true },
  });
  const sql = sqlPoolFor(tds.port, undefined, pki.ca.cert);
  const data = o.data ?? generateDemoData({ seed: 3, leerlingen: o.leerlingen ?? 60, today: TODAY });
  await loadDemoLvsDatabase(sql, data, o.version ? { version: o.version } : {});
  const key = randomBytes(32);
  const relayEnv = {
    RELAY_SQL_SERVER: "localhost",
    RELAY_SQL_PORT: String(tds.port),
    RELAY_SQL_USER: SQL_LOGIN.user,
    RELAY_SQL_PASSWORD: SQL_LOGIN.password,
    RELAY_SQL_ENCRYPT: "true",
    RELAY_SQL_TRUST_SERVER_CERTIFICATE: "false",
    RELAY_SQL_CA_FILE: pki.ca.path,
    RELAY_HMAC_KEY: key.toString("base64"),
    RELAY_TRANSPORT: "local",
    RELAY_LISTEN_PORT: "0",
    RELAY_TLS_CERT_FILE: pki.server.certPath,
    RELAY_TLS_KEY_FILE: pki.server.keyPath,
    ...o.env,
  };
  const { log, lines } = memoryLog();
  const relay = await startRelay(loadRelayConfig(relayEnv), { log, now: () => new Date(`${TODAY}T10:00:00Z`), ...(o.apiVersion === undefined ? {} : { apiVersion: o.apiVersion }) });
  const client = createRelayClient({ baseUrl: relay.url, key, ca: pki.ca.cert });
  return {
    tds, sql, relay, client, key, ca: pki.ca.cert, tls: { cert: pki.server.cert, key: pki.server.key }, pkiDir: pki.dir, data, logLines: lines, relayEnv,
    async stop() {
      await relay.stop();
      await sql.close();
      await tds.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
