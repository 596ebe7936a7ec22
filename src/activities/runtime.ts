import { config } from "../config.js";
import { composeSyncDeps } from "./compose.js";
import type { SyncDeps } from "./deps.js";

let deps: SyncDeps | undefined;
/** The app's dependencies, composed once per worker process on first use (config validated then). */
export function runtimeDeps(): SyncDeps {
  deps ??= composeSyncDeps(config());
  return deps;
}
