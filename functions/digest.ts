import { app, type InvocationContext, type Timer } from "@azure/functions";
import * as df from "durable-functions";
import { sendDailyDigests } from "../src/activities/digest.js";
import { digestRuntime } from "../src/activities/digest-runtime.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { syncInstanceId } from "../src/orchestrations/names.js";

/**
 * Daily, after the sync (DIGEST_SCHEDULE): per school an e-mail digest to its contact addresses when
 * there is something to report (src/core/digest.ts), at most once per school per day
 * (src/activities/digest.ts). Logs counts per outcome only — no addresses, no names.
 */
app.timer("dagelijksOverzicht", {
  schedule: "%DIGEST_SCHEDULE%",
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext) => {
    const rt = digestRuntime();
    if (rt === null) {
      context.log("dagelijks overzicht: geen e-mail ingesteld (EMAIL_ENDPOINT/EMAIL_SENDER/BEHEER_URL), niets verzonden");
      return;
    }
    const deps = runtimeDeps();
    const client = df.getClient(context);
    const results = await sendDailyDigests({
      schools: deps.schools,
      relayStatus: deps.relayStatus,
      state: deps.state,
      certificates: deps.certificates,
      tables: rt.tables,
      mail: rt.mail,
      runFailed: async (ap) => (await client.getStatus(syncInstanceId(ap)).catch(() => undefined))?.runtimeStatus === df.OrchestrationRuntimeStatus.Failed,
      beheerUrl: rt.beheerUrl,
      now: () => new Date(),
    });
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.uitkomst] = (counts[r.uitkomst] ?? 0) + 1;
    context.log(`dagelijks overzicht: ${results.length} scholen; ${JSON.stringify(counts)}`);
    if (counts.FOUT !== undefined || counts.ONZEKER !== undefined) context.warn(`dagelijks overzicht: niet voor elke school zeker verzonden: ${JSON.stringify(counts)}`);
  },
});
