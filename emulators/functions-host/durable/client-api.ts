import { randomUUID } from "node:crypto";
import { createInstance, type Wakers } from "./dispatch.js";
import { EventType, eventTypeName, historyEvent, type HistoryEvent } from "./history.js";
import { ConflictError, InvalidContinuationTokenError, terminalStatuses, type DurableStore, type InstanceFilter, type InstanceRow } from "./store.js";

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request to the durable client API. */
export interface ApiRequest {
  method: string;
  /** the path after `/durabletask/` or `/runtime/webhooks/durabletask/`, split at `/` (still URL-encoded) */
  parts: string[];
  query: URLSearchParams;
  body: string;
  /** request headers, names in lower case */
  headers: Record<string, string | undefined>;
  /** the full request URL (a 202 status answer points its Location header here) */
  url: string;
}

export interface ClientApiDeps {
  store: DurableStore;
  wake: Wakers;
  hasOrchestrator(name: string): boolean;
  /** management URLs for an instance (the payload createCheckStatusResponse returns) */
  managementPayload(instanceId: string): Record<string, string>;
}

/** The extension lists 100 instances a page unless `top` says otherwise; Azure Tables returns at most 1000. */
const defaultPageSize = 100;
const maxPageSize = 1000;

/** Runtime status names the extension parses from `runtimeStatus` (case-sensitive, as Enum.TryParse); others are dropped. */
const statusNames = new Set(["Running", "Completed", "ContinuedAsNew", "Failed", "Canceled", "Terminated", "Pending", "Suspended"]);
/** The statuses a purge by filter honours (DTFx drops the others from the filter). */
const purgeableStatuses = new Set(["Completed", "Failed", "Terminated", "Canceled"]);

const parseJson = (text: string | undefined): unknown => (text === undefined || text === "" ? null : JSON.parse(text));
const message = (status: number, text: string, headers?: Record<string, string>): ApiResponse => ({ status, body: { message: text }, ...(headers ? { headers } : {}) });
/** What the extension answers when the client call throws (an InvalidOperationException): 500 with the reason. */
const operationFailed = (reason: string): ApiResponse => ({ status: 500, body: { message: "Something went wrong while processing your request", exceptionMessage: reason } });

/** bool.TryParse: "true"/"false" in any case; anything else is "not given". */
function parseBool(v: string | null): boolean | undefined {
  if (v === null) return undefined;
  const t = v.trim().toLowerCase();
  return t === "true" ? true : t === "false" ? false : undefined;
}

/** DateTime.TryParse, roughly: a date Date.parse reads, as ISO; anything else is "not given". */
function parseDate(v: string | null): string | undefined {
  if (v === null || v.trim() === "") return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function parseStatuses(q: URLSearchParams): string[] {
  return q
    .getAll("runtimeStatus")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => statusNames.has(v));
}

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

/** The status payload (StatusResponsePayload): `historyEvents` only when asked for. */
async function statusOf(deps: ClientApiDeps, row: InstanceRow, opts: { showInput: boolean; showHistory?: boolean; showHistoryOutput?: boolean }): Promise<Record<string, unknown>> {
  const status: Record<string, unknown> = {
    name: row.name,
    instanceId: row.instanceId,
    runtimeStatus: row.status,
    input: opts.showInput ? parseJson(row.input) : null,
    customStatus: parseJson(row.customStatus),
    output: parseJson(row.output),
    createdTime: row.createdTime,
    lastUpdatedTime: row.lastUpdatedTime,
  };
  if (opts.showHistory) {
    const events = await deps.store.readHistory(row);
    status.historyEvents = events.map((e) => showEvent(e, opts.showHistoryOutput === true));
  }
  return status;
}

/**
 * POST orchestrators/{name}/{id?}, as the extension with Azure Storage answers (overridable states:
 * NonRunningStates, the default): an id that is Pending/Running/Suspended is refused with HTTP 500
 * (DTFx throws OrchestrationAlreadyExistsException, which HttpApiHandler does not map); a finished id
 * is started again. The check and the create are not atomic in Azure either: of concurrent starts that
 * all pass the check, one creates the instance row and the others lose the conditional write, which
 * DTFx ignores — they are answered 202 too, and their start messages are dropped as duplicates. So
 * "202" does not mean "this request started the run"; the caller must find that out itself.
 */
