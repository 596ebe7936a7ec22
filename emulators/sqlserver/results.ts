import type { Statement } from "better-sqlite3";
import { inferType, typeFromDeclaration, writeTypeInfo, writeValue, type ColumnType } from "./column-types.js";
import type { MessageWriter } from "./packets.js";
import { Token } from "./tokens.js";
import type { SelectItem } from "./tsql/select-list.js";

const SAMPLE_ROWS = 50;
const ROWS_PER_FLUSH = 32;

/** SQL Server gives computed columns without an alias no name; SQLite names them after the expression (fallback when the select list could not be read). */
function columnName(name: string, column: string | null): string {
  if (column !== null) return name;
  return /^[\p{L}_][\p{L}\p{N}_$#]*$/u.test(name) ? name : "";
}

/**
 * Streams a query's result set: COLMETADATA, then one ROW per SQLite row, sending every full packet as it
 * fills and waiting for the socket when the client reads slowly. Types come from the declared column types;
 * computed columns are typed from their first non-NULL value (up to 50 rows are looked at).
 * Returns the number of rows sent; stops early when `cancelled()` turns true.
 */
export async function streamResultSet(
  stmt: Statement,
  bind: unknown[],
  out: MessageWriter,
  cancelled: () => boolean,
  hints: readonly SelectItem[] | undefined = undefined,
): Promise<number> {
  stmt.raw(true);
  stmt.safeIntegers(true);
  const columns = stmt.columns();
  const iterator = stmt.iterate(...bind) as IterableIterator<unknown[]>;
  const buffered: unknown[][] = [];
  const declared = columns.map((c, i) => typeFromDeclaration(c.type ?? hints?.[i]?.type));
  let exhausted = false;
  while (declared.some((t, i) => t === undefined && !buffered.some((r) => r[i] !== null)) && buffered.length < SAMPLE_ROWS) {
    const next = iterator.next();
    if (next.done) { exhausted = true; break; }
    buffered.push(next.value);
  }
  const types: ColumnType[] = declared.map((t, i) => t ?? inferType(buffered.find((r) => r[i] !== null)?.[i]));
  const w = out.out;
  w.u8(Token.COLMETADATA).u16(columns.length);
  columns.forEach((c, i) => {
    w.u32(0).u16(0x0001 | 0x0008);
    writeTypeInfo(w, types[i] as ColumnType);
    const named = hints?.[i]?.named;
    w.bVarchar(named === undefined ? columnName(c.name, c.column) : named ? c.name : "");
  });
  let count = 0;
  const writeRow = (row: unknown[]) => {
    const at = w.length;
    try {
      w.u8(Token.ROW);
      for (let i = 0; i < types.length; i++) writeValue(w, types[i] as ColumnType, row[i]);
    } catch (e) {
      w.length = at;
      throw e;
    }
    count++;
  };
  try {
    for (const row of buffered) writeRow(row);
    if (!exhausted) {
      for (let next = iterator.next(); !next.done; next = iterator.next()) {
        writeRow(next.value);
        if (count % ROWS_PER_FLUSH === 0) {
          await out.flushIfBusy();
          if (cancelled()) break;
        }
      }
    }
  } finally {
    iterator.return?.();
  }
  return count;
}
