import type { DurableClient } from "durable-functions";
import { SYNC_ORCHESTRATION, syncInstanceId } from "./names.js";
import type { SyncInput } from "./sync-aanleverpunt.js";

export type StartOutcome = { gestart: true; instanceId: string } | { gestart: false; instanceId: string; reden: string };

const RUNNING = new Set(["Running", "Pending", "ContinuingAsNew", "Suspended"]);

/**
 * Starts the sync of one aanleverpunt unless one is already running: there is one orchestration per
 * aanleverpunt (fixed instance id), so a timer and a manual run can never send the same actions twice.
 */
export async function startSync(client: DurableClient, input: SyncInput): Promise<StartOutcome> {
  const instanceId = syncInstanceId(input.aanleverpunt);
  const current = await client.getStatus(instanceId).catch(() => undefined);
  if (current && RUNNING.has(String(current.runtimeStatus))) {
    return { gestart: false, instanceId, reden: "Er loopt al een synchronisatie voor dit aanleverpunt." };
  }
  await client.startNew(SYNC_ORCHESTRATION, { instanceId, input });
  return { gestart: true, instanceId };
}
