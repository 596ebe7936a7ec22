import { tellSupervisor } from "./supervisor-ipc.js";

/**
 * When a relay counts as healthy for the supervisor's trial of a new version (docs/relay.md "Update"):
 * it reached LVS2000 (the version check passed at start) and the cloud accepted a heartbeat. Reported
 * once, over the supervisor's IPC channel.
 */
export interface Health {
  databaseReached(): void;
  heartbeatAccepted(): void;
}

export function createHealth(versie: string, report: () => void = () => tellSupervisor({ soort: "gezond", versie })): Health {
  let db = false;
  let hb = false;
  let told = false;
  const check = () => {
    if (db && hb && !told) {
      told = true;
      report();
    }
  };
  return {
    databaseReached() {
      db = true;
      check();
    },
    heartbeatAccepted() {
      hb = true;
      check();
    },
  };
}
