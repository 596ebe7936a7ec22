import type { HistoryEvent, RuntimeStatus } from "./history.js";

/** The instance row: the commit point of every episode (history beyond `historyLength` is ignored). */
export interface InstanceRow {
  instanceId: string;
  name: string;
  executionId: string;
  generation: number;
  status: RuntimeStatus;
  input?: string | undefined;
  output?: string | undefined;
  customStatus?: string | undefined;
  createdTime: string;
  lastUpdatedTime: string;
  historyLength: number;
  parent?: { instanceId: string; executionId: string; taskId: number } | undefined;
  canceledTimers: number[];
  etag?: string;
}

/** A message on the control queue: one history event for one instance (and execution, when known). */
export interface ControlMessage {
  instanceId: string;
  executionId?: string;
  event: HistoryEvent;
}

/** A message on the work-item queue: one activity call. */
export interface WorkMessage {
  instanceId: string;
  executionId: string;
  taskId: number;
  name: string;
  input?: string;
  /** set when the sending episode may have run before: check for a recorded completion first */
  mustCheck?: boolean;
}

export interface Received<T> {
  body: T;
  dequeueCount: number;
  complete(): Promise<void>;
  /** extends the lease (keeps the message invisible to other receivers) by visibilityMs from now */
  renew?(visibilityMs: number): Promise<void>;
  /** gives the message up without deleting it (it reappears when its lease ends) */
  abandon?(): void;
}

export interface InstanceFilter {
  createdTimeFrom?: string;
  createdTimeTo?: string;
  runtimeStatus?: string[];
  /** instance ids that start with this text */
  instanceIdPrefix?: string;
}

/** One page of a query: the rows and, when more may follow, the token that asks for the next page. */
export interface InstancePage {
  rows: InstanceRow[];
  continuationToken?: string;
}

export class ConflictError extends Error {}

/** A continuation token the store did not hand out (or cannot read). */
export class InvalidContinuationTokenError extends Error {}

/**
 * Durable state behind the engine. The Azurite implementation is what the host uses; the in-memory
 * one lets replay tests run without storage. Every method that reaches storage counts its requests.
 */
export interface DurableStore {
  readonly requestCount: number;
  init(): Promise<void>;
  getInstance(instanceId: string): Promise<InstanceRow | undefined>;
  /** `ifMatch` undefined = create (fails with ConflictError if it exists) */
  putInstance(row: InstanceRow, ifMatch: string | undefined): Promise<InstanceRow>;
  deleteInstance(instanceId: string): Promise<boolean>;
  /** every instance row that matches (all pages) */
  listInstances(filter: InstanceFilter): Promise<InstanceRow[]>;
  /** one page of at most `pageSize` rows, after the page that handed out `continuationToken` */
  queryInstances(filter: InstanceFilter, pageSize: number, continuationToken?: string): Promise<InstancePage>;
  readHistory(row: InstanceRow): Promise<HistoryEvent[]>;
  /**
   * Appends `events` to `prev`'s history (with a completion marker per completion event) and
   * replaces the instance row with `next` if it still has `prev.etag`; ConflictError otherwise.
   */
  commitEpisode(prev: InstanceRow, events: HistoryEvent[], next: InstanceRow): Promise<InstanceRow>;
  isTaskCompleted(instanceId: string, executionId: string, taskId: number): Promise<boolean>;
  sendControl(msg: ControlMessage, delayMs?: number): Promise<void>;
  receiveControl(max: number, visibilityMs: number): Promise<Received<ControlMessage>[]>;
  sendWork(msg: WorkMessage): Promise<void>;
  receiveWork(max: number, visibilityMs: number): Promise<Received<WorkMessage>[]>;
}

export const terminalStatuses: ReadonlySet<RuntimeStatus> = new Set(["Completed", "Failed", "Terminated"]);
