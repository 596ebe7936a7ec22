import { z } from "zod";

/**
 * The relay → cloud "contact" API (issue 13): the calls a school's relay makes to BRON Sync Cloud
 * itself, on the Function App under `/api/relay/v1/` (outbound HTTPS 443 from the school, like the
 * queue channel). Three calls:
 *
 * - `POST aanmelden` — registering: the one-time registration code the Beheerder's onboarding page
 *   shows is the credential (valid for a day, used once); the answer is the school's relay settings
 *   (queue URL with its SAS, reply container, HMAC key, the cloud's URL), which `bronsync-relay
 *   register` writes into the relay's configuration file.
 * - `POST hartslag` — the heartbeat, signed with the school's relay key (signing.ts: the path signed is
 *   the request's path on the wire, e.g. `/api/relay/v1/hartslag`), the school's id in
 *   `x-relay-school`. Reports the relay's version, API version, LVS2000 version and database state;
 *   the answer says whether this relay version is accepted, the minimum version, an optional update
 *   offer and, during a key rotation, the new key.
 * - `GET releases/{versie}` — a release's bundle (helper UPDATE), signed like the heartbeat.
 *
 * A relay of school B can never act for school A: the signature is checked with the key of the school
 * the header names. Every refusal is a {@link ContactFout} with a Dutch `melding`.
 */

/** Routes relative to the cloud's base URL (RELAY_CLOUD_URL). Function routes are these without `/api/`. */
export const contactRoutes = {
  aanmelden: "/api/relay/v1/aanmelden",
  hartslag: "/api/relay/v1/hartslag",
  release: (versie: string) => `/api/relay/v1/releases/${encodeURIComponent(versie)}`,
} as const;

/**
 * The paths App Service Authentication must let through without a signed-in person (its
 * `globalValidation.excludedPaths`, infra/modules/functionapp.bicep; the sign-in stand-in gets the same
 * list): the relay has no person, the app authenticates it itself. A trailing `*` is a prefix.
 */
export const CONTACT_EXCLUDED_PATHS = [contactRoutes.aanmelden, contactRoutes.hartslag, "/api/relay/v1/releases/*"] as const;

/** The header naming the school a signed relay request is for (the key of that school must have signed it). */
export const SCHOOL_HEADER = "x-relay-school";

/** A relay version: semver without build metadata (1.2.3, 1.2.3-rc.1). */
export const RelayVersie = z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.-]{1,40})?$/, "verwacht een versie zoals 1.2.3");
export type RelayVersie = z.infer<typeof RelayVersie>;

/** The registration code as typed: 16 characters of the code alphabet, in groups of 4 with optional hyphens or spaces. */
export const Registratiecode = z
  .string()
  .max(64)
  .transform((s) => s.replace(/[\s-]/g, "").toUpperCase())
  .pipe(z.string().regex(/^[2-9A-HJKMNP-Z]{16}$/, "verwacht een code van 16 tekens (4 groepen van 4)"));

export const AanmeldVerzoek = z.object({
  code: Registratiecode,
  relayVersie: RelayVersie,
  /** the name of the server the relay runs on (audit trail, admin page) */
  hostnaam: z.string().trim().min(1).max(255),
});
export type AanmeldVerzoek = z.input<typeof AanmeldVerzoek>;
/** The request as the cloud reads it (the code normalised). */
export type AanmeldGegevens = z.output<typeof AanmeldVerzoek>;

/** The settings a registered relay writes into its configuration file (the keys of relay-config.ts). */
export const RelayInstellingen = z.object({
  RELAY_SCHOOL: z.string().min(2).max(40),
  RELAY_TRANSPORT: z.literal("queue"),
  RELAY_QUEUE_URL: z.string().url(),
  RELAY_REPLY_CONTAINER_URL: z.string().url(),
  RELAY_HMAC_KEY: z.string().min(40),
  RELAY_CLOUD_URL: z.string().url(),
});
export type RelayInstellingen = z.infer<typeof RelayInstellingen>;

export const AanmeldAntwoord = z.object({
  school: z.object({ id: z.string(), naam: z.string() }),
  instellingen: RelayInstellingen,
  melding: z.string(),
});
export type AanmeldAntwoord = z.infer<typeof AanmeldAntwoord>;

/** The outcome of the last update the relay tried (helper UPDATE fills it in), reported once on the next heartbeat. */
export const UpdateResultaat = z.object({
  versie: RelayVersie,
  resultaat: z.enum(["GESLAAGD", "GEWEIGERD", "TERUGGEZET"]),
  /** Dutch, e.g. why the signature was refused or why it was rolled back */
  melding: z.string().max(500),
  op: z.string().datetime(),
});
export type UpdateResultaat = z.infer<typeof UpdateResultaat>;

export const Hartslag = z.object({
  relayVersie: RelayVersie,
  /** the relay API version it speaks (RELAY_API_VERSION of its build) */
  apiVersie: z.string().min(1).max(20),
  /** the LVS2000 database version, null when the database is not reachable */
  lvs2000Versie: z.string().max(40).nullable(),
  database: z.object({ ok: z.boolean(), melding: z.string().max(500).nullable() }),
  laatsteUpdate: UpdateResultaat.nullable().default(null),
  hostnaam: z.string().max(255).optional(),
});
export type Hartslag = z.input<typeof Hartslag>;

/** An update on offer (helper UPDATE): where to get it and how to check it. */
export const UpdateAanbod = z.object({
  versie: RelayVersie,
  /** SHA-256 of the bundle, hex */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** size in bytes */
  grootte: z.number().int().positive(),
  /** Ed25519 signature of the release manifest, base64 */
  handtekening: z.string().min(1).max(200),
  /** path (relative to RELAY_CLOUD_URL) or URL to download it from, signed like the heartbeat */
  url: z.string().min(1).max(2048),
});
export type UpdateAanbod = z.infer<typeof UpdateAanbod>;

export const HartslagAntwoord = z.object({
  /** whether this relay version is accepted; false: the cloud sends it no more work until it is updated */
  geaccepteerd: z.boolean(),
  /** Dutch: why not accepted, or a remark */
  melding: z.string().nullable(),
  minimumVersie: RelayVersie,
  update: UpdateAanbod.nullable(),
  /** during a key rotation: the new key (base64); the relay signs with it from its next call on */
  nieuweSleutel: z.string().min(40).nullable(),
  /** seconds until the next heartbeat the cloud would like (the relay keeps its own bounds) */
  volgendeSeconden: z.number().int().min(10).max(3600).nullable(),
});
export type HartslagAntwoord = z.infer<typeof HartslagAntwoord>;

/** Every refusal of the contact API. */
export const ContactFout = z.object({ fout: z.string(), melding: z.string() });
export type ContactFout = z.infer<typeof ContactFout>;
