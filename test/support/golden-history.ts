import { isDeepStrictEqual } from "node:util";
import { createLogger } from "../../emulators/functions-host/logger.js";
import { installCoreModule } from "../../emulators/functions-host/core-api.js";
import { createDurableApp } from "../../emulators/functions-host/durable/app-bridge.js";
import type { OrchestratorPayload, OrchestratorState, RunOrchestrator } from "../../emulators/functions-host/durable/engine.js";
import { EventType, historyEvent, isCreatedEvent, type HistoryEvent } from "../../emulators/functions-host/durable/history.js";
import { replayActions, type Leaf } from "../../emulators/functions-host/durable/shim.js";

/**
 * Golden-history replay of an orchestration through the durable-functions SDK's own replay code:
 * a hand-written history (DTFx HistoryEvent shapes, as the Durable extension records them) goes to
 * the registered orchestrator exactly as the extension sends it, and what comes back is compared
 * with the history and turned into a readable "what happens next".
 */

export { EventType, type HistoryEvent };

/** Loads the app's registration module (it calls df.app.orchestration) with the Functions core API installed first. */
export async function loadOrchestrator(name: string, register: () => Promise<unknown>): Promise<RunOrchestrator> {
  const registry = installCoreModule();
  if (!registry.functions.has(name)) await register();
  if (!registry.functions.has(name)) throw new Error(`The registration module did not register '${name}'.`);
  return createDurableApp(registry, createLogger("none"), {}).runOrchestrator(name, "golden-history");
}

// ---- history events ---------------------------------------------------------------------------

const json = (v: unknown) => JSON.stringify(v);
export const orchestratorStarted = (t: Date) => historyEvent(EventType.OrchestratorStarted, t);
export const orchestratorCompleted = (t: Date) => historyEvent(EventType.OrchestratorCompleted, t);
export const executionStarted = (t: Date, name: string, input: unknown) => historyEvent(EventType.ExecutionStarted, t, { Name: name, Input: json(input), Version: "" });
export const taskScheduled = (t: Date, id: number, name: string, input: unknown) => historyEvent(EventType.TaskScheduled, t, { EventId: id, Name: name, Input: json(input) });
export const taskCompleted = (t: Date, id: number, result: unknown) => historyEvent(EventType.TaskCompleted, t, { TaskScheduledId: id, Result: json(result) });
export const taskFailed = (t: Date, id: number, reason: string) => historyEvent(EventType.TaskFailed, t, { TaskScheduledId: id, Reason: reason, Details: `Error: ${reason}\n    at activity` });
export const timerCreated = (t: Date, id: number, fireAt: Date) => historyEvent(EventType.TimerCreated, t, { EventId: id, FireAt: fireAt.toISOString() });
export const timerFired = (t: Date, id: number, fireAt: Date) => historyEvent(EventType.TimerFired, t, { TimerId: id, FireAt: fireAt.toISOString() });
export const eventRaised = (t: Date, name: string, input: unknown) => historyEvent(EventType.EventRaised, t, { Name: name, Input: json(input) });

/** What arrives between two episodes; the episode's time is filled in by `GoldenHistory.next`. */
export type Arrival = (t: Date) => HistoryEvent;
export const completed = (id: number, result: unknown): Arrival => (t) => taskCompleted(t, id, result);
export const failed = (id: number, reason: string): Arrival => (t) => taskFailed(t, id, reason);
/** An activity that threw `error`, recorded as the host records it (emulators/functions-host/durable/work-items.ts). */
export const failedWith =
  (id: number, name: string, error: Error): Arrival =>
  (t) =>
    historyEvent(EventType.TaskFailed, t, { TaskScheduledId: id, Reason: `Activity function '${name}' failed: ${error.message}`, Details: `${error.name}: ${error.message}\n    at activity` });
export const fired = (id: number, fireAt: Date): Arrival => (t) => timerFired(t, id, fireAt);
export const raised = (name: string, input: unknown): Arrival => (t) => eventRaised(t, name, input);

/**
 * A recorded history, written episode by episode as DTFx writes it: OrchestratorStarted, what arrived,
 * what the orchestrator scheduled (ids handed out in scheduling order, as DTFx's idCounter does),
 * OrchestratorCompleted. The last episode stays open: replaying asks what the orchestrator does next.
 */
export class GoldenHistory {
  readonly events: HistoryEvent[] = [];
  #ids = 0;
  #time: Date;

  constructor(start: Date, name: string, input: unknown) {
    this.#time = start;
    this.events.push(orchestratorStarted(start), executionStarted(start, name, input));
  }

