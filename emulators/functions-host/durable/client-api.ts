import { randomUUID } from "node:crypto";
import { createInstance, type Wakers } from "./dispatch.js";
import { EventType, eventTypeName, historyEvent, type HistoryEvent } from "./history.js";
import { terminalStatuses, type DurableStore, type InstanceRow } from "./store.js";

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ClientApiDeps {
  store: DurableStore;
  wake: Wakers;
  hasOrchestrator(name: string): boolean;
  /** management URLs for an instance (the payload createCheckStatusResponse returns) */
  managementPayload(instanceId: string): Record<string, string>;
}

const parseJson = (text: string | undefined): unknown => (text === undefined || text === "" ? null : JSON.parse(text));

function showEvent(e: HistoryEvent, withOutput: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { EventType: eventTypeName[e.EventType] ?? e.EventType, EventId: e.EventId, Timestamp: e.Timestamp };
  for (const k of ["Name", "TaskScheduledId", "TimerId", "FireAt", "InstanceId", "Reason"] as const) if (e[k] !== undefined) out[k] = e[k];
  if (withOutput) {
    if (e.Input !== undefined) out.Input = e.Input;
    if (e.Result !== undefined) out.Result = e.Result;
    if (e.Details !== undefined) out.Details = e.Details;
  }
  return out;
}

async function statusOf(deps: ClientApiDeps, row: InstanceRow, q: URLSearchParams): Promise<Record<string, unknown>> {
  const status: Record<string, unknown> = {
    name: row.name,
    instanceId: row.instanceId,
    createdTime: row.createdTime,
    lastUpdatedTime: row.lastUpdatedTime,
    input: q.get("showInput") === "false" ? null : parseJson(row.input),
    output: parseJson(row.output),
    runtimeStatus: row.status,
    customStatus: parseJson(row.customStatus),
  };
  if (q.get("showHistory") === "true") {
    const events = await deps.store.readHistory(row);
    status.history = events.map((e) => showEvent(e, q.get("showHistoryOutput") === "true"));
  }
  return status;
}

async function start(deps: ClientApiDeps, name: string, id: string | undefined, body: string): Promise<ApiResponse> {
  if (!deps.hasOrchestrator(name)) return { status: 400, body: { message: `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.` } };
  const instanceId = id ?? randomUUID().replace(/-/g, "");
  const existing = await deps.store.getInstance(instanceId);
  if (existing && !terminalStatuses.has(existing.status)) {
    return { status: 409, body: { message: `An orchestration instance with ID '${instanceId}' already exists and is ${existing.status}.` } };
  }
  // DurableClient.startNew posts "" (axios sends it as `""`) when there is no input
  const input = body === "" || body === '""' ? undefined : body;
  await createInstance(deps.store, deps.wake, { instanceId, name, input }, existing, new Date());
  const payload = deps.managementPayload(instanceId);
  return { status: 202, body: { ...payload, id: instanceId }, headers: { Location: payload.statusQueryGetUri ?? "" } };
}

async function sendEvent(deps: ClientApiDeps, id: string, event: HistoryEvent): Promise<ApiResponse> {
  const row = await deps.store.getInstance(id);
  if (!row) return { status: 404, body: { message: `No instance with ID '${id}' was found.` } };
  if (terminalStatuses.has(row.status)) return { status: 410, body: { message: `Instance '${id}' is ${row.status}.` } };
  await deps.store.sendControl({ instanceId: id, event });
  deps.wake.control();
  return { status: 202 };
}

function filterFrom(q: URLSearchParams) {
  const runtimeStatus = q.get("runtimeStatus")?.split(",").filter(Boolean);
  return {
    ...(q.get("createdTimeFrom") ? { createdTimeFrom: q.get("createdTimeFrom") as string } : {}),
    ...(q.get("createdTimeTo") ? { createdTimeTo: q.get("createdTimeTo") as string } : {}),
    ...(runtimeStatus?.length ? { runtimeStatus } : {}),
  };
}

/**
 * The durable client HTTP API the SDK's DurableClient calls (rpcBaseUrl, and the same routes under
 * /runtime/webhooks/durabletask for the management URLs). `parts` is the path after the prefix.
 */
export async function handleClientApi(deps: ClientApiDeps, method: string, parts: string[], q: URLSearchParams, body: string): Promise<ApiResponse> {
  const [head, a, b, c] = parts.map(decodeURIComponent);
  if (head === "orchestrators" && a && method === "POST") return start(deps, a, b || undefined, body);
  if (head !== "instances") return { status: 404, body: { message: "Unknown durable task API route." } };
  const now = new Date();
  if (!a) {
    const rows = await deps.store.listInstances(filterFrom(q));
    if (method === "GET") return { status: 200, body: await Promise.all(rows.map((r) => statusOf(deps, r, q))) };
    if (method === "DELETE") {
      const done = rows.filter((r) => terminalStatuses.has(r.status));
      for (const r of done) await deps.store.deleteInstance(r.instanceId);
      return done.length ? { status: 200, body: { instancesDeleted: done.length } } : { status: 404 };
    }
  } else if (!b && method === "GET") {
    const row = await deps.store.getInstance(a);
    if (!row) return { status: 404, body: { message: `No instance with ID '${a}' was found.` } };
    const status = await statusOf(deps, row, q);
    return { status: terminalStatuses.has(row.status) ? 200 : 202, body: status };
  } else if (!b && method === "DELETE") {
    const row = await deps.store.getInstance(a);
    if (!row) return { status: 404 };
    await deps.store.deleteInstance(a);
    return { status: 200, body: { instancesDeleted: 1 } };
  } else if (b === "raiseEvent" && c && method === "POST") {
    return sendEvent(deps, a, historyEvent(EventType.EventRaised, now, { Name: c, Input: body === "" ? "null" : body, MessageId: randomUUID() }));
  } else if (b === "terminate" && method === "POST") {
    return sendEvent(deps, a, historyEvent(EventType.ExecutionTerminated, now, { Input: q.get("reason") ?? "", MessageId: randomUUID() }));
  } else if (b === "suspend" || b === "resume" || b === "rewind" || b === "restart") {
    return { status: 501, body: { message: `${b} is not supported by the local Functions host.` } };
  }
  return { status: 404, body: { message: "Unknown durable task API route." } };
}
