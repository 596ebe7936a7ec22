import type { ContainerClient } from "@azure/storage-blob";
import type { BronClient } from "../adapters/bron/client.js";
import type { CertificateProvider } from "../adapters/certificates/index.js";
import type { RelayClient } from "../adapters/lvs/relay-client.js";
import type { RelayStatusStore } from "../adapters/state/relay-status.js";
import type { SchoolStore } from "../adapters/state/schools.js";
import type { StateStore } from "../adapters/state/state-store.js";

/**
 * What the activities need from the outside world, as plain parameters (no DI framework). The
 * composition root (compose.ts) builds them from configuration; tests build them against the
 * stand-ins.
 */
export interface SyncDeps {
  state: StateStore;
  /** the relay of the school an aanleverpunt belongs to (registry → that school's own channel) */
  relay(aanleverpunt: string): RelayClient;
  /** the school registry */
  schools: SchoolStore;
  /** whether each school's relay answered lately */
  relayStatus: RelayStatusStore;
  certificates: CertificateProvider;
  /** a BRON client for one aanleverpunt, using its certificate from Key Vault (refused when missing/expired) */
  bron(aanleverpunt: string): BronClient;
  /** LVS snapshots handed from one activity to the next (too large for orchestration history) */
  snapshots: ContainerClient;
  now(): Date;
  /** the 4-week rule (28) */
  maxOverzichtAgeDays: number;
  /** mutations per delivery to BRON (default DEFAULT_BATCH_SIZE) */
  bronBatchSize?: number;
}

/** Only ids, dates and counts go through orchestration history. */
export interface ActivityInput {
  aanleverpunt: string;
  /** the orchestration's day (YYYY-MM-DD), from context.df.currentUtcDateTime */
  today: string;
  /** the orchestration instance, used to name its snapshot blob */
  instanceId: string;
}
