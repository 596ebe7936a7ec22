import { z } from "zod";
import { ensureTable, getEntityOrNull, readPartition, type TableFactory } from "./tables.js";

/**
 * Whether each school's relay answered lately (table `relayStatus`, PartitionKey `relay`, RowKey the
 * school id). Written by the relay client as a side effect of real requests — no extra polling: the
 * first failure after a success sets `onbereikbaarSinds`, the next success clears it. Successes are
 * written at most every few minutes per process (one write per school per run is enough to see it).
 */

export const RELAY_STATUS_TABLE = "relayStatus";
const PK = "relay";

export const RelayStatus = z.object({
  /** the last answer from this relay (ISO), null when it never answered */
  laatsteContact: z.string().nullable(),
  /** since when requests go unanswered (ISO), null while it answers */
  onbereikbaarSinds: z.string().nullable(),
  /** what went wrong last (a code, e.g. RELAY_NOT_PICKED_UP), null while it answers */
  fout: z.string().nullable(),
});
export type RelayStatus = z.infer<typeof RelayStatus>;

/**
 * The relay's last heartbeat (issue 13; PartitionKey `hartslag`, RowKey the school id): what the relay
 * reports of itself on `POST /api/relay/v1/hartslag`, so the admin page knows its version, the LVS2000
 * version and when it last spoke, also when no run asked it anything.
 */
export const RelayHeartbeat = z.object({
  op: z.string().datetime(),
  relayVersie: z.string(),
  apiVersie: z.string(),
  lvs2000Versie: z.string().nullable(),
  databaseOk: z.boolean(),
  databaseMelding: z.string().nullable(),
  hostnaam: z.string().nullable(),
  /** whether the cloud accepted this relay version */
  geaccepteerd: z.boolean(),
  /** the last update result it reported (helper UPDATE), kept until another comes */
  laatsteUpdate: z.object({ versie: z.string(), resultaat: z.string(), melding: z.string(), op: z.string() }).nullable(),
});
export type RelayHeartbeat = z.infer<typeof RelayHeartbeat>;
const HEARTBEAT_PK = "hartslag";

export interface RelayStatusStore {
  /** Records a heartbeat (a report without `laatsteUpdate` keeps the one stored). */
  recordHeartbeat(school: string, h: RelayHeartbeat): Promise<void>;
  heartbeat(school: string): Promise<RelayHeartbeat | null>;
  heartbeats(): Promise<Map<string, RelayHeartbeat>>;
  get(school: string): Promise<RelayStatus | null>;
  list(): Promise<Map<string, RelayStatus>>;
  recordSuccess(school: string, at: Date): Promise<void>;
  /** Records a failure; returns the status now stored (its `onbereikbaarSinds` is set). */
  recordFailure(school: string, at: Date, code: string): Promise<RelayStatus>;
}

const SUCCESS_WRITE_EVERY_MS = 5 * 60_000;

/** A row's JSON `data` as `schema`; null when there is no row or it does not read as one. */
function readRow<T>(schema: z.ZodType<T>, row: { data?: unknown } | null): T | null {
  if (!row || typeof row.data !== "string") return null;
  try {
    const parsed = schema.safeParse(JSON.parse(row.data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function createRelayStatusStore(o: { tables: TableFactory }): RelayStatusStore {
  const client = o.tables(RELAY_STATUS_TABLE);
  const table = () => ensureTable(client);
  /** what this process last wrote, to skip writing an unchanged success */
  const written = new Map<string, { ok: boolean; at: number }>();

  const read = (row: { data?: unknown } | null) => readRow(RelayStatus, row);
  const write = async (school: string, s: RelayStatus) => (await table()).upsertEntity({ partitionKey: PK, rowKey: school, data: JSON.stringify(s) }, "Replace");

  const readHeartbeat = (row: { data?: unknown } | null) => readRow(RelayHeartbeat, row);
  /** every readable row of a partition, by school (an unreadable one is left out) */
  async function readAll<T>(pk: string, schema: z.ZodType<T>): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for (const row of await readPartition<{ data: string }>(await table(), pk)) {
      const v = readRow(schema, row);
      if (v) out.set(row.rowKey, v);
    }
    return out;
  }

  return {
    async recordHeartbeat(school, h) {
      const t = await table();
      const before = h.laatsteUpdate === null ? readHeartbeat(await getEntityOrNull<{ data: string }>(t, HEARTBEAT_PK, school)) : null;
      const next: RelayHeartbeat = { ...h, laatsteUpdate: h.laatsteUpdate ?? before?.laatsteUpdate ?? null };
      await t.upsertEntity({ partitionKey: HEARTBEAT_PK, rowKey: school, data: JSON.stringify(next) }, "Replace");
    },
    async heartbeat(school) {
      return readHeartbeat(await getEntityOrNull<{ data: string }>(await table(), HEARTBEAT_PK, school));
    },
    heartbeats: () => readAll(HEARTBEAT_PK, RelayHeartbeat),
    async get(school) {
      return read(await getEntityOrNull<{ data: string }>(await table(), PK, school));
    },
    list: () => readAll(PK, RelayStatus),
    async recordSuccess(school, at) {
      const last = written.get(school);
      if (last?.ok && at.getTime() - last.at < SUCCESS_WRITE_EVERY_MS) return;
      await write(school, { laatsteContact: at.toISOString(), onbereikbaarSinds: null, fout: null });
      written.set(school, { ok: true, at: at.getTime() });
    },
    async recordFailure(school, at, code) {
      const before = read(await getEntityOrNull<{ data: string }>(await table(), PK, school));
      const next: RelayStatus = { laatsteContact: before?.laatsteContact ?? null, onbereikbaarSinds: before?.onbereikbaarSinds ?? at.toISOString(), fout: code };
      await write(school, next);
      written.set(school, { ok: false, at: at.getTime() });
      return next;
    },
  };
}
