import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import { addMonths, convertValue, dateKey, parseDateTimeText } from "./convert.js";
import { formatJsDate, parseStoredDateTime } from "./datetime.js";
import { SqlError, Unsupported } from "./sql-error.js";

/** What the T-SQL built-ins read from the session that runs the current statement. */
export interface FunctionContext {
  scopeIdentity: number | null;
  rowCount: number;
  tranCount: number;
  spid: number;
  database: string;
  login: string;
  lastError: number;
  /** the error the running CATCH block handles */
  caught: { number: number; message: string; severity: number; state: number } | undefined;
  /** lower-case table/view name → object id, refreshed when the schema changes */
  objectIds: Map<string, number>;
}

/** A date/time argument: stored text, or a character string read with SQL Server's literal rules (241 when impossible). */
function asDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  const text = String(v);
  const stored = parseStoredDateTime(text);
  if (stored) return new Date(stored.epochDay * 86_400_000 + stored.ticks / 10_000);
  const p = parseDateTimeText(text);
  return new Date(p.day * 86_400_000 + p.ticks / 10_000);
}

const UNIT_MS: Record<string, number> = { DAY: 86_400_000, DD: 86_400_000, D: 86_400_000, HOUR: 3_600_000, HH: 3_600_000, MINUTE: 60_000, MI: 60_000, N: 60_000, SECOND: 1000, SS: 1000, S: 1000, MILLISECOND: 1, MS: 1, WEEK: 7 * 86_400_000, WK: 7 * 86_400_000 };
const MONTHS: Record<string, number> = { MONTH: 1, MM: 1, M: 1, QUARTER: 3, QQ: 3, Q: 3, YEAR: 12, YY: 12, YYYY: 12 };

const DAY_UNITS = new Set(["YEAR", "YY", "YYYY", "QUARTER", "QQ", "Q", "MONTH", "MM", "M", "DAY", "DD", "D", "WEEK", "WK", "WW", "DAYOFYEAR", "DY", "Y", "WEEKDAY", "DW", "W"]);

/** DATEADD: months (and quarters, years) keep the day or clamp it to the month's last day, as SQL Server does. */
function dateAdd(unit: string, n: number, d: Date): Date {
  const u = unit.toUpperCase();
  const months = MONTHS[u];
  if (months) {
    const ms = d.getTime();
    const day = Math.floor(ms / 86_400_000);
    return new Date(addMonths(day, Math.trunc(n) * months) * 86_400_000 + (ms - day * 86_400_000));
  }
  const unitMs = UNIT_MS[u] ?? (["DAYOFYEAR", "DY", "Y", "WEEKDAY", "DW", "W"].includes(u) ? 86_400_000 : undefined);
  if (unitMs === undefined) throw new Unsupported(`DATEADD with datepart ${unit} is not supported by this test server.`);
  return new Date(d.getTime() + Math.trunc(n) * unitMs);
}

