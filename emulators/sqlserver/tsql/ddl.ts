import { SqlError } from "../sql-error.js";
import { isPunct, kw, render, splitTopLevel, tok, type Tok } from "./tokenize.js";

const TEXT_TYPES = new Set(["NVARCHAR", "VARCHAR", "NCHAR", "CHAR", "TEXT", "NTEXT", "SYSNAME", "XML"]);
const LIMITED_TYPES = new Set(["NVARCHAR", "VARCHAR", "NCHAR", "CHAR", "VARBINARY", "BINARY"]);
const DROP_WORDS = new Set(["CLUSTERED", "NONCLUSTERED", "SPARSE", "ROWGUIDCOL", "FILESTREAM"]);
const TABLE_CONSTRAINT = new Set(["CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "INDEX"]);

function matchingParen(t: Tok[], open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (isPunct(t[i], "(")) depth++;
    if (isPunct(t[i], ")") && --depth === 0) return i;
  }
  throw new SqlError(102, "Incorrect syntax: unbalanced parentheses.", 15);
}

/** Removes `WITH (…)`, `ON [PRIMARY]`, `TEXTIMAGE_ON x`, `INCLUDE (…)` storage clauses SQLite does not know. */
function dropStorageClauses(t: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < t.length; i++) {
    const k = kw(t[i]);
    if ((k === "WITH" || k === "INCLUDE") && isPunct(t[i + 1], "(")) { i = matchingParen(t, i + 1); continue; }
    if ((k === "ON" || k === "TEXTIMAGE_ON") && t[i + 1]?.text.toUpperCase() === "PRIMARY" && !isPunct(t[i + 2], "(")) { i++; continue; }
    if (DROP_WORDS.has(k)) continue;
    if (k === "ASC" || k === "DESC") { out.push(t[i] as Tok); continue; }
    out.push(t[i] as Tok);
  }
  return out;
}

/** DEFAULT getdate() → DEFAULT (getdate()): SQLite needs parentheses around non-literal defaults. */
function wrapDefaults(t: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < t.length; i++) {
    out.push(t[i] as Tok);
    if (kw(t[i]) === "DEFAULT" && t[i + 1]?.kind === "word" && isPunct(t[i + 2], "(")) {
      const close = matchingParen(t, i + 2);
      out.push(tok("punct", "("), ...t.slice(i + 1, close + 1), tok("punct", ")"));
      i = close;
    }
  }
  return out;
}

interface TableContext {
  table: Tok;
  identity: string | undefined;
  after: string[];
}

function rewriteColumn(input: Tok[], ctx: TableContext): Tok[] {
  const name = input[0] as Tok;
  // SSMS scripts bracket type names ([nvarchar](50)); SQLite must see a plain type name
  const col = input[1]?.kind === "quoted" ? [name, { ...input[1], kind: "word" as const }, ...input.slice(2)] : input;
  const type = kw(col[1]);
  let rest = col.slice(2);
  const identityAt = rest.findIndex((x) => kw(x) === "IDENTITY");
  if (identityAt >= 0) {
    ctx.identity = name.text.toLowerCase();
    const skip = isPunct(rest[identityAt + 1], "(") ? matchingParen(rest, identityAt + 1) : identityAt;
    rest = rest.filter((x, i) => (i < identityAt || i > skip) && !["PRIMARY", "KEY"].includes(kw(x)));
    if (isPunct(rest[0], "(")) rest = rest.slice(matchingParen(rest, 0) + 1);
    return [name, tok("word", "INTEGER"), tok("word", "PRIMARY"), tok("word", "KEY"), tok("word", "AUTOINCREMENT"), ...rest];
  }
  if (type === "ROWVERSION" || type === "TIMESTAMP") {
    const tbl = render([ctx.table]);
    const c = render([name]);
    const trig = `"tds_rowversion_${ctx.table.text.replace(/"/g, "")}"`;
    ctx.after.push(
      `CREATE TRIGGER IF NOT EXISTS ${trig} AFTER UPDATE ON ${tbl} FOR EACH ROW WHEN NEW.${c} IS OLD.${c} BEGIN UPDATE ${tbl} SET ${c} = tds_next_rowversion() WHERE rowid = NEW.rowid; END`,
    );
    return [name, tok("word", "ROWVERSION"), tok("word", "NOT"), tok("word", "NULL"), tok("word", "DEFAULT"), tok("punct", "("), tok("word", "tds_next_rowversion"), tok("punct", "("), tok("punct", ")"), tok("punct", ")")];
  }
  const lengthLimit = LIMITED_TYPES.has(type) && isPunct(rest[0], "(") && rest[1]?.kind === "number" && Number(rest[1].text) > 0 ? rest[1].text : undefined;
  if (lengthLimit) {
    // SQL Server refuses values longer than the declared length (error 2628); SQLite would store them
    rest = [...rest, tok("word", "CONSTRAINT"), tok("quoted", `tds_len_${name.text}`), tok("word", "CHECK"), tok("punct", "("), tok("word", "length"), tok("punct", "("), name, tok("punct", ")"), tok("punct", "<="), tok("number", lengthLimit), tok("punct", ")")];
  }
  const collateAt = rest.findIndex((x) => kw(x) === "COLLATE");
  if (collateAt >= 0) {
    const ci = /_CI_/i.test(rest[collateAt + 1]?.text ?? "");
    rest = [...rest.slice(0, collateAt + 1), tok("word", ci ? "NOCASE" : "BINARY"), ...rest.slice(collateAt + 2)];
  } else if (TEXT_TYPES.has(type)) {
    let typeEnd = 0;
    if (isPunct(rest[0], "(")) typeEnd = matchingParen(rest, 0) + 1;
    rest = [...rest.slice(0, typeEnd), tok("word", "COLLATE"), tok("word", "NOCASE"), ...rest.slice(typeEnd)];
  }
  return [name, col[1] as Tok, ...rest];
}

