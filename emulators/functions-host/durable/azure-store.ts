import { randomUUID } from "node:crypto";
import { odata, TableClient, type TableEntityResult, type TransactionAction } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";
import { completionId, type HistoryEvent } from "./history.js";
import { PayloadStore } from "./payloads.js";
import { ConflictError, InvalidContinuationTokenError, type ControlMessage, type DurableStore, type InstanceFilter, type InstancePage, type InstanceRow, type Received, type WorkMessage } from "./store.js";

const maxQueueChars = 45_000;
const maxVisibilityMs = 6 * 24 * 3600_000;

/** Escapes the characters Table keys may not contain. */
function tableKey(id: string): string {
  return id.replace(/[/\\#?%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
const pad = (n: number, w: number) => String(n).padStart(w, "0");

type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string };

const instanceRowKey = "instance";

/** The Tables SDK's continuation tokens are base64 JSON `{nextPartitionKey, nextRowKey?}`; anything else is refused. */
function checkTableToken(token: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
  } catch {
    throw new InvalidContinuationTokenError("not a continuation token of this store");
  }
  const t = parsed as { nextPartitionKey?: unknown; nextRowKey?: unknown } | null;
  if (typeof t !== "object" || t === null || typeof t.nextPartitionKey !== "string" || (t.nextRowKey !== undefined && typeof t.nextRowKey !== "string")) {
    throw new InvalidContinuationTokenError("not a continuation token of this store");
  }
}

function isConflict(err: unknown): boolean {
  return isStatus(err, 409) || isStatus(err, 412) || isStatus(err, 404);
}

function isStatus(err: unknown, code: number): boolean {
  return typeof err === "object" && err !== null && (err as { statusCode?: number }).statusCode === code;
}

/**
 * DurableStore on Azure Storage (Azurite): table `<hub>History` with one partition per instance
 * holding the instance row (RK "instance"), the history (RK generation + position) and completion
 * markers, so an episode commits in one transaction; queues
 * `<hub>-control` and `<hub>-workitems`, and blobs for payloads over the Table/queue limits.
 */
export class AzureDurableStore implements DurableStore {
  requestCount = 0;
  private readonly history: TableClient;
  private readonly control: QueueClient;
  private readonly work: QueueClient;
  private readonly payloads: PayloadStore;
  private readonly blobs: BlobServiceClient;
  private readonly containerName: string;

  constructor(connectionString: string, hubName: string) {
    const opts = { allowInsecureConnection: true };
    this.history = TableClient.fromConnectionString(connectionString, `${hubName}History`, opts);
    const queues = QueueServiceClient.fromConnectionString(connectionString);
    const lower = hubName.toLowerCase();
    this.control = queues.getQueueClient(`${lower}-control`);
    this.work = queues.getQueueClient(`${lower}-workitems`);
    this.blobs = BlobServiceClient.fromConnectionString(connectionString);
    this.containerName = `${lower}-largemessages`;
    this.payloads = new PayloadStore(this.blobs.getContainerClient(this.containerName), () => this.requestCount++);
  }

  async init(): Promise<void> {
    this.requestCount += 4;
    await Promise.all([
      this.history.createTable(),
      this.control.createIfNotExists(),
      this.work.createIfNotExists(),
      this.blobs.getContainerClient(this.containerName).createIfNotExists(),
    ]);
  }

  private async toRow(e: TableEntityResult<Record<string, unknown>>): Promise<InstanceRow> {
    const row = JSON.parse(String(e.state)) as InstanceRow;
    row.input = await this.payloads.load(row.input);
    row.output = await this.payloads.load(row.output);
    row.customStatus = await this.payloads.load(row.customStatus);
    row.etag = e.etag;
    return row;
  }

  async getInstance(instanceId: string): Promise<InstanceRow | undefined> {
    this.requestCount++;
    try {
      return await this.toRow(await this.history.getEntity(tableKey(instanceId), instanceRowKey));
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  private async rowEntity(row: InstanceRow): Promise<Entity> {
    const prefix = `${tableKey(row.instanceId)}/${row.generation}/`;
    const stored: InstanceRow = { ...row, etag: undefined } as InstanceRow;
    stored.input = await this.payloads.save(`${prefix}input`, row.input);
    stored.output = await this.payloads.save(`${prefix}output`, row.output);
    stored.customStatus = await this.payloads.save(`${prefix}customStatus`, row.customStatus);
    return { partitionKey: tableKey(row.instanceId), rowKey: instanceRowKey, state: JSON.stringify(stored), status: row.status, createdTime: row.createdTime, name: row.name };
  }

  async putInstance(row: InstanceRow, ifMatch: string | undefined): Promise<InstanceRow> {
    const entity = await this.rowEntity(row);
    this.requestCount++;
    try {
      const res = ifMatch === undefined ? await this.history.createEntity(entity) : await this.history.updateEntity(entity, "Replace", { etag: ifMatch });
      return { ...row, etag: res.etag ?? "" };
    } catch (err) {
      if (isConflict(err)) throw new ConflictError(`instance ${row.instanceId} was changed concurrently`);
      throw err;
    }
  }

  async deleteInstance(instanceId: string): Promise<boolean> {
    const pk = tableKey(instanceId);
    const keys: string[] = [];
    for await (const page of this.history.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${pk}`, select: ["rowKey"] } }).byPage({ maxPageSize: 1000 })) {
      this.requestCount++;
      for (const e of page) keys.push(String(e.rowKey));
    }
    for (let i = 0; i < keys.length; i += 100) {
      this.requestCount++;
      await this.history.submitTransaction(keys.slice(i, i + 100).map((rk) => ["delete", { partitionKey: pk, rowKey: rk }] as TransactionAction));
    }
    await this.payloads.deletePrefix(`${pk}/`);
    return keys.includes(instanceRowKey);
  }

  /** OData for instance rows matching `filter`; a prefix is a PartitionKey range, as DTFx queries it. */
  private instanceQuery(filter: InstanceFilter): string {
    const parts: string[] = [odata`RowKey eq ${instanceRowKey}`];
    if (filter.createdTimeFrom) parts.push(odata`createdTime ge ${filter.createdTimeFrom}`);
    if (filter.createdTimeTo) parts.push(odata`createdTime le ${filter.createdTimeTo}`);
    if (filter.runtimeStatus?.length) parts.push(`(${filter.runtimeStatus.map((s) => odata`status eq ${s}`).join(" or ")})`);
    if (filter.instanceIdPrefix) {
      const from = tableKey(filter.instanceIdPrefix);
      const to = from.slice(0, -1) + String.fromCharCode(from.charCodeAt(from.length - 1) + 1);
      parts.push(odata`PartitionKey ge ${from}`, odata`PartitionKey lt ${to}`);
    }
    return parts.join(" and ");
  }

  async listInstances(filter: InstanceFilter): Promise<InstanceRow[]> {
    const out: InstanceRow[] = [];
    for await (const page of this.history.listEntities({ queryOptions: { filter: this.instanceQuery(filter) } }).byPage({ maxPageSize: 1000 })) {
      this.requestCount++;
      for (const e of page) out.push(await this.toRow(e));
    }
    return out;
  }

  async queryInstances(filter: InstanceFilter, pageSize: number, continuationToken?: string): Promise<InstancePage> {
    if (continuationToken !== undefined) checkTableToken(continuationToken);
    const pages = this.history.listEntities({ queryOptions: { filter: this.instanceQuery(filter) } }).byPage({ maxPageSize: pageSize, ...(continuationToken ? { continuationToken } : {}) });
    this.requestCount++;
    let first: Awaited<ReturnType<typeof pages.next>>;
    try {
      first = await pages.next();
    } catch (err) {
      if (continuationToken !== undefined && isStatus(err, 400)) throw new InvalidContinuationTokenError("the table service refused the continuation token");
      throw err;
    }
    if (first.done) return { rows: [] };
    const rows: InstanceRow[] = [];
    for (const e of first.value) rows.push(await this.toRow(e));
    return first.value.continuationToken ? { rows, continuationToken: first.value.continuationToken } : { rows };
  }

  private historyPrefix(row: InstanceRow): string {
    return `h${pad(row.generation, 6)}-`;
  }

  async readHistory(row: InstanceRow): Promise<HistoryEvent[]> {
    if (row.historyLength === 0) return [];
    const pk = tableKey(row.instanceId);
    const from = `${this.historyPrefix(row)}${pad(0, 8)}`;
    const to = `${this.historyPrefix(row)}${pad(row.historyLength - 1, 8)}`;
    const events: HistoryEvent[] = [];
    const pages = this.history.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${pk} and RowKey ge ${from} and RowKey le ${to}` } }).byPage({ maxPageSize: 1000 });
    for await (const page of pages) {
      this.requestCount++;
      for (const e of page) events.push(JSON.parse((await this.payloads.load(String(e.event))) ?? "null") as HistoryEvent);
    }
    if (events.length !== row.historyLength) throw new Error(`History of ${row.instanceId} has ${events.length} of ${row.historyLength} events.`);
    return events;
  }

  /**
   * Appends an episode's events to `prev`'s history and replaces the instance row with `next`,
   * conditional on `prev`'s ETag — in one entity-group transaction when it fits (100 operations),
   * else history first (ignored until the row points past it) and the row in the last batch.
   */
  async commitEpisode(prev: InstanceRow, events: HistoryEvent[], next: InstanceRow): Promise<InstanceRow> {
    const pk = tableKey(prev.instanceId);
    const actions: TransactionAction[] = [];
    for (const [i, e] of events.entries()) {
      const pos = prev.historyLength + i;
      const text = await this.payloads.save(`${pk}/${prev.generation}/h${pos}`, JSON.stringify(e));
      actions.push(["upsert", { partitionKey: pk, rowKey: `${this.historyPrefix(prev)}${pad(pos, 8)}`, event: text, eventType: e.EventType }, "Replace"]);
      const id = completionId(e);
      if (id !== undefined) actions.push(["upsert", { partitionKey: pk, rowKey: `c-${prev.executionId}-${id}` }, "Replace"]);
    }
    actions.push(["update", await this.rowEntity(next), "Replace", { etag: prev.etag ?? "*" }]);
    try {
      let last: Awaited<ReturnType<TableClient["submitTransaction"]>> | undefined;
      for (let i = 0; i < actions.length; i += 100) {
        this.requestCount++;
        last = await this.history.submitTransaction(actions.slice(i, i + 100));
      }
      const etag = last?.subResponses.at(-1)?.etag;
      return { ...next, etag: etag ?? "" };
    } catch (err) {
      if (isConflict(err)) throw new ConflictError(`instance ${prev.instanceId} was changed concurrently`);
      throw err;
    }
  }

  async isTaskCompleted(instanceId: string, executionId: string, taskId: number): Promise<boolean> {
    this.requestCount++;
    try {
      await this.history.getEntity(tableKey(instanceId), `c-${executionId}-${taskId}`, { queryOptions: { select: ["rowKey"] } });
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  }

  private async send(queue: QueueClient, body: unknown, delayMs: number): Promise<void> {
    let text = JSON.stringify(body);
    if (text.length > maxQueueChars) text = JSON.stringify({ $blob: await this.payloads.save(`msg/${randomUUID()}`, text, 0) });
    this.requestCount++;
    await queue.sendMessage(Buffer.from(text).toString("base64"), { visibilityTimeout: Math.ceil(Math.min(delayMs, maxVisibilityMs) / 1000) });
  }

  private async receive<T>(queue: QueueClient, max: number, visibilityMs: number): Promise<Received<T>[]> {
    this.requestCount++;
    const res = await queue.receiveMessages({ numberOfMessages: Math.min(32, max), visibilityTimeout: Math.max(1, Math.ceil(visibilityMs / 1000)) });
    const out: Received<T>[] = [];
    for (const m of res.receivedMessageItems) {
      let parsed = JSON.parse(Buffer.from(m.messageText, "base64").toString("utf8")) as T | { $blob: string };
      if (typeof parsed === "object" && parsed !== null && "$blob" in parsed) parsed = JSON.parse((await this.payloads.load(parsed.$blob)) ?? "null") as T;
      let popReceipt = m.popReceipt;
      out.push({
        body: parsed as T,
        dequeueCount: m.dequeueCount,
        complete: async () => {
          this.requestCount++;
          await queue.deleteMessage(m.messageId, popReceipt).catch((err: unknown) => {
            if (!isStatus(err, 404)) throw err;
          });
        },
        renew: async (ms: number) => {
          this.requestCount++;
          const res = await queue.updateMessage(m.messageId, popReceipt, undefined, Math.ceil(ms / 1000));
          popReceipt = res.popReceipt ?? popReceipt;
        },
      });
    }
    return out;
  }

  sendControl(msg: ControlMessage, delayMs = 0): Promise<void> {
    return this.send(this.control, msg, delayMs);
  }
  receiveControl(max: number, visibilityMs: number): Promise<Received<ControlMessage>[]> {
    return this.receive<ControlMessage>(this.control, max, visibilityMs);
  }
  sendWork(msg: WorkMessage): Promise<void> {
    return this.send(this.work, msg, 0);
  }
  receiveWork(max: number, visibilityMs: number): Promise<Received<WorkMessage>[]> {
    return this.receive<WorkMessage>(this.work, max, visibilityMs);
  }
}
