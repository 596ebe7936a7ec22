import { fieldList, reasonFor } from "./action-reasons.js";
import type { Action, ActionStatus, Beslissing } from "./model.js";
import { refuse, type Refusal } from "./result.js";

/**
 * The life of an action, in one place (domain.md "Rules: actions", manual ch. 5 and 6). Every change of
 * an action's status goes through `evolve`; activities and the admin API only load, call this, and store.
 *
 *   OPEN ⇄ GECONTROLEERD ─batched─► IN_VERZENDING ─sent─► IN_BEHANDELING ─► GEACCEPTEERD | AFGEKEURD
 *    │ decided: negeren           (refused ─► AFGEKEURD)
 *    ▼                    GECONTROLEERD, naar LVS2000 ─written─► VERWERKT
 *   GENEGEERD
 *   deleted: an unsent action is gone; one BRON has received (in behandeling, geaccepteerd, afgekeurd)
 *   leaves a hidden VERWIJDERD tombstone: BRON's answer still reaches the mirror, and its mutatieId is
 *   never used again (a re-send after deletion gets the next one); one being sent cannot be deleted.
 *
 * Forward only: an event that would move an action back is refused with a typed reason. An event that
 * only repeats what the action already knows (BRON answering twice, a delivery confirmed after its
 * answer came in) leaves it as it is.
 */

// ── status groups: defined here, once ────────────────────────────────────────────────────────────────
const group = (...statuses: ActionStatus[]): ReadonlySet<ActionStatus> => new Set(statuses);

/** Not yet taken by a send: may be decided, checked again, deleted in bulk, replaced by a new determination. */
export const UNSENT = group("OPEN", "GECONTROLEERD");
/** Taken by a send and not yet answered by BRON: not determined again. */
export const AWAITING_BRON = group("IN_VERZENDING", "IN_BEHANDELING");
/** Carried out: delivered to BRON (awaiting or answered) or written to LVS2000. */
export const EXECUTED = group("IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT");
/** Still to be reported to BRON (so it can be late): not yet sent, being sent, or refused. */
export const TO_REPORT = group("OPEN", "GECONTROLEERD", "IN_VERZENDING", "AFGEKEURD");
/** Answered or settled for good. */
export const FINAL = group("GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD");
/** Kept only so BRON's late answer can still be applied; never shown. */
export const HIDDEN = group("VERWIJDERD");

export const isUnsent = (a: Action): boolean => UNSENT.has(a.status);
export const isExecuted = (a: Action): boolean => EXECUTED.has(a.status);
export const isVisible = (a: Action): boolean => !HIDDEN.has(a.status);
/** Waits for a person: a difference that needs a decision, open, none taken yet. */
export const waitsForDecision = (a: Action): boolean => a.status === "OPEN" && a.needsDecision && a.decision === null;
/** Goes ahead to be checked and sent: not yet sent, and decided where a decision is needed. */
export const goesAhead = (a: Action): boolean => UNSENT.has(a.status) && (!a.needsDecision || a.decision !== null);

// ── events ───────────────────────────────────────────────────────────────────────────────────────────
export type ActionEvent =
  /** the same difference determined again: a stored action stays as it is (its decision with it) */
  | { kind: "determined"; fresh: Action }
  /** a person's choice (negeren / naar BRON / naar LVS2000) */
  | { kind: "decided"; beslissing: Beslissing }
  /** the check of an action that goes ahead: passed, or blocked by an afkeur */
  | { kind: "checked"; passed: boolean }
  /** taken into a send batch that is recorded before it is first delivered */
  | { kind: "batched" }
  /** BRON took the delivery */
  | { kind: "sent" }
  /** BRON refused the delivery at once */
  | { kind: "refused" }
  /** its writes were applied in LVS2000 */
  | { kind: "written" }
  /** BRON's feedback: accepted */
  | { kind: "accepted" }
  /** BRON's feedback: afgekeurd */
  | { kind: "afgekeurd" }
  /** a person deletes it */
  | { kind: "deleted" };

export type Refused = Refusal & { refusal: "BACKWARD" | "NOT_APPLICABLE" };
/** `action: null`: the action is gone (an unsent one deleted; one BRON received leaves a VERWIJDERD tombstone instead). */
export type Evolved = { ok: true; action: Action | null } | Refused;

const backward = (reason: string): Refused => ({ ...refuse(reason), refusal: "BACKWARD" });
const notApplicable = (reason: string): Refused => ({ ...refuse(reason), refusal: "NOT_APPLICABLE" });
const to = (action: Action, status: ActionStatus): Evolved => ({ ok: true, action: action.status === status ? action : { ...action, status } });
const same = (action: Action): Evolved => ({ ok: true, action });

const STATUS_WORDS: Readonly<Record<ActionStatus, string>> = {
  OPEN: "open",
  GECONTROLEERD: "gecontroleerd",
  IN_VERZENDING: "wordt verzonden",
  IN_BEHANDELING: "in behandeling bij BRON",
  GEACCEPTEERD: "geaccepteerd",
  AFGEKEURD: "afgekeurd",
  VERWERKT: "verwerkt in LVS2000",
  GENEGEERD: "genegeerd",
  VERWIJDERD: "verwijderd",
};

const BEING_SENT = "Deze actie wordt op dit moment naar BRON verzonden; wacht tot de verzending klaar is.";

