import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BronSeed } from "../../emulators/bron/seed.js";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import { startSignInStandIn, type SignInStandIn } from "../../emulators/signin/server.js";
import { startEmailStandIn, type EmailStandIn } from "../../emulators/email/server.js";
import { seedTestCertificates } from "../../emulators/keyvault/seed.js";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import type { IsoDate } from "../../src/core/model.js";
import { SecretClient } from "@azure/keyvault-secrets";
import { BlobServiceClient } from "@azure/storage-blob";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { provisionRelayChannel } from "../../src/adapters/lvs/channel-provisioning.js";
import { createSchoolStore } from "../../src/adapters/state/schools.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { REPLY_CONTAINER } from "../../src/contracts/relay/queue-channel.js";
import { CONTACT_EXCLUDED_PATHS } from "../../src/contracts/relay/contact.js";
import { startRelay } from "../../src/relay/app.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import type { SqlPoolOptions } from "../../src/relay/sql/connection.js";
import { generateDemoData } from "../demo-data/generate.js";
import type { DemoData } from "../demo-data/schema.js";
import { demoAccess, seedDemoAccess, type DemoAccess } from "./access.js";
import { startAzurite, type AzuriteHandle } from "./azurite.js";
import { killChild, stopChild } from "./child-process.js";
import { createDemoLvsDatabase } from "./lvs-db.js";
import { freePort } from "./ports.js";
import { demoSchoolRecords, localRelay, type LocalRelay } from "./schools.js";

/**
 * The embedded local stack (dev/test only): Azurite, the test PKI, the Key Vault stand-in with a
 * client certificate per aanleverpunt, the BRON simulator, the demo schools — each registered in the
 * schools table, with its own TDS test server over its own LVS2000 database and its own relay process
 * polling its own queue in Azurite (the transport used in Azure) — the local Functions host running
 * the unchanged app, and in front of the host the sign-in stand-in (emulators/signin) that sets the
 * principal App Service Authentication sets, for the demo people of the demo schools (./access.ts).
 * `npm start`, the end-to-end tests and the bench all start it through this one function.
 */

export interface LocalStackOptions {
  /** everything the stack keeps (Azurite data, certificates, databases); reused on the next start */
  dataDir: string;
  seed?: number;
  leerlingen?: number;
  today: IsoDate;
  /** the port people and tests use (the sign-in stand-in in front of the Functions host): 7071 for a user, 0 (free port) in tests */
  hostPort?: number;
  /** keep Azurite data in dataDir (default true); false: in memory */
  persistent?: boolean;
  /** lines from the host child process (its logs) */
  onHostOutput?: (line: string) => void;
  /** extra app settings for the Functions host */
  env?: Record<string, string>;
  /**
   * Demo schools (ids) the stack prepares but does not connect: their LVS2000 database and TDS server
   * run, BRON knows them, their certificates exist as PFX files — but they are not in the registry,
   * have no relay channel, key, certificate in Key Vault or relay process. A Beheerder onboards them
   * through the page (docs/onboarding.md); `pending` has what the school's IT would have.
   */
  nogAanTeSluiten?: string[];
  /** how many aanleverpunten the demo data has (default 4: three schools); more make more schools, one relay each */
  aanleverpunten?: number;
  /** bench only: Azurite's debug log file (one line per storage request) */
  azuriteDebugLog?: string;
  /** tests only: the relay API version the relay reports (an outdated relay at the school) */
  relayApiVersion?: string;
  /** tests only: the relay version the relays report (a relay below the cloud's minimum version) */
  relayVersion?: string;
  /** fault injection: Azurite answers a write only once it is on disk, so a kill -9 loses nothing it acknowledged */
  azuriteWriteThrough?: boolean;
  /** how long the host's work items stay leased after a crash of the host (default 30 s) */
  hostLeaseMs?: number;
}

/** A part of the stack that the fault suite can kill (`kill -9`) and start again on the same ports and data. */
export interface Restartable {
  readonly running: boolean;
  kill(): Promise<void>;
  start(): Promise<void>;
}

/** A school still to be onboarded: its record as the Beheerder enters it, its LVS2000 database's settings, its certificates. */
export interface PendingSchool {
  id: string;
  naam: string;
  brins: string[];
  aanleverpunten: { code: string; naam: string }[];
  /** RELAY_SQL_* (and poll) settings of the relay at this school: with the onboarding's relay settings, the relay's whole env */
  sqlEnv: Record<string, string>;
  /** the school's PKIoverheid certificate per aanleverpunt (PFX, no password) */
  pfx: Record<string, Buffer>;
}

