import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import { seedTestCertificates } from "../../emulators/keyvault/seed.js";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import type { IsoDate } from "../../src/core/model.js";
import { startRelay, type RunningRelay } from "../../src/relay/app.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { generateDemoData } from "../demo-data/generate.js";
import type { DemoData } from "../demo-data/schema.js";
import { startAzurite, type AzuriteHandle } from "./azurite.js";
import { stopChild } from "./child-process.js";
import { createDemoLvsDatabase } from "./lvs-db.js";
import { freePort } from "./ports.js";

/**
 * The embedded local stack (dev/test only): Azurite, the test PKI, the Key Vault stand-in with a
 * client certificate per aanleverpunt, the BRON simulator, the TDS test server with the demo LVS2000
 * database, the relay in front of it, and the local Functions host running the unchanged app.
 * `npm start`, the end-to-end tests and the bench all start it through this one function.
 */

export interface LocalStackOptions {
  /** everything the stack keeps (Azurite data, certificates, databases); reused on the next start */
  dataDir: string;
  seed?: number;
  leerlingen?: number;
  today: IsoDate;
  /** Functions host port: 7071 for a user, 0 (free port) in tests */
  hostPort?: number;
  /** keep Azurite data in dataDir (default true); false: in memory */
  persistent?: boolean;
  /** lines from the host child process (its logs) */
  onHostOutput?: (line: string) => void;
  /** extra app settings for the Functions host */
  env?: Record<string, string>;
  /** tests only: the relay API version the relay reports (an outdated relay at the school) */
  relayApiVersion?: string;
}

export interface LocalStack {
  functionsUrl: string;
  bron: BronSimulator;
  keyVault: KeyVaultStandIn;
  relayUrl: string;
  azurite: AzuriteHandle;
  pki: TestPki;
  demo: DemoData;
  stop(): Promise<void>;
}

