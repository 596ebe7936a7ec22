import type { Database } from "better-sqlite3";
import type { ByteWriter } from "./bytes.js";
import { inferType, writeTypeInfo, writeValue, type ColumnType } from "./column-types.js";
import { formatJsDate } from "./datetime.js";
import { Done, Token, writeDone } from "./tokens.js";

/** What a JS stand-in for a stored procedure returns: result sets (rows as objects) and a return status. */
export interface ProcedureResult {
  resultSets?: Array<Array<Record<string, unknown>>>;
  returnStatus?: number;
}

/**
 * A stored procedure answered in JS (tedious `callProcedure`): gets the parameters (lower-case names,
 * values as stored: dates as ISO text) and the database. T-SQL procedure bodies cannot run on SQLite.
 */
export type ProcedureHandler = (params: Readonly<Record<string, unknown>>, db: Database) => ProcedureResult | void;

/** Finds a handler by name, ignoring case, brackets and a dbo. prefix. */
export function findProcedure(procedures: Record<string, ProcedureHandler> | undefined, name: string): ProcedureHandler | undefined {
  const bare = (n: string) => n.replace(/[[\]]/g, "").replace(/^dbo\./i, "").toLowerCase();
  const key = Object.keys(procedures ?? {}).find((k) => bare(k) === bare(name));
  return key === undefined ? undefined : procedures?.[key];
}

function stored(v: unknown): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return formatJsDate(v, 3);
  return v;
}

function typeOf(rows: Array<Record<string, unknown>>, column: string): ColumnType {
  const sample = rows.map((r) => r[column]).find((v) => v !== null && v !== undefined);
  if (typeof sample === "boolean") return { kind: "bit" };
  return inferType(stored(sample));
}

/** One result set from JS rows: columns from the first row, types from the first non-NULL value per column. */
export function writeJsResultSet(w: ByteWriter, rows: Array<Record<string, unknown>>): void {
  const columns = Object.keys(rows[0] ?? {});
  const types = columns.map((c) => typeOf(rows, c));
  w.u8(Token.COLMETADATA).u16(columns.length);
  columns.forEach((c, i) => {
    w.u32(0).u16(0x0001);
    writeTypeInfo(w, types[i] as ColumnType);
    w.bVarchar(c);
  });
  for (const row of rows) {
    w.u8(Token.ROW);
    columns.forEach((c, i) => writeValue(w, types[i] as ColumnType, stored(row[c])));
  }
  writeDone(w, Token.DONEINPROC, Done.MORE | Done.COUNT, rows.length);
}
