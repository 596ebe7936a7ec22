import { checkRound } from "../core/check-actions.js";
import type { SyncDeps } from "./deps.js";
import { loadSnapshot } from "./snapshots.js";

export interface CheckInput {
  aanleverpunt: string;
  today: string;
  snapshot: string;
}

export interface CheckResult {
  gecontroleerd: number;
  afkeur: number;
  attentie: number;
  /** open differences still waiting for a person's decision */
  wachtOpBeslissing: number;
}

/** Controleren: loads, runs the check round of src/core, stores the moved actions and the signals. */
export function makeCheck(deps: SyncDeps) {
  return async (input: CheckInput): Promise<CheckResult> => {
    const ap = input.aanleverpunt;
    const [lvs, actions, previous] = await Promise.all([loadSnapshot(deps.snapshots, input.snapshot), deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
    const round = checkRound(actions, lvs, previous, input.today);
    await deps.state.updateActions(ap, actions, round.actions);
    await deps.state.saveSignals(ap, round.signals);
    return { gecontroleerd: round.gecontroleerd, afkeur: round.afkeur, attentie: round.attentie, wachtOpBeslissing: round.wachtOpBeslissing };
  };
}
