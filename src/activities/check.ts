import { checkRound } from "../core/check-actions.js";
import type { SyncDeps } from "./deps.js";
import { loadSnapshot, saveSnapshot } from "./snapshots.js";

export interface CheckInput {
  aanleverpunt: string;
  today: string;
  snapshot: string;
  /** read LVS2000 again first (a round after a wait): the run's snapshot is replaced, so the send uses the same data */
  ververs?: boolean;
}

export interface CheckResult {
  gecontroleerd: number;
  afkeur: number;
  attentie: number;
  /** open differences still waiting for a person's decision */
  wachtOpBeslissing: number;
}

/**
 * Controleren: loads, runs the check round of src/core, stores the moved actions and the signals. After
 * a wait (decisions, 'Verwerken en verzenden') it first reads LVS2000 again through the relay, so what a
 * person fixed in LVS2000 meanwhile (an Onderwijs Sinds filled, a postcode corrected) is what is checked and sent.
 */
export function makeCheck(deps: SyncDeps) {
  return async (input: CheckInput): Promise<CheckResult> => {
    const ap = input.aanleverpunt;
    const [lvs, actions, previous] = await Promise.all([input.ververs === true ? reread(deps, ap, input.snapshot) : loadSnapshot(deps.snapshots, input.snapshot), deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
    const round = checkRound(actions, lvs, previous, input.today);
    await deps.state.updateActions(ap, actions, round.actions);
    await deps.state.saveSignals(ap, round.signals);
    return { gecontroleerd: round.gecontroleerd, afkeur: round.afkeur, attentie: round.attentie, wachtOpBeslissing: round.wachtOpBeslissing };
  };
}

async function reread(deps: SyncDeps, ap: string, name: string) {
  const { snapshot, problems } = await deps.relay(ap).snapshot(ap);
  await saveSnapshot(deps.snapshots, name, snapshot);
  await deps.state.saveLvsProblems(ap, problems);
  return snapshot;
}
