import Database from "better-sqlite3";
import { BlobServiceClient } from "@azure/storage-blob";
import { join } from "node:path";
import { createStateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import type { Keuze } from "../../src/core/model.js";
import { startLocalStack, type LocalSchool, type LocalStack } from "../local-stack/index.js";

/**
 * The local stack as the fault suite drives it: Azurite in write-through mode (a kill -9 loses nothing
 * it acknowledged, as with Azure Storage), short work-item leases (a killed host's work comes back
 * after seconds, not 30 s), small BRON batches (a send has several deliveries), and read access to what
 * each part holds: the app's state through its own state store on Azurite, BRON's register and queue
 * in the simulator's SQLite file, a school's LVS2000 relay tables in its TDS server's SQLite file.
 */

export interface ChaosStackOptions {
  dataDir: string;
  leerlingen: number;
  aanleverpunten: number;
  batchSize: number;
  hostLeaseMs?: number;
  /** lines from the host (its log), for diagnosis */
  onHostOutput?: (line: string) => void;
}

export interface RunStatus {
  runtimeStatus: string;
  customStatus: { fase?: string; ronde?: number; wachtOpBeslissing?: number; reden?: string; storingen?: string } | null;
  output: { fase?: string; reden?: string | null } | null;
  reden?: string | null;
  createdTime?: string;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export class ChaosStack {
  private constructor(
    readonly stack: LocalStack,
    readonly dataDir: string,
  ) {}

  static async start(o: ChaosStackOptions): Promise<ChaosStack> {
    const stack = await startLocalStack({
      dataDir: o.dataDir,
      today: new Date().toISOString().slice(0, 10),
      hostPort: 0,
      persistent: true,
      leerlingen: o.leerlingen,
      aanleverpunten: o.aanleverpunten,
      azuriteWriteThrough: true,
      hostLeaseMs: o.hostLeaseMs ?? 3000,
      env: { BRON_BATCH_SIZE: String(o.batchSize), BRON_TIMEOUT_MS: "8000" },
      ...(o.onHostOutput ? { onHostOutput: o.onHostOutput } : {}),
    });
    return new ChaosStack(stack, o.dataDir);
  }

  get aanleverpunten(): string[] {
    return this.stack.demo.aanleverpunten.map((a) => a.code);
  }

  async stop(): Promise<void> {
    await this.stack.stop();
  }

  // ── the app's HTTP API (as a person or the beheerpagina uses it) ──────────────────────────────────────

  /** The school (its relay, its LVS2000 database) of an aanleverpunt. */
  school(ap: string): LocalSchool {
    const s = this.stack.schools.find((x) => x.aanleverpunten.includes(ap));
    if (!s) throw new Error(`no demo school for ${ap}`);
    return s;
  }

  /** A part to kill: the host, Azurite, or the relay of the aanleverpunt's school. */
  part(target: "host" | "relay" | "azurite", ap: string): { kill(): Promise<void>; start(): Promise<void> } {
    return target === "relay" ? this.school(ap).relay : this.stack.processes[target];
  }

  /**
   * One request to the app through the sign-in stand-in, as the Beheerder or (personId) another demo
   * person; a host that is down answers 0 or a 5xx of the stand-in.
   */
  async api(ap: string, path: string, init?: RequestInit, personId?: string): Promise<HttpAnswer> {
    try {
      const r = await this.stack.api(`/api/aanleverpunten/${ap}/${path}`, { ...init, signal: AbortSignal.timeout(15_000) }, personId);
      const text = await r.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: r.status, body };
    } catch {
      return { status: 0, body: null };
    }
  }

  startSync(ap: string): Promise<HttpAnswer> {
    return this.api(ap, "sync", { method: "POST" });
  }

  async status(ap: string): Promise<RunStatus | null> {
    const r = await this.api(ap, "status");
    return r.status === 200 ? (r.body as RunStatus) : null;
  }

  decide(ap: string, id: string, keuze: Keuze, personId?: string): Promise<HttpAnswer> {
    return this.api(ap, `acties/${encodeURIComponent(id)}/beslissing`, { method: "POST", body: JSON.stringify({ keuze }), headers: { "content-type": "application/json" } }, personId);
  }

  deleteAction(ap: string, id: string, personId?: string): Promise<HttpAnswer> {
    return this.api(ap, `acties/${encodeURIComponent(id)}`, { method: "DELETE" }, personId);
  }

  /** The school's administrator (Schooladministratie) of the aanleverpunt: the person at the beheerpagina. */
  administratie(ap: string): string {
    return this.stack.access.administratie(this.school(ap).id).id;
  }

  // ── what each part holds ──────────────────────────────────────────────────────────────────────────────

  /** The app's state, read through its own state store (Azurite must be up). */
  state() {
    const cs = this.stack.azurite.connectionString;
    return createStateStore({ tables: tablesFromConnectionString(cs), blobs: BlobServiceClient.fromConnectionString(cs).getContainerClient("state-blobs") });
  }

  /** BRON's side, read from the simulator's own file (read-only connection). */
  bron<T>(read: (db: Database.Database) => T): T {
    const db = new Database(join(this.dataDir, "bron", "bron-simulator.sqlite"), { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  /** LVS2000's side of the aanleverpunt's school (the relay's idempotency and audit tables), from its TDS server's database file. */
  lvs<T>(ap: string, read: (db: Database.Database) => T): T {
    const db = new Database(join(this.dataDir, `lvs2000-${this.school(ap).id}.sqlite`), { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  counters(): Record<string, number> {
    return this.stack.bron.counters();
  }

  /** Mutations BRON registered for the aanleverpunt (mutatieId → MessageID it first came in). */
  bronMutations(ap: string): Map<string, string> {
    return this.bron((db) => new Map((db.prepare("SELECT mutatie_id, message_id FROM mutatie WHERE aanleverpunt = ?").all(ap) as { mutatie_id: string; message_id: string }[]).map((r) => [r.mutatie_id, r.message_id])));
  }

  /** Mutation ids BRON received in more than one message (MessageID) for the aanleverpunt, with those messages. */
  bronMutationsInSeveralMessages(ap: string): Map<string, string[]> {
    const rows = this.bron((db) => db.prepare("SELECT message_id, response FROM bericht WHERE aanleverpunt = ? AND operation = 'aanleverenMutaties'").all(ap) as { message_id: string; response: string }[]);
    const by = new Map<string, string[]>();
    for (const r of rows) for (const m of r.response.matchAll(/ontvangenMutatieId>([^<]+)</g)) by.set(m[1]!, [...(by.get(m[1]!) ?? []), r.message_id]);
    return new Map([...by].filter(([, messages]) => messages.length > 1));
  }

  /** Every feedback message BRON queued for the aanleverpunt, with whether the app acknowledged it. */
  bronFeedback(ap: string): { id: string | null; soort: string; mutatieId: string | null; bevestigd: boolean }[] {
    return this.bron((db) =>
      (db.prepare("SELECT id, bevestigd, json FROM terugkoppeling WHERE aanleverpunt = ? ORDER BY seq").all(ap) as { id: string | null; bevestigd: number; json: string }[]).map((r) => {
        const m = JSON.parse(r.json) as { soort: string; mutatieId?: string };
        return { id: r.id, soort: m.soort, mutatieId: m.mutatieId ?? null, bevestigd: r.bevestigd === 1 };
      }),
    );
  }

  /** The relay's audit of writes to LVS2000 for the aanleverpunt's pupils. */
  relayAudit(ap: string): { requestId: string; soort: string; leerlingId: string; resultaat: string; velden: string }[] {
    const leerlingIds = this.lvsLeerlingIds(ap);
    return this.lvs(ap, (db) =>
      (db.prepare("SELECT RequestId, Soort, LeerlingNummer, Resultaat, Velden FROM RelayAudit").all() as { RequestId: string; Soort: string; LeerlingNummer: string; Resultaat: string; Velden: string }[])
        .filter((r) => leerlingIds.has(String(r.LeerlingNummer)))
        .map((r) => ({ requestId: r.RequestId, soort: r.Soort, leerlingId: String(r.LeerlingNummer), resultaat: r.Resultaat, velden: r.Velden ?? "" })),
    );
  }

  /** The pupils of an aanleverpunt in LVS2000 (their ids, to scope the relay's tables). */
  lvsLeerlingIds(ap: string): Set<string> {
    return new Set(this.stack.demo.lvs.find((s) => s.aanleverpunt === ap)?.leerlingen.map((l) => l.id) ?? []);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
