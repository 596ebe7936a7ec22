import { odata, RestError, type TransactionAction } from "@azure/data-tables";
import { ensureTable, writeBatched, type TableFactory } from "./tables.js";

/**
 * The nonces of signed relay → cloud requests (issue 13), so a captured heartbeat cannot be replayed
 * within the signature window, not even to another instance of the Function App (table `relayNonces`,
 * PartitionKey the school id, RowKey the nonce). Inserting an existing row fails (409): that is the check.
 * A nonce only matters while its request's timestamp passes the window check (5 minutes either way), so
 * rows older than `keepMs` are deleted, per school at most every `cleanEveryMs` per process, as a side
 * effect of remembering a new one (a failed clean-up is tried again next time; it never refuses a request).
 */
export const RELAY_NONCES_TABLE = "relayNonces";

export interface NonceStore {
  /** true when this nonce is new for the school (and is now remembered), false when it was seen before */
  remember(school: string, nonce: string, at: Date): Promise<boolean>;
}

export function createNonceStore(o: { tables: TableFactory; keepMs?: number; cleanEveryMs?: number }): NonceStore {
  const client = o.tables(RELAY_NONCES_TABLE);
  const keepMs = o.keepMs ?? 15 * 60_000;
  const cleanEveryMs = o.cleanEveryMs ?? 10 * 60_000;
  const cleaned = new Map<string, number>();

  async function forget(school: string, before: Date): Promise<void> {
    const t = await ensureTable(client);
    const old: TransactionAction[] = [];
    const filter = odata`PartitionKey eq ${school} and op lt ${before.toISOString()}`;
    for await (const e of t.listEntities({ queryOptions: { filter, select: ["RowKey"] } })) old.push(["delete", { partitionKey: school, rowKey: String(e.rowKey) }]);
    await writeBatched(t, old);
  }

  return {
    async remember(school, nonce, at) {
      try {
        await (await ensureTable(client)).createEntity({ partitionKey: school, rowKey: nonce, op: at.toISOString() });
      } catch (e) {
        if (e instanceof RestError && e.statusCode === 409) return false;
        throw e;
      }
      const last = cleaned.get(school);
      if (last === undefined || at.getTime() - last >= cleanEveryMs) {
        cleaned.set(school, at.getTime());
        await forget(school, new Date(at.getTime() - keepMs)).catch(() => cleaned.delete(school));
      }
      return true;
    },
  };
}
