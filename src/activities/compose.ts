import type { TokenCredential } from "@azure/core-auth";
import { TableClient } from "@azure/data-tables";
import { DefaultAzureCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { BlobServiceClient } from "@azure/storage-blob";
import { createBronClient } from "../adapters/bron/client.js";
import { createCertificateProvider } from "../adapters/certificates/index.js";
import { createRelayClient, type RelayClient } from "../adapters/lvs/relay-client.js";
import { relaySasToken } from "../adapters/lvs/relay-token.js";
import { createStateStore } from "../adapters/state/state-store.js";
import { tablesFromConnectionString, type TableFactory } from "../adapters/state/tables.js";
import type { Config } from "../config.js";
import type { SyncDeps } from "./deps.js";

/**
 * The composition root: real clients from configuration. In Azure every client authenticates with
 * the app's managed identity; on the local stack storage is Azurite (connection string) and Key Vault
 * is the stand-in, reached with a fixed development token (AZURE_CREDENTIAL=dev-static-token).
 */
/** The app's credential: the managed identity in Azure, the fixed development token on the local stack. */
export function credentialOf(cfg: Config): TokenCredential {
  return cfg.AZURE_CREDENTIAL === "dev-static-token" ? { getToken: async () => ({ token: "local-dev", expiresOnTimestamp: Date.now() + 3_600_000 }) } : new DefaultAzureCredential();
}

export function composeSyncDeps(cfg: Config): SyncDeps {
  const dev = cfg.AZURE_CREDENTIAL === "dev-static-token";
  const credential = credentialOf(cfg);
  const vaultOptions = { disableChallengeResourceVerification: dev };

  const { tables, blobs } = storageClients(cfg, credential);
  const certificates = createCertificateProvider({ vaultUrl: cfg.KEY_VAULT_URL, credential, clientOptions: vaultOptions, now: () => new Date(), warnDays: cfg.CERTIFICATE_WARN_DAYS });
  const secrets = new SecretClient(cfg.KEY_VAULT_URL, credential, vaultOptions);

  return {
    state: createStateStore({ tables, blobs: blobs.getContainerClient("state-blobs") }),
    relay: lazyRelay(async () => {
      const key = await secretValue(secrets, cfg.RELAY_KEY_SECRET_NAME);
      const senderKeyName = cfg.RELAY_SENDER_KEY_NAME;
      const senderKey = cfg.RELAY_SENDER_KEY_SECRET_NAME === undefined ? undefined : await secretValue(secrets, cfg.RELAY_SENDER_KEY_SECRET_NAME);
      return createRelayClient({
        baseUrl: cfg.RELAY_BASE_URL,
        key: Buffer.from(key, "base64"),
        ...(senderKeyName && senderKey ? { relayAuthorization: async () => relaySasToken(cfg.RELAY_BASE_URL, senderKeyName, senderKey, Date.now()) } : {}),
      });
    }),
    certificates,
    bron: (aanleverpunt) =>
      createBronClient({
        endpoint: cfg.BRON_ENDPOINT,
        aanleverpunt,
        bronOin: cfg.BRON_OIN,
        timeoutMs: cfg.BRON_TIMEOUT_MS,
        certificate: async () => (await certificates.getClientCertificate(aanleverpunt)).tls,
      }),
    snapshots: blobs.getContainerClient("lvs-snapshots"),
    now: () => new Date(),
    maxOverzichtAgeDays: cfg.OVERZICHT_MAX_AGE_DAYS,
  };
}

export function storageClients(cfg: Config, credential: TokenCredential): { tables: TableFactory; blobs: BlobServiceClient } {
  if (cfg.AzureWebJobsStorage !== undefined) {
    return { tables: tablesFromConnectionString(cfg.AzureWebJobsStorage), blobs: BlobServiceClient.fromConnectionString(cfg.AzureWebJobsStorage) };
  }
  const account = cfg.AzureWebJobsStorage__accountName ?? "";
  return {
    tables: (table) => new TableClient(`https://${account}.table.core.windows.net`, table, credential),
    blobs: new BlobServiceClient(`https://${account}.blob.core.windows.net`, credential),
  };
}

async function secretValue(secrets: SecretClient, name: string): Promise<string> {
  const secret = await secrets.getSecret(name);
  if (!secret.value) throw new Error(`Key Vault secret ${name} is empty`);
  return secret.value;
}

/** The relay client needs its key from Key Vault; it is fetched on first use, not at cold start. */
function lazyRelay(make: () => Promise<RelayClient>): RelayClient {
  let client: Promise<RelayClient> | undefined;
  const get = () => (client ??= make().catch((e: unknown) => {
    client = undefined;
    throw e;
  }));
  return {
    health: async () => (await get()).health(),
    requireCompatibleVersion: async () => (await get()).requireCompatibleVersion(),
    aanleverpunten: async () => (await get()).aanleverpunten(),
    snapshotPage: async (ap, cursor, limit) => (await get()).snapshotPage(ap, cursor, limit),
    snapshot: async (ap, pageSize) => (await get()).snapshot(ap, pageSize),
    streamSnapshot: async function* (ap, pageSize) {
      yield* (await get()).streamSnapshot(ap, pageSize);
    },
    snapshotViaStream: async (ap, pageSize) => (await get()).snapshotViaStream(ap, pageSize),
    write: async (request) => (await get()).write(request),
  };
}
