import { failureOf } from "../activities/failures.js";

/**
 * What the admin API shows of a sync run. A failed run's output is the error as Durable Functions
 * recorded it (message and stack, with file paths): it is replaced by the Dutch reason the failing
 * activity gave (src/activities/failures.ts), or a general one; the details stay in the log.
 */

export interface RunStatusInput {
  instanceId: string;
  runtimeStatus: string;
  customStatus?: unknown;
  output?: unknown;
  createdTime?: Date | string;
  lastUpdatedTime?: Date | string;
}

export interface RunStatusView {
  instanceId: string;
  runtimeStatus: string;
  customStatus: unknown;
  output: unknown;
  /** Dutch: why the run failed or was refused; null otherwise */
  reden: string | null;
  createdTime: string | null;
  lastUpdatedTime: string | null;
}

export const GENERAL_FAILURE = "De synchronisatie is afgebroken door een onverwachte fout in de dienst. De details staan in het logboek; probeer het later opnieuw of neem contact op met de beheerder.";

const iso = (d: Date | string | undefined) => (d === undefined ? null : d instanceof Date ? d.toISOString() : String(d));

function customReden(custom: unknown): string | null {
  const r = (custom as { reden?: unknown } | null | undefined)?.reden;
  return typeof r === "string" ? r : null;
}

export function runStatusView(s: RunStatusInput): RunStatusView {
  const failed = s.runtimeStatus === "Failed";
  const reden = failed ? (failureOf(s.output)?.reden ?? GENERAL_FAILURE) : customReden(s.customStatus);
  return {
    instanceId: s.instanceId,
    runtimeStatus: s.runtimeStatus,
    customStatus: s.customStatus ?? null,
    output: failed ? { fase: "MISLUKT", reden } : (s.output ?? null),
    reden,
    createdTime: iso(s.createdTime),
    lastUpdatedTime: iso(s.lastUpdatedTime),
  };
}
