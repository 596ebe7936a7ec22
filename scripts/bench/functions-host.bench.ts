import { fileURLToPath } from "node:url";
import { startFunctionsHost } from "../../emulators/functions-host/index.js";
import { AzureDurableStore } from "../../emulators/functions-host/durable/azure-store.js";
import { startOrchestration } from "../../emulators/functions-host/test-client.js";
import { startAzurite } from "../local-stack/azurite.js";

/**
 * 200 orchestrations × 10 sequential activities through the local Functions host against a fresh
 * in-memory Azurite. Prints activities per second (time) and, independent of machine noise,
 * history events per activity and storage requests per activity (counted by the store wrapper).
 */
const orchestrations = Number(process.env.BENCH_ORCHESTRATIONS ?? 200);
const activitiesEach = 10;
const hub = "benchhub";

async function main(): Promise<void> {
  const azurite = await startAzurite();
  const host = await startFunctionsHost({
    appRoot: fileURLToPath(new URL("../../../test/host-app", import.meta.url)),
    storageConnectionString: azurite.connectionString,
    port: 0,
    logLevel: "warning",
    pollMs: { min: 20, max: 500 },
    env: { HOST_APP_HUB: hub, WORK_QUEUE: "bench-work", TICK_SCHEDULE: "0 0 0 1 1 *" },
  });
  const observer = new AzureDurableStore(azurite.connectionString, hub);
  try {
    const names = Array.from({ length: activitiesEach }, (_, i) => `n${i}`);
    const requestsBefore = host.storageRequests();
    const t0 = performance.now();
    for (let i = 0; i < orchestrations; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, orchestrations - i) }, (_, j) => startOrchestration(host.rpcBaseUrl, "sequence", names, `bench-${i + j}`)));
    }
    const tStarted = performance.now();
    let finished = 0;
    while (finished < orchestrations) {
      await new Promise((r) => setTimeout(r, 250));
      finished = (await observer.listInstances({ runtimeStatus: ["Completed", "Failed"] })).length;
      if (performance.now() - t0 > 85_000) throw new Error(`only ${finished} of ${orchestrations} finished in 85 s`);
    }
    const elapsedS = (performance.now() - t0) / 1000;
    const requests = host.storageRequests() - requestsBefore;
    const rows = await observer.listInstances({});
    const failed = rows.filter((r) => r.status !== "Completed").length;
    const historyEvents = rows.reduce((n, r) => n + r.historyLength, 0);
    const activities = orchestrations * activitiesEach;
    console.log(`orchestrations: ${orchestrations} × ${activitiesEach} sequential activities (${activities} activities), failed: ${failed}`);
    console.log(`starting all instances: ${(tStarted - t0).toFixed(0)} ms; all done after ${elapsedS.toFixed(1)} s`);
    console.log(`activities per second: ${(activities / elapsedS).toFixed(1)}`);
    console.log(`history events per activity: ${(historyEvents / activities).toFixed(2)} (${historyEvents} events)`);
    console.log(`storage requests per activity: ${(requests / activities).toFixed(2)} (${requests} requests, incl. idle queue polls)`);
    console.log(`peak RSS: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
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
