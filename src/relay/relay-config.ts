import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { queueNameOf, replyContainerFor } from "../contracts/relay/queue-channel.js";

/**
 * The relay's own configuration. The relay is a separate program on the school's server, so it
 * does not use the cloud app's src/config.ts: it reads its own keys (RELAY_*), from the
 * environment and optionally from a JSON file named by RELAY_CONFIG_FILE (the environment wins, except for
 * the keys a rotation writes into the file).
 * Every problem is listed at once; an empty string counts as missing.
 */
const emptyAsMissing = (v: unknown) => (v === "" ? undefined : v);
const opt = () => z.preprocess(emptyAsMissing, z.string().min(1).optional());
const port = (d: number) => z.preprocess(emptyAsMissing, z.coerce.number().int().min(0).max(65535).default(d));
const bool = (d: boolean) => z.preprocess(emptyAsMissing, z.enum(["true", "false"]).default(d ? "true" : "false")).transform((v) => v === "true");

const base64Key = z.preprocess(
  emptyAsMissing,
  z.string().refine((s) => Buffer.from(s, "base64").length >= 32, "must be base64 of at least 32 bytes"),
);

export const relayConfigSchema = z
  .object({
    RELAY_SQL_SERVER: z.preprocess(emptyAsMissing, z.string().min(1).default("localhost")),
    RELAY_SQL_PORT: port(1433),
    /** a named SQL Server instance (the part after the backslash in SERVER\\INSTANCE); its port then comes from the SQL Server Browser */
    RELAY_SQL_INSTANCE: opt(),
    RELAY_SQL_DATABASE: z.preprocess(emptyAsMissing, z.string().min(1).default("LVS2000")),
    /** sql = SQL Server authentication; ntlm = Windows authentication (domain account) */
    RELAY_SQL_AUTH: z.preprocess(emptyAsMissing, z.enum(["sql", "ntlm"]).default("sql")),
    RELAY_SQL_USER: z.preprocess(emptyAsMissing, z.string().min(1)),
    RELAY_SQL_PASSWORD: z.preprocess(emptyAsMissing, z.string().min(1)),
    RELAY_SQL_DOMAIN: opt(),
    RELAY_SQL_ENCRYPT: bool(true),
    RELAY_SQL_TRUST_SERVER_CERTIFICATE: bool(false),
    /** PEM file with the CA (or the self-signed certificate) SQL Server's certificate must chain to, besides the system's CAs */
    RELAY_SQL_CA_FILE: opt(),
    RELAY_SQL_POOL_SIZE: z.preprocess(emptyAsMissing, z.coerce.number().int().min(1).max(16).default(2)),
    RELAY_HMAC_KEY: base64Key,
    /** the previous key, accepted during a key rotation */
    RELAY_HMAC_KEY_PREVIOUS: base64Key.optional(),
    RELAY_REPLAY_WINDOW_SECONDS: z.preprocess(emptyAsMissing, z.coerce.number().int().min(10).max(3600).default(300)),
    /**
     * queue = poll this school's Storage queue and answer into blob storage (outbound HTTPS 443 only:
     * production); local = an HTTPS listener on this machine (development, tests, diagnosis)
     */
    RELAY_TRANSPORT: z.preprocess(emptyAsMissing, z.enum(["queue", "local"]).default("queue")),
    /** queue transport: the school's queue URL with its SAS (read + process), as onboarding handed it out */
    RELAY_QUEUE_URL: z.preprocess(emptyAsMissing, z.string().url().optional()),
    /** queue transport: the reply container; derived from RELAY_QUEUE_URL on Azure Storage (…blob.core.windows.net/relay-replies) */
    RELAY_REPLY_CONTAINER_URL: z.preprocess(emptyAsMissing, z.string().url().optional()),
    /** queue transport: longest wait between two polls of an idle queue (the cloud waits RELAY_PICKUP_TIMEOUT_SECONDS, 45 s, for a pickup) */
    RELAY_POLL_IDLE_SECONDS: z.preprocess(emptyAsMissing, z.coerce.number().int().min(1).max(30).default(20)),
    /** queue transport: wait between polls while requests come (and RELAY_POLL_WARM_SECONDS after the last) */
    RELAY_POLL_ACTIVE_MS: z.preprocess(emptyAsMissing, z.coerce.number().int().min(50).max(5000).default(500)),
    RELAY_POLL_WARM_SECONDS: z.preprocess(emptyAsMissing, z.coerce.number().int().min(0).max(3600).default(120)),
    /** queue transport: requests handled at the same time */
    RELAY_MAX_PARALLEL: z.preprocess(emptyAsMissing, z.coerce.number().int().min(1).max(16).default(4)),
    /** the school this relay serves (bronsync-relay register writes it); names the key on its heartbeat */
    RELAY_SCHOOL: opt(),
    /** BRON Sync Cloud's URL (bronsync-relay register writes it); without it the relay sends no heartbeat */
    RELAY_CLOUD_URL: z.preprocess(emptyAsMissing, z.string().url().optional()),
    /** PEM file with an extra CA to trust for RELAY_CLOUD_URL (a proxy that inspects HTTPS) */
    RELAY_CLOUD_CA_FILE: opt(),
    /** seconds between two heartbeats */
    RELAY_HEARTBEAT_SECONDS: z.preprocess(emptyAsMissing, z.coerce.number().int().min(10).max(3600).default(300)),
    RELAY_LISTEN_HOST: z.preprocess(emptyAsMissing, z.string().default("127.0.0.1")),
    RELAY_LISTEN_PORT: port(7443),
    RELAY_TLS_CERT_FILE: opt(),
    RELAY_TLS_KEY_FILE: opt(),
    /** optional mutual TLS (local transport only): client certificates must be issued by this CA */
    RELAY_TLS_CLIENT_CA_FILE: opt(),
    /** where a self-signed certificate is made when no certificate files are given (local only) */
    RELAY_TLS_DIR: z.preprocess(emptyAsMissing, z.string().default(".local/relay-tls")),
  })
  .superRefine((c, ctx) => {
    const need = (key: keyof typeof c, why: string) => {
      if (c[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: `required ${why}` });
    };
    if (c.RELAY_SQL_AUTH === "ntlm") need("RELAY_SQL_DOMAIN", "for Windows (ntlm) authentication");
    if (c.RELAY_SQL_CA_FILE !== undefined) {
      if (!c.RELAY_SQL_ENCRYPT) ctx.addIssue({ code: "custom", path: ["RELAY_SQL_CA_FILE"], message: "only used with RELAY_SQL_ENCRYPT=true" });
      if (c.RELAY_SQL_TRUST_SERVER_CERTIFICATE) ctx.addIssue({ code: "custom", path: ["RELAY_SQL_CA_FILE"], message: "has no effect with RELAY_SQL_TRUST_SERVER_CERTIFICATE=true (the certificate is then not checked)" });
      if (!existsSync(c.RELAY_SQL_CA_FILE)) ctx.addIssue({ code: "custom", path: ["RELAY_SQL_CA_FILE"], message: `file not found: ${c.RELAY_SQL_CA_FILE}` });
    }
    if (c.RELAY_TRANSPORT === "queue") {
      need("RELAY_QUEUE_URL", "for the queue transport");
      if (c.RELAY_QUEUE_URL !== undefined && queueNameOf(c.RELAY_QUEUE_URL) === null) {
        ctx.addIssue({ code: "custom", path: ["RELAY_QUEUE_URL"], message: "must name this school's queue (…/relay-<school>?<SAS>)" });
      }
      if (c.RELAY_QUEUE_URL !== undefined && c.RELAY_REPLY_CONTAINER_URL === undefined && replyContainerFor(c.RELAY_QUEUE_URL) === null) {
        ctx.addIssue({ code: "custom", path: ["RELAY_REPLY_CONTAINER_URL"], message: "required when RELAY_QUEUE_URL is not an Azure Storage queue URL (…queue.core.windows.net)" });
      }
    }
    if (c.RELAY_CLOUD_URL !== undefined) need("RELAY_SCHOOL", "with RELAY_CLOUD_URL (the heartbeat names its school)");
    if ((c.RELAY_TLS_CERT_FILE === undefined) !== (c.RELAY_TLS_KEY_FILE === undefined)) {
      ctx.addIssue({ code: "custom", path: ["RELAY_TLS_KEY_FILE"], message: "give both RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE, or neither" });
    }
  });

