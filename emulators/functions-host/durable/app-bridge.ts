import type { Registry, RpcTypedData } from "../core-api.js";
import { invokeFunction } from "../invoke.js";
import type { HostLogger } from "../logger.js";
import type { OrchestratorState, RunOrchestrator } from "./engine.js";
import type { DurableApp } from "./worker.js";

const outOfProcMarker = "$OutOfProcData$:";

/** The JSON text DTFx stores as TaskCompleted.Result for what an activity returned. */
export function resultText(data: RpcTypedData | null | undefined): string {
  if (!data) return "null";
  if (typeof data.json === "string") return data.json;
  if (typeof data.string === "string") return JSON.stringify(data.string);
  if (typeof data.int === "number") return String(data.int);
  if (typeof data.double === "number") return String(data.double);
  if (data.bytes) return JSON.stringify(Buffer.from(data.bytes).toString("base64"));
  return "null";
}

/** Reads the OrchestratorState out of an invocation result or an OrchestrationFailureError. */
function stateFromError(err: unknown): OrchestratorState {
  const message = err instanceof Error ? err.message : String(err);
  const at = message.indexOf(outOfProcMarker);
  if (at >= 0) return JSON.parse(message.slice(at + outOfProcMarker.length)) as OrchestratorState;
  return { isDone: false, actions: [[]], error: message };
}

function triggerType(registry: Registry, name: string): string | undefined {
  return registry.functions.get(name)?.trigger.type as string | undefined;
}

/**
 * Connects the durable worker to the loaded app: orchestrator episodes and activity calls go
 * through the same invocation path as every other trigger.
 */
export function createDurableApp(registry: Registry, logger: HostLogger, appHookData: Record<string, unknown>): DurableApp {
  return {
    hasOrchestrator: (name) => triggerType(registry, name) === "orchestrationTrigger",
    runOrchestrator(name: string): RunOrchestrator {
      return async (payload) => {
        const fn = registry.functions.get(name);
        if (!fn) throw new Error(`No orchestrator named '${name}'.`);
        try {
          const res = await invokeFunction(registry, fn, { trigger: { string: JSON.stringify(payload) } }, logger, appHookData);
          const data = res.returnValue;
          return JSON.parse(data?.json ?? data?.string ?? "null") as OrchestratorState;
        } catch (err) {
          return stateFromError(err);
        }
      };
    },
    async runActivity(name, input) {
      const fn = registry.functions.get(name);
      if (!fn || fn.trigger.type !== "activityTrigger") throw new Error(`The function '${name}' doesn't exist, is disabled, or is not an activity function.`);
      const trigger: RpcTypedData = input === undefined ? {} : { string: input };
      const res = await invokeFunction(registry, fn, { trigger }, logger, appHookData);
      return resultText(res.returnValue);
    },
  };
}

/** The durableClient binding data the extension supplies (BindingHelper.cs), pointing at this host. */
export function durableClientData(baseUrl: string, rpcBaseUrl: string, hubName: string, code: string | undefined): Record<string, unknown> {
  const wh = `${baseUrl}/runtime/webhooks/durabletask`;
  const qs = `taskHub=${hubName}&connection=Storage${code ? `&code=${code}` : ""}`;
  const inst = `${wh}/instances/INSTANCEID`;
  return {
    taskHubName: hubName,
    creationUrls: {
      createNewInstancePostUri: `${wh}/orchestrators/{functionName}[/{instanceId}]?${qs}`,
      createAndWaitOnNewInstancePostUri: `${wh}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${qs}`,
    },
    managementUrls: {
      id: "INSTANCEID",
      statusQueryGetUri: `${inst}?${qs}`,
      sendEventPostUri: `${inst}/raiseEvent/{eventName}?${qs}`,
      terminatePostUri: `${inst}/terminate?reason={text}&${qs}`,
      // rewind and restart are not served by this host (501), so they are not advertised
      purgeHistoryDeleteUri: `${inst}?${qs}`,
      suspendPostUri: `${inst}/suspend?reason={text}&${qs}`,
      resumePostUri: `${inst}/resume?reason={text}&${qs}`,
    },
    baseUrl: wh,
    requiredQueryStringParameters: qs,
    rpcBaseUrl,
  };
}
