import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getStatus } from "../../emulators/functions-host/test-client.js";
import { startLocalStack, type LocalStack } from "../local-stack/index.js";
import { DEFAULT_INSTELLINGEN, dutchHour } from "../../src/core/instellingen.js";

/**
 * The daily run on the local stack (docs/scale.md "The national daily run"): N schools × aanleverpunten
 * × pupils, each school with its own LVS2000 database and relay process, started by the daily timer
 * (fan-out through the sync queue, starts spread) and run until every aanleverpunt rests (waits for
 * decisions or is done). Prints wall time, storage requests per pupil (counted from Azurite's debug
 * log, one line per request, by service and by what they are for), history events per run at 100,
 * 1,000 and 5,000 pupils, and peak memory of the Functions host and the relays.
 *
 * BENCH_DAILY_APS (30) aanleverpunten × BENCH_DAILY_PUPILS (300) pupils each; BENCH_HISTORY_SIZES
 * ("100,1000,5000") for the history figure.
 */
const APS = Number(process.env.BENCH_DAILY_APS ?? 30);
const PER_AP = Number(process.env.BENCH_DAILY_PUPILS ?? 300);
const SIZES = (process.env.BENCH_HISTORY_SIZES ?? "100,1000,5000").split(",").map(Number);
const RESTING = new Set(["WACHT_OP_BESLISSING", "KLAAR", "GEWEIGERD"]);

interface Status {
  runtimeStatus?: string;
  customStatus?: { fase?: string } | null;
}

async function rests(stack: LocalStack, ap: string): Promise<string | null> {
  const r = await stack.api(`/api/aanleverpunten/${ap}/status`);
  if (r.status !== 200) return null;
  const s = (await r.json()) as Status;
  const fase = s.customStatus?.fase ?? "";
  if (s.runtimeStatus === "Failed") return "Failed";
  return RESTING.has(fase) ? fase : null;
}