export type RelayConfig = Readonly<z.infer<typeof relayConfigSchema>>;

export class RelayConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Ongeldige relay-configuratie:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RelayConfigError";
  }
}

/** Keys the relay itself writes to its configuration file when the cloud rotates its key (app.ts `rotateKey`). */
const SELF_WRITTEN = ["RELAY_HMAC_KEY", "RELAY_HMAC_KEY_PREVIOUS"] as const;

/** Reads the optional JSON config file (keys as in the environment). */
function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new RelayConfigError([`${path}: expected a JSON object`]);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : String(v)]));
}

/** Validates the relay configuration from an environment (passed in by main.ts) plus its optional file. */
export function loadRelayConfig(env: Record<string, string | undefined>): RelayConfig {
  const fromFile = readConfigFile(env.RELAY_CONFIG_FILE);
  const merged = { ...fromFile, ...Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("RELAY_") && v !== undefined && v !== "")) };
  // the keys the relay writes itself (a key rotation from the cloud): the file's are newer than any in the environment
  if (fromFile.RELAY_HMAC_KEY) for (const k of SELF_WRITTEN) if (k in fromFile) merged[k] = fromFile[k];
  const parsed = relayConfigSchema.safeParse(merged);
  if (!parsed.success) throw new RelayConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  return Object.freeze(parsed.data);
}
