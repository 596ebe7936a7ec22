import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueueServiceClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startFunctionsHost, type FunctionsHost } from "../../emulators/functions-host/index.js";
import { getStatus, raiseEvent, startOrchestration, waitForStatus } from "../../emulators/functions-host/test-client.js";

const appRoot = join(import.meta.dirname, "..", "host-app");
let host: FunctionsHost;
let rpc: string;
let recordFile: string;
const startQueue = `fh-start-${Date.now() % 100000}`;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "fh-durable-"));
  recordFile = join(dir, "record.jsonl");
  host = await startFunctionsHost({
    appRoot,
    storageConnectionString: inject("azuriteConnectionString"),
    port: 0,
    rpcPort: 0,
    logLevel: "critical", // expected failures (flaky, explode, 409) would log errors
    pollMs: { min: 20, max: 200 },
    env: { HOST_APP_HUB: `fhdurable${Date.now() % 100000}`, WORK_QUEUE: `fh-durable-${Date.now() % 100000}`, TICK_SCHEDULE: "0 0 0 1 1 *", HOST_APP_RECORD: recordFile, START_QUEUE: startQueue },
    leaseMs: 1500,
  });
  rpc = host.rpcBaseUrl;
});

afterAll(async () => {
  await host?.stop();
});

/** POSTs to the app's own starter (df.app.client.http → DurableClient.startNew). */
async function startViaApp(name: string, input?: unknown, id?: string): Promise<Response> {
  return fetch(`${host.url}/api/orchestrators/${name}${id ? `/${id}` : ""}`, { method: "POST", body: input === undefined ? "" : JSON.stringify(input) });
}

describe("orchestrations through the SDK's replay", () => {
  it("runs a sequence of activities, keeps custom status, and shows history on request", async () => {
    const res = await startViaApp("sequence", ["A", "B", "C"]);
    expect(res.status).toBe(202);
    const { id, statusQueryGetUri } = (await res.json()) as { id: string; statusQueryGetUri: string };
    expect(statusQueryGetUri).toContain(host.url);
    const s = await waitForStatus(rpc, id, undefined, 20_000, true);
    const viaWebhook = await fetch(statusQueryGetUri);
    expect(viaWebhook.status).toBe(200);
    expect(((await viaWebhook.json()) as { runtimeStatus: string }).runtimeStatus).toBe("Completed");
    expect(s.runtimeStatus).toBe("Completed");
    expect(s.output).toEqual(["Hello A", "Hello B", "Hello C"]);
    expect(s.customStatus).toEqual({ done: 3 });
    const scheduled = s.history?.filter((e) => e.EventType === "TaskScheduled").map((e) => [e.EventId, e.Name]);
    expect(scheduled).toEqual([[0, "say"], [1, "say"], [2, "say"]]);
  });

  it("Task.all fans out and collects every result in order", async () => {
    const id = await startOrchestration(rpc, "fanOut", 6);
    const s = await waitForStatus(rpc, id);
    expect(s.output).toEqual(["Hello #0", "Hello #1", "Hello #2", "Hello #3", "Hello #4", "Hello #5"]);
  });

  it("retries a failing activity with a timer between attempts, and fails after the last attempt", async () => {
    const ok = await startOrchestration(rpc, "retrying", { failures: 2, maxAttempts: 3 });
    const bad = await startOrchestration(rpc, "retrying", { failures: 5, maxAttempts: 2 });
    const s = await waitForStatus(rpc, ok, undefined, 20_000, true);
    expect(s.output).toEqual({ attempts: 3 });
    const kinds = s.history?.filter((e) => ["TaskScheduled", "TaskFailed", "TimerCreated", "TimerFired", "TaskCompleted"].includes(e.EventType)).map((e) => `${e.EventType}:${e.EventId >= 0 ? e.EventId : (e.TaskScheduledId ?? e.TimerId)}`);
    expect(kinds).toEqual(["TaskScheduled:0", "TaskFailed:0", "TimerCreated:1", "TimerFired:1", "TaskScheduled:2", "TaskFailed:2", "TimerCreated:3", "TimerFired:3", "TaskScheduled:4", "TaskCompleted:4"]);
    const f = await waitForStatus(rpc, bad);
    expect(f.runtimeStatus).toBe("Failed");
    expect(String(f.output)).toContain("flaky attempt 2 fails");
  });

  it("Task.any: an external event beats the timer; without it the durable timer fires", async () => {
    const a = await startOrchestration(rpc, "approval", 10_000);
    await waitForStatus(rpc, a, (s) => s.runtimeStatus === "Running");
    expect(await raiseEvent(rpc, a, "approve", { who: "mentor" })).toBe(202);
    const b = await startOrchestration(rpc, "approval", 300);
    expect((await waitForStatus(rpc, a)).output).toEqual({ result: "approved", by: { who: "mentor" } });
    expect((await waitForStatus(rpc, b)).output).toEqual({ result: "timeout" });
  });

  it("keeps an event raised before the orchestration waits for it", async () => {
    const id = await startOrchestration(rpc, "earlyEvent");
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    expect(await raiseEvent(rpc, id, "go", { early: true })).toBe(202);
    expect((await waitForStatus(rpc, id)).output).toEqual({ early: true });
  });

  it("runs sub-orchestrations (generated and chosen instance ids) and returns their outputs", async () => {
    const id = await startOrchestration(rpc, "parent", undefined, `parent-${Date.now()}`);
    const s = await waitForStatus(rpc, id);
    expect(s.output).toEqual({ a: ["Hello A", "Hello B"], b: ["Hello #0", "Hello #1"] });
    expect((await getStatus(rpc, `${id}-child`))?.runtimeStatus).toBe("Completed");
  });

  it("a failed sub-orchestration fails the parent's task, which the parent can catch", async () => {
    const id = await startOrchestration(rpc, "parentOfFailing");
    const s = await waitForStatus(rpc, id);
    expect(s.runtimeStatus).toBe("Completed");
    expect(s.output).toMatch(/^caught: Sub-orchestration 'failing' .* failed: .*the activity exploded/);
  });

  it("a queue trigger with a durableClient input starts orchestrations (df.getClient)", async () => {
    const id = `from-queue-${Date.now()}`;
    const text = Buffer.from(JSON.stringify({ name: "sequence", id, input: ["Q"] })).toString("base64");
    await QueueServiceClient.fromConnectionString(inject("azuriteConnectionString")).getQueueClient(startQueue).sendMessage(text);
    const s = await waitForStatus(rpc, id, (st) => st.runtimeStatus === "Completed");
    expect(s.output).toEqual(["Hello Q"]);
  });

  it("continue-as-new restarts the instance with new input until it returns", async () => {
    const id = await startOrchestration(rpc, "counter", 0);
    const s = await waitForStatus(rpc, id, undefined, 20_000, true);
    expect(s.output).toBe(3);
    expect(s.history?.find((e) => e.EventType === "ExecutionStarted")).toBeTruthy();
    expect(s.input).toBe(3);
  });

  it("keeps renewing an activity's lease, so a call longer than the lease runs once", async () => {
    const id = await startOrchestration(rpc, "slowStep", 4000);
    expect((await waitForStatus(rpc, id)).output).toBe(0);
    const runs = readFileSync(recordFile, "utf8").split("\n").filter((l) => l.includes(`"instanceId":"${id}"`));
    expect(runs).toHaveLength(1);
  });

  it("stores payloads over the Table property limit in blobs", async () => {
    const id = await startOrchestration(rpc, "bigPayload", 100_000);
    const s = await waitForStatus(rpc, id, undefined, 20_000, true);
    expect(s.runtimeStatus).toBe("Completed");
    expect((s.output as { length: number; text: string }).text).toHaveLength(100_000);
  });

  it("fails the instance when an activity error is not caught", async () => {
    const id = await startOrchestration(rpc, "failing");
    const s = await waitForStatus(rpc, id);
    expect(s.runtimeStatus).toBe("Failed");
    expect(String(s.output)).toContain("the activity exploded");
  });

  it("fails the instance with a clear error when a replay schedules something else than history says", async () => {
    const id = await startOrchestration(rpc, "drifting");
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running", 20_000, true).then(() => waitForStatus(rpc, id, (s) => Boolean(s.history?.some((e) => e.EventType === "TaskCompleted")), 20_000, true));
    process.env.HOST_APP_DRIFT = "1";
    try {
      await raiseEvent(rpc, id, "next", null);
      const s = await waitForStatus(rpc, id);
      expect(s.runtimeStatus).toBe("Failed");
      expect(String(s.output)).toMatch(/Non-Deterministic workflow detected.*TaskScheduled with sequence ID 0 and name 'say'/);
    } finally {
      delete process.env.HOST_APP_DRIFT;
    }
  });
});