/** The one place an action's status changes. Pure. */
export function evolve(action: Action, event: ActionEvent): Evolved {
  const s = action.status;
  switch (event.kind) {
    case "determined":
      // a deleted sent action determined again: the person wants it sent again
      return { ok: true, action };
    case "decided":
      if (s === "IN_VERZENDING") return backward(BEING_SENT);
      if (!UNSENT.has(s)) return backward(`Over deze actie kan niet meer beslist worden: ze is ${STATUS_WORDS[s]}.`);
      return decide(action, event.beslissing);
    case "checked":
      if (!goesAhead(action)) return notApplicable(s === "OPEN" ? "Deze actie wacht op een beslissing." : `Deze actie is ${STATUS_WORDS[s]} en wordt niet meer gecontroleerd.`);
      return to(action, event.passed ? "GECONTROLEERD" : "OPEN");
    case "batched":
      if (s === "IN_VERZENDING") return same(action);
      if (s !== "GECONTROLEERD") return backward(`Alleen een gecontroleerde actie kan verzonden worden; deze is ${STATUS_WORDS[s]}.`);
      if (action.direction !== "BRON") return notApplicable("Een actie naar LVS2000 wordt niet naar BRON verzonden.");
      return to(action, "IN_VERZENDING");
    case "sent":
      if (s === "IN_VERZENDING") return to(action, "IN_BEHANDELING");
      if (s === "IN_BEHANDELING" || s === "GEACCEPTEERD" || s === "AFGEKEURD" || s === "VERWIJDERD") return same(action); // BRON's answer came first
      return backward(`Deze actie zat niet in een verzending; ze is ${STATUS_WORDS[s]}.`);
    case "refused":
      if (s === "IN_VERZENDING") return to(action, "AFGEKEURD");
      if (s === "AFGEKEURD") return same(action);
      return backward(`Een weigering van BRON past niet bij deze actie; ze is ${STATUS_WORDS[s]}.`);
    case "written":
      if (s === "VERWERKT") return same(action);
      if (s !== "GECONTROLEERD" || action.direction !== "LVS") return backward(`Alleen een gecontroleerde actie naar LVS2000 kan verwerkt worden; deze is ${STATUS_WORDS[s]}.`);
      return to(action, "VERWERKT");
    case "accepted":
    case "afgekeurd":
      return answer(action, event.kind === "accepted" ? "GEACCEPTEERD" : "AFGEKEURD");
    case "deleted":
      if (s === "IN_VERZENDING") return backward(BEING_SENT);
      // a sent action keeps a hidden tombstone (without its field values): BRON's later answer still reaches
      // the mirror, and its mutatieId is never sent again
      if (s === "IN_BEHANDELING" || s === "GEACCEPTEERD" || s === "AFGEKEURD") return { ok: true, action: { ...action, status: "VERWIJDERD", fields: [] } };
      return { ok: true, action: null };
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustive switch — the compiler proves every case is handled, so this branch never runs
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** BRON's answer to a delivered action; to a deleted one it is applied (by the caller) and then gone. */
function answer(action: Action, target: "GEACCEPTEERD" | "AFGEKEURD"): Evolved {
  const s = action.status;
  if (action.direction !== "BRON") return notApplicable(`Mutatie ${action.id} is geen actie naar BRON`);
  if (s === "VERWIJDERD") return same(action);
  if (s === target) return same(action);
  // BRON knows the mutation by this id, also when it was determined again after a deletion
  if (!FINAL.has(s)) return to(action, target);
  return backward(`Actie ${action.id} heeft al status ${s}; ${target} kan niet meer`);
}

/**
 * A person's choice (domain.md: three answers).
 * - NEGEREN: GENEGEERD; the caller records the fingerprint as ignored.
 * - NAAR_BRON: goes ahead to BRON. Not for a GBA address, which BRON already holds.
 * - NAAR_LVS: key data turns around (BRON's values are taken into LVS2000); for an address it confirms
 *   taking over the GBA address. Other types have nothing to take into LVS2000.
 * A decided action is OPEN again (checked anew before it is sent).
 */
function decide(action: Action, beslissing: Beslissing): Evolved {
  const decided = { status: "OPEN" as const, decision: beslissing };
  switch (beslissing.keuze) {
    case "NEGEREN":
      return { ok: true, action: { ...action, status: "GENEGEERD", decision: beslissing } };
    case "NAAR_BRON":
      if (action.type === "OVERNEMEN_ADRES_IN_LVS") return notApplicable("Een adres uit de GBA kan alleen in LVS2000 worden overgenomen, niet naar BRON worden verwerkt.");
      if (action.type === "WIJZIGING_SLEUTELGEGEVENS" && action.direction === "LVS") {
        // turned around before: back to sending LVS2000's key data, with the reason that goes with it
        return { ok: true, action: { ...action, ...decided, direction: "BRON", reason: reasonFor({ type: action.type, fields: action.fields, today: "" }) } };
      }
      return { ok: true, action: { ...action, ...decided } };
    case "NAAR_LVS":
      if (action.type === "WIJZIGING_SLEUTELGEGEVENS") {
        return { ok: true, action: { ...action, ...decided, direction: "LVS", reason: `Sleutelgegevens uit BRON overnemen in LVS2000 (${fieldList(action.fields)}).` } };
      }
      if (action.type === "OVERNEMEN_ADRES_IN_LVS") return { ok: true, action: { ...action, ...decided } };
      return notApplicable("Alleen sleutelgegevens en adresgegevens kunnen naar LVS2000 worden verwerkt.");
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustive switch — the compiler proves every case is handled, so this branch never runs
    default: {
      const never: never = beslissing.keuze;
      return never;
    }
  }
}
