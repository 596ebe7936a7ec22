import { createInterface } from "node:readline";
import type { z } from "zod";
import {
  type AanleverpuntInfo,
  AanleverpuntenResponse,
  ApiVersionInfo,
  ErrorResponse,
  HealthResponse,
  RELAY_API_VERSION,
  routes,
  type RowProblem,
  SnapshotLine,
  SnapshotPage,
  WriteResult,
} from "../../contracts/relay/api.js";
import type { LvsSnapshot, LvsWrite } from "../../core/model.js";
import { MINIMUM_RELAY_VERSIE, relayAccepted, relayTooOldReason } from "../../core/relay-versie.js";
import { ExternalRejection, IncompatibleVersionError, TransientError, ValidationError } from "./errors.js";
import { httpsChannel, readAll, type RelayChannel, type RelayReply, type TransportOptions } from "./http.js";
import { incompleteFromProblems, inschrijvingFromWire, leerlingFromWire, writeToWire } from "./wire-mapping.js";

/**
 * The cloud side of the relay API: every request signed, every answer parsed with the relay API's
 * wire schemas (src/contracts/relay/api.ts) and mapped to the domain model (wire-mapping.ts). Works the
 * same over the school's Storage queue channel (queue-channel.ts, production) and over plain HTTPS to
 * a relay's local listener (development, tests).
 */

/** HTTPS options (a local relay), or a channel (the queue channel). */
export type RelayClientOptions = TransportOptions | { channel: RelayChannel };
export type { RowProblem, WriteResult };
export interface SnapshotWithProblems {
  snapshot: LvsSnapshot;
  problems: RowProblem[];
}

/** A write to make in LVS2000: the domain write, the row version the cloud read, and the request id that makes a retry harmless. */
export interface LvsWriteRequest {
  requestId: string;
  rowVersion: string;
  write: LvsWrite;
}

