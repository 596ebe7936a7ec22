import { odata, RestError, TableClient, type TableEntity, type TransactionAction } from "@azure/data-tables";

/**
 * Small helpers over @azure/data-tables shared by the state store: table access, partition reads,
 * and writes in entity-group transactions of at most 100 rows (the Table service limit).
 */

export type TableFactory = (table: string) => TableClient;

/** Tables from a connection string (Azurite locally); production passes a factory using managed identity. */
export function tablesFromConnectionString(connectionString: string): TableFactory {
  const insecure = /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/.test(connectionString);
  return (table) => TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: insecure });
}

const created = new WeakSet<TableClient>();
/** Creates the table on first use (a 409 "already exists" is the normal case and is swallowed by the SDK). */
export async function ensureTable(client: TableClient): Promise<TableClient> {
  if (!created.has(client)) {
    await client.createTable();
    created.add(client);
  }
  return client;
}

/** Every entity of one partition (optionally a row-key prefix), as plain objects. */
export async function readPartition<T extends object>(client: TableClient, partitionKey: string, rowKeyPrefix?: string): Promise<(T & { rowKey: string })[]> {
  const filter = rowKeyPrefix === undefined
    ? odata`PartitionKey eq ${partitionKey}`
    : odata`PartitionKey eq ${partitionKey} and RowKey ge ${rowKeyPrefix} and RowKey lt ${rowKeyPrefix + "\uffff"}`;
  const out: (T & { rowKey: string })[] = [];
  for await (const e of client.listEntities<T>({ queryOptions: { filter } })) out.push(e as T & { rowKey: string });
  return out;
}

/** Writes actions of one partition in transactions of ≤ 100 rows. */
export async function writeBatched(client: TableClient, actions: TransactionAction[]): Promise<number> {
  let requests = 0;
  for (let i = 0; i < actions.length; i += 100) {
    await client.submitTransaction(actions.slice(i, i + 100));
    requests++;
  }
  return requests;
}

export async function getEntityOrNull<T extends object>(client: TableClient, partitionKey: string, rowKey: string): Promise<(T & TableEntity) | null> {
  try {
    return (await client.getEntity<T>(partitionKey, rowKey)) as T & TableEntity;
  } catch (e) {
    if (e instanceof RestError && e.statusCode === 404) return null;
    throw e;
  }
}

/** Row keys may not contain / \ # ? or control characters; ids are encoded so any id is safe. */
export function safeRowKey(id: string): string {
  let out = "";
  for (const c of id) {
    const code = c.charCodeAt(0);
    const unsafe = c === "/" || c === "\\" || c === "#" || c === "?" || c === "%" || code < 0x20 || (code >= 0x7f && code <= 0x9f);
    out += unsafe ? `%${code.toString(16).padStart(2, "0")}` : c;
  }
  return out;
}

/** The longest string a Table property may hold (64 KiB as UTF-16). */
export const MAX_PROPERTY_CHARS = 32_000;
