import { RestError } from "@azure/data-tables";
import { ensureTable, type TableFactory } from "./tables.js";

/**
 * The nonces of signed relay → cloud requests (issue 13), so a captured heartbeat cannot be replayed
 * within the signature window, not even to another instance of the Function App (table `relayNonces`,
 * PartitionKey the school id, RowKey the nonce). Inserting an existing row fails (409): that is the check.
 * Rows are kept; each is tiny, one per heartbeat (docs/relay.md notes the clean-up still to do).
 */
export const RELAY_NONCES_TABLE = "relayNonces";

export interface NonceStore {
  /** true when this nonce is new for the school (and is now remembered), false when it was seen before */
  remember(school: string, nonce: string, at: Date): Promise<boolean>;
}

export function createNonceStore(o: { tables: TableFactory }): NonceStore {
  const client = o.tables(RELAY_NONCES_TABLE);
  return {
    async remember(school, nonce, at) {
      try {
        await (await ensureTable(client)).createEntity({ partitionKey: school, rowKey: nonce, op: at.toISOString() });
        return true;
      } catch (e) {
        if (e instanceof RestError && e.statusCode === 409) return false;
        throw e;
      }
    },
  };
}
