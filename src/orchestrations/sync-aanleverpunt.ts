import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import { z } from "zod";
import { dutchDay } from "../core/dates.js";
import { Verzendwijze } from "../core/instellingen.js";
import { Aanleverpunt, IsoDate } from "../core/model.js";
import type { CheckResult } from "../activities/check.js";
import type { DetermineActivityResult } from "../activities/determine.js";
import type { FetchFeedbackResult } from "../activities/fetch-feedback.js";
import type { RefreshResult } from "../activities/refresh-overzicht.js";
import type { SendResult } from "../activities/send.js";
import { ACTIVITY, DECISIONS_EVENT, SEND_EVENT } from "./names.js";
import { createRetrying, RunRefused } from "./retrying.js";

export const SyncInput = z.object({
  aanleverpunt: Aanleverpunt,
  aanleiding: z.enum(["DAGELIJKS", "HANDMATIG"]),
  /** how long the run waits for decisions before it ends (the next daily run picks up from there) */
  wachttijdUren: z.number().min(0).max(24 * 6).default(20),
  /** the manual: after asking for a registratieoverzicht, wait one minute, then fetch the feedback */
  overzichtWachttijdSeconden: z.number().int().min(0).max(3600).default(60),
  /** a manual start's own id: the run's input tells which of several concurrent starts won (functions/api.ts) */
  aanvraag: z.string().max(64).optional(),
  /**
   * A registratieoverzicht asked on demand (manual ch. 4 "Peildatum"): always asked, for this peildatum.
   * One with a peildatum in the past is historical: for viewing only, determination then waits for a current one.
   */
  peildatum: IsoDate.optional(),
  /** NA_BEVESTIGING: nothing is sent until a person presses 'Verwerken en verzenden' (the verzenden event) */
  verzendwijze: Verzendwijze.default("AUTOMATISCH"),
});
export type SyncInput = z.input<typeof SyncInput>;

export type SyncFase = "TERUGKOPPELING_OPHALEN" | "REGISTRATIEOVERZICHT" | "ACTIES_BEPALEN" | "CONTROLEREN" | "WACHT_OP_VERZENDEN" | "VERZENDEN" | "WACHT_OP_BESLISSING" | "KLAAR" | "GEWEIGERD";

export interface SyncStatus {
  fase: SyncFase;
  ronde: number;
  wachtOpBeslissing?: number;
  /** WACHT_OP_VERZENDEN: the checked actions that 'Verwerken en verzenden' would send or write */
  teVerzenden?: number;
  reden?: string;
  /** Dutch summary of the transient failures this run retried */
  storingen?: string;
}

export interface SyncOutput {
  fase: "KLAAR" | "GEWEIGERD";
  reden: string | null;
  terugkoppeling: FetchFeedbackResult[];
  verzonden: number;
  naarLvs: number;
  afkeur: number;
  wachtOpBeslissing: number;
}

/**
 * Activities that talk to BRON or the relay retry transient failures (the work is idempotent by
 * design); a failure retrying cannot heal ends the run as GEWEIGERD with its Dutch reason (retrying.ts).
 */
interface RunShell {
  call<T>(name: string, input: unknown): Generator<Task, T, unknown>;
  status(s: SyncStatus): void;
}

/** Rounds of check → send after decisions arrive, before the run ends anyway. */
const MAX_ROUNDS = 20;

/**
 * One sync of one aanleverpunt (domain.md "The cycle"): ophalen terugkoppeling → registratieoverzicht
 * when stale → acties bepalen → controleren → verzenden; then, while differences wait for a person,
 * wait for the "beslissingen" event (or until the waiting time runs out) and check and send again.
 * Deterministic: time only from context.df; only ids, dates and counts in inputs and outputs.
 */
