import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { installRelayPackage } from "../support/relay-package.js";
import { generateKeyPairSync } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalSchool, type LocalStack } from "../../scripts/local-stack/index.js";
import { createRelayReleases, RELAY_RELEASES_CONTAINER } from "../../src/adapters/state/relay-releases.js";
import { createRelayStatusStore, type RelayHeartbeat } from "../../src/adapters/state/relay-status.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { contactRoutes } from "../../src/contracts/relay/contact.js";
import { signRelease } from "../../src/contracts/relay/release.js";
import { RELAY_VERSION } from "../../src/relay/app.js";
import { createReleaseDownload } from "../../src/relay/update/download.js";

// Signed relay updates, end to end (issue 13, docs/relay.md "Update"): the relay package built with a
// throwaway release key and installed into an empty folder (npm --offline, no repository), run by its
// own `bronsync-relay start` — the supervisor — against a demo school of the local stack (its LVS2000
// database on the TDS test server, its queue in Azurite, the unchanged app in the local Functions host
// checking releases against the same throwaway public key). New versions are the same bundle built with
// another version string (build.mjs --versie) and published with `relay:publish`'s script. The relay
// learns of them from its heartbeat, downloads them from GET /api/relay/v1/releases/{versie}, checks
// them and swaps; what happened comes back to the cloud on its next heartbeat. Requires `npm run build`.

const root = process.cwd();
const run = (cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 180_000, ...(env ? { env } : {}) });
  expect(r.status, `${cmd} ${args.join(" ")}: ${r.stderr}${r.stdout}`).toBe(0);
  return r.stdout;
};

