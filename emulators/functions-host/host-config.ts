import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** Parses a .NET TimeSpan ("00:00:02", "1.00:00:00", "00:00:00.250") to milliseconds. */
export function parseTimeSpan(text: string): number {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(text.trim());
  if (!m) throw new Error(`Not a TimeSpan: "${text}"`);
  const [, d, h, min, s, frac] = m;
  const ms = frac ? Number(`0.${frac}`) * 1000 : 0;
  return ((Number(d ?? 0) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000 + Math.round(ms);
}

const hostJsonSchema = z.object({
  logging: z.object({ logLevel: z.record(z.string(), z.string()).optional() }).optional(),
  extensions: z
    .object({
      http: z.object({ routePrefix: z.string().optional() }).optional(),
      durableTask: z.object({ hubName: z.string().optional() }).optional(),
      queues: z
        .object({
          batchSize: z.number().int().min(1).max(32).optional(),
          newBatchThreshold: z.number().int().min(0).optional(),
          maxPollingInterval: z.string().optional(),
          visibilityTimeout: z.string().optional(),
          maxDequeueCount: z.number().int().min(1).optional(),
          messageEncoding: z.enum(["base64", "none"]).optional(),
        })
        .optional(),
    })
    .optional(),
});

/** The host.json settings this host honours, with Azure's defaults filled in. */
export interface HostSettings {
  routePrefix: string;
  hubName: string | undefined;
  logLevel: string | undefined;
  functionLogLevel: string | undefined;
  queues: {
    batchSize: number;
    newBatchThreshold: number;
    maxPollingIntervalMs: number;
    visibilityTimeoutMs: number;
    maxDequeueCount: number;
    messageEncoding: "base64" | "none";
  };
}

/** Resolves `%NAME%` app-setting references the way the host does for binding expressions. */
export function resolveSetting(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw new Error(`App setting "${name}" is not set (referenced as %${name}%).`);
    return v;
  });
}

/** Reads `<appRoot>/host.json` (missing file = all defaults). */
export function readHostSettings(appRoot: string, env: Record<string, string | undefined>): HostSettings {
  const file = join(appRoot, "host.json");
  const raw = existsSync(file) ? hostJsonSchema.parse(JSON.parse(readFileSync(file, "utf8"))) : {};
  const q = raw.extensions?.queues ?? {};
  const hub = raw.extensions?.durableTask?.hubName;
  const batchSize = q.batchSize ?? 16;
  return {
    routePrefix: raw.extensions?.http?.routePrefix ?? "api",
    hubName: hub ? resolveSetting(hub, env) : undefined,
    logLevel: raw.logging?.logLevel?.default,
    functionLogLevel: raw.logging?.logLevel?.Function,
    queues: {
      batchSize,
      newBatchThreshold: q.newBatchThreshold ?? Math.floor(batchSize / 2),
      maxPollingIntervalMs: q.maxPollingInterval ? parseTimeSpan(q.maxPollingInterval) : 60_000,
      visibilityTimeoutMs: q.visibilityTimeout ? parseTimeSpan(q.visibilityTimeout) : 0,
      maxDequeueCount: q.maxDequeueCount ?? 5,
      messageEncoding: q.messageEncoding ?? "base64",
    },
  };
}
