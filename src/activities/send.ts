import { planDeliveries } from "../adapters/bron/batches.js";
import { ExternalRejection, ValidationError, type BronError as ServiceError } from "../adapters/bron/errors.js";
import { CertificateUnavailableError } from "../adapters/certificates/index.js";
import type { Mutatie } from "../contracts/bron/messages.js";
import { signal } from "../core/signal-text.js";
import type { Action, Signal } from "../core/model.js";
import { indexForSend, toLvsWrites, toMutatie } from "../core/to-mutatie.js";
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
 * Rule: sending requires the aanleverpunt's certificate, present and valid — asked again here. A
 * delivery BRON refuses at once makes its actions Afgekeurd with BRON's reason. The delivery's
 * MessageID is derived from its mutation ids, so a retried activity resends the very same message.
 */
export function makeSend(deps: SyncDeps) {
  return async (input: SendInput): Promise<SendResult> => {
    const ap = input.aanleverpunt;
    const [lvs, mirror, actions, signals] = await Promise.all([loadSnapshot(deps.snapshots, input.snapshot), deps.state.loadMirror(ap), deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
    const checked = actions.filter((a) => a.status === "GECONTROLEERD");
    const toBron = checked.filter((a) => a.direction === "BRON");
    const toLvs = checked.filter((a) => a.direction === "LVS");
    const ix = indexForSend(lvs, mirror);
    const status = new Map<string, Action["status"]>();
    const newSignals: Signal[] = [];

    const mutaties: Mutatie[] = [];
    for (const a of toBron) {
      const m = toMutatie(a, ix);
      if (m.ok) mutaties.push(m.value);
      else newSignals.push(signal("VERZENDEN", "AFKEUR", m.reason, a.id, null));
    }

    let leveringen = 0;
    let afgekeurd = 0;
    if (mutaties.length > 0) {
      try {
        await deps.certificates.getClientCertificate(ap);
      } catch (e) {
        if (e instanceof CertificateUnavailableError) return await refuseForCertificate(deps, ap, e);
        throw e;
      }
      const bron = deps.bron(ap);
      try {
        for (const batch of planDeliveries(mutaties)) {
          try {
            await bron.deliver(batch);
            for (const m of batch) status.set(m.mutatieId, "IN_BEHANDELING");
          } catch (e) {
            // A certificate that became unusable mid-send is not BRON's rejection of these mutations.
            if (e instanceof CertificateUnavailableError) return await refuseForCertificate(deps, ap, e);
            if (!refusesTheDelivery(e)) {
              if (e instanceof ExternalRejection) return await refuse(deps, ap, `BRON weigert de verbinding: ${e.message}`, e.code);
              throw e;
            }
            for (const m of batch) {
              status.set(m.mutatieId, "AFGEKEURD");
              newSignals.push(signal(e.code ?? "BRON", "AFKEUR", `BRON weigerde de levering: ${e.message}`, m.mutatieId, null));
            }
            afgekeurd += batch.length;
          }
          leveringen++;
          // Recorded after every delivery, so a retry after a crash resends only what BRON did not confirm.
          await deps.state.updateActions(ap, actions, actions.map((a) => ({ ...a, status: status.get(a.id) ?? a.status })));
        }
      } finally {
        bron.close();
      }
    }

    const writes = toLvs.flatMap((a) => {
      const w = toLvsWrites(a, ix);
      if (!w.ok) newSignals.push(signal("VERWERKEN_LVS", "AFKEUR", w.reason, a.id, null));
      return w.ok ? w.value.map((write) => ({ write, actionId: a.id, requestId: lvsRequestId(ap, input.today, write) })) : [];
    });
    const outcome = await writeToLvs(deps, ap, input.today, writes.map((w) => w.write));
    const notApplied = new Set(writes.filter((w) => outcome.afgehandeld.get(w.requestId) !== "TOEGEPAST").map((w) => w.actionId));
    for (const actionId of new Set(writes.map((w) => w.actionId))) {
      if (notApplied.has(actionId)) newSignals.push(signal("LVS_GEWIJZIGD", "ATTENTIE", "LVS2000 is intussen gewijzigd of kent de leerling niet; bepaal de acties opnieuw.", actionId, null));
      else status.set(actionId, "VERWERKT");
    }

    await deps.state.updateActions(ap, actions, actions.map((a) => ({ ...a, status: status.get(a.id) ?? a.status })));
    if (newSignals.length > 0) await deps.state.saveSignals(ap, [...signals, ...newSignals]);
    const verzonden = [...status.values()].filter((s) => s === "IN_BEHANDELING").length;
    const naarLvs = [...status.values()].filter((s) => s === "VERWERKT").length;
    await deps.state.audit(ap, deps.now(), { op: "VERZENDEN", door: "systeem", wat: "verwerkt en verzonden", details: { verzonden, leveringen, afgekeurd, naarLvs } });
    return { geweigerd: false, verzonden, leveringen, afgekeurd, naarLvs, lvsConflicten: notApplied.size };
  };
}

/**
 * Rule: a delivery BRON refuses at once is Afgekeurd — when BRON refuses the message itself (its content
 * breaks the contract, or it is about an aanleverpunt this certificate may not deliver for). A refused
 * connection (TLS, HTTP 4xx, the certificate) says nothing about the mutations: the run stops instead.
 */
function refusesTheDelivery(e: unknown): e is ServiceError {
  return (e instanceof ValidationError && e.code === "SCHEMA_ONGELDIG") || (e instanceof ExternalRejection && e.code === "AANLEVERPUNT_NIET_TOEGESTAAN");
}

async function refuse(deps: SyncDeps, ap: string, reden: string, probleem: string | null): Promise<SendResult> {
  await deps.state.audit(ap, deps.now(), { op: "VERZENDEN", door: "systeem", wat: "verzenden geweigerd", details: { probleem } });
  return { geweigerd: true, reden };
}

const refuseForCertificate = (deps: SyncDeps, ap: string, e: CertificateUnavailableError) => refuse(deps, ap, e.message, e.problem);
