import { ServerResponse } from "node:http";
import { createRequire } from "node:module";

/**
 * Dev/test only: runs Azurite so that every write it acknowledges is on disk, as Azure Storage
 * guarantees. `node azurite-write-through.js <azurite.js> <azurite args…>`.
 *
 * Azurite keeps its metadata (tables, queue messages, blob lists) in LokiJS databases in memory and
 * writes them to `--location` every 5 s: a `kill -9` would roll storage back by up to 5 s of writes it
 * had already answered, which no Azure Storage failure does — a crash test would then test a storage
 * that lies. Here every answer waits until the databases it changed are written (LokiJS writes a
 * temporary file and renames it, so a file is never half-written), so after a `kill -9` and a restart
 * on the same folder everything that was acknowledged is still there; what was in flight may or may
 * not have been applied, as with a real outage. Slower than plain Azurite: only the fault suite uses it.
 */

interface LokiDb {
  autosaveDirty(): boolean;
  throttledSavePending?: boolean;
  saveDatabase(cb: (err?: unknown) => void): void;
}

const [azuriteMain, ...args] = process.argv.slice(2);
if (!azuriteMain) throw new Error("usage: azurite-write-through.js <azurite.js> [azurite args]");
const requireFromAzurite = createRequire(azuriteMain);

// every LokiJS database Azurite opens is remembered (the module export is replaced before Azurite loads it)
const dbs = new Set<LokiDb>();
const lokiPath = requireFromAzurite.resolve("lokijs");
const Loki = requireFromAzurite(lokiPath) as new (...a: unknown[]) => LokiDb;
function Remembered(this: unknown, ...a: unknown[]): LokiDb {
  const db = new Loki(...a);
  dbs.add(db);
  return db;
}
Object.assign(Remembered, Loki);
Remembered.prototype = Loki.prototype;
const cached = requireFromAzurite.cache[lokiPath];
if (!cached) throw new Error("lokijs is not in the module cache");
cached.exports = Remembered;

/** Resolves once every database with unsaved changes has been written (a save that began after now). */
function flush(): Promise<void> {
  const pending = [...dbs].filter((d) => d.autosaveDirty() || d.throttledSavePending === true);
  return Promise.all(pending.map((d) => new Promise<void>((resolve) => d.saveDatabase(() => resolve())))).then(() => undefined);
}

// an answer leaves only after what the request changed is on disk (reads change nothing and pass at once)
const end = ServerResponse.prototype.end as (this: ServerResponse, ...a: unknown[]) => ServerResponse;
ServerResponse.prototype.end = function (this: ServerResponse, ...a: unknown[]) {
  if (![...dbs].some((d) => d.autosaveDirty() || d.throttledSavePending === true)) return end.apply(this, a);
  void flush().finally(() => end.apply(this, a));
  return this;
} as typeof ServerResponse.prototype.end;

process.argv = [process.argv[0]!, azuriteMain, ...args];
requireFromAzurite(azuriteMain);
