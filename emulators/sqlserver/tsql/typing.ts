import { dateKindOf } from "../convert.js";
import { isPunct, kw, splitTopLevel, tok, tokenize, type Tok } from "./tokenize.js";

/** What the typing pass needs to know about tables (declared T-SQL type names, as the DDL wrote them). */
export interface ColumnTypes {
  /** declared type of table.column (names case-insensitive), if the column exists */
  columnType(table: string, column: string): string | undefined;
  /** the table's columns in order */
  columns(table: string): string[];
}

const isName = (t: Tok | undefined) => !!t && (t.kind === "word" || t.kind === "quoted");
const COMPARISON = new Set(["=", "<>", "!=", "<", ">", "<=", ">="]);
const CLAUSE_END = new Set(["WHERE", "GROUP", "ORDER", "HAVING", "UNION", "EXCEPT", "INTERSECT", "ON", "SET", "OUTPUT", "VALUES", "SELECT", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "JOIN", "OPTION", "LIMIT", "FROM", "WITH"]);
const DATETIME_FUNCS: Record<string, string> = { GETDATE: "DATETIME", GETUTCDATE: "DATETIME", SYSDATETIME: "DATETIME2", SYSUTCDATETIME: "DATETIME2", DATEFROMPARTS: "DATE", EOMONTH: "DATE" };

function matchForward(t: Tok[], open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (isPunct(t[i], "(")) depth++;
    if (isPunct(t[i], ")") && --depth === 0) return i;
  }
  return t.length - 1;
}

function matchBackward(t: Tok[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (isPunct(t[i], ")")) depth++;
    if (isPunct(t[i], "(") && --depth === 0) return i;
  }
  return 0;
}

/** Start index of the primary expression that ends at `end` (column, a.b, literal, @p, f(…), (…)). */
function primaryStart(t: Tok[], end: number): number {
  const x = t[end];
  if (isPunct(x, ")")) {
    const open = matchBackward(t, end);
    return t[open - 1]?.kind === "word" && !COMPARISON.has(t[open - 1]?.text ?? "") && !["AND", "OR", "NOT", "IN", "BETWEEN", "WHERE", "ON", "WHEN", "THEN", "ELSE", "SELECT", "SET", "HAVING", "EXISTS", "RETURNING", "VALUES"].includes(kw(t[open - 1])) ? open - 1 : open;
  }
  if (isName(x) && isPunct(t[end - 1], ".") && isName(t[end - 2])) return end - 2;
  return end;
}

/** End index (inclusive) of the primary expression that starts at `start`. */
function primaryEnd(t: Tok[], start: number): number {
  const x = t[start];
  if (isPunct(x, "(")) return matchForward(t, start);
  if (x?.kind === "word" && isPunct(t[start + 1], "(")) return matchForward(t, start + 1);
  if (isName(x) && isPunct(t[start + 1], ".") && isName(t[start + 2])) return start + 2;
  return start;
}

/** Tables a statement names (FROM/JOIN/UPDATE/INTO … [AS] alias), by lower-case alias and name. */
function tablesOf(t: Tok[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < t.length; i++) {
    const k = kw(t[i]);
    if (!["FROM", "JOIN", "UPDATE", "INTO"].includes(k)) continue;
    let j = i + 1;
    for (;;) {
      if (!isName(t[j]) || CLAUSE_END.has(kw(t[j]))) break;
      let name = (t[j] as Tok).text;
      j++;
      while (isPunct(t[j], ".") && isName(t[j + 1])) {
        name = (t[j + 1] as Tok).text;
        j += 2;
      }
      const table = name.toLowerCase().replace(/^temp\./, "");
      out.set(table, table);
      if (kw(t[j]) === "AS") j++;
      if (isName(t[j]) && !CLAUSE_END.has(kw(t[j])) && !isPunct(t[j + 1], "(")) {
        out.set((t[j] as Tok).text.toLowerCase(), table);
        j++;
      }
      if (k === "FROM" && isPunct(t[j], ",")) {
        j++;
        continue;
      }
      break;
    }
  }
  return out;
}

