import type { OrchestrationContext, Task } from "durable-functions";
import { failureOf, type ActivityFailure } from "../activities/failures.js";

/**
 * The sync's retry policy, run by the orchestration itself (Durable Functions' own RetryOptions
 * retries every failure alike): a failure that retrying can heal (network, timeout, 5xx) is retried
 * with back-off, 5 s doubling up to 60 s, four attempts in all; one that cannot (a missing
 * certificate, an aanleverpunt unknown to LVS2000 or BRON, a contract breach) is not retried at all
 * and ends the run as refused (RunRefused). Every retried failure is counted for the run's status,
 * so the admin sees what went wrong even when the run gets through. Deterministic: it reads only
 * the failures recorded in history and context.df's clock.
 */

export const MAX_ATTEMPTS = 4;
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 60_000;

/** The run cannot go on until a person acts; `reden` is Dutch. */
export class RunRefused extends Error {
  constructor(readonly reden: string, readonly code: string) {
    super(reden);
    this.name = "RunRefused";
  }
}

/** Dutch names of the steps, as the admin knows them. */
const STEP_NAMES: Readonly<Record<string, string>> = {
  ophalenTerugkoppeling: "ophalen terugkoppeling",
  ophalenRegistratieoverzicht: "registratieoverzicht aanvragen",
  actiesBepalen: "acties bepalen",
  controleren: "controleren",
  verwerkenEnVerzenden: "verwerken en verzenden",
  opruimen: "opruimen",
};

export interface RetryLog {
  /** a Dutch summary of the transient failures retried so far, or undefined when there were none */
  summary(): string | undefined;
}

export function createRetrying(context: OrchestrationContext, onRetried: () => void = () => undefined) {
  const retried = new Map<string, { count: number; codes: Set<string>; last: string }>();

  function* call<T>(name: string, input: unknown): Generator<Task, T, unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (yield context.df.callActivity(name, input)) as T;
      } catch (e) {
        const f: ActivityFailure = failureOf(e) ?? { herstelbaar: true, code: "ONBEKEND", reden: "Onbekende fout in een stap van de synchronisatie." };
        if (!f.herstelbaar) throw new RunRefused(f.reden, f.code);
        if (attempt >= MAX_ATTEMPTS) throw e;
        const step = STEP_NAMES[name] ?? name;
        const seen = retried.get(step) ?? { count: 0, codes: new Set<string>(), last: f.reden };
        seen.count++;
        seen.codes.add(f.code);
        seen.last = f.reden;
        retried.set(step, seen);
        onRetried();
        const delay = Math.min(FIRST_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + delay));
      }
    }
  }

  const log: RetryLog = {
    summary() {
      if (retried.size === 0) return undefined;
      const parts = [...retried].map(([step, s]) => `${step}: ${s.count}× opnieuw geprobeerd (${[...s.codes].join(", ")}; laatst: ${s.last})`);
      return `Tijdelijke storingen: ${parts.join(" ")}`;
    },
  };
  return { call, log };
}
