import { z } from "zod";
import { RelayQueueName } from "../../contracts/relay/queue-channel.js";
import { Aanleverpunt } from "../../core/model.js";
import type { TableClient } from "@azure/data-tables";
import { ensureTable, getEntityOrNull, readPartition, type TableFactory } from "./tables.js";

/**
 * The school registry (architecture.md "Storage layout", table `schools`): a school — or a board's
 * school — is data, not app settings: its name, BRINs, aanleverpunten, the relay channel its on-prem
 * relay polls, whom to notify, and its settings. Rows (PartitionKey `school`, RowKey the school id)
 * hold the record as JSON in `data`, re-validated with zod when read, so a corrupt row fails loudly.
 * An index partition (PartitionKey `aanleverpunt`, RowKey the code) finds a school by aanleverpunt
 * with one point read; the school row is the truth (an index row it does not confirm is ignored).
 */

export const SCHOOLS_TABLE = "schools";
const SCHOOL_PK = "school";
const INDEX_PK = "aanleverpunt";
/** index of registration codes: RowKey the code's SHA-256, `school` the school id */
const CODE_PK = "registratiecode";

/** A school id: lowercase letters and digits in hyphen-separated words (it names the school's queue and secrets). */
export const SchoolId = z.string().min(2).max(40).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "expected an id like school-a (a-z, 0-9, single hyphens)");
export type SchoolId = z.infer<typeof SchoolId>;

/** A Key Vault secret name (1–127 letters, digits, hyphens). */
const SecretName = z.string().regex(/^[0-9A-Za-z-]{1,127}$/, "expected a Key Vault secret name");

export const School = z
  .object({
    id: SchoolId,
    naam: z.string().trim().min(1).max(200),
    brins: z.array(z.string().regex(/^\d{2}[A-Z]{2}$/, "expected a BRIN like 12AB")).min(1).max(20),
    aanleverpunten: z.array(z.object({ code: Aanleverpunt, naam: z.string().max(200) })).min(1).max(200),
    /** how the cloud reaches this school's relay: its own request queue, and the Key Vault secret with its HMAC key */
    relay: z.object({
      kanaal: z.literal("wachtrij"),
      wachtrij: RelayQueueName,
      sleutelSecret: SecretName,
      /**
       * Key rotation (docs/relay.md "Sleutel vervangen"): the secret with the relay's next key, written by a
       * Beheerder with their own rights; handed to the relay on its next heartbeat signed with the current key,
       * and made current (it replaces `sleutelSecret`) by the first heartbeat signed with it.
       */
      nieuweSleutelSecret: SecretName.optional(),
    }),
    /** who gets this school's notifications (daily digest) */
    contact: z.object({ emails: z.array(z.string().email().max(254)).max(20) }),
    instellingen: z.object({
      /** whether the daily run includes this school (off while onboarding, or paused) */
      dagelijkseSync: z.boolean(),
    }),
    /**
     * Onboarding (docs/onboarding.md): the one-time registration code the school's IT enters when
     * installing the relay (`bronsync-relay register`) — only its SHA-256 is kept —, until when it may be
     * used, and when and from which server it was used (a used code is kept, to say so when it is tried again).
     */
    registratie: z
      .object({
        codeSha256: z.string().regex(/^[0-9a-f]{64}$/),
        geldigTot: z.string().datetime(),
        door: z.string().max(256),
        gebruiktOp: z.string().datetime().optional(),
        gebruiktDoor: z.string().max(255).optional(),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const codes = s.aanleverpunten.map((a) => a.code);
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: "custom", path: ["aanleverpunten"], message: "an aanleverpunt is listed twice" });
    for (const [i, code] of codes.entries()) {
      if (!s.brins.includes(code.slice(0, 4))) ctx.addIssue({ code: "custom", path: ["aanleverpunten", i, "code"], message: `aanleverpunt ${code} is not of one of the school's BRINs` });
    }
  });
export type School = z.infer<typeof School>;

/** The channel names a new school gets: its own queue and its own key secret. */
export function defaultRelayChannel(id: SchoolId): School["relay"] {
  return { kanaal: "wachtrij", wachtrij: `relay-${id}`, sleutelSecret: `relay-${id}-sleutel` };
}

export class SchoolConflictError extends Error {}
/** The school record changed since it was read (another request was first). */
export class SchoolChangedError extends Error {}

export interface SchoolStore {
  get(id: string): Promise<School | null>;
  /** The school an aanleverpunt belongs to, or null when none does. */
  byAanleverpunt(code: string): Promise<School | null>;
  /** Every school, by name. A corrupt row is left out (one school's bad record never stops the others' daily run); `get` of it fails loudly. */
  list(): Promise<School[]>;
  /**
   * Adds or replaces a school. Refused (SchoolConflictError) when one of its aanleverpunten belongs to
   * another school. Aanleverpunten it no longer lists are released.
   */
  put(school: School): Promise<void>;
  /**
   * The school whose registration code (open or used) has this SHA-256, or null: one point read (an anonymous
   * request never makes the service read every school). The school row is the truth: an index row of a
   * code it no longer holds is ignored.
   */
  byRegistratiecode(codeSha256: string): Promise<School | null>;
  /** The school with the ETag of its row, for a conditional `replace`. */
  getVersioned(id: string): Promise<{ school: School; etag: string } | null>;
  /**
   * Replaces a school's record only if its row is unchanged since `getVersioned` (same ETag); its
   * aanleverpunten must stay the same (use `put` to change them). SchoolChangedError when another was first.
   */
  replace(school: School, etag: string): Promise<void>;
}

