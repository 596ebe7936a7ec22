import { Action, type ActionStatus, type ActionType, type Deadline } from "../../src/core/model.js";
import { AP } from "./determine-actions.fixtures.js";

/** An action as stored, valid against the Action schema; override what a rule is about. */
export function act(id: string, over: Partial<Record<keyof Action, unknown>> & { type?: ActionType; status?: ActionStatus } = {}): Action {
  const type = over.type ?? "NIEUWE_INSCHRIJVING";
  const pupilLevel = type === "WIJZIGING_SLEUTELGEGEVENS" || type === "IDENTIFICATIEVERZOEK" || type === "OVERNEMEN_ADRES_IN_LVS";
  return Action.parse({
    id,
    type,
    direction: type === "OVERNEMEN_ADRES_IN_LVS" ? "LVS" : "BRON",
    needsDecision: false,
    decision: null,
    manual: false,
    aanleverpunt: AP,
    leerlingId: "1001",
    inschrijvingId: pupilLevel ? null : "I1001",
    fields: [],
    fingerprint: `fp-${id}`,
    deadline: null,
    reason: "r",
    status: "OPEN",
    ...over,
  });
}

export function deadline(due: string, over: Partial<Deadline> = {}): Deadline {
  return { windowDays: 14, since: "2026-01-01", due, daysLeft: 0, ...over };
}
