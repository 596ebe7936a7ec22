import { firstSeenOf, memoryFrom, mergeDetermined } from "../core/action-list.js";
import { goesAhead, waitsForDecision } from "../core/action-lifecycle.js";
import { determineActions } from "../core/determine-actions.js";
import { IncompatibleVersionError } from "../errors.js";
import type { ActivityInput, SyncDeps } from "./deps.js";
import { saveSnapshot, snapshotBlobName } from "./snapshots.js";

export type DetermineActivityResult =
  | { geweigerd: true; reden: string }
  | { geweigerd: false; automatisch: number; wachtOpBeslissing: number; lvsProblemen: number; snapshot: string };

/**
 * Acties bepalen: reads LVS2000 through the relay (kept as a blob for the later steps of this run),
 * diffs it with the mirror and merges the result into the stored actions, keeping decisions already
 * made. Refuses, with the reason, when the relay at the school speaks another API version (asked on
 * every run, before LVS2000 is read) or when the registratieoverzicht is too old.
 */
export function makeDetermine(deps: SyncDeps) {
  return async (input: ActivityInput): Promise<DetermineActivityResult> => {
    const ap = input.aanleverpunt;
    try {
      await deps.relay(ap).requireCompatibleVersion();
    } catch (e) {
      if (!(e instanceof IncompatibleVersionError)) throw e;
      await deps.state.audit(ap, deps.now(), { op: "BEPALEN", door: "systeem", wat: "acties bepalen geweigerd", details: { reden: e.reden } });
      return { geweigerd: true, reden: e.reden };
    }
    const [{ snapshot, problems }, mirror, stored, decisions, firstSeen] = await Promise.all([
      deps.relay(ap).snapshot(ap),
      deps.state.loadMirror(ap),
      deps.state.loadActions(ap),
      deps.state.loadDecisions(ap),
      deps.state.loadFirstSeen(ap),
    ]);
    // an overzicht is always asked for first (refreshOverzicht): until it has arrived nothing is determined
    const result = determineActions(snapshot, mirror, memoryFrom(stored, decisions, firstSeen), input.today, { maxOverzichtAgeDays: deps.maxOverzichtAgeDays, requireOverzicht: true });
    if (!result.ok) {
      await deps.state.audit(ap, deps.now(), { op: "BEPALEN", door: "systeem", wat: "acties bepalen geweigerd", details: { reden: result.reason } });
      return { geweigerd: true, reden: result.reason };
    }
    // the admin sees which LVS2000 rows could not be read (ids, fields and reasons), not only their count
    await deps.state.saveLvsProblems(ap, problems);
    const name = snapshotBlobName(ap, input.instanceId);
    await saveSnapshot(deps.snapshots, name, snapshot);
    const merged = mergeDetermined(stored, result.actions);
    await deps.state.updateActions(ap, stored, merged);
    await deps.state.saveFirstSeen(ap, firstSeenOf(merged));
    const automatisch = merged.filter(goesAhead).length;
    const wachtOpBeslissing = merged.filter(waitsForDecision).length;
    await deps.state.audit(ap, deps.now(), { op: "BEPALEN", door: "systeem", wat: "acties bepaald", details: { bepaald: result.actions.length, automatisch, wachtOpBeslissing, lvsProblemen: problems.length } });
    return { geweigerd: false, automatisch, wachtOpBeslissing, lvsProblemen: problems.length, snapshot: name };
  };
}