function* syncRun(context: OrchestrationContext, shell: RunShell, out: SyncOutput): ReturnType<OrchestrationHandler> {
  const input = SyncInput.parse(context.df.getInput());
  const started = context.df.currentUtcDateTime;
  const base = { aanleverpunt: input.aanleverpunt, today: dutchDay(started), instanceId: context.df.instanceId };
  const status = shell.status;

  status({ fase: "TERUGKOPPELING_OPHALEN", ronde: 0 });
  out.terugkoppeling.push(yield* shell.call(ACTIVITY.fetchFeedback, base));

  status({ fase: "REGISTRATIEOVERZICHT", ronde: 0 });
  // asked on demand: with its peildatum and the request's own key (a second request the same day is a new one)
  const onDemand = input.peildatum === undefined ? {} : { peildatum: input.peildatum, aanvraag: input.aanvraag ?? started.toISOString() };
  const refresh: RefreshResult = yield* shell.call(ACTIVITY.refreshOverzicht, { ...base, ...onDemand });
  if (refresh.aangevraagd) {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + input.overzichtWachttijdSeconden * 1000));
    out.terugkoppeling.push(yield* shell.call(ACTIVITY.fetchFeedback, base));
  }

  status({ fase: "ACTIES_BEPALEN", ronde: 0 });
  const determined: DetermineActivityResult = yield* shell.call(ACTIVITY.determine, base);
  if (determined.geweigerd) {
    status({ fase: "GEWEIGERD", ronde: 0, reden: determined.reden });
    return { ...out, fase: "GEWEIGERD", reden: determined.reden };
  }

  const waitUntil = new Date(started.getTime() + input.wachttijdUren * 3_600_000);
  let released = input.verzendwijze === "AUTOMATISCH";
  for (let ronde = 1; ronde <= MAX_ROUNDS; ronde++) {
    status({ fase: "CONTROLEREN", ronde });
    // after a wait LVS2000 is read again: what a person fixed there meanwhile counts (manual: 'Verversen')
    const checkInput = { ...base, snapshot: determined.snapshot, ...(ronde > 1 ? { ververs: true } : {}) };
    const checked: CheckResult = ronde > 1 ? yield* shell.call(ACTIVITY.check, checkInput) : yield context.df.callActivity(ACTIVITY.check, checkInput);
    out.afkeur = checked.afkeur;
    out.wachtOpBeslissing = checked.wachtOpBeslissing;

    // the manual's way: the checked actions wait for a person to press 'Verwerken en verzenden'
    if (!released && checked.gecontroleerd > 0) {
      if (ronde === MAX_ROUNDS || context.df.currentUtcDateTime >= waitUntil) break;
      status({ fase: "WACHT_OP_VERZENDEN", ronde, teVerzenden: checked.gecontroleerd, wachtOpBeslissing: checked.wachtOpBeslissing });
      const send = context.df.waitForExternalEvent(SEND_EVENT);
      const decided = context.df.waitForExternalEvent(DECISIONS_EVENT);
      const timeout = context.df.createTimer(waitUntil);
      const winner: unknown = yield context.df.Task.any([send, decided, timeout]);
      if (winner === timeout) break;
      timeout.cancel();
      released = winner === send;
      continue; // checked again (LVS2000 read again) before anything is sent
    }

    status({ fase: "VERZENDEN", ronde });
    let sent: SendResult;
    try {
      sent = yield* shell.call(ACTIVITY.send, { ...base, snapshot: determined.snapshot });
    } catch (e) {
      // a send that cannot heal ends as a refused one: the snapshot (personal data) is cleaned up
      if (!(e instanceof RunRefused)) throw e;
      sent = { geweigerd: true, reden: e.reden };
    }
    if (sent.geweigerd) {
      yield context.df.callActivity(ACTIVITY.cleanup, { snapshot: determined.snapshot });
      status({ fase: "GEWEIGERD", ronde, reden: sent.reden });
      return { ...out, fase: "GEWEIGERD", reden: sent.reden };
    }
    out.verzonden += sent.verzonden;
    out.naarLvs += sent.naarLvs;
    released = input.verzendwijze === "AUTOMATISCH";

    // the last round does not wait for decisions it would not act on: the next run picks them up
    if (checked.wachtOpBeslissing === 0 || ronde === MAX_ROUNDS || context.df.currentUtcDateTime >= waitUntil) break;
    status({ fase: "WACHT_OP_BESLISSING", ronde, wachtOpBeslissing: checked.wachtOpBeslissing });
    const decided = context.df.waitForExternalEvent(DECISIONS_EVENT);
    const timeout = context.df.createTimer(waitUntil);
    const winner: unknown = yield context.df.Task.any([decided, timeout]);
    if (winner !== decided) break;
    timeout.cancel();
  }
  // KLAAR before the clean-up: a run that only waits may be replaced, one that cleans up may not
  status({ fase: "KLAAR", ronde: 0, wachtOpBeslissing: out.wachtOpBeslissing });
  yield context.df.callActivity(ACTIVITY.cleanup, { snapshot: determined.snapshot });
  return out;
}

export const syncAanleverpunt: OrchestrationHandler = function* (context: OrchestrationContext) {
  let last: SyncStatus = { fase: "TERUGKOPPELING_OPHALEN", ronde: 0 };
  const retrying = createRetrying(context, () => show());
  const show = () => {
    const storingen = retrying.log.summary();
    context.df.setCustomStatus(storingen === undefined ? last : { ...last, storingen });
  };
  const status = (s: SyncStatus) => {
    last = s;
    show();
  };
  // the report so far: a refusal keeps what the run already did
  const out: SyncOutput = { fase: "KLAAR", reden: null, terugkoppeling: [], verzonden: 0, naarLvs: 0, afkeur: 0, wachtOpBeslissing: 0 };
  try {
    return yield* syncRun(context, { call: retrying.call, status }, out);
  } catch (e) {
    if (!(e instanceof RunRefused)) throw e;
    status({ fase: "GEWEIGERD", ronde: 0, reden: e.reden });
    const refused: SyncOutput = { ...out, fase: "GEWEIGERD", reden: e.reden };
    return refused;
  }
};
