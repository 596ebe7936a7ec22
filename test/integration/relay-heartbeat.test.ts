import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { hartslag, verifyRelayRequest, type RelayContactDeps } from "../../src/activities/relay-contact.js";
import { createRelayClient } from "../../src/adapters/lvs/relay-client.js";
import { createNonceStore } from "../../src/adapters/state/relay-nonces.js";
import { createRelayStatusStore } from "../../src/adapters/state/relay-status.js";
import { createSchoolStore, defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { SCHOOL_HEADER } from "../../src/contracts/relay/contact.js";
import { headers as sig } from "../../src/contracts/relay/signing.js";
import { RELAY_VERSION, startRelay, type RunningRelay } from "../../src/relay/app.js";
import { memoryLog } from "../../src/relay/log.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { startRelayFixture, type RelayFixture } from "./relay-fixture.js";

// The relay's heartbeat and a key rotation from the relay's side: the real relay (over the TDS test
// server) sends its signed heartbeat over node http to the cloud's contact code (src/activities/
// relay-contact.ts, composed in-process here in place of the Functions host, against Azurite and the Key
// Vault stand-in). A new key it cannot store is not used (the old one keeps working, the cloud keeps it
// pending); one it can store is written to its configuration file with the old one as previous, both are
// accepted on the cloud's requests, and the next heartbeat makes it current in the cloud.

const connection = inject("azuriteConnectionString");

describe("the relay's heartbeat and key rotation", () => {
  const prefix = `hb${randomBytes(3).toString("hex")}`;
  const tables = tablesFromConnectionString(connection);
  const t = (name: string) => tables(`${prefix}${name}`);
  const schools = createSchoolStore({ tables: t });
  let f: RelayFixture;
  let dir: string;
  let kv: KeyVaultStandIn;
  let admin: SecretClient;
  let cloud: Server;
  let cloudUrl: string;
  let deps: RelayContactDeps;
  let relay: RunningRelay | undefined;
  let school: School;
  const id = `${prefix}-school`;

  beforeAll(async () => {
    f = await startRelayFixture({ leerlingen: 5 });
    dir = mkdtempSync(join(tmpdir(), "relay-heartbeat-"));
    const pki = await createTestPki(join(dir, "pki"), []);
    kv = await startKeyVaultStandIn({ tls: pki.server, dataDir: join(dir, "vault") });
    admin = new SecretClient(kv.url, kv.credential("admin"), standInClientOptions(pki.ca.cert));
    const app = new SecretClient(kv.url, kv.credential("app"), standInClientOptions(pki.ca.cert));
    school = { id, naam: "De Hartslag", brins: ["12AB"], aanleverpunten: [{ code: "12AB00", naam: "" }], relay: defaultRelayChannel(id), contact: { emails: [] }, instellingen: { dagelijkseSync: true } };
    await admin.setSecret(school.relay.sleutelSecret, f.key.toString("base64"));
    await schools.put(school);
    deps = {
      schools,
      relayStatus: createRelayStatusStore({ tables: t }),
      nonces: createNonceStore({ tables: t }),
      secret: async (name) => (await app.getSecret(name).catch(() => null))?.value ?? null,
      channelConnection: async () => connection,
      updateOffer: async () => null,
      audit: async () => undefined,
      now: () => new Date(),
    };
    // the cloud's contact endpoint as functions/access.ts + functions/api-relay.ts serve it
    cloud = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void (async () => {
          const body = Buffer.concat(chunks);
          const h = (n: string) => (req.headers[n] as string | undefined) ?? null;
          const v = await verifyRelayRequest(deps, { school: h(SCHOOL_HEADER), method: req.method ?? "", pathAndQuery: req.url ?? "", body, timestamp: h(sig.timestamp), nonce: h(sig.nonce), signature: h(sig.signature) });
          const out = v.ok ? await hartslag(deps, v.school, v.sleutel, JSON.parse(body.toString("utf8"))) : v;
          res.writeHead(out.ok ? 200 : out.status, { "content-type": "application/json" }).end(JSON.stringify(out.ok ? out.antwoord : { fout: out.fout, melding: out.melding }));
        })();
      });
    });
    await new Promise<void>((r) => cloud.listen(0, "127.0.0.1", () => r()));
    cloudUrl = `http://127.0.0.1:${(cloud.address() as { port: number }).port}`;
  }, 120_000);

  afterAll(async () => {
    await relay?.stop();
    await new Promise((r) => cloud?.close(r));
    await kv?.close();
    await f?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (configFile: string) => {
    const { log, lines } = memoryLog();
    const env = { ...f.relayEnv, RELAY_CLOUD_URL: cloudUrl, RELAY_SCHOOL: id, RELAY_HEARTBEAT_SECONDS: "3600" };
    relay = await startRelay(loadRelayConfig(env), { log, configFile });
    return lines;
  };

  it("sends its heartbeat at start: the cloud records its version and the LVS2000 version", async () => {
    const lines = await start(join(dir, "relay.json"));
    const answer = await relay!.heartbeat!.beat();
    expect(answer).toMatchObject({ geaccepteerd: true, nieuweSleutel: null });
    expect(lines.some((l) => l.includes('"event":"heartbeat"'))).toBe(true);
    expect(await deps.relayStatus.heartbeat(id)).toMatchObject({ relayVersie: RELAY_VERSION, lvs2000Versie: expect.stringMatching(/^2\.\d+/), databaseOk: true });
    await relay!.stop();
    relay = undefined;
  });

  it("a new key it cannot store is not used: logged, the old key keeps working, the cloud keeps it pending", async () => {
    const next = randomBytes(32).toString("base64");
    await admin.setSecret(`${id}-volgende`, next);
    const v = (await schools.getVersioned(id))!;
    await schools.replace({ ...v.school, relay: { ...v.school.relay, nieuweSleutelSecret: `${id}-volgende` } }, v.etag);

    writeFileSync(join(dir, "geen-map"), "een bestand, geen map");
    const lines = await start(join(dir, "geen-map", "relay.json")); // cannot be written: ENOTDIR
    await relay!.heartbeat!.beat();
    expect(lines.some((l) => l.includes('"event":"relay_key_not_stored"'))).toBe(true);
    expect((await schools.get(id))!.relay).toMatchObject({ sleutelSecret: school.relay.sleutelSecret, nieuweSleutelSecret: `${id}-volgende` });
    expect(await createRelayClient({ baseUrl: relay!.url, key: f.key, ca: f.ca }).aanleverpunten()).not.toHaveLength(0);
    await relay!.stop();
    relay = undefined;
  });

  it("a new key it can store: written with the old one as previous, both accepted, and the cloud makes it current", async () => {
    const file = join(dir, "relay.json");
    writeFileSync(file, JSON.stringify({ RELAY_SQL_USER: "blijft" }), { mode: 0o600 });
    const lines = await start(file);
    await relay!.heartbeat!.beat();
    expect(lines.some((l) => l.includes('"event":"relay_key_rotated"'))).toBe(true);
    const written = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    const next = (await admin.getSecret(`${id}-volgende`)).value!;
    expect(written).toEqual({ RELAY_SQL_USER: "blijft", RELAY_HMAC_KEY: next, RELAY_HMAC_KEY_PREVIOUS: f.key.toString("base64") });
    // the heartbeat right after, signed with the new key, made it current
    expect((await schools.get(id))!.relay).toEqual({ kanaal: "wachtrij", wachtrij: school.relay.wachtrij, sleutelSecret: `${id}-volgende` });
    // the cloud's requests signed with either key are answered (its cached old key, then the new one)
    for (const key of [f.key, Buffer.from(next, "base64")]) expect(await createRelayClient({ baseUrl: relay!.url, key, ca: f.ca }).aanleverpunten()).not.toHaveLength(0);
    await expect(createRelayClient({ baseUrl: relay!.url, key: randomBytes(32), ca: f.ca }).aanleverpunten()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await relay!.heartbeat!.beat()).toMatchObject({ geaccepteerd: true, nieuweSleutel: null });
  });
});
