import { z } from "zod";

/**
 * The relay API contract: what the on-prem relay (installed at the school) serves and the cloud's
 * relay client reads. These are wire schemas of their own: they do not import the domain model
 * (src/core/model.ts), so a change to the model cannot silently change the API of the program the
 * schools run. The relay maps its SQL rows to these shapes (src/relay/snapshot/), the cloud maps them
 * to the domain model (src/adapters/lvs/wire-mapping.ts). The shape is pinned by docs/schema/relay-api.json
 * and test/unit/relay-api-contract.test.ts: changing anything here means a new RELAY_API_VERSION.
 *
 * Both sides parse every body with these schemas. No route takes SQL, table or column names: only
 * aanleverpunt codes, a cursor and writes.
 */

/**
 * The version of this contract. `GET /v1/health` and its `apiVersion` field are the same in every
 * version, so the cloud can always learn which version a relay speaks, and refuses one it does not.
 */
export const RELAY_API_VERSION = "3";

/** The routes, relative to the relay's base URL. */
export const routes = {
  health: "/v1/health",
  aanleverpunten: "/v1/aanleverpunten",
  snapshot: (ap: string) => `/v1/aanleverpunten/${ap}/snapshot`,
  snapshotStream: (ap: string) => `/v1/aanleverpunten/${ap}/snapshot.ndjson`,
  writes: "/v1/writes",
} as const;

// ---- values -------------------------------------------------------------------------------

/** A calendar date as YYYY-MM-DD (a real one). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "not a real calendar date");
export type IsoDate = z.infer<typeof IsoDate>;

/** BRIN (2 digits + 2 letters) + 2 digits, e.g. 00AA00. */
export const Aanleverpunt = z.string().regex(/^\d{2}[A-Z]{2}\d{2}$/, "expected an aanleverpunt like 00AA00");
export type Aanleverpunt = z.infer<typeof Aanleverpunt>;
/** BRIN + 2-digit volgnummer, e.g. 00AA01. */
export const Vestiging = z.string().regex(/^\d{2}[A-Z]{2}\d{2}$/, "expected a vestiging like 00AA01");
export type Vestiging = z.infer<typeof Vestiging>;

/** man, vrouw, onbekend */
export const Geslacht = z.enum(["M", "V", "O"]);
export type Geslacht = z.infer<typeof Geslacht>;

/** Persoonsgebonden nummer: the BSN or the onderwijsnummer. */
export const Pgn = z.object({ soort: z.enum(["BSN", "ONDERWIJSNUMMER"]), nummer: z.string().min(1) });
export type Pgn = z.infer<typeof Pgn>;

export const Adres = z.object({
  straat: z.string(),
  huisnummer: z.number().int().nullable(),
  toevoeging: z.string().nullable(),
  postcode: z.string().nullable(),
  plaats: z.string(),
  /** GBA landcode (tabel 34), 4 digits */
  land: z.string().regex(/^\d{4}$/),
});
export type Adres = z.infer<typeof Adres>;

// ---- what the relay reads from LVS2000 -----------------------------------------------------

/** A pupil as LVS2000 holds it. `id` is the LVS leerlingnummer. */
export const Leerling = z.object({
  id: z.string().min(1),
  pgn: Pgn.nullable(),
  voornamen: z.string(),
  voorvoegsels: z.string().nullable(),
  achternaam: z.string().min(1),
  geslacht: Geslacht,
  geboortedatum: IsoDate,
  adres: Adres.nullable(),
  /** GBA nationaliteitcodes (tabel 32), 4 digits each */
  nationaliteiten: z.array(z.string().regex(/^\d{4}$/)),
  onderwijsSinds: IsoDate.nullable(),
  /** opaque row version (pupil + address rows); a write must carry it back */
  rowVersion: z.string().optional(),
});
export type Leerling = z.infer<typeof Leerling>;

export const Schoolsoort = z.enum(["BAO", "SBO", "SO", "VSO"]);
export type Schoolsoort = z.infer<typeof Schoolsoort>;

export const Indicatie = z.object({
  soort: z.string().min(1),
  begindatum: IsoDate,
  einddatum: IsoDate.nullable(),
  categorie: z.string().nullable(),
});
export type Indicatie = z.infer<typeof Indicatie>;