/** A demo school: registered in the schools table, with its own LVS2000 database and relay. */
export interface LocalSchool {
  id: string;
  naam: string;
  aanleverpunten: string[];
  /** its relay process (queue transport): tests stop and start it */
  relay: LocalRelay;
  /** the relay's RELAY_* settings */
  relayEnv: Record<string, string>;
  /** its HMAC key (the value of its Key Vault secret) */
  key: Buffer;
  /** how a DBA at the school reaches its LVS2000 database (tests change school data through it, as LVS2000 would) */
  lvs2000: SqlPoolOptions;
}

export interface LocalStack {
  /** the app as people reach it: through the sign-in stand-in (a browser signs in; scripts send `signIn.bearer(id)`) */
  functionsUrl: string;
  /** the Functions host itself, as the platform reaches it behind App Service Authentication: no principal unless sent */
  hostUrl: string;
  /** the demo schools and people, their assignments, and how to act as one of them */
  access: DemoAccess;
  signIn: SignInStandIn;
  /** headers to call `functionsUrl` as a demo person (default: the Beheerder) */
  authHeaders(personId?: string): Record<string, string>;
  /** fetch of `functionsUrl` + path as a demo person (default: the Beheerder), through the sign-in stand-in */
  api(path: string, init?: RequestInit, personId?: string): Promise<Response>;
  bron: BronSimulator;
  /** the ACS Email stand-in: the daily digests the app sent (`GET <url>/admin/messages`) */
  email: EmailStandIn;
  keyVault: KeyVaultStandIn;
  azurite: AzuriteHandle;
  pki: TestPki;
  demo: DemoData;
  /** fault injection (scripts/chaos): the Functions host and Azurite (a school's relay: `schools[i].relay`) */
  processes: { host: Restartable; azurite: Restartable };
  /** the demo schools (at least three), in the order of the demo data's aanleverpunten */
  schools: LocalSchool[];
  /**
   * The stack's throwaway relay release key pair (PEM files under dataDir/release-key), made once: the
   * Functions host offers only releases signed with it. Publish locally with `AzureWebJobsStorage=<azurite>
   * node dist/scripts/relay-publish.js --sleutel <privateKeyPath> --publieke-sleutel <publicKeyPath> --bundel …`
   * a bundle built with `packages/relay/build.mjs --publieke-sleutel <publicKeyPath>`.
   */
  releaseKey: { publicKeyPath: string; privateKeyPath: string };
  /** the schools of `nogAanTeSluiten`: what their IT has (the database's RELAY_SQL_* settings, the PFX per aanleverpunt) */
  pending: PendingSchool[];
  /** the school's relay program over local HTTPS as well (probing its handler over HTTP; not how the app reaches it) */
  startHttpsRelay(schoolId: string): Promise<{ url: string; key: Buffer; ca: string; stop(): Promise<void> }>;
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
/** The Key Vault secret with the relay channel account's connection string (RELAY_CHANNEL_SECRET_NAME). */
const RELAY_CHANNEL_SECRET = "relay-channel-connection";
/** The token src/activities/compose.ts sends to Key Vault with AZURE_CREDENTIAL=dev-static-token. */
const APP_DEV_TOKEN = "local-dev";
const SQL_LOGIN = { user: "bronsync-relay", password: "local-stack-only-" + "lvs2000" };

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const fresh = !existsSync(join(dataDir, "seeded"));
  const demo = generateDemoData({ seed: o.seed ?? 1, leerlingen: o.leerlingen ?? 300, today: o.today, ...(o.aanleverpunten === undefined ? {} : { aanleverpunten: o.aanleverpunten }) });
  const codes = demo.aanleverpunten.map((a) => a.code);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const azuriteOptions = {
      ...(o.persistent === false ? {} : { location: join(dataDir, "azurite") }),
      ...(o.azuriteDebugLog ? { debugLog: o.azuriteDebugLog } : {}),
      ...(o.azuriteWriteThrough ? { writeThrough: true } : {}),
    };
    const azurite = await startAzurite(azuriteOptions);
    let azuriteNow = azurite;
    stops.push(() => azuriteNow.stop());
    // a restart keeps the ports, so every connection string and queue URL handed out stays valid
    const azuriteRestartable = restartable(
      () => azuriteNow.kill(),
      async () => {
        azuriteNow = await startAzurite({ ...azuriteOptions, ports: { blob: azurite.blobPort, queue: azurite.queuePort, table: azurite.tablePort } });
      },
    );
    const pki = await createTestPki(join(dataDir, "pki"), codes);