describe("signed relay updates from the local stack", { timeout: 240_000 }, () => {
  let dir: string;
  let stack: LocalStack;
  let school: LocalSchool;
  let relay: ChildProcess | undefined;
  let out = "";
  let pub: string;
  let privPath: string;
  const built: Record<string, string> = {};
  const data = () => join(dir, "data");

  /** the relay bundle as version `versie` (one file), built with the throwaway key */
  const bundle = (versie: string) => {
    const target = join(dir, `v${versie}`);
    run(process.execPath, [join(root, "packages/relay/build.mjs"), "--out", target, "--versie", versie, "--publieke-sleutel", join(dir, "release.pub")], root);
    return join(target, "dist", "cli.js");
  };
  const publish = (path: string) => run(process.execPath, [join(root, "dist/scripts/relay-publish.js"), "--sleutel", privPath, "--bundel", path, "--publieke-sleutel", join(dir, "release.pub")], root, { PATH: process.env.PATH ?? "", AzureWebJobsStorage: stack.azurite.connectionString });
  const heartbeat = async (): Promise<RelayHeartbeat | null> => createRelayStatusStore({ tables: tablesFromConnectionString(stack.azurite.connectionString) }).heartbeat(school.id);
  const events = (event: string) =>
    out
      .split("\n")
      .filter((l) => l.includes(`"event":"${event}"`))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "relay-update-"));
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    pub = publicKey.export({ type: "spki", format: "pem" }).toString();
    writeFileSync(join(dir, "release.pub"), pub);
    privPath = join(dir, "release-private.pem");
    writeFileSync(privPath, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { mode: 0o600 });

    // the package as a school installs it, trusting the throwaway key
    built.bin = installRelayPackage(dir, { buildArgs: ["--publieke-sleutel", join(dir, "release.pub")] }).bin;

    stack = await startLocalStack({ dataDir: join(dir, "stack"), today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 20, env: { RELAY_RELEASE_PUBLIC_KEY: pub } });
    school = stack.schools[0]!;
    await school.relay.stop(); // the installed package takes over this school's relay
    const config = join(dir, "relay.json");
    writeFileSync(
      config,
      JSON.stringify({ ...school.relayEnv, RELAY_CLOUD_URL: stack.hostUrl, RELAY_SCHOOL: school.id, RELAY_HEARTBEAT_SECONDS: "10", RELAY_DATA_DIR: data(), RELAY_UPDATE_PROEFTIJD_SECONDEN: "45" }),
      { mode: 0o600 },
    );
    relay = spawn(process.execPath, [built.bin, "start", "--config", config], { env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
    relay.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    relay.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  }, 600_000);

  afterAll(async () => {
    if (relay && relay.exitCode === null) {
      relay.kill("SIGTERM");
      await new Promise((r) => relay!.once("exit", r));
    }
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the installed version under the supervisor and reports it by heartbeat", async () => {
    await expect.poll(() => events("supervisor_gestart").length, { timeout: 30_000 }).toBe(1);
    expect(events("supervisor_gestart")[0]).toMatchObject({ versie: RELAY_VERSION, updates: true });
    await expect.poll(async () => (await heartbeat())?.relayVersie, { timeout: 60_000 }).toBe(RELAY_VERSION);
  });

  it("a good signed update is downloaded, verified, swapped to after its trial, and reported", async () => {
    publish(bundle("0.1.1"));
    await expect.poll(() => events("supervisor_update_geslaagd").length, { timeout: 120_000 }).toBe(1);
    expect(events("supervisor_update_geslaagd")[0]).toMatchObject({ versie: "0.1.1", melding: `Bijgewerkt van versie ${RELAY_VERSION} naar 0.1.1.` });
    expect(JSON.parse(readFileSync(join(data(), "actief.json"), "utf8"))).toMatchObject({ versie: "0.1.1", status: "actief", pad: join(data(), "versies", "0.1.1", "cli.js") });
    await expect.poll(async () => (await heartbeat())?.laatsteUpdate?.resultaat, { timeout: 60_000 }).toBe("GESLAAGD");
    expect(await heartbeat()).toMatchObject({ relayVersie: "0.1.1", geaccepteerd: true, laatsteUpdate: { versie: "0.1.1" } });
  });

  it("a release signed with another key is neither offered nor served", async () => {
    const other = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const bytes = readFileSync(join(dir, "v0.1.1", "dist", "cli.js"));
    const container = BlobServiceClient.fromConnectionString(stack.azurite.connectionString).getContainerClient(RELAY_RELEASES_CONTAINER);
    const forged = signRelease(bytes, "0.1.9", new Date().toISOString(), other);
    await container.getBlockBlobClient("0.1.9/cli.js").uploadData(bytes);
    await container.getBlockBlobClient("0.1.9/manifest.json").uploadData(Buffer.from(JSON.stringify(forged)));
    expect((await createRelayReleases({ container, publicKey: pub, cacheMs: 0 }).list()).map((r) => r.versie)).toEqual(["0.1.1"]);
    const download = createReleaseDownload({ cloudUrl: stack.hostUrl, school: school.id, key: () => school.key });
    await expect(download(contactRoutes.release("0.1.9"), 10_000_000)).rejects.toThrow("BRON Sync Cloud antwoordde 404: Relay-versie 0.1.9 is niet (ondertekend) gepubliceerd.");
    // unsigned, or signed for another school: refused before anything is read
    const otherSchool = stack.schools[1]!;
    await expect(createReleaseDownload({ cloudUrl: stack.hostUrl, school: school.id, key: () => otherSchool.key })(contactRoutes.release("0.1.1"), 10_000_000)).rejects.toThrow("antwoordde 401");
    expect((await download(contactRoutes.release("0.1.1"), 10_000_000)).equals(bytes)).toBe(true);
  });

  it("a package whose bytes do not match its signed manifest is refused; the running version keeps running", async () => {
    const path = bundle("0.1.2");
    publish(path);
    // the stored bundle is changed after signing (same size)
    const bytes = readFileSync(path);
    const at = bytes.indexOf("bronsync-relay");
    bytes.write("BRONSYNC-RELAY", at);
    await BlobServiceClient.fromConnectionString(stack.azurite.connectionString).getContainerClient(RELAY_RELEASES_CONTAINER).getBlockBlobClient("0.1.2/cli.js").uploadData(bytes);
    await expect.poll(() => events("update_geweigerd").length, { timeout: 120_000 }).toBe(1);
    expect(events("update_geweigerd")[0]).toMatchObject({ versie: "0.1.2", code: "SHA256", melding: "Update naar versie 0.1.2 geweigerd: de SHA-256 van het pakket klopt niet met het manifest. Versie 0.1.1 blijft draaien." });
    await expect.poll(async () => (await heartbeat())?.laatsteUpdate?.resultaat, { timeout: 60_000 }).toBe("GEWEIGERD");
    expect(await heartbeat()).toMatchObject({ relayVersie: "0.1.1", laatsteUpdate: { versie: "0.1.2", melding: expect.stringContaining("geweigerd") as string } });
    expect(existsSync(join(data(), "versies", "0.1.2"))).toBe(false);
    expect(events("supervisor_update_proef").map((e) => e.versie)).toEqual(["0.1.1"]);
  });

  it("a new version that stops at start is rolled back, and the rollback is reported", async () => {
    const path = bundle("0.1.3");
    appendFileSync(path, '\nif (process.argv.includes("start")) process.exit(3);\n');
    publish(path);
    await expect.poll(() => events("supervisor_update_teruggedraaid").length, { timeout: 120_000 }).toBe(1);
    const melding = "Update naar versie 0.1.3 teruggedraaid: de nieuwe versie stopte tijdens de proef (code 3). Versie 0.1.1 draait weer.";
    expect(events("supervisor_update_teruggedraaid")[0]).toMatchObject({ versie: "0.1.3", melding });
    await expect.poll(async () => (await heartbeat())?.laatsteUpdate, { timeout: 60_000 }).toMatchObject({ versie: "0.1.3", resultaat: "TERUGGEZET", melding });
    expect(await heartbeat()).toMatchObject({ relayVersie: "0.1.1", geaccepteerd: true });
    expect(JSON.parse(readFileSync(join(data(), "actief.json"), "utf8"))).toMatchObject({ versie: "0.1.1", status: "actief" });
    // the beheerpagina's Instellingen view shows it (the API the page reads)
    const view = (await (await stack.api(`/api/aanleverpunten/${school.aanleverpunten[0]!}/instellingen`)).json()) as { relay: { relayVersion: string; laatsteUpdate: unknown } };
    expect(view.relay).toMatchObject({ relayVersion: "0.1.1", laatsteUpdate: { versie: "0.1.3", resultaat: "TERUGGEZET", melding } });
  });

  it("a new version that never becomes healthy within its trial is stopped and rolled back", async () => {
    const path = bundle("0.1.4");
    appendFileSync(path, '\nif (process.argv.includes("start")) { setInterval(() => {}, 1 << 30); await new Promise(() => {}); }\n');
    publish(path);
    await expect.poll(() => events("supervisor_update_teruggedraaid").length, { timeout: 200_000 }).toBe(2);
    const melding = "Update naar versie 0.1.4 teruggedraaid: de nieuwe versie meldde zich niet binnen 45 s gezond (LVS2000 bereikt en hartslag geaccepteerd). Versie 0.1.1 draait weer.";
    expect(events("supervisor_update_teruggedraaid")[1]).toMatchObject({ versie: "0.1.4", melding });
    await expect.poll(async () => (await heartbeat())?.laatsteUpdate, { timeout: 60_000 }).toMatchObject({ versie: "0.1.4", resultaat: "TERUGGEZET", melding });
    expect(await heartbeat()).toMatchObject({ relayVersie: "0.1.1" });
  });

  it("stops cleanly with its relay on SIGTERM", async () => {
    const exited = new Promise<number | null>((r) => relay!.once("exit", r));
    relay!.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(events("relay_stopped").length).toBeGreaterThan(0);
  });
});
