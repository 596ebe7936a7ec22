/**
 * The messages between a relay run by the supervisor (packages/relay/bin/bronsync-relay.js, which
 * starts it as a child process with an IPC channel) and that supervisor. Plain objects with a `soort`:
 *
 * child → supervisor
 *   { soort: "gezond", versie }                   reached LVS2000 and had a heartbeat accepted
 *   { soort: "update-klaar", versie, pad }        a verified bundle is stored at `pad`: swap to it
 * supervisor → child
 *   { soort: "stop" }                             stop cleanly (as SIGTERM; also on Windows)
 */
export type ToSupervisor = { soort: "gezond"; versie: string } | { soort: "update-klaar"; versie: string; pad: string };

let supervised = false;

/** Called once at start (src/relay/run.ts) with the relay's environment: the supervisor sets BRONSYNC_RELAY_SUPERVISOR=1 and an IPC channel. */
export function detectSupervisor(env: Record<string, string | undefined>): boolean {
  supervised = typeof process.send === "function" && env.BRONSYNC_RELAY_SUPERVISOR === "1";
  return supervised;
}

/** Whether this relay runs under the supervisor (only then can it swap itself). */
export function underSupervisor(): boolean {
  return supervised;
}

export function tellSupervisor(m: ToSupervisor): void {
  if (underSupervisor()) process.send!(m);
}

/** Calls `stop` when the supervisor asks the relay to stop. */
export function onSupervisorStop(stop: () => void): void {
  if (!underSupervisor()) return;
  process.on("message", (m: unknown) => {
    if (typeof m === "object" && m !== null && (m as { soort?: unknown }).soort === "stop") stop();
  });
  // the supervisor went away (killed): do not keep running unsupervised
  process.on("disconnect", stop);
}
