import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadApp } from "../../emulators/functions-host/app-loader.js";
import type { Registry } from "../../emulators/functions-host/core-api.js";
import { createDurableApp } from "../../emulators/functions-host/durable/app-bridge.js";
import { createInstance } from "../../emulators/functions-host/durable/dispatch.js";
import { filterInbox, runEpisode, type EngineInstance, type EpisodeResult } from "../../emulators/functions-host/durable/engine.js";
import { EventType, historyEvent, type HistoryEvent } from "../../emulators/functions-host/durable/history.js";
import { MemoryDurableStore } from "../../emulators/functions-host/durable/memory-store.js";
import { replayActions } from "../../emulators/functions-host/durable/shim.js";
import type { DurableApp } from "../../emulators/functions-host/durable/worker.js";
import { DurableWorker } from "../../emulators/functions-host/durable/worker.js";
import { createLogger } from "../../emulators/functions-host/logger.js";

const t0 = new Date("2026-01-05T08:00:00.000Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const ev = (type: number, s: number, fields: Partial<HistoryEvent> = {}) => historyEvent(type, at(s), fields);
const inst = (name: string, extra: Partial<EngineInstance> = {}): EngineInstance => ({ instanceId: "golden", name, executionId: "exec1", ...extra });
const logger = createLogger("none");
let registry: Registry;
let app: DurableApp;

beforeAll(async () => {
  ({ registry } = await loadApp(join(import.meta.dirname, "..", "host-app")));
  app = createDurableApp(registry, logger, {});
});

/** One episode of `name` over golden past history plus new events, at time `now` (seconds after t0). */
function episode(name: string, past: HistoryEvent[], inbox: HistoryEvent[], now: number, extra: Partial<EngineInstance> = {}): Promise<EpisodeResult | undefined> {
  return runEpisode(inst(name, extra), past, inbox, at(now), app.runOrchestrator(name, "golden"));
}
const created = (r: EpisodeResult | undefined) => (r?.newEvents ?? []).filter((e) => [EventType.TaskScheduled, EventType.TimerCreated, EventType.SubOrchestrationInstanceCreated].includes(e.EventType as 4)).map((e) => ({ type: e.EventType, id: e.EventId, name: e.Name, input: e.Input, fireAt: e.FireAt, instanceId: e.InstanceId }));

describe("golden histories through the SDK's replay", () => {
  const started = ev(EventType.ExecutionStarted, 0, { Name: "sequence", Input: JSON.stringify(["Tokyo", "Seattle"]) });
  const firstEpisode = [ev(EventType.OrchestratorStarted, 1), started, ev(EventType.TaskScheduled, 1, { EventId: 0, Name: "say", Input: '"Tokyo"' }), ev(EventType.OrchestratorCompleted, 1)];

  it("the first episode schedules activity #0 with its input JSON-encoded", async () => {
    const r = await episode("sequence", [], [started], 1);
    expect(created(r)).toEqual([{ type: EventType.TaskScheduled, id: 0, name: "say", input: '"Tokyo"', fireAt: undefined, instanceId: undefined }]);
    expect(r?.work).toEqual([{ kind: "activity", instanceId: "golden", executionId: "exec1", taskId: 0, name: "say", input: '"Tokyo"' }]);
    expect(r?.newEvents.map((e) => e.EventType)).toEqual([EventType.OrchestratorStarted, EventType.ExecutionStarted, EventType.TaskScheduled, EventType.OrchestratorCompleted]);
  });

  it("TaskCompleted #0 replays the first call and schedules #1; custom status is kept", async () => {
    const r = await episode("sequence", firstEpisode, [ev(EventType.TaskCompleted, 2, { TaskScheduledId: 0, Result: '"Hello Tokyo"' })], 3);
    expect(created(r).map((c) => [c.id, c.name, c.input])).toEqual([[1, "say", '"Seattle"']]);
    expect(r?.customStatus).toBe('{"done":1}');
    expect(r?.status).toBe("Running");
  });

  it("the last completion finishes the instance with the output", async () => {
    const second = [ev(EventType.OrchestratorStarted, 3), ev(EventType.TaskCompleted, 2, { TaskScheduledId: 0, Result: '"Hello Tokyo"' }), ev(EventType.TaskScheduled, 3, { EventId: 1, Name: "say", Input: '"Seattle"' }), ev(EventType.OrchestratorCompleted, 3)];
    const r = await episode("sequence", [...firstEpisode, ...second], [ev(EventType.TaskCompleted, 4, { TaskScheduledId: 1, Result: '"Hello Seattle"' })], 5);
    expect(r?.status).toBe("Completed");
    expect(JSON.parse(r?.output ?? "")).toEqual(["Hello Tokyo", "Hello Seattle"]);
  });

  it("a retrying call takes one id per attempt and one per retry timer, fired first*coefficient^n later", async () => {
    const s = ev(EventType.ExecutionStarted, 0, { Name: "retrying", Input: JSON.stringify({ failures: 1, maxAttempts: 3 }) });
    const p1 = [ev(EventType.OrchestratorStarted, 1), s, ev(EventType.TaskScheduled, 1, { EventId: 0, Name: "flaky" }), ev(EventType.OrchestratorCompleted, 1)];
    const failed = ev(EventType.TaskFailed, 2, { TaskScheduledId: 0, Reason: "nope", Details: "" });
    const r1 = await episode("retrying", p1, [failed], 10);
    expect(created(r1).map((c) => [c.type, c.id, c.fireAt])).toEqual([[EventType.TimerCreated, 1, at(10.1).toISOString()]]);
    const p2 = [...p1, ev(EventType.OrchestratorStarted, 10), failed, ev(EventType.TimerCreated, 10, { EventId: 1, FireAt: at(10.1).toISOString() }), ev(EventType.OrchestratorCompleted, 10)];
    const r2 = await episode("retrying", p2, [ev(EventType.TimerFired, 11, { TimerId: 1, FireAt: at(10.1).toISOString() })], 11);
    expect(created(r2).map((c) => [c.type, c.id, c.name])).toEqual([[EventType.TaskScheduled, 2, "flaky"]]);
  });

  it("Task.any: an event that arrives first completes the orchestration and the timer is ignored", async () => {
    const s = ev(EventType.ExecutionStarted, 0, { Name: "approval", Input: "600000" });
    const p = [ev(EventType.OrchestratorStarted, 1), s, ev(EventType.TimerCreated, 1, { EventId: 0, FireAt: at(601).toISOString() }), ev(EventType.OrchestratorCompleted, 1)];
    const r = await episode("approval", p, [ev(EventType.EventRaised, 5, { Name: "approve", Input: '{"who":"x"}' })], 5);
    expect(r?.status).toBe("Completed");
    expect(JSON.parse(r?.output ?? "")).toEqual({ result: "approved", by: { who: "x" } });
  });

  it("an event raised before the orchestration waits is buffered until it does", async () => {
    const s = ev(EventType.ExecutionStarted, 0, { Name: "earlyEvent" });
    const p = [ev(EventType.OrchestratorStarted, 1), s, ev(EventType.TaskScheduled, 1, { EventId: 0, Name: "step" }), ev(EventType.OrchestratorCompleted, 1), ev(EventType.OrchestratorStarted, 2), ev(EventType.EventRaised, 2, { Name: "go", Input: "42" }), ev(EventType.OrchestratorCompleted, 2)];
    const r = await episode("earlyEvent", p, [ev(EventType.TaskCompleted, 3, { TaskScheduledId: 0, Result: "0" })], 3);
    expect(r?.status).toBe("Completed");
    expect(r?.output).toBe("42");
  });

  it("Task.all schedules every child in one episode, ids in order", async () => {
    const r = await episode("fanOut", [], [ev(EventType.ExecutionStarted, 0, { Name: "fanOut", Input: "3" })], 1);
    expect(created(r).map((c) => [c.id, c.input])).toEqual([[0, '"#0"'], [1, '"#1"'], [2, '"#2"']]);
  });

  it("sub-orchestrations get ExecutionId:taskId unless the code names an id; inputs are JSON", async () => {
    const s = ev(EventType.ExecutionStarted, 0, { Name: "parent" });
    const r1 = await episode("parent", [], [s], 1);
    expect(created(r1)).toEqual([{ type: EventType.SubOrchestrationInstanceCreated, id: 0, name: "sequence", input: '["A","B"]', instanceId: "exec1:0", fireAt: undefined }]);
    const p = [ev(EventType.OrchestratorStarted, 1), s, ...r1!.newEvents.slice(2)];
    const r2 = await episode("parent", p, [ev(EventType.SubOrchestrationInstanceCompleted, 2, { TaskScheduledId: 0, Result: '["x"]' })], 2);
    expect(created(r2).map((c) => [c.id, c.name, c.instanceId])).toEqual([[1, "fanOut", "golden-child"]]);
  });

  it("continueAsNew ends the execution with the new input", async () => {
    const s = ev(EventType.ExecutionStarted, 0, { Name: "counter", Input: "3" });
    const p = [ev(EventType.OrchestratorStarted, 1), s, ev(EventType.TaskScheduled, 1, { EventId: 0, Name: "say" }), ev(EventType.OrchestratorCompleted, 1)];
    expect((await episode("counter", p, [ev(EventType.TaskCompleted, 2, { TaskScheduledId: 0, Result: '"x"' })], 2))?.output).toBe("3");
    const s1 = { ...s, Input: "1" };
    const r = await episode("counter", [p[0]!, s1, ...p.slice(2)], [ev(EventType.TaskCompleted, 2, { TaskScheduledId: 0, Result: '"x"' })], 2);
    expect(r?.status).toBe("ContinuedAsNew");
    expect(r?.work).toEqual([{ kind: "continueAsNew", instanceId: "golden", name: "counter", input: "2" }]);
  });

  it("a replay that schedules another activity than history recorded fails the instance (nondeterminism)", async () => {
    const s = ev(EventType.ExecutionStarted, 0, { Name: "sequence", Input: '["A"]' });
    const p = [ev(EventType.OrchestratorStarted, 1), s, ev(EventType.TaskScheduled, 1, { EventId: 0, Name: "shout" }), ev(EventType.OrchestratorCompleted, 1)];
    const r = await episode("sequence", p, [ev(EventType.TaskCompleted, 2, { TaskScheduledId: 0, Result: '"x"' })], 2);
    expect(r?.status).toBe("Failed");
    expect(JSON.parse(r?.output ?? "")).toMatch(/^Non-Deterministic workflow detected: .*TaskScheduled with sequence ID 0 and name 'shout'.*scheduled activity 'say'/);
  });

  it("a suspended instance records events without running the orchestrator; resuming delivers them", async () => {
    const s = ev(EventType.ExecutionStarted, 0, { Name: "waitThenSay" });
    const p = [ev(EventType.OrchestratorStarted, 1), s, ev(EventType.OrchestratorCompleted, 1)];
    const calls: number[] = [];
    const run = app.runOrchestrator("waitThenSay", "golden");
    const counting: typeof run = (payload) => (calls.push(payload.history.length), run(payload));
    const suspend = ev(EventType.ExecutionSuspended, 2, { Reason: "pause", MessageId: "s1" });
    const r1 = await runEpisode(inst("waitThenSay"), p, [suspend], at(2), counting);
    expect(r1?.status).toBe("Suspended");
    const p1 = [...p, ...r1!.newEvents];
    const raised = ev(EventType.EventRaised, 3, { Name: "go", Input: '"Oslo"', MessageId: "e1" });
    const r2 = await runEpisode(inst("waitThenSay", { suspended: true }), p1, [raised], at(3), counting);
    expect(r2?.status).toBe("Suspended");
    expect(r2?.work).toEqual([]);
    expect(r2?.newEvents.map((e) => e.EventType)).toEqual([EventType.OrchestratorStarted, EventType.EventRaised, EventType.OrchestratorCompleted]);
    expect(calls).toEqual([]);
    const r3 = await runEpisode(inst("waitThenSay", { suspended: true }), [...p1, ...r2!.newEvents], [ev(EventType.ExecutionResumed, 4, { MessageId: "r1" })], at(4), counting);
    expect(r3?.status).toBe("Running");
    expect(created(r3).map((c) => [c.id, c.name, c.input])).toEqual([[0, "say", '"Oslo"']]);
    expect(calls).toHaveLength(1);
  });

  it("an uncaught activity failure fails the orchestration with the activity's message", async () => {
    const s = ev(EventType.ExecutionStarted, 0, { Name: "failing" });
    const p = [ev(EventType.OrchestratorStarted, 1), s, ev(EventType.TaskScheduled, 1, { EventId: 0, Name: "explode" }), ev(EventType.OrchestratorCompleted, 1)];
    const r = await episode("failing", p, [ev(EventType.TaskFailed, 2, { TaskScheduledId: 0, Reason: "Activity function 'explode' failed: kaboom", Details: "stack" })], 2);
    expect(r?.status).toBe("Failed");
    expect(r?.output).toContain("kaboom");
  });
});

describe("redelivery and id allocation", () => {
  it("drops duplicate completions, completions for unscheduled ids and redelivered messages", () => {
    const past = [ev(EventType.ExecutionStarted, 0, { MessageId: "m0" }), ev(EventType.TaskScheduled, 1, { EventId: 0 }), ev(EventType.TaskScheduled, 1, { EventId: 1 }), ev(EventType.TaskCompleted, 2, { TaskScheduledId: 1 })];
    const inbox = [ev(EventType.TaskCompleted, 3, { TaskScheduledId: 0 }), ev(EventType.TaskCompleted, 3, { TaskScheduledId: 0 }), ev(EventType.TaskCompleted, 3, { TaskScheduledId: 1 }), ev(EventType.TaskCompleted, 3, { TaskScheduledId: 7 }), ev(EventType.ExecutionStarted, 3, { MessageId: "m0" }), ev(EventType.EventRaised, 3, { Name: "e", MessageId: "m1" }), ev(EventType.EventRaised, 3, { Name: "e", MessageId: "m1" })];
    expect(filterInbox(past, inbox).map((e) => [e.EventType, e.TaskScheduledId ?? e.Name])).toEqual([[EventType.TaskCompleted, 0], [EventType.EventRaised, "e"]]);
  });

  it("retry timers inside Task.all take ids in the order the failures arrive", () => {
    const retry = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 3, backoffCoefficient: 2 };
    const actions = [{ actionType: 12, compoundActions: [{ actionType: 1, functionName: "a", retryOptions: retry }, { actionType: 1, functionName: "b", retryOptions: retry }] }];
    const history = [ev(EventType.OrchestratorStarted, 0), ev(EventType.ExecutionStarted, 0), ev(EventType.OrchestratorStarted, 5), ev(EventType.TaskFailed, 5, { TaskScheduledId: 1 }), ev(EventType.TaskFailed, 5, { TaskScheduledId: 0 })];
    const leaves = replayActions(actions, history, "x", at(5));
    expect(leaves.map((l) => [l.id, l.kind, l.name ?? l.fireAt])).toEqual([[0, "activity", "a"], [1, "activity", "b"], [2, "timer", at(6).toISOString()], [3, "timer", at(6).toISOString()]]);
  });
});

