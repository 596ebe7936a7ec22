import { SqlError } from "../sql-error.js";
import { rewriteCasts } from "./casts.js";
import { rewriteDdl } from "./ddl.js";
import { selectListInfo, type SelectItem } from "./select-list.js";
import { typeDates, type ColumnTypes } from "./typing.js";
import { rewriteUpdateFrom } from "./update-from.js";
import { isPunct, kw, render, tok, type Tok } from "./tokenize.js";

/** A statement ready for SQLite, with what the executor needs to know about it. */
export interface Rewritten {
  sql: string;
  /** first keyword: SELECT, INSERT, UPDATE, DELETE, CREATE, … */
  verb: string;
  /** extra SQLite statements to run after this one (triggers for ROWVERSION columns) */
  after: string[];
  /** what the select list says about the result columns (types of CAST items, unnamed expressions) */
  columns: SelectItem[] | undefined;
  /** TRUNCATE TABLE: the table whose IDENTITY starts again at its seed */
  resetIdentity?: string;
}

const TABLE_HINTS = new Set(["NOLOCK", "UPDLOCK", "ROWLOCK", "HOLDLOCK", "READPAST", "XLOCK", "TABLOCK", "TABLOCKX", "PAGLOCK", "NOWAIT", "READCOMMITTED", "READUNCOMMITTED", "REPEATABLEREAD", "SERIALIZABLE", "SNAPSHOT", "INDEX"]);
const DATE_FUNCS = new Set(["DATEADD", "DATEDIFF", "DATEPART", "DATENAME", "DATETRUNC"]);
const SYS_VIEWS: Record<string, string> = {
  "SYS.TABLES": "tds_sys_tables", "SYS.OBJECTS": "tds_sys_objects", "SYS.COLUMNS": "tds_sys_columns", "SYS.INDEXES": "tds_sys_indexes", "SYS.DATABASES": "tds_sys_databases",
  "INFORMATION_SCHEMA.TABLES": "tds_information_schema_tables", "INFORMATION_SCHEMA.COLUMNS": "tds_information_schema_columns",
};
const GLOBALS: Record<string, string> = {
  "@@IDENTITY": "SCOPE_IDENTITY", "@@ROWCOUNT": "tds_rowcount", "@@TRANCOUNT": "tds_trancount", "@@VERSION": "tds_version", "@@SPID": "tds_spid", "@@ERROR": "tds_error",
};

function isName(t: Tok | undefined): boolean {
  return !!t && (t.kind === "word" || t.kind === "quoted");
}

/** Drops "dbo." and "Database.dbo." qualifiers; maps sys.* / INFORMATION_SCHEMA.* to the emulation views. */
function stripSchemas(input: Tok[]): Tok[] {
  const t = [...input];
  const out: Tok[] = [];
  const skip = (i: number, n: number) => {
    const next = t[i + n];
    if (next) t[i + n] = { ...next, sp: (t[i] as Tok).sp, nl: (t[i] as Tok).nl };
  };
  for (let i = 0; i < t.length; i++) {
    const a = t[i] as Tok;
    const up = a.text.toUpperCase();
    if (isName(a) && isPunct(t[i + 1], ".") && isName(t[i + 2]) && isPunct(t[i + 3], ".") && t[i + 2]?.text.toLowerCase() === "dbo") { skip(i, 4); i += 3; continue; }
    if (isName(a) && up === "DBO" && isPunct(t[i + 1], ".")) { skip(i, 2); i += 1; continue; }
    if (isName(a) && isPunct(t[i + 1], ".") && isName(t[i + 2])) {
      const view = SYS_VIEWS[`${up}.${t[i + 2]?.text.toUpperCase()}`];
      if (view) { out.push({ ...a, kind: "word", text: `temp.${view}` }); i += 2; continue; }
    }
    out.push(a);
  }
  return out;
}

/** Function and operator spellings SQLite lacks or reads differently. */
function mapExpressions(t: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < t.length; i++) {
    const a = t[i] as Tok;
    const k = kw(a);
    if (k === "WITH" && isPunct(t[i + 1], "(") && TABLE_HINTS.has(kw(t[i + 2]))) {
      while (i < t.length && !isPunct(t[i], ")")) i++;
      continue;
    }
    if (a.kind === "param") {
      const g = GLOBALS[a.text.toUpperCase()];
      if (g) { out.push({ ...a, kind: "word", text: g }, tok("punct", "("), tok("punct", ")")); continue; }
      out.push({ ...a, text: a.text.toLowerCase() });
      continue;
    }
    if (k === "ISNULL" && isPunct(t[i + 1], "(")) { out.push({ ...a, text: "IFNULL" }); continue; }
    if (k === "OPTION" && isPunct(t[i + 1], "(")) {
      // query hints (OPTION (RECOMPILE), …) mean nothing here
      for (let depth = 0; i < t.length; i++) {
        if (isPunct(t[i], "(")) depth++;
        if (isPunct(t[i], ")") && --depth === 0) break;
      }
      continue;
    }
    if (DATE_FUNCS.has(k) && isPunct(t[i + 1], "(") && t[i + 2]?.kind === "word") {
      out.push(a, t[i + 1] as Tok, { ...(t[i + 2] as Tok), kind: "string" });
      i += 2;
      continue;
    }
    if (isPunct(a, "(") && kw(t[i + 1]) === "MAX" && isPunct(t[i + 2], ")")) { out.push(a, tok("number", "-1"), t[i + 2] as Tok); i += 2; continue; }
    if (isPunct(a, "+") && (t[i - 1]?.kind === "string" || t[i + 1]?.kind === "string")) { out.push({ ...a, text: "||" }); continue; }
    out.push(a);
  }
  return out;
}

