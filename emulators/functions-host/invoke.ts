import { randomUUID } from "node:crypto";
import type { CoreInvocationContext, FunctionCallback, Registry, RegisteredFunction, RpcTypedData } from "./core-api.js";
import type { HostLogger } from "./logger.js";

/** What the worker hands back after one invocation: the `$return` value and named outputs. */
export interface InvocationResult {
  invocationId: string;
  returnValue: RpcTypedData | null | undefined;
  outputs: Map<string, RpcTypedData>;
}

export interface InvocationInput {
  /** trigger input, by the trigger binding's name */
  trigger: RpcTypedData;
  /** extra input bindings by binding type (e.g. "durableClient") → data */
  extraByType?: Record<string, RpcTypedData>;
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
  /** why it runs (logged); "replay" logs the start/end lines at debug level */
  reason?: string;
}

async function runHooks(registry: Registry, name: string, ctx: Record<string, unknown>): Promise<void> {
  for (const hook of registry.hooks.get(name) ?? []) await hook(ctx);
}

/**
 * Invokes a registered function through the library's own invocation path, as the Node worker does:
 * `getInvocationModel` → `getArguments` → pre-invocation hooks → `invokeFunction` → post-invocation
 * hooks → `getResponse`. Throws what the function threw.
 */
export async function invokeFunction(
  registry: Registry,
  fn: RegisteredFunction,
  input: InvocationInput,
  logger: HostLogger,
  appHookData: Record<string, unknown>,
): Promise<InvocationResult> {
  const model = registry.programmingModel;
  if (!model) throw new Error("The app did not set a programming model (is @azure/functions loaded?).");
  const invocationId = input.invocationId ?? randomUUID();
  const inputData: { name: string; data: RpcTypedData }[] = [{ name: fn.triggerName, data: input.trigger }];
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (binding.direction !== "in" || name === fn.triggerName) continue;
    const data = input.extraByType?.[String(binding.type)];
    if (data) inputData.push({ name, data });
  }
  const coreCtx: CoreInvocationContext = {
    invocationId,
    metadata: fn.metadata,
    request: { inputData, triggerMetadata: input.triggerMetadata ?? {} },
    state: "preInvocationHooks",
    log: (level, category, message) =>
      logger.log({ level, category, functionName: fn.name, invocationId, message }),
  };
  const started = Date.now();
  const log = (level: "information" | "error" | "debug", message: string) => logger.log({ level, category: "host", functionName: fn.name, invocationId, message });
  log(input.reason === "replay" ? "debug" : "information", `Executing 'Functions.${fn.name}' (Reason='${input.reason ?? "This function was programmatically called via the host APIs."}', Id=${invocationId})`);
  try {
    const result = await invokeThroughModel(registry, model, fn, coreCtx, appHookData);
    log(input.reason === "replay" ? "debug" : "information", `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`);
    return result;
  } catch (err) {
    const message = String((err as Error).message ?? err);
    const oop = message.indexOf("$OutOfProcData$:");
    const detail = oop >= 0 ? `orchestrator error: ${(JSON.parse(message.slice(oop + 16)) as { error?: string }).error?.split("\n")[0] ?? ""}` : message;
    log("error", `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms) ${detail}`);
    throw err;
  }
}

async function invokeThroughModel(
  registry: Registry,
  model: NonNullable<Registry["programmingModel"]>,
  fn: RegisteredFunction,
  coreCtx: CoreInvocationContext,
  appHookData: Record<string, unknown>,
): Promise<InvocationResult> {
  const invocationId = coreCtx.invocationId;
  const invocationModel = model.getInvocationModel(coreCtx);
  const { context, inputs } = await invocationModel.getArguments();
  const hookData: Record<string, unknown> = {};
  const pre = { hookData, appHookData, invocationContext: context, inputs, functionCallback: fn.handler as FunctionCallback };
  await runHooks(registry, "preInvocation", pre);
  coreCtx.state = "invocation";
  let result: unknown;
  let error: unknown;
  try {
    result = await invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback);
  } catch (e) {
    error = e;
  }
  coreCtx.state = "postInvocationHooks";
  const post = { hookData, appHookData, invocationContext: context, inputs: pre.inputs, result, error };
  await runHooks(registry, "postInvocation", post);
  if (post.error !== undefined) throw post.error;
  const response = await invocationModel.getResponse(context, post.result);
  const outputs = new Map<string, RpcTypedData>();
  for (const o of response.outputData ?? []) outputs.set(o.name, o.data);
  return { invocationId, returnValue: response.returnValue ?? outputs.get("$return"), outputs };
}

/** The JSON value of typed data as `fromRpcTypedData` would see it (strings parsed when they are JSON). */
export function typedDataToValue(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (data.json !== undefined && data.json !== null) return JSON.parse(data.json);
  if (data.string !== undefined && data.string !== null) return data.string;
  if (data.bytes) return Buffer.from(data.bytes).toString("utf8");
  if (data.int !== undefined && data.int !== null) return data.int;
  if (data.double !== undefined && data.double !== null) return data.double;
  return undefined;
}
