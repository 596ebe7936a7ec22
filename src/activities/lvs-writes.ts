import { createHash } from "node:crypto";
import type { OutboxEntry } from "../adapters/state/state-store.js";
import type { LvsWrite } from "../core/model.js";
import type { SyncDeps } from "./deps.js";

export interface LvsWriteOutcome {
  toegepast: number;
  /** leerling ids whose row changed in LVS2000 since it was read: nothing written */
  conflicten: string[];
  onbekend: string[];
  /** request ids that were applied, conflicted or unknown (so callers can tell which write ended how) */
  afgehandeld: Map<string, "TOEGEPAST" | "CONFLICT" | "ONBEKEND">;
}

/** The same write on the same day is the same request: a retried activity repeats it, the relay applies it once. */
export function lvsRequestId(aanleverpunt: string, today: string, write: LvsWrite): string {
  return `w-${createHash("sha256").update(`${aanleverpunt}|${today}|${JSON.stringify(write)}`).digest("hex").slice(0, 40)}`;
}

/**
 * Writes to LVS2000 through the relay, through an outbox: the first attempt plans each write (request
 * id, and the row version the cloud read — never one read after its own write) and stores the plan;
 * every attempt then sends exactly the planned requests, so a retry after a crash or a timeout repeats
 * identical requests and the relay applies each once. A changed row is a conflict, never an overwrite.
 * Entries left from an earlier, interrupted attempt are sent first.
 */
export async function writeToLvs(deps: SyncDeps, aanleverpunt: string, today: string, writes: readonly LvsWrite[]): Promise<LvsWriteOutcome> {
  const outcome: LvsWriteOutcome = { toegepast: 0, conflicten: [], onbekend: [], afgehandeld: new Map() };
  for (const w of await planWrites(deps, aanleverpunt, today, writes)) {
    outcome.onbekend.push(w.write.leerlingId);
    outcome.afgehandeld.set(w.requestId, "ONBEKEND");
  }
  const chained = new Map<string, string>();
  for (const e of await deps.state.loadOutbox(aanleverpunt)) {
    const rowVersion = e.rowVersion ?? chained.get(e.write.leerlingId);
    if (rowVersion === undefined) {
      // the write before it to this pupil did not go through: nothing to base this one on
      outcome.conflicten.push(e.write.leerlingId);
      outcome.afgehandeld.set(e.requestId, "CONFLICT");
    } else {
      const r = await deps.relay.write({ requestId: e.requestId, rowVersion, write: e.write });
      outcome.afgehandeld.set(e.requestId, r.status);
      if (r.status === "TOEGEPAST") {
        outcome.toegepast++;
        chained.set(e.write.leerlingId, r.rowVersion);
      } else if (r.status === "CONFLICT") outcome.conflicten.push(e.write.leerlingId);
      else outcome.onbekend.push(e.write.leerlingId);
    }
    await deps.state.removeFromOutbox(aanleverpunt, e.requestId);
  }
  return outcome;
}

/** Plans the writes not planned yet; returns those for pupils LVS2000 does not know (not planned). */
async function planWrites(deps: SyncDeps, aanleverpunt: string, today: string, writes: readonly LvsWrite[]): Promise<{ requestId: string; write: LvsWrite }[]> {
  if (writes.length === 0) return [];
  const planned = new Set((await deps.state.loadOutbox(aanleverpunt)).map((e) => e.requestId));
  const fresh = writes.map((write) => ({ write, requestId: lvsRequestId(aanleverpunt, today, write) })).filter((w) => !planned.has(w.requestId));
  if (fresh.length === 0) return [];
  const { snapshot } = await deps.relay.snapshot(aanleverpunt);
  const versions = new Map(snapshot.leerlingen.map((l) => [l.id, l.rowVersion ?? ""]));
  const unknown = fresh.filter((w) => !versions.get(w.write.leerlingId));
  const seen = new Set<string>();
  const base = Date.now();
  const entries: OutboxEntry[] = fresh
    .filter((w) => versions.get(w.write.leerlingId))
    .map(({ write, requestId }, i) => {
      const first = !seen.has(write.leerlingId);
      seen.add(write.leerlingId);
      return { requestId, volgorde: base + i, rowVersion: first ? (versions.get(write.leerlingId) ?? null) : null, write };
    });
  await deps.state.addToOutbox(aanleverpunt, entries);
  return unknown;
}
