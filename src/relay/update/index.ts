import { RELAY_VERSION } from "../app.js";
import type { Log } from "../log.js";
import { createHealth, type Health } from "./health.js";
import { relayDataDir } from "./state.js";
import { createUpdater, type Updater, type UpdaterDeps } from "./updater.js";

/**
 * The relay's update parts, composed for a running relay (src/relay/run.ts): the health it reports to
 * the supervisor during a trial, and the updater the heartbeat hands its offer to. The heartbeat
 * (src/relay/contact, helper CONTACT) calls `health.heartbeatAccepted()`, `updater.handleOffer(answer.update)`
 * and sends `updater.unreported()` as its `laatsteUpdate`.
 */
export interface RelayUpdates {
  health: Health;
  updater: Updater;
  dataDir: string;
}

export function createRelayUpdates(env: Record<string, string | undefined>, log: Log, download: UpdaterDeps["download"]): RelayUpdates {
  const dataDir = relayDataDir(env, process.platform);
  return {
    dataDir,
    health: createHealth(RELAY_VERSION),
    updater: createUpdater({ dataDir, versie: RELAY_VERSION, download, log, ...(env.RELAY_UPDATES === "uit" ? { canSwap: () => false } : {}) }),
  };
}
