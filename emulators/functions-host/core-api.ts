import Module from "node:module";

/** The subset of the worker's RPC typed data the library produces and consumes. */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  int?: number | null;
  double?: number | null;
  http?: RpcHttpData | null;
}

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  params?: Record<string, string>;
  body?: RpcTypedData | null;
  statusCode?: string;
  cookies?: { name?: string; value?: string; path?: string; domain?: string; maxAge?: number; httpOnly?: boolean; secure?: boolean; sameSite?: unknown }[];
}

export interface RpcBindingInfo {
  type?: string;
  direction?: "in" | "out" | "inout";
  [key: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: Record<string, unknown>) => unknown;
export type LogLevelName = "trace" | "debug" | "information" | "warning" | "error" | "critical" | "none";

export interface CoreInvocationContext {
  invocationId: string;
  metadata: FunctionMetadata;
  request: { inputData: { name: string; data: RpcTypedData }[]; triggerMetadata?: Record<string, RpcTypedData> };
  state?: string;
  log(level: LogLevelName, category: "user" | "system", message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<{ returnValue?: RpcTypedData | null; outputData?: { name: string; data: RpcTypedData }[] }>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(ctx: CoreInvocationContext): InvocationModel;
}

/** One function the app registered, with its trigger binding picked out. */
export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  handler: FunctionCallback;
  triggerName: string;
  trigger: RpcBindingInfo;
}

/** Everything the app handed to `@azure/functions-core` while it loaded. */
export interface Registry {
  functions: Map<string, RegisteredFunction>;
  hooks: Map<string, HookCallback[]>;
  programmingModel: ProgrammingModel | undefined;
  systemLog: (level: LogLevelName, message: string) => void;
}

class Disposable {
  #callback: () => void;
  constructor(callback: () => void) {
    this.#callback = callback;
  }
  dispose(): void {
    this.#callback();
  }
}

const registry: Registry = {
  functions: new Map(),
  hooks: new Map(),
  programmingModel: undefined,
  systemLog: () => undefined,
};

function registerFunction(metadata: FunctionMetadata, handler: FunctionCallback): Disposable {
  const entry = Object.entries(metadata.bindings).find(([, b]) => b.direction === "in" && String(b.type).toLowerCase().endsWith("trigger"));
  if (!entry) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
  if (registry.functions.has(metadata.name)) throw new Error(`A function named "${metadata.name}" is already registered.`);
  registry.functions.set(metadata.name, { name: metadata.name, metadata, handler, triggerName: entry[0], trigger: entry[1] });
  return new Disposable(() => registry.functions.delete(metadata.name));
}

function registerHook(hookName: string, callback: HookCallback): Disposable {
  const list = registry.hooks.get(hookName) ?? [];
  list.push(callback);
  registry.hooks.set(hookName, list);
  return new Disposable(() => list.splice(list.indexOf(callback), 1));
}

const coreApi = {
  version: "local-host",
  hostVersion: "4.0.0-local",
  setProgrammingModel(model: ProgrammingModel): void {
    registry.programmingModel = model;
  },
  getProgrammingModel(): ProgrammingModel | undefined {
    return registry.programmingModel;
  },
  registerFunction,
  registerHook,
  log(level: LogLevelName, _category: string, message: string): void {
    registry.systemLog(level, message);
  },
  Disposable,
};

let installed = false;

/**
 * Makes `require("@azure/functions-core")` answer with this host's core API, exactly as the Node worker
 * does (a `Module.prototype.require` proxy), so `@azure/functions` registers functions instead of
 * running in "test mode". Idempotent; the registry is process-wide because Node caches app modules.
 */
export function installCoreModule(): Registry {
  if (installed) return registry;
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  const original = proto.require;
  proto.require = function (this: unknown, id: string): unknown {
    if (id === "@azure/functions-core") return coreApi;
    // eslint-disable-next-line prefer-rest-params
    return original.apply(this, arguments as unknown as [string]);
  };
  installed = true;
  return registry;
}
