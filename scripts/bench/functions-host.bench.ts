import { fileURLToPath } from "node:url";
import { startFunctionsHost } from "../../emulators/functions-host/index.js";
import { AzureDurableStore } from "../../emulators/functions-host/durable/azure-store.js";
import { startOrchestration } from "../../emulators/functions-host/test-client.js";
import { startAzurite } from "../local-stack/azurite.js";

/**
 * 200 orchestrations × 10 sequential activities through the local Functions host against a fresh
 * in-memory Azurite. Prints activities per second (time) and, independent of machine noise,
 * history events per activity and storage requests per activity (counted by the store wrapper).
 * Stops measuring after 80 s (BENCH_LIMIT_MS) and reports what completed by then.
 */
const orchestrations = Number(process.env.BENCH_ORCHESTRATIONS ?? 200);
const activitiesEach = 10;
const hub = "benchhub";
const limitMs = Number(process.env.BENCH_LIMIT_MS ?? 80_000);

async function main(): Promise<void> {
  const azurite = await startAzurite();
  const host = await startFunctionsHost({
    appRoot: fileURLToPath(new URL("../../../test/host-app", import.meta.url)),
    storageConnectionString: azurite.connectionString,
    port: 0,
    logLevel: "warning",
    pollMs: { min: 20, max: 500 },
    env: { HOST_APP_HUB: hub, WORK_QUEUE: "bench-work", START_QUEUE: "bench-start", TICK_SCHEDULE: "0 0 0 1 1 *" },
  });
  const observer = new AzureDurableStore(azurite.connectionString, hub);
  try {
    const names = Array.from({ length: activitiesEach }, (_, i) => `n${i}`);
    const requestsBefore = host.storageRequests();
    const durableBefore = host.store.requestCount;
    const t0 = performance.now();
    for (let i = 0; i < orchestrations; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, orchestrations - i) }, (_, j) => startOrchestration(host.rpcBaseUrl, "sequence", names, `bench-${i + j}`)));
    }
    const tStarted = performance.now();
    let finished = 0;
    while (finished < orchestrations && performance.now() - t0 < limitMs) {
      await new Promise((r) => setTimeout(r, 250));
      finished = (await observer.listInstances({ runtimeStatus: ["Completed", "Failed"] })).length;
    }
    const elapsedS = (performance.now() - t0) / 1000;
    const requests = host.storageRequests() - requestsBefore;
    const durableRequests = host.store.requestCount - durableBefore;
    const rows = await observer.listInstances({});
    const completed = rows.filter((r) => r.status === "Completed");
    const activitiesDone = rows.reduce((n, r) => n + ((r.customStatus ? (JSON.parse(r.customStatus) as { done: number }).done : 0) || 0), 0);
    const completedEvents = completed.reduce((n, r) => n + r.historyLength, 0);
    console.log(`orchestrations: ${orchestrations} × ${activitiesEach} sequential activities; completed ${completed.length}, activities done ${activitiesDone}${finished < orchestrations ? ` (stopped at the ${limitMs / 1000} s limit)` : ""}`);
    console.log(`starting all instances: ${(tStarted - t0).toFixed(0)} ms; measured ${elapsedS.toFixed(1)} s`);
    console.log(`activities per second: ${(activitiesDone / elapsedS).toFixed(1)}`);
    console.log(`history events per activity: ${(completedEvents / (completed.length * activitiesEach)).toFixed(2)} (completed instances: ${completedEvents} events)`);
    console.log(`storage requests per activity: ${(durableRequests / activitiesDone).toFixed(2)} durable engine, ${(requests / activitiesDone).toFixed(2)} all (incl. idle queue-trigger polls); ${requests} requests`);
    console.log(`peak RSS (bench + host process; Azurite not included): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    await host.stop();
    await azurite.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