describe("the dispatcher on the in-memory store", () => {
  it("starts an instance whose row was created but whose start message was lost (crash between the two)", async () => {
    const store = new MemoryDurableStore();
    const now = new Date().toISOString();
    await store.putInstance({ instanceId: "lost-start", name: "fanOut", executionId: "e1", generation: 0, status: "Pending", input: "2", createdTime: now, lastUpdatedTime: now, historyLength: 0, canceledTimers: [] }, undefined);
    const worker = new DurableWorker(store, app, logger, { pollMinMs: 5, pollMaxMs: 20, visibilityMs: 5000, activityConcurrency: 4 });
    expect(await worker.recoverPending()).toBe(1);
    worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while (store.instances.get("lost-start")?.status !== "Completed" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(JSON.parse(store.instances.get("lost-start")?.output ?? "null")).toEqual(["Hello #0", "Hello #1"]);
    } finally {
      await worker.stop();
    }
  });

  it("runs a whole orchestration to completion without Azure Storage", async () => {
    const store = new MemoryDurableStore();
    const worker = new DurableWorker(store, app, logger, { pollMinMs: 5, pollMaxMs: 20, visibilityMs: 5000, activityConcurrency: 4 });
    worker.start();
    try {
      await createInstance(store, worker, { instanceId: "mem-1", name: "fanOut", input: "4" }, undefined, new Date());
      const deadline = Date.now() + 10_000;
      while (store.instances.get("mem-1")?.status !== "Completed" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const row = store.instances.get("mem-1");
      expect(row?.status).toBe("Completed");
      expect(JSON.parse(row?.output ?? "")).toEqual(["Hello #0", "Hello #1", "Hello #2", "Hello #3"]);
      expect(store.completions.size).toBe(4);
    } finally {
      await worker.stop();
    }
  });
});

describe("the in-memory store's instance queries", () => {
  it("pages by instance id with continuation tokens and filters by prefix", async () => {
    const store = new MemoryDurableStore();
    const wake = { control: () => undefined, work: () => undefined };
    for (const id of ["b-2", "a-1", "b-1", "b-3", "c-1"]) await createInstance(store, wake, { instanceId: id, name: "sequence" }, undefined, t0);
    const p1 = await store.queryInstances({ instanceIdPrefix: "b-" }, 2);
    expect(p1.rows.map((r) => r.instanceId)).toEqual(["b-1", "b-2"]);
    const p2 = await store.queryInstances({ instanceIdPrefix: "b-" }, 2, p1.continuationToken);
    expect(p2.rows.map((r) => r.instanceId)).toEqual(["b-3"]);
    expect(p2.continuationToken).toBeUndefined();
    await expect(store.queryInstances({}, 2, "bogus")).rejects.toThrow(/continuation token/);
  });
});
