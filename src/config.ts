import { z } from "zod";
import { DEFAULT_BATCH_SIZE } from "./adapters/bron/batches.js";
import { MAX_MUTATIES_PER_LEVERING } from "./contracts/bron/constants.js";

/**
 * The one place that reads process.env. Every key the app needs is declared here; a bad
 * configuration fails at cold start with every problem listed at once. An empty string counts as
 * missing, as in Azure app settings where a cleared value stays behind as "".
 */
const emptyAsMissing = (v: unknown) => (v === "" ? undefined : v);
const str = () => z.preprocess(emptyAsMissing, z.string().min(1));
const intWithDefault = (d: number) => z.preprocess(emptyAsMissing, z.coerce.number().int().positive().default(d));

export const configSchema = z
  .object({
    /** a connection string (locally, Azurite); in Azure the identity-based form below is used instead */
    AzureWebJobsStorage: str().optional(),
    AzureWebJobsStorage__accountName: str().optional(),
    /**
     * How the app authenticates to Key Vault: the managed identity (Azure), or — only on the local stack,
     * against the Key Vault stand-in — a fixed development token (also turns off the challenge-resource check).
     */
    AZURE_CREDENTIAL: z.preprocess(emptyAsMissing, z.enum(["managed-identity", "dev-static-token"]).default("managed-identity")),
    DURABLE_TASK_HUB: z.preprocess(emptyAsMissing, z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,49}$/).default("bronsync")),
    BRON_ENDPOINT: z.preprocess(emptyAsMissing, z.string().url().refine((u) => u.startsWith("https://"), "must be https")),
    BRON_OIN: z.preprocess(emptyAsMissing, z.string().regex(/^\d{20}$/, "must be a 20-digit OIN")),
    BRON_TIMEOUT_MS: intWithDefault(30_000),
    /** mutations per delivery (one SOAP message); the default keeps a message around 0.6 MiB */
    BRON_BATCH_SIZE: z.preprocess(emptyAsMissing, z.coerce.number().int().min(1).max(MAX_MUTATIES_PER_LEVERING).default(DEFAULT_BATCH_SIZE)),
    KEY_VAULT_URL: z.preprocess(emptyAsMissing, z.string().url()),
    /**
     * The Key Vault secret holding the connection string of the relay channel storage account: the
     * schools' request queues and the reply container (docs/relay.md "Transport"). Per school, the
     * registry (table `schools`) names its queue and its key's secret.
     */
    RELAY_CHANNEL_SECRET_NAME: z.preprocess(emptyAsMissing, z.string().regex(/^[0-9A-Za-z-]{1,127}$/).default("relay-channel-connection")),
    /**
     * The Ed25519 public key (PEM) relay releases must be signed with to be offered and served (docs/relay.md
     * "Update"); unset: the project's production release key. The local stack and tests sign with their own pair.
     */
    RELAY_RELEASE_PUBLIC_KEY: z.preprocess(emptyAsMissing, z.string().includes("BEGIN PUBLIC KEY").optional()),
    /** how long a request waits for its school's relay to take it up (more than the relay's idle poll interval, at most 30 s) */
    RELAY_PICKUP_TIMEOUT_SECONDS: z.preprocess(emptyAsMissing, z.coerce.number().int().min(2).max(600).default(45)),
    /** how long, after that, a taken request may take to be answered */
    RELAY_ANSWER_TIMEOUT_SECONDS: z.preprocess(emptyAsMissing, z.coerce.number().int().min(5).max(600).default(120)),
    /** hourly: each aanleverpunt's daily run starts in the hour its instellingen name (src/core/instellingen.ts) */
    SYNC_SCHEDULE: z.preprocess(emptyAsMissing, z.string().default("0 0 * * * *")),
    /** the daily run spreads its starts over this many seconds (each aanleverpunt its own hash-derived offset; docs/scale.md) */
    SYNC_SPREIDING_SECONDEN: z.preprocess(emptyAsMissing, z.coerce.number().int().min(0).max(3600).default(600)),
    OVERZICHT_MAX_AGE_DAYS: intWithDefault(28),
    /** the manual's pause between asking for a registratieoverzicht and fetching it */
    OVERZICHT_WACHTTIJD_SECONDEN: intWithDefault(60),
    CERTIFICATE_WARN_DAYS: intWithDefault(30),
    /**
     * The daily e-mail digest per school (issue 10): Azure Communication Services Email. In Azure the
     * resource's endpoint (https://<name>.communication.azure.com), reached with the managed identity;
     * unset: no digests are sent.
     */
    EMAIL_ENDPOINT: z.preprocess(emptyAsMissing, z.string().url().refine((u) => u.startsWith("https://"), "must be https").optional()),
    /** local stack only: the ACS Email stand-in's connection string (endpoint=…;accesskey=…); in Azure the identity is used */
    EMAIL_CONNECTION_STRING: str().optional(),
    /** the sender (MailFrom) address of a domain linked to the Email resource, e.g. DoNotReply@<domain> */
    EMAIL_SENDER: z.preprocess(emptyAsMissing, z.string().email().optional()),
    /** when the digest goes out (NCRONTAB, UTC): after the daily sync (SYNC_SCHEDULE) */
    DIGEST_SCHEDULE: z.preprocess(emptyAsMissing, z.string().default("0 0 7 * * *")),
    /** the beheerpagina as people reach it, linked from the digest, e.g. https://<app>.azurewebsites.net/api/beheer */
    BEHEER_URL: z.preprocess(emptyAsMissing, z.string().url().optional()),
  })
  .refine((c) => (c.EMAIL_ENDPOINT === undefined && c.EMAIL_CONNECTION_STRING === undefined) || (c.EMAIL_SENDER !== undefined && c.BEHEER_URL !== undefined), {
    message: "the digest e-mail (EMAIL_ENDPOINT or EMAIL_CONNECTION_STRING) needs EMAIL_SENDER and BEHEER_URL",
    path: ["EMAIL_SENDER"],
  })
  .refine((c) => c.AzureWebJobsStorage !== undefined || c.AzureWebJobsStorage__accountName !== undefined, {
    message: "set AzureWebJobsStorage (connection string) or AzureWebJobsStorage__accountName (managed identity)",
    path: ["AzureWebJobsStorage"],
  });

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates an environment (process.env by default); throws ConfigError listing every bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  return Object.freeze(parsed.data);
}

let cached: Config | undefined;
/** The app's configuration, validated once per process (cold start). */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
