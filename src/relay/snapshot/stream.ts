import type { ServerResponse } from "node:http";
import type { SnapshotLine } from "../../contracts/relay/api.js";
import { writeChunk } from "../http-util.js";
import type { SqlSession } from "../sql/connection.js";
import { readSnapshotPage } from "./read-page.js";

/**
 * The whole snapshot of an aanleverpunt as NDJSON: one line per pupil, enrolment and problem,
 * read page by page and written with backpressure, so the relay holds one page at a time however
 * large the school. The last line is `einde` with the counts; a stream without it is incomplete
 * (a failure midway writes a `fout` line and ends).
 */
export async function streamSnapshot(s: SqlSession, res: ServerResponse, ap: string, pageSize: number, today: string) {
  res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" });
  const counts = { leerlingen: 0, inschrijvingen: 0, problemen: 0 };
  const line = (l: SnapshotLine) => JSON.stringify(l) + "\n";
  let cursor: string | undefined;
  try {
    do {
      const page = await readSnapshotPage(s, ap, cursor, pageSize, today);
      let chunk = "";
      for (const leerling of page.leerlingen) chunk += line({ soort: "leerling", leerling });
      for (const inschrijving of page.inschrijvingen) chunk += line({ soort: "inschrijving", inschrijving });
      for (const probleem of page.problems) chunk += line({ soort: "probleem", probleem });
      counts.leerlingen += page.leerlingen.length;
      counts.inschrijvingen += page.inschrijvingen.length;
      counts.problemen += page.problems.length;
      if (chunk) await writeChunk(res, chunk);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    res.end(line({ soort: "einde", aanleverpunt: ap, ...counts }));
  } catch (e) {
    if (!res.destroyed) res.end(line({ soort: "fout", melding: "Snapshot afgebroken door een fout in de relay" }));
    throw Object.assign(e as Error, { streamed: true });
  }
  return counts;
}
