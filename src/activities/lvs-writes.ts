import { createHash } from "node:crypto";
import { withVersionCheck } from "../adapters/lvs/relay-client.js";
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

/**
 * The same write on the same day is the same request: a retried activity repeats it, the relay applies it once.
 * A write based on the row version a person saw carries that version too: after a conflict, the same value
 * asked again on the row as it is now is a new request.
 */
export function lvsRequestId(aanleverpunt: string, today: string, write: LvsWrite, basis?: string): string {
  const seen = basis === undefined ? "" : `|${basis}`;
  return `w-${createHash("sha256").update(`${aanleverpunt}|${today}|${JSON.stringify(write)}${seen}`).digest("hex").slice(0, 40)}`;
}

export interface WriteOptions {
  /**
   * The row version each pupil had when a person looked at it (leerlingId → row version): the write is
   * based on that version instead of one read now, so a row changed since then is a conflict, never overwritten.
   */
  basis?: ReadonlyMap<string, string>;
}

/**
 * Writes to LVS2000 through the relay, through an outbox: the first attempt plans each write (request
 * id, and the row version the cloud read — never one read after its own write) and stores the plan;
 * every attempt then sends exactly the planned requests, so a retry after a crash or a timeout repeats
 * identical requests and the relay applies each once. A changed row is a conflict, never an overwrite.
 * Entries left unanswered by an interrupted attempt are sent too; answered ones are kept for the day, so
 * asking for the same write again returns the recorded answer instead of a new request.
 * Before its first request to the relay it asks the relay's API version: a relay it does not speak gets
 * nothing (IncompatibleVersionError, before anything is planned).
 */
export async function writeToLvs(syncDeps: SyncDeps, aanleverpunt: string, today: string, writes: readonly LvsWrite[], options: WriteOptions = {}): Promise<LvsWriteOutcome> {
  const relay = withVersionCheck(syncDeps.relay(aanleverpunt));
  const deps: SyncDeps = { ...syncDeps, relay: () => relay };
  const outcome: LvsWriteOutcome = { toegepast: 0, conflicten: [], onbekend: [], afgehandeld: new Map() };
  for (const w of await planWrites(deps, aanleverpunt, today, writes, options.basis)) {
    outcome.onbekend.push(w.write.leerlingId);
    outcome.afgehandeld.set(w.requestId, "ONBEKEND");
  }
  const wanted = new Set(writes.map((w) => lvsRequestId(aanleverpunt, today, w, options.basis?.get(w.leerlingId))));
  const chained = new Map<string, string>();
  for (const e of await deps.state.loadOutbox(aanleverpunt)) {
    let done = e;
    if (e.resultaat === null) {
      // not answered yet: this attempt's, or one an interrupted attempt left behind
      const rowVersion = e.rowVersion ?? chained.get(e.write.leerlingId);
      if (rowVersion === undefined) done = { ...e, resultaat: "CONFLICT", nieuweRowVersion: null }; // the write before it did not go through
      else {
        const r = await deps.relay(aanleverpunt).write({ requestId: e.requestId, rowVersion, write: e.write });
        done = { ...e, resultaat: r.status, nieuweRowVersion: r.status === "TOEGEPAST" ? r.rowVersion : null };
      }
      await deps.state.recordOutboxResult(aanleverpunt, done);
    }
    if (done.nieuweRowVersion !== null) chained.set(e.write.leerlingId, done.nieuweRowVersion);
    if (!wanted.has(e.requestId) && e.resultaat !== null) continue; // an earlier call's, already reported
    outcome.afgehandeld.set(e.requestId, done.resultaat ?? "CONFLICT");
    if (done.resultaat === "TOEGEPAST") outcome.toegepast++;
    else if (done.resultaat === "ONBEKEND") outcome.onbekend.push(e.write.leerlingId);
    else outcome.conflicten.push(e.write.leerlingId);
  }
  return outcome;
}

/** Plans the writes not planned yet; returns those for pupils LVS2000 does not know (not planned). */
async function planWrites(deps: SyncDeps, aanleverpunt: string, today: string, writes: readonly LvsWrite[], basis?: ReadonlyMap<string, string>): Promise<{ requestId: string; write: LvsWrite }[]> {
  await deps.state.clearOutboxBefore(aanleverpunt, today);
  if (writes.length === 0) return [];
  const planned = new Set((await deps.state.loadOutbox(aanleverpunt)).map((e) => e.requestId));
  const fresh = writes.map((write) => ({ write, requestId: lvsRequestId(aanleverpunt, today, write, basis?.get(write.leerlingId)) })).filter((w) => !planned.has(w.requestId));
  if (fresh.length === 0) return [];
  const versions = basis ?? new Map((await deps.relay(aanleverpunt).snapshot(aanleverpunt)).snapshot.leerlingen.map((l) => [l.id, l.rowVersion ?? ""]));
  const unknown = fresh.filter((w) => !versions.get(w.write.leerlingId));
  const seen = new Set<string>();
  const base = Date.now();
  const entries: OutboxEntry[] = fresh
    .filter((w) => versions.get(w.write.leerlingId))
    .map(({ write, requestId }, i) => {
      const first = !seen.has(write.leerlingId);
      seen.add(write.leerlingId);
      return { requestId, dag: today, volgorde: base + i, rowVersion: first ? (versions.get(write.leerlingId) ?? null) : null, write, resultaat: null, nieuweRowVersion: null };
    });
  await deps.state.addToOutbox(aanleverpunt, entries);
  return unknown;
}
