import { evolve } from "../core/action-lifecycle.js";
import type { Keuze } from "../core/model.js";
import type { SyncDeps } from "./deps.js";

export type DecideOutcome = { ok: true } | { ok: false; status: 404 | 409; reden: string };

/**
 * A person's decision on one action (negeren / naar BRON / naar LVS2000): the lifecycle moves the
 * action (refusing, in Dutch, one a send has taken), the decision is recorded per difference (an
 * ignored one is remembered by its fingerprint) and audited with who made it. The action row is written
 * only if nobody changed it meanwhile. The waiting orchestration is told separately, by the caller.
 */
export async function decide(deps: SyncDeps, aanleverpunt: string, actionId: string, keuze: Keuze, door: string): Promise<DecideOutcome> {
  const actions = await deps.state.loadActions(aanleverpunt);
  const action = actions.find((a) => a.id === actionId && a.status !== "VERWIJDERD");
  if (!action) return { ok: false, status: 404, reden: "Deze actie bestaat niet (meer)." };
  const beslissing = { keuze, door, op: deps.now().toISOString() };
  const result = evolve(action, { kind: "decided", beslissing });
  if (!result.ok) return { ok: false, status: 409, reden: result.reason };
  const { conflicts } = await deps.state.updateActions(aanleverpunt, [action], result.action === null ? [] : [result.action]);
  if (conflicts.length > 0) return { ok: false, status: 409, reden: "De actie is intussen gewijzigd; bekijk haar opnieuw." };
  await deps.state.recordDecision(aanleverpunt, { ...beslissing, fingerprint: action.fingerprint, actionId });
  await deps.state.audit(aanleverpunt, deps.now(), { op: "BESLISSING", door, wat: keuze, details: { actionId, type: action.type } });
  return { ok: true };
}
