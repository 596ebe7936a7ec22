import { randomUUID } from "node:crypto";
import { EventType, historyEvent } from "./history.js";
import type { Work } from "./engine.js";
import { terminalStatuses, type DurableStore, type InstanceRow } from "./store.js";

/** Sends a message, then pokes the matching loop so in-process work starts without a poll delay. */
export interface Wakers {
  control(): void;
  work(): void;
}

/** Creates (or re-creates, when finished) an instance row and queues its ExecutionStarted. */
export async function createInstance(
  store: DurableStore,
  wake: Wakers,
  spec: { instanceId: string; name: string; input?: string | undefined; parent?: InstanceRow["parent"] },
  existing: InstanceRow | undefined,
  now: Date,
): Promise<InstanceRow> {
  const row: InstanceRow = {
    instanceId: spec.instanceId,
    name: spec.name,
    executionId: randomUUID().replace(/-/g, ""),
    generation: (existing?.generation ?? -1) + 1,
    status: "Pending",
    input: spec.input,
    createdTime: now.toISOString(),
    lastUpdatedTime: now.toISOString(),
    historyLength: 0,
    parent: spec.parent,
    canceledTimers: [],
  };
  const saved = await store.putInstance(row, existing?.etag);
  const started = historyEvent(EventType.ExecutionStarted, now, {
    Name: spec.name,
    ...(spec.input !== undefined ? { Input: spec.input } : {}),
    ...(spec.parent ? { ParentInstanceId: spec.parent.instanceId } : {}),
    MessageId: randomUUID(),
  });
  await store.sendControl({ instanceId: spec.instanceId, executionId: row.executionId, event: started });
  wake.control();
  return saved;
}

async function startSub(store: DurableStore, wake: Wakers, w: Extract<Work, { kind: "startSub" }>, now: Date): Promise<void> {
  const existing = await store.getInstance(w.instanceId);
  const sameParent = existing?.parent && existing.parent.instanceId === w.parent.instanceId && existing.parent.executionId === w.parent.executionId && existing.parent.taskId === w.parent.taskId;
  if (existing && sameParent) return; // created by an earlier, uncommitted run of this same episode
  if (existing && !terminalStatuses.has(existing.status)) {
    const event = historyEvent(EventType.SubOrchestrationInstanceFailed, now, { TaskScheduledId: w.parent.taskId, Reason: `An orchestration instance with ID '${w.instanceId}' already exists.`, Details: "" });
    await store.sendControl({ instanceId: w.parent.instanceId, executionId: w.parent.executionId, event });
    wake.control();
    return;
  }
  await createInstance(store, wake, { instanceId: w.instanceId, name: w.name, input: w.input, parent: w.parent }, existing, now);
}

/**
 * Queues what an episode produced: activity calls on the work-item queue, timers as delayed
 * control messages, sub-orchestration starts and parent notifications on the control queue.
 * Runs before the episode is committed, so a crash re-runs the episode and re-sends; receivers
 * drop what they have already seen, and `mustCheck` makes the activity loop look for a recorded
 * completion before running a call that a re-run episode may have queued twice.
 */
export async function dispatchWork(store: DurableStore, wake: Wakers, work: readonly Work[], now: Date, mustCheck = false): Promise<void> {
  for (const w of work) {
    switch (w.kind) {
      case "activity":
        await store.sendWork({ instanceId: w.instanceId, executionId: w.executionId, taskId: w.taskId, name: w.name, ...(w.input !== undefined ? { input: w.input } : {}), ...(mustCheck ? { mustCheck } : {}) });
        wake.work();
        break;
      case "timer": {
        const event = historyEvent(EventType.TimerFired, now, { TimerId: w.timerId, FireAt: w.fireAt });
        await store.sendControl({ instanceId: w.instanceId, executionId: w.executionId, event }, Math.max(0, Date.parse(w.fireAt) - now.getTime()));
        break;
      }
      case "startSub":
        await startSub(store, wake, w, now);
        break;
      case "notifyParent":
        await store.sendControl({ instanceId: w.parent.instanceId, executionId: w.parent.executionId, event: w.event });
        wake.control();
        break;
      case "continueAsNew":
        break; // handled by the orchestration dispatcher together with the row update
    }
  }
}