  /** Time of the open episode. */
  get time(): Date {
    return this.#time;
  }

  /** The open episode scheduled an activity; returns its task id. */
  activity(name: string, input: unknown): number {
    const id = this.#ids++;
    this.events.push(taskScheduled(this.#time, id, name, input));
    return id;
  }

  /** The open episode created a durable timer; returns its timer id. */
  timer(fireAt: Date): number {
    const id = this.#ids++;
    this.events.push(timerCreated(this.#time, id, fireAt));
    return id;
  }

  /** Closes the open episode and opens the next one at `t`, with these events delivered. */
  next(t: Date, ...arrivals: Arrival[]): this {
    this.events.push(orchestratorCompleted(this.#time));
    this.#time = t;
    this.events.push(orchestratorStarted(t), ...arrivals.map((a) => a(t)));
    return this;
  }

  /** A copy to branch from (two endings of one story). */
  fork(): GoldenHistory {
    const copy = new GoldenHistory(this.#time, "", null);
    copy.events.splice(0, copy.events.length, ...this.events.map((e) => ({ ...e })));
    copy.#ids = this.#ids;
    copy.#time = this.#time;
    return copy;
  }
}

// ---- replay -----------------------------------------------------------------------------------

/** DTFx-level work: what the extension writes as TaskScheduled / TimerCreated for the actions. */
export type Scheduled = { id: number; activity: string; input: unknown } | { id: number; timer: string };

/**
 * The SDK's actions, readable: activity calls, timers, event waits, Task.any / Task.all. Plain calls
 * and the SDK's retrying calls read the same (`rawActions` tells them apart).
 */
export type SdkAction =
  | { call: string; input: unknown }
  | { timer: string; canceled: boolean }
  | { waitFor: string }
  | { any: SdkAction[] }
  | { all: SdkAction[] }
  | { other: number };

export interface Replay {
  /** the SDK's OrchestratorState as returned to the extension */
  state: OrchestratorState;
  /** work scheduled in the open episode (not yet in the history), under the ids DTFx gives it */
  next: Scheduled[];
  /** every action of this execution so far, in order */
  actions: SdkAction[];
  customStatus: unknown;
  done: boolean;
  output: unknown;
  error: string | undefined;
}

export interface RawAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: RawAction[];
  retryOptions?: Record<string, number>;
}

/** The SDK JSON-encodes string inputs of activity calls only; objects come as they are. */
function actionInput(a: RawAction): unknown {
  return typeof a.input === "string" ? JSON.parse(a.input) : a.input;
}

export function readableAction(a: RawAction): SdkAction {
  switch (a.actionType) {
    case 0:
    case 1:
      return { call: a.functionName ?? "", input: actionInput(a) };
    case 5:
      return { timer: new Date(a.fireAt ?? "").toISOString(), canceled: a.isCanceled === true };
    case 6:
      return { waitFor: a.externalEventName ?? "" };
    case 11:
      return { any: (a.compoundActions ?? []).map(readableAction) };
    case 12:
      return { all: (a.compoundActions ?? []).map(readableAction) };
    default:
      return { other: a.actionType };
  }
}

/** The raw SDK actions of a replay (with what the readable form leaves out, such as an SDK retry policy). */
export function rawActions(r: Replay): RawAction[] {
  return (r.state.actions[0] ?? []) as RawAction[];
}

function readableLeaf(l: Leaf): Scheduled {
  if (l.kind === "timer") return { id: l.id, timer: new Date(l.fireAt ?? "").toISOString() };
  return { id: l.id, activity: l.name ?? "", input: l.input === undefined ? undefined : JSON.parse(l.input) };
}

function readableRecorded(e: HistoryEvent): Scheduled {
  if (e.EventType === EventType.TimerCreated) return { id: e.EventId, timer: new Date(e.FireAt ?? "").toISOString() };
  return { id: e.EventId, activity: e.Name ?? "", input: e.Input === undefined ? undefined : JSON.parse(e.Input) };
}

/** Thrown when the orchestrator's replay does not schedule what the golden history recorded (DTFx would call it nondeterminism). */
export class GoldenHistoryMismatch extends Error {}

/**
 * Replays `history` (its last episode is the current one) through the orchestrator, with the payload
 * the Durable extension sends (schema V3, 6-day short timers), and checks that every TaskScheduled and
 * TimerCreated in the history is what the orchestrator schedules under that id, with the same input.
 */
export async function replay(run: RunOrchestrator, history: GoldenHistory | readonly HistoryEvent[], instanceId: string): Promise<Replay> {
  const events = history instanceof GoldenHistory ? history.events : history;
  const lastStart = events.map((e) => e.EventType).lastIndexOf(EventType.OrchestratorStarted);
  if (lastStart < 0) throw new Error("A history needs an OrchestratorStarted event.");
  const marked = events.map((e, i) => ({ ...e, IsPlayed: i < lastStart }));
  const started = events.find((e) => e.EventType === EventType.ExecutionStarted);
  const payload: OrchestratorPayload = {
    history: marked,
    input: started?.Input === undefined ? undefined : JSON.parse(started.Input),
    instanceId,
    isReplaying: lastStart > 0,
    parentInstanceId: undefined,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: "3.00:00:00",
    maximumShortTimerDuration: "6.00:00:00",
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  const state = await run(payload);
  const raw = (state.actions[0] ?? []) as RawAction[];
  const leaves = replayActions(raw as Parameters<typeof replayActions>[0], marked, "golden-execution", new Date(events[lastStart]?.Timestamp ?? 0));
  const byId = new Map(leaves.map((l) => [l.id, readableLeaf(l)]));
  for (const e of events.filter(isCreatedEvent)) {
    const recorded = readableRecorded(e);
    const replayed = byId.get(e.EventId);
    if (!isDeepStrictEqual(replayed, recorded)) {
      throw new GoldenHistoryMismatch(`history recorded ${JSON.stringify(recorded)} but the replay scheduled ${JSON.stringify(replayed ?? "nothing")} under id ${e.EventId}`);
    }
  }
  const recordedIds = new Set(events.filter(isCreatedEvent).map((e) => e.EventId));
  return {
    state,
    next: leaves.filter((l) => !recordedIds.has(l.id)).map(readableLeaf),
    actions: raw.map(readableAction),
    customStatus: state.customStatus,
    done: state.isDone,
    output: state.output,
    error: state.error,
  };
}

/** Every stage of a recorded history: the history as it stood at the end of each episode, then the whole. */
export function episodes(history: GoldenHistory): HistoryEvent[][] {
  const ends = history.events.flatMap((e, i) => (e.EventType === EventType.OrchestratorCompleted ? [i] : []));
  return [...ends.map((i) => history.events.slice(0, i)), history.events];
}

// ---- clock watch ------------------------------------------------------------------------------

/**
 * Runs `fn` while the clock (Date.now, new Date(), Date(), performance.now) and randomness
 * (Math.random, crypto.randomUUID / getRandomValues) are watched; returns every read made from a
 * stack frame whose location matches `from`. Dates built from a value (new Date(ms)) are not reads.
 */
export async function watchClockReads<T>(from: RegExp, fn: () => Promise<T>): Promise<{ result: T; reads: string[] }> {
  const reads: string[] = [];
  const note = (what: string) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    const stack = new Error().stack ?? "";
    Error.stackTraceLimit = limit;
    const frame = stack.split("\n").slice(1).find((l) => from.test(l));
    if (frame) reads.push(`${what} ${frame.trim()}`);
  };
  const RealDate = globalThis.Date;
  const WatchedDate = new Proxy(RealDate, {
    construct(target, args) {
      if (args.length === 0) note("new Date()");
      return Reflect.construct(target, args);
    },
    apply(target, thisArg, args) {
      note("Date()");
      return Reflect.apply(target, thisArg, args);
    },
    get(target, prop) {
      if (prop === "now") return () => (note("Date.now()"), target.now());
      return Reflect.get(target, prop);
    },
  });
  const watched: [object, string, (...a: never[]) => unknown][] = [
    [Math, "random", Math.random],
    [performance, "now", performance.now.bind(performance)],
    [globalThis.crypto, "randomUUID", globalThis.crypto.randomUUID.bind(globalThis.crypto)],
    [globalThis.crypto, "getRandomValues", globalThis.crypto.getRandomValues.bind(globalThis.crypto)],
  ];
  const originals = watched.map(([obj, key]) => Object.getOwnPropertyDescriptor(obj, key));
  globalThis.Date = WatchedDate;
  for (const [obj, key, original] of watched) {
    Object.defineProperty(obj, key, { configurable: true, writable: true, value: (...args: never[]) => (note(`${key}()`), original(...args)) });
  }
  try {
    return { result: await fn(), reads };
  } finally {
    globalThis.Date = RealDate;
    watched.forEach(([obj, key], i) => {
      const d = originals[i];
      if (d) Object.defineProperty(obj, key, d);
      else delete (obj as Record<string, unknown>)[key];
    });
  }
}