/** Index of the end of the query expression that starts at `from` (exclusive). */
function scopeEnd(t: Tok[], from: number): number {
  let depth = 0;
  for (let i = from; i < t.length; i++) {
    if (isPunct(t[i], "(")) depth++;
    if (isPunct(t[i], ")")) { if (depth === 0) return i; depth--; }
    if (depth === 0 && (isPunct(t[i], ";") || ["UNION", "EXCEPT", "INTERSECT"].includes(kw(t[i])))) return i;
  }
  return t.length;
}

/** SELECT TOP n … → SELECT … LIMIT n (at the end of that SELECT). */
function rewriteTop(t: Tok[]): Tok[] {
  for (let i = 0; i < t.length; i++) {
    if (kw(t[i]) !== "SELECT") continue;
    let j = i + 1;
    if (kw(t[j]) === "DISTINCT" || kw(t[j]) === "ALL") j++;
    if (kw(t[j]) !== "TOP") continue;
    let count: Tok[];
    let len: number;
    if (isPunct(t[j + 1], "(")) {
      const close = scopeEnd(t, j + 2);
      count = t.slice(j + 1, close + 1);
      len = close - j + 1;
    } else {
      count = [t[j + 1] as Tok];
      len = 2;
    }
    if (kw(t[j + len]) === "PERCENT") throw new SqlError(102, "TOP … PERCENT is not supported by this test server.", 15);
    const rest = [...t.slice(0, j), ...t.slice(j + len)];
    const end = scopeEnd(rest, i + 1);
    return rewriteTop([...rest.slice(0, end), tok("word", "LIMIT"), ...count, ...rest.slice(end)]);
  }
  return t;
}

/** ORDER BY … OFFSET x ROWS FETCH NEXT y ROWS ONLY → LIMIT y OFFSET x. */
function rewriteOffsetFetch(t: Tok[]): Tok[] {
  const at = t.findIndex((x, i) => kw(x) === "OFFSET" && i > 0);
  if (at < 0) return t;
  let j = at + 1;
  const skip: Tok[] = [];
  while (j < t.length && !["ROW", "ROWS"].includes(kw(t[j]))) skip.push(t[j++] as Tok);
  j++;
  let take: Tok[] = [tok("number", "-1")];
  if (kw(t[j]) === "FETCH") {
    j += 2;
    take = [];
    while (j < t.length && !["ROW", "ROWS"].includes(kw(t[j]))) take.push(t[j++] as Tok);
    j += 2;
  }
  return [...t.slice(0, at), tok("word", "LIMIT"), ...take, tok("word", "OFFSET"), ...skip, ...t.slice(j)];
}

/** INSERT/UPDATE/DELETE … OUTPUT INSERTED.x … → … RETURNING x (SQLite returns the new row). */
function rewriteOutput(t: Tok[], verb: string): Tok[] {
  const at = t.findIndex((x) => kw(x) === "OUTPUT");
  if (at < 0) return t;
  let j = at + 1;
  let depth = 0;
  const list: Tok[] = [];
  for (; j < t.length; j++) {
    const x = t[j] as Tok;
    if (isPunct(x, "(")) depth++;
    if (isPunct(x, ")")) depth--;
    if (depth === 0 && ["VALUES", "SELECT", "WHERE", "FROM", "DEFAULT", "INTO"].includes(kw(x))) break;
    list.push(x);
  }
  if (kw(t[j]) === "INTO") throw new SqlError(102, "OUTPUT … INTO is not supported by this test server.", 15);
  const mapped: Tok[] = [];
  for (let i = 0; i < list.length; i++) {
    const k = kw(list[i]);
    if ((k === "INSERTED" || k === "DELETED") && isPunct(list[i + 1], ".")) {
      if (k === "DELETED" && verb === "UPDATE") throw new SqlError(102, "OUTPUT DELETED.* in UPDATE is not supported (SQLite RETURNING sees only new values).", 15);
      i++;
      continue;
    }
    mapped.push(list[i] as Tok);
  }
  return [...t.slice(0, at), ...t.slice(j), tok("word", "RETURNING"), ...mapped];
}

