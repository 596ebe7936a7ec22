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
    const scheduled = s.historyEvents?.filter((e) => e.EventType === "TaskScheduled").map((e) => [e.EventId, e.Name]);
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
    const kinds = s.historyEvents?.filter((e) => ["TaskScheduled", "TaskFailed", "TimerCreated", "TimerFired", "TaskCompleted"].includes(e.EventType)).map((e) => `${e.EventType}:${e.EventId >= 0 ? e.EventId : (e.TaskScheduledId ?? e.TimerId)}`);
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
    expect(s.historyEvents?.find((e) => e.EventType === "ExecutionStarted")).toBeTruthy();
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
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running", 20_000, true).then(() => waitForStatus(rpc, id, (s) => Boolean(s.historyEvents?.some((e) => e.EventType === "TaskCompleted")), 20_000, true));
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
  it("refuses to start a running instance id again as the extension does: HTTP 500 naming it", async () => {
    const id = `busy-${Date.now()}`;
    expect((await startViaApp("waitForever", undefined, id)).status).toBe(202);
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    const again = await startViaApp("waitForever", undefined, id);
    expect(again.status).toBe(500);
    const direct = await fetch(new URL(`orchestrators/waitForever/${id}`, rpc), { method: "POST", body: "" });
    expect(direct.status).toBe(500);
    expect(((await direct.json()) as { exceptionMessage: string }).exceptionMessage).toBe("An Orchestration instance with the status Running already exists.");
  });

  it("concurrent starts of one instance id: one run; the others are accepted or refused as in Azure, never a storage conflict", async () => {
    const id = `race-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await fetch(new URL(`orchestrators/waitForever/${id}`, rpc), { method: "POST", body: "" });
        return { status: res.status, text: await res.text() };
      }),
    );
    expect(answers.filter((a) => a.status === 202).length).toBeGreaterThanOrEqual(1);
    for (const a of answers.filter((x) => x.status !== 202)) {
      expect(a.status).toBe(500);
      expect(a.text).toMatch(/An Orchestration instance with the status (Pending|Running) already exists/);
    }
    const s = await waitForStatus(rpc, id, (st) => st.runtimeStatus === "Running", 20_000, true);
    expect(s.historyEvents?.filter((e) => e.EventType === "ExecutionStarted")).toHaveLength(1);
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

/** A GET/POST/DELETE on the rpc API, with the JSON body (if any) and the headers. */
async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(new URL(path, rpc), init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
const jsonPost = (body: string) => ({ method: "POST", body, headers: { "Content-Type": "application/json" } });

describe("durable client API, as the extension's HTTP API answers", () => {
  it("lists instances by instanceIdPrefix, `top` rows a page, with x-ms-continuation-token", async () => {
    const prefix = `pfx${Date.now()}-`;
    for (const n of ["a", "b", "c"]) await startOrchestration(rpc, "sequence", ["P"], `${prefix}${n}`);
    await startOrchestration(rpc, "sequence", ["P"], `${prefix.slice(0, -1)}X-other`);
    const first = await api(`instances?instanceIdPrefix=${prefix}&top=2`);
    expect(first.status).toBe(200);
    expect((first.body as { instanceId: string }[]).map((s) => s.instanceId)).toEqual([`${prefix}a`, `${prefix}b`]);
    const token = first.headers.get("x-ms-continuation-token");
    expect(token).toBeTruthy();
    const second = await api(`instances?instanceIdPrefix=${prefix}&top=2`, { headers: { "x-ms-continuation-token": token ?? "" } });
    expect((second.body as { instanceId: string }[]).map((s) => s.instanceId)).toEqual([`${prefix}c`]);
    expect(second.headers.get("x-ms-continuation-token")).toBeNull();
  });

  it("refuses a continuation token it did not hand out, and a `top` below 1, with 400", async () => {
    expect((await api("instances", { headers: { "x-ms-continuation-token": "not-a-token" } })).status).toBe(400);
    expect((await api("instances", { headers: { "x-ms-continuation-token": Buffer.from('{"x":1}').toString("base64") } })).status).toBe(400);
    const zero = await api("instances?top=0");
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.body)).toContain("top");
  });

  it("purges by filter only finished instances, needs createdTimeFrom, and refuses instanceIdPrefix (the extension ignores it)", async () => {
    const prefix = `purge${Date.now()}-`;
    const from = new Date(Date.now() - 1000).toISOString();
    const done = await startOrchestration(rpc, "sequence", ["Q"], `${prefix}done`);
    await waitForStatus(rpc, done);
    const running = await startOrchestration(rpc, "waitForever", undefined, `${prefix}running`);
    await waitForStatus(rpc, running, (s) => s.runtimeStatus === "Running");
    const byPrefix = await api(`instances?createdTimeFrom=${from}&runtimeStatus=Completed&instanceIdPrefix=${prefix}`, { method: "DELETE" });
    expect(byPrefix.status).toBe(400);
    expect(JSON.stringify(byPrefix.body)).toContain("instanceIdPrefix");
    expect((await api(`instances?runtimeStatus=Completed`, { method: "DELETE" })).status).toBe(400);
    const noStatus = await api(`instances?createdTimeFrom=${from}`, { method: "DELETE" });
    expect(noStatus.status).toBe(400);
    expect(JSON.stringify(noStatus.body)).toContain("runtimeStatus");
    const onlyRunning = await api(`instances?createdTimeFrom=${from}&runtimeStatus=Running`, { method: "DELETE" });
    expect(onlyRunning.status).toBe(400);
    expect((await getStatus(rpc, done))?.runtimeStatus).toBe("Completed");
    expect((await getStatus(rpc, running))?.runtimeStatus).toBe("Running");
    const purged = await api(`instances?createdTimeFrom=${from}&runtimeStatus=Completed,Running`, { method: "DELETE" });
    expect(purged.status).toBe(200);
    expect((purged.body as { instancesDeleted: number }).instancesDeleted).toBeGreaterThanOrEqual(1);
    expect(await getStatus(rpc, done)).toBeUndefined();
    expect((await getStatus(rpc, running))?.runtimeStatus).toBe("Running");
  });

  it("does not purge a running instance (only Completed, Failed or Terminated ones), through the SDK either", async () => {
    const id = await startOrchestration(rpc, "waitForever");
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    const direct = await api(`instances/${id}`, { method: "DELETE" });
    expect(direct.status).toBe(409);
    expect(JSON.stringify(direct.body)).toContain("Running");
    expect((await fetch(`${host.url}/api/client/purge/${id}`, { method: "DELETE" })).status).toBe(500);
    expect((await getStatus(rpc, id))?.runtimeStatus).toBe("Running");
  });

  it("raiseEvent takes only JSON (application/json and valid JSON), else 400", async () => {
    const id = await startOrchestration(rpc, "waitThenSay");
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    expect((await api(`instances/${id}/raiseEvent/go`, jsonPost("not json"))).status).toBe(400);
    expect((await api(`instances/${id}/raiseEvent/go`, jsonPost(""))).status).toBe(400);
    expect((await api(`instances/${id}/raiseEvent/go`, { method: "POST", body: '"Text"', headers: { "Content-Type": "text/plain" } })).status).toBe(400);
    expect((await api(`instances/${id}/raiseEvent/go`, jsonPost('"JSON"'))).status).toBe(202);
    expect((await waitForStatus(rpc, id)).output).toBe("Hello JSON");
  });

  it("a 202 status answer has a Location header (the request URL) and Retry-After; a finished one has neither", async () => {
    const id = await startOrchestration(rpc, "waitForever");
    const url = new URL(`instances/${id}?showInput=false`, rpc).href;
    const running = await fetch(url);
    expect(running.status).toBe(202);
    expect(running.headers.get("location")).toBe(url);
    expect(running.headers.get("retry-after")).toBe("5");
    await api(`instances/${id}/terminate?reason=done`, { method: "POST" });
    await waitForStatus(rpc, id);
    const finished = await fetch(url);
    expect(finished.status).toBe(200);
    expect(finished.headers.get("location")).toBeNull();
  });

  it("returns history as historyEvents (showHistory=true), never as `history`", async () => {
    const id = await startOrchestration(rpc, "sequence", ["H"]);
    await waitForStatus(rpc, id);
    const s = (await api(`instances/${id}?showHistory=true`)).body as Record<string, unknown>;
    expect(Array.isArray(s.historyEvents)).toBe(true);
    expect(s).not.toHaveProperty("history");
    expect((await api(`instances/${id}`)).body).not.toHaveProperty("historyEvents");
  });

  it("advertises only the operations it serves; rewind and restart answer 501 naming the gap", async () => {
    const res = await startViaApp("waitForever");
    const payload = (await res.json()) as Record<string, string>;
    expect(res.headers.get("location")).toBe(payload.statusQueryGetUri);
    expect(Object.keys(payload).sort()).toEqual(["id", "purgeHistoryDeleteUri", "resumePostUri", "sendEventPostUri", "statusQueryGetUri", "suspendPostUri", "terminatePostUri"]);
    for (const op of ["rewind", "restart"]) {
      const r = await api(`instances/${payload.id}/${op}`, { method: "POST" });
      expect(r.status).toBe(501);
      expect(JSON.stringify(r.body)).toContain(`${op} is not supported by the local Functions host`);
    }
  });

  it("suspends an instance (events wait, nothing new is scheduled) and resumes it, through the SDK", async () => {
    const id = await startOrchestration(rpc, "waitThenSay");
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    expect((await fetch(`${host.url}/api/client/suspend/${id}`, { method: "POST" })).status).toBe(202);
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Suspended");
    expect(await raiseEvent(rpc, id, "go", "later")).toBe(202);
    const held = await waitForStatus(rpc, id, (s) => Boolean(s.historyEvents?.some((e) => e.EventType === "EventRaised")), 20_000, true);
    expect(held.runtimeStatus).toBe("Suspended");
    expect(held.historyEvents?.some((e) => e.EventType === "TaskScheduled")).toBe(false);
    expect((await api(`instances/${id}/suspend`, { method: "POST" })).status).toBe(500); // already suspended, as the extension answers
    expect((await fetch(`${host.url}/api/client/resume/${id}`, { method: "POST" })).status).toBe(202);
    const s = await waitForStatus(rpc, id, undefined, 20_000, true);
    expect(s.output).toBe("Hello later");
    expect(s.historyEvents?.map((e) => e.EventType)).toEqual(expect.arrayContaining(["ExecutionSuspended", "ExecutionResumed"]));
    expect((await api(`instances/${id}/resume`, { method: "POST" })).status).toBe(410);
  });

  it("terminates a suspended instance; resume of a running one is refused as the extension does (500)", async () => {
    const id = await startOrchestration(rpc, "waitForever");
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Running");
    expect((await api(`instances/${id}/resume`, { method: "POST" })).status).toBe(500);
    expect((await api(`instances/${id}/suspend?reason=x`, { method: "POST" })).status).toBe(202);
    await waitForStatus(rpc, id, (s) => s.runtimeStatus === "Suspended");
    expect((await api(`instances/${id}/terminate?reason=gone`, { method: "POST" })).status).toBe(202);
    expect((await waitForStatus(rpc, id)).runtimeStatus).toBe("Terminated");
    expect((await api(`instances/unknown-${Date.now()}/suspend`, { method: "POST" })).status).toBe(404);
  });
});
