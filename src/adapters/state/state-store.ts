import type { ContainerClient } from "@azure/storage-blob";
import { odata, RestError, type TransactionAction } from "@azure/data-tables";
import { z } from "zod";
import { Action, BronInschrijving, BronLeerling, BronMirror, Decision, DubbeleInschrijving, LvsWrite, Signal, type Aanleverpunt } from "../../core/model.js";
import { createHash } from "node:crypto";
import { detailExpired, withoutDetail } from "../../core/retention.js";
import { ensureTable, getEntityOrNull, MAX_PROPERTY_CHARS, readPartition, safeRowKey, writeBatched, type TableFactory } from "./tables.js";

/**
 * The service's state in Table Storage (architecture.md "Storage layout"): PartitionKey = aanleverpunt.
 * Rows hold their domain record as JSON in `data` and are re-validated with the model's zod schemas when
 * read, so a corrupted row fails loudly instead of flowing on. Large raw feedback goes to a blob.
 */

export const TABLES = {
  mirror: "mirror",
  actions: "actions",
  decisions: "decisions",
  feedbackInbox: "feedbackInbox",
  signals: "signals",
  audit: "audit",
  lvsOutbox: "lvsOutbox",
  sendBatches: "sendBatches",
  firstSeen: "firstSeen",
  lvsProblems: "lvsProblems",
  instellingen: "instellingen",
} as const;

/** A row of LVS2000 the relay could not read cleanly (ids, field and a Dutch reason; never the value). */
export const LvsProblem = z.object({
  tabel: z.string(),
  rijId: z.string(),
  veld: z.string(),
  reden: z.string(),
  uitgesloten: z.boolean(),
});
export type LvsProblem = z.infer<typeof LvsProblem>;

/** A recorded send batch (core/send-plan.ts) with where its mutations wait until they are delivered. */
export const SendBatchRow = z.object({
  messageId: z.string().min(1),
  volgorde: z.number().int(),
  actionIds: z.array(z.string()),
  status: z.enum(["GEPLAND", "VERZONDEN", "GEWEIGERD"]),
  /** blob with the batch's mutations exactly as first built (personal data: deleted once delivered) */
  payloadBlob: z.string().nullable(),
});
export type SendBatchRow = z.infer<typeof SendBatchRow>;

/**
 * A write to LVS2000 as first planned: its request id and the row version it was based on are fixed
 * by the first attempt, so a retry sends the very same request (the relay answers it from its
 * idempotency store). `rowVersion` null: use the version the previous write to this pupil returned.
 */
