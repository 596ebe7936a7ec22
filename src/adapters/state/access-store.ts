import { odata } from "@azure/data-tables";
import { z } from "zod";
import { subjectKey, Toewijzing } from "../../core/access.js";
import { SCHOOLS_TABLE } from "./schools.js";
import { ensureTable, getEntityOrNull, readPartition, safeRowKey, type TableFactory } from "./tables.js";

/**
 * What access control reads from Table Storage (architecture.md "Access"):
 *
 * - `assignments`: which schools a person or Entra group may touch. PartitionKey = the subject
 *   (`persoon:<e-mail or object id>` / `groep:<object id>`, lower case, encoded as a key), RowKey = the
 *   school id, `data` = the assignment as JSON plus who made it and when. A person's assignments are
 *   found with one query over their own few partitions, not a scan.
 * - `schools` (the school registry, written by onboarding): PartitionKey `school`, RowKey the school
 *   id, `data` JSON with at least `naam` and `aanleverpunten` (codes, or objects with a `code`); an
 *   index partition `aanleverpunt` (RowKey the code, property `school`) finds the school of an
 *   aanleverpunt with one point read. The school row is the truth: an index row it does not confirm
 *   is ignored.
 */

export const ASSIGNMENTS_TABLE = "assignments";
export { SCHOOLS_TABLE };
const SCHOOL_PK = "school";
const INDEX_PK = "aanleverpunt";

const AssignmentRow = Toewijzing.extend({ door: z.string(), op: z.string() });
export type AssignmentRow = z.infer<typeof AssignmentRow>;

export interface AssignmentStore {
  /** the assignments stored under these subject keys (core/access.ts subjectsOf) */
  forSubjects(subjects: readonly string[]): Promise<Toewijzing[]>;
  list(): Promise<AssignmentRow[]>;
  /** false when it was there already */
  add(t: Toewijzing, door: string, at: Date): Promise<boolean>;
  /** false when there was none */
  remove(t: Toewijzing): Promise<boolean>;
}

const partitionOf = (t: Pick<Toewijzing, "soort" | "wie">) => safeRowKey(subjectKey(t.soort, t.wie));
/** Partitions per query: keeps the filter short; a person has a handful of keys (name, id, groups). */
const KEYS_PER_QUERY = 15;

export function createAssignmentStore(o: { tables: TableFactory }): AssignmentStore {
  const client = o.tables(ASSIGNMENTS_TABLE);
  const table = () => ensureTable(client);
  const parse = (data: unknown) => AssignmentRow.parse(JSON.parse(String(data)));
  return {
    async forSubjects(subjects) {
      const t = await table();
      const keys = [...new Set(subjects.map((s) => safeRowKey(s)))];
      const out: Toewijzing[] = [];
      for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
        const chunk = keys.slice(i, i + KEYS_PER_QUERY);
        const filter = chunk.map((k) => odata`PartitionKey eq ${k}`).join(" or ");
        for await (const e of t.listEntities<{ data: string }>({ queryOptions: { filter } })) {
          const { soort, wie, school } = parse(e.data);
          out.push({ soort, wie, school });
        }
      }
      return out;
    },
    async list() {
      const out: AssignmentRow[] = [];
      for await (const e of (await table()).listEntities<{ data: string }>()) out.push(parse(e.data));
      return out.sort((a, b) => a.school.localeCompare(b.school) || a.soort.localeCompare(b.soort) || a.wie.localeCompare(b.wie));
    },
    async add(t, door, at) {
      const row = AssignmentRow.parse({ ...t, door, op: at.toISOString() });
      try {
        await (await table()).createEntity({ partitionKey: partitionOf(t), rowKey: safeRowKey(t.school), data: JSON.stringify(row) });
        return true;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 409) return false;
        throw e;
      }
    },
    async remove(t) {
      const c = await table();
      const pk = partitionOf(t);
      const rk = safeRowKey(t.school);
      if (!(await getEntityOrNull(c, pk, rk))) return false;
      await c.deleteEntity(pk, rk).catch((e: unknown) => {
        if ((e as { statusCode?: number }).statusCode !== 404) throw e;
      });
      return true;
    },
  };
}

// ---- the school registry, as access control reads it ------------------------------------------

export interface SchoolRef {
  id: string;
  naam: string;
}

/** The part of a school row access control needs; the registry's full record has more (relay, contacts, settings). */
const SchoolData = z.object({
  naam: z.string(),
  aanleverpunten: z.array(z.union([z.string(), z.object({ code: z.string() })])),
});

export interface SchoolDirectory {
  /** the school an aanleverpunt belongs to, or null when none does */
  schoolOf(aanleverpunt: string): Promise<SchoolRef | null>;
  /** every school with its aanleverpunten (for filtering lists and the assignment page) */
  list(): Promise<(SchoolRef & { aanleverpunten: string[] })[]>;
}

const codesOf = (d: z.infer<typeof SchoolData>) => d.aanleverpunten.map((a) => (typeof a === "string" ? a : a.code));

export function createSchoolDirectory(o: { tables: TableFactory }): SchoolDirectory {
  const client = o.tables(SCHOOLS_TABLE);
  const table = () => ensureTable(client);
  const read = (id: string, data: unknown) => {
    const parsed = SchoolData.safeParse(typeof data === "string" ? safeJson(data) : undefined);
    if (!parsed.success) throw new Error(`corrupt school row ${id}`);
    return parsed.data;
  };
  return {
    async schoolOf(aanleverpunt) {
      const t = await table();
      const index = await getEntityOrNull<{ school?: unknown }>(t, INDEX_PK, safeRowKey(aanleverpunt));
      if (typeof index?.school !== "string") return null;
      const row = await getEntityOrNull<{ data?: unknown }>(t, SCHOOL_PK, safeRowKey(index.school));
      if (!row) return null;
      const school = read(index.school, row.data);
      return codesOf(school).includes(aanleverpunt) ? { id: index.school, naam: school.naam } : null;
    },
    async list() {
      const rows = await readPartition<{ data?: unknown }>(await table(), SCHOOL_PK);
      return rows.map((r) => {
        const d = read(r.rowKey, r.data);
        return { id: r.rowKey, naam: d.naam, aanleverpunten: codesOf(d) };
      });
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