    // The app process authenticates with the fixed development token of AZURE_CREDENTIAL=dev-static-token
    // (src/activities/compose.ts); the stand-in knows it as the app's read-only identity. Secrets are
    // written as onboarding writes them: through the SDK, with the admin identity.
    const keyVault = await startKeyVaultStandIn({ tls: pki.server, dataDir: join(dataDir, "keyvault"), fixedTokens: { [APP_DEV_TOKEN]: "app" } });
    stops.push(() => keyVault.close());
    const pendingIds = new Set(o.nogAanTeSluiten ?? []);
    const pendingCodes = new Set(demoSchoolRecords(demo).filter((r) => pendingIds.has(r.school.id)).flatMap((r) => r.school.aanleverpunten.map((a) => a.code)));
    await seedTestCertificates(keyVault, { ...pki, clients: Object.fromEntries(Object.entries(pki.clients).filter(([ap]) => !pendingCodes.has(ap))) });
    const adminSecrets = new SecretClient(keyVault.url, keyVault.credential("admin"), standInClientOptions(pki.ca.cert));
    // Azurite's ports change on every start: the channel's connection string is written anew each time
    await adminSecrets.setSecret(RELAY_CHANNEL_SECRET, azurite.connectionString, { contentType: "text/plain" });

    const bron = await startBronSimulator({
      dataDir: join(dataDir, "bron"),
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      // the demo data holds domain records; the simulator takes them as BRON's contract (its code lists) has them
      ...(fresh ? { seed: BronSeed.parse({ bevolking: demo.bevolking, andereScholen: demo.andereScholen, bron: demo.bron.map((m) => ({ aanleverpunt: m.aanleverpunt, leerlingen: m.leerlingen, inschrijvingen: m.inschrijvingen, historisch: m.historisch })) }) } : {}),
    });
    stops.push(() => bron.stop());

    // Every demo school: its own LVS2000 database behind its own TDS server, registered in the schools
    // table, its own relay channel (queue + SAS) and key, and its own relay process polling that queue.
    const registry = createSchoolStore({ tables: tablesFromConnectionString(azurite.connectionString) });
    const replies = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(REPLY_CONTAINER);
    const schools: LocalSchool[] = [];
    const pending: PendingSchool[] = [];
    for (const { school, data } of demoSchoolRecords(demo)) {
      const sqlitePath = join(dataDir, `lvs2000-${school.id}.sqlite`);
      if (!existsSync(sqlitePath)) await createDemoLvsDatabase({ sqlitePath, data });
      // TLS at login with the test PKI's server certificate, encryption forced: the relay connects as in production
      const tds: TdsServer = await startTdsServer({
        database: sqlitePath,
        logins: { [SQL_LOGIN.user]: SQL_LOGIN.password },
        tls: { cert: pki.server.cert, key: pki.server.key, forceEncryption: true },
      });
      stops.push(() => tds.stop());
      const sqlEnv: Record<string, string> = {
        RELAY_POLL_IDLE_SECONDS: "2",
        RELAY_POLL_ACTIVE_MS: "200",
        RELAY_POLL_WARM_SECONDS: "30",
        RELAY_SQL_SERVER: "localhost",
        RELAY_SQL_PORT: String(tds.port),
        RELAY_SQL_USER: SQL_LOGIN.user,
        RELAY_SQL_PASSWORD: SQL_LOGIN.password,
        RELAY_SQL_ENCRYPT: "true",
        RELAY_SQL_TRUST_SERVER_CERTIFICATE: "false",
        RELAY_SQL_CA_FILE: pki.ca.path,
      };
      if (pendingIds.has(school.id)) {
        const pfx = Object.fromEntries(school.aanleverpunten.map((a) => [a.code, pki.clients[a.code]!.pfx]));
        pending.push({ id: school.id, naam: school.naam, brins: school.brins, aanleverpunten: school.aanleverpunten, sqlEnv, pfx });
        continue;
      }
      await registry.put(school);
      const channel = await provisionRelayChannel({ connectionString: azurite.connectionString, school, now: new Date() });
      const key = await secretOrNew(adminSecrets, school.relay.sleutelSecret, () => randomBytes(32).toString("base64"));
      await adminSecrets.setSecret(`relay-${school.id}-wachtrij`, channel.queueUrl, { contentType: "text/plain" });
      const env: Record<string, string> = {
        RELAY_TRANSPORT: "queue",
        RELAY_QUEUE_URL: channel.queueUrl,
        RELAY_REPLY_CONTAINER_URL: replies.url,
        ...sqlEnv,
        RELAY_HMAC_KEY: key,
      };
      const relay = localRelay({ repoRoot, env, ...(o.relayApiVersion === undefined ? {} : { apiVersion: o.relayApiVersion }), ...(o.relayVersion === undefined ? {} : { relayVersion: o.relayVersion }) });
      await relay.start();
      stops.push(() => relay.stop());
      const lvs2000: SqlPoolOptions = {
        server: "localhost",
        port: tds.port,
        database: "LVS2000",
        auth: { type: "sql", userName: SQL_LOGIN.user, password: SQL_LOGIN.password },
        encrypt: true,
        trustServerCertificate: false,
        ca: pki.ca.cert,
        size: 1,
      };
      schools.push({ id: school.id, naam: school.naam, aanleverpunten: school.aanleverpunten.map((a) => a.code), relay, relayEnv: env, key: Buffer.from(key, "base64"), lvs2000 });
    }

