import { randomUUID } from "node:crypto";
import { completionId, type HistoryEvent } from "./history.js";
import { ConflictError, InvalidContinuationTokenError, type ControlMessage, type DurableStore, type InstanceFilter, type InstancePage, type InstanceRow, type Received, type WorkMessage } from "./store.js";

interface QueuedMessage<T> {
  body: T;
  visibleAt: number;
  dequeueCount: number;
  receipt: string;
}

class MemoryQueue<T> {
  items: QueuedMessage<T>[] = [];
  constructor(private readonly clock: () => number) {}
  send(body: T, delayMs = 0) {
    this.items.push({ body: structuredClone(body), visibleAt: this.clock() + delayMs, dequeueCount: 0, receipt: "" });
  }
  receive(max: number, visibilityMs: number): Received<T>[] {
    const now = this.clock();
    return this.items
      .filter((m) => m.visibleAt <= now)
      .slice(0, max)
      .map((m) => {
        m.dequeueCount++;
        m.visibleAt = now + visibilityMs;
        const receipt = (m.receipt = randomUUID());
        return {
          body: structuredClone(m.body),
          dequeueCount: m.dequeueCount,
          complete: async () => {
            if (m.receipt === receipt) this.items.splice(this.items.indexOf(m), 1);
          },
        };
      });
  }
}

/** An in-memory DurableStore with an injectable clock, for replay tests (no Azurite). */
export class MemoryDurableStore implements DurableStore {
  requestCount = 0;
  readonly instances = new Map<string, InstanceRow>();
  readonly history = new Map<string, HistoryEvent[]>();
  readonly completions = new Set<string>();
  readonly control: MemoryQueue<ControlMessage>;
  readonly work: MemoryQueue<WorkMessage>;

  constructor(clock: () => number = Date.now) {
    this.control = new MemoryQueue(clock);
    this.work = new MemoryQueue(clock);
  }
  async init(): Promise<void> {}
  async getInstance(id: string) {
    this.requestCount++;
    const row = this.instances.get(id);
    return row ? structuredClone(row) : undefined;
  }
  async putInstance(row: InstanceRow, ifMatch: string | undefined) {
    this.requestCount++;
    const existing = this.instances.get(row.instanceId);
    if (ifMatch === undefined ? existing : existing?.etag !== ifMatch) throw new ConflictError(`instance ${row.instanceId} changed`);
    const saved = { ...structuredClone(row), etag: randomUUID() };
    this.instances.set(row.instanceId, saved);
    return structuredClone(saved);
  }
  async deleteInstance(id: string) {
    this.requestCount++;
    this.history.delete(id);
    return this.instances.delete(id);
  }
  private matching(filter: InstanceFilter): InstanceRow[] {
    return [...this.instances.values()]
      .filter(
        (r) =>
          (!filter.createdTimeFrom || r.createdTime >= filter.createdTimeFrom) &&
          (!filter.createdTimeTo || r.createdTime <= filter.createdTimeTo) &&
          (!filter.runtimeStatus?.length || filter.runtimeStatus.includes(r.status)) &&
          (!filter.instanceIdPrefix || r.instanceId.startsWith(filter.instanceIdPrefix)),
      )
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0))
      .map((r) => structuredClone(r));
  }
  async listInstances(filter: InstanceFilter) {
    this.requestCount++;
    return this.matching(filter);
  }
  /** Tokens are `m:` + the last instance id of the previous page (rows are in instance id order). */
  async queryInstances(filter: InstanceFilter, pageSize: number, continuationToken?: string): Promise<InstancePage> {
    this.requestCount++;
    if (continuationToken !== undefined && !continuationToken.startsWith("m:")) throw new InvalidContinuationTokenError("not a continuation token of this store");
    const after = continuationToken?.slice(2);
    const rest = this.matching(filter).filter((r) => after === undefined || r.instanceId > after);
    const rows = rest.slice(0, pageSize);
    return rest.length > pageSize ? { rows, continuationToken: `m:${rows.at(-1)?.instanceId ?? ""}` } : { rows };
  }
  private key(row: InstanceRow) {
    return `${row.instanceId}|${row.generation}`;
  }
  async readHistory(row: InstanceRow) {
    this.requestCount++;
    return structuredClone((this.history.get(this.key(row)) ?? []).slice(0, row.historyLength));
  }
  async commitEpisode(prev: InstanceRow, events: HistoryEvent[], next: InstanceRow) {
    this.requestCount++;
    const existing = this.instances.get(prev.instanceId);
    if (!existing || existing.etag !== prev.etag) throw new ConflictError(`instance ${prev.instanceId} changed`);
    const list = this.history.get(this.key(prev)) ?? [];
    list.splice(prev.historyLength, list.length - prev.historyLength, ...structuredClone(events));
    this.history.set(this.key(prev), list);
    for (const e of events) {
      const id = completionId(e);
      if (id !== undefined) this.completions.add(`${prev.instanceId}|${prev.executionId}|${id}`);
    }
    const saved = { ...structuredClone(next), etag: randomUUID() };
    this.instances.set(next.instanceId, saved);
    return structuredClone(saved);
  }
  async isTaskCompleted(instanceId: string, executionId: string, taskId: number) {
    this.requestCount++;
    return this.completions.has(`${instanceId}|${executionId}|${taskId}`);
  }
  async sendControl(msg: ControlMessage, delayMs = 0) {
    this.requestCount++;
    this.control.send(msg, delayMs);
  }
  async receiveControl(max: number, visibilityMs: number) {
    this.requestCount++;
    return this.control.receive(max, visibilityMs);
  }
  async sendWork(msg: WorkMessage) {
    this.requestCount++;
    this.work.send(msg);
  }
  async receiveWork(max: number, visibilityMs: number) {
    this.requestCount++;
    return this.work.receive(max, visibilityMs);
  }
}
