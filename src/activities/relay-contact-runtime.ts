import { SecretClient } from "@azure/keyvault-secrets";
import { createNonceStore } from "../adapters/state/relay-nonces.js";
import { config } from "../config.js";
import { channelConnectionOf, credentialOf, storageClients } from "./compose.js";
import { type RelayContactDeps, updateOffer } from "./relay-contact.js";
import { runtimeDeps } from "./runtime.js";

let deps: RelayContactDeps | undefined;
/** The contact API's dependencies, composed once per worker process on first use. Key Vault is read with the app's identity. */
export function relayContactDeps(): RelayContactDeps {
  if (deps) return deps;
  const cfg = config();
  const credential = credentialOf(cfg);
  const secrets = new SecretClient(cfg.KEY_VAULT_URL, credential, { disableChallengeResourceVerification: cfg.AZURE_CREDENTIAL === "dev-static-token" });
  const { tables } = storageClients(cfg, credential);
  const run = runtimeDeps();
  const secret = async (name: string) => {
    try {
      return (await secrets.getSecret(name)).value ?? null;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return null;
      throw e;
    }
  };
  deps = {
    schools: run.schools,
    relayStatus: run.relayStatus,
    nonces: createNonceStore({ tables }),
    secret,
    channelConnection: channelConnectionOf(cfg),
    updateOffer,
    audit: (partition, at, entry) => run.state.audit(partition, at, entry),
    now: () => new Date(),
  };
  return deps;
}
