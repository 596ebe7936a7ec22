import { createInterface } from "node:readline";
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import {
  type AanleverpuntInfo,
  AanleverpuntenResponse,
  ErrorResponse,
  HealthResponse,
  routes,
  type RowProblem,
  SnapshotLine,
  SnapshotPage,
  type WriteRequest,
  WriteResult,
} from "../../contracts/relay/api.js";
import type { LvsSnapshot } from "../../core/model.js";
import { ExternalRejection, TransientError, ValidationError } from "./errors.js";
import { readAll, send, type TransportOptions } from "./http.js";

/**
 * The cloud side of the relay API: every request signed, every answer parsed with the shared
 * contract. Works the same over plain HTTPS (local relay) and over an Azure Relay Hybrid Connection
 * (baseUrl = https://<namespace>.servicebus.windows.net/<hybrid connection>, plus relayAuthorization).
 */

export type RelayClientOptions = TransportOptions;
export interface SnapshotWithProblems {
  snapshot: LvsSnapshot;
  problems: RowProblem[];
}

function statusError(status: number, body: string): Error {
  const parsed = ErrorResponse.safeParse(safeJson(body));
  const code = parsed.success ? parsed.data.error : `HTTP_${status}`;
  const melding = parsed.success ? parsed.data.melding : `relay answered HTTP ${status}`;
  if (status >= 500 || status === 429) return new TransientError(melding, code);
  if (status === 400 || status === 413 || status === 422) return new ValidationError(melding, code);
  return new ExternalRejection(melding, code);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseContract<T>(schema: z.ZodType<T>, text: string, what: string): T {
  const r = schema.safeParse(safeJson(text));
  if (!r.success) throw new ValidationError(`relay answer for ${what} breaks the contract: ${r.error.issues[0]?.message ?? ""}`, "CONTRACT");
  return r.data;
}

async function expect<T>(res: IncomingMessage, ok: readonly number[], schema: z.ZodType<T>, what: string): Promise<T> {
  const text = await readAll(res);
  const status = res.statusCode ?? 0;
  if (!ok.includes(status)) throw statusError(status, text);
  return parseContract(schema, text, what);
}

export interface RelayClient {
  health(): Promise<HealthResponse>;
  aanleverpunten(): Promise<AanleverpuntInfo[]>;
  snapshotPage(aanleverpunt: string, cursor?: string, limit?: number): Promise<SnapshotPage>;
  /** All pages of one aanleverpunt, assembled. */
  snapshot(aanleverpunt: string, pageSize?: number): Promise<SnapshotWithProblems>;
  /** The NDJSON stream, line by line; throws TransientError when it ends without its `einde` line. */
  streamSnapshot(aanleverpunt: string, pageSize?: number): AsyncGenerator<SnapshotLine>;
  /** The stream, assembled. */
  snapshotViaStream(aanleverpunt: string, pageSize?: number): Promise<SnapshotWithProblems>;
  /** A write; a version conflict or an unknown pupil comes back as a value, not an error. */
  write(request: WriteRequest): Promise<WriteResult>;
}

export function createRelayClient(o: RelayClientOptions): RelayClient {
  const client: RelayClient = {
    async health() {
      return expect(await send(o, "GET", routes.health), [200, 503], HealthResponse, "health");
    },
    async aanleverpunten() {
      return (await expect(await send(o, "GET", routes.aanleverpunten), [200], AanleverpuntenResponse, "aanleverpunten")).aanleverpunten;
    },
    async snapshotPage(ap, cursor, limit) {
      const q = new URLSearchParams();
      if (cursor) q.set("cursor", cursor);
      if (limit) q.set("limit", String(limit));
      const query = q.size ? `?${q.toString()}` : "";
      return expect(await send(o, "GET", routes.snapshot(ap) + query), [200], SnapshotPage, "snapshot");
    },
    async snapshot(ap, pageSize = 1000) {
      const out: SnapshotWithProblems = { snapshot: { aanleverpunt: ap, leerlingen: [], inschrijvingen: [] }, problems: [] };
      let cursor: string | undefined;
      do {
        const page = await client.snapshotPage(ap, cursor, pageSize);
        out.snapshot.leerlingen.push(...page.leerlingen);
        out.snapshot.inschrijvingen.push(...page.inschrijvingen);
        out.problems.push(...page.problems);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    },
    async *streamSnapshot(ap, pageSize = 1000) {
      const res = await send(o, "GET", `${routes.snapshotStream(ap)}?limit=${pageSize}`);
      if (res.statusCode !== 200) throw statusError(res.statusCode ?? 0, await readAll(res));
      let ended = false;
      for await (const text of createInterface({ input: res, crlfDelay: Infinity })) {
        if (!text) continue;
        const line = parseContract(SnapshotLine, text, "snapshot stream");
        if (line.soort === "fout") throw new TransientError(line.melding, "STREAM_FAILED");
        if (line.soort === "einde") ended = true;
        yield line;
      }
      if (!ended) throw new TransientError("snapshot stream ended early", "STREAM_TRUNCATED");
    },
    async snapshotViaStream(ap, pageSize) {
      const out: SnapshotWithProblems = { snapshot: { aanleverpunt: ap, leerlingen: [], inschrijvingen: [] }, problems: [] };
      for await (const line of client.streamSnapshot(ap, pageSize)) {
        if (line.soort === "leerling") out.snapshot.leerlingen.push(line.leerling);
        else if (line.soort === "inschrijving") out.snapshot.inschrijvingen.push(line.inschrijving);
        else if (line.soort === "probleem") out.problems.push(line.probleem);
      }
      return out;
    },
    async write(request) {
      return expect(await send(o, "POST", routes.writes, request), [200, 404, 409], WriteResult, "write");
    },
  };
  return client;
}