/**
 * The typing pass: string literals and stored values meet date/time columns the way SQL Server's type
 * rules make them meet (the character string is converted to the column's type). For SQLite, which would
 * compare text with text (or, for an unseparated 'YYYYMMDD', a number with text):
 * - a comparison (=, <>, <, >, <=, >=, BETWEEN, IN) with a date/time operand (a column of a table the
 *   statement names, CAST/CONVERT to a date type, GETDATE() & co., DATEADD) compares `tds_datekey`s, and
 *   a string literal on the other side is first CAST to the operand's type (so '20240801', '2024-06-05'
 *   and '06/05/2024' all work, and an impossible date is error 241, as on SQL Server);
 * - values written to date/time columns (INSERT … VALUES / SELECT, UPDATE … SET) are CAST to the column's
 *   type, so every stored value has the form of its type;
 * - a string literal given to DATEADD is a DATETIME, as on SQL Server.
 */
export function typeDates(input: Tok[], schema: ColumnTypes): Tok[] {
  let t = input;
  const tables = tablesOf(t);
  const columnKind = (ref: Tok[]): string | undefined => {
    if (ref.length === 1 && isName(ref[0])) {
      for (const table of new Set(tables.values())) {
        const type = schema.columnType(table, (ref[0] as Tok).text);
        if (type) return dateKindOf(type) ? type : undefined;
      }
      return undefined;
    }
    if (ref.length === 3 && isName(ref[0]) && isPunct(ref[1], ".") && isName(ref[2])) {
      const table = tables.get((ref[0] as Tok).text.toLowerCase());
      const type = table ? schema.columnType(table, (ref[2] as Tok).text) : undefined;
      return type && dateKindOf(type) ? type : undefined;
    }
    return undefined;
  };
  const typeOf = (e: Tok[]): string | undefined => {
    const k = kw(e[0]);
    if (DATETIME_FUNCS[k] && isPunct(e[1], "(")) return DATETIME_FUNCS[k];
    if ((k === "CAST" || k === "TRY_CAST") && isPunct(e[1], "(")) {
      const asAt = e.findLastIndex((x) => kw(x) === "AS");
      const type = e.slice(asAt + 1, e.length - 1).map((x) => x.text).join("");
      return dateKindOf(type) ? type : undefined;
    }
    if ((k === "CONVERT" || k === "TRY_CONVERT") && isPunct(e[1], "(")) {
      const comma = e.findIndex((x, i) => i > 1 && isPunct(x, ","));
      const type = e.slice(2, comma).map((x) => x.text).join("");
      return dateKindOf(type) ? type : undefined;
    }
    if (k === "DATEADD" && isPunct(e[1], "(")) {
      const args = splitTopLevel(e.slice(2, -1));
      return args.length === 3 ? typeOf(args[2] as Tok[]) : undefined;
    }
    if (isPunct(e[0], "(") && e.length > 2) return typeOf(e.slice(1, -1));
    return columnKind(e);
  };
  const castTo = (e: Tok[], type: string): Tok[] => [tok("word", "CAST"), tok("punct", "("), ...e, tok("word", "AS"), ...typeTokens(type), tok("punct", ")")];
  const key = (e: Tok[], type: string | undefined): Tok[] => {
    const value = type && e.length === 1 && e[0]?.kind === "string" ? castTo(e, type) : e;
    return [tok("word", "tds_datekey"), tok("punct", "("), ...value, tok("punct", ")")];
  };

  t = castDateaddLiterals(t);
  t = storeDates(t, schema, tables);

  // DATEADD(unit, n, x) has the type of x: CAST(DATEADD(…) AS <type of x>), so the client gets a DATE for a DATE
  for (let i = t.length - 1; i >= 0; i--) {
    if (kw(t[i]) !== "DATEADD" || !isPunct(t[i + 1], "(") || (isPunct(t[i - 1], "(") && kw(t[i - 2]) === "CAST")) continue;
    const close = matchForward(t, i + 1);
    const args = splitTopLevel(t.slice(i + 2, close));
    const type = args.length === 3 ? typeOf(args[2] as Tok[]) : undefined;
    if (!type) continue;
    t = [...t.slice(0, i), ...castTo(t.slice(i, close + 1), type), ...t.slice(close + 1)];
  }

  // comparisons, right to left so that earlier indexes stay valid
  for (let i = t.length - 1; i > 0; i--) {
    const x = t[i] as Tok;
    if (x.kind === "punct" && COMPARISON.has(x.text)) {
      if (isAssignment(t, i)) continue;
      const ls = primaryStart(t, i - 1);
      const re = primaryEnd(t, i + 1);
      const left = t.slice(ls, i);
      const right = t.slice(i + 1, re + 1);
      const type = typeOf(left) ?? typeOf(right);
      if (!type || isPunct(t[ls - 1], ".") || kw(t[ls - 1]) === "SET") continue;
      t = [...t.slice(0, ls), ...key(left, type), x, ...key(right, type), ...t.slice(re + 1)];
      i = ls;
      continue;
    }
    if (kw(x) === "BETWEEN" || (kw(x) === "IN" && isPunct(t[i + 1], "(") && kw(t[i + 2]) !== "SELECT")) {
      const notAt = kw(t[i - 1]) === "NOT" ? i - 1 : i;
      const ls = primaryStart(t, notAt - 1);
      const subject = t.slice(ls, notAt);
      const type = typeOf(subject);
      if (!type) continue;
      if (kw(x) === "BETWEEN") {
        const a0 = i + 1;
        const a1 = primaryEnd(t, a0);
        const b0 = a1 + 2;
        const b1 = primaryEnd(t, b0);
        if (kw(t[a1 + 1]) !== "AND") continue;
        t = [...t.slice(0, ls), ...key(subject, type), ...t.slice(notAt, i + 1), ...key(t.slice(a0, a1 + 1), type), t[a1 + 1] as Tok, ...key(t.slice(b0, b1 + 1), type), ...t.slice(b1 + 1)];
      } else {
        const close = matchForward(t, i + 1);
        const items = splitTopLevel(t.slice(i + 2, close)).map((item) => key(item, type));
        const list = items.flatMap((item, n) => (n > 0 ? [tok("punct", ","), ...item] : item));
        t = [...t.slice(0, ls), ...key(subject, type), ...t.slice(notAt, i + 2), ...list, ...t.slice(close)];
      }
      i = ls;
    }
  }
  return t;
}