    // ACS Email stand-in (HTTPS with the test PKI, HMAC access key): the app's daily digests land here
    const email = await startEmailStandIn({ accessKey: randomBytes(32).toString("base64"), senderDomains: ["bronsync.local"], tls: pki.server });
    stops.push(() => email.close());
    // the sign-in stand-in's port is known before the host starts, so the digest can link to the beheerpagina
    const signInPort = o.hostPort === undefined ? 7071 : o.hostPort === 0 ? await freePort() : o.hostPort;

    const releaseKey = throwawayReleaseKey(join(dataDir, "release-key"));
    const hostOptions = {
      // a fixed port: a restarted host keeps the URL the sign-in stand-in forwards to
      port: await freePort(),
      storage: azurite.connectionString,
      env: {
        AzureWebJobsStorage: azurite.connectionString,
        AZURE_CREDENTIAL: "dev-static-token",
        DURABLE_TASK_HUB: "bronsync",
        BRON_ENDPOINT: bron.url,
        BRON_OIN: "00000001800866472000",
        KEY_VAULT_URL: keyVault.url,
        RELAY_CHANNEL_SECRET_NAME: RELAY_CHANNEL_SECRET,
        // the demo relays poll at least every 2 s (RELAY_POLL_IDLE_SECONDS above)
        RELAY_PICKUP_TIMEOUT_SECONDS: "10",
        RELAY_ANSWER_TIMEOUT_SECONDS: "60",
        SYNC_SCHEDULE: "0 0 * * * *",
        // the daily run's starts spread over 5 s here (600 s in Azure: docs/scale.md), so a run started by hand is seen soon
        SYNC_SPREIDING_SECONDEN: "5",
        OVERZICHT_WACHTTIJD_SECONDEN: "2",
        EMAIL_CONNECTION_STRING: email.connectionString,
        EMAIL_SENDER: "DoNotReply@bronsync.local",
        DIGEST_SCHEDULE: "0 0 7 * * *",
        BEHEER_URL: `http://localhost:${signInPort}/api/beheer`,
        NODE_EXTRA_CA_CERTS: pki.ca.path,
        // relay releases are checked against the stack's own throwaway key (docs/relay.md "Update")
        RELAY_RELEASE_PUBLIC_KEY: readFileSync(releaseKey.publicKeyPath, "utf8"),
        ...o.env,
      },
      ...(o.onHostOutput ? { onOutput: o.onHostOutput } : {}),
      ...(o.hostLeaseMs === undefined ? {} : { leaseMs: o.hostLeaseMs }),
    };
    let host = await startHostProcess(hostOptions);
    stops.push(() => host.stop());
    const hostRestartable = restartable(
      () => host.kill(),
      async () => {
        host = await startHostProcess(hostOptions);
      },
    );
    const access = demoAccess(demo);
    await seedDemoAccess(azurite.connectionString, access, new Date(), pendingIds);
    // a Beheerder's sign-in carries their own Key Vault token (the token store, docs/onboarding.md): onboarding writes with it
    const signIn = await startSignInStandIn({
      target: host.url,
      // as App Service Authentication's excludedPaths: the relay → cloud contact API carries no person (infra/modules/functionapp.bicep)
      excludedPaths: CONTACT_EXCLUDED_PATHS,
      people: access.people,
      port: signInPort,
      accessToken: (p) => (p.rollen.includes("Beheerder") ? keyVault.token("beheerder", { lifetimeSeconds: 600 }) : undefined),
    });
    stops.push(() => signIn.close());
    if (fresh) writeFileSync(join(dataDir, "seeded"), `${o.today}\n`);

