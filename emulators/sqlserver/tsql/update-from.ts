import { SqlError } from "../sql-error.js";
import { isPunct, kw, tok, type Tok } from "./tokenize.js";

const isName = (t: Tok | undefined) => !!t && (t.kind === "word" || t.kind === "quoted");
const same = (a: Tok | undefined, b: Tok | undefined) => !!a && !!b && a.text.toLowerCase() === b.text.toLowerCase();

/** Index of the first top-level token (depth 0) from `from` on that satisfies `test`, or t.length. */
function findTop(t: Tok[], from: number, test: (x: Tok) => boolean): number {
  let depth = 0;
  for (let i = from; i < t.length; i++) {
    const x = t[i] as Tok;
    if (isPunct(x, "(")) depth++;
    if (isPunct(x, ")")) depth--;
    if (depth === 0 && test(x)) return i;
  }
  return t.length;
}

/** SET a.x = …, b = … → SET x = …, b = … (SQLite does not allow qualified assignment targets). */
function unqualifySet(set: Tok[]): Tok[] {
  const out: Tok[] = [];
  let depth = 0;
  let itemStart = true;
  for (let i = 0; i < set.length; i++) {
    const x = set[i] as Tok;
    if (itemStart && isName(x) && isPunct(set[i + 1], ".") && isName(set[i + 2]) && isPunct(set[i + 3], "=")) {
      i++;
      itemStart = false;
      continue;
    }
    itemStart = false;
    if (isPunct(x, "(")) depth++;
    if (isPunct(x, ")")) depth--;
    if (depth === 0 && isPunct(x, ",")) itemStart = true;
    out.push(x);
  }
  return out;
}

/**
 * T-SQL `UPDATE a SET a.x = … FROM T a [INNER JOIN U u ON cond …] WHERE …` → SQLite
 * `UPDATE T AS a SET x = … [FROM U u …] WHERE (cond) AND (…)`: the target named by its alias comes out
 * of the FROM list, the condition joining it moves to WHERE. A LEFT JOIN to the target cannot be expressed.
 */
export function rewriteUpdateFrom(t: Tok[]): Tok[] {
  if (kw(t[0]) !== "UPDATE" || kw(t[2]) !== "SET") return t;
  const fromAt = findTop(t, 3, (x) => kw(x) === "FROM");
  const setList = unqualifySet(t.slice(3, fromAt));
  if (fromAt === t.length) return [...t.slice(0, 3), ...setList];
  const whereAt = findTop(t, fromAt + 1, (x) => ["WHERE", "OUTPUT", "OPTION"].includes(kw(x)));
  const source = t.slice(fromAt + 1, whereAt);
  const table = source[0];
  const hasAs = kw(source[1]) === "AS";
  const alias = hasAs ? source[2] : isName(source[1]) && !["JOIN", "INNER", "LEFT", "RIGHT", "CROSS", "WHERE"].includes(kw(source[1])) ? source[1] : undefined;
  if (!same(t[1], table) && !same(t[1], alias)) return [...t.slice(0, 3), ...setList, ...t.slice(fromAt)];
  let rest = source.slice(alias ? (hasAs ? 3 : 2) : 1);
  const conditions: Tok[][] = [];
  if (rest.length > 0) {
    if (kw(rest[0]) === "LEFT" || kw(rest[0]) === "RIGHT") throw new SqlError(102, "UPDATE … FROM with an outer join to the target is not supported by this test server.", 15);
    if (kw(rest[0]) === "INNER") rest = rest.slice(1);
    if (kw(rest[0]) !== "JOIN") throw new SqlError(102, "UPDATE … FROM: only INNER JOINs after the target are supported by this test server.", 15);
    const onAt = findTop(rest, 1, (x) => kw(x) === "ON");
    const nextJoin = findTop(rest, onAt + 1, (x) => ["JOIN", "INNER", "LEFT", "RIGHT", "CROSS"].includes(kw(x)));
    conditions.push(rest.slice(onAt + 1, nextJoin));
    rest = [...rest.slice(1, onAt), ...rest.slice(nextJoin)];
  }
  const where = t.slice(whereAt);
  const hasWhere = kw(where[0]) === "WHERE";
  if (hasWhere) conditions.push(where.slice(1, findTop(where, 1, (x) => ["OUTPUT", "OPTION"].includes(kw(x)))));
  const tail = hasWhere ? where.slice(1 + (conditions[conditions.length - 1]?.length ?? 0)) : where;
  const whereTokens = conditions.length
    ? [tok("word", "WHERE"), ...conditions.flatMap((c, i) => [...(i > 0 ? [tok("word", "AND")] : []), tok("punct", "("), ...c, tok("punct", ")")])]
    : [];
  const target = alias ? [table as Tok, tok("word", "AS"), alias] : [table as Tok];
  return [t[0] as Tok, ...target, t[2] as Tok, ...setList, ...(rest.length ? [tok("word", "FROM"), ...rest] : []), ...whereTokens, ...tail];
}