function isIdentityPk(part: Tok[], identity: string | undefined): boolean {
  if (!identity) return false;
  const pk = part.findIndex((x) => kw(x) === "PRIMARY");
  if (pk < 0) return false;
  const cols = part.slice(pk).filter((x) => x.kind === "word" || x.kind === "quoted").map((x) => x.text.toLowerCase());
  const names = cols.filter((c) => !["primary", "key", "asc", "desc"].includes(c));
  return names.length === 1 && names[0] === identity;
}

/**
 * CREATE TABLE: `INT IDENTITY(1,1) [PRIMARY KEY]` → `INTEGER PRIMARY KEY AUTOINCREMENT` (a table-level PK on that
 * column is dropped), text columns get `COLLATE NOCASE` (SQL Server's default collation is case-insensitive),
 * ROWVERSION columns get a counter default and an AFTER UPDATE trigger, CLUSTERED/ON [PRIMARY]/WITH (…) go.
 */
function rewriteCreateTable(t: Tok[], after: string[]): Tok[] {
  let at = 2;
  if (kw(t[at]) === "IF") at += 3;
  const table = t[at] as Tok;
  const open = at + 1;
  if (!isPunct(t[open], "(")) return t;
  const close = matchingParen(t, open);
  const ctx: TableContext = { table, identity: undefined, after };
  const parts = splitTopLevel(t.slice(open + 1, close)).filter((p) => p.length > 0);
  const columns = parts.map((p) => (TABLE_CONSTRAINT.has(kw(p[0])) ? p : rewriteColumn(p, ctx)));
  const kept: Tok[][] = [];
  for (const part of columns) {
    if (TABLE_CONSTRAINT.has(kw(part[0])) && isIdentityPk(part, ctx.identity)) continue;
    if (kw(part[0]) === "INDEX") {
      after.push(`CREATE INDEX ${render([part[1] as Tok])} ON ${render([table])} ${render(part.slice(2))}`);
      continue;
    }
    kept.push(part);
  }
  const body: Tok[] = [];
  kept.forEach((p, i) => body.push(...(i > 0 ? [tok("punct", ",")] : []), ...p));
  return [...t.slice(0, open + 1), ...body, tok("punct", ")")];
}

/** CREATE TABLE / CREATE INDEX / ALTER TABLE … ADD in the SQL Server dialect → SQLite. */
export function rewriteDdl(input: Tok[], after: string[]): Tok[] {
  const t = wrapDefaults(dropStorageClauses(input));
  if (kw(t[0]) === "CREATE" && kw(t[1]) === "TABLE") return rewriteCreateTable(t, after);
  if (kw(t[0]) === "ALTER" && kw(t[1]) === "TABLE" && kw(t[3]) === "ADD") {
    if (TABLE_CONSTRAINT.has(kw(t[4]))) throw new SqlError(102, "ALTER TABLE … ADD CONSTRAINT is not supported by this test server: declare constraints in CREATE TABLE.", 15);
    const ctx: TableContext = { table: t[2] as Tok, identity: undefined, after };
    // SQLite adds one column per ALTER TABLE: the others follow as statements of their own
    const [first = [], ...others] = splitTopLevel(t.slice(4)).filter((p) => p.length > 0).map((c) => rewriteColumn(c, ctx));
    after.unshift(...others.map((c) => `ALTER TABLE ${render([ctx.table])} ADD ${render(c)}`));
    return [...t.slice(0, 4), ...first];
  }
  return t;
}
