import { readFileSync } from "node:fs";
import { RELAY_API_VERSION } from "../contracts/relay/api.js";
import { decodeKey } from "../contracts/relay/signing.js";
import { readConfigFile, writeConfigFile } from "./configure.js";
import { judgeDatabaseVersion } from "./db-version.js";
import { type RunningHeartbeat, startHeartbeat } from "./heartbeat.js";
import { heartbeatHooks, type RelayUpdates } from "./update/index.js";
import { createVerifier } from "./auth.js";
import { createRequestHandler } from "./handler.js";
import { createLog, type Log } from "./log.js";
import type { RelayConfig } from "./relay-config.js";
import { selfSignedCertificate } from "./self-signed.js";
import { createSqlPool, type SqlAuth } from "./sql/connection.js";
import { selectDatabaseVersion } from "./sql/lvs2000.js";
import { replyContainerFor } from "../contracts/relay/queue-channel.js";
import { startQueueTransport } from "./queue-transport.js";
import { type RunningTransport, startLocalTransport } from "./transports.js";
import { createVersionGate } from "./version-gate.js";

/**
 * Composes the relay from its configuration: SQL pool, version gate, signature verifier, the one
 * request handler, and the configured transport. Refuses to start against an LVS2000 database
 * older than 2.10 (with the manual's wording of what to do).
 */

export const RELAY_VERSION = "0.1.0";

export interface RunningRelay {
  url: string;
  databaseVersion: string;
  /** the heartbeat to the cloud, when RELAY_CLOUD_URL is set */
  heartbeat?: RunningHeartbeat;
  stop(): Promise<void>;
}

export class DatabaseVersionError extends Error {}

function sqlAuth(c: RelayConfig): SqlAuth {
  return c.RELAY_SQL_AUTH === "ntlm"
    ? { type: "ntlm", userName: c.RELAY_SQL_USER, password: c.RELAY_SQL_PASSWORD, domain: c.RELAY_SQL_DOMAIN ?? "" }
    : { type: "sql", userName: c.RELAY_SQL_USER, password: c.RELAY_SQL_PASSWORD };
}

function tlsMaterial(c: RelayConfig): { cert: string; key: string } {
  if (c.RELAY_TLS_CERT_FILE && c.RELAY_TLS_KEY_FILE) return { cert: readFileSync(c.RELAY_TLS_CERT_FILE, "utf8"), key: readFileSync(c.RELAY_TLS_KEY_FILE, "utf8") };
  return selfSignedCertificate(c.RELAY_TLS_DIR);
}

export interface StartOptions {
  log?: Log;
  now?: () => Date;
  /**
   * Test seam, not a setting: the relay API version the health answer reports instead of this build's
   * (tests fake an old relay with it to see the cloud refuse it). Not reachable from RELAY_* settings.
   */
  apiVersion?: string;
  /** Test seam, like apiVersion: the relay version reported instead of this build's. */
  relayVersion?: string;
  /** the configuration file (RELAY_CONFIG_FILE): a key rotation writes the new key into it */
  configFile?: string;
  /** updates (src/relay/update): the heartbeat reports the last result, hands on an offer, and counts for the trial's health */
  updates?: RelayUpdates;
}

