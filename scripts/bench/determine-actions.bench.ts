import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { determineActions } from "../../src/core/determine-actions.js";
import type { Action, ActionMemory, BronMirror, LvsSnapshot } from "../../src/core/model.js";
import { generateDemoData } from "../demo-data/generate.js";

/**
 * determineActions for 100,000 generated pupils in one aanleverpunt (issue 2 target: < 1 s, time ≤
 * JSON.parse time of the two inputs, peak memory < 1 GiB).
 *
 * Two processes: this one generates the seeded demo data and writes the LVS snapshot and the BRON mirror
 * as JSON text; a fresh child reads the text, times JSON.parse of both, then times determineActions on
 * the parsed inputs (steady state: the generated mirror; first delivery: an empty, never-fetched mirror).
 * The child's maxRSS is the peak for text + parsed inputs + determination, free of the generator's memory.
 */

const PUPILS = Number(process.env.BENCH_PUPILS ?? 100_000);
const SEED = 20261128;
const TODAY = "2026-11-28";
const RUNS = 5;
const NO_MEMORY: ActionMemory = { ignored: [], pending: [], firstSeen: {} };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Median wall time and median CPU time (user + system of this process) over `runs`, after a warm-up. */
function time<T>(runs: number, fn: () => T): { ms: number; cpuMs: number; result: T } {
  fn(); // warm-up; its result is dropped so only one result is alive at a time (peak RSS stays honest)
  const walls: number[] = [];
  const cpus: number[] = [];
  let last: { value: T } | undefined;
  for (let i = 0; i < runs; i++) {
    gc();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const value = fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
    if (i === runs - 1) last = { value };
  }
  return { ms: median(walls), cpuMs: median(cpus), result: last!.value };
}

function countByType(actions: readonly Action[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of actions) counts[a.type] = (counts[a.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort());
}

function measure(dir: string): void {
  const lvsText = readFileSync(join(dir, "lvs.json"), "utf8");
  const bronText = readFileSync(join(dir, "bron.json"), "utf8");
  const parse = time(2, () => ({ lvs: JSON.parse(lvsText) as LvsSnapshot, bron: JSON.parse(bronText) as BronMirror }));
  // the LVS-only parse is timed, not kept: a second parsed copy is no part of "text + parsed inputs + determination"
  const parseLvsOnly = time(2, () => (JSON.parse(lvsText) as LvsSnapshot).inschrijvingen.length);
  const { lvs, bron } = parse.result;
  const empty: BronMirror = { ...bron, overzichtDatum: null, peildatum: null, leerlingen: [], inschrijvingen: [], historisch: [], dubbeleInschrijvingen: [] };

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const steady = time(RUNS, () => determineActions(lvs, bron, NO_MEMORY, TODAY));
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const first = time(3, () => determineActions(lvs, empty, NO_MEMORY, TODAY));
  if (!steady.result.ok || !first.result.ok) throw new Error("determineActions refused");

  console.log(`pupils (LVS): ${lvs.leerlingen.length}, LVS enrolments: ${lvs.inschrijvingen.length}, BRON pupils: ${bron.leerlingen.length}, BRON enrolments: ${bron.inschrijvingen.length} + ${bron.historisch.length} historisch`);
  console.log(`JSON text: lvs ${mib(lvsText.length)}, bron ${mib(bronText.length)}`);
  console.log(`JSON.parse lvs + bron: ${ms(parse.ms)} wall, ${ms(parse.cpuMs)} cpu (lvs only ${ms(parseLvsOnly.ms)})`);
  console.log(`determineActions (generated mirror): ${ms(steady.ms)} wall, ${ms(steady.cpuMs)} cpu  ratio to JSON.parse: ${(steady.ms / parse.ms).toFixed(2)} wall, ${(steady.cpuMs / parse.cpuMs).toFixed(2)} cpu  (medians of ${RUNS})`);
  console.log(`  actions: ${steady.result.actions.length} ${JSON.stringify(countByType(steady.result.actions))}`);
  console.log(`determineActions (first delivery, empty mirror): ${ms(first.ms)} wall, ${ms(first.cpuMs)} cpu  ratio to JSON.parse of lvs: ${(first.ms / parseLvsOnly.ms).toFixed(2)} wall, ${(first.cpuMs / parseLvsOnly.cpuMs).toFixed(2)} cpu`);
  console.log(`  actions: ${first.result.actions.length} ${JSON.stringify(countByType(first.result.actions))}`);
  console.log(`heap retained by one result (after gc): ${mib(heapAfter - heapBefore)}`);
  console.log(`peak RSS (text + parsed inputs + determination): ${mib(process.resourceUsage().maxRSS * 1024)}`);
  console.log(`load average (1 min) during the run: ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores (wall times grow with load; cpu times much less)`);
  console.log(`targets: < 1000 ms ${steady.ms < 1000 ? "✓" : "✗"}, ratio ≤ 1.0 ${steady.ms <= parse.ms ? "✓" : "✗"}, peak < 1 GiB ${process.resourceUsage().maxRSS * 1024 < 2 ** 30 ? "✓" : "✗"}`);
}

function main(): void {
  if (process.argv[2] === "--measure") return measure(process.argv[3]!);
  const t0 = performance.now();
  const data = generateDemoData({ seed: SEED, leerlingen: PUPILS, today: TODAY, aanleverpunten: 1 });
  const dir = mkdtempSync(join(tmpdir(), "bench-determine-"));
  try {
    writeFileSync(join(dir, "lvs.json"), JSON.stringify(data.lvs[0]));
    writeFileSync(join(dir, "bron.json"), JSON.stringify(data.bron[0]));
    console.log(`generated ${PUPILS} pupils (seed ${SEED}, one aanleverpunt) in ${ms(performance.now() - t0)}`);
    const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--measure", dir], { stdio: "inherit" });
    process.exitCode = r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
