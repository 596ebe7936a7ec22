import type { TokenCredential } from "@azure/core-auth";
import { TableClient } from "@azure/data-tables";
import { DefaultAzureCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { createBronClient } from "../adapters/bron/client.js";
import { createCertificateProvider } from "../adapters/certificates/index.js";
import { queueChannel } from "../adapters/lvs/queue-channel.js";
import { createRelayRouter } from "../adapters/lvs/relay-router.js";
import { createRelayStatusStore } from "../adapters/state/relay-status.js";
import { createSchoolStore } from "../adapters/state/schools.js";
import { createStateStore } from "../adapters/state/state-store.js";
import { REPLY_CONTAINER } from "../contracts/relay/queue-channel.js";
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

/** Key Vault client options: the local stand-in answers on its own address, so its challenge resource is not verified. */
export function vaultOptionsOf(cfg: Config): { disableChallengeResourceVerification: boolean } {
  return { disableChallengeResourceVerification: cfg.AZURE_CREDENTIAL === "dev-static-token" };
}

export function composeSyncDeps(cfg: Config): SyncDeps {
  const credential = credentialOf(cfg);
  const vaultOptions = vaultOptionsOf(cfg);

  const { tables, blobs } = storageClients(cfg, credential);
  const certificates = createCertificateProvider({ vaultUrl: cfg.KEY_VAULT_URL, credential, clientOptions: vaultOptions, now: () => new Date(), warnDays: cfg.CERTIFICATE_WARN_DAYS });
  const secrets = new SecretClient(cfg.KEY_VAULT_URL, credential, vaultOptions);

  const schools = createSchoolStore({ tables });
  const relayStatus = createRelayStatusStore({ tables });
  const channelAccount = once(async () => {
    // the relay channel account: its key signs the per-request answer SAS (docs/relay.md "Transport")
    const connection = await secretValue(secrets, cfg.RELAY_CHANNEL_SECRET_NAME);
    return { queues: QueueServiceClient.fromConnectionString(connection), replies: BlobServiceClient.fromConnectionString(connection).getContainerClient(REPLY_CONTAINER) };
  });

  return {
    state: createStateStore({ tables, blobs: blobs.getContainerClient("state-blobs") }),
    schools,
    relayStatus,
    relay: createRelayRouter({
      schools,
      status: relayStatus,
      now: () => new Date(),
      channelFor: async (school) => {
        const [account, key] = await Promise.all([channelAccount(), secretValue(secrets, school.relay.sleutelSecret)]);
        return queueChannel({
          queue: account.queues.getQueueClient(school.relay.wachtrij),
          replies: account.replies,
          key: Buffer.from(key, "base64"),
          pickupTimeoutMs: cfg.RELAY_PICKUP_TIMEOUT_SECONDS * 1000,
          answerTimeoutMs: cfg.RELAY_ANSWER_TIMEOUT_SECONDS * 1000,
        });
      },
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
    bronBatchSize: cfg.BRON_BATCH_SIZE,
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

/** The relay channel account's connection string (Key Vault, read with the app's identity): its key signs the relays' SAS. */
export function channelConnectionOf(cfg: Config): () => Promise<string> {
  const secrets = new SecretClient(cfg.KEY_VAULT_URL, credentialOf(cfg), vaultOptionsOf(cfg));
  return () => secretValue(secrets, cfg.RELAY_CHANNEL_SECRET_NAME);
}

async function secretValue(secrets: SecretClient, name: string): Promise<string> {
  const secret = await secrets.getSecret(name);
  if (!secret.value) throw new Error(`Key Vault secret ${name} is empty`);
  return secret.value;
}

/** A value made on first use; a failure is not kept (the next call tries again). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= make().catch((e: unknown) => {
      value = undefined;
      throw e;
    }));
}