export const AmbulanteBegeleiding = z.object({
  ondersteunendeVestiging: Vestiging,
  begindatum: IsoDate,
  ontvangendeVestiging: Vestiging,
});
export type AmbulanteBegeleiding = z.infer<typeof AmbulanteBegeleiding>;

/** One row of the group history (klassenhistorie), from `begindatum` until the next row. Since API version 3. */
export const Groepsperiode = z.object({
  leerjaar: z.number().int().min(0).max(8).nullable(),
  groep: z.string().nullable(),
  begindatum: IsoDate,
});
export type Groepsperiode = z.infer<typeof Groepsperiode>;

/** Eindtoets/doorstroomtoets result as LVS2000 holds it (codes as stored; the cloud checks them). Since API version 3. */
export const Eindtoets = z.object({
  afnamedatum: IsoDate,
  toetsadvies: z.string().nullable(),
  score: z.number().int().nullable(),
  redenGeenToets: z.string().nullable(),
});
export type Eindtoets = z.infer<typeof Eindtoets>;

/** Schooladvies (VO-advies) with the herzien advies, as LVS2000 holds it. Since API version 3. */
export const Schooladvies = z.object({
  advies: z.string().min(1),
  datum: IsoDate,
  herzienAdvies: z.string().nullable(),
  herzienDatum: IsoDate.nullable(),
});
export type Schooladvies = z.infer<typeof Schooladvies>;

/** An enrolment as LVS2000 holds it. `id` is the LVS enrolment id. */
export const Inschrijving = z.object({
  id: z.string().min(1),
  leerlingId: z.string().min(1),
  aanleverpunt: Aanleverpunt,
  inschrijfdatum: IsoDate,
  uitschrijfdatum: IsoDate.nullable(),
  redenUitschrijving: z.string().nullable(),
  vestiging: Vestiging,
  schoolsoort: Schoolsoort,
  onderwijssoort: z.string().nullable(),
  /** leerjaar or groep, 0..8 */
  leerjaar: z.number().int().min(0).max(8).nullable(),
  soortVerblijf: z.string().nullable(),
  indicaties: z.array(Indicatie),
  ambulanteBegeleiding: AmbulanteBegeleiding.nullable(),
  bekostigd: z.boolean(),
  /** every GroepHistorie row, oldest first (since API version 3) */
  klassenhistorie: z.array(Groepsperiode),
  /** aanduiding niet-Nederlandse culturele achtergrond */
  nnca: z.boolean(),
  /** leerlinggewicht as stored (0, 0.3, 1.2 expected); null = none */
  gewicht: z.number().nullable(),
  /** deelname voor- en vroegschoolse educatie; null = not registered */
  vve: z.boolean().nullable(),
  eindtoets: Eindtoets.nullable(),
  schooladvies: Schooladvies.nullable(),
  rowVersion: z.string().optional(),
});
export type Inschrijving = z.infer<typeof Inschrijving>;

// ---- bodies -------------------------------------------------------------------------------

