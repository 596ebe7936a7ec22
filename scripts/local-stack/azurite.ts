import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { killChild, stopChild } from "./child-process.js";
import { freePort, waitForPort } from "./ports.js";

export interface AzuriteHandle {
  /** connection string with explicit endpoints (the well-known dev account) */
  connectionString: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  stop(): Promise<void>;
  /** fault injection: SIGKILL, resolves once the process is gone (data not yet saved by Azurite is lost, see below) */
  kill(): Promise<void>;
}

const devAccount = "devstoreaccount1";
const devKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/**
 * Starts Azurite (from node_modules) on free loopback ports (or the given ones: a restart keeps its
 * connection string). With `location`, data survives a restart (the local stack and the crash tests
 * use that); without, it lives in memory. Gap: Azurite keeps its metadata in memory (LokiJS) and
 * saves it to `location` every 5 s and on a clean stop, so a SIGKILL loses the writes of the last
 * seconds that it had already acknowledged — Azure Storage never loses an acknowledged write. With
 * `writeThrough` (the fault suite) every answer waits until its change is on disk, closing that gap.
 */
export async function startAzurite(
  opts: {
    location?: string;
    /** a restart on the ports of the Azurite it replaces (its connection string stays valid) */
    ports?: { blob: number; queue: number; table: number };
    writeThrough?: boolean;
    /** Azurite's debug log (one line per request: the bench counts them) */
    debugLog?: string;
  } = {},
): Promise<AzuriteHandle> {
  const [blobPort, queuePort, tablePort] = opts.ports ? [opts.ports.blob, opts.ports.queue, opts.ports.table] : [await freePort(), await freePort(), await freePort()];
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
  // writeThrough: every acknowledged write on disk first, so a kill -9 loses nothing acknowledged (azurite-write-through.ts)
  if (opts.writeThrough) args.unshift(writeThroughLauncher());
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
    kill: () => killChild(child),
  };
}

/** The compiled launcher: beside this file when it runs from dist/, else in dist/ (a test runs the sources; npm test builds first). */
function writeThroughLauncher(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, "azurite-write-through.js");
  return existsSync(beside) ? beside : join(here, "..", "..", "dist", "scripts", "local-stack", "azurite-write-through.js");
}
