import type { Action } from "../../src/core/model.js";
import type { PersonOp } from "./driver.js";
import type { ChaosStack } from "./stack.js";

/**
 * What the fault suite counts after a scenario has settled (faults off, every part up, clean runs
 * until one has nothing left to send). Definitions (the header of run.ts repeats them):
 *
 * - action lost: an action seen during the scenario (in the actions table at any phase change, or
 *   registered by BRON) that at the end is neither done nor visibly pending:
 *     done     = to BRON: GEACCEPTEERD or AFGEKEURD, or IN_BEHANDELING while BRON registered it and its
 *                answer still waits in BRON's queue; to LVS2000: VERWERKT and the relay applied a write
 *                of that kind to that pupil; GENEGEERD; deleted by the person (a DELETE answered 200);
 *     pending  = OPEN or GECONTROLEERD (not registered by BRON) with its reason, or IN_VERZENDING in a
 *                recorded batch that is still open (it is resent with the same MessageID);
 *   so lost are e.g.: gone without a person deleting it; IN_BEHANDELING/GEACCEPTEERD while BRON never
 *   registered it; IN_BEHANDELING while BRON's answer was acknowledged; unsent (OPEN/GECONTROLEERD)
 *   while BRON did register it (it would be sent again); IN_VERZENDING with no open batch; VERWERKT
 *   without an applied write.
 * - feedback lost: a message BRON queued for the aanleverpunt, acknowledged by the app (BRON will not
 *   hand it out again), that is not in the app's feedbackInbox. Unacknowledged messages wait at BRON.
 * - duplicate BRON messages: the simulator's `dubbeleBerichten` (a MessageID received again: answered
 *   from its store, nothing registered twice — this is how a retry is made safe).
 * - duplicate mutations: the simulator's `dubbeleMutaties` (a mutatieId registered before arrives under
 *   another MessageID: BRON processes it twice). Counted apart: those the person caused by deleting an
 *   action after it was sent (the product sends the difference again, as the manual allows, under a new
 *   mutatieId `id.2`, … since the hidden tombstone; any counted in `resentAfterDelete` would be that defect
 *   back); the rest come from faults. Target 0 for both.
 * - LVS2000 writes applied twice: the relay's audit table holding TOEGEPAST twice for one request id,
 *   or twice for the same pupil, kind and fields (the same change applied under two request ids).
 */

export interface Measured {
  actions: number;
  actionsLost: string[];
  feedback: number;
  feedbackLost: string[];
  feedbackUnprocessed: number;
  dubbeleBerichten: number;
  /** duplicate mutations not explained by a person's deletion: from faults (target 0) */
  dubbeleMutaties: number;
  /**
   * duplicate mutations of actions a person deleted after they were sent: the difference is determined
   * and sent again with the same id (the action id is the mutatieId), so BRON processes that mutation twice
   */
  resentAfterDelete: number;
  /** the mutation ids BRON received under more than one MessageID, with the action's story */
  dubbeleMutatieIds: string[];
  lvsWrites: number;
  lvsTwice: string[];
  /** BRON's counters for faults it injected, for the row's notes */
  storingen: number;
  /** the actions at the end, per status */
  statuses: Record<string, number>;
  /** deliveries recorded for the aanleverpunt (send batches) */
  batches: number;
}

