import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { stopChild } from "./child-process.js";
import { freePort, waitForPort } from "./ports.js";

export interface AzuriteHandle {
  /** connection string with explicit endpoints (the well-known dev account) */
  connectionString: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  stop(): Promise<void>;
}

const devAccount = "devstoreaccount1";
const devKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/**
 * Starts Azurite (from node_modules) on free loopback ports. With `location`, data survives a
 * restart (the local stack and the crash tests use that); without, it lives in memory.
 */
export async function startAzurite(opts: { location?: string; /** Azurite's debug log (one line per request: the bench counts them) */ debugLog?: string } = {}): Promise<AzuriteHandle> {
  const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
  const require = createRequire(import.meta.url);
  const azuriteMain = join(dirname(require.resolve("azurite/package.json")), "dist", "src", "azurite.js");
  const args = [
    azuriteMain,
    "--silent",
    "--disableTelemetry",
    "--skipApiVersionCheck",
    "--loose",
    "--blobHost", "127.0.0.1", "--blobPort", String(blobPort),
    "--queueHost", "127.0.0.1", "--queuePort", String(queuePort),
    "--tableHost", "127.0.0.1", "--tablePort", String(tablePort),
  ];
  if (opts.debugLog) args.push("--debug", opts.debugLog);
  if (opts.location) {
    mkdirSync(opts.location, { recursive: true });
    args.push("--location", opts.location);
  } else {
    args.push("--inMemoryPersistence");
  }
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    await Promise.all([waitForPort(blobPort), waitForPort(queuePort), waitForPort(tablePort)]);
  } catch (e) {
    child.kill("SIGKILL");
    throw new Error(`Azurite did not start: ${(e as Error).message}\n${stderr}`, { cause: e });
  }
  const host = "http://127.0.0.1";
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};` +
    `BlobEndpoint=${host}:${blobPort}/${devAccount};QueueEndpoint=${host}:${queuePort}/${devAccount};` +
    `TableEndpoint=${host}:${tablePort}/${devAccount};`;
  return {
    connectionString,
    blobPort,
    queuePort,
    tablePort,
    stop: () => stopChild(child, 3000),
  };
}
