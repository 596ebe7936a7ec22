import { evolve } from "./action-lifecycle.js";
import type { Action, LvsWrite, Signal } from "./model.js";
import { signal } from "./signal-text.js";
import { toLvsWrites, toMutatie, type SendIndex } from "./to-mutatie.js";
import type { Mutatie } from "../contracts/bron/messages.js";

/**
 * Verwerken en verzenden, the bookkeeping (domain.md "Rules: sending"; architecture.md "Idempotency").
 * A send takes its checked actions into batches that are recorded before the first delivery (the actions
 * are then IN_VERZENDING: no person can decide or delete them any more), delivers exactly the recorded
 * batches, and moves each action by BRON's answer. The activity only loads, calls these, and stores.
 */

/** A delivery as recorded before it is first sent: which actions, under which MessageID. */
export interface SendBatch {
  /** the delivery's MessageID, derived from its mutation ids */
  messageId: string;
  /** order of delivery within the aanleverpunt */
  volgorde: number;
  actionIds: string[];
  status: "GEPLAND" | "VERZONDEN" | "GEWEIGERD";
}

/** A batch about to be recorded: planned, not yet delivered. */
export function plannedBatch(messageId: string, volgorde: number, actionIds: string[]): SendBatch {
  return { messageId, volgorde, actionIds, status: "GEPLAND" };
}

export interface Taken {
  /** the whole list, with the taken actions IN_VERZENDING */
  actions: Action[];
  /** the mutations of the actions IN_VERZENDING that are in no recorded batch yet */
  mutaties: Mutatie[];
  /** actions whose mutation cannot be built from today's data: an AFKEUR each, and they are not taken */
  signals: Signal[];
}

/**
 * Takes every checked BRON-direction action into the send, and gathers the mutations still to be put in
 * a batch: those just taken, and those taken by an earlier attempt that ended before its batches were
 * recorded (nothing of them was sent yet). An earlier attempt's action that cannot be built any more is
 * AFGEKEURD with the reason; a checked one stays checked with the reason.
 */
export function takeForSend(actions: readonly Action[], batches: readonly SendBatch[], ix: SendIndex): Taken {
  const inBatch = new Set(batches.flatMap((b) => b.actionIds));
  const mutaties: Mutatie[] = [];
  const signals: Signal[] = [];
  const next = actions.map((a): Action => {
    const fresh = a.status === "GECONTROLEERD" && a.direction === "BRON";
    const leftOver = a.status === "IN_VERZENDING" && !inBatch.has(a.id);
    if (!fresh && !leftOver) return a;
    const m = toMutatie(a, ix);
    if (!m.ok) {
      signals.push(signal("VERZENDEN", "AFKEUR", m.reason, a.id, null));
      return leftOver ? moved(a, "refused") : a;
    }
    mutaties.push(m.value);
    return fresh ? moved(a, "batched") : a;
  });
  return { actions: next, mutaties, signals };
}

export type DeliveryOutcome = { kind: "sent" } | { kind: "refused"; code: string | null; melding: string };

/** BRON's answer to one recorded batch: its actions In behandeling, or Afgekeurd with BRON's reason. */
export function afterDelivery(actions: readonly Action[], batch: SendBatch, outcome: DeliveryOutcome): { actions: Action[]; signals: Signal[] } {
  const ids = new Set(batch.actionIds);
  const signals = outcome.kind === "refused" ? batch.actionIds.map((id) => signal(outcome.code ?? "BRON", "AFKEUR", `BRON weigerde de levering: ${outcome.melding}`, id, null)) : [];
  return { actions: actions.map((a) => (ids.has(a.id) ? moved(a, outcome.kind) : a)), signals };
}

export interface PlannedLvsWrite {
  actionId: string;
  write: LvsWrite;
}

/** The LVS2000 writes of every checked LVS-direction action; an action that has none gets an AFKEUR. */
export function lvsWritesForSend(actions: readonly Action[], ix: SendIndex): { writes: PlannedLvsWrite[]; signals: Signal[] } {
  const writes: PlannedLvsWrite[] = [];
  const signals: Signal[] = [];
  for (const a of actions) {
    if (a.status !== "GECONTROLEERD" || a.direction !== "LVS") continue;
    const w = toLvsWrites(a, ix);
    if (w.ok) for (const write of w.value) writes.push({ actionId: a.id, write });
    else signals.push(signal("VERWERKEN_LVS", "AFKEUR", w.reason, a.id, null));
  }
  return { writes, signals };
}

/**
 * After the relay answered: an action all of whose writes were applied is Verwerkt; one with a write
 * LVS2000 refused (changed meanwhile, pupil unknown) stays checked with an attentie to determine again.
 */
export function afterLvsWrites<W extends PlannedLvsWrite>(actions: readonly Action[], writes: readonly W[], applied: (w: W) => boolean): { actions: Action[]; signals: Signal[]; verwerkt: number; conflicten: number } {
  const failed = new Set(writes.filter((w) => !applied(w)).map((w) => w.actionId));
  const done = new Set(writes.map((w) => w.actionId).filter((id) => !failed.has(id)));
  const signals = [...failed].map((id) => signal("LVS_GEWIJZIGD", "ATTENTIE", "LVS2000 is intussen gewijzigd of kent de leerling niet; bepaal de acties opnieuw.", id, null));
  return { actions: actions.map((a) => (done.has(a.id) ? moved(a, "written") : a)), signals, verwerkt: done.size, conflicten: failed.size };
}

/** An event the send is entitled to; a refusal here is a bug in the send's own bookkeeping. */
function moved(a: Action, kind: "batched" | "sent" | "refused" | "written"): Action {
  const r = evolve(a, { kind });
  if (!r.ok || r.action === null) throw new Error(`send bookkeeping: ${kind} refused for ${a.id}: ${r.ok ? "removed" : r.reason}`);
  return r.action;
}
