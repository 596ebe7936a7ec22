import { app, type InvocationContext, type Timer } from "@azure/functions";
import { channelConnectionOf } from "../src/activities/compose.js";
import { renewRelayChannels } from "../src/activities/relay-channels.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";

/**
 * Daily at 03:15 UTC: every school's relay access (the stored access policy its SAS names) that runs out
 * within 60 days gets a new expiry — the relay keeps its URL, nobody visits the school (docs/relay.md).
 */
app.timer("relaytoegangVerlengen", {
  schedule: "0 15 3 * * *",
  handler: async (_timer: Timer, context: InvocationContext) => {
    const counts = await renewRelayChannels({ schools: runtimeDeps().schools, channelConnection: channelConnectionOf(config()), now: () => new Date() });
    context.log(`relaytoegang: ${counts.VERNIEUWD} verlengd, ${counts.NOG_GELDIG} nog geldig, ${counts.INGETROKKEN} ingetrokken, ${counts.FOUT} mislukt`);
    if (counts.FOUT > 0) context.warn(`relaytoegang: bij ${counts.FOUT} school/scholen mislukte het verlengen; morgen volgt een nieuwe poging`);
  },
});
