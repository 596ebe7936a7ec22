import { EventType, eventTypeName, historyEvent, isCreatedEvent, completionId, type HistoryEvent, type RuntimeStatus } from "./history.js";
import { replayActions, UnsupportedActionError, type Leaf } from "./shim.js";

/** What the engine needs to know about an instance besides its history. */
export interface EngineInstance {
  instanceId: string;
  name: string;
  executionId: string;
  parent?: { instanceId: string; executionId: string; taskId: number } | undefined;
  canceledTimers?: number[];
  /** the instance row says Suspended */
  suspended?: boolean;
}

/** The JSON object the extension passes to an orchestrator function (see local-durable-host.md §1). */
export interface OrchestratorPayload {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | undefined;
  upperSchemaVersion: number;
  upperSchemaVersionNew: number;
  longRunningTimerIntervalDuration: string;
  maximumShortTimerDuration: string;
  defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

/** The SDK's OrchestratorState, as returned (or carried in an OrchestrationFailureError). */
export interface OrchestratorState {
  isDone: boolean;
  actions: unknown[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export type RunOrchestrator = (payload: OrchestratorPayload) => Promise<OrchestratorState>;

/** Work an episode hands to the dispatcher, to be queued after the history is written. */
export type Work =
  | { kind: "activity"; instanceId: string; executionId: string; taskId: number; name: string; input?: string }
  | { kind: "timer"; instanceId: string; executionId: string; timerId: number; fireAt: string }
  | { kind: "startSub"; instanceId: string; name: string; input?: string; parent: { instanceId: string; executionId: string; taskId: number } }
  | { kind: "notifyParent"; parent: { instanceId: string; executionId: string; taskId: number }; event: HistoryEvent }
  | { kind: "continueAsNew"; instanceId: string; name: string; input?: string };

export interface EpisodeResult {
  newEvents: HistoryEvent[];
  work: Work[];
  status: RuntimeStatus;
  output?: string;
  customStatus?: string;
  canceledTimers: number[];
}

/**
 * Drops events the instance has already seen or cannot use: completions for ids that were never
 * scheduled or already completed, redelivered messages (same MessageId), a second ExecutionStarted.
 * This is what makes redelivery after a crash harmless.
 */
export function filterInbox(past: readonly HistoryEvent[], inbox: readonly HistoryEvent[], canceledTimers: readonly number[] = []): HistoryEvent[] {
  const created = new Set<number>();
  const completed = new Set<number>(canceledTimers);
  const messageIds = new Set<string>();
  let started = false;
  const note = (e: HistoryEvent) => {
    if (isCreatedEvent(e)) created.add(e.EventId);
    const id = completionId(e);
    if (id !== undefined) completed.add(id);
    if (e.MessageId) messageIds.add(e.MessageId);
    if (e.EventType === EventType.ExecutionStarted) started = true;
  };
  past.forEach(note);
  const out: HistoryEvent[] = [];
  for (const e of inbox) {
    if (e.MessageId && messageIds.has(e.MessageId)) continue;
    if (e.EventType === EventType.ExecutionStarted && started) continue;
    const id = completionId(e);
    if (id !== undefined && (!created.has(id) || completed.has(id))) continue;
    note(e);
    out.push(e);
  }
  return out;
}

function payloadFor(inst: EngineInstance, history: HistoryEvent[], replaying: boolean): OrchestratorPayload {
  const started = history.find((e) => e.EventType === EventType.ExecutionStarted);
  return {
    history,
    input: started?.Input === undefined || started.Input === "" ? undefined : JSON.parse(started.Input),
    instanceId: inst.instanceId,
    isReplaying: replaying,
    parentInstanceId: inst.parent?.instanceId,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: "3.00:00:00",
    // timers are never split: the host re-delays queue messages for long timers itself
    maximumShortTimerDuration: "36500.00:00:00",
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
}

const createdTypeFor: Record<Leaf["kind"], number> = { activity: EventType.TaskScheduled, timer: EventType.TimerCreated, suborch: EventType.SubOrchestrationInstanceCreated };

/** Compares the replayed leaves with what history says was scheduled; returns a DTFx-style message on mismatch. */
export function findNondeterminism(leaves: readonly Leaf[], past: readonly HistoryEvent[], finished: boolean): string | undefined {
  const byId = new Map(leaves.map((l) => [l.id, l]));
  for (const e of past.filter(isCreatedEvent)) {
    const leaf = byId.get(e.EventId);
    const what = `${eventTypeName[e.EventType]} with sequence ID ${e.EventId}${e.Name ? ` and name '${e.Name}'` : ""}`;
    if (!leaf) {
      if (finished) continue;
      return `Non-Deterministic workflow detected: a previous execution of this orchestration recorded ${what}, but the current replay execution has not scheduled it. Was a change made to the orchestrator code after this instance had already started running?`;
    }
    if (createdTypeFor[leaf.kind] !== e.EventType || (leaf.kind !== "timer" && leaf.name !== e.Name)) {
      return `Non-Deterministic workflow detected: a previous execution of this orchestration recorded ${what}, but the current replay execution scheduled ${leaf.kind} '${leaf.name ?? leaf.fireAt}' under that ID. Was a change made to the orchestrator code after this instance had already started running?`;
    }
  }
  return undefined;
}

function leafToEvent(leaf: Leaf, now: Date): HistoryEvent {
  const fields: Partial<HistoryEvent> = { EventId: leaf.id };
  if (leaf.kind === "timer") fields.FireAt = leaf.fireAt ?? now.toISOString();
  else {
    fields.Name = leaf.name ?? "";
    if (leaf.input !== undefined) fields.Input = leaf.input;
    if (leaf.instanceId) fields.InstanceId = leaf.instanceId;
  }
  return historyEvent(createdTypeFor[leaf.kind], now, fields);
}

function leafToWork(inst: EngineInstance, leaf: Leaf): Work | undefined {
  if (leaf.kind === "activity") return { kind: "activity", instanceId: inst.instanceId, executionId: inst.executionId, taskId: leaf.id, name: leaf.name ?? "", ...(leaf.input !== undefined ? { input: leaf.input } : {}) };
  if (leaf.kind === "timer") return leaf.canceled ? undefined : { kind: "timer", instanceId: inst.instanceId, executionId: inst.executionId, timerId: leaf.id, fireAt: leaf.fireAt ?? "" };
  return { kind: "startSub", instanceId: leaf.instanceId ?? "", name: leaf.name ?? "", ...(leaf.input !== undefined ? { input: leaf.input } : {}), parent: { instanceId: inst.instanceId, executionId: inst.executionId, taskId: leaf.id } };
}

/** Builds the terminal part of an episode: events, parent notification, status. */
function finishEpisode(inst: EngineInstance, now: Date, base: HistoryEvent[], ok: boolean, output: string, customStatus: string | undefined, details = ""): EpisodeResult {
  const done = historyEvent(EventType.ExecutionCompleted, now, { Result: output, ...(ok ? {} : { Reason: output, Details: details }) });
  const work: Work[] = [];
  if (inst.parent) {
    const event = ok
      ? historyEvent(EventType.SubOrchestrationInstanceCompleted, now, { TaskScheduledId: inst.parent.taskId, Result: output })
      : historyEvent(EventType.SubOrchestrationInstanceFailed, now, { TaskScheduledId: inst.parent.taskId, Reason: `Sub-orchestration '${inst.name}' (${inst.instanceId}) failed: ${output}`, Details: details });
    work.push({ kind: "notifyParent", parent: inst.parent, event });
  }
  return { newEvents: [...base, done, historyEvent(EventType.OrchestratorCompleted, now)], work, status: ok ? "Completed" : "Failed", output, ...(customStatus !== undefined ? { customStatus } : {}), canceledTimers: [] };
}

/**
 * One orchestration episode: past history + OrchestratorStarted(now) + the new events go to the SDK;
 * the returned actions are replayed to find new work; nondeterminism or an orchestrator error fails
 * the instance. Pure apart from `run` (the SDK call), so golden histories can drive it directly.
 * Returns undefined when nothing new arrived.
 */
export async function runEpisode(inst: EngineInstance, past: readonly HistoryEvent[], incoming: readonly HistoryEvent[], now: Date, run: RunOrchestrator): Promise<EpisodeResult | undefined> {
  const inbox = filterInbox(past, incoming, inst.canceledTimers);
  if (inbox.length === 0) return undefined;
  const started = historyEvent(EventType.OrchestratorStarted, now);
  const terminate = inbox.find((e) => e.EventType === EventType.ExecutionTerminated);
  if (terminate) {
    const reason = terminate.Input ?? "";
    return { newEvents: [started, terminate, historyEvent(EventType.OrchestratorCompleted, now)], work: [], status: "Terminated", output: JSON.stringify(reason), canceledTimers: [] };
  }
  const history = [...past.map((e) => ({ ...e, IsPlayed: true })), started, ...inbox.map((e) => ({ ...e, IsPlayed: false }))];
  if (!history.some((e) => e.EventType === EventType.ExecutionStarted)) return undefined;
  // Suspended (DTFx): events are recorded but held from the orchestrator until ExecutionResumed
  let suspended = inst.suspended === true;
  for (const e of inbox) {
    if (e.EventType === EventType.ExecutionSuspended) suspended = true;
    else if (e.EventType === EventType.ExecutionResumed) suspended = false;
  }
  if (suspended) return { newEvents: [started, ...inbox, historyEvent(EventType.OrchestratorCompleted, now)], work: [], status: "Suspended", canceledTimers: [...(inst.canceledTimers ?? [])] };
  const base = [started, ...inbox];
  const state = await run(payloadFor(inst, history, past.length > 0));
  const customStatus = state.customStatus === undefined ? undefined : JSON.stringify(state.customStatus);
  let leaves: Leaf[];
  const actions = (state.actions[0] ?? []) as Parameters<typeof replayActions>[0];
  try {
    leaves = replayActions(actions, history, inst.executionId, now);
  } catch (e) {
    if (e instanceof UnsupportedActionError) return finishEpisode(inst, now, base, false, JSON.stringify(e.message), customStatus);
    throw e;
  }
  const failedByCode = state.error !== undefined;
  const nondeterminism = findNondeterminism(leaves, past, state.isDone || failedByCode);
  if (nondeterminism) return finishEpisode(inst, now, base, false, JSON.stringify(nondeterminism), customStatus);
  if (failedByCode) return finishEpisode(inst, now, base, false, JSON.stringify(`Orchestrator function '${inst.name}' failed: ${state.error}`), customStatus, state.error ?? "");
  if (state.isDone) {
    const can = (actions as { actionType: number; input?: unknown }[]).find((a) => a.actionType === 4);
    if (can) {
      const input = can.input === undefined ? undefined : typeof can.input === "string" ? can.input : JSON.stringify(can.input);
      const ev = historyEvent(EventType.ContinueAsNew, now, input !== undefined ? { Result: input } : {});
      return { newEvents: [...base, ev, historyEvent(EventType.OrchestratorCompleted, now)], work: [{ kind: "continueAsNew", instanceId: inst.instanceId, name: inst.name, ...(input !== undefined ? { input } : {}) }], status: "ContinuedAsNew", ...(customStatus !== undefined ? { customStatus } : {}), canceledTimers: [] };
    }
    return finishEpisode(inst, now, base, true, state.output === undefined ? "null" : JSON.stringify(state.output), customStatus);
  }
  const known = new Set(past.filter(isCreatedEvent).map((e) => e.EventId));
  const fresh = leaves.filter((l) => !known.has(l.id));
  const work = fresh.map((l) => leafToWork(inst, l)).filter((w): w is Work => w !== undefined);
  const canceledTimers = leaves.filter((l) => l.kind === "timer" && l.canceled).map((l) => l.id);
  return { newEvents: [...base, ...fresh.map((l) => leafToEvent(l, now)), historyEvent(EventType.OrchestratorCompleted, now)], work, status: "Running", ...(customStatus !== undefined ? { customStatus } : {}), canceledTimers };
}
