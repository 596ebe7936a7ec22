import { createHash } from "node:crypto";
import type { LvsWrite } from "../core/model.js";
import type { SyncDeps } from "./deps.js";

export interface LvsWriteOutcome {
  toegepast: number;
  conflicten: string[];
  onbekend: string[];
}

/**
 * Writes to LVS2000 through the relay. Each write carries the row version the cloud last saw (read
 * fresh from the relay here, so a write never overwrites a change made since) and a request id derived
 * from `requestKey`, so a retried activity repeats the same requests and the relay applies each once.
 * A version conflict or an unknown pupil is reported back, never forced.
 */
export async function writeToLvs(deps: SyncDeps, aanleverpunt: string, writes: readonly { requestKey: string; write: LvsWrite }[]): Promise<LvsWriteOutcome> {
  const outcome: LvsWriteOutcome = { toegepast: 0, conflicten: [], onbekend: [] };
  if (writes.length === 0) return outcome;
  const { snapshot } = await deps.relay.snapshot(aanleverpunt);
  const versions = new Map(snapshot.leerlingen.map((l) => [l.id, l.rowVersion ?? ""]));
  for (const { requestKey, write } of writes) {
    const rowVersion = versions.get(write.leerlingId);
    if (!rowVersion) {
      outcome.onbekend.push(write.leerlingId);
      continue;
    }
    const requestId = `w-${createHash("sha256").update(`${aanleverpunt}|${requestKey}`).digest("hex").slice(0, 40)}`;
    const r = await deps.relay.write({ requestId, rowVersion, write });
    if (r.status === "TOEGEPAST") {
      outcome.toegepast++;
      versions.set(write.leerlingId, r.rowVersion);
    } else if (r.status === "CONFLICT") outcome.conflicten.push(write.leerlingId);
    else outcome.onbekend.push(write.leerlingId);
  }
  return outcome;
}