    /** The same relay program over local HTTPS, for probing its request handler over HTTP (npm run hostile). */
    const startHttpsRelay = async (schoolId: string) => {
      const school = schools.find((s) => s.id === schoolId);
      if (!school) throw new Error(`no demo school ${schoolId}`);
      const relay = await startRelay(
        loadRelayConfig({ ...school.relayEnv, RELAY_TRANSPORT: "local", RELAY_LISTEN_PORT: "0", RELAY_TLS_CERT_FILE: pki.server.certPath, RELAY_TLS_KEY_FILE: pki.server.keyPath }),
        { log: () => undefined },
      );
      stops.push(() => relay.stop());
      return { url: relay.url.replace("127.0.0.1", "localhost"), key: school.key, ca: pki.ca.cert, stop: () => relay.stop() };
    };
    const authHeaders = (personId = access.beheerder.id) => ({ authorization: signIn.bearer(personId) });
    const api = (path: string, init: RequestInit = {}, personId?: string) =>
      fetch(`${signIn.url}${path}`, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers).entries()), ...authHeaders(personId) } });
    const processes = { host: hostRestartable, azurite: azuriteRestartable };
    return { functionsUrl: signIn.url, hostUrl: host.url, access, signIn, authHeaders, api, bron, email, keyVault, azurite, pki, demo, schools, pending, releaseKey, startHttpsRelay, processes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A secret's value, made and stored (admin identity) when the vault does not have it yet. */
async function secretOrNew(secrets: SecretClient, name: string, make: () => string): Promise<string> {
  try {
    const s = await secrets.getSecret(name);
    if (s.value) return s.value;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw e;
  }
  const value = make();
  await secrets.setSecret(name, value, { contentType: "text/plain" });
  return value;
}

function restartable(kill: () => Promise<void>, start: () => Promise<void>): Restartable {
  let running = true;
  return {
    get running() {
      return running;
    },
    async kill() {
      if (!running) return;
      await kill();
      running = false;
    },
    async start() {
      if (running) return;
      await start();
      running = true;
    },
  };
}

interface HostProcess {
  url: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** The Functions host runs as its own process, as the real worker does; it trusts the test CA via NODE_EXTRA_CA_CERTS. */
async function startHostProcess(o: { port: number; storage: string; env: Record<string, string>; onOutput?: (line: string) => void; leaseMs?: number }): Promise<HostProcess> {
  const main = join(repoRoot, "dist", "emulators", "functions-host", "main.js");
  const lease = o.leaseMs === undefined ? [] : ["--lease-ms", String(o.leaseMs)];
  const child: ChildProcess = spawn(process.execPath, [main, "--app", repoRoot, "--port", String(o.port), "--storage", o.storage, "--poll-max-ms", "500", ...lease], {
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
    kill: () => killChild(child),
  };
}

/** A relay release key pair for the local stack only (never the project's): made once in `dir`, kept with the stack's data. */
function throwawayReleaseKey(dir: string): { publicKeyPath: string; privateKeyPath: string } {
  const publicKeyPath = join(dir, "release.pub");
  const privateKeyPath = join(dir, "release-private.pem");
  if (!existsSync(publicKeyPath) || !existsSync(privateKeyPath)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    writeFileSync(privateKeyPath, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    writeFileSync(publicKeyPath, publicKey.export({ type: "spki", format: "pem" }));
  }
  return { publicKeyPath, privateKeyPath };
}
