import { ConnectionError } from "tedious";
import { DatabaseVersionError, RELAY_VERSION, type RunningRelay, startRelay } from "./app.js";
import { createLog } from "./log.js";
import { QueueAccessError } from "./queue-transport.js";
import { loadRelayConfig, RelayConfigError } from "./relay-config.js";
import { relayUpdates } from "./update/index.js";
import { detectSupervisor, onSupervisorStop } from "./update/supervisor-ipc.js";

/**
 * Runs the on-prem relay (`npm run relay`, `bronsync-relay start`): the on-prem relay in front of LVS2000. Configuration comes from RELAY_* variables
 * and/or the JSON file named by RELAY_CONFIG_FILE (see docs/relay.md). A bad configuration or an
 * LVS2000 database older than 2.10, a refused login or a database without the LVS2000 tables stops
 * it at once; an unreachable database (say, SQL Server still
 * starting after a reboot) is retried with back-off. Stops cleanly on SIGINT/SIGTERM and then logs
 * its peak memory (maxRSS), which the benchmark reads.
 */
const log = createLog();
const BACKOFF_SECONDS = [1, 2, 5, 10, 30];
let stopping = false;
let relay: RunningRelay | undefined;

function fatal(e: unknown): never {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}

async function stop(): Promise<void> {
  stopping = true;
  await relay?.stop();
  log("relay_stopped", { maxRssKb: process.resourceUsage().maxRSS });
  process.exit(0);
}

async function main(env: Record<string, string | undefined>): Promise<void> {
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  // under the supervisor (bronsync-relay start): it asks to stop over IPC (also on Windows), and a
  // version on trial reports itself healthy once it reached LVS2000 and a heartbeat was accepted
  detectSupervisor(env);
  onSupervisorStop(() => void stop());
  const updates = relayUpdates(env, RELAY_VERSION);
  const config = loadRelayConfig(env);
  for (let attempt = 1; !stopping; attempt++) {
    try {
      relay = await startRelay(config, { log, updates, ...(env.RELAY_CONFIG_FILE ? { configFile: env.RELAY_CONFIG_FILE } : {}) });
      updates.health.databaseReached();
      return;
    } catch (e) {
      if (e instanceof DatabaseVersionError || e instanceof QueueAccessError) fatal(e);
      const code = (e as { code?: string }).code;
      if (code === "ELOGIN") fatal(new Error(`Inloggen op de LVS2000-database mislukt; controleer RELAY_SQL_AUTH/USER/PASSWORD/DOMAIN (${(e as Error).message})`));
      if (!(e instanceof ConnectionError)) fatal(new Error(`De database lijkt geen LVS2000-database (tabel DatabaseVersie niet leesbaar): ${(e as Error).message}`));
      const wait = BACKOFF_SECONDS[Math.min(attempt, BACKOFF_SECONDS.length) - 1]!;
      log("relay_waiting_for_database", { attempt, code: String((e as { code?: string }).code ?? (e as Error).name), retryInSeconds: wait });
      await new Promise((r) => setTimeout(r, wait * 1000));
    }
  }
}

/** Starts the relay with the settings in `env` (RELAY_*, RELAY_CONFIG_FILE); exits the process on a fatal error. */
export function runRelay(env: Record<string, string | undefined>): void {
  main(env).catch((e: unknown) => {
    if (e instanceof RelayConfigError) fatal(e);
    log("relay_failed", { soort: e instanceof Error ? e.name : "Error", code: String((e as { code?: string }).code ?? "") });
    fatal(e);
  });
}
