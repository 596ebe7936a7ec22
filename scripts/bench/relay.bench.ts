import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { startTdsServer } from "../../emulators/sqlserver/index.js";
import { routes, SnapshotLine, SnapshotPage } from "../../src/contracts/relay/api.js";
import { signatureHeaders } from "../../src/contracts/relay/signing.js";
import { generateDemoData } from "../demo-data/generate.js";
import { createDemoLvsDatabase } from "../local-stack/lvs-db.js";

/**
 * A 10,000-pupil snapshot through tedious and the relay API. The relay runs as its own process
 * (`dist/src/relay/main.js`, as `npm run relay` starts it) against the TDS test server over SQLite
 * (a wire-level fake, not SQL Server: its speed says nothing about SQL Server's). Prints the seed
 * time, snapshot times (paged JSON and NDJSON stream), bytes on the wire, counts, and the relay's
 * peak memory (maxRSS, which the relay logs when it stops).
 */

const PUPILS = 10_000;
const PAGE = 1000;
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "relay-bench-"));
const key = randomBytes(32);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function get(url: URL, ca: string, base: string): Promise<{ status: number; body: Buffer }> {
  const pathAndQuery = url.pathname + url.search;
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: signatureHeaders(key, { method: "GET", pathAndQuery, body: "" }), ca, servername: new URL(base).hostname === "127.0.0.1" ? "localhost" : undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Current resident memory of a process in KB (Linux /proc; null elsewhere). */
function rssKb(pid: number | undefined): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function startRelayProcess(port: number): Promise<{ url: string; ca: string; idleRssKb: number | null; stop(): Promise<number> }> {
  const tlsDir = join(dir, "tls");
  const child = spawn(process.execPath, [join(here, "..", "..", "src", "relay", "main.js")], {
    env: {
      ...process.env,
      RELAY_SQL_SERVER: "127.0.0.1", RELAY_SQL_PORT: String(port), RELAY_SQL_USER: "bench", RELAY_SQL_PASSWORD: "Bench!Relay1",
      RELAY_SQL_ENCRYPT: "false", RELAY_HMAC_KEY: key.toString("base64"), RELAY_TRANSPORT: "local", RELAY_LISTEN_PORT: "0", RELAY_TLS_DIR: tlsDir,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  let buffered = "";
  const waiters: ((line: Record<string, unknown>) => void)[] = [];
  child.stdout.on("data", (c: Buffer) => {
    buffered += c.toString();
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      for (const w of waiters) w(parsed);
    }
  });
  const waitFor = (event: string) => new Promise<Record<string, unknown>>((resolve, reject) => {
    waiters.push((l) => l.event === event && resolve(l));
    child.once("exit", (code) => reject(new Error(`relay exited (${code}) before ${event}`)));
  });
  const started = await waitFor("relay_started");
  return {
    url: String(started.url),
    ca: readFileSync(join(tlsDir, "relay-cert.pem"), "utf8"),
    idleRssKb: rssKb(child.pid),
    async stop() {
      const stopped = waitFor("relay_stopped");
      child.kill("SIGTERM");
      return Number((await stopped).maxRssKb);
    },
  };
}

async function main(): Promise<void> {
  const sqlitePath = join(dir, "lvs2000.sqlite");
  const data = generateDemoData({ seed: 10, leerlingen: PUPILS, today: "2026-11-28", aanleverpunten: 1 });
  const ap = data.aanleverpunten[0]!.code;
  let t = performance.now();
  const counts = await createDemoLvsDatabase({ sqlitePath, data });
  const seedMs = performance.now() - t;
  const tds = await startTdsServer({ database: sqlitePath, logins: { bench: "Bench!Relay1" } });
  const relay = await startRelayProcess(tds.port);
  try {
    t = performance.now();
    let cursor: string | null = null;
    let pages = 0, pagedBytes = 0, leerlingen = 0, inschrijvingen = 0, problems = 0;
    do {
      const url = new URL(routes.snapshot(ap) + `?limit=${PAGE}` + (cursor ? `&cursor=${cursor}` : ""), relay.url);
      const r = await get(url, relay.ca, relay.url);
      if (r.status !== 200) throw new Error(`snapshot page: HTTP ${r.status} ${r.body.toString().slice(0, 200)}`);
      const page = SnapshotPage.parse(JSON.parse(r.body.toString("utf8")));
      pages++;
      pagedBytes += r.body.length;
      leerlingen += page.leerlingen.length;
      inschrijvingen += page.inschrijvingen.length;
      problems += page.problems.length;
      cursor = page.nextCursor;
    } while (cursor);
    const pagedMs = performance.now() - t;

    t = performance.now();
    const s = await get(new URL(routes.snapshotStream(ap) + `?limit=${PAGE}`, relay.url), relay.ca, relay.url);
    const streamMs = performance.now() - t;
    const streamLines = s.body.toString("utf8").trimEnd().split("\n").map((l) => SnapshotLine.parse(JSON.parse(l)));
    const einde = streamLines.at(-1);
    const maxRssKb = await relay.stop();

    console.log(`seed via tedious (DDL + ${counts.Leerling} pupils, ${counts.Inschrijving} enrolments, ${Object.values(counts).reduce((a, b) => a + b, 0)} rows): ${seedMs.toFixed(0)} ms`);
    console.log(`paged snapshot: ${pages} pages of ${PAGE}, ${leerlingen} pupils, ${inschrijvingen} enrolments, ${problems} problems, ${pagedBytes} bytes (${mb(pagedBytes)} MB): ${pagedMs.toFixed(0)} ms`);
    console.log(`NDJSON stream: ${streamLines.length} lines, ${s.body.length} bytes (${mb(s.body.length)} MB), einde=${JSON.stringify(einde)}: ${streamMs.toFixed(0)} ms`);
    const idle = relay.idleRssKb === null ? "n/a" : `${(relay.idleRssKb / 1024).toFixed(1)} MB`;
    console.log(`relay memory: peak (maxRSS of the relay process) ${(maxRssKb / 1024).toFixed(1)} MB; after start, before the snapshots ${idle}`);
    console.log(`SQL statements the TDS server received: ${tds.queries().length}`);
  } finally {
    await tds.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
