import { app } from "@azure/functions";
import * as df from "durable-functions";
import { record, sleep } from "../lib/record.js";

df.app.client.http("startOrchestration", {
  route: "orchestrators/{name}/{id?}",
  methods: ["POST"],
  handler: async (request, client) => {
    const body = await request.text();
    const instanceId = await client.startNew(request.params.name, {
      ...(request.params.id ? { instanceId: request.params.id } : {}),
      ...(body ? { input: JSON.parse(body) } : {}),
    });
    return client.createCheckStatusResponse(request, instanceId);
  },
});

df.app.client.http("clientOps", {
  route: "client/{op}/{id}",
  methods: ["GET", "POST", "DELETE"],
  handler: async (request, client) => {
    const { op, id } = request.params;
    if (op === "status") return { jsonBody: await client.getStatus(id, { showHistory: request.query.get("history") === "1" }) };
    if (op === "raise") {
      await client.raiseEvent(id, request.query.get("event"), await request.json());
      return { status: 202 };
    }
    if (op === "terminate") {
      await client.terminate(id, "stopped by test");
      return { status: 202 };
    }
    if (op === "suspend") {
      await client.suspend(id, "paused by test");
      return { status: 202 };
    }
    if (op === "resume") {
      await client.resume(id, "resumed by test");
      return { status: 202 };
    }
    if (op === "purge") return { jsonBody: await client.purgeInstanceHistory(id) };
    if (op === "list") return { jsonBody: await client.getStatusBy({ runtimeStatus: [id] }) };
    return { status: 400 };
  },
});

df.app.activity("say", { handler: async (name) => `Hello ${name}` });

df.app.activity("shout", { handler: async (name) => `HELLO ${String(name).toUpperCase()}` });

const flakyCalls = new Map();
df.app.activity("flaky", {
  handler: async (input) => {
    const n = (flakyCalls.get(input.key) ?? 0) + 1;
    flakyCalls.set(input.key, n);
    if (n <= input.failures) throw new Error(`flaky attempt ${n} fails`);
    return { attempts: n };
  },
});

df.app.activity("step", {
  handler: async (input) => {
    record("step", { instanceId: input.instanceId, i: input.i });
    await sleep(input.ms ?? 0);
    return input.i;
  },
});

df.app.activity("big", { handler: async (size) => "x".repeat(size) });

df.app.activity("explode", {
  handler: async () => {
    throw new Error("the activity exploded");
  },
});

df.app.orchestration("sequence", function* (context) {
  const names = context.df.getInput() ?? ["Tokyo", "Seattle", "London"];
  const out = [];
  for (const name of names) {
    out.push(yield context.df.callActivity("say", name));
    context.df.setCustomStatus({ done: out.length });
  }
  return out;
});

df.app.orchestration("fanOut", function* (context) {
  const n = context.df.getInput();
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(context.df.callActivity("say", `#${i}`));
  return yield context.df.Task.all(tasks);
});

df.app.orchestration("retrying", function* (context) {
  const input = context.df.getInput();
  const options = new df.RetryOptions(100, input.maxAttempts);
  return yield context.df.callActivityWithRetry("flaky", options, { key: context.df.instanceId, failures: input.failures });
});

df.app.orchestration("approval", function* (context) {
  const timeoutMs = context.df.getInput();
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + timeoutMs);
  const timer = context.df.createTimer(deadline);
  const approved = context.df.waitForExternalEvent("approve");
  const winner = yield context.df.Task.any([approved, timer]);
  if (winner === approved) {
    timer.cancel();
    return { result: "approved", by: approved.result };
  }
  return { result: "timeout" };
});

df.app.orchestration("earlyEvent", function* (context) {
  yield context.df.callActivity("step", { instanceId: context.df.instanceId, i: 0, ms: 300 });
  const payload = yield context.df.waitForExternalEvent("go");
  return payload;
});

df.app.orchestration("parent", function* (context) {
  const a = yield context.df.callSubOrchestrator("sequence", ["A", "B"]);
  const b = yield context.df.callSubOrchestrator("fanOut", 2, `${context.df.instanceId}-child`);
  return { a, b };
});

df.app.orchestration("counter", function* (context) {
  const n = context.df.getInput() ?? 0;
  yield context.df.callActivity("say", `round ${n}`);
  if (n < 3) {
    context.df.continueAsNew(n + 1);
    return;
  }
  return n;
});

df.app.orchestration("drifting", function* (context) {
  const activity = process.env.HOST_APP_DRIFT === "1" ? "shout" : "say";
  yield context.df.callActivity(activity, "x");
  yield context.df.waitForExternalEvent("next");
  return yield context.df.callActivity(activity, "y");
});

df.app.orchestration("parentOfFailing", function* (context) {
  try {
    yield context.df.callSubOrchestrator("failing");
    return "no error";
  } catch (err) {
    return `caught: ${err.message.split("\n")[0]}`;
  }
});

app.storageQueue("startFromQueue", {
  queueName: "%START_QUEUE%",
  connection: "AzureWebJobsStorage",
  extraInputs: [df.input.durableClient()],
  handler: async (message, context) => {
    await df.getClient(context).startNew(message.name, { instanceId: message.id, input: message.input });
  },
});

df.app.orchestration("slowStep", function* (context) {
  return yield context.df.callActivity("step", { instanceId: context.df.instanceId, i: 0, ms: context.df.getInput() });
});

df.app.orchestration("bigPayload", function* (context) {
  const text = yield context.df.callActivity("big", context.df.getInput());
  return { length: text.length, text };
});

df.app.orchestration("failing", function* (context) {
  yield context.df.callActivity("explode");
  return "unreachable";
});

df.app.orchestration("waitThenSay", function* (context) {
  const name = yield context.df.waitForExternalEvent("go");
  return yield context.df.callActivity("say", name);
});

df.app.orchestration("waitForever", function* (context) {
  return yield context.df.waitForExternalEvent("never");
});

df.app.orchestration("crashable", function* (context) {
  const { steps, ms, timerMs } = context.df.getInput();
  const id = context.df.instanceId;
  const done = [];
  for (let i = 0; i < steps / 2; i++) done.push(yield context.df.callActivity("step", { instanceId: id, i, ms }));
  const wake = new Date(context.df.currentUtcDateTime.getTime() + timerMs);
  const resumed = yield context.df.Task.all([context.df.createTimer(wake), context.df.waitForExternalEvent("resume")]);
  for (let i = steps / 2; i < steps; i++) done.push(yield context.df.callActivity("step", { instanceId: id, i, ms }));
  return { done, resume: resumed[1] };
});

