import { createHash } from "node:crypto";
import { actionsAfterFeedback, applyFeedback, signalsAfterFeedback } from "../core/apply-feedback.js";
import { FeedbackMessage } from "../core/model.js";
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

/**
 * Ophalen terugkoppeling: fetches BRON's queued feedback, stores every message as received in the
 * feedback inbox, and only then acknowledges it (nothing acknowledged is ever lost). Then processes
 * every message in the inbox not yet processed: the mirror and the actions move on, and what must go
 * into LVS2000 at once (assigned PGNs, spontane mutaties) is written through the relay. A message that
 * cannot be read or processed stays in the inbox with its error. When the relay speaks another API
 * version, the inbox is left as it is (processed on a later run); acties bepalen then refuses the run
 * with the reason.
 */
export function makeFetchFeedback(deps: SyncDeps) {
  return async (input: ActivityInput): Promise<FetchFeedbackResult> => {
    const ap = input.aanleverpunt;
    const bron = deps.bron(ap);
    let opgehaald = 0;
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const res = await bron.fetchFeedback();
        const ids: string[] = [];
        const at = deps.now().toISOString();
        for (const m of res.terugkoppelingen) {
          await deps.state.storeFeedback(ap, m.id, JSON.stringify(m), m.ontvangenOp);
          ids.push(m.id);
        }
        for (const bad of res.onleesbaar) {
          const id = bad.id ?? `onleesbaar-${createHash("sha256").update(bad.raw).digest("hex").slice(0, 24)}`;
          await deps.state.storeFeedback(ap, id, bad.raw, at);
          await deps.state.markFeedback(ap, id, "MISLUKT", `Bericht kon niet worden gelezen: ${bad.fout}`);
          if (bad.id !== null) ids.push(bad.id);
        }
        if (ids.length > 0) await bron.acknowledge(ids);
        opgehaald += ids.length;
        if (!res.meerBeschikbaar) break;
      }
    } finally {
      bron.close();
    }
    try {
      return { opgehaald, ...(await processInbox(deps, input)) };
    } catch (e) {
      if (e instanceof IncompatibleVersionError) return { opgehaald, verwerkt: 0, mislukt: 0, lvsWrites: 0 };
      throw e;
    }
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
      await deps.state.markFeedback(ap, entry.id, "MISLUKT", `Bericht voldoet niet aan het contract: ${parsed.error.issues[0]?.message ?? "onbekend"}`);
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
  for (const m of messages) await deps.state.markFeedback(ap, m.id, failed.has(m.id) ? "MISLUKT" : "VERWERKT", failed.get(m.id) ?? null);
  mislukt += failed.size;

  await deps.state.audit(ap, deps.now(), { op: "TERUGKOPPELING", door: "systeem", wat: "terugkoppeling verwerkt", details: { verwerkt: messages.length - failed.size, mislukt, lvsWrites: written.toegepast } });
  return { verwerkt: messages.length - failed.size, mislukt, lvsWrites: written.toegepast };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
