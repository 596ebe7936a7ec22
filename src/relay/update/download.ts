import { signatureHeaders } from "../../contracts/relay/signing.js";

/**
 * Downloads a release from the cloud (`GET /api/relay/v1/releases/{versie}`), signed like the
 * heartbeat: HMAC with the school's relay key over the path on the wire, the school in `x-relay-school`
 * (src/contracts/relay/contact.ts). Stops reading an answer larger than announced (the size check then
 * refuses it), so a wrong or hostile answer cannot fill memory.
 */
export const SCHOOL_HEADER = "x-relay-school";

export interface DownloadOptions {
  /** RELAY_CLOUD_URL: the Function App's base URL (https://<app>.azurewebsites.net) */
  cloudUrl: string;
  school: string;
  key: Buffer;
  timeoutMs?: number;
}

export function createReleaseDownload(o: DownloadOptions): (url: string, maxBytes: number) => Promise<Buffer> {
  return async (url, maxBytes) => {
    const target = new URL(url, o.cloudUrl);
    const base = new URL(o.cloudUrl);
    if (target.origin !== base.origin) throw new Error(`het adres ${target.origin} is niet dat van BRON Sync Cloud`);
    const pathAndQuery = `${target.pathname}${target.search}`;
    const res = await fetch(target, {
      headers: { ...signatureHeaders(o.key, { method: "GET", pathAndQuery, body: "" }), [SCHOOL_HEADER]: o.school },
      signal: AbortSignal.timeout(o.timeoutMs ?? 120_000),
    });
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => "");
      let melding = "";
      try {
        melding = String((JSON.parse(text) as { melding?: unknown }).melding ?? "");
      } catch {
        /* not JSON */
      }
      throw new Error(`BRON Sync Cloud antwoordde ${res.status}${melding ? `: ${melding}` : ""}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      chunks.push(Buffer.from(chunk));
      // more than announced: stop reading; the size check then refuses it (never stored)
      if (size > maxBytes) break;
    }
    return Buffer.concat(chunks);
  };
}
