import { DatabaseVersionError, startRelay } from "./app.js";
import { createLog } from "./log.js";
import { loadRelayConfig, RelayConfigError } from "./relay-config.js";

/**
 * `npm run relay`: the on-prem relay in front of LVS2000. Configuration comes from RELAY_* variables
 * and/or the JSON file named by RELAY_CONFIG_FILE (see docs/relay.md). Stops cleanly on SIGINT/SIGTERM
 * and then logs its peak memory (maxRSS), which the benchmark reads.
 */
const log = createLog();

async function main(): Promise<void> {
  // The relay is its own program on the school's server with its own settings; it does not use the
  // cloud app's src/config.ts. This is the one place it reads the environment (passed in, validated by zod).
  // eslint-disable-next-line no-restricted-properties
  const config = loadRelayConfig(process.env);
  const relay = await startRelay(config, { log });
  const stop = async () => {
    await relay.stop();
    log("relay_stopped", { maxRssKb: process.resourceUsage().maxRSS });
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((e: unknown) => {
  if (e instanceof RelayConfigError || e instanceof DatabaseVersionError) {
    console.error(e.message);
  } else {
    log("relay_failed", { soort: e instanceof Error ? e.name : "Error", code: String((e as { code?: string }).code ?? "") });
    console.error(e instanceof Error ? e.message : String(e));
  }
  process.exit(1);
});
