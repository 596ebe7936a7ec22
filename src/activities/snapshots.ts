import type { ContainerClient } from "@azure/storage-blob";
import { LvsSnapshot } from "../core/model.js";

/** LVS snapshots between activities live in blobs named per run; only the name goes through history. */
export function snapshotBlobName(aanleverpunt: string, instanceId: string): string {
  return `snapshots/${aanleverpunt}/${encodeURIComponent(instanceId)}.json`;
}

export async function saveSnapshot(container: ContainerClient, name: string, snapshot: LvsSnapshot): Promise<void> {
  await container.createIfNotExists();
  const body = JSON.stringify(snapshot);
  await container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: "application/json" } });
}

export async function loadSnapshot(container: ContainerClient, name: string): Promise<LvsSnapshot> {
  const buf = await container.getBlockBlobClient(name).downloadToBuffer();
  return LvsSnapshot.parse(JSON.parse(buf.toString("utf8")));
}

/** Snapshots hold personal data: a run deletes its own when it ends (a storage lifecycle rule is the backstop). */
export async function deleteSnapshot(container: ContainerClient, name: string): Promise<void> {
  await container.getBlockBlobClient(name).deleteIfExists();
}
