import type { Inschrijving, Leerling, SnapshotPage } from "../../contracts/relay/api.js";
import type { SqlRow, SqlSession } from "../sql/connection.js";
import * as sql from "../sql/lvs2000.js";
import { toInschrijving } from "./inschrijving-rows.js";
import { toLeerling } from "./leerling-rows.js";
import { ProblemList, text } from "./values.js";

/**
 * Reads one snapshot page: up to `limit` pupils with an enrolment on the aanleverpunt, after the
 * cursor, plus their enrolments there. Pages are keyset-paged on leerlingnummer, so memory per
 * page is bounded and a deep page costs the same as the first. Pages are not one point-in-time
 * view: a pupil changed between pages is seen as it was when its page was read.
 */

/** The cursor is the last leerlingnummer of the previous page, base64url-encoded (opaque to the caller). */
export const encodeCursor = (lastId: string) => Buffer.from(lastId, "utf8").toString("base64url");
export const decodeCursor = (cursor: string | undefined) => (cursor ? Buffer.from(cursor, "base64url").toString("utf8") : "");

function groupBy(rows: readonly SqlRow[], key: string): Map<string, SqlRow[]> {
  const m = new Map<string, SqlRow[]>();
  for (const r of rows) {
    const k = text(r[key]) ?? "";
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export async function readSnapshotPage(s: SqlSession, ap: string, cursor: string | undefined, limit: number, today: string): Promise<SnapshotPage> {
  const after = decodeCursor(cursor);
  const pupilRows = await sql.selectLeerlingPage(s, ap, after, limit);
  const lastRow = pupilRows.at(-1);
  if (!lastRow) return { aanleverpunt: ap, leerlingen: [], inschrijvingen: [], problems: [], nextCursor: null };
  const range = { ap, after, last: text(lastRow.LeerlingNummer) ?? "" };
  const [nat, enrolments, groepen, indicaties] = await Promise.all([
    sql.selectNationaliteiten(s, range),
    sql.selectInschrijvingen(s, range),
    sql.selectGroepHistorie(s, range),
    sql.selectIndicaties(s, range),
  ]);
  const problems = new ProblemList();
  const natBy = groupBy(nat, "LeerlingNummer");
  const leerlingen: Leerling[] = [];
  for (const row of pupilRows) {
    const codes = (natBy.get(text(row.LeerlingNummer) ?? "") ?? []).map((r) => text(r.NationaliteitCode) ?? "");
    const l = toLeerling(row, codes, today, problems);
    if (l) leerlingen.push(l);
  }
  const groepBy = groupBy(groepen, "InschrijvingId");
  const indicatieBy = groupBy(indicaties, "InschrijvingId");
  const inschrijvingen: Inschrijving[] = [];
  for (const row of enrolments) {
    const id = text(row.InschrijvingId) ?? "";
    // A pupil left out (incomplete: its problem says why) keeps its enrolments in the snapshot: they exist
    // in LVS2000, so the cloud must never take them for deleted.
    const i = toInschrijving(row, { groepHistorie: groepBy.get(id) ?? [], indicaties: indicatieBy.get(id) ?? [] }, problems);
    if (i) inschrijvingen.push(i);
  }
  const nextCursor = pupilRows.length < limit ? null : encodeCursor(range.last);
  return { aanleverpunt: ap, leerlingen, inschrijvingen, problems: problems.items, nextCursor };
}
