import { app, output } from "@azure/functions";
import { record } from "../lib/record.js";

app.http("hello", {
  methods: ["GET", "POST"],
  route: "hello/{name?}",
  handler: async (request, context) => {
    context.log(`hello called for ${request.params.name ?? "nobody"}`);
    const body = request.method === "POST" ? await request.text() : "";
    return { status: 200, jsonBody: { name: request.params.name ?? null, q: request.query.get("q"), body, method: request.method } };
  },
});

app.http("getItem", {
  methods: ["GET"],
  route: "items/{id:int}",
  authLevel: "function",
  handler: async (request) => ({ jsonBody: { id: Number(request.params.id) } }),
});

app.http("deleteItem", {
  methods: ["DELETE"],
  route: "items/{id:int}",
  authLevel: "admin",
  handler: async (request) => ({ status: 204, headers: { "x-deleted": request.params.id } }),
});

const workOut = output.storageQueue({ queueName: "%WORK_QUEUE%", connection: "AzureWebJobsStorage" });

app.http("enqueue", {
  methods: ["POST"],
  route: "enqueue",
  extraOutputs: [workOut],
  handler: async (request, context) => {
    const body = await request.json();
    context.extraOutputs.set(workOut, body.messages);
    return { status: 202 };
  },
});

app.http("logLevels", {
  methods: ["GET"],
  route: "log-levels",
  handler: async (_request, context) => {
    context.trace("a trace line");
    context.debug("a debug line");
    context.info("an information line");
    context.warn("a warning line");
    context.error("an error line");
    record("logLevels", { invocationId: context.invocationId });
    return { body: context.invocationId };
  },
});

app.http("boom", {
  methods: ["GET"],
  route: "boom",
  handler: async () => {
    throw new Error("boom");
  },
});

app.hook.appStart((context) => {
  context.hookData.startedAt = "app start hook ran";
});

app.hook.preInvocation((context) => {
  if (context.invocationContext.functionName !== "hooked") return;
  const original = context.functionHandler;
  context.functionHandler = async (...args) => ({ ...(await original(...args)), headers: { "x-hooked": "pre-invocation" } });
});

app.hook.postInvocation((context) => {
  if (context.invocationContext.functionName === "hooked") context.invocationContext.log(`post hook saw ${context.result.body}`);
});

app.http("hooked", {
  methods: ["GET"],
  route: "hooked",
  handler: async () => ({ body: "ok" }),
});
