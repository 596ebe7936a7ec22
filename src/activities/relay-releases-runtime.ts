import { createRelayReleases, RELAY_RELEASES_CONTAINER, type RelayReleases } from "../adapters/state/relay-releases.js";
import type { UpdateAanbod } from "../contracts/relay/contact.js";
import { contactRoutes } from "../contracts/relay/contact.js";
import { PRODUCTION_RELEASE_PUBLIC_KEY } from "../contracts/relay/release-key.js";
import { updateOffer, type UpdatePolicy } from "../core/relay-update.js";
import { config } from "../config.js";
import { credentialOf, storageClients } from "./compose.js";

let releases: RelayReleases | undefined;
/** The relay releases store (blob container `relay-releases` of the app's storage), composed once per worker process. */
export function relayReleases(): RelayReleases {
  if (releases) return releases;
  const cfg = config();
  const { blobs } = storageClients(cfg, credentialOf(cfg));
  releases = createRelayReleases({ container: blobs.getContainerClient(RELAY_RELEASES_CONTAINER), publicKey: cfg.RELAY_RELEASE_PUBLIC_KEY ?? PRODUCTION_RELEASE_PUBLIC_KEY });
  return releases;
}

/** The heartbeat's update offer for a relay of this version (src/activities/relay-contact.ts `updateOffer`): the newest signed release above it, or null. */
export async function offerFor(store: RelayReleases, relayVersie: string, policy: UpdatePolicy = {}): Promise<UpdateAanbod | null> {
  const r = updateOffer(relayVersie, await store.list(), policy);
  return r ? { versie: r.versie, sha256: r.sha256, grootte: r.grootte, handtekening: r.handtekening, url: contactRoutes.release(r.versie) } : null;
}

/**
 * The hook the heartbeat calls. A releases store that cannot be read (storage briefly unavailable) means
 * no offer this time, never a failed heartbeat: the relay asks again at its next one.
 */
export async function relayUpdateOffer(relayVersie: string): Promise<UpdateAanbod | null> {
  try {
    return await offerFor(relayReleases(), relayVersie);
  } catch {
    return null;
  }
}
