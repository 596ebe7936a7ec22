import { createHash } from "node:crypto";
import { actionsAfterFeedback, applyFeedback, signalsAfterFeedback } from "../core/apply-feedback.js";
import { FeedbackMessage } from "../core/model.js";
import { AUDIT_DAYS, retentionCutoff } from "../core/retention.js";
import type { ActivityInput, SyncDeps } from "./deps.js";
import { writeToLvs } from "./lvs-writes.js";
import { IncompatibleVersionError } from "../errors.js";

export interface FetchFeedbackResult {
  opgehaald: number;
  verwerkt: number;
  mislukt: number;
  lvsWrites: number;
}

/** At most this many fetch rounds per run; the rest waits for the next run (BRON keeps it until acknowledged). */
const MAX_ROUNDS = 50;

/** A failed message's raw content is kept this long after it arrived, to look into it; then only its record stays. */
export const FAILED_RAW_DAYS = 90;

/**
 * The contract's Id (bron-berichten.xsd): 1–80 characters, no white space at either end. Only such
 * an id can be acknowledged (bevestigenOntvangst takes the same type) and used as the inbox key.
 */
export function usableFeedbackId(id: string | null): id is string {
  return id !== null && id.length >= 1 && id.length <= 80 && /^\S(?:[\s\S]*\S)?$/.test(id);
}

/** The inbox id of a message whose own id is missing or unusable: derived from its content, so it is stored once. */
const derivedId = (raw: string) => `kenmerk-onbruikbaar-${createHash("sha256").update(raw).digest("hex").slice(0, 24)}`;

function unusableIdReason(id: string | null): string {
  if (id === null) return "Bericht van BRON zonder kenmerk (terugkoppelingId ontbreekt)";
  return `Bericht van BRON met een onbruikbaar kenmerk (${id.length} tekens; toegestaan zijn 1 tot 80 tekens zonder spatie aan begin of eind)`;
}

/**
 * Ophalen terugkoppeling: fetches BRON's queued feedback, stores every message as received in the
 * feedback inbox, and only then acknowledges it (nothing acknowledged is ever lost). Then processes
 * every message in the inbox not yet processed: the mirror and the actions move on, and what must go
 * into LVS2000 at once (assigned PGNs, spontane mutaties) is written through the relay. A message that
 * cannot be read or processed stays in the inbox with its error. When the relay speaks another API
 * version, the inbox is left as it is (processed on a later run); acties bepalen then refuses the run
 * with the reason.
 *
 * A message whose id is missing or breaks the contract is kept too (under an id derived from its
 * content, failed, with the reason) and never stops the messages beside it; it cannot be acknowledged
 * (there is no id to name), so BRON offers it again and it is recognised, not stored twice.
 */
export function makeFetchFeedback(deps: SyncDeps) {
  return async (input: ActivityInput): Promise<FetchFeedbackResult> => {
    const ap = input.aanleverpunt;
    const bron = deps.bron(ap);
    let opgehaald = 0;

    /** Keeps a message that cannot be processed: stored once, failed with its reason. */
    const keepFailed = async (id: string, raw: string, ontvangenOp: string, soort: string | null, fout: string) => {
      const entry = await deps.state.storeFeedback(ap, id, raw, ontvangenOp, soort);
      if (entry.status === "ONTVANGEN") await deps.state.markFeedback(ap, id, "MISLUKT", fout, deps.now());
    };

    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const res = await bron.fetchFeedback();
        const ids: string[] = [];
        const at = deps.now().toISOString();
        for (const m of res.terugkoppelingen) {
          const raw = JSON.stringify(m);
          if (usableFeedbackId(m.id)) {
            await deps.state.storeFeedback(ap, m.id, raw, m.ontvangenOp, m.soort, aboutOf(m));
            ids.push(m.id);
          } else {
            await keepFailed(derivedId(raw), raw, m.ontvangenOp, m.soort, `${unusableIdReason(m.id)}; niet verwerkt en niet bevestigd.`);
          }
        }
        for (const bad of res.onleesbaar) {
          if (usableFeedbackId(bad.id)) {
            await keepFailed(bad.id, bad.raw, at, null, `Bericht kon niet worden gelezen: ${bad.fout}`);
            ids.push(bad.id);
          } else {
            await keepFailed(derivedId(bad.raw), bad.raw, at, null, `${unusableIdReason(bad.id)}; niet bevestigd. Leesfout: ${bad.fout}`);
          }
        }
        if (ids.length > 0) await bron.acknowledge(ids);
        opgehaald += ids.length;
        // nothing acknowledged: BRON would hand out the very same messages again
        if (!res.meerBeschikbaar || ids.length === 0) break;
      }
    } finally {
      bron.close();
    }
    let result: Awaited<ReturnType<typeof processInbox>>;
    try {
      result = await processInbox(deps, input);
    } catch (e) {
      if (!(e instanceof IncompatibleVersionError)) throw e;
      result = { verwerkt: 0, mislukt: 0, lvsWrites: 0 };
    }
    // retention (docs/privacy.md): every run forgets what is past its term
    const now = deps.now();
    await deps.state.forgetFailedFeedbackBefore(ap, retentionCutoff(now, FAILED_RAW_DAYS));
    await deps.state.forgetExpiredActionDetail(ap, now);
    await deps.state.forgetAuditBefore(ap, retentionCutoff(now, AUDIT_DAYS));
    return { opgehaald, ...result };
  };
}

