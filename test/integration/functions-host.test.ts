import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueueServiceClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startFunctionsHost, type FunctionsHost, type LogRecord } from "../../emulators/functions-host/index.js";

const appRoot = join(import.meta.dirname, "..", "host-app");
const suffix = String(Date.now() % 1_000_000);
const workQueue = `fh-work-${suffix}`;
const recordFile = join(mkdtempSync(join(tmpdir(), "fh-")), "record.jsonl");
const logs: LogRecord[] = [];
let host: FunctionsHost;
let queues: QueueServiceClient;

function records(kind: string): Record<string, unknown>[] {
  if (!existsSync(recordFile)) return [];
  return readFileSync(recordFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.kind === kind);
}

async function until<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function drain(queue: string): Promise<string[]> {
  const q = queues.getQueueClient(queue);
  const res = await q.receiveMessages({ numberOfMessages: 32 });
  return res.receivedMessageItems.map((m) => m.messageText);
}

beforeAll(async () => {
  const cs = inject("azuriteConnectionString");
  queues = QueueServiceClient.fromConnectionString(cs);
  host = await startFunctionsHost({
    appRoot,
    storageConnectionString: cs,
    port: 0,
    logLevel: "information",
    logSink: (r) => logs.push(r),
    keys: { function: "function-key", master: "master-key" },
    pollMs: { min: 20, max: 200 },
    env: { HOST_APP_HUB: `fhhost${suffix}`, WORK_QUEUE: workQueue, TICK_SCHEDULE: "*/1 * * * * *", HOST_APP_RECORD: recordFile, START_QUEUE: `fh-start-${suffix}` },
  });
});

afterAll(async () => {
  await host?.stop();
});

describe("HTTP triggers", () => {
  it("routes /api/<route> with optional parameters, query and body through the library", async () => {
    const get = await fetch(`${host.url}/api/hello/Anouk?q=x`);
    expect(await get.json()).toEqual({ name: "Anouk", q: "x", body: "", method: "GET" });
    const post = await fetch(`${host.url}/api/hello`, { method: "POST", body: "hoi" });
    expect(await post.json()).toEqual({ name: null, q: null, body: "hoi", method: "POST" });
  });

  it("answers 405 for a method the function does not accept, 404 for no route or a failed constraint, 500 when the handler throws", async () => {
    expect((await fetch(`${host.url}/api/hello/x`, { method: "PUT" })).status).toBe(405);
    expect((await fetch(`${host.url}/api/nothing-here`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/items/abc?code=function-key`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/boom`)).status).toBe(500);
  });

  it("enforces function and admin auth levels with the configured keys", async () => {
    expect((await fetch(`${host.url}/api/items/7`)).status).toBe(401);
    expect(await (await fetch(`${host.url}/api/items/7?code=function-key`)).json()).toEqual({ id: 7 });
    expect((await fetch(`${host.url}/api/items/7`, { headers: { "x-functions-key": "master-key" } })).status).toBe(200);
    expect((await fetch(`${host.url}/api/items/7?code=function-key`, { method: "DELETE" })).status).toBe(401);
    const del = await fetch(`${host.url}/api/items/7?code=master-key`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(del.headers.get("x-deleted")).toBe("7");
  });
});

describe("hooks", () => {
  it("runs preInvocation hooks that replace the handler and postInvocation hooks that see the result", async () => {
    const res = await fetch(`${host.url}/api/hooked`);
    expect(await res.text()).toBe("ok");
    expect(res.headers.get("x-hooked")).toBe("pre-invocation");
    expect(logs.some((l) => l.functionName === "hooked" && l.message === "post hook saw ok")).toBe(true);
  });
});

describe("queues", () => {
  it("writes queue output bindings base64-encoded, one message per array element, and the trigger consumes them", async () => {
    const res = await fetch(`${host.url}/api/enqueue`, { method: "POST", body: JSON.stringify({ messages: [{ n: 1 }, { n: 2 }] }) });
    expect(res.status).toBe(202);
    const seen = await until(() => records("work").filter((r) => typeof r.message === "object" && [1, 2].includes((r.message as { n: number }).n)), (l) => l.length === 2);
    expect(seen.map((r) => r.dequeueCount)).toEqual([1, 1]);
    const done = await until(async () => [...(await drain(`${workQueue}-done`))], (l) => l.length > 0);
    const decoded = done.map((t) => JSON.parse(Buffer.from(t, "base64").toString("utf8")) as unknown);
    expect(decoded).toEqual(expect.arrayContaining([{ done: { n: 1 } }]));
  });

  it("retries a failing message and moves it to <queue>-poison after maxDequeueCount", async () => {
    const text = Buffer.from(JSON.stringify({ fail: true, n: 3 })).toString("base64");
    await queues.getQueueClient(workQueue).sendMessage(text);
    const poisoned = await until(() => drain(`${workQueue}-poison`).catch(() => []), (l) => l.length === 1);
    expect(poisoned[0]).toBe(text);
    const tries = records("work").filter((r) => (r.message as { n?: number }).n === 3);
    expect(tries.map((r) => r.dequeueCount)).toEqual([1, 2]);
  });
});

describe("timers and the admin endpoint", () => {
  it("runs a timer on startup and then on its 6-field NCRONTAB schedule", async () => {
    const ticks = await until(() => records("tick"), (l) => l.length >= 3, 10_000);
    expect(ticks[0]?.isPastDue).toBe(false);
  });

  it("POST /admin/functions/<name> runs a non-HTTP function at once (master key), not HTTP ones", async () => {
    expect((await fetch(`${host.url}/admin/functions/work`, { method: "POST", body: JSON.stringify({ input: '{"n":9}' }) })).status).toBe(401);
    const res = await fetch(`${host.url}/admin/functions/work?code=master-key`, { method: "POST", body: JSON.stringify({ input: '{"n":9}' }) });
    expect(res.status).toBe(202);
    await until(() => records("work").filter((r) => (r.message as { n?: number }).n === 9), (l) => l.length === 1);
    expect((await fetch(`${host.url}/admin/functions/hello?code=master-key`, { method: "POST", body: "{}" })).status).toBe(404);
  });
});

describe("logs", () => {
  it("carry the function name and invocation id, and context.log levels below the minimum are dropped", async () => {
    const id = await (await fetch(`${host.url}/api/log-levels`)).text();
    const mine = logs.filter((l) => l.invocationId === id && l.category === "user");
    expect(mine.map((l) => [l.level, l.message])).toEqual([
      ["information", "an information line"],
      ["warning", "a warning line"],
      ["error", "an error line"],
    ]);
    expect(mine.every((l) => l.functionName === "logLevels")).toBe(true);
    expect(logs.some((l) => l.invocationId === id && l.message.startsWith("Executed 'Functions.logLevels' (Succeeded"))).toBe(true);
  });
});
