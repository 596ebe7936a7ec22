import { app, output, type InvocationContext, type Timer } from "@azure/functions";
import * as df from "durable-functions";
import { z } from "zod";
import { makeCheck } from "../src/activities/check.js";
import { makeDetermine } from "../src/activities/determine.js";
import { withFailureMarker } from "../src/activities/failures.js";
import { makeFetchFeedback } from "../src/activities/fetch-feedback.js";
import { makeRefreshOverzicht } from "../src/activities/refresh-overzicht.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";
import { makeSend } from "../src/activities/send.js";
import { deleteSnapshot } from "../src/activities/snapshots.js";
import { Aanleverpunt } from "../src/core/model.js";
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

const syncQueue = output.storageQueue({ queueName: SYNC_QUEUE, connection: "AzureWebJobsStorage" });

/**
 * Daily: one sync request per aanleverpunt of every school in the registry that takes part in the
 * daily run, through the queue (retries, poison queue). No relay is asked here: a school whose relay
 * is down gets its request too, and only its own run finds out.
 */
app.timer("dagelijkseSync", {
  schedule: "%SYNC_SCHEDULE%",
  extraOutputs: [syncQueue],
  handler: async (_timer: Timer, context: InvocationContext) => {
    const schools = (await runtimeDeps().schools.list()).filter((s) => s.instellingen.dagelijkseSync);
    const aanleverpunten = schools.flatMap((s) => s.aanleverpunten);
    context.extraOutputs.set(syncQueue, aanleverpunten.map((a) => ({ aanleverpunt: a.code, aanleiding: "DAGELIJKS" })));
    context.log(`dagelijkse sync: ${aanleverpunten.length} aanleverpunten in de wachtrij`);
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
    const outcome = await startSync(df.getClient(context), { ...request, overzichtWachttijdSeconden: config().OVERZICHT_WACHTTIJD_SECONDEN }, { vervangWachtend: request.aanleiding === "DAGELIJKS" });
    context.log(outcome.gestart ? `sync gestart: ${outcome.instanceId}` : `sync overgeslagen: ${outcome.instanceId} (${outcome.reden})`);
  },
});