function dateDiff(unit: string, a: Date, b: Date): number {
  const u = unit.toUpperCase();
  const months = MONTHS[u];
  if (months) return Math.floor(((b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth()) / months);
  const ms = UNIT_MS[u] ?? 86_400_000;
  return Math.floor(b.getTime() / ms) - Math.floor(a.getTime() / ms);
}

/**
 * Registers the T-SQL built-ins SQLite lacks, as SQLite functions (names are case-insensitive), plus the
 * helpers the rewrites use (tds_rowcount for @@ROWCOUNT, tds_next_rowversion for ROWVERSION columns).
 * Date/time values are text in the stored form ("YYYY-MM-DD HH:MM:SS.fff", UTC).
 */
export function registerFunctions(db: Database, ctx: () => FunctionContext, nextRowVersion: () => Buffer): void {
  const now = () => formatJsDate(new Date(), 3);
  const nondeterministic = { deterministic: false } as const;
  for (const name of ["GETDATE", "GETUTCDATE", "SYSDATETIME", "SYSUTCDATETIME"]) db.function(name, nondeterministic, now);
  db.function("NEWID", nondeterministic, () => randomUUID().toUpperCase());
  db.function("SCOPE_IDENTITY", nondeterministic, () => ctx().scopeIdentity);
  db.function("tds_rowcount", nondeterministic, () => ctx().rowCount);
  db.function("tds_trancount", nondeterministic, () => ctx().tranCount);
  db.function("tds_spid", nondeterministic, () => ctx().spid);
  db.function("tds_error", nondeterministic, () => ctx().lastError);
  db.function("ERROR_NUMBER", nondeterministic, () => ctx().caught?.number ?? null);
  db.function("ERROR_MESSAGE", nondeterministic, () => ctx().caught?.message ?? null);
  db.function("ERROR_SEVERITY", nondeterministic, () => ctx().caught?.severity ?? null);
  db.function("ERROR_STATE", nondeterministic, () => ctx().caught?.state ?? null);
  db.function("XACT_STATE", nondeterministic, () => (ctx().tranCount > 0 ? 1 : 0));
  db.function("tds_version", () => "Microsoft SQL Server 2022 (wire-level TDS test server over SQLite — not SQL Server)");
  db.function("DB_NAME", nondeterministic, () => ctx().database);
  db.function("SUSER_SNAME", nondeterministic, () => ctx().login);
  db.function("tds_next_rowversion", nondeterministic, nextRowVersion);
  db.function("OBJECT_ID", { deterministic: false, varargs: true }, (name: unknown) => {
    const bare = String(name).split(".").pop()?.replace(/^\[|\]$/g, "").toLowerCase() ?? "";
    return ctx().objectIds.get(bare) ?? null;
  });
  db.function("LEN", (s: unknown) => (s === null ? null : String(s).replace(/ +$/, "").length));
  db.function("DATALENGTH", (s: unknown) => (s === null ? null : Buffer.isBuffer(s) ? s.length : typeof s === "string" ? s.length * 2 : 8));
  db.function("CHARINDEX", { varargs: true }, (needle: unknown, hay: unknown, start?: unknown) => {
    if (needle === null || hay === null) return null;
    return String(hay).toLowerCase().indexOf(String(needle).toLowerCase(), Math.max(0, Number(start ?? 1) - 1)) + 1;
  });
  db.function("DATEADD", (unit: unknown, n: unknown, d: unknown) => {
    const date = asDate(d);
    if (!date || n === null) return null;
    const result = dateAdd(String(unit), Number(n), date);
    const text = String(d);
    // the result has the type of the date argument: DATE stays a date, DATETIME2(n) keeps its digits
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      if (!DAY_UNITS.has(String(unit).toUpperCase())) throw new SqlError(9810, `The datepart ${String(unit).toLowerCase()} is not supported by date function dateadd for data type date.`);
      return formatJsDate(result, 0).slice(0, 10);
    }
    const digits = /\.(\d+)$/.exec(text)?.[1]?.length ?? 3;
    return digits > 3 ? convertValue(`DATETIME2(${digits})`, `${formatJsDate(result, 3)}${text.slice(-(digits - 3))}`, null, 0, null) : formatJsDate(result, 3);
  });
  db.function("tds_convert", { varargs: true, safeIntegers: true }, (type: unknown, value: unknown, style: unknown, attempt: unknown, source: unknown) =>
    convertValue(String(type), value, style, attempt, source) as string | number | bigint | null);
  db.function("tds_datekey", (v: unknown) => dateKey(v));
  db.function("tds_nz", { safeIntegers: true }, (v: unknown) => {
    if (v !== null && Number(v) === 0 && !(typeof v === "string" && v.trim() === "")) throw new SqlError(8134, "Divide by zero error encountered.");
    return v as string | number | bigint | null;
  });
  db.function("DATEDIFF", (unit: unknown, a: unknown, b: unknown) => {
    const [x, y] = [asDate(a), asDate(b)];
    return x && y ? dateDiff(String(unit), x, y) : null;
  });
  db.function("LEFT", (s: unknown, n: unknown) => (s === null ? null : String(s).slice(0, Math.max(0, Number(n)))));
  db.function("RIGHT", (s: unknown, n: unknown) => (s === null ? null : Number(n) <= 0 ? "" : String(s).slice(-Number(n))));
  db.function("REPLICATE", (s: unknown, n: unknown) => (s === null ? null : String(s).repeat(Math.max(0, Number(n)))));
  db.function("SPACE", (n: unknown) => " ".repeat(Math.max(0, Number(n))));
  db.function("ISNUMERIC", (s: unknown) => (s !== null && String(s).trim() !== "" && Number.isFinite(Number(s)) ? 1 : 0));
  db.function("DATEFROMPARTS", (y: unknown, m: unknown, d: unknown) =>
    [y, m, d].some((x) => x === null) ? null : `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
  );
  db.function("YEAR", (d: unknown) => asDate(d)?.getUTCFullYear() ?? null);
  db.function("MONTH", (d: unknown) => { const x = asDate(d); return x ? x.getUTCMonth() + 1 : null; });
  db.function("DAY", (d: unknown) => asDate(d)?.getUTCDate() ?? null);
}

/** Views that stand in for sys.tables, sys.objects, sys.columns, sys.indexes and INFORMATION_SCHEMA (TEMP, so never stored). */
export const SYSTEM_VIEWS = `
CREATE TEMP VIEW IF NOT EXISTS tds_sys_tables AS SELECT name, rowid AS object_id, 1 AS schema_id, 'U' AS type, 'USER_TABLE' AS type_desc FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%';
CREATE TEMP VIEW IF NOT EXISTS tds_sys_objects AS SELECT name, rowid AS object_id, 1 AS schema_id, CASE type WHEN 'table' THEN 'U' WHEN 'view' THEN 'V' WHEN 'trigger' THEN 'TR' ELSE 'IX' END AS type FROM main.sqlite_schema WHERE name NOT LIKE 'sqlite_%';
CREATE TEMP VIEW IF NOT EXISTS tds_sys_columns AS SELECT c.name AS name, m.rowid AS object_id, c.cid + 1 AS column_id, c.type AS type_name, CASE c."notnull" WHEN 1 THEN 0 ELSE 1 END AS is_nullable FROM main.sqlite_schema m JOIN pragma_table_info(m.name) c WHERE m.type = 'table';
CREATE TEMP VIEW IF NOT EXISTS tds_sys_indexes AS SELECT name, (SELECT rowid FROM main.sqlite_schema t WHERE t.name = i.tbl_name) AS object_id, CASE WHEN sql LIKE 'CREATE UNIQUE%' THEN 1 ELSE 0 END AS is_unique FROM main.sqlite_schema i WHERE type = 'index';
CREATE TEMP VIEW IF NOT EXISTS tds_information_schema_tables AS SELECT 'dbo' AS TABLE_SCHEMA, name AS TABLE_NAME, CASE type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END AS TABLE_TYPE FROM main.sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%';
CREATE TEMP VIEW IF NOT EXISTS tds_information_schema_columns AS SELECT 'dbo' AS TABLE_SCHEMA, m.name AS TABLE_NAME, c.name AS COLUMN_NAME, c.cid + 1 AS ORDINAL_POSITION, lower(c.type) AS DATA_TYPE, CASE c."notnull" WHEN 1 THEN 'NO' ELSE 'YES' END AS IS_NULLABLE FROM main.sqlite_schema m JOIN pragma_table_info(m.name) c WHERE m.type = 'table';
`;