/** Peak resident memory (VmHWM, MB) of this process's child processes whose command line contains `marker`. */
function peakMb(marker: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) !== process.pid) continue;
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker)) continue;
      out.push(Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Storage requests in Azurite's debug log, by what they are for. */
function countRequests(log: string, from: number): { total: number; by: Record<string, number>; lines: number } {
  const text = existsSync(log) ? readFileSync(log, "utf8") : "";
  const lines = text.split("\n");
  const by: Record<string, number> = {};
  let total = 0;
  for (let i = from; i < lines.length; i++) {
    const m = /(Blob|Queue|Table)StorageContextMiddleware: RequestMethod=(\w+) RequestURL=\S*?\/devstoreaccount1\/([^/?\s(]*)/.exec(lines[i]!);
    if (!m) continue;
    total++;
    const [, service, , target] = m;
    const what =
      service === "Queue" ? (target!.startsWith("relay-") ? "queue: relay channels" : target === "sync-requests" ? "queue: sync requests" : "queue: Durable control/work items") :
      service === "Table" ? (/History|Instances/.test(target!) ? "table: Durable history/instances" : "table: state (actions, mirror, audit, registry)") :
      target === "relay-replies" ? "blob: relay answers" : /lease|bronsync/i.test(target!) ? "blob: Durable leases/payloads" : "blob: state and snapshots";
    by[what] = (by[what] ?? 0) + 1;
  }
  return { total, by, lines: lines.length };
}

async function dailyRun(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-daily-"));
  const log = join(dir, "azurite-debug.log");
  const t0 = performance.now();
  const stack = await startLocalStack({ dataDir: dir, today: "2026-11-28", hostPort: 0, persistent: false, leerlingen: APS * PER_AP, aanleverpunten: APS, azuriteDebugLog: log });
  try {
    const startupS = (performance.now() - t0) / 1000;
    const aps = stack.demo.aanleverpunten.map((a) => a.code);
    const pupils = stack.demo.lvs.reduce((n, s) => n + s.leerlingen.length, 0);
    // the hourly timer starts only the aanleverpunten whose Instellingen name this hour (Dutch time): name it for all
    const hour = dutchHour(new Date());
    for (const ap of aps) {
      const put = await stack.api(`/api/aanleverpunten/${ap}/instellingen`, { method: "PUT", body: JSON.stringify({ ...DEFAULT_INSTELLINGEN, tijdstip: `${String(hour).padStart(2, "0")}:00` }), headers: { "content-type": "application/json" } });
      if (!put.ok) throw new Error(`instellingen of ${ap} not saved: ${put.status}`);
    }
    const before = countRequests(log, 0).lines;
    const t1 = performance.now();
    if (dutchHour(new Date()) !== hour) throw new Error("the hour turned while the bench set it up: run it again");
    const r = await fetch(`${stack.functionsUrl}/admin/functions/dagelijkseSync`, { method: "POST", body: JSON.stringify({ input: "" }), headers: { "content-type": "application/json" } });
    if (r.status !== 202) throw new Error(`timer not started: ${r.status}`);
    const fases = new Map<string, string>();
    while (fases.size < aps.length) {
      for (const ap of aps) if (!fases.has(ap)) {
        const f = await rests(stack, ap);
        if (f) fases.set(ap, f);
      }
      if (performance.now() - t1 > 1_800_000) throw new Error(`daily run did not rest in 30 minutes (${fases.size}/${aps.length})`);
      await new Promise((res) => setTimeout(res, 500));
    }
    const wallS = (performance.now() - t1) / 1000;
    const counts = countRequests(log, before);
    const histories: number[] = [];
    for (const ap of aps) histories.push((await getStatus(`${stack.functionsUrl}/durabletask/`, `sync-${ap}`, true))?.historyEvents?.length ?? NaN);
    const tally = [...fases.values()].reduce<Record<string, number>>((t, f) => ({ ...t, [f]: (t[f] ?? 0) + 1 }), {});
    console.log(`daily run: ${stack.schools.length} schools, ${aps.length} aanleverpunten, ${pupils} pupils (stack start incl. seeding ${startupS.toFixed(0)} s)`);
    console.log(`  wall time from the timer until every aanleverpunt rests: ${wallS.toFixed(1)} s (starts spread over SYNC_SPREIDING_SECONDEN=5) — ${JSON.stringify(tally)}`);
    console.log(`  storage requests: ${counts.total} = ${(counts.total / pupils).toFixed(2)} per pupil`);
    for (const [what, n] of Object.entries(counts.by).sort()) console.log(`    ${what}: ${n} (${(n / pupils).toFixed(2)} per pupil, ${(n / aps.length).toFixed(0)} per aanleverpunt)`);
    console.log(`  history events per run: min ${Math.min(...histories)}, max ${Math.max(...histories)}`);
    console.log(`  peak memory: Functions host ${peakMb("functions-host/main.js").join(", ")} MB; relays max ${Math.max(0, ...peakMb("relay/main.js"))} MB each`);
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** History events of one aanleverpunt's first run, at a given school size (one aanleverpunt, its own stack). */
async function historyAt(size: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-hist-"));
  const stack = await startLocalStack({ dataDir: dir, today: "2026-11-28", hostPort: 0, persistent: false, leerlingen: size, aanleverpunten: 1 });
  try {
    const ap = stack.demo.aanleverpunten[0]!.code;
    const t = performance.now();
    await stack.api(`/api/aanleverpunten/${ap}/sync`, { method: "POST" });
    let fase: string | null = null;
    while (!(fase = await rests(stack, ap))) {
      if (performance.now() - t > 900_000) throw new Error(`run at ${size} pupils did not rest`);
      await new Promise((res) => setTimeout(res, 500));
    }
    const h = (await getStatus(`${stack.functionsUrl}/durabletask/`, `sync-${ap}`, true))?.historyEvents?.length ?? NaN;
    console.log(`  ${String(size).padStart(5)} pupils: ${h} history events until "${fase}" (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await dailyRun();
console.log("history events per run by school size (must not grow with it):");
for (const size of SIZES) await historyAt(size);
