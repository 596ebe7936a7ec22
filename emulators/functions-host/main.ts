import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseLogLevel } from "./logger.js";
import { startFunctionsHost } from "./index.js";

/**
 * CLI for the local stack: `node dist/emulators/functions-host/main.js --app <root> [--port 7071]
 * [--rpc-port N] [--storage <connection string>] [--hub name] [--log-level information]`.
 * App settings come from the environment and from `<app>/local.settings.json` "Values" (environment
 * wins). Prints `READY <url> <rpcBaseUrl>` on stdout once it serves requests; SIGTERM/SIGINT stop it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: "string", default: "." },
      port: { type: "string", default: "7071" },
      "rpc-port": { type: "string" },
      storage: { type: "string" },
      hub: { type: "string" },
      "log-level": { type: "string" },
      "poll-max-ms": { type: "string" },
      "lease-ms": { type: "string" },
    },
  });
  const appRoot = resolve(values.app);
  const settingsFile = join(appRoot, "local.settings.json");
  const fileValues = existsSync(settingsFile) ? ((JSON.parse(readFileSync(settingsFile, "utf8")) as { Values?: Record<string, string> }).Values ?? {}) : {};
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(fileValues)) if (process.env[k] === undefined) env[k] = v;
  const storage = values.storage ?? process.env.AzureWebJobsStorage ?? env.AzureWebJobsStorage;
  if (!storage) throw new Error("No storage connection string: pass --storage or set AzureWebJobsStorage.");
  const pollMax = values["poll-max-ms"] ? Number(values["poll-max-ms"]) : 1000;
  const host = await startFunctionsHost({
    appRoot,
    storageConnectionString: storage,
    port: Number(values.port),
    env,
    ...(values["rpc-port"] ? { rpcPort: Number(values["rpc-port"]) } : {}),
    ...(values.hub ? { hubName: values.hub } : {}),
    ...(values["log-level"] ? { logLevel: parseLogLevel(values["log-level"], "information") } : {}),
    pollMs: { min: Math.min(50, pollMax), max: pollMax },
    ...(values["lease-ms"] ? { leaseMs: Number(values["lease-ms"]) } : {}),
  });
  process.stdout.write(`READY ${host.url} ${host.rpcBaseUrl}\n`);
  const stop = () => {
    host.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Functions host failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
