import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { SCHOOL_HEADER } from "../../contracts/relay/contact.js";
import { signatureHeaders } from "../../contracts/relay/signing.js";
import { cloudBase, cloudFailure } from "../cloud-client.js";

/**
 * Downloads a release from the cloud (`GET /api/relay/v1/releases/{versie}`), signed like the heartbeat
 * (HMAC with the school's relay key over the path on the wire, the school in `x-relay-school`). Stops
 * reading an answer larger than announced (the size check then refuses it), so a wrong or hostile
 * answer cannot fill memory. Only from the cloud's own address.
 */
export interface DownloadOptions {
  /** RELAY_CLOUD_URL */
  cloudUrl: string;
  school: string;
  key: () => Buffer;
  ca?: string;
  timeoutMs?: number;
}

export function createReleaseDownload(o: DownloadOptions): (url: string, maxBytes: number) => Promise<Buffer> {
  return (url, maxBytes) => {
    const base = cloudBase(o.cloudUrl);
    const target = new URL(url, base);
    if (target.origin !== base.origin) return Promise.reject(new Error(`het adres ${target.origin} is niet dat van BRON Sync Cloud`));
    const headers = { ...signatureHeaders(o.key(), { method: "GET", pathAndQuery: target.pathname + target.search, body: "" }), [SCHOOL_HEADER]: o.school, "user-agent": "bronsync-relay" };
    return new Promise<Buffer>((resolve, reject) => {
      const send = target.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(target, { method: "GET", headers, timeout: o.timeoutMs ?? 120_000, ...(o.ca && target.protocol === "https:" ? { ca: o.ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          chunks.push(c);
          if (size > maxBytes && res.statusCode === 200) {
            res.destroy();
            resolve(Buffer.concat(chunks));
          }
        });
        res.on("error", (e) => reject(cloudFailure(e, target)));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode === 200) return resolve(body);
          let melding = "";
          try {
            melding = String((JSON.parse(body.toString("utf8")) as { melding?: unknown }).melding ?? "");
          } catch {
            /* not JSON */
          }
          reject(new Error(`BRON Sync Cloud antwoordde ${res.statusCode ?? "?"}${melding ? `: ${melding}` : ""}`));
        });
      });
      req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
      req.on("error", (e) => reject(cloudFailure(e, target)));
      req.end();
    });
  };
}