describe("durable client API", () => {
  it("refuses to start a running instance id again, as Azure does", async () => {
    const id = `busy-${Date.now()}`;
    expect((await startViaApp("waitForever", undefined, id)).status).toBe(202);
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    const again = await startViaApp("waitForever", undefined, id);
    expect(again.status).toBe(500);
    const direct = await fetch(new URL(`orchestrators/waitForever/${id}`, rpc), { method: "POST", body: "" });
    expect(direct.status).toBe(409);
  });

  it("terminates, answers 410 to events for a finished instance, and purges", async () => {
    const id = await startOrchestration(rpc, "waitForever");
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    expect((await fetch(`${host.url}/api/client/terminate/${id}`, { method: "POST" })).status).toBe(202);
    const s = await waitForStatus(rpc, id);
    expect(s.runtimeStatus).toBe("Terminated");
    expect(s.output).toBe("stopped by test");
    expect(await raiseEvent(rpc, id, "never", 1)).toBe(410);
    const viaSdk = (await (await fetch(`${host.url}/api/client/status/${id}`)).json()) as { runtimeStatus: string };
    expect(viaSdk.runtimeStatus).toBe("Terminated");
    const purged = (await (await fetch(`${host.url}/api/client/purge/${id}`, { method: "DELETE" })).json()) as { instancesDeleted: number };
    expect(purged.instancesDeleted).toBe(1);
    expect(await getStatus(rpc, id)).toBeUndefined();
    expect(await raiseEvent(rpc, id, "never", 1)).toBe(404);
  });

  it("lists instances by runtime status through DurableClient.getStatusBy", async () => {
    const id = await startOrchestration(rpc, "waitForever");
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    const list = (await (await fetch(`${host.url}/api/client/list/Running`)).json()) as { instanceId: string; runtimeStatus: string }[];
    expect(list.map((s) => s.instanceId)).toContain(id);
    expect(list.every((s) => s.runtimeStatus === "Running")).toBe(true);
  });
});