/** What the rewrite needs to know about the current schema. */
export interface SchemaInfo extends ColumnTypes {
  /** the ROWVERSION column of a table (lower-case name), if it has one */
  rowVersionColumn(table: string): string | undefined;
  /** the CREATE UNIQUE INDEX (not constraint) on exactly these lower-case columns, if any */
  uniqueIndex(table: string, columns: string[]): string | undefined;
}

const NO_SCHEMA: SchemaInfo = { rowVersionColumn: () => undefined, uniqueIndex: () => undefined, columnType: () => undefined, columns: () => [] };

/**
 * `a / b`, `a % b` → `a / tds_nz(b)`: SQLite gives NULL for a division by zero, SQL Server error 8134.
 * The right operand is the primary after the operator (a number, name, @p, function call, (…), CASE … END).
 */
function guardDivision(t: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < t.length; i++) {
    const x = t[i] as Tok;
    out.push(x);
    if (!(isPunct(x, "/") || isPunct(x, "%")) || i === 0) continue;
    let j = i + 1;
    while (isPunct(t[j], "-") || isPunct(t[j], "+")) j++;
    let end = j;
    const y = t[j];
    if (isPunct(y, "(")) end = matchingParen(t, j);
    else if (kw(y) === "CASE") {
      for (let depth = 0; end < t.length; end++) {
        if (kw(t[end]) === "CASE") depth++;
        if (kw(t[end]) === "END" && --depth === 0) break;
      }
    } else if (y?.kind === "word" && isPunct(t[j + 1], "(")) end = matchingParen(t, j + 1);
    else while (isName(t[end]) && isPunct(t[end + 1], ".") && isName(t[end + 2])) end += 2;
    if (end >= t.length) continue;
    out.push(tok("word", "tds_nz"), tok("punct", "("), ...t.slice(i + 1, end + 1), tok("punct", ")"));
    i = end;
  }
  return out;
}

function matchingParen(t: Tok[], open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (isPunct(t[i], "(")) depth++;
    if (isPunct(t[i], ")") && --depth === 0) return i;
  }
  return t.length;
}

/**
 * UPDATE t SET … → UPDATE t SET rv = tds_next_rowversion(), … when t has a ROWVERSION column, so that
 * OUTPUT INSERTED.rv (RETURNING) sees the new value; the table's trigger covers other UPDATE shapes.
 */
function bumpRowVersion(t: Tok[], schema: SchemaInfo): Tok[] {
  const setAt = kw(t[2]) === "SET" ? 2 : kw(t[2]) === "AS" && kw(t[4]) === "SET" ? 4 : -1;
  if (setAt < 0 || !isName(t[1])) return t;
  const column = schema.rowVersionColumn((t[1] as Tok).text.toLowerCase());
  if (!column) return t;
  const bump = [tok("quoted", column), tok("punct", "="), tok("word", "tds_next_rowversion"), tok("punct", "("), tok("punct", ")"), tok("punct", ",")];
  return [...t.slice(0, setAt + 1), ...bump, ...t.slice(setAt + 1)];
}

/** Rewrites one T-SQL statement (already split from its batch) into SQLite SQL. */
export function rewriteStatement(input: Tok[], schema: SchemaInfo = NO_SCHEMA): Rewritten {
  const mapped = mapExpressions(stripSchemas(input));
  const first = kw(mapped[0]);
  const typed = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].includes(first) ? typeDates(guardDivision(mapped), schema) : mapped;
  const columns = selectListInfo(typed);
  let t = rewriteCasts(typed);
  let resetIdentity: string | undefined;
  if (kw(t[0]) === "TRUNCATE" && kw(t[1]) === "TABLE") {
    resetIdentity = t[2]?.text;
    t = [tok("word", "DELETE"), tok("word", "FROM"), ...t.slice(2)];
  }
  const verb = kw(t[0]) === "WITH" ? "SELECT" : kw(t[0]);
  if (["UPDATE", "DELETE"].includes(verb) && kw(t[1]) === "TOP") throw new SqlError(102, `${verb} TOP is not supported by this test server.`, 15);
  const after: string[] = [];
  if (verb === "CREATE" || verb === "ALTER") t = rewriteDdl(t, after);
  t = rewriteOffsetFetch(rewriteTop(t));
  if (verb === "UPDATE") t = bumpRowVersion(rewriteUpdateFrom(t), schema);
  t = rewriteOutput(t, verb);
  return { sql: render(t), verb, after, columns, ...(resetIdentity ? { resetIdentity } : {}) };
}

/** Rewrites an expression (IF condition, DECLARE/SET initialiser) into a SQLite scalar query. */
export function rewriteExpression(expr: Tok[], schema: SchemaInfo = NO_SCHEMA): string {
  return rewriteStatement([tok("word", "SELECT"), ...expr], schema).sql;
}