/** The Dutch reason a relay of another API version is refused. */
export function versionMismatchReason(theirs: string | null, ours: string = RELAY_API_VERSION): string {
  if (theirs === null) return `De relay op school meldt geen API-versie; deze dienst ondersteunt API-versie ${ours}. Werk de relay bij.`;
  const newer = /^\d+$/.test(theirs) && /^\d+$/.test(ours) && Number(theirs) > Number(ours);
  const advice = newer ? "Installeer de relay-versie die bij deze dienst hoort." : "Werk de relay bij.";
  return `De relay op school spreekt API-versie ${theirs}; deze dienst ondersteunt API-versie ${ours}. ${advice}`;
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

/** The relay answered, but its version is below the cloud's minimum: `theirs` is its relay version. */
export class RelayTooOldError extends IncompatibleVersionError {}

/**
 * A relay below the minimum version (src/core/relay-versie.ts) is refused on every contact: its answer
 * is not used (never half-served) and the run ends GEWEIGERD with the Dutch reason.
 */
function refuseTooOld(version: string | undefined): void {
  if (version !== undefined && !relayAccepted(version)) throw new RelayTooOldError(relayTooOldReason(version), version, MINIMUM_RELAY_VERSIE);
}

/** The whole body of an answer, after which the channel may clean up. */
async function textOf(res: RelayReply): Promise<string> {
  try {
    refuseTooOld(res.relayVersion);
    return await readAll(res.body);
  } finally {
    await res.release();
  }
}

async function expect<T>(res: RelayReply, ok: readonly number[], schema: z.ZodType<T>, what: string): Promise<T> {
  const text = await textOf(res);
  if (!ok.includes(res.status)) throw statusError(res.status, text);
  return parseContract(schema, text, what);
}

export interface RelayClient {
  /** The health answer as it is (any API version). */
  health(): Promise<HealthResponse>;
  /**
   * Asks the relay which API version it speaks; throws IncompatibleVersionError (Dutch reason) when it
   * is not RELAY_API_VERSION, or when the relay's own version is below MINIMUM_RELAY_VERSIE. The cloud asks on every run before it reads or writes LVS2000.
   */
  requireCompatibleVersion(): Promise<HealthResponse>;
  aanleverpunten(): Promise<AanleverpuntInfo[]>;
  /** One page as the wire carries it. */
  snapshotPage(aanleverpunt: string, cursor?: string, limit?: number): Promise<SnapshotPage>;
  /** All pages of one aanleverpunt, assembled into the domain model. */
  snapshot(aanleverpunt: string, pageSize?: number): Promise<SnapshotWithProblems>;
  /** The NDJSON stream, line by line as the wire carries it; throws TransientError when it ends without its `einde` line. */
  streamSnapshot(aanleverpunt: string, pageSize?: number): AsyncGenerator<SnapshotLine>;
  /** The stream, assembled into the domain model. */
  snapshotViaStream(aanleverpunt: string, pageSize?: number): Promise<SnapshotWithProblems>;
  /** A write; a version conflict or an unknown pupil comes back as a value, not an error. */
  write(request: LvsWriteRequest): Promise<WriteResult>;
}

export function createRelayClient(o: RelayClientOptions): RelayClient {
  const channel = "channel" in o ? o.channel : httpsChannel(o);
  const send = (method: "GET" | "POST", pathAndQuery: string, body?: unknown) => channel.send(method, pathAndQuery, body);
  const client: RelayClient = {
    async health() {
      return expect(await send("GET", routes.health), [200, 503], HealthResponse, "health");
    },
    async requireCompatibleVersion() {
      const res = await send("GET", routes.health);
      const text = await textOf(res);
      const status = res.status;
      if (status !== 200 && status !== 503) throw statusError(status, text);
      // Only the version is read first: a relay of another version may answer health in another shape.
      const info = ApiVersionInfo.safeParse(safeJson(text));
      const theirs = info.success ? info.data.apiVersion : null;
      if (theirs !== RELAY_API_VERSION) throw new IncompatibleVersionError(versionMismatchReason(theirs), theirs ?? "onbekend", RELAY_API_VERSION);
      const health = parseContract(HealthResponse, text, "health");
      refuseTooOld(health.relayVersion);
      return health;
    },
    async aanleverpunten() {
      return (await expect(await send("GET", routes.aanleverpunten), [200], AanleverpuntenResponse, "aanleverpunten")).aanleverpunten;
    },
    async snapshotPage(ap, cursor, limit) {
      const q = new URLSearchParams();
      if (cursor) q.set("cursor", cursor);
      if (limit) q.set("limit", String(limit));
      const query = q.size ? `?${q.toString()}` : "";
      return expect(await send("GET", routes.snapshot(ap) + query), [200], SnapshotPage, "snapshot");
    },
    async snapshot(ap, pageSize = 1000) {
      const out: SnapshotWithProblems = { snapshot: { aanleverpunt: ap, leerlingen: [], inschrijvingen: [] }, problems: [] };
      let cursor: string | undefined;
      do {
        const page = await client.snapshotPage(ap, cursor, pageSize);
        out.snapshot.leerlingen.push(...page.leerlingen.map(leerlingFromWire));
        out.snapshot.inschrijvingen.push(...page.inschrijvingen.map(inschrijvingFromWire));
        out.problems.push(...page.problems);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      Object.assign(out.snapshot, incompleteFromProblems(out.problems));
      return out;
    },
    async *streamSnapshot(ap, pageSize = 1000) {
      const res = await send("GET", `${routes.snapshotStream(ap)}?limit=${pageSize}`);
      if (res.status !== 200) throw statusError(res.status, await textOf(res));
      try {
        refuseTooOld(res.relayVersion);
        let ended = false;
        for await (const text of createInterface({ input: res.body, crlfDelay: Infinity })) {
          if (!text) continue;
          const line = parseContract(SnapshotLine, text, "snapshot stream");
          if (line.soort === "fout") throw new TransientError(line.melding, "STREAM_FAILED");
          if (line.soort === "einde") ended = true;
          yield line;
        }
        if (!ended) throw new TransientError("snapshot stream ended early", "STREAM_TRUNCATED");
      } finally {
        await res.release();
      }
    },
    async snapshotViaStream(ap, pageSize) {
      const out: SnapshotWithProblems = { snapshot: { aanleverpunt: ap, leerlingen: [], inschrijvingen: [] }, problems: [] };
      for await (const line of client.streamSnapshot(ap, pageSize)) {
        if (line.soort === "leerling") out.snapshot.leerlingen.push(leerlingFromWire(line.leerling));
        else if (line.soort === "inschrijving") out.snapshot.inschrijvingen.push(inschrijvingFromWire(line.inschrijving));
        else if (line.soort === "probleem") out.problems.push(line.probleem);
      }
      Object.assign(out.snapshot, incompleteFromProblems(out.problems));
      return out;
    },
    async write(request) {
      const body = { requestId: request.requestId, rowVersion: request.rowVersion, write: writeToWire(request.write) };
      return expect(await send("POST", routes.writes, body), [200, 404, 409], WriteResult, "write");
    },
  };
  return client;
}

/**
 * The same client, but it asks the relay's API version once before its first data request (and
 * throws IncompatibleVersionError instead of sending anything to a relay it does not speak). Make one
 * per unit of work (an activity's writes), so every unit asks afresh.
 */
export function withVersionCheck(c: RelayClient): RelayClient {
  let checked: Promise<unknown> | undefined;
  const ready = () =>
    (checked ??= c.requireCompatibleVersion().catch((e: unknown) => {
      checked = undefined;
      throw e;
    }));
  return {
    health: () => c.health(),
    requireCompatibleVersion: () => c.requireCompatibleVersion(),
    aanleverpunten: async () => (await ready(), c.aanleverpunten()),
    snapshotPage: async (ap, cursor, limit) => (await ready(), c.snapshotPage(ap, cursor, limit)),
    snapshot: async (ap, pageSize) => (await ready(), c.snapshot(ap, pageSize)),
    streamSnapshot: async function* (ap, pageSize) {
      await ready();
      yield* c.streamSnapshot(ap, pageSize);
    },
    snapshotViaStream: async (ap, pageSize) => (await ready(), c.snapshotViaStream(ap, pageSize)),
    write: async (request) => (await ready(), c.write(request)),
  };
}
