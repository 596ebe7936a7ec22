/** Small helpers over the durable client HTTP API, for tests, the bench and the local stack. */

export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  /** with showHistory: the history, under the name the extension uses (`historyEvents`) */
  historyEvents?: { EventType: string; EventId: number; Name?: string; TaskScheduledId?: number; TimerId?: number; Reason?: string }[];
}

/** Starts an orchestration through the rpc API; returns the instance id. */
export async function startOrchestration(rpcBaseUrl: string, name: string, input?: unknown, instanceId?: string): Promise<string> {
  const res = await fetch(new URL(`orchestrators/${encodeURIComponent(name)}${instanceId ? `/${encodeURIComponent(instanceId)}` : ""}`, rpcBaseUrl), {
    method: "POST",
    body: input === undefined ? "" : JSON.stringify(input),
  });
  if (res.status !== 202) throw new Error(`start ${name}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function getStatus(rpcBaseUrl: string, instanceId: string, showHistory = false): Promise<InstanceStatus | undefined> {
  const res = await fetch(new URL(`instances/${encodeURIComponent(instanceId)}${showHistory ? "?showHistory=true&showHistoryOutput=true" : ""}`, rpcBaseUrl));
  if (res.status === 404) return undefined;
  return (await res.json()) as InstanceStatus;
}

export async function raiseEvent(rpcBaseUrl: string, instanceId: string, event: string, data: unknown): Promise<number> {
  const res = await fetch(new URL(`instances/${encodeURIComponent(instanceId)}/raiseEvent/${encodeURIComponent(event)}`, rpcBaseUrl), {
    method: "POST",
    body: JSON.stringify(data),
    headers: { "Content-Type": "application/json" },
  });
  await res.arrayBuffer();
  return res.status;
}

/** Polls until `done(status)` holds (default: a terminal status); throws after timeoutMs. */
export async function waitForStatus(
  rpcBaseUrl: string,
  instanceId: string,
  done: (s: InstanceStatus) => boolean = (s) => ["Completed", "Failed", "Terminated"].includes(s.runtimeStatus),
  timeoutMs = 20_000,
  showHistory = false,
): Promise<InstanceStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: InstanceStatus | undefined;
  for (;;) {
    try {
      last = await getStatus(rpcBaseUrl, instanceId, showHistory);
      if (last && done(last)) return last;
    } catch {
      // host restarting: keep polling
    }
    if (Date.now() > deadline) throw new Error(`Instance ${instanceId} not done after ${timeoutMs} ms; last status ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
