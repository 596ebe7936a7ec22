import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { signatureHeaders } from "../contracts/relay/signing.js";
import { SCHOOL_HEADER } from "../contracts/relay/contact.js";

/**
 * The relay's calls to BRON Sync Cloud itself (the contact API, src/contracts/relay/contact.ts): plain
 * node https, outbound 443 like the queue channel. Plain http only to this machine (the local stack,
 * tests). Failures come back as a CloudError with a Dutch melding for school IT.
 */

export type CloudFailure = "NETWERK" | "TLS" | "TIJD" | "ADRES";
export class CloudError extends Error {
  constructor(
    readonly soort: CloudFailure,
    readonly melding: string,
    readonly code: string,
  ) {
    super(melding);
    this.name = "CloudError";
  }
}

export interface CloudReply {
  status: number;
  json: unknown;
  text: string;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The cloud's URL as given, checked: https (http only to this machine), no path beyond the root. */
export function cloudBase(text: string): URL {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw new CloudError("ADRES", `'${text}' is geen geldig adres. Gebruik het adres van BRON Sync Cloud zoals de beheerpagina het noemt, bijvoorbeeld https://bronsync.example.nl.`, "ONGELDIG_ADRES");
  }
  if (u.protocol !== "https:" && !(u.protocol === "http:" && LOOPBACK.has(u.hostname))) {
    throw new CloudError("ADRES", `Het adres van BRON Sync Cloud moet met https:// beginnen (${u.origin}).`, "GEEN_HTTPS");
  }
  return u;
}

/** A failed call in the words school IT acts on. */
export function cloudFailure(e: unknown, url: URL): CloudError {
  if (e instanceof CloudError) return e;
  const code = String((e as { code?: string }).code ?? (e as Error).name ?? "");
  if (TLS_CODES.test(code)) {
    return new CloudError(
      "TLS",
      `De beveiligde verbinding (TLS) met ${url.host} wordt niet vertrouwd (${code}). Staat er een proxy of firewall tussen die HTTPS openbreekt? Geef dan de CA van die proxy op (--ca-bestand, of RELAY_CLOUD_CA_FILE), of laat ${url.host} ongemoeid door de proxy. Controleer ook de datum en tijd van deze server.`,
      code,
    );
  }
  if (code === "ETIMEDOUT" || code === "TIJD") return new CloudError("TIJD", `BRON Sync Cloud (${url.host}) antwoordt niet binnen de tijd. Controleer of deze server uitgaand HTTPS (poort 443) naar ${url.host} mag.`, code);
  const what = code === "ENOTFOUND" || code === "EAI_AGAIN" ? `de naam ${url.hostname} is niet te vinden (DNS)` : `geen verbinding (${code || "onbekende fout"})`;
  return new CloudError("NETWERK", `BRON Sync Cloud op ${url.origin} is niet bereikbaar: ${what}. Controleer het adres, de DNS en of deze server uitgaand HTTPS (poort 443) mag.`, code);
}

export interface CallOptions {
  ca?: string;
  timeoutMs?: number;
  /** sign with this key for this school (the heartbeat, downloads) */
  sign?: { key: Buffer; school: string; now?: number };
}

/** One call to the cloud; resolves with any HTTP answer, rejects with a CloudError when there is none. */
export function callCloud(base: URL, path: string, method: "GET" | "POST", body: unknown, o: CallOptions = {}): Promise<CloudReply> {
  const url = new URL(path, base);
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), "utf8");
  const headers: Record<string, string> = { accept: "application/json", "user-agent": "bronsync-relay" };
  if (payload.length > 0) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(payload.length);
  }
  if (o.sign) {
    Object.assign(headers, signatureHeaders(o.sign.key, { method, pathAndQuery: url.pathname + url.search, body: payload }, o.sign.now ?? Date.now()));
    headers[SCHOOL_HEADER] = o.sign.school;
  }
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, { method, headers, timeout: o.timeoutMs ?? 30_000, ...(o.ca && url.protocol === "https:" ? { ca: o.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > 1024 * 1024) res.destroy(new Error("answer too large"));
        else chunks.push(c);
      });
      res.on("error", (e) => reject(cloudFailure(e, url)));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, text });
      });
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.on("error", (e) => reject(cloudFailure(e, url)));
    req.end(payload);
  });
}
