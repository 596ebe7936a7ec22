import type { RegisteredFunction } from "./core-api.js";
import { resolveSetting } from "./host-config.js";
import type { HostLogger } from "./logger.js";
import { parseSchedule, type Schedule } from "./ncrontab.js";

export type RunTimer = (fn: RegisteredFunction, timerInfo: Record<string, unknown>) => Promise<void>;

interface Running {
  fn: RegisteredFunction;
  schedule: Schedule;
  handle?: NodeJS.Timeout;
  last?: Date;
}

/** Longest single setTimeout (2^31-1 ms); longer waits are chained. */
const maxTimeout = 2_147_483_647;

/**
 * Fires timer triggers on their schedules (UTC), with `runOnStartup`. One occurrence at a time per
 * function, like the singleton lock of the real host (in this one process).
 */
export class TimerScheduler {
  private readonly running: Running[] = [];
  private stopped = false;

  constructor(
    private readonly run: RunTimer,
    private readonly logger: HostLogger,
  ) {}

  start(functions: RegisteredFunction[], env: Record<string, string | undefined>): void {
    for (const fn of functions) {
      const expr = resolveSetting(String(fn.trigger.schedule ?? ""), env);
      const entry: Running = { fn, schedule: parseSchedule(expr) };
      this.running.push(entry);
      this.logger.host("information", `Timer '${fn.name}' schedule "${expr}"; next run at ${entry.schedule.next(new Date()).toISOString()}.`);
      if (fn.trigger.runOnStartup === true) void this.fire(entry, false);
      else this.arm(entry);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const r of this.running) clearTimeout(r.handle);
  }

  private arm(entry: Running): void {
    if (this.stopped) return;
    const due = entry.schedule.next(new Date());
    const wait = () => {
      const left = due.getTime() - Date.now();
      if (left > maxTimeout) entry.handle = setTimeout(wait, maxTimeout);
      else entry.handle = setTimeout(() => void this.fire(entry, Date.now() - due.getTime() > 1000), Math.max(0, left));
    };
    wait();
  }

  private async fire(entry: Running, isPastDue: boolean): Promise<void> {
    const now = new Date();
    const info = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: { Last: (entry.last ?? now).toISOString(), Next: entry.schedule.next(now).toISOString(), LastUpdated: now.toISOString() },
      IsPastDue: isPastDue,
    };
    entry.last = now;
    try {
      await this.run(entry.fn, info);
    } catch (err) {
      this.logger.log({ level: "error", category: "host", functionName: entry.fn.name, message: `Timer run failed: ${(err as Error).message}` });
    }
    this.arm(entry);
  }
}