function typeTokens(type: string): Tok[] {
  return tokenize(type).map((x) => ({ ...x, nl: false, sp: false }));
}

/** `x = …` that assigns (UPDATE … SET list, `SELECT alias = expr` items) rather than compares. */
function isAssignment(t: Tok[], at: number): boolean {
  if (!isPunct(t[at], "=")) return false;
  const start = primaryStart(t, at - 1);
  const before = t[start - 1];
  if (kw(before) === "SET" || kw(before) === "SELECT" || kw(before) === "DISTINCT") return true;
  if (!isPunct(before, ",")) return false;
  // a comma before: inside a SET list or a select list?
  let depth = 0;
  for (let i = start - 1; i >= 0; i--) {
    if (isPunct(t[i], ")")) depth++;
    if (isPunct(t[i], "(")) {
      if (depth === 0) return false;
      depth--;
    }
    if (depth > 0) continue;
    const k = kw(t[i]);
    if (k === "SET" || k === "SELECT") return true;
    if (["WHERE", "ON", "AND", "OR", "WHEN", "HAVING", "VALUES", "FROM"].includes(k)) return false;
  }
  return false;
}

/** DATEADD(unit, n, 'literal') → DATEADD(unit, n, CAST('literal' AS DATETIME)): a character string there is a DATETIME. */
function castDateaddLiterals(t: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < t.length; i++) {
    const x = t[i] as Tok;
    out.push(x);
    if (kw(x) === "DATEADD" && isPunct(t[i + 1], "(")) {
      const close = matchForward(t, i + 1);
      const args = splitTopLevel(t.slice(i + 2, close));
      const last = args[2];
      if (args.length === 3 && last && last.length === 1 && last[0]?.kind === "string") {
        out.push(t[i + 1] as Tok, ...(args[0] ?? []), tok("punct", ","), ...(args[1] ?? []), tok("punct", ","), tok("word", "CAST"), tok("punct", "("), last[0], tok("word", "AS"), tok("word", "DATETIME"), tok("punct", ")"), t[close] as Tok);
        i = close;
      }
    }
  }
  return out;
}

