import { SecretClient } from "@azure/keyvault-secrets";
import { createStaleAtCache } from "../adapters/certificates/cache.js";
import { createNonceStore } from "../adapters/state/relay-nonces.js";
import { config } from "../config.js";
import { channelConnectionOf, credentialOf, storageClients, vaultOptionsOf } from "./compose.js";
import type { RelayContactDeps } from "./relay-contact.js";
import { relayUpdateOffer } from "./relay-releases-runtime.js";
import { runtimeDeps } from "./runtime.js";

const SECRET_CACHE_MS = 60 * 60_000;

let deps: RelayContactDeps | undefined;
/** The contact API's dependencies, composed once per worker process on first use. Key Vault is read with the app's identity. */
export function relayContactDeps(): RelayContactDeps {
  if (deps) return deps;
  const cfg = config();
  const credential = credentialOf(cfg);
  const secrets = new SecretClient(cfg.KEY_VAULT_URL, credential, vaultOptionsOf(cfg));
  const { tables } = storageClients(cfg, credential);
  const run = runtimeDeps();
  // a relay's key is read once an hour per worker, not on every heartbeat (7,000 schools × every 5 minutes would be
  // ~2 M Key Vault reads a day); a rotation names a new secret, so a cached key is never used in place of a new one.
  // A missing secret (null) is not kept.
  const keys = createStaleAtCache<string | null>((v) => (v === null ? 0 : Date.now() + SECRET_CACHE_MS), () => Date.now());
  const secret = (name: string) =>
    keys.get(name, async () => {
      try {
        return (await secrets.getSecret(name)).value ?? null;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return null;
        throw e;
      }
    });
  deps = {
    schools: run.schools,
    relayStatus: run.relayStatus,
    nonces: createNonceStore({ tables }),
    secret,
    channelConnection: channelConnectionOf(cfg),
    updateOffer: relayUpdateOffer,
    audit: (partition, at, entry) => run.state.audit(partition, at, entry),
    now: () => new Date(),
  };
  return deps;
}
