import type { HartslagAntwoord, UpdateResultaat } from "../../contracts/relay/contact.js";
import type { Log } from "../log.js";
import { createReleaseDownload } from "./download.js";
import { createHealth, type Health } from "./health.js";
import { markUpdateResultReported, relayDataDir } from "./state.js";
import { underSupervisor } from "./supervisor-ipc.js";
import { createUpdater, type UpdaterDeps } from "./updater.js";

/**
 * The relay's update parts (docs/relay.md "Update"), composed at start (src/relay/run.ts) and hooked into
 * the heartbeat (src/relay/app.ts): the health a version on trial reports to the supervisor, the last
 * update's result the heartbeat carries (once), and the offer in the heartbeat's answer.
 */
export interface RelayUpdates {
  health: Health;
  dataDir: string;
  /** false when the supervisor found the data folder not writable (it sets RELAY_UPDATES=uit) */
  enabled: boolean;
}

export function relayUpdates(env: Record<string, string | undefined>, versie: string): RelayUpdates {
  return { health: createHealth(versie), dataDir: relayDataDir(env, process.platform), enabled: env.RELAY_UPDATES !== "uit" };
}

/** What the heartbeat needs from the update parts. */
export function heartbeatHooks(
  u: RelayUpdates,
  o: { cloudUrl: string; school: string; ca?: string; key: () => Buffer; relayVersion: string; log: Log; download?: UpdaterDeps["download"]; canSwap?: () => boolean; publicKey?: string },
): { laatsteUpdate: () => UpdateResultaat | null; onAnswer: (a: HartslagAntwoord) => void } {
  const updater = createUpdater({
    dataDir: u.dataDir,
    versie: o.relayVersion,
    download: o.download ?? createReleaseDownload({ cloudUrl: o.cloudUrl, school: o.school, key: o.key, ...(o.ca ? { ca: o.ca } : {}) }),
    log: o.log,
    ...(o.publicKey ? { publicKey: o.publicKey } : {}),
    canSwap: () => u.enabled && (o.canSwap ?? underSupervisor)(),
  });
  let sent: UpdateResultaat | null = null;
  return {
    laatsteUpdate: () => {
      const r = updater.unreported();
      sent = r;
      return r;
    },
    onAnswer: (a) => {
      // any answer means the cloud recorded the heartbeat and its result; only an accepted one counts for health
      if (a.geaccepteerd) u.health.heartbeatAccepted();
      try {
        if (sent) markUpdateResultReported(u.dataDir, sent);
      } catch (e) {
        o.log("update_resultaat_niet_bewaard", { code: String((e as { code?: string }).code ?? (e as Error).name) });
      }
      sent = null;
      // also (above all) when this version is refused as too old: the offer is how it gets back in
      if (a.update) {
        updater.handleOffer(a.update).catch((e: unknown) => {
          o.log("update_mislukt", { code: String((e as { code?: string }).code ?? (e as Error).name), melding: `De update naar versie ${a.update?.versie ?? "?"} kon niet worden opgeslagen in ${u.dataDir}; de huidige versie blijft draaien.` });
        });
      }
    },
  };
}
