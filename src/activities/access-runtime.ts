import { createAssignmentStore, createSchoolDirectory, type AssignmentStore, type SchoolDirectory } from "../adapters/state/access-store.js";
import type { AuditEntry } from "../adapters/state/state-store.js";
import { config } from "../config.js";
import { credentialOf, storageClients } from "./compose.js";
import { runtimeDeps } from "./runtime.js";

/** What functions/access.ts needs to decide and record who may do what. */
export interface AccessDeps {
  assignments: AssignmentStore;
  schools: SchoolDirectory;
  /** appends to the audit trail under a partition (an aanleverpunt, or "toegang") */
  audit(partition: string, at: Date, entry: AuditEntry): Promise<void>;
  now(): Date;
}

let deps: AccessDeps | undefined;
/** Composed once per worker process on first use, from the same storage account as the rest of the state. */
export function accessDeps(): AccessDeps {
  if (deps) return deps;
  const cfg = config();
  const { tables } = storageClients(cfg, credentialOf(cfg));
  deps = {
    assignments: createAssignmentStore({ tables }),
    schools: createSchoolDirectory({ tables }),
    audit: (partition, at, entry) => runtimeDeps().state.audit(partition, at, entry),
    now: () => new Date(),
  };
  return deps;
}
