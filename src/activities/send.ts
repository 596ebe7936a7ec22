import { planDeliveries } from "../adapters/bron/batches.js";
import { ExternalRejection, ValidationError, type BronError as ServiceError } from "../adapters/bron/errors.js";
import { deliveryMessageId } from "../adapters/bron/message-id.js";
import { CertificateUnavailableError } from "../adapters/certificates/index.js";
import type { SendBatchRow } from "../adapters/state/state-store.js";
import { Mutatie } from "../contracts/bron/messages.js";
import type { Action, Signal } from "../core/model.js";
import { afterDelivery, afterLvsWrites, lvsWritesForSend, plannedBatch, takeForSend, type DeliveryOutcome } from "../core/send-plan.js";
import { indexForSend } from "../core/to-mutatie.js";
import type { SyncDeps } from "./deps.js";
import { lvsRequestId, writeToLvs } from "./lvs-writes.js";
import { loadSnapshot } from "./snapshots.js";

export interface SendInput {
  aanleverpunt: string;
  today: string;
  snapshot: string;
}

export type SendResult =
  | { geweigerd: true; reden: string }
  | { geweigerd: false; verzonden: number; leveringen: number; afgekeurd: number; naarLvs: number; lvsConflicten: number };

/**
 * Verwerken en verzenden: delivers every checked BRON-direction action (then In behandeling until
 * feedback arrives) and writes every checked LVS-direction action through the relay (then Verwerkt).
 * The send first takes its actions (IN_VERZENDING, stored under ETags, so a person's decision made a
 * moment earlier wins and a later one is refused) and records its batches with their mutations; it then
 * delivers exactly the recorded batches, so a retry after a crash sends the same messages and BRON
 * registers each mutation once. Rule: sending requires the aanleverpunt's certificate, present and valid.
 */
export function makeSend(deps: SyncDeps) {
  return async (input: SendInput): Promise<SendResult> => {
    const ap = input.aanleverpunt;
    const [lvs, mirror, loaded, signals, open] = await Promise.all([
      loadSnapshot(deps.snapshots, input.snapshot),
      deps.state.loadMirror(ap),
      deps.state.loadActions(ap),
      deps.state.loadSignals(ap),
      deps.state.loadOpenBatches(ap),
    ]);
    const ix = indexForSend(lvs, mirror);
    const newSignals: Signal[] = [];
    let actions = loaded;

    const taken = takeForSend(actions, open, ix);
    newSignals.push(...taken.signals);
    let leveringen = 0;
    let afgekeurd = 0;
    let verzonden = 0;
    if (taken.mutaties.length > 0 || open.length > 0) {
      try {
        await deps.certificates.getClientCertificate(ap);
      } catch (e) {
        if (e instanceof CertificateUnavailableError) return await refuseForCertificate(deps, ap, e);
        throw e;
      }
      actions = await store(deps, ap, actions, taken.actions);
      const batches = [...open, ...(await recordBatches(deps, ap, actions, taken.mutaties))];
      const bron = deps.bron(ap);
      try {
        for (const batch of batches) {
          const outcome = await deliver(bron, await deps.state.readBatchPayload(batch));
          if (outcome.kind === "stop") return await refuse(deps, ap, outcome.reden, outcome.probleem);
          const after = afterDelivery(actions, batch, outcome);
          newSignals.push(...after.signals);
          // the actions first, then the batch: a crash in between resends the same MessageID, which BRON drops
          actions = await store(deps, ap, actions, after.actions);
          await deps.state.closeBatch(ap, batch, outcome.kind === "sent" ? "VERZONDEN" : "GEWEIGERD");
          leveringen++;
          if (outcome.kind === "sent") verzonden += batch.actionIds.length;
          else afgekeurd += batch.actionIds.length;
        }
      } finally {
        bron.close();
      }
    }

    const planned = lvsWritesForSend(actions, ix);
    newSignals.push(...planned.signals);
    const withIds = planned.writes.map((w) => ({ ...w, requestId: lvsRequestId(ap, input.today, w.write) }));
    const written = await writeToLvs(deps, ap, input.today, withIds.map((w) => w.write));
    const lvs2000 = afterLvsWrites(actions, withIds, (w) => written.afgehandeld.get(w.requestId) === "TOEGEPAST");
    newSignals.push(...lvs2000.signals);
    await store(deps, ap, actions, lvs2000.actions);

    if (newSignals.length > 0) await deps.state.saveSignals(ap, [...signals, ...newSignals]);
    await deps.state.audit(ap, deps.now(), { op: "VERZENDEN", door: "systeem", wat: "verwerkt en verzonden", details: { verzonden, leveringen, afgekeurd, naarLvs: lvs2000.verwerkt } });
    return { geweigerd: false, verzonden, leveringen, afgekeurd, naarLvs: lvs2000.verwerkt, lvsConflicten: lvs2000.conflicten };
  };
}

