import type { RegisteredFunction, RpcTypedData } from "./core-api.js";
import { resolveSetting } from "./host-config.js";
import type { HostLogger } from "./logger.js";
import type { QueueClients } from "./storage-clients.js";

/** Splits an output value into queue message texts: an array gives one message per element. */
export function queueMessages(data: RpcTypedData): string[] {
  const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  if (typeof data.json === "string") {
    const v = JSON.parse(data.json) as unknown;
    return Array.isArray(v) ? v.map(asText) : [asText(v)];
  }
  if (typeof data.string === "string") return [data.string];
  if (data.bytes) return [Buffer.from(data.bytes).toString("utf8")];
  if (typeof data.int === "number") return [String(data.int)];
  if (typeof data.double === "number") return [String(data.double)];
  return [];
}

/** Encodes a message text the way host.json `messageEncoding` says (base64 by default). */
export function encodeMessage(text: string, encoding: "base64" | "none"): string {
  return encoding === "base64" ? Buffer.from(text, "utf8").toString("base64") : text;
}

/**
 * Writes an invocation's output bindings. Supported: `queue` (Storage queue). HTTP outputs are
 * the HTTP server's business; other types are reported once and ignored.
 */
export async function writeOutputs(
  fn: RegisteredFunction,
  outputs: Map<string, RpcTypedData>,
  returnValue: RpcTypedData | null | undefined,
  deps: { queues: QueueClients; env: Record<string, string | undefined>; encoding: "base64" | "none"; logger: HostLogger; warned: Set<string> },
): Promise<void> {
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (binding.direction !== "out") continue;
    const data = name === "$return" ? returnValue : outputs.get(name);
    const type = String(binding.type);
    if (!data || type === "http") continue;
    if (type === "queue") {
      const queue = deps.queues.get(binding.connection, resolveSetting(String(binding.queueName), deps.env));
      await deps.queues.ensure(queue);
      for (const text of queueMessages(data)) {
        deps.queues.requestCount++;
        await queue.sendMessage(encodeMessage(text, deps.encoding));
      }
    } else if (!deps.warned.has(`${fn.name}/${name}`)) {
      deps.warned.add(`${fn.name}/${name}`);
      deps.logger.log({ level: "warning", category: "host", functionName: fn.name, message: `Output binding type '${type}' is not supported by the local host; its value is dropped.` });
    }
  }
}
