/** DEV/TEST ONLY. A lock file so that parallel test workers can share one PKI directory safely. */
import { closeSync, openSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const STALE_MS = 60_000;

/** Runs `fn` while holding `<dir>/.lock`; a lock older than a minute is taken over (its holder died). */
export async function withDirLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, ".lock");
  const deadline = Date.now() + 2 * STALE_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (isStale(lock)) rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`could not lock ${dir}`, { cause: e });
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}
