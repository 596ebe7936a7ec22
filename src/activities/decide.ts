import { applyDecision } from "../core/action-decision.js";
import { memoryFrom } from "../core/action-list.js";
import type { Keuze } from "../core/model.js";
import type { SyncDeps } from "./deps.js";

export type DecideOutcome = { ok: true } | { ok: false; status: 404 | 409; reden: string };

/**
 * A person's decision on one action (negeren / naar BRON / naar LVS2000): the action changes, the
 * decision is recorded (an ignored difference is remembered by its fingerprint) and audited with who
 * made it. The waiting orchestration is told separately, by the caller.
 */
export async function decide(deps: SyncDeps, aanleverpunt: string, actionId: string, keuze: Keuze, door: string): Promise<DecideOutcome> {
  const [actions, decisions] = await Promise.all([deps.state.loadActions(aanleverpunt), deps.state.loadDecisions(aanleverpunt)]);
  const action = actions.find((a) => a.id === actionId);
  if (!action) return { ok: false, status: 404, reden: "Deze actie bestaat niet (meer)." };
  const result = applyDecision(action, keuze, memoryFrom(actions, decisions));
  if (!result.ok) return { ok: false, status: 409, reden: result.reason };
  const op = deps.now().toISOString();
  const { conflicts } = await deps.state.updateActions(aanleverpunt, [action], [result.action]);
  if (conflicts.length > 0) return { ok: false, status: 409, reden: "De actie is intussen gewijzigd; bekijk haar opnieuw." };
  await deps.state.recordDecision(aanleverpunt, { fingerprint: action.fingerprint, actionId, keuze, door, op });
  await deps.state.audit(aanleverpunt, deps.now(), { op: "BESLISSING", door, wat: keuze, details: { actionId, type: action.type } });
  return { ok: true };
}