async function processInbox(deps: SyncDeps, input: ActivityInput): Promise<Omit<FetchFeedbackResult, "opgehaald">> {
  const ap = input.aanleverpunt;
  const open = (await deps.state.listFeedback(ap)).filter((e) => e.status === "ONTVANGEN");
  if (open.length === 0) return { verwerkt: 0, mislukt: 0, lvsWrites: 0 };

  const messages: FeedbackMessage[] = [];
  let mislukt = 0;
  for (const entry of open) {
    const parsed = FeedbackMessage.safeParse(safeJson(await deps.state.readFeedbackRaw(entry)));
    if (parsed.success) messages.push(parsed.data);
    else {
      mislukt++;
      await deps.state.markFeedback(ap, entry.id, "MISLUKT", `Bericht voldoet niet aan het contract: ${parsed.error.issues[0]?.message ?? "onbekend"}`, deps.now());
    }
  }

  const [mirror, actions, signals] = await Promise.all([deps.state.loadMirror(ap), deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
  const result = applyFeedback(mirror, actions, messages, input.today);
  // LVS2000 first: a retry after a crash below re-applies the same messages and repeats the same
  // (idempotent) writes; the messages are marked processed only once everything they caused is stored.
  const written = await writeToLvs(deps, ap, input.today, result.lvsWrites);
  await deps.state.saveMirror(result.mirror);
  await deps.state.updateActions(ap, actions, actionsAfterFeedback(actions, result));
  await deps.state.saveSignals(ap, signalsAfterFeedback(signals, result));

  const failed = new Map(result.failed.map((f) => [f.messageId, f.error]));
  const done = deps.now();
  for (const m of messages) await deps.state.markFeedback(ap, m.id, failed.has(m.id) ? "MISLUKT" : "VERWERKT", failed.get(m.id) ?? null, done);
  mislukt += failed.size;

  await deps.state.audit(ap, deps.now(), { op: "TERUGKOPPELING", door: "systeem", wat: "terugkoppeling verwerkt", details: { verwerkt: messages.length - failed.size, mislukt, lvsWrites: written.toegepast } });
  return { verwerkt: messages.length - failed.size, mislukt, lvsWrites: written.toegepast };
}

/** The pupil and mutation a message is about (ids only), so a pupil's feedback history can be shown after its content is gone. */
function aboutOf(m: FeedbackMessage): { leerlingId: string | null; mutatieId: string | null } {
  switch (m.soort) {
    case "AFKEUR":
      return { leerlingId: null, mutatieId: m.mutatieId };
    case "INSCHRIJVING_GEACCEPTEERD":
      return { leerlingId: m.leerling.leerlingId, mutatieId: m.mutatieId };
    case "SPONTANE_MUTATIE":
    case "WIJZIGING_SLEUTELGEGEVENS":
      return { leerlingId: m.leerling.leerlingId, mutatieId: null };
    case "DUBBELE_INSCHRIJVING":
      return { leerlingId: m.dubbel.leerlingId, mutatieId: null };
    case "REGISTRATIEOVERZICHT":
      return { leerlingId: null, mutatieId: null };
    default: {
      const never: never = m;
      return never;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
