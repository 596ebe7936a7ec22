import { randomUUID } from "node:crypto";
import { runEpisode, type EngineInstance, type RunOrchestrator } from "./engine.js";
import { dispatchWork, type Wakers } from "./dispatch.js";
import { EventType, historyEvent, type HistoryEvent } from "./history.js";
import { Poller } from "./poller.js";
import { ConflictError, terminalStatuses, type ControlMessage, type DurableStore, type InstanceRow, type Received } from "./store.js";
import type { HostLogger } from "../logger.js";
import { WorkItemRunner } from "./work-items.js";

/** How the durable worker reaches the app: run an orchestrator episode, run an activity. */
export interface DurableApp {
  hasOrchestrator(name: string): boolean;
  runOrchestrator(name: string, instanceId: string): RunOrchestrator;
  /** resolves to the JSON result text; rejects with the activity's error */
  runActivity(name: string, input: string | undefined, instanceId: string): Promise<string>;
}

export interface WorkerOptions {
  pollMinMs: number;
  pollMaxMs: number;
  visibilityMs: number;
  activityConcurrency: number;
}

type Msg = Received<ControlMessage>;

/**
 * The extension's dispatchers: an orchestration loop over the control queue (one episode per
 * instance per batch, committed by the instance row's ETag) and an activity loop over the
 * work-item queue.
 */
export class DurableWorker implements Wakers {
  private readonly controlPoller: Poller;
  private readonly workPoller: Poller;
  private readonly items: WorkItemRunner;

  constructor(
    private readonly store: DurableStore,
    private readonly app: DurableApp,
    private readonly logger: HostLogger,
    private readonly opts: WorkerOptions,
  ) {
    const onError = (err: unknown) => logger.host("error", `Durable dispatcher error: ${(err as Error).stack ?? String(err)}`);
    this.controlPoller = new Poller(() => this.controlStep(), opts.pollMinMs, opts.pollMaxMs, onError);
    this.items = new WorkItemRunner(store, app, logger, opts, (m) => this.enqueueLocal(m), (p) => this.track(p), () => this.work());
    this.workPoller = new Poller(() => this.items.step(), opts.pollMinMs, opts.pollMaxMs, onError);
  }

  start(): void {
    this.controlPoller.start();
    this.workPoller.start();
  }

  /**
   * Re-queues ExecutionStarted for instances still Pending without history: a crash between
   * creating the row and queuing its start would otherwise leave them waiting for ever. A duplicate
   * start is harmless (the engine ignores a second ExecutionStarted).
   */
  async recoverPending(): Promise<number> {
    const stuck = (await this.store.listInstances({ runtimeStatus: ["Pending"] })).filter((r) => r.historyLength === 0);
    for (const row of stuck) {
      const event = historyEvent(EventType.ExecutionStarted, new Date(row.createdTime), { Name: row.name, ...(row.input !== undefined ? { Input: row.input } : {}), ...(row.parent ? { ParentInstanceId: row.parent.instanceId } : {}), MessageId: randomUUID() });
      await this.store.sendControl({ instanceId: row.instanceId, executionId: row.executionId, event });
    }
    if (stuck.length) this.control();
    return stuck.length;
  }
  async stop(): Promise<void> {
    await Promise.all([this.controlPoller.stop(), this.workPoller.stop()]);
    await this.drain();
  }
  control(): void {
    this.controlPoller.wake();
  }
  work(): void {
    this.workPoller.wake();
  }

  private readonly pending = new Map<string, Msg[]>();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private held = 0;
  /** last committed row + history per running instance, so an episode need not read them back */
  private readonly cache = new Map<string, { row: InstanceRow; history: HistoryEvent[] }>();

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Waits for episodes and activity calls that are still running (used by stop). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private async controlStep(): Promise<boolean> {
    if (this.held >= 128) {
      await new Promise((r) => setTimeout(r, 5));
      return true;
    }
    const msgs = await this.store.receiveControl(32, this.opts.visibilityMs);
    if (msgs.length === 0) return false;
    for (const m of msgs) {
      this.pending.set(m.body.instanceId, [...(this.pending.get(m.body.instanceId) ?? []), m]);
      this.held++;
    }
    for (const id of new Set(msgs.map((m) => m.body.instanceId))) this.kick(id);
    return true;
  }

  /** Starts an episode for an instance unless one is running; messages that arrive meanwhile wait for the next. */
  private kick(instanceId: string): void {
    if (this.busy.has(instanceId)) return;
    const msgs = this.pending.get(instanceId);
    if (!msgs?.length) return;
    this.pending.delete(instanceId);
    this.busy.add(instanceId);
    const run = this.processInstance(instanceId, msgs)
      .catch((err: unknown) => {
        this.cache.delete(instanceId);
        for (const m of msgs) m.abandon?.();
        this.logger.host("error", `Orchestration ${instanceId}: ${(err as Error).stack ?? String(err)}`);
      })
      .finally(() => {
        this.busy.delete(instanceId);
        this.held -= msgs.length;
        this.kick(instanceId);
      });
    this.track(run);
  }