/** INSERT … VALUES / INSERT … SELECT / UPDATE … SET: values for date/time columns are CAST to the column's type. */
function storeDates(t: Tok[], schema: ColumnTypes, tables: Map<string, string>): Tok[] {
  const verb = kw(t[0]);
  const wrap = (e: Tok[], type: string | undefined): Tok[] => {
    if (!type || !dateKindOf(type) || e.length === 0 || kw(e[0]) === "DEFAULT" || (e.length === 1 && kw(e[0]) === "NULL")) return e;
    return [tok("word", "CAST"), tok("punct", "("), ...e, tok("word", "AS"), ...typeTokens(type), tok("punct", ")")];
  };
  if (verb === "INSERT") {
    let i = 1;
    if (kw(t[i]) === "INTO") i++;
    if (!isName(t[i])) return t;
    let table = (t[i] as Tok).text;
    i++;
    while (isPunct(t[i], ".") && isName(t[i + 1])) {
      table = (t[i + 1] as Tok).text;
      i += 2;
    }
    let columns = schema.columns(table);
    if (isPunct(t[i], "(")) {
      const close = matchForward(t, i);
      columns = splitTopLevel(t.slice(i + 1, close)).map((c) => c.map((x) => x.text).join(""));
      i = close + 1;
    }
    const types = columns.map((c) => schema.columnType(table, c));
    if (!types.some((ty) => ty && dateKindOf(ty))) return t;
    // skip OUTPUT … up to VALUES/SELECT
    let depth = 0;
    let at = i;
    for (; at < t.length; at++) {
      if (isPunct(t[at], "(")) depth++;
      if (isPunct(t[at], ")")) depth--;
      if (depth === 0 && (kw(t[at]) === "VALUES" || kw(t[at]) === "SELECT")) break;
    }
    if (kw(t[at]) === "VALUES") {
      const out = t.slice(0, at + 1);
      let j = at + 1;
      while (isPunct(t[j], "(")) {
        const close = matchForward(t, j);
        const items = splitTopLevel(t.slice(j + 1, close)).map((item, n) => wrap(item, types[n]));
        out.push(t[j] as Tok, ...items.flatMap((item, n) => (n > 0 ? [tok("punct", ","), ...item] : item)), t[close] as Tok);
        j = close + 1;
        if (isPunct(t[j], ",")) out.push(t[j++] as Tok);
        else break;
      }
      return [...out, ...t.slice(j)];
    }
    if (kw(t[at]) === "SELECT") {
      let s = at + 1;
      if (kw(t[s]) === "DISTINCT" || kw(t[s]) === "ALL") s++;
      let end = s;
      depth = 0;
      for (; end < t.length; end++) {
        if (isPunct(t[end], "(")) depth++;
        if (isPunct(t[end], ")")) depth--;
        if (depth === 0 && ["FROM", "WHERE", "UNION", "ORDER", "GROUP", "LIMIT", "RETURNING", "EXCEPT", "INTERSECT"].includes(kw(t[end]))) break;
      }
      const items = splitTopLevel(t.slice(s, end));
      if (items.some((item) => item.some((x) => isPunct(x, "*")) && !item.some((x) => isPunct(x, "(")))) return t;
      const wrapped = items.map((item, n) => {
        const aliased = item.length > 2 && kw(item[item.length - 2]) === "AS";
        return aliased ? [...wrap(item.slice(0, -2), types[n]), ...item.slice(-2)] : wrap(item, types[n]);
      });
      return [...t.slice(0, s), ...wrapped.flatMap((item, n) => (n > 0 ? [tok("punct", ","), ...item] : item)), ...t.slice(end)];
    }
    return t;
  }
  if (verb === "UPDATE") {
    const setAt = t.findIndex((x) => kw(x) === "SET");
    if (setAt < 0) return t;
    const target = tables.get((t[1] as Tok | undefined)?.text.toLowerCase() ?? "") ?? (t[1] as Tok | undefined)?.text.toLowerCase() ?? "";
    let depth = 0;
    let end = setAt + 1;
    for (; end < t.length; end++) {
      if (isPunct(t[end], "(")) depth++;
      if (isPunct(t[end], ")")) depth--;
      if (depth === 0 && ["WHERE", "FROM", "OUTPUT", "RETURNING", "OPTION"].includes(kw(t[end]))) break;
    }
    const items = splitTopLevel(t.slice(setAt + 1, end)).map((item) => {
      const eq = item.findIndex((x) => isPunct(x, "="));
      if (eq < 1) return item;
      const column = item[eq - 1] as Tok;
      const alias = eq >= 3 && isPunct(item[eq - 2], ".") ? (item[eq - 3] as Tok).text.toLowerCase() : undefined;
      const table = alias ? (tables.get(alias) ?? target) : target;
      return [...item.slice(0, eq + 1), ...wrap(item.slice(eq + 1), schema.columnType(table, column.text))];
    });
    return [...t.slice(0, setAt + 1), ...items.flatMap((item, n) => (n > 0 ? [tok("punct", ","), ...item] : item)), ...t.slice(end)];
  }
  return t;
}