export async function measure(cs: ChaosStack, ap: string, seen: ReadonlySet<string>, personOps: readonly PersonOp[], countersBefore: Record<string, number>): Promise<Measured> {
  const state = cs.state();
  const [actions, inbox, openBatches, batches] = await Promise.all([state.loadActions(ap), state.listFeedback(ap), state.loadOpenBatches(ap), state.countBatches(ap)]);
  const byId = new Map<string, Action>(actions.map((a) => [a.id, a]));
  const registered = cs.bronMutations(ap);
  const queue = cs.bronFeedback(ap);
  const answerWaiting = new Set(queue.filter((f) => !f.bevestigd && f.mutatieId !== null).map((f) => f.mutatieId!));
  const inOpenBatch = new Set(openBatches.flatMap((b) => b.actionIds));
  const deletedByPerson = new Set(personOps.filter((p) => p.op === "verwijderen" && p.answer.status === 200).map((p) => p.actionId));
  const audit = cs.relayAudit(ap);
  const applied = audit.filter((r) => r.resultaat === "TOEGEPAST");

  const all = new Set<string>([...seen, ...actions.map((a) => a.id), ...[...registered.keys()].filter((id) => id.length > 0)]);
  const lost: string[] = [];
  for (const id of all) {
    const a = byId.get(id);
    const why = lostReason(a, id, { registered: registered.has(id), answerWaiting: answerWaiting.has(id), inOpenBatch: inOpenBatch.has(id), deletedByPerson: deletedByPerson.has(id), appliedTo: (leerlingId) => applied.filter((w) => w.leerlingId === leerlingId) });
    if (why) lost.push(`${id}: ${why}`);
  }

  const inboxIds = new Set(inbox.map((e) => e.id));
  const acknowledged = queue.filter((f) => f.bevestigd);
  const feedbackLost = acknowledged.filter((f) => f.id === null || !inboxIds.has(f.id)).map((f) => `${f.id ?? "(zonder id)"} ${f.soort}${f.mutatieId ? ` ${f.mutatieId}` : ""}`);

  const twice = new Map<string, number>();
  for (const w of applied) {
    twice.set(`verzoek ${w.requestId}`, (twice.get(`verzoek ${w.requestId}`) ?? 0) + 1);
    const same = `leerling ${w.leerlingId} ${w.soort} [${w.velden}]`;
    twice.set(same, (twice.get(same) ?? 0) + 1);
  }
  const several = cs.bronMutationsInSeveralMessages(ap);
  const deletedAfterSending = new Set(personOps.filter((p) => p.op === "verwijderen" && p.answer.status === 200 && SENT.has(p.statusBefore)).map((p) => p.actionId));
  const resent = [...several.keys()].filter((id) => deletedAfterSending.has(id));
  const counters = cs.counters();
  const delta = (k: string) => (counters[k] ?? 0) - (countersBefore[k] ?? 0);
  return {
    actions: all.size,
    actionsLost: lost,
    feedback: queue.length,
    feedbackLost,
    feedbackUnprocessed: inbox.filter((e) => e.status !== "VERWERKT").length,
    dubbeleBerichten: delta("dubbeleBerichten"),
    dubbeleMutaties: delta("dubbeleMutaties") - resent.length,
    resentAfterDelete: resent.length,
    dubbeleMutatieIds: [...several].map(([id, messages]) => {
      const a = byId.get(id);
      const person = personOps.filter((p) => p.actionId === id).map((p) => `${p.op} bij ${p.statusBefore} → ${p.answer.status}`);
      return `${id} (${a ? `${a.type}, nu ${a.status}` : "niet meer in de lijst"}; ${messages.length} berichten${person.length > 0 ? `; persoon: ${person.join(", ")}` : ""})`;
    }),
    lvsWrites: applied.length,
    lvsTwice: [...twice].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`),
    statuses: actions.reduce<Record<string, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {}),
    batches,
    storingen: Object.keys(counters).filter((k) => k.startsWith("storing")).reduce((s, k) => s + delta(k), 0),
  };
}

/** Statuses of an action that was (or was being) delivered to BRON. */
const SENT = new Set(["IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD"]);

interface Facts {
  registered: boolean;
  answerWaiting: boolean;
  inOpenBatch: boolean;
  deletedByPerson: boolean;
  appliedTo: (leerlingId: string) => { soort: string }[];
}

/** Why this action counts as lost, or null when it is done or visibly pending (see the module comment). */
function lostReason(a: Action | undefined, id: string, f: Facts): string | null {
  if (!a) {
    if (f.deletedByPerson) return null;
    return f.registered ? "verdwenen uit de lijst (wel bij BRON geregistreerd, geen verwijdering door een persoon)" : "verdwenen uit de lijst zonder verwijdering door een persoon";
  }
  switch (a.status) {
    case "GEACCEPTEERD":
      return f.registered ? null : "GEACCEPTEERD maar BRON heeft de mutatie nooit geregistreerd";
    case "AFGEKEURD":
      return null;
    case "GENEGEERD":
      return null;
    case "VERWIJDERD":
      return f.deletedByPerson ? null : `verborgen (VERWIJDERD) zonder verwijdering door een persoon (${id})`;
    case "IN_BEHANDELING":
      if (!f.registered) return "IN_BEHANDELING maar BRON heeft de mutatie nooit ontvangen";
      return f.answerWaiting ? null : "IN_BEHANDELING maar BRONs antwoord is al bevestigd en niet verwerkt";
    case "IN_VERZENDING":
      return f.inOpenBatch ? null : "IN_VERZENDING zonder open verzending (wordt nooit verstuurd)";
    case "OPEN":
    case "GECONTROLEERD":
      if (a.direction === "BRON" && f.registered) return `${a.status} terwijl BRON de mutatie al registreerde (zou opnieuw verstuurd worden)`;
      return a.reason.trim() === "" ? `${a.status} zonder reden` : null;
    case "VERWERKT":
      return f.appliedTo(a.leerlingId).length > 0 ? null : "VERWERKT maar de relay heeft niets toegepast voor deze leerling";
  }
}
