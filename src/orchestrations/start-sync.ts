import type { DurableClient } from "durable-functions";
import { SYNC_ORCHESTRATION, syncInstanceId } from "./names.js";
import type { SyncInput } from "./sync-aanleverpunt.js";

export type StartOutcome = { gestart: true; instanceId: string; vervangen: boolean } | { gestart: false; instanceId: string; reden: string };

const RUNNING = new Set(["Running", "Pending", "ContinuingAsNew", "Suspended"]);
const FINISHED = new Set(["Completed", "Failed", "Terminated", "Canceled"]);

/**
 * Starts the sync of one aanleverpunt unless one is already running: there is one orchestration per
 * aanleverpunt (fixed instance id), so a timer and a manual run can never send the same actions twice.
 * With `vervangWachtend` (the daily run) a run that is only waiting for decisions is ended and a fresh
 * one started — it would otherwise keep the day's feedback from being fetched. Its decisions are kept
 * (they are stored, not held by the run).
 */
export async function startSync(client: DurableClient, input: SyncInput, opts: { vervangWachtend?: boolean } = {}): Promise<StartOutcome> {
  const instanceId = syncInstanceId(input.aanleverpunt);
  const current = await client.getStatus(instanceId).catch(() => undefined);
  let vervangen = false;
  if (current && RUNNING.has(String(current.runtimeStatus))) {
    const waiting = (current.customStatus as { fase?: string } | null)?.fase === "WACHT_OP_BESLISSING";
    if (!(opts.vervangWachtend && waiting)) return { gestart: false, instanceId, reden: "Er loopt al een synchronisatie voor dit aanleverpunt." };
    await client.terminate(instanceId, "vervangen door de dagelijkse synchronisatie");
    if (!(await finished(client, instanceId))) return { gestart: false, instanceId, reden: "De wachtende synchronisatie kon niet worden beëindigd." };
    vervangen = true;
  }
  await client.startNew(SYNC_ORCHESTRATION, { instanceId, input });
  return { gestart: true, instanceId, vervangen };
}

async function finished(client: DurableClient, instanceId: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const s = await client.getStatus(instanceId).catch(() => undefined);
    if (!s || FINISHED.has(String(s.runtimeStatus))) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