export const HealthResponse = z.object({
  status: z.enum(["ok", "unavailable"]),
  relayVersion: z.string(),
  /** the relay API version this relay speaks (RELAY_API_VERSION of its build) */
  apiVersion: z.string(),
  /** the LVS2000 database version as the database reports it, null when unreachable */
  databaseVersion: z.string().nullable(),
  /** Dutch explanation when status is "unavailable" */
  melding: z.string().nullable(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** The part of the health answer every API version keeps: read first, before the rest is trusted. */
export const ApiVersionInfo = z.looseObject({ apiVersion: z.string().min(1) });
export type ApiVersionInfo = z.infer<typeof ApiVersionInfo>;

export const AanleverpuntInfo = z.object({
  code: Aanleverpunt,
  naam: z.string(),
  vestigingen: z.array(Vestiging),
});
export type AanleverpuntInfo = z.infer<typeof AanleverpuntInfo>;

export const AanleverpuntenResponse = z.object({ aanleverpunten: z.array(AanleverpuntInfo) });
export type AanleverpuntenResponse = z.infer<typeof AanleverpuntenResponse>;

/**
 * A row the relay could not deliver cleanly. Carries the row's LVS id, the field and a Dutch reason;
 * never the value itself (no personal data). `uitgesloten`: the row was left out of the snapshot
 * because it cannot satisfy the contract; otherwise it is in the snapshot and only flagged.
 */
export const RowProblem = z.object({
  tabel: z.enum(["leerling", "adres", "inschrijving", "indicatie", "ambulanteBegeleiding", "nationaliteit", "groepHistorie", "eindtoets", "schooladvies"]),
  rijId: z.string(),
  veld: z.string(),
  reden: z.string(),
  uitgesloten: z.boolean(),
});
export type RowProblem = z.infer<typeof RowProblem>;

export const SnapshotQuery = z.object({
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
export type SnapshotQuery = z.infer<typeof SnapshotQuery>;

/** One page of a snapshot: the pupils (by leerlingnummer order) with their enrolments on the aanleverpunt. */
export const SnapshotPage = z.object({
  aanleverpunt: Aanleverpunt,
  leerlingen: z.array(Leerling),
  inschrijvingen: z.array(Inschrijving),
  problems: z.array(RowProblem),
  /** pass back to get the next page; null on the last page */
  nextCursor: z.string().nullable(),
});
export type SnapshotPage = z.infer<typeof SnapshotPage>;

/** One line of the NDJSON snapshot stream. The stream always ends with an `einde` line carrying the counts. */
export const SnapshotLine = z.discriminatedUnion("soort", [
  z.object({ soort: z.literal("leerling"), leerling: Leerling }),
  z.object({ soort: z.literal("inschrijving"), inschrijving: Inschrijving }),
  z.object({ soort: z.literal("probleem"), probleem: RowProblem }),
  z.object({ soort: z.literal("einde"), aanleverpunt: Aanleverpunt, leerlingen: z.number().int(), inschrijvingen: z.number().int(), problemen: z.number().int() }),
  z.object({ soort: z.literal("fout"), melding: z.string() }),
]);
export type SnapshotLine = z.infer<typeof SnapshotLine>;

/** A write the cloud asks the relay to make in LVS2000. */
export const LvsWrite = z.discriminatedUnion("soort", [
  z.object({ soort: z.literal("SET_PGN"), leerlingId: z.string().min(1), pgn: Pgn }),
  z.object({
    soort: z.literal("NAAM_CORRECTIE"),
    leerlingId: z.string().min(1),
    /** only the fields that changed are present: unchanged data is never rewritten (since API version 2) */
    voornamen: z.string().optional(),
    voorvoegsels: z.string().nullable().optional(),
    achternaam: z.string().min(1).optional(),
    geslacht: Geslacht.optional(),
    geboortedatum: IsoDate.optional(),
  }),
  z.object({ soort: z.literal("GBA_ADRES"), leerlingId: z.string().min(1), adres: Adres }),
  z.object({ soort: z.literal("ONDERWIJS_SINDS"), leerlingId: z.string().min(1), onderwijsSinds: IsoDate }),
  /** the pupil's nationalities replaced by these (BRON's, from the BRP), in order (since API version 3) */
  z.object({ soort: z.literal("NATIONALITEITEN"), leerlingId: z.string().min(1), nationaliteiten: z.array(z.string().regex(/^\d{4}$/)).max(10) }),
]);
export type LvsWrite = z.infer<typeof LvsWrite>;

/** A write request: the write, the row version the cloud read, and an id that makes a retry harmless. */
export const WriteRequest = z.object({
  requestId: z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, "requestId: 8-100 characters A-Z a-z 0-9 _ . : -"),
  rowVersion: z.string().min(1).max(200),
  write: LvsWrite,
});
export type WriteRequest = z.infer<typeof WriteRequest>;

export const WriteResult = z.discriminatedUnion("status", [
  z.object({ status: z.literal("TOEGEPAST"), requestId: z.string(), leerlingId: z.string(), rowVersion: z.string() }),
  /** the row changed since the cloud read it: nothing was written */
  z.object({ status: z.literal("CONFLICT"), requestId: z.string(), leerlingId: z.string(), currentRowVersion: z.string() }),
  z.object({ status: z.literal("ONBEKEND"), requestId: z.string(), leerlingId: z.string() }),
]);
export type WriteResult = z.infer<typeof WriteResult>;

/** HTTP status of each write result: a conflict is 409, an unknown pupil 404. */
export const writeResultStatus: Record<WriteResult["status"], number> = { TOEGEPAST: 200, CONFLICT: 409, ONBEKEND: 404 };

export const ErrorResponse = z.object({
  error: z.string(),
  melding: z.string(),
  details: z.array(z.string()).optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
