import { completionId, EventType, type HistoryEvent } from "./history.js";

/** A unit of work the orchestration scheduled, under the id DTFx (and the JS SDK) give it. */
export interface Leaf {
  id: number;
  kind: "activity" | "timer" | "suborch";
  name?: string;
  input?: string;
  fireAt?: string;
  instanceId?: string;
  canceled?: boolean;
}

interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: Action[];
  retryOptions?: RetryOptions;
}

export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

interface Node {
  action: Action;
  parent?: Node;
  children: Node[];
  done: boolean;
  failed: boolean;
  retry?: { failures: number; waitingTimer: boolean };
}

/** Thrown for actions this host does not implement (entities, callHttp). */
export class UnsupportedActionError extends Error {}

const unsupported: Record<number, string> = { 7: "callEntity", 8: "callHttp", 9: "signalEntity", 13: "lock", 14: "releaseEntities" };

/** Delay before retry number `failures` (1-based), as DTFx RetryInterceptor computes it. */
export function retryDelayMs(o: RetryOptions, failures: number): number {
  const d = o.firstRetryIntervalInMilliseconds * Math.pow(o.backoffCoefficient || 1, failures - 1);
  return o.maxRetryIntervalInMilliseconds && o.maxRetryIntervalInMilliseconds > 0 ? Math.min(d, o.maxRetryIntervalInMilliseconds) : d;
}

function encodeInput(action: Action): string | undefined {
  if (action.input === undefined) return undefined;
  // actions 0, 1 and 4 arrive JSON-encoded already (Utils.processInput); sub-orchestrations do not
  if (action.actionType === 0 || action.actionType === 1) return typeof action.input === "string" ? action.input : JSON.stringify(action.input);
  return JSON.stringify(action.input);
}

/**
 * Replays the SDK's action list against history the way the extension's out-of-proc shim drives
 * DTFx: top-level actions are scheduled one after another, each awaited before the next; ids are
 * handed out in scheduling order (children of Task.all/any depth-first), and a retrying call takes
 * one id per attempt and one per retry timer, as completions arrive in history order. Returns every
 * leaf with its id; the caller compares them with the history's *Created events.
 */
export function replayActions(actions: readonly Action[], history: readonly HistoryEvent[], executionId: string, now: Date): Leaf[] {
  const leaves: Leaf[] = [];
  const byId = new Map<number, { node: Node; role: "attempt" | "timer" }>();
  const waiting = new Map<string, Node[]>();
  const buffered = new Map<string, number>();
  let nextId = 0;
  let clock = now;
  let pos = 0;
  let current: Node | undefined;

  const build = (action: Action, parent?: Node): Node => {
    const name = unsupported[action.actionType];
    if (name) throw new UnsupportedActionError(`The local Functions host does not support ${name} (action type ${action.actionType}).`);
    const node: Node = { action, children: [], done: false, failed: false, ...(parent ? { parent } : {}) };
    node.children = (action.compoundActions ?? []).map((a) => build(a, node));
    return node;
  };
  const finish = (node: Node, failed: boolean) => {
    if (node.done) return;
    node.done = true;
    node.failed = failed;
    const p = node.parent;
    if (!p) return;
    if (p.action.actionType === 11) finish(p, false);
    else if (failed || p.children.every((c) => c.done)) finish(p, failed);
  };
  const leafKind = (t: number): Leaf["kind"] => (t === 0 || t === 1 ? "activity" : t === 5 ? "timer" : "suborch");
  const scheduleAttempt = (node: Node) => {
    const id = nextId++;
    const a = node.action;
    const kind = leafKind(a.actionType);
    const leaf: Leaf = { id, kind };
    if (kind === "timer") Object.assign(leaf, { fireAt: a.fireAt, canceled: a.isCanceled === true });
    else {
      leaf.name = a.functionName ?? "";
      const input = encodeInput(a);
      if (input !== undefined) leaf.input = input;
      if (kind === "suborch") leaf.instanceId = a.instanceId || `${executionId}:${id}`;
    }
    leaves.push(leaf);
    byId.set(id, { node, role: "attempt" });
  };
  const schedule = (node: Node) => {
    const t = node.action.actionType;
    if (t === 11 || t === 12) {
      node.children.forEach(schedule);
      if (t === 12 && node.children.length === 0) finish(node, false);
    } else if (t === 6) {
      const name = node.action.externalEventName ?? "";
      const n = buffered.get(name) ?? 0;
      if (n > 0) {
        buffered.set(name, n - 1);
        finish(node, false);
      } else waiting.set(name, [...(waiting.get(name) ?? []), node]);
    } else if (t === 4) finish(node, false);
    else {
      if (t === 1 || t === 3) node.retry = { failures: 0, waitingTimer: false };
      scheduleAttempt(node);
    }
  };
  const advance = () => {
    for (;;) {
      if (!current) {
        const action = actions[pos];
        if (!action) return;
        pos++;
        current = build(action);
        schedule(current);
      }
      if (!current.done) return;
      current = undefined;
    }
  };
  const onCompletion = (e: HistoryEvent, id: number) => {
    const hit = byId.get(id);
    if (!hit) return;
    byId.delete(id);
    const { node, role } = hit;
    const ok = e.EventType === EventType.TaskCompleted || e.EventType === EventType.SubOrchestrationInstanceCompleted || e.EventType === EventType.TimerFired;
    const retry = node.retry;
    const opts = node.action.retryOptions;
    if (!retry || !opts) return finish(node, !ok);
    if (role === "attempt" && ok) return finish(node, false);
    if (role === "attempt") {
      retry.failures++;
      const tid = nextId++;
      leaves.push({ id: tid, kind: "timer", fireAt: new Date(clock.getTime() + retryDelayMs(opts, retry.failures)).toISOString() });
      byId.set(tid, { node, role: "timer" });
      return;
    }
    if (retry.failures >= opts.maxNumberOfAttempts) return finish(node, true);
    scheduleAttempt(node);
  };

  for (const e of history) {
    if (e.EventType === EventType.OrchestratorStarted) clock = new Date(e.Timestamp);
    else if (e.EventType === EventType.ExecutionStarted) advance();
    else if (e.EventType === EventType.EventRaised) {
      const name = e.Name ?? "";
      const list = waiting.get(name);
      const node = list?.pop();
      if (node) finish(node, false);
      else buffered.set(name, (buffered.get(name) ?? 0) + 1);
      advance();
    } else {
      const id = completionId(e);
      if (id !== undefined) {
        onCompletion(e, id);
        advance();
      }
    }
  }
  return leaves;
}
