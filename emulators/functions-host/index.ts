import { randomUUID } from "node:crypto";
import { loadApp } from "./app-loader.js";
import type { LogLevelName, RegisteredFunction } from "./core-api.js";
import { createDurableApp } from "./durable/app-bridge.js";
import { AzureDurableStore } from "./durable/azure-store.js";
import type { DurableStore } from "./durable/store.js";
import { DurableWorker } from "./durable/worker.js";
import { readHostSettings } from "./host-config.js";
import { compileRoute, sortRoutes } from "./http-routes.js";
import { startFrontEnd, type Runner } from "./front-end.js";
import { invokeFunction } from "./invoke.js";
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
  /** app settings, copied into process.env before the app loads (as the host does); AzureWebJobsStorage is set to storageConnectionString */
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
  // the host's own storage account is AzureWebJobsStorage, whatever a settings file said
  process.env.AzureWebJobsStorage = opts.storageConnectionString;
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
  const binding = { clientData: "" };
  const run: Runner = async (fn, input) => {
    const res = await invokeFunction(registry, fn, { ...input, extraByType: { durableClient: { string: binding.clientData } } }, logger, appHookData);
    await writeOutputs(fn, res.outputs, res.returnValue, { queues, env, encoding: settings.queues.messageEncoding, logger, warned });
    return res;
  };
  const worker = new DurableWorker(store, createDurableApp(registry, logger, appHookData), logger, { pollMinMs: pollMs.min, pollMaxMs: pollMs.max, visibilityMs: opts.leaseMs ?? 30_000, activityConcurrency: opts.activityConcurrency ?? 16 });
  const timers = new TimerScheduler(async (fn, info) => void (await run(fn, { trigger: { json: JSON.stringify(info) }, reason: "Timer fired" })), logger);
  const queueListener = new QueueTriggerListener(queues, settings.queues, async (fn, trigger, triggerMetadata) => void (await run(fn, { trigger, triggerMetadata, reason: "New queue message detected" })), logger, pollMs.min);
  const routes = sortRoutes(fns.filter((f) => triggerOf(f) === "httpTrigger").map(compileRoute));
  const front = await startFrontEnd({ registry, routes, routePrefix: settings.routePrefix, keys: opts.keys ?? {}, run, store, wake: worker, hubName, logger, port: opts.port ?? 7071, rpcPort: opts.rpcPort });
  binding.clientData = front.clientData;
  const { url, rpcBaseUrl } = front;
  process.env.WEBSITE_HOSTNAME ??= url.replace("http://", "");

  for (const hook of registry.hooks.get("appStart") ?? []) await hook({ hookData: appHookData, appHookData, functionAppDirectory: opts.appRoot, hostVersion: "4.0.0-local" });
  const recovered = await worker.recoverPending();
  if (recovered) logger.host("information", `Re-queued the start of ${recovered} pending orchestration(s).`);
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
      await front.close();
    },
  };
}

export type { LogRecord } from "./logger.js";
