import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { loadApp } from "./app-loader.js";
import type { LogLevelName, RegisteredFunction, RpcTypedData } from "./core-api.js";
import { createDurableApp, durableClientData } from "./durable/app-bridge.js";
import { AzureDurableStore } from "./durable/azure-store.js";
import { handleClientApi } from "./durable/client-api.js";
import type { DurableStore } from "./durable/store.js";
import { DurableWorker } from "./durable/worker.js";
import { readHostSettings } from "./host-config.js";
import { compileRoute, sortRoutes } from "./http-routes.js";
import { startHttpServer } from "./http-server.js";
import { invokeFunction, type InvocationInput } from "./invoke.js";
import { createLogger, parseLogLevel, type LogRecord } from "./logger.js";
import { writeOutputs } from "./outputs.js";
import { QueueTriggerListener } from "./queue-triggers.js";
import { QueueClients } from "./storage-clients.js";
import { TimerScheduler } from "./timers.js";

export interface FunctionsHostOptions {
  /** folder with package.json ("main" file or glob) and host.json */
  appRoot: string;
  storageConnectionString: string;
  /** HTTP port; default 7071, 0 = a free port */
  port?: number;
  /** extra listener for the durable client API (the extension uses 17071); default: same port as HTTP */
  rpcPort?: number;
  /** app settings, copied into process.env before the app loads (as the host does) */
  env?: Record<string, string>;
  /** default: host.json durableTask.hubName, else "localdf" */
  hubName?: string;
  /** default: host.json logging.logLevel.Function / default, else information */
  logLevel?: LogLevelName;
  logSink?: (record: LogRecord) => void;
  /** when set, function/admin auth levels are enforced with these keys (`code` or x-functions-key) */
  keys?: { function?: string; master?: string };
  /** polling back-off bounds for the durable queues and queue triggers (default 50 ms … 1 s) */
  pollMs?: { min: number; max: number };
  /** control/work-item message lease (default 30 s); a crashed host's messages reappear after it */
  leaseMs?: number;
  activityConcurrency?: number;
  /** false = do not start timer schedules (they still run via POST /admin/functions/<name>) */
  timers?: boolean;
}

export interface FunctionInfo {
  name: string;
  trigger: string;
  route?: string;
  methods?: string[];
}

export interface FunctionsHost {
  url: string;
  rpcBaseUrl: string;
  hubName: string;
  functions: FunctionInfo[];
  store: DurableStore;
  /** storage requests made so far (durable store + queue triggers/outputs) */
  storageRequests(): number;
  stop(): Promise<void>;
}

const triggerOf = (fn: RegisteredFunction) => String(fn.trigger.type);

/**
 * Starts the dev-only local Functions host: loads the app unchanged, serves HTTP triggers and the
 * durable client API, runs timers, queue triggers, orchestrations and activities against Azure
 * Storage (Azurite). See emulators/functions-host/README.md for how it differs from Azure.
 */
