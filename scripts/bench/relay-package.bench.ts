import { spawn } from "node:child_process";
import { installRelayPackage } from "../relay-package/install.js";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BlobServiceClient } from "@azure/storage-blob";
import { startTdsServer } from "../../emulators/sqlserver/index.js";
import { defaultRelayChannel } from "../../src/adapters/state/schools.js";
import { provisionRelayChannel } from "../../src/adapters/lvs/channel-provisioning.js";
import { generateDemoData } from "../demo-data/generate.js";
import { startAzurite } from "../local-stack/azurite.js";
import { createDemoLvsDatabase } from "../local-stack/lvs-db.js";

/**
 * The relay package as a school installs it (issue 13 targets: package < 30 MB, relay idle < 100 MB RSS):
 * builds packages/relay, packs it (`npm pack`), installs the tarball with npm into an empty folder
 * (--offline, empty cache: no registry), and prints the tarball and installed sizes. Then starts the
 * installed `bronsync-relay start` on the production transport (polling its queue in Azurite, the TDS
 * test server as LVS2000), lets it idle for 15 s (polling every second), and prints its resident memory.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const dir = mkdtempSync(join(tmpdir(), "relay-pkg-bench-"));
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const size = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size);

async function main(): Promise<void> {
  const { tgz, folder: school } = installRelayPackage(dir, { root });
  const installed = size(join(school, "node_modules"));
  console.log(`relay package: tarball ${mb(statSync(tgz).size)} MB, installed ${mb(installed)} MB (target < 30 MB) ${installed < 30 * 1024 * 1024 ? "OK" : "TE GROOT"}`);

  const azurite = await startAzurite();
  const data = generateDemoData({ seed: 11, leerlingen: 200, today: "2026-11-28", aanleverpunten: 1 });
  await createDemoLvsDatabase({ sqlitePath: join(dir, "lvs.sqlite"), data });
  const tds = await startTdsServer({ database: join(dir, "lvs.sqlite"), logins: { bench: "Bench!Relay1" } });
  const id = "bench-school";
  const channel = await provisionRelayChannel({
    connectionString: azurite.connectionString,
    school: { id, naam: "Bench", brins: ["00AA"], aanleverpunten: [{ code: "00AA00", naam: "Bench" }], relay: defaultRelayChannel(id), contact: { emails: [] }, instellingen: { dagelijkseSync: false } },
    now: new Date(),
  });
  const replies = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("relay-replies").url;
  const config = join(dir, "relay.json");
  writeFileSync(config, JSON.stringify({
    RELAY_SQL_SERVER: "127.0.0.1", RELAY_SQL_PORT: String(tds.port), RELAY_SQL_USER: "bench", RELAY_SQL_PASSWORD: "Bench!Relay1", RELAY_SQL_ENCRYPT: "false",
    RELAY_HMAC_KEY: randomBytes(32).toString("base64"), RELAY_TRANSPORT: "queue", RELAY_QUEUE_URL: channel.queueUrl, RELAY_REPLY_CONTAINER_URL: replies,
    RELAY_POLL_IDLE_SECONDS: "1", RELAY_POLL_WARM_SECONDS: "0", RELAY_DATA_DIR: join(dir, "data"),
  }), { mode: 0o600 });
  const relay = spawn(process.execPath, [join(school, "node_modules/bronsync-relay/bin/bronsync-relay.js"), "start", "--config", config], { stdio: ["ignore", "pipe", "inherit"], env: { PATH: process.env.PATH ?? "" } });
  let out = "";
  await new Promise<void>((ok, fail) => {
    relay.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("relay_started")) ok();
    });
    relay.once("exit", (code) => fail(new Error(`relay exited (${code}): ${out}`)));
  });
  await new Promise((r) => setTimeout(r, 15_000));
  // `start` is the supervisor (packages/relay/bin) with the relay as its child process. The relay's RSS is
  // the target; the supervisor's own cost is its private memory (USS: RSS without the pages it shares with
  // the relay and other node processes, such as the node binary).
  const field = (pid: number, file: string, name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/${file}`, "utf8"))?.[1] ?? NaN) / 1024;
  const children = readFileSync(`/proc/${relay.pid}/task/${relay.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  const relayRss = children.reduce((n, pid) => n + field(pid, "status", "VmRSS"), 0);
  const supervisorRss = field(relay.pid!, "status", "VmRSS");
  const supervisorUss = field(relay.pid!, "smaps_rollup", "Private_Clean") + field(relay.pid!, "smaps_rollup", "Private_Dirty");
  console.log(`installed relay idle (queue transport, 15 s polling every second): relay RSS ${relayRss.toFixed(1)} MB (target < 100 MB) ${relayRss < 100 ? "OK" : "TE VEEL"}; its supervisor (bronsync-relay start) adds ${supervisorUss.toFixed(1)} MB of its own (USS; RSS ${supervisorRss.toFixed(1)} MB with shared pages)`);
  relay.kill("SIGTERM");
  await new Promise((r) => relay.once("exit", r));
  await tds.stop();
  await azurite.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