/** The project root: the nearest folder above this file (source or compiled) with the app's package.json. */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "host.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the project root (host.json)");
    dir = up;
  }
  return dir;
}
const repoRoot = findRepoRoot();
const RELAY_KEY_SECRET = "relay-hmac-key";
/** The token src/activities/compose.ts sends to Key Vault with AZURE_CREDENTIAL=dev-static-token. */
const APP_DEV_TOKEN = "local-dev";
const SQL_LOGIN = { user: "bronsync-relay", password: "local-stack-only-" + "lvs2000" };

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const fresh = !existsSync(join(dataDir, "seeded"));
  const demo = generateDemoData({ seed: o.seed ?? 1, leerlingen: o.leerlingen ?? 300, today: o.today });
  const codes = demo.aanleverpunten.map((a) => a.code);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const azurite = await startAzurite(o.persistent === false ? {} : { location: join(dataDir, "azurite") });
    stops.push(() => azurite.stop());
    const pki = await createTestPki(join(dataDir, "pki"), codes);

    // The app process authenticates with the fixed development token of AZURE_CREDENTIAL=dev-static-token
    // (src/activities/compose.ts); the stand-in knows it as the app's read-only identity.
    const keyVault = await startKeyVaultStandIn({ tls: pki.server, dataDir: join(dataDir, "keyvault"), fixedTokens: { [APP_DEV_TOKEN]: "app" } });
    stops.push(() => keyVault.close());
    await seedTestCertificates(keyVault, pki);
    if (!keyVault.hasSecret(RELAY_KEY_SECRET)) keyVault.setSecret(RELAY_KEY_SECRET, randomBytes(32).toString("base64"));
    const hmacKey = await secretValue(keyVault, pki);

    const bron = await startBronSimulator({
      dataDir: join(dataDir, "bron"),
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      ...(fresh ? { seed: { bevolking: demo.bevolking, andereScholen: demo.andereScholen, bron: demo.bron.map((m) => ({ aanleverpunt: m.aanleverpunt, leerlingen: m.leerlingen, inschrijvingen: m.inschrijvingen, historisch: m.historisch })) } } : {}),
    });
    stops.push(() => bron.stop());

    const lvsPath = join(dataDir, "lvs2000.sqlite");
    if (fresh) await createDemoLvsDatabase({ sqlitePath: lvsPath, data: demo });
    // TLS at login with the test PKI's server certificate, encryption forced: the relay connects as in production
    const tds: TdsServer = await startTdsServer({
      database: lvsPath,
      logins: { [SQL_LOGIN.user]: SQL_LOGIN.password },
      tls: { cert: pki.server.cert, key: pki.server.key, forceEncryption: true },
    });
    stops.push(() => tds.stop());

    const relayPort = await freePort();
    const relay: RunningRelay = await startRelay(
      loadRelayConfig({
        RELAY_SQL_SERVER: "localhost",
        RELAY_SQL_PORT: String(tds.port),
        RELAY_SQL_USER: SQL_LOGIN.user,
        RELAY_SQL_PASSWORD: SQL_LOGIN.password,
        RELAY_SQL_ENCRYPT: "true",
        RELAY_SQL_TRUST_SERVER_CERTIFICATE: "false",
        RELAY_SQL_CA_FILE: pki.ca.path,
        RELAY_HMAC_KEY: hmacKey,
        RELAY_LISTEN_PORT: String(relayPort),
        RELAY_TLS_CERT_FILE: pki.server.certPath,
        RELAY_TLS_KEY_FILE: pki.server.keyPath,
      }),
      { log: () => undefined, ...(o.relayApiVersion === undefined ? {} : { apiVersion: o.relayApiVersion }) },
    );
    stops.push(() => relay.stop());
    const relayUrl = `https://localhost:${relayPort}`;

    const host = await startHostProcess({
      port: o.hostPort ?? 7071,
      storage: azurite.connectionString,
      env: {
        AzureWebJobsStorage: azurite.connectionString,
        AZURE_CREDENTIAL: "dev-static-token",
        DURABLE_TASK_HUB: "bronsync",
        BRON_ENDPOINT: bron.url,
        BRON_OIN: "00000001800866472000",
        KEY_VAULT_URL: keyVault.url,
        RELAY_BASE_URL: relayUrl,
        RELAY_KEY_SECRET_NAME: RELAY_KEY_SECRET,
        SYNC_SCHEDULE: "0 0 5 * * *",
        OVERZICHT_WACHTTIJD_SECONDEN: "2",
        NODE_EXTRA_CA_CERTS: pki.ca.path,
        ...o.env,
      },
      ...(o.onHostOutput ? { onOutput: o.onHostOutput } : {}),
    });
    stops.push(() => host.stop());
    if (fresh) writeFileSync(join(dataDir, "seeded"), `${o.today}\n`);
    return { functionsUrl: host.url, bron, keyVault, relayUrl, azurite, pki, demo, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The relay key as the cloud reads it: from the (stand-in) Key Vault, through the real SDK. */
async function secretValue(kv: KeyVaultStandIn, pki: TestPki): Promise<string> {
  const { SecretClient } = await import("@azure/keyvault-secrets");
  const { standInClientOptions } = await import("../../emulators/keyvault/client-options.js");
  const s = await new SecretClient(kv.url, kv.credential("app"), standInClientOptions(pki.ca.cert)).getSecret(RELAY_KEY_SECRET);
  return s.value ?? "";
}

interface HostProcess {
  url: string;
  stop(): Promise<void>;
}

/** The Functions host runs as its own process, as the real worker does; it trusts the test CA via NODE_EXTRA_CA_CERTS. */
async function startHostProcess(o: { port: number; storage: string; env: Record<string, string>; onOutput?: (line: string) => void }): Promise<HostProcess> {
  const main = join(repoRoot, "dist", "emulators", "functions-host", "main.js");
  const child: ChildProcess = spawn(process.execPath, [main, "--app", repoRoot, "--port", String(o.port), "--storage", o.storage, "--poll-max-ms", "500"], {
    env: { ...process.env, ...o.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let buffered = "";
    const onLine = (line: string) => {
      const m = /^READY (\S+)/.exec(line);
      if (m?.[1]) resolveUrl(m[1]);
      else o.onOutput?.(line);
    };
    const feed = (d: Buffer) => {
      buffered += d.toString();
      let i;
      while ((i = buffered.indexOf("\n")) >= 0) {
        onLine(buffered.slice(0, i));
        buffered = buffered.slice(i + 1);
      }
    };
    child.stdout?.on("data", feed);
    child.stderr?.on("data", feed);
    child.once("exit", (code) => reject(new Error(`Functions host exited (${code}) before it was ready`)));
  });
  return {
    url,
    stop: () => stopChild(child, 5000),
  };
}
