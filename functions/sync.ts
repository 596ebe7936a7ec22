import { app, type InvocationContext, type Timer } from "@azure/functions";
import { QueueServiceClient } from "@azure/storage-queue";
import * as df from "durable-functions";
import { z } from "zod";
import { makeCheck } from "../src/activities/check.js";
import { makeDetermine } from "../src/activities/determine.js";
import { withFailureMarker } from "../src/activities/failures.js";
import { makeFetchFeedback } from "../src/activities/fetch-feedback.js";
import { makeRefreshOverzicht } from "../src/activities/refresh-overzicht.js";
import { credentialOf } from "../src/activities/compose.js";
import { enqueueDailyRun } from "../src/activities/daily-run.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";
import { makeSend } from "../src/activities/send.js";
import { deleteSnapshot } from "../src/activities/snapshots.js";
import { Aanleverpunt } from "../src/core/model.js";
import { loadInstellingen } from "../src/activities/beheer.js";
import { dailyRunDue } from "../src/core/instellingen.js";
import { ACTIVITY, SYNC_ORCHESTRATION, SYNC_QUEUE } from "../src/orchestrations/names.js";
import { startSync } from "../src/orchestrations/start-sync.js";
import { syncAanleverpunt } from "../src/orchestrations/sync-aanleverpunt.js";

// The sync of one aanleverpunt: orchestration, its activities, and what starts it.

df.app.orchestration(SYNC_ORCHESTRATION, syncAanleverpunt);

type Handler<I, O> = (deps: ReturnType<typeof runtimeDeps>) => (input: I) => Promise<O>;
// Whatever an activity throws reaches the orchestration as a Dutch reason with its taxonomy (retry or not).
const activity = <I, O>(name: string, make: Handler<I, O>) =>
  df.app.activity(name, { handler: (input: I, context: InvocationContext) => withFailureMarker(make(runtimeDeps()), (line) => context.warn(`${name}: ${line}`))(input) });
activity(ACTIVITY.fetchFeedback, makeFetchFeedback);
activity(ACTIVITY.refreshOverzicht, makeRefreshOverzicht);
activity(ACTIVITY.determine, makeDetermine);
activity(ACTIVITY.check, makeCheck);
activity(ACTIVITY.send, makeSend);
activity(ACTIVITY.cleanup, (deps) => async (input: { snapshot: string }) => deleteSnapshot(deps.snapshots, input.snapshot));

/** The sync queue on the app's own storage account (AzureWebJobsStorage), as the queue trigger reads it. */
function syncQueue() {
  const cfg = config();
  const service =
    cfg.AzureWebJobsStorage !== undefined
      ? QueueServiceClient.fromConnectionString(cfg.AzureWebJobsStorage)
      : new QueueServiceClient(`https://${cfg.AzureWebJobsStorage__accountName ?? ""}.queue.core.windows.net`, credentialOf(cfg));
  return service.getQueueClient(SYNC_QUEUE);
}

/**
 * Hourly (SYNC_SCHEDULE): one daily sync request per aanleverpunt of every school in the registry that
 * takes part in the daily run and whose instellingen name this hour (Dutch time), through the queue
 * (retries, poison queue), each made visible at its own hash-derived offset within
 * SYNC_SPREIDING_SECONDEN (src/activities/daily-run.ts), so thousands of aanleverpunten do not start in
 * the same second.
 */
app.timer("dagelijkseSync", {
  schedule: "%SYNC_SCHEDULE%",
  handler: async (_timer: Timer, context: InvocationContext) => {
    const queue = syncQueue();
    await queue.createIfNotExists();
    const deps = runtimeDeps();
    const now = new Date();
    const due = async (aanleverpunt: string) => dailyRunDue(await loadInstellingen(deps, aanleverpunt), now);
    const out = await enqueueDailyRun({ schools: deps.schools, queue, encoding: "base64" }, { windowSeconds: config().SYNC_SPREIDING_SECONDEN, due });
    context.log(`dagelijkse sync: ${out.aanleverpunten} aanleverpunten in de wachtrij, gespreid over ${out.laatsteStartSeconden} s`);
  },
});

const SyncRequest = z.object({ aanleverpunt: Aanleverpunt, aanleiding: z.enum(["DAGELIJKS", "HANDMATIG"]) });

/** A sync request from the queue starts the orchestration (unless that aanleverpunt's sync is running). */
app.storageQueue("startSync", {
  queueName: SYNC_QUEUE,
  connection: "AzureWebJobsStorage",
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    const request = SyncRequest.parse(message);
    const { verzendwijze, wachttijdUren } = await loadInstellingen(runtimeDeps(), request.aanleverpunt);
    const input = { ...request, overzichtWachttijdSeconden: config().OVERZICHT_WACHTTIJD_SECONDEN, verzendwijze, wachttijdUren };
    const outcome = await startSync(df.getClient(context), input, { vervangWachtend: request.aanleiding === "DAGELIJKS" });
    context.log(outcome.gestart ? `sync gestart: ${outcome.instanceId}` : `sync overgeslagen: ${outcome.instanceId} (${outcome.reden})`);
  },
});