type Row = { data: string };

function parseRow(data: unknown, where: string): School {
  const parsed = School.safeParse(typeof data === "string" ? safeJson(data) : undefined);
  if (!parsed.success) throw new Error(`corrupt school row ${where}: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const codeOf = (s: School | null): string | null => s?.registratie?.codeSha256 ?? null;

/**
 * Keeps the code index with the record: `before` the school row is written, its code is indexed (a
 * crash then leaves an index row the record does not confirm: ignored); `after` it is written, a code it
 * no longer holds is removed. A used code stays indexed, so a second use is told "al gebruikt".
 */
async function indexCode(t: TableClient, school: School, before: School | null, when: "before" | "after"): Promise<void> {
  const now = codeOf(school);
  if (when === "before" && now !== null) await t.upsertEntity({ partitionKey: CODE_PK, rowKey: now, school: school.id }, "Replace");
  const was = codeOf(before);
  if (when === "after" && was !== null && was !== now) await t.deleteEntity(CODE_PK, was).catch(() => undefined);
}

export function createSchoolStore(o: { tables: TableFactory }): SchoolStore {
  const client = o.tables(SCHOOLS_TABLE);
  const table = () => ensureTable(client);

  const store: SchoolStore = {
    async get(id) {
      if (!SchoolId.safeParse(id).success) return null;
      const row = await getEntityOrNull<Row>(await table(), SCHOOL_PK, id);
      return row ? parseRow(row.data, id) : null;
    },
    async byAanleverpunt(code) {
      if (!Aanleverpunt.safeParse(code).success) return null;
      const index = await getEntityOrNull<{ school: string }>(await table(), INDEX_PK, code);
      if (!index) return null;
      const school = await store.get(index.school);
      return school?.aanleverpunten.some((a) => a.code === code) ? school : null;
    },
    async byRegistratiecode(hash) {
      if (!/^[0-9a-f]{64}$/.test(hash)) return null;
      const index = await getEntityOrNull<{ school: string }>(await table(), CODE_PK, hash);
      if (!index) return null;
      const school = await store.get(index.school);
      return school?.registratie?.codeSha256 === hash ? school : null;
    },
    async list() {
      const rows = await readPartition<Row>(await table(), SCHOOL_PK);
      const schools = rows.flatMap((r) => {
        const parsed = School.safeParse(typeof r.data === "string" ? safeJson(r.data) : undefined);
        return parsed.success ? [parsed.data] : [];
      });
      return schools.sort((a, b) => a.naam.localeCompare(b.naam, "nl") || a.id.localeCompare(b.id));
    },
    async put(input) {
      const school = School.parse(input);
      const t = await table();
      for (const a of school.aanleverpunten) {
        const owner = await getEntityOrNull<{ school: string }>(t, INDEX_PK, a.code);
        if (owner && owner.school !== school.id) {
          const other = await store.get(owner.school);
          if (other?.aanleverpunten.some((x) => x.code === a.code)) throw new SchoolConflictError(`aanleverpunt ${a.code} hoort al bij school ${other.naam}`);
        }
      }
      const before = await store.get(school.id);
      // index first: a crash in between leaves an index row the school row does not confirm (ignored)
      for (const a of school.aanleverpunten) await t.upsertEntity({ partitionKey: INDEX_PK, rowKey: a.code, school: school.id }, "Replace");
      await indexCode(t, school, before, "before");
      await t.upsertEntity({ partitionKey: SCHOOL_PK, rowKey: school.id, data: JSON.stringify(school) }, "Replace");
      await indexCode(t, school, before, "after");
      for (const gone of before?.aanleverpunten.filter((a) => !school.aanleverpunten.some((x) => x.code === a.code)) ?? []) {
        await t.deleteEntity(INDEX_PK, gone.code).catch(() => undefined);
      }
    },
    async getVersioned(id) {
      if (!SchoolId.safeParse(id).success) return null;
      const row = await getEntityOrNull<Row>(await table(), SCHOOL_PK, id);
      return row ? { school: parseRow(row.data, id), etag: String(row.etag) } : null;
    },
    async replace(input, etag) {
      const school = School.parse(input);
      const before = await store.get(school.id);
      const codes = (s: School) => s.aanleverpunten.map((a) => a.code).sort().join(",");
      if (!before || codes(before) !== codes(school)) throw new Error(`replace of school ${school.id} may not change its aanleverpunten`);
      const t = await table();
      await indexCode(t, school, before, "before");
      try {
        await t.updateEntity({ partitionKey: SCHOOL_PK, rowKey: school.id, data: JSON.stringify(school) }, "Replace", { etag });
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 412) throw new SchoolChangedError(`school ${school.id} changed meanwhile`);
        throw e;
      }
      await indexCode(t, school, before, "after");
    },
  };
  return store;
}