async function start(deps: ClientApiDeps, name: string, id: string | undefined, body: string): Promise<ApiResponse> {
  if (!deps.hasOrchestrator(name)) return message(400, `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
  const instanceId = id ?? randomUUID().replace(/-/g, "");
  if (body !== "") {
    try {
      JSON.parse(body);
    } catch {
      return message(400, "Invalid JSON content");
    }
  }
  const existing = await deps.store.getInstance(instanceId);
  if (existing && !terminalStatuses.has(existing.status)) return operationFailed(`An Orchestration instance with the status ${existing.status} already exists.`);
  // DurableClient.startNew posts "" (axios sends it as `""`) when there is no input
  const input = body === "" || body === '""' ? undefined : body;
  try {
    await createInstance(deps.store, deps.wake, { instanceId, name, input }, existing, new Date());
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    // another start created (or replaced) the row first: accepted, as DTFx does; nothing is queued
  }
  const payload = deps.managementPayload(instanceId);
  return { status: 202, body: { id: instanceId, ...payload }, headers: { Location: payload.statusQueryGetUri ?? "", "Retry-After": "10" } };
}

async function getOne(deps: ClientApiDeps, id: string, req: ApiRequest): Promise<ApiResponse> {
  const row = await deps.store.getInstance(id);
  if (!row) return message(404, `No instance with ID '${id}' was found.`);
  const q = req.query;
  const body = await statusOf(deps, row, { showInput: parseBool(q.get("showInput")) ?? true, showHistory: parseBool(q.get("showHistory")) ?? false, showHistoryOutput: parseBool(q.get("showHistoryOutput")) ?? false });
  if (!terminalStatuses.has(row.status)) return { status: 202, body, headers: { Location: req.url, "Retry-After": "5" } };
  if (row.status === "Failed" && parseBool(q.get("returnInternalServerErrorOnFailure"))) return { status: 500, body };
  return { status: 200, body };
}

/** GET instances: filters, `instanceIdPrefix`, `top` rows a page, continuation in x-ms-continuation-token. */
async function list(deps: ClientApiDeps, req: ApiRequest): Promise<ApiResponse> {
  const q = req.query;
  let pageSize = defaultPageSize;
  const top = q.get("top");
  if (top !== null && /^\s*[+-]?\d+\s*$/.test(top)) {
    pageSize = Number(top);
    if (pageSize < 1) return message(400, `top=${pageSize}: the local Functions host needs a page size of at least 1 (what the extension does with 0 or less is not known here).`);
    pageSize = Math.min(pageSize, maxPageSize);
  }
  const filter: InstanceFilter = {};
  const from = parseDate(q.get("createdTimeFrom"));
  const to = parseDate(q.get("createdTimeTo"));
  const statuses = parseStatuses(q);
  const prefix = q.get("instanceIdPrefix");
  if (from) filter.createdTimeFrom = from;
  if (to) filter.createdTimeTo = to;
  if (statuses.length) filter.runtimeStatus = statuses;
  if (prefix) filter.instanceIdPrefix = prefix;
  const token = req.headers["x-ms-continuation-token"] || undefined;
  try {
    const page = await deps.store.queryInstances(filter, pageSize, token);
    const showInput = parseBool(q.get("showInput")) ?? true;
    const body = await Promise.all(page.rows.map((r) => statusOf(deps, r, { showInput })));
    return { status: 200, body, ...(page.continuationToken ? { headers: { "x-ms-continuation-token": page.continuationToken } } : {}) };
  } catch (err) {
    if (err instanceof InvalidContinuationTokenError) return message(400, `The x-ms-continuation-token header is not a token this host handed out (${err.message}).`);
    throw err;
  }
}

/**
 * DELETE instances (purge by filter), as HttpApiHandler and DTFx do it: `createdTimeFrom` is required,
 * `createdTimeTo` defaults to now, only the finished statuses in `runtimeStatus` count. Two gaps are
 * refused rather than guessed: `instanceIdPrefix` (the extension ignores it, so in Azure the purge would
 * reach every instance in the time range), and a filter without a finished status (Azure Storage then
 * drops the status filter and purges running instances too).
 */
async function purgeByFilter(deps: ClientApiDeps, q: URLSearchParams): Promise<ApiResponse> {
  const from = parseDate(q.get("createdTimeFrom"));
  if (!from) return message(400, "Please provide value for 'createdTimeFrom' parameter.");
  if (q.has("instanceIdPrefix")) {
    return message(400, "instanceIdPrefix is not supported when purging: the Durable Functions extension ignores it (in Azure this purge would reach every instance in the time range), so the local Functions host refuses it. List the instances by prefix and purge them one by one.");
  }
  const statuses = parseStatuses(q).filter((s) => purgeableStatuses.has(s));
  if (statuses.length === 0) {
    return message(400, "Give runtimeStatus with Completed, Failed and/or Terminated: without a finished status the extension's Azure Storage provider drops the status filter and also purges running instances; the local Functions host refuses instead.");
  }
  const rows = await deps.store.listInstances({ createdTimeFrom: from, createdTimeTo: parseDate(q.get("createdTimeTo")) ?? new Date().toISOString(), runtimeStatus: statuses });
  let deleted = 0;
  for (const r of rows) if (await deps.store.deleteInstance(r.instanceId)) deleted++;
  return deleted ? { status: 200, body: { instancesDeleted: deleted } } : { status: 404 };
}

/**
 * DELETE instances/{id}. The documentation says only Completed, Failed or Terminated instances can be
 * purged; the Azure Storage provider purges any instance. The local host keeps to the documented rule
 * and says so, rather than let code come to rely on purging a running instance.
 */
async function purgeOne(deps: ClientApiDeps, id: string): Promise<ApiResponse> {
  const row = await deps.store.getInstance(id);
  if (!row) return { status: 404 };
  if (!terminalStatuses.has(row.status)) {
    return message(409, `Instance '${id}' is ${row.status}: the local Functions host purges only Completed, Failed or Terminated instances, as the Durable Functions documentation says (the Azure Storage provider would purge it anyway; do not rely on that). Terminate it first.`);
  }
  await deps.store.deleteInstance(id);
  return { status: 200, body: { instancesDeleted: 1 } };
}

async function raiseEvent(deps: ClientApiDeps, id: string, name: string, req: ApiRequest): Promise<ApiResponse> {
  const row = await deps.store.getInstance(id);
  if (!row) return message(404, `No instance with ID '${id}' was found.`);
  if (terminalStatuses.has(row.status)) return message(410, `Instance '${id}' is ${row.status}.`);
  const mediaType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") return message(400, "Only application/json request content is supported");
  try {
    JSON.parse(req.body);
  } catch {
    return message(400, "Invalid JSON content");
  }
  return send(deps, id, historyEvent(EventType.EventRaised, new Date(), { Name: name, Input: req.body, MessageId: randomUUID() }));
}

/** terminate, suspend, resume: 404 unknown, 410 finished, 500 when the client call refuses the state (as DurableClient throws). */
async function control(deps: ClientApiDeps, id: string, op: "terminate" | "suspend" | "resume", reason: string | null): Promise<ApiResponse> {
  const row = await deps.store.getInstance(id);
  if (!row) return { status: 404 };
  if (terminalStatuses.has(row.status)) return { status: 410 };
  const now = new Date();
  if (op === "terminate") return send(deps, id, historyEvent(EventType.ExecutionTerminated, now, { Input: reason ?? "", MessageId: randomUUID() }));
  if (op === "suspend") {
    if (row.status === "Suspended") return operationFailed(`Cannot suspend the orchestration instance ${id} because instance is in the ${row.status} state.`);
    return send(deps, id, historyEvent(EventType.ExecutionSuspended, now, { ...(reason !== null ? { Reason: reason } : {}), MessageId: randomUUID() }));
  }
  if (row.status !== "Suspended") return operationFailed(`Cannot resume the orchestration instance ${id} because instance is in the ${row.status} state.`);
  return send(deps, id, historyEvent(EventType.ExecutionResumed, now, { ...(reason !== null ? { Reason: reason } : {}), MessageId: randomUUID() }));
}

async function send(deps: ClientApiDeps, id: string, event: HistoryEvent): Promise<ApiResponse> {
  await deps.store.sendControl({ instanceId: id, event });
  deps.wake.control();
  return { status: 202 };
}

/**
 * The durable client HTTP API the SDK's DurableClient calls (rpcBaseUrl, and the same routes under
 * /runtime/webhooks/durabletask for the management URLs), answering as the extension's HttpApiHandler.
 */
export async function handleClientApi(deps: ClientApiDeps, req: ApiRequest): Promise<ApiResponse> {
  const [head, a, b, c] = req.parts.map(decodeURIComponent);
  const method = req.method;
  if (head === "orchestrators" && a && method === "POST") return start(deps, a, b || undefined, req.body);
  if (head !== "instances") return message(404, "Unknown durable task API route.");
  const op = b?.toLowerCase();
  if (!a) {
    if (method === "GET") return list(deps, req);
    if (method === "DELETE") return purgeByFilter(deps, req.query);
  } else if (!b) {
    if (method === "GET") return getOne(deps, a, req);
    if (method === "DELETE") return purgeOne(deps, a);
  } else if (method === "POST") {
    if (op === "raiseevent" && c) return raiseEvent(deps, a, c, req);
    if (op === "terminate" || op === "suspend" || op === "resume") return control(deps, a, op, req.query.get("reason"));
    if (op === "rewind" || op === "restart") {
      return message(501, `${op} is not supported by the local Functions host (it is not advertised in the management URLs either); see emulators/functions-host/README.md.`);
    }
  }
  return message(404, "Unknown durable task API route.");
}
