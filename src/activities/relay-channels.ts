import { renewRelayAccess, type Renewal } from "../adapters/lvs/channel-provisioning.js";
import type { SchoolStore } from "../adapters/state/schools.js";
import { ensureError } from "../errors.js";

export interface RelayChannelDeps {
  schools: SchoolStore;
  channelConnection(): Promise<string>;
  now(): Date;
}

export type RenewalCounts = Record<Renewal | "FOUT", number>;

/**
 * Daily: renews every school's relay access that runs out within 60 days (src/adapters/lvs/channel-provisioning.ts
 * `renewRelayAccess`), so no relay stops a year after onboarding. One school's failure never stops the others;
 * the result is counts only (no school names in logs).
 */
export async function renewRelayChannels(deps: RelayChannelDeps): Promise<RenewalCounts> {
  const counts: RenewalCounts = { VERNIEUWD: 0, NOG_GELDIG: 0, INGETROKKEN: 0, FOUT: 0 };
  const connectionString = await deps.channelConnection();
  const now = deps.now();
  for (const school of await deps.schools.list()) {
    try {
      counts[await renewRelayAccess({ connectionString, school, now })]++;
    } catch (e) {
      ensureError(e);
      counts.FOUT++;
    }
  }
  return counts;
}
