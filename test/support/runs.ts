import type { LocalStack } from "../../scripts/local-stack/index.js";

/** The part of a run's status (`GET /api/aanleverpunten/{ap}/status`) the end-to-end tests read. */
export interface RunStatus {
  runtimeStatus: string;
  customStatus: { fase: string; reden?: string } | null;
  output: { fase: string; reden: string | null } | null;
}

/**
 * Polls an aanleverpunt's run status as the Beheerder until `until` holds or the run Failed, and returns
 * that status (the caller asserts on it); throws after `timeoutMs` with the last status seen.
 */
export async function waitForRun(stack: LocalStack, ap: string, until: (s: RunStatus) => boolean, timeoutMs: number): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  let s: RunStatus | undefined;
  for (;;) {
    const r = await stack.api(`/api/aanleverpunten/${ap}/status`);
    if (r.status === 200) {
      s = (await r.json()) as RunStatus;
      if (until(s) || s.runtimeStatus === "Failed") return s;
    }
    if (Date.now() > deadline) throw new Error(`run of ${ap} did not get far enough in time; last status ${JSON.stringify(s)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** A run that ended (or stopped for a person's decisions). */
export const ended = (s: RunStatus): boolean => s.runtimeStatus === "Completed";
export const endedOrWaiting = (s: RunStatus): boolean => s.customStatus?.fase === "WACHT_OP_BESLISSING" || ended(s);