  private async load(instanceId: string): Promise<{ row: InstanceRow | undefined; history: HistoryEvent[] | undefined }> {
    const cached = this.cache.get(instanceId);
    if (cached) return cached;
    return { row: await this.store.getInstance(instanceId), history: undefined };
  }

  private async processInstance(instanceId: string, msgs: Msg[], fresh = false): Promise<void> {
    if (fresh) this.cache.delete(instanceId);
    const loaded = await this.load(instanceId);
    const row = loaded.row;
    const now = new Date();
    if (!row || terminalStatuses.has(row.status)) return void (await Promise.all(msgs.map((m) => m.complete())));
    const relevant: Msg[] = [];
    for (const m of msgs) {
      const fireAt = m.body.event.EventType === EventType.TimerFired ? Date.parse(m.body.event.FireAt ?? "") : 0;
      if (m.body.executionId && m.body.executionId !== row.executionId) await m.complete();
      else if (fireAt > now.getTime() + 20) {
        await this.store.sendControl(m.body, fireAt - now.getTime()); // long timer: wait again
        await m.complete();
      } else relevant.push(m);
    }
    if (relevant.length === 0) return;
    const inbox: HistoryEvent[] = relevant.map((m) => (m.body.event.EventType === EventType.TimerFired ? { ...m.body.event, Timestamp: now.toISOString() } : m.body.event));
    const past = loaded.history ?? (await this.store.readHistory(row));
    if (past.length === 0 && !inbox.some((e) => e.EventType === EventType.ExecutionStarted || e.EventType === EventType.ExecutionTerminated)) {
      // events for an instance that has not started yet: look again in a second
      for (const m of relevant) await this.store.sendControl(m.body, 1000);
      return void (await Promise.all(relevant.map((m) => m.complete())));
    }
    const inst: EngineInstance = { instanceId, name: row.name, executionId: row.executionId, parent: row.parent, canceledTimers: row.canceledTimers, suspended: row.status === "Suspended" };
    const run: RunOrchestrator = this.app.hasOrchestrator(row.name)
      ? this.app.runOrchestrator(row.name, instanceId)
      : async () => ({ isDone: false, actions: [[]], error: `The function '${row.name}' doesn't exist, is disabled, or is not an orchestrator function.` });
    const result = await runEpisode(inst, past, inbox, now, run);
    if (result) {
      try {
        // an episode that may have run before (redelivered messages, retry after a conflict) can queue duplicates
        const mustCheck = fresh || relevant.some((m) => m.dequeueCount > 1);
        await this.commit(row, past, result, now, mustCheck);
      } catch (err) {
        if (!(err instanceof ConflictError) || fresh) throw err;
        return this.processInstance(instanceId, msgs, true); // the row changed under us (purge, restart): redo from storage
      }
    }
    await Promise.all(relevant.map((m) => m.complete()));
  }

  private async commit(row: InstanceRow, past: HistoryEvent[], result: NonNullable<Awaited<ReturnType<typeof runEpisode>>>, now: Date, mustCheck: boolean): Promise<void> {
    await dispatchWork(this.store, this, result.work, now, mustCheck);
    let next: InstanceRow = { ...row, status: result.status, output: result.output, customStatus: result.customStatus ?? row.customStatus, historyLength: row.historyLength + result.newEvents.length, lastUpdatedTime: now.toISOString(), canceledTimers: result.canceledTimers };
    const can = result.work.find((w) => w.kind === "continueAsNew");
    if (can) {
      next = { ...next, status: "Running", executionId: randomUUID().replace(/-/g, ""), generation: row.generation + 1, historyLength: 0, input: can.input, output: undefined, canceledTimers: [] };
      const started = historyEvent(EventType.ExecutionStarted, now, { Name: row.name, ...(can.input !== undefined ? { Input: can.input } : {}), ...(row.parent ? { ParentInstanceId: row.parent.instanceId } : {}), MessageId: randomUUID() });
      await this.store.sendControl({ instanceId: row.instanceId, executionId: next.executionId, event: started });
    }
    const saved = await this.store.commitEpisode(row, result.newEvents, next);
    if (terminalStatuses.has(saved.status)) this.cache.delete(row.instanceId);
    else {
      this.cache.delete(row.instanceId);
      this.cache.set(row.instanceId, { row: saved, history: can ? [] : [...past, ...result.newEvents] });
      if (this.cache.size > 2000) this.cache.delete(this.cache.keys().next().value as string);
    }
    if (row.status !== next.status || can) this.logger.host("information", `Orchestration '${row.name}' (${row.instanceId}) is ${can ? "continuing as new" : next.status}.`);
  }

  private enqueueLocal(m: Msg): void {
    this.pending.set(m.body.instanceId, [...(this.pending.get(m.body.instanceId) ?? []), m]);
    this.held++;
    this.kick(m.body.instanceId);
  }
}