/**
 * Stores what changed and returns the list as it now stands. A row a person changed meanwhile (a
 * decision or deletion just before the send took it) is theirs: it is read back, not overwritten.
 */
async function store(deps: SyncDeps, ap: string, before: readonly Action[], after: readonly Action[]): Promise<Action[]> {
  const { conflicts } = await deps.state.updateActions(ap, before, after);
  return conflicts.length === 0 ? [...after] : deps.state.loadActions(ap);
}

/** Cuts the still unbatched mutations of actions that are IN_VERZENDING into batches and records them. */
async function recordBatches(deps: SyncDeps, ap: string, actions: readonly Action[], mutaties: readonly Mutatie[]): Promise<SendBatchRow[]> {
  const taken = new Set(actions.filter((a) => a.status === "IN_VERZENDING").map((a) => a.id));
  const mine = mutaties.filter((m) => taken.has(m.mutatieId));
  if (mine.length === 0) return [];
  let volgorde = await deps.state.countBatches(ap);
  const out: SendBatchRow[] = [];
  for (const batch of planDeliveries(mine, deps.bronBatchSize)) {
    const actionIds = batch.map((m) => m.mutatieId);
    out.push(await deps.state.recordBatch(ap, plannedBatch(deliveryMessageId(ap, actionIds), volgorde++, actionIds), batch));
  }
  return out;
}

type Delivery = DeliveryOutcome | { kind: "stop"; reden: string; probleem: string | null };

async function deliver(bron: ReturnType<SyncDeps["bron"]>, payload: unknown): Promise<Delivery> {
  try {
    await bron.deliver(Mutatie.array().parse(payload));
    return { kind: "sent" };
  } catch (e) {
    // A certificate that became unusable mid-send is not BRON's rejection of these mutations.
    if (e instanceof CertificateUnavailableError) return { kind: "stop", reden: e.message, probleem: e.problem };
    if (refusesTheDelivery(e)) return { kind: "refused", code: e.code, melding: e.message };
    if (e instanceof ExternalRejection) return { kind: "stop", reden: `BRON weigert de verbinding: ${e.message}`, probleem: e.code };
    throw e;
  }
}

/**
 * Rule: a delivery BRON refuses at once is Afgekeurd — when BRON refuses the message itself (its content
 * breaks the contract, or it is about an aanleverpunt this certificate may not deliver for). A refused
 * connection (TLS, HTTP 4xx, the certificate) says nothing about the mutations: the run stops instead,
 * and the recorded batch waits for the next attempt.
 */
function refusesTheDelivery(e: unknown): e is ServiceError {
  return (e instanceof ValidationError && e.code === "SCHEMA_ONGELDIG") || (e instanceof ExternalRejection && e.code === "AANLEVERPUNT_NIET_TOEGESTAAN");
}

async function refuse(deps: SyncDeps, ap: string, reden: string, probleem: string | null): Promise<SendResult> {
  await deps.state.audit(ap, deps.now(), { op: "VERZENDEN", door: "systeem", wat: "verzenden geweigerd", details: { probleem } });
  return { geweigerd: true, reden };
}

const refuseForCertificate = (deps: SyncDeps, ap: string, e: CertificateUnavailableError) => refuse(deps, ap, e.message, e.problem);
