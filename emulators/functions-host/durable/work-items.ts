import { EventType, historyEvent, type HistoryEvent } from "./history.js";
import type { ControlMessage, DurableStore, Received, WorkMessage } from "./store.js";
import type { DurableApp, WorkerOptions } from "./worker.js";
import type { HostLogger } from "../logger.js";

/**
 * The activity side of the durable worker: takes work items off the queue (as many as there is
 * room for), keeps them leased while they run, skips calls whose completion is already recorded,
 * and delivers each result to the orchestration dispatcher of this process.
 */
export class WorkItemRunner {
  private runningItems = 0;

  constructor(
    private readonly store: DurableStore,
    private readonly app: DurableApp,
    private readonly logger: HostLogger,
    private readonly opts: WorkerOptions,
    private readonly deliver: (m: Received<ControlMessage>) => void,
    private readonly track: (p: Promise<void>) => void,
    private readonly wake: () => void,
  ) {}

  async step(): Promise<boolean> {
    const room = this.opts.activityConcurrency - this.runningItems;
    if (room <= 0) {
      await new Promise((r) => setTimeout(r, 5));
      return true;
    }
    const msgs = await this.store.receiveWork(room, this.opts.visibilityMs);
    if (msgs.length === 0) return false;
    for (const m of msgs) {
      this.runningItems++;
      this.track(
        this.runWorkItem(m)
          .catch((err: unknown) => this.logger.host("error", `Activity '${m.body.name}': ${(err as Error).stack ?? String(err)}`))
          .finally(() => {
            this.runningItems--;
            this.wake();
          }),
      );
    }
    return true;
  }

  /** Keeps a work item leased while its activity runs and until its result is committed; `stop` ends that. */
  private keepLeased(m: Received<WorkMessage>): { m: Received<WorkMessage>; stop: () => void } {
    const renew = m.renew;
    if (!renew) return { m, stop: () => undefined };
    const every = Math.max(1000, this.opts.visibilityMs / 2);
    const timer = setInterval(() => void renew(this.opts.visibilityMs).catch(() => clearInterval(timer)), every);
    timer.unref();
    const stop = () => clearInterval(timer);
    return { m: { ...m, complete: async () => (stop(), m.complete()), abandon: stop }, stop };
  }

  private async runWorkItem(received: Received<WorkMessage>): Promise<void> {
    const { m, stop } = this.keepLeased(received);
    try {
      await this.runLeased(m);
    } catch (err) {
      stop();
      throw err;
    }
  }

  private async runLeased(m: Received<WorkMessage>): Promise<void> {
    const w = m.body;
    if ((w.mustCheck || m.dequeueCount > 1) && (await this.store.isTaskCompleted(w.instanceId, w.executionId, w.taskId))) {
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
    // The result goes straight to this process's orchestration dispatcher; the work item is deleted
    // only after the episode that records the completion commits (a crash re-runs the activity).
    this.deliver({ body: { instanceId: w.instanceId, executionId: w.executionId, event }, dequeueCount: m.dequeueCount, complete: () => m.complete(), ...(m.abandon ? { abandon: m.abandon } : {}) });
  }
}
