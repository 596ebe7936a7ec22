import { SqlError, Unsupported } from "./sql-error.js";

/** The name of a CREATE UNIQUE INDEX on exactly these columns of the table (SQL Server reports those as 2601). */
export type UniqueIndexLookup = (table: string, columns: string[]) => string | undefined;

interface SqliteLikeError {
  code?: string;
  message: string;
}

/** True for errors after which SQL Server carries on with the next statement of the batch (constraint violations). */
export function isStatementLevel(e: SqlError): boolean {
  if (e instanceof Unsupported) return false;
  return [2627, 2601, 2628, 515, 547, 8115, 8134, 241, 242, 245, 248, 529, 8114, 8169, 9810].includes(e.number) || e.number >= 50000;
}

/**
 * Translates a SQLite error into the SQL Server error a client would see for the same fault, so code
 * that branches on `err.number` (2627 duplicate key in a PRIMARY KEY/UNIQUE constraint, 2601 in a unique
 * index, 515 NULL, 547 FK/CHECK, 208 unknown table, 207 unknown column, 102 syntax) can be tested here.
 */
export function toSqlError(e: unknown, database: string, uniqueIndex: UniqueIndexLookup = () => undefined): SqlError {
  if (e instanceof SqlError) return e;
  if (e instanceof SyntaxError) return new SqlError(102, e.message, 15);
  const err = e as SqliteLikeError;
  const msg = err.message ?? String(e);
  const code = err.code ?? "";
  const columnRef = /failed: ([^\s,]+)\.([^\s,]+)/.exec(msg);
  const table = columnRef?.[1] ?? "?";
  const column = columnRef?.[2] ?? "?";
  if (code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return new SqlError(2627, `Violation of PRIMARY KEY constraint 'PK_${table}'. Cannot insert duplicate key in object 'dbo.${table}'.`, 14);
  }
  if (code === "SQLITE_CONSTRAINT_UNIQUE") {
    const columns = [...msg.matchAll(/([^\s,:]+)\.([^\s,]+)/g)].map((m) => (m[2] ?? "").toLowerCase());
    const index = uniqueIndex(table, columns);
    if (index) return new SqlError(2601, `Cannot insert duplicate key row in object 'dbo.${table}' with unique index '${index}'.`, 14);
    return new SqlError(2627, `Violation of UNIQUE KEY constraint 'UQ_${table}_${column}'. Cannot insert duplicate key in object 'dbo.${table}'. (${msg})`, 14);
  }
  if (code === "SQLITE_CONSTRAINT_NOTNULL") {
    return new SqlError(515, `Cannot insert the value NULL into column '${column}', table '${database}.dbo.${table}'; column does not allow nulls. INSERT fails.`, 16, 2);
  }
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") return new SqlError(547, `The statement conflicted with the FOREIGN KEY constraint. (${msg})`);
  const tooLong = /CHECK constraint failed: tds_len_(.+)$/.exec(msg);
  if (tooLong) return new SqlError(2628, `String or binary data would be truncated in table '${database}.dbo.?', column '${tooLong[1]}'.`, 16, 1);
  if (code === "SQLITE_CONSTRAINT_CHECK") return new SqlError(547, `The statement conflicted with the CHECK constraint. (${msg})`);
  let m = /no such table: (?:\w+\.)?(.+)$/.exec(msg);
  if (m) return new SqlError(208, `Invalid object name '${m[1]}'.`);
  m = /no such column: (.+)$/.exec(msg);
  if (m) return new SqlError(207, `Invalid column name '${m[1]}'.`);
  m = /near "(.*)": syntax error/.exec(msg);
  if (m) return new SqlError(102, `Incorrect syntax near '${m[1]}'.`, 15);
  if (/already exists/.test(msg)) return new SqlError(2714, `There is already an object named in the database. (${msg})`);
  if (/busy|locked/i.test(msg)) return new SqlError(1205, `Transaction was deadlocked on lock resources. (${msg})`, 13);
  return new SqlError(50000, `${msg} (SQLite)`);
}
