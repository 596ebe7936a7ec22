import { judgeDatabaseVersion, type VersionVerdict } from "./db-version.js";
import type { SqlSession } from "./sql/connection.js";
import { selectDatabaseVersion } from "./sql/lvs2000.js";

/**
 * Checks the LVS2000 database version before any data is served. A good verdict is remembered
 * (a database does not get older while the relay runs); a bad one is asked again next time, so
 * an upgrade during the day is picked up without a restart.
 */
export interface VersionGate {
  check(): Promise<VersionVerdict>;
}

export function createVersionGate(s: SqlSession): VersionGate {
  let good: VersionVerdict | undefined;
  return {
    async check() {
      if (good) return good;
      const verdict = judgeDatabaseVersion(await selectDatabaseVersion(s));
      if (verdict.ok) good = verdict;
      return verdict;
    },
  };
}
