import { randomUUID } from "node:crypto";
import { runEpisode, type EngineInstance, type RunOrchestrator } from "./engine.js";
import { dispatchWork, type Wakers } from "./dispatch.js";
import { EventType, historyEvent, type HistoryEvent } from "./history.js";
import { Poller } from "./poller.js";
import { ConflictError, terminalStatuses, type ControlMessage, type DurableStore, type InstanceRow, type Received, type WorkMessage } from "./store.js";
import type { HostLogger } from "../logger.js";

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

  constructor(
    private readonly store: DurableStore,
    private readonly app: DurableApp,
    private readonly logger: HostLogger,
    private readonly opts: WorkerOptions,
  ) {
    const onError = (err: unknown) => logger.host("error", `Durable dispatcher error: ${(err as Error).stack ?? String(err)}`);
    this.controlPoller = new Poller(() => this.controlStep(), opts.pollMinMs, opts.pollMaxMs, onError);
    this.workPoller = new Poller(() => this.workStep(), opts.pollMinMs, opts.pollMaxMs, onError);
  }

  start(): void {
    this.controlPoller.start();
    this.workPoller.start();
  }
  async stop(): Promise<void> {
    await Promise.all([this.controlPoller.stop(), this.workPoller.stop()]);
  }
  control(): void {
    this.controlPoller.wake();
  }
  work(): void {
    this.workPoller.wake();
  }

  private async controlStep(): Promise<boolean> {
    const msgs = await this.store.receiveControl(32, this.opts.visibilityMs);
    if (msgs.length === 0) return false;
    const groups = new Map<string, Msg[]>();
    for (const m of msgs) groups.set(m.body.instanceId, [...(groups.get(m.body.instanceId) ?? []), m]);
    await Promise.all([...groups].map(([id, group]) => this.processInstance(id, group).catch((err: unknown) => this.logger.host("error", `Orchestration ${id}: ${(err as Error).stack ?? String(err)}`))));
    return true;
  }

  private async processInstance(instanceId: string, msgs: Msg[]): Promise<void> {
    const row = await this.store.getInstance(instanceId);
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
    const past = await this.store.readHistory(row);
    if (past.length === 0 && !inbox.some((e) => e.EventType === EventType.ExecutionStarted || e.EventType === EventType.ExecutionTerminated)) return; // wait for the start
    const inst: EngineInstance = { instanceId, name: row.name, executionId: row.executionId, parent: row.parent, canceledTimers: row.canceledTimers };
    const run: RunOrchestrator = this.app.hasOrchestrator(row.name)
      ? this.app.runOrchestrator(row.name, instanceId)
      : async () => ({ isDone: false, actions: [[]], error: `The function '${row.name}' doesn't exist, is disabled, or is not an orchestrator function.` });
    const result = await runEpisode(inst, past, inbox, now, run);
    if (result) await this.commit(row, result, now);
    await Promise.all(relevant.map((m) => m.complete()));
  }

  private async commit(row: InstanceRow, result: NonNullable<Awaited<ReturnType<typeof runEpisode>>>, now: Date): Promise<void> {
    await this.store.writeHistory(row, row.historyLength, result.newEvents);
    await dispatchWork(this.store, this, result.work, now);
    let next: InstanceRow = { ...row, status: result.status, output: result.output, customStatus: result.customStatus ?? row.customStatus, historyLength: row.historyLength + result.newEvents.length, lastUpdatedTime: now.toISOString(), canceledTimers: result.canceledTimers };
    const can = result.work.find((w) => w.kind === "continueAsNew");
    if (can) {
      next = { ...next, status: "Running", executionId: randomUUID().replace(/-/g, ""), generation: row.generation + 1, historyLength: 0, input: can.input, output: undefined, canceledTimers: [] };
      const started = historyEvent(EventType.ExecutionStarted, now, { Name: row.name, ...(can.input !== undefined ? { Input: can.input } : {}), ...(row.parent ? { ParentInstanceId: row.parent.instanceId } : {}), MessageId: randomUUID() });
      await this.store.sendControl({ instanceId: row.instanceId, executionId: next.executionId, event: started });
    }
    try {
      await this.store.putInstance(next, row.etag);
    } catch (err) {
      if (err instanceof ConflictError) throw new Error(`Instance ${row.instanceId} changed while its episode ran; the episode will be retried.`, { cause: err });
      throw err;
    }
    if (row.status !== next.status || can) this.logger.host("information", `Orchestration '${row.name}' (${row.instanceId}) is ${can ? "continuing as new" : next.status}.`);
  }

  private async workStep(): Promise<boolean> {
    const msgs = await this.store.receiveWork(this.opts.activityConcurrency, this.opts.visibilityMs);
    if (msgs.length === 0) return false;
    await Promise.all(msgs.map((m) => this.runWorkItem(m)));
    return true;
  }

  private async runWorkItem(m: Received<WorkMessage>): Promise<void> {
    const w = m.body;
    if (await this.store.isTaskCompleted(w.instanceId, w.executionId, w.taskId)) {
      this.logger.host("debug", `Activity '${w.name}' #${w.taskId} of ${w.instanceId} already has a recorded completion; not running it again.`);
      return m.complete();
    }
    let event: HistoryEvent;
    try {
      const result = await this.app.runActivity(w.name, w.input, w.instanceId);
      event = historyEvent(EventType.TaskCompleted, new Date(), { TaskScheduledId: w.taskId, Result: result });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      event = historyEvent(EventType.TaskFailed, new Date(), { TaskScheduledId: w.taskId, Reason: `Activity function '${w.name}' failed: ${e.message}`, Details: e.stack ?? "" });
    }
    await this.store.sendControl({ instanceId: w.instanceId, executionId: w.executionId, event });
    this.control();
    await m.complete();
  }
}
