import { createHmac } from "node:crypto";

/**
 * An Azure Relay shared access signature for a sender (ServiceBusAuthorization header), for
 * namespaces that use SAS rules. With Entra ID (the Function App's managed identity holding the
 * Azure Relay Sender role) pass a token provider to the client instead. Made here rather than with
 * hyco-https, because loading hyco-https replaces Node's https.Server in the whole process.
 */
export function relaySasToken(resourceUri: string, keyName: string, key: string, nowMs: number, ttlSeconds = 3600): string {
  const u = new URL(resourceUri);
  const resource = `http://${u.host}${u.pathname}`.replace(/\/$/, "");
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const signature = createHmac("sha256", key).update(`${encodeURIComponent(resource)}\n${expiry}`).digest("base64");
  return `SharedAccessSignature sr=${encodeURIComponent(resource)}&sig=${encodeURIComponent(signature)}&se=${expiry}&skn=${keyName}`;
}