export async function startFunctionsHost(opts: FunctionsHostOptions): Promise<FunctionsHost> {
  Object.assign(process.env, opts.env ?? {});
  process.env.AzureWebJobsStorage ??= opts.storageConnectionString;
  const env = process.env as Record<string, string | undefined>;
  let settings = readHostSettings(opts.appRoot, env);
  const logger = createLogger(opts.logLevel ?? parseLogLevel(settings.functionLogLevel ?? settings.logLevel, "information"), opts.logSink);
  const { registry } = await loadApp(opts.appRoot);
  registry.systemLog = (level, message) => logger.log({ level, category: "system", message });
  settings = readHostSettings(opts.appRoot, env);
  const hubName = opts.hubName ?? settings.hubName ?? "localdf";
  if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hubName)) throw new Error(`Task hub name "${hubName}" must be 3-45 letters/digits, starting with a letter.`);
  const fns = [...registry.functions.values()];
  const appHookData: Record<string, unknown> = {};
  const store = new AzureDurableStore(opts.storageConnectionString, hubName);
  await store.init();
  const queues = new QueueClients(opts.storageConnectionString, env);
  const warned = new Set<string>();
  const pollMs = opts.pollMs ?? { min: 50, max: 1000 };
  const keys = opts.keys ?? {};
  let clientDataText = "";

  const run = async (fn: RegisteredFunction, input: InvocationInput) => {
    const res = await invokeFunction(registry, fn, { ...input, extraByType: { durableClient: { string: clientDataText } } }, logger, appHookData);
    await writeOutputs(fn, res.outputs, res.returnValue, { queues, env, encoding: settings.queues.messageEncoding, logger, warned });
    return res;
  };
  const worker = new DurableWorker(store, createDurableApp(registry, logger, appHookData), logger, { pollMinMs: pollMs.min, pollMaxMs: pollMs.max, visibilityMs: opts.leaseMs ?? 30_000, activityConcurrency: opts.activityConcurrency ?? 16 });
  const timers = new TimerScheduler(async (fn, info) => void (await run(fn, { trigger: { json: JSON.stringify(info) }, reason: "Timer fired" })), logger);
  const queueListener = new QueueTriggerListener(queues, settings.queues, async (fn, trigger, triggerMetadata) => void (await run(fn, { trigger, triggerMetadata, reason: "New queue message detected" })), logger, pollMs.min);
  const routes = sortRoutes(fns.filter((f) => triggerOf(f) === "httpTrigger").map(compileRoute));
  let managementPayload: (id: string) => Record<string, string> = () => ({});
  const durableApi = (method: string, parts: string[], q: URLSearchParams, body: string) =>
    handleClientApi({ store, wake: worker, hasOrchestrator: (n) => registry.functions.get(n)?.trigger.type === "orchestrationTrigger", managementPayload: (id) => managementPayload(id) }, method, parts, q, body);
  const onError = (err: unknown) => logger.host("error", (err as Error).stack ?? String(err));
  const http = await startHttpServer(
    {
      routePrefix: settings.routePrefix,
      routes,
      keys,
      invokeHttp: async (route, request) => (await run(route.fn, { trigger: { http: request }, reason: `This function was programmatically called via the host APIs.` })).returnValue,
      runNonHttp: async (name, input) => {
        const fn = registry.functions.get(name);
        const t = fn ? triggerOf(fn) : "";
        if (!fn || t === "httpTrigger" || ["orchestrationTrigger", "activityTrigger", "entityTrigger"].includes(t)) return false;
        const trigger: RpcTypedData = t === "timerTrigger" ? { json: JSON.stringify({ Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false }) } : { string: input };
        void run(fn, { trigger, reason: "This function was programmatically called via the host APIs." }).catch(() => undefined);
        return true;
      },
      durableApi,
      onError,
    },
    opts.port ?? 7071,
  );
  const servers: Server[] = [http.server];
  const url = `http://127.0.0.1:${http.port}`;
  let rpcBaseUrl = `${url}/durabletask/`;
  if (opts.rpcPort !== undefined) {
    const rpc = await startHttpServer({ routePrefix: "\u0000", routes: [], keys: {}, invokeHttp: async () => undefined, runNonHttp: async () => false, durableApi, onError }, opts.rpcPort);
    servers.push(rpc.server);
    rpcBaseUrl = `http://127.0.0.1:${rpc.port}/durabletask/`;
  }
  process.env.WEBSITE_HOSTNAME ??= `127.0.0.1:${http.port}`;
  const code = keys.function ?? keys.master;
  const clientData = durableClientData(url, rpcBaseUrl, hubName, code);
  clientDataText = JSON.stringify(clientData);
  managementPayload = (id) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(clientData.managementUrls as Record<string, string>)) if (k !== "id") out[k] = v.replace("INSTANCEID", encodeURIComponent(id));
    return out;
  };

  for (const hook of registry.hooks.get("appStart") ?? []) await hook({ hookData: appHookData, appHookData, functionAppDirectory: opts.appRoot, hostVersion: "4.0.0-local" });
  worker.start();
  await queueListener.start(fns.filter((f) => triggerOf(f) === "queueTrigger"), env);
  if (opts.timers !== false) timers.start(fns.filter((f) => triggerOf(f) === "timerTrigger"), env);
  for (const r of routes) logger.host("information", `${r.fn.name}: [${r.methods.join(",")}] ${url}/${settings.routePrefix ? `${settings.routePrefix}/` : ""}${r.template}`);
  logger.host("information", `Host started (${fns.length} functions, task hub '${hubName}', instance ${randomUUID().slice(0, 8)}).`);

  return {
    url,
    rpcBaseUrl,
    hubName,
    functions: fns.map((f) => ({ name: f.name, trigger: triggerOf(f), ...(triggerOf(f) === "httpTrigger" ? { route: String(f.trigger.route ?? f.name), methods: (f.trigger.methods as string[] | undefined) ?? ["GET", "POST"] } : {}) })),
    store,
    storageRequests: () => store.requestCount + queues.requestCount,
    async stop() {
      timers.stop();
      await queueListener.stop();
      await worker.stop();
      for (const hook of registry.hooks.get("appTerminate") ?? []) await hook({ hookData: appHookData, appHookData });
      await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
    },
  };
}

export type { LogRecord } from "./logger.js";
