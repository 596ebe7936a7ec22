import { fieldList, reasonFor } from "./action-reasons.js";
import type { Action, ActionMemory, Keuze } from "./model.js";

/**
 * Rule: a decision has three answers — negeren, naar BRON, naar LVS2000. An ignored difference is not
 * asked again until the data behind it change (its fingerprint joins memory.ignored).
 */

export type DecisionResult = { ok: true; action: Action; memory: ActionMemory } | { ok: false; reason: string };

/** Statuses in which an action can still be decided. */
const DECIDABLE = new Set<Action["status"]>(["OPEN", "GECONTROLEERD"]);

/**
 * Applies a person's choice to one action.
 * - NEGEREN: status GENEGEERD; the fingerprint is remembered as ignored.
 * - NAAR_BRON: the action goes ahead to BRON (no longer waits: `automatic` true). Not for an address
 *   from the GBA, which BRON already holds.
 * - NAAR_LVS: for key data this turns the action around: BRON's values are taken into LVS2000
 *   (direction LVS); for an address it confirms taking over the GBA address. Other types have nothing
 *   to take into LVS2000.
 * A decided action goes ahead by itself, so `automatic` becomes true; who decided is recorded by the caller.
 */
export function applyDecision(action: Action, keuze: Keuze, memory: ActionMemory): DecisionResult {
  if (!DECIDABLE.has(action.status)) {
    return { ok: false, reason: `Over deze actie kan niet meer beslist worden: de status is ${action.status}.` };
  }
  switch (keuze) {
    case "NEGEREN": {
      const ignored = memory.ignored.includes(action.fingerprint) ? [...memory.ignored] : [...memory.ignored, action.fingerprint];
      return { ok: true, action: { ...action, status: "GENEGEERD" }, memory: { ...memory, ignored } };
    }
    case "NAAR_BRON":
      if (action.type === "OVERNEMEN_ADRES_IN_LVS") {
        return { ok: false, reason: "Een adres uit de GBA kan alleen in LVS2000 worden overgenomen, niet naar BRON worden verwerkt." };
      }
      if (action.type === "WIJZIGING_SLEUTELGEGEVENS" && action.direction === "LVS") {
        // turned around before: back to sending LVS2000's key data, with the reason that goes with it
        const reason = reasonFor({ type: action.type, fields: action.fields, today: "" });
        return { ok: true, action: { ...action, direction: "BRON", automatic: true, reason }, memory };
      }
      return { ok: true, action: { ...action, direction: "BRON", automatic: true }, memory };
    case "NAAR_LVS":
      if (action.type === "WIJZIGING_SLEUTELGEGEVENS") {
        const reason = `Sleutelgegevens uit BRON overnemen in LVS2000 (${fieldList(action.fields)}).`;
        return { ok: true, action: { ...action, direction: "LVS", automatic: true, reason }, memory };
      }
      if (action.type === "OVERNEMEN_ADRES_IN_LVS") return { ok: true, action: { ...action, automatic: true }, memory };
      return { ok: false, reason: "Alleen sleutelgegevens en adresgegevens kunnen naar LVS2000 worden verwerkt." };
    default: {
      const never: never = keuze;
      return never;
    }
  }
}
