import { checkActions, sendableActions } from "../core/check-actions.js";
import type { Action } from "../core/model.js";
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

/** Actions ready to be checked: decided (or automatic) and not yet sent. */
const ready = (a: Action) => (a.status === "OPEN" || a.status === "GECONTROLEERD") && a.automatic;

/**
 * Controleren: checks every action that may go ahead; an afkeur blocks only its own action (it stays
 * OPEN with its signal), the others become GECONTROLEERD. The signals replace the previous check's.
 */
export function makeCheck(deps: SyncDeps) {
  return async (input: CheckInput): Promise<CheckResult> => {
    const ap = input.aanleverpunt;
    const [lvs, actions, previous] = await Promise.all([loadSnapshot(deps.snapshots, input.snapshot), deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
    const candidates = actions.filter(ready);
    const signals = checkActions(candidates, lvs, input.today);
    const ok = new Set(sendableActions(candidates, signals).map((a) => a.id));
    const next = actions.map((a): Action => (ready(a) ? { ...a, status: ok.has(a.id) ? "GECONTROLEERD" : "OPEN" } : a));
    const checkedIds = new Set(candidates.map((a) => a.id));
    // BRON's own signals (on sent actions) stay; the previous check's signals on these actions are replaced.
    const kept = previous.filter((s) => s.actionId === null || !checkedIds.has(s.actionId));
    await deps.state.updateActions(ap, actions, next);
    await deps.state.saveSignals(ap, [...kept, ...signals]);
    return {
      gecontroleerd: ok.size,
      afkeur: signals.filter((s) => s.ernst === "AFKEUR").length,
      attentie: signals.filter((s) => s.ernst === "ATTENTIE").length,
      wachtOpBeslissing: next.filter((a) => a.status === "OPEN" && !a.automatic).length,
    };
  };
}
