import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getStatus } from "../../emulators/functions-host/test-client.js";
import { startLocalStack } from "../local-stack/index.js";

/**
 * The product end to end on the local stack: the first synchronisation of one aanleverpunt (fetch
 * feedback → overzicht → bepalen → controleren → verzenden) until it waits for decisions. Prints the
 * time and counts that do not depend on the machine: history events per run, BRON messages and bytes,
 * mutations per pupil.
 */
const PUPILS = Number(process.env.BENCH_SYNC_PUPILS ?? 2000);
const dir = mkdtempSync(join(tmpdir(), "bench-sync-"));
const t0 = performance.now();
const stack = await startLocalStack({ dataDir: dir, today: "2026-11-28", hostPort: 0, persistent: false, leerlingen: PUPILS });
const startupMs = performance.now() - t0;
try {
  const ap = stack.demo.aanleverpunten[0]!;
  const lvs = stack.demo.lvs.find((s) => s.aanleverpunt === ap.code)!;
  const api = (p: string, init?: RequestInit) => stack.api(`/api/aanleverpunten/${ap.code}/${p}`, init);
  const t1 = performance.now();
  await api("sync", { method: "POST" });
  let fase = "";
  for (;;) {
    const s = (await (await api("status")).json()) as { runtimeStatus?: string; customStatus?: { fase?: string } };
    fase = s.customStatus?.fase ?? s.runtimeStatus ?? "";
    if (fase === "WACHT_OP_BESLISSING" || fase === "KLAAR" || fase === "GEWEIGERD" || s.runtimeStatus === "Failed") break;
    if (performance.now() - t1 > 300_000) throw new Error("sync did not reach a resting point in 5 minutes");
    await new Promise((r) => setTimeout(r, 100));
  }
  const syncMs = performance.now() - t1;
  const status = await getStatus(`${stack.functionsUrl}/durabletask/`, `sync-${ap.code}`, true);
  const history = status?.historyEvents?.length ?? NaN;
  const c = stack.bron.counters();
  const pupils = lvs.leerlingen.length;
  console.log(`local stack start (${PUPILS} demo pupils, 4 aanleverpunten, seeding included): ${(startupMs / 1000).toFixed(1)} s`);
  console.log(`first sync of ${ap.code} (${pupils} pupils, ${lvs.inschrijvingen.length} enrolments) until "${fase}": ${(syncMs / 1000).toFixed(2)} s`);
  console.log(`  history events in the run: ${history}`);
  console.log(`  BRON messages: ${c.berichten ?? 0}; mutations delivered: ${c.mutaties ?? 0} (${((c.mutaties ?? 0) / pupils).toFixed(2)} per pupil); duplicate messages: ${c.dubbeleBerichten ?? 0}; duplicate mutations: ${c.dubbeleMutaties ?? 0}`);
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