export const OutboxEntry = z.object({
  requestId: z.string(),
  /** the day the write was planned (request ids are per day; older entries are cleared) */
  dag: z.string(),
  volgorde: z.number().int(),
  rowVersion: z.string().nullable(),
  write: LvsWrite,
  /** how the relay answered, once it did; the row version after an applied write */
  resultaat: z.enum(["TOEGEPAST", "CONFLICT", "ONBEKEND"]).nullable(),
  nieuweRowVersion: z.string().nullable(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

/**
 * One message in the feedback inbox. Retention (docs/privacy.md): the raw message (names, BSNs) is
 * kept only until it is processed, or while it failed (at most FAILED_RAW_DAYS); then only the id,
 * kind, dates, status and error remain.
 */
export const FeedbackInboxEntry = z.object({
  id: z.string(),
  ontvangenOp: z.string(),
  status: z.enum(["ONTVANGEN", "VERWERKT", "MISLUKT"]),
  error: z.string().nullable(),
  /** the raw message as received from BRON; in blob `rawBlob` when too large for a table row; null once processed */
  raw: z.string().nullable(),
  rawBlob: z.string().nullable(),
  /** the message's kind (soort), when it could be read */
  soort: z.string().nullable().default(null),
  /** when it was processed or failed */
  verwerktOp: z.string().nullable().default(null),
  /** the pupil and the mutation it is about, where it names them (ids only: the history of a pupil) */
  leerlingId: z.string().nullable().default(null),
  mutatieId: z.string().nullable().default(null),
});
export type FeedbackInboxEntry = z.infer<typeof FeedbackInboxEntry>;

export const AuditEntry = z.object({
  op: z.string(),
  door: z.string(),
  wat: z.string(),
  /** ids and counts only — never names or BSNs */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
/** An audit entry with the moment it was recorded (ISO instant, from its time-ordered key). */
export type TimedAuditEntry = AuditEntry & { at: string };

/** The relay's last answer to a health check: its version, the LVS2000 database version, when. */
export const RelayContact = z.object({ at: z.string(), relayVersion: z.string(), apiVersion: z.string(), databaseVersion: z.string().nullable(), status: z.string() });
export type RelayContact = z.infer<typeof RelayContact>;

type Row = { data: string; etag: string };

/** Row keys stay far below the Table service's 1 KiB limit. */
const MAX_KEY_CHARS = 250;

/**
 * The inbox row key of a message id: the id itself (encoded) when it fits, else a hash of it, so an
 * id of any length (or an empty one) can never make storing fail.
 */
export function feedbackKey(id: string): string {
  const key = safeRowKey(id);
  if (id.length > 0 && key.length <= MAX_KEY_CHARS && !key.startsWith("sha256-")) return key;
  return `sha256-${createHash("sha256").update(id, "utf8").digest("hex")}`;
}

const isConcurrencyFailure = (e: unknown) => e instanceof RestError && (e.statusCode === 412 || e.statusCode === 409);
const json = (v: unknown) => JSON.stringify(v);

export interface StateStoreDeps {
  tables: TableFactory;
  /** container for payloads too large for a table row */
  blobs: ContainerClient;
}

export function createStateStore(deps: StateStoreDeps) {
  const table = (name: string) => ensureTable(deps.tables(name));

  async function loadRows<T>(name: string, ap: Aanleverpunt, schema: z.ZodType<T>, prefix?: string): Promise<T[]> {
    const rows = await readPartition<Row>(await table(name), ap, prefix);
    return rows.map((r) => schema.parse(JSON.parse(r.data)));
  }

  /** Upserts the given rows and deletes every other row of the partition (under the prefix, if any). */
  async function replacePartition(name: string, ap: Aanleverpunt, rows: Map<string, string>, prefix = ""): Promise<void> {
    const client = await table(name);
    const existing = await readPartition<Row>(client, ap, prefix === "" ? undefined : prefix);
    const tx: TransactionAction[] = [];
    for (const e of existing) if (!rows.has(e.rowKey)) tx.push(["delete", { partitionKey: ap, rowKey: e.rowKey }]);
    const before = new Map(existing.map((e) => [e.rowKey, e.data]));
    for (const [rowKey, data] of rows) if (before.get(rowKey) !== data) tx.push(["upsert", { partitionKey: ap, rowKey, data }, "Replace"]);
    await writeBatched(client, tx);
  }

  /** Drops a message's raw content (row field and blob) in place. */
  async function forgetContent(entry: FeedbackInboxEntry): Promise<void> {
    if (entry.rawBlob !== null) await deps.blobs.getBlockBlobClient(entry.rawBlob).deleteIfExists();
    entry.raw = null;
    entry.rawBlob = null;
  }

  return {
    /** The mirror of one aanleverpunt; an empty, never-fetched mirror when nothing is stored. */
    async loadMirror(ap: Aanleverpunt): Promise<BronMirror> {
      const client = await table(TABLES.mirror);
      const rows = await readPartition<Row>(client, ap);
      const mirror: BronMirror = { aanleverpunt: ap, peildatum: null, overzichtDatum: null, leerlingen: [], inschrijvingen: [], historisch: [], dubbeleInschrijvingen: [] };
      for (const r of rows) {
        const data: unknown = JSON.parse(r.data);
        const kind = r.rowKey.slice(0, 2);
        if (kind === "M|") Object.assign(mirror, z.object({ peildatum: z.string().nullable(), overzichtDatum: z.string().nullable() }).parse(data));
        else if (kind === "L|") mirror.leerlingen.push(BronLeerling.parse(data));
        else if (kind === "I|") mirror.inschrijvingen.push(BronInschrijving.parse(data));
        else if (kind === "H|") mirror.historisch.push(BronInschrijving.parse(data));
        else if (kind === "D|") mirror.dubbeleInschrijvingen.push(DubbeleInschrijving.parse(data));
      }
      return BronMirror.parse(mirror);
    },

    /** Stores the mirror, writing only rows that changed and deleting rows that are gone. */
    async saveMirror(mirror: BronMirror): Promise<void> {
      const rows = new Map<string, string>();
      rows.set("M|", json({ peildatum: mirror.peildatum, overzichtDatum: mirror.overzichtDatum }));
      for (const l of mirror.leerlingen) rows.set(`L|${safeRowKey(l.leerlingId)}`, json(l));
      for (const i of mirror.inschrijvingen) rows.set(`I|${safeRowKey(i.inschrijvingId)}`, json(i));
      for (const h of mirror.historisch) rows.set(`H|${safeRowKey(h.inschrijvingId)}`, json(h));
      for (const d of mirror.dubbeleInschrijvingen) rows.set(`D|${safeRowKey(`${d.inschrijvingId}|${d.andereVestiging}|${d.inschrijfdatum}`)}`, json(d));
      await replacePartition(TABLES.mirror, mirror.aanleverpunt, rows);
    },

    loadActions: (ap: Aanleverpunt) => loadRows(TABLES.actions, ap, Action),

    /**
     * Stores what this writer changed in the action list: `before` is the list as it loaded it,
     * `after` as it wants it. Only the rows it changed are written, each only if nobody else changed
     * that row meanwhile (a decision made during a send is never overwritten): such rows are returned
     * as conflicts and left as they are.
     */
    async updateActions(ap: Aanleverpunt, before: readonly Action[], after: readonly Action[]): Promise<{ conflicts: string[] }> {
      const client = await table(TABLES.actions);
      // compared and stored in one canonical form (the schema's key order), however each writer built its objects
      const canonical = (a: unknown) => json(Action.parse(a));
      const was = new Map(before.map((a) => [safeRowKey(a.id), canonical(a)]));
      const will = new Map(after.map((a) => [safeRowKey(a.id), canonical(a)]));
      for (let attempt = 0; ; attempt++) {
        const current = new Map((await readPartition<Row>(client, ap)).map((e) => [e.rowKey, { ...e, data: canonical(JSON.parse(e.data)) }]));
        const tx: TransactionAction[] = [];
        const conflicts: string[] = [];
        for (const rowKey of new Set([...was.keys(), ...will.keys()])) {
          const b = was.get(rowKey);
          const a = will.get(rowKey);
          const cur = current.get(rowKey);
          if (b === a || cur?.data === a) continue; // not changed by this writer, or already written
          if (cur?.data !== b) {
            conflicts.push(rowKey);
            continue;
          }
          if (a === undefined) tx.push(["delete", { partitionKey: ap, rowKey }]);
          else if (cur) tx.push(["update", { partitionKey: ap, rowKey, data: a }, "Replace", { etag: cur.etag }]);
          else tx.push(["create", { partitionKey: ap, rowKey, data: a }]);
        }
        try {
          await writeBatched(client, tx);
          return { conflicts };
        } catch (e) {
          // Another writer got in between the read and this write: read again and re-decide.
          if (attempt < 3 && isConcurrencyFailure(e)) continue;
          throw e;
        }
      }
    },

    /**
     * Retention (core/retention.ts): removes the field values of final actions whose row last changed
     * long enough before `now` (the Table service's own Timestamp is the moment of the last change, as
     * updateActions writes only rows it changes). Each row is written only if nobody changed it meanwhile.
     * Returns how many actions lost their values (0 when a concurrent change stopped it: the next run goes on).
     */
    async forgetExpiredActionDetail(ap: Aanleverpunt, now: Date): Promise<number> {
      const client = await table(TABLES.actions);
      const tx: TransactionAction[] = [];
      for (const row of await readPartition<Row & { timestamp?: string }>(client, ap)) {
        const action = Action.parse(JSON.parse(row.data));
        if (row.timestamp === undefined || !detailExpired(action, row.timestamp, now)) continue;
        tx.push(["update", { partitionKey: ap, rowKey: row.rowKey, data: json(Action.parse(withoutDetail(action))) }, "Replace", { etag: row.etag }]);
      }
      try {
        await writeBatched(client, tx);
      } catch (e) {
        // a person or a run changed one of these rows just now: it is no longer expired; the next run retries
        if (isConcurrencyFailure(e)) return 0;
        throw e;
      }
      return tx.length;
    },

    loadDecisions: (ap: Aanleverpunt) => loadRows(TABLES.decisions, ap, Decision),

    /** Deletes the decisions on these differences (by fingerprint); a decision that is not there is fine. */
    async forgetDecisions(ap: Aanleverpunt, fingerprints: readonly string[]): Promise<void> {
      if (fingerprints.length === 0) return;
      const client = await table(TABLES.decisions);
      for (const fp of fingerprints) await client.deleteEntity(ap, safeRowKey(fp)).catch((e: unknown) => {
        if ((e as { statusCode?: number }).statusCode !== 404) throw e;
      });
    },

    async recordDecision(ap: Aanleverpunt, decision: Decision): Promise<void> {
      const client = await table(TABLES.decisions);
      await client.upsertEntity({ partitionKey: ap, rowKey: safeRowKey(decision.fingerprint), data: json(Decision.parse(decision)) }, "Replace");
    },

    loadSignals: (ap: Aanleverpunt) => loadRows(TABLES.signals, ap, Signal),

    /** Replaces all signals of an aanleverpunt (checks are re-run as a whole). */
    async saveSignals(ap: Aanleverpunt, signals: readonly Signal[]): Promise<void> {
      const rows = new Map(signals.map((s, i) => [safeRowKey(`${s.actionId ?? "-"}|${s.code}|${s.field ?? ""}|${i}`), json(s)]));
      await replacePartition(TABLES.signals, ap, rows);
    },

    /**
     * Stores a feedback message exactly as received, before it is processed or acknowledged to BRON
     * (nothing is ever dropped). Storing the same id again keeps the first copy.
     */
    async storeFeedback(
      ap: Aanleverpunt,
      id: string,
      raw: string,
      ontvangenOp: string,
      soort: string | null = null,
      about: { leerlingId: string | null; mutatieId: string | null } = { leerlingId: null, mutatieId: null },
    ): Promise<FeedbackInboxEntry> {
      const client = await table(TABLES.feedbackInbox);
      const key = feedbackKey(id);
      const existing = await getEntityOrNull<Row>(client, ap, key);
      if (existing) return FeedbackInboxEntry.parse(JSON.parse(existing.data));
      let entry: FeedbackInboxEntry = { id, ontvangenOp, status: "ONTVANGEN", error: null, raw, rawBlob: null, soort, verwerktOp: null, leerlingId: about.leerlingId, mutatieId: about.mutatieId };
      if (raw.length + id.length > MAX_PROPERTY_CHARS / 2) {
        const blobName = `feedback/${ap}/${key}.xml`;
        await deps.blobs.createIfNotExists();
        await deps.blobs.getBlockBlobClient(blobName).upload(raw, Buffer.byteLength(raw));
        entry = { ...entry, raw: null, rawBlob: blobName };
      }
      await client.upsertEntity({ partitionKey: ap, rowKey: key, data: json(entry), status: entry.status }, "Replace");
      return entry;
    },

    async readFeedbackRaw(entry: FeedbackInboxEntry): Promise<string> {
      if (entry.raw !== null) return entry.raw;
      if (entry.rawBlob === null) throw new Error(`feedback ${feedbackKey(entry.id)} no longer has its content (processed)`);
      const buf = await deps.blobs.getBlockBlobClient(entry.rawBlob).downloadToBuffer();
      return buf.toString("utf8");
    },

    /**
     * Records the outcome of a message. A processed message loses its content (row and blob): only
     * its id, kind, dates and status stay. A failed one keeps it, so it can be looked into.
     */
    async markFeedback(ap: Aanleverpunt, id: string, status: "VERWERKT" | "MISLUKT", error: string | null = null, at: Date | null = null): Promise<void> {
      const client = await table(TABLES.feedbackInbox);
      const key = feedbackKey(id);
      const e = await getEntityOrNull<Row>(client, ap, key);
      if (!e) throw new Error(`feedback ${key} is not in the inbox`);
      const was = FeedbackInboxEntry.parse(JSON.parse(e.data));
      const entry: FeedbackInboxEntry = { ...was, status, error, verwerktOp: at?.toISOString() ?? was.verwerktOp };
      if (status === "VERWERKT") await forgetContent(entry);
      await client.upsertEntity({ partitionKey: ap, rowKey: key, data: json(entry), status }, "Replace");
    },

    /** Clears the content of failed messages received before `before` (ISO time); returns how many. */
    async forgetFailedFeedbackBefore(ap: Aanleverpunt, before: string): Promise<number> {
      const client = await table(TABLES.feedbackInbox);
      let n = 0;
      for (const row of await readPartition<Row>(client, ap)) {
        const entry = FeedbackInboxEntry.parse(JSON.parse(row.data));
        if (entry.status !== "MISLUKT" || entry.ontvangenOp >= before || (entry.raw === null && entry.rawBlob === null)) continue;
        await forgetContent(entry);
        await client.updateEntity({ partitionKey: ap, rowKey: row.rowKey, data: json(entry) }, "Merge", { etag: row.etag });
        n++;
      }
      return n;
    },

    listFeedback: (ap: Aanleverpunt) => loadRows(TABLES.feedbackInbox, ap, FeedbackInboxEntry),

    /** Appends to the audit trail; keys are time-ordered so a range read gives the history in order. */
    async audit(ap: Aanleverpunt, at: Date, entry: AuditEntry): Promise<void> {
      const client = await table(TABLES.audit);
      const rowKey = `${at.toISOString()}|${Math.random().toString(36).slice(2, 10)}`;
      await client.createEntity({ partitionKey: ap, rowKey, data: json(AuditEntry.parse(entry)) });
    },

    listAudit: (ap: Aanleverpunt) => loadRows(TABLES.audit, ap, AuditEntry),

    /** Deletes the audit entries recorded before `before` (ISO instant; the keys are time-ordered); returns how many. */
    async forgetAuditBefore(ap: Aanleverpunt, before: string): Promise<number> {
      const client = await table(TABLES.audit);
      const old: TransactionAction[] = [];
      for await (const e of client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${ap} and RowKey lt ${before}`, select: ["RowKey"] } })) {
        old.push(["delete", { partitionKey: ap, rowKey: e.rowKey! }]);
      }
      await writeBatched(client, old);
      return old.length;
    },

    /** The audit trail of an aanleverpunt with the moment of each entry, oldest first. */
    async loadAudit(ap: Aanleverpunt): Promise<TimedAuditEntry[]> {
      const rows = await readPartition<Row>(await table(TABLES.audit), ap);
      return rows.map((r) => ({ ...AuditEntry.parse(JSON.parse(r.data)), at: r.rowKey.split("|")[0] ?? "" }));
    },

    /** The instellingen of an aanleverpunt; undefined when none were saved (the defaults apply). */
    async loadInstellingen(ap: Aanleverpunt): Promise<unknown> {
      const row = await getEntityOrNull<Row>(await table(TABLES.instellingen), ap, "instellingen");
      return row ? JSON.parse(row.data) : undefined;
    },

    async saveInstellingen(ap: Aanleverpunt, instellingen: unknown): Promise<void> {
      await (await table(TABLES.instellingen)).upsertEntity({ partitionKey: ap, rowKey: "instellingen", data: json(instellingen) }, "Replace");
    },

    /** A school's relay's last health answer (its versions; shared by every aanleverpunt of the school). */
    async loadRelayContact(school: string): Promise<RelayContact | undefined> {
      const row = await getEntityOrNull<Row>(await table(TABLES.instellingen), "relay", safeRowKey(school));
      return row ? RelayContact.parse(JSON.parse(row.data)) : undefined;
    },

    async recordRelayContact(school: string, contact: RelayContact): Promise<void> {
      await (await table(TABLES.instellingen)).upsertEntity({ partitionKey: "relay", rowKey: safeRowKey(school), data: json(RelayContact.parse(contact)) }, "Replace");
    },

    loadOutbox: async (ap: Aanleverpunt) => (await loadRows(TABLES.lvsOutbox, ap, OutboxEntry)).sort((a, b) => a.volgorde - b.volgorde),

    /** Adds planned writes; an entry already there (an earlier attempt) is kept as it was. */
    async addToOutbox(ap: Aanleverpunt, entries: readonly OutboxEntry[]): Promise<void> {
      const client = await table(TABLES.lvsOutbox);
      const present = new Set((await readPartition<Row>(client, ap)).map((e) => e.rowKey));
      const tx: TransactionAction[] = entries.filter((e) => !present.has(safeRowKey(e.requestId))).map((e) => ["create", { partitionKey: ap, rowKey: safeRowKey(e.requestId), data: json(OutboxEntry.parse(e)) }]);
      await writeBatched(client, tx);
    },

    async recordOutboxResult(ap: Aanleverpunt, entry: OutboxEntry): Promise<void> {
      const client = await table(TABLES.lvsOutbox);
      await client.upsertEntity({ partitionKey: ap, rowKey: safeRowKey(entry.requestId), data: json(OutboxEntry.parse(entry)) }, "Replace");
    },

    /** The first day each open difference was seen (fingerprint → date): kept apart from the actions, so a deadline survives their deletion. */
    async loadFirstSeen(ap: Aanleverpunt): Promise<Record<string, string>> {
      const rows = await readPartition<Row>(await table(TABLES.firstSeen), ap);
      return Object.fromEntries(rows.map((r) => [r.rowKey, z.string().parse(JSON.parse(r.data))]));
    },

    /** Keeps exactly these first-seen days (differences that are gone are forgotten). No personal data: fingerprints are hashes. */
    async saveFirstSeen(ap: Aanleverpunt, firstSeen: Readonly<Record<string, string>>): Promise<void> {
      await replacePartition(TABLES.firstSeen, ap, new Map(Object.entries(firstSeen).map(([fp, day]) => [safeRowKey(fp), json(day)])));
    },

    /** The row problems of the last LVS2000 snapshot (replaced by each determination; no personal data). */
    async saveLvsProblems(ap: Aanleverpunt, problems: readonly LvsProblem[]): Promise<void> {
      await replacePartition(TABLES.lvsProblems, ap, new Map(problems.map((p, i) => [String(i).padStart(6, "0"), json(LvsProblem.parse(p))])));
    },

    loadLvsProblems: (ap: Aanleverpunt) => loadRows(TABLES.lvsProblems, ap, LvsProblem),

    /** The send batches of an aanleverpunt still to be delivered, in delivery order. */
    async loadOpenBatches(ap: Aanleverpunt): Promise<SendBatchRow[]> {
      const all = await loadRows(TABLES.sendBatches, ap, SendBatchRow);
      return all.filter((b) => b.status === "GEPLAND").sort((a, b) => a.volgorde - b.volgorde);
    },

    /** The number of batches ever recorded for an aanleverpunt (the next batch's volgorde). */
    async countBatches(ap: Aanleverpunt): Promise<number> {
      return (await readPartition<Row>(await table(TABLES.sendBatches), ap)).length;
    },

    /**
     * Records a batch and its mutations before the first delivery. Recording the same MessageID again
     * (a retry) keeps the first record and its payload: a retry sends exactly what was recorded.
     */
    async recordBatch(ap: Aanleverpunt, batch: Omit<SendBatchRow, "payloadBlob">, payload: unknown): Promise<SendBatchRow> {
      const client = await table(TABLES.sendBatches);
      const rowKey = safeRowKey(batch.messageId);
      const existing = await getEntityOrNull<Row>(client, ap, rowKey);
      if (existing) return SendBatchRow.parse(JSON.parse(existing.data));
      const payloadBlob = `send-batches/${ap}/${rowKey}.json`;
      const body = json(payload);
      await deps.blobs.createIfNotExists();
      await deps.blobs.getBlockBlobClient(payloadBlob).upload(body, Buffer.byteLength(body));
      const row = SendBatchRow.parse({ ...batch, payloadBlob });
      try {
        await client.createEntity({ partitionKey: ap, rowKey, data: json(row) });
      } catch (e) {
        if (!isConcurrencyFailure(e)) throw e;
        return SendBatchRow.parse(JSON.parse((await getEntityOrNull<Row>(client, ap, rowKey))!.data));
      }
      return row;
    },

    async readBatchPayload(batch: SendBatchRow): Promise<unknown> {
      if (batch.payloadBlob === null) throw new Error(`send batch ${batch.messageId} has no payload`);
      return JSON.parse((await deps.blobs.getBlockBlobClient(batch.payloadBlob).downloadToBuffer()).toString("utf8"));
    },

    /** A batch delivered (or refused by BRON): its status is kept, its mutations (personal data) deleted. */
    async closeBatch(ap: Aanleverpunt, batch: SendBatchRow, status: "VERZONDEN" | "GEWEIGERD"): Promise<void> {
      const client = await table(TABLES.sendBatches);
      await client.upsertEntity({ partitionKey: ap, rowKey: safeRowKey(batch.messageId), data: json(SendBatchRow.parse({ ...batch, status, payloadBlob: null })) }, "Replace");
      if (batch.payloadBlob !== null) await deps.blobs.getBlockBlobClient(batch.payloadBlob).deleteIfExists();
    },

    /** Clears outbox entries planned before `today` (their request ids are never planned again). */
    async clearOutboxBefore(ap: Aanleverpunt, today: string): Promise<void> {
      const client = await table(TABLES.lvsOutbox);
      const old = (await readPartition<Row>(client, ap)).filter((e) => OutboxEntry.parse(JSON.parse(e.data)).dag < today);
      await writeBatched(client, old.map((e): TransactionAction => ["delete", { partitionKey: ap, rowKey: e.rowKey }]));
    },
  };
}

export type StateStore = ReturnType<typeof createStateStore>;