export async function startRelay(c: RelayConfig, o: StartOptions = {}): Promise<RunningRelay> {
  const log = o.log ?? createLog();
  const pool = createSqlPool({
    server: c.RELAY_SQL_SERVER,
    port: c.RELAY_SQL_PORT,
    ...(c.RELAY_SQL_INSTANCE ? { instanceName: c.RELAY_SQL_INSTANCE } : {}),
    database: c.RELAY_SQL_DATABASE,
    auth: sqlAuth(c),
    encrypt: c.RELAY_SQL_ENCRYPT,
    trustServerCertificate: c.RELAY_SQL_TRUST_SERVER_CERTIFICATE,
    ...(c.RELAY_SQL_CA_FILE ? { ca: readFileSync(c.RELAY_SQL_CA_FILE, "utf8") } : {}),
    size: c.RELAY_SQL_POOL_SIZE,
  });
  const gate = createVersionGate(pool);
  let verdict;
  try {
    verdict = await gate.check();
  } catch (e) {
    await pool.close();
    throw e;
  }
  if (!verdict.ok) {
    await pool.close();
    throw new DatabaseVersionError(verdict.melding);
  }
  const relayVersion = o.relayVersion ?? RELAY_VERSION;
  // the verifier reads this array on every request: a key rotation replaces its contents in place
  const keys = [decodeKey(c.RELAY_HMAC_KEY), ...(c.RELAY_HMAC_KEY_PREVIOUS ? [decodeKey(c.RELAY_HMAC_KEY_PREVIOUS)] : [])];
  const verify = createVerifier({ keys, windowMs: c.RELAY_REPLAY_WINDOW_SECONDS * 1000 });
  const handler = createRequestHandler({
    pool,
    verify,
    gate,
    log,
    now: o.now ?? (() => new Date()),
    relayVersion,
    ...(o.apiVersion === undefined ? {} : { apiVersion: o.apiVersion }),
  });
  let transport: RunningTransport;
  try {
    if (c.RELAY_TRANSPORT === "queue") {
      const queueUrl = c.RELAY_QUEUE_URL ?? "";
      transport = await startQueueTransport(handler, {
        queueUrl,
        replyContainerUrl: c.RELAY_REPLY_CONTAINER_URL ?? replyContainerFor(queueUrl) ?? "",
        idleMs: c.RELAY_POLL_IDLE_SECONDS * 1000,
        activeMs: c.RELAY_POLL_ACTIVE_MS,
        warmMs: c.RELAY_POLL_WARM_SECONDS * 1000,
        maxParallel: c.RELAY_MAX_PARALLEL,
        relayVersion,
        log,
      });
    } else {
      const clientCa = c.RELAY_TLS_CLIENT_CA_FILE ? { clientCa: readFileSync(c.RELAY_TLS_CLIENT_CA_FILE, "utf8") } : {};
      transport = await startLocalTransport(handler, { host: c.RELAY_LISTEN_HOST, port: c.RELAY_LISTEN_PORT, ...tlsMaterial(c), ...clientCa });
    }
  } catch (e) {
    await pool.close();
    throw e;
  }
  log("relay_started", { url: transport.url, transport: c.RELAY_TRANSPORT, databaseVersion: verdict.version, relayVersion });

  let heartbeat: RunningHeartbeat | undefined;
  if (c.RELAY_CLOUD_URL && c.RELAY_SCHOOL) {
    const ca = c.RELAY_CLOUD_CA_FILE ? { ca: readFileSync(c.RELAY_CLOUD_CA_FILE, "utf8") } : {};
    heartbeat = startHeartbeat({
      cloudUrl: c.RELAY_CLOUD_URL,
      school: c.RELAY_SCHOOL,
      ...ca,
      intervalMs: c.RELAY_HEARTBEAT_SECONDS * 1000,
      relayVersion,
      apiVersion: o.apiVersion ?? RELAY_API_VERSION,
      key: () => keys[0]!,
      // a database that does not answer: the heartbeat reports it (heartbeat.ts catches the rejection)
      database: async () => {
        const v = judgeDatabaseVersion(await selectDatabaseVersion(pool));
        return v.ok ? { lvs2000Versie: v.version, ok: true, melding: null } : { lvs2000Versie: v.version, ok: false, melding: v.melding };
      },
      rotateKey: async (text) => {
        const next = decodeKey(text);
        if (!o.configFile) {
          log("relay_key_not_stored", { reden: "geen configuratiebestand (RELAY_CONFIG_FILE)" });
          return false;
        }
        try {
          const file = readConfigFile(o.configFile);
          writeConfigFile(o.configFile, { ...file, RELAY_HMAC_KEY: text, RELAY_HMAC_KEY_PREVIOUS: keys[0]!.toString("base64") });
        } catch (e) {
          log("relay_key_not_stored", { reden: String((e as { code?: string }).code ?? (e as Error).name) });
          return false;
        }
        keys.splice(0, keys.length, next, keys[0]!);
        return true;
      },
      log,
      ...(o.updates ? heartbeatHooks(o.updates, { cloudUrl: c.RELAY_CLOUD_URL, school: c.RELAY_SCHOOL, ...ca, key: () => keys[0]!, relayVersion, log }) : {}),
    });
  }
  return {
    url: transport.url,
    databaseVersion: verdict.version,
    ...(heartbeat ? { heartbeat } : {}),
    async stop() {
      await heartbeat?.stop();
      await transport.close();
      await pool.close();
    },
  };
}
