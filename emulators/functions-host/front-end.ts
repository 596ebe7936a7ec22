import type { Server } from "node:http";
import type { Registry, RpcTypedData } from "./core-api.js";
import { durableClientData } from "./durable/app-bridge.js";
import { handleClientApi } from "./durable/client-api.js";
import type { Wakers } from "./durable/dispatch.js";
import type { DurableStore } from "./durable/store.js";
import type { HttpRoute } from "./http-routes.js";
import { startHttpServer, type HttpHandlers } from "./http-server.js";
import type { InvocationInput, InvocationResult } from "./invoke.js";
import type { RegisteredFunction } from "./core-api.js";
import type { HostLogger } from "./logger.js";

export type Runner = (fn: RegisteredFunction, input: InvocationInput) => Promise<InvocationResult>;

export interface FrontEndDeps {
  registry: Registry;
  routes: HttpRoute[];
  routePrefix: string;
  keys: { function?: string; master?: string };
  run: Runner;
  store: DurableStore;
  wake: Wakers;
  hubName: string;
  logger: HostLogger;
  port: number;
  rpcPort: number | undefined;
}

export interface FrontEnd {
  url: string;
  rpcBaseUrl: string;
  /** the durableClient binding data, as JSON text */
  clientData: string;
  close(): Promise<void>;
}

const apiReason = "This function was programmatically called via the host APIs.";
const durableTriggers = new Set(["orchestrationTrigger", "activityTrigger", "entityTrigger"]);

/** `POST /admin/functions/<name>`: runs a non-HTTP, non-durable function now (fire and forget, like the host). */
function runNonHttp(d: FrontEndDeps, name: string, input: string): boolean {
  const fn = d.registry.functions.get(name);
  const type = String(fn?.trigger.type ?? "");
  if (!fn || type === "httpTrigger" || durableTriggers.has(type)) return false;
  const trigger: RpcTypedData = type === "timerTrigger" ? { json: JSON.stringify({ Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false }) } : { string: input };
  void d.run(fn, { trigger, reason: apiReason }).catch(() => undefined);
  return true;
}

/**
 * Starts the HTTP side of the host: `/api` routes, `/admin`, and the durable client API under
 * `/durabletask/` and `/runtime/webhooks/durabletask/` (plus an optional separate rpc port).
 */
export async function startFrontEnd(d: FrontEndDeps): Promise<FrontEnd> {
  let managementUrls: Record<string, string> = {};
  const managementPayload = (id: string) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(managementUrls)) if (k !== "id") out[k] = v.replace("INSTANCEID", encodeURIComponent(id));
    return out;
  };
  const hasOrchestrator = (n: string) => d.registry.functions.get(n)?.trigger.type === "orchestrationTrigger";
  const durableApi: HttpHandlers["durableApi"] = (req) => handleClientApi({ store: d.store, wake: d.wake, hasOrchestrator, managementPayload }, req);
  const onError = (err: unknown) => d.logger.host("error", (err as Error).stack ?? String(err));
  const handlers: HttpHandlers = {
    routePrefix: d.routePrefix,
    routes: d.routes,
    keys: d.keys,
    invokeHttp: async (route, request) => (await d.run(route.fn, { trigger: { http: request }, reason: apiReason })).returnValue,
    runNonHttp: async (name, input) => runNonHttp(d, name, input),
    durableApi,
    onError,
  };
  const http = await startHttpServer(handlers, d.port);
  const servers: Server[] = [http.server];
  const url = `http://127.0.0.1:${http.port}`;
  let rpcBaseUrl = `${url}/durabletask/`;
  if (d.rpcPort !== undefined) {
    const rpc = await startHttpServer({ ...handlers, routePrefix: "\u0000", routes: [], keys: {}, runNonHttp: async () => false }, d.rpcPort);
    servers.push(rpc.server);
    rpcBaseUrl = `http://127.0.0.1:${rpc.port}/durabletask/`;
  }
  const clientData = durableClientData(url, rpcBaseUrl, d.hubName, d.keys.function ?? d.keys.master);
  managementUrls = clientData.managementUrls as Record<string, string>;
  return {
    url,
    rpcBaseUrl,
    clientData: JSON.stringify(clientData),
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
