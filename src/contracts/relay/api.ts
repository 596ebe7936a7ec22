import { z } from "zod";
import { Aanleverpunt, Inschrijving, Leerling, LvsWrite, Vestiging } from "../../core/model.js";

/**
 * The relay API contract (version 1): what the on-prem relay serves and the cloud's relay client
 * reads. Both sides parse every body with these schemas, so a change here breaks both compiles at
 * once. No route takes SQL, table or column names: only aanleverpunt codes, a cursor and writes.
 */

export const RELAY_API_VERSION = "1";

/** The routes, relative to the relay's base URL. */
export const routes = {
  health: "/v1/health",
  aanleverpunten: "/v1/aanleverpunten",
  snapshot: (ap: string) => `/v1/aanleverpunten/${ap}/snapshot`,
  snapshotStream: (ap: string) => `/v1/aanleverpunten/${ap}/snapshot.ndjson`,
  writes: "/v1/writes",
} as const;

export const HealthResponse = z.object({
  status: z.enum(["ok", "unavailable"]),
  relayVersion: z.string(),
  apiVersion: z.literal(RELAY_API_VERSION),
  /** the LVS2000 database version as the database reports it, null when unreachable */
  databaseVersion: z.string().nullable(),
  /** Dutch explanation when status is "unavailable" */
  melding: z.string().nullable(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

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
 * because it cannot satisfy the model; otherwise it is in the snapshot and only flagged.
 */
export const RowProblem = z.object({
  tabel: z.enum(["leerling", "adres", "inschrijving", "indicatie", "ambulanteBegeleiding", "nationaliteit"]),
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
