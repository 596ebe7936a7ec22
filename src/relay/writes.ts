import { createHash } from "node:crypto";
import { type ErrorResponse, type LvsWrite, type WriteRequest, type WriteResult, writeResultStatus } from "../contracts/relay/api.js";
import type { SqlPool } from "./sql/connection.js";
import * as sql from "./sql/lvs2000.js";
import { leerlingRowVersion } from "./snapshot/leerling-rows.js";

/**
 * Applies a write from the cloud to LVS2000, safely:
 * - optimistic concurrency: the write carries the row version the cloud read; if the pupil (or its
 *   address) changed since, nothing is written and the answer is CONFLICT (409) with the current version;
 * - idempotency: the request id is claimed in the same transaction as the write, and the answer is
 *   stored with it, so a retry gets the same answer and never writes twice; the same id with other
 *   content is refused (422);
 * - audit: every outcome is recorded in the audit table (ids, field names, outcome; no values).
 */

export type WriteOutcome = { httpStatus: number; body: WriteResult | ErrorResponse; replay: boolean };

const FIELDS: Record<Exclude<LvsWrite["soort"], "NAAM_CORRECTIE">, string> = {
  SET_PGN: "pgn",
  GBA_ADRES: "adres",
  ONDERWIJS_SINDS: "onderwijsSinds",
  NATIONALITEITEN: "nationaliteiten",
};
const NAME_FIELDS = ["voornamen", "voorvoegsels", "achternaam", "geslacht", "geboortedatum"] as const;

/** The names of the fields a write changes (for the audit; never their values). */
function fieldsOf(w: LvsWrite): string {
  return w.soort === "NAAM_CORRECTIE" ? NAME_FIELDS.filter((f) => w[f] !== undefined).join(",") : FIELDS[w.soort];
}

function requestHash(r: WriteRequest): string {
  return createHash("sha256").update(JSON.stringify({ rowVersion: r.rowVersion, write: r.write })).digest("hex");
}

async function storedAnswer(pool: SqlPool, r: WriteRequest, hash: string): Promise<WriteOutcome | undefined> {
  const row = await sql.selectVerzoek(pool, r.requestId);
  if (!row) return undefined;
  if (row.VerzoekHash !== hash) {
    return { httpStatus: 422, replay: true, body: { error: "REQUEST_ID_REUSED", melding: "Dit verzoek-id is al gebruikt voor een andere wijziging" } };
  }
  const body = JSON.parse(String(row.Antwoord)) as WriteResult;
  return { httpStatus: Number(row.HttpStatus), body, replay: true };
}

async function writeOnce(pool: SqlPool, r: WriteRequest, hash: string, now: Date): Promise<WriteOutcome> {
  const { requestId, write } = r;
  const leerlingId = write.leerlingId;
  return pool.transaction(async (s) => {
    await sql.insertVerzoek(s, requestId, hash, now);
    const before = await sql.selectRowVersions(s, leerlingId);
    let result: WriteResult;
    if (!before) {
      result = { status: "ONBEKEND", requestId, leerlingId };
    } else if (leerlingRowVersion(before) !== r.rowVersion) {
      result = { status: "CONFLICT", requestId, leerlingId, currentRowVersion: leerlingRowVersion(before) };
    } else {
      await sql.applyWrite(s, write, now);
      const after = await sql.selectRowVersions(s, leerlingId);
      result = { status: "TOEGEPAST", requestId, leerlingId, rowVersion: after ? leerlingRowVersion(after) : "" };
    }
    await sql.insertAudit(s, { requestId, soort: write.soort, leerlingId, resultaat: result.status, velden: fieldsOf(write) }, now);
    const httpStatus = writeResultStatus[result.status];
    await sql.updateVerzoekAntwoord(s, requestId, httpStatus, JSON.stringify(result));
    return { httpStatus, body: result, replay: false };
  });
}

/** Applies one write request (see the module comment for the rules). */
export async function applyWriteRequest(pool: SqlPool, r: WriteRequest, now: Date): Promise<WriteOutcome> {
  const hash = requestHash(r);
  const earlier = await storedAnswer(pool, r, hash);
  if (earlier) return earlier;
  try {
    return await writeOnce(pool, r, hash, now);
  } catch (e) {
    // A concurrent request with the same id won the claim: answer as it did.
    const raced = await storedAnswer(pool, r, hash).catch(() => undefined);
    if (raced) return raced;
    throw e;
  }
}
