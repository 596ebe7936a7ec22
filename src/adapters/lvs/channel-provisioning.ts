import { BlobServiceClient } from "@azure/storage-blob";
import { generateQueueSASQueryParameters, QueueServiceClient, StorageSharedKeyCredential } from "@azure/storage-queue";
import { REPLY_CONTAINER } from "../../contracts/relay/queue-channel.js";
import type { School } from "../state/schools.js";

/**
 * Onboarding a school's relay channel (docs/relay.md "Transport"): its own request queue, the reply
 * container (shared, each school under its own folder), and the SAS the relay at the school polls
 * with. The SAS refers to a stored access policy on the queue (`relay-<moment>`, read + process only), so it
 * can be revoked at once by removing the policy, and renewed by setting a new expiry without handing
 * out a new URL. Needs the channel account's key (a queue SAS cannot be signed with an identity).
 */

/** The stored access policies of relay queues are named `relay-<moment>`: each provisioning its own name. */
export const RELAY_POLICY = "relay";
const policyName = (now: Date) => `${RELAY_POLICY}-${now.getTime().toString(36)}`;
const isRelayPolicy = (id: string) => id === RELAY_POLICY || id.startsWith(`${RELAY_POLICY}-`);

export interface ProvisionedChannel {
  /** the queue URL with its SAS, for the relay's RELAY_QUEUE_URL (a credential: hand it over as such) */
  queueUrl: string;
  expiresOn: Date;
}

/** The account name and key in a storage connection string (the key signs the relay's SAS). */
export function accountKeyOf(connectionString: string): StorageSharedKeyCredential {
  const parts = new Map(
    connectionString
      .split(";")
      .filter(Boolean)
      .map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)] as const),
  );
  const name = parts.get("AccountName");
  const key = parts.get("AccountKey");
  if (!name || !key) throw new Error("the relay channel connection string must carry AccountName and AccountKey (a queue SAS is signed with the account key)");
  return new StorageSharedKeyCredential(name, key);
}

/**
 * Creates a school's channel, or hands its relay a new SAS (a new registration): the queue gets one stored
 * access policy under a name of its own, replacing the one before, so a SAS handed out earlier — to a
 * server that was reinstalled, stolen, or revoked — stops working for good (a SAS is a signature over the
 * policy's name: the same name would bring a revoked URL back). `connectionString` is the channel account's
 * (RELAY_CHANNEL_SECRET_NAME).
 */
export async function provisionRelayChannel(o: { connectionString: string; school: School; now: Date; validDays?: number }): Promise<ProvisionedChannel> {
  const queue = QueueServiceClient.fromConnectionString(o.connectionString).getQueueClient(o.school.relay.wachtrij);
  await queue.createIfNotExists();
  await BlobServiceClient.fromConnectionString(o.connectionString).getContainerClient(REPLY_CONTAINER).createIfNotExists();
  const expiresOn = new Date(o.now.getTime() + (o.validDays ?? RELAY_ACCESS_DAYS) * 86_400_000);
  const identifier = policyName(o.now);
  await queue.setAccessPolicy([{ id: identifier, accessPolicy: { startsOn: new Date(o.now.getTime() - 5 * 60_000), expiresOn, permissions: "rp" } }]);
  const sas = generateQueueSASQueryParameters({ queueName: queue.name, identifier }, accountKeyOf(o.connectionString)).toString();
  return { queueUrl: `${queue.url}?${sas}`, expiresOn };
}

/** How long a relay's access runs when it is provisioned or renewed. */
export const RELAY_ACCESS_DAYS = 366;
/** Renewed when fewer days than this remain (a daily timer looks; a missed day or month does no harm). */
const RELAY_ACCESS_RENEW_DAYS = 60;

export type Renewal = "VERNIEUWD" | "NOG_GELDIG" | "INGETROKKEN";

/**
 * Keeps a school's relay access from running out: when its stored access policy expires within
 * RELAY_ACCESS_RENEW_DAYS, the policy gets a new expiry. The relay's SAS names the policy, not a date,
 * so the URL the relay holds stays the same — no visit to the school. A revoked channel (no policy:
 * `revokeRelayAccess`) stays revoked; so does a queue that is gone.
 */
export async function renewRelayAccess(o: { connectionString: string; school: School; now: Date }): Promise<Renewal> {
  const queue = QueueServiceClient.fromConnectionString(o.connectionString).getQueueClient(o.school.relay.wachtrij);
  if (!(await queue.exists())) return "INGETROKKEN";
  const current = (await queue.getAccessPolicy()).signedIdentifiers.find((i) => isRelayPolicy(i.id));
  const policy = current?.accessPolicy;
  if (current === undefined || policy === undefined) return "INGETROKKEN";
  const left = policy.expiresOn === undefined ? Infinity : policy.expiresOn.getTime() - o.now.getTime();
  if (left > RELAY_ACCESS_RENEW_DAYS * 86_400_000) return "NOG_GELDIG";
  const expiresOn = new Date(o.now.getTime() + RELAY_ACCESS_DAYS * 86_400_000);
  await queue.setAccessPolicy([{ id: current.id, accessPolicy: { ...policy, permissions: "rp", expiresOn } }]);
  return "VERNIEUWD";
}

/** Revokes the relay's SAS at once (removes the stored access policy); the queue stays. */
export async function revokeRelayAccess(o: { connectionString: string; school: School }): Promise<void> {
  await QueueServiceClient.fromConnectionString(o.connectionString).getQueueClient(o.school.relay.wachtrij).setAccessPolicy([]);
}
