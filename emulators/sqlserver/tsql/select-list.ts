import { matching, splitTop } from "./casts.js";
import { isPunct, kw, type Tok } from "./tokenize.js";

/** What the client should be told about one result column that SQLite cannot describe. */
export interface SelectItem {
  /** T-SQL type of a CAST/CONVERT item (SQLite reports no declared type for expressions) */
  type: string | undefined;
  /** false for an expression without alias: SQL Server sends those without a column name */
  named: boolean;
}

function targetType(item: Tok[]): string | undefined {
  const k = kw(item[0]);
  if (!["CAST", "TRY_CAST", "CONVERT", "TRY_CONVERT"].includes(k) || !isPunct(item[1], "(")) return undefined;
  const close = matching(item, 1);
  const rest = item.slice(close + 1);
  if (rest.length > 2 || (rest.length === 2 && kw(rest[0]) !== "AS")) return undefined;
  const inner = item.slice(2, close);
  const type = k.endsWith("CAST") ? splitTop(inner, (x) => kw(x) === "AS").pop() : splitTop(inner, (x) => isPunct(x, ","))[0];
  return type?.map((x) => x.text).join("");
}

function isName(t: Tok | undefined): boolean {
  return !!t && (t.kind === "word" || t.kind === "quoted");
}

/** An alias (`expr AS x`, `expr x`, `x = expr`) or a bare column reference (`c`, `t.c`). */
function hasName(item: Tok[]): boolean {
  const n = item.length;
  if (n >= 2 && kw(item[n - 2]) === "AS") return true;
  if (n >= 2 && isName(item[0]) && isPunct(item[1], "=")) return true;
  if (n === 1 && isName(item[0])) return true;
  if (n === 3 && isName(item[0]) && isPunct(item[1], ".") && isName(item[2])) return true;
  return n >= 2 && isName(item[n - 1]) && kw(item[n - 1]) !== "END" && !isPunct(item[n - 2], ".") && !["AS", "DISTINCT"].includes(kw(item[n - 2]));
}

/**
 * Looks at the select list of a SELECT: per column, the target type of a CAST/CONVERT item and whether the
 * column has a name. Undefined when the list has `*` (positions unknown) or the statement is not a SELECT.
 */
export function selectListInfo(t: Tok[]): SelectItem[] | undefined {
  if (kw(t[0]) !== "SELECT") return undefined;
  let i = 1;
  if (kw(t[i]) === "DISTINCT" || kw(t[i]) === "ALL") i++;
  if (kw(t[i]) === "TOP") i += isPunct(t[i + 1], "(") ? matching(t, i + 1) - i + 1 : 2;
  let depth = 0;
  let end = i;
  for (; end < t.length; end++) {
    if (isPunct(t[end], "(")) depth++;
    if (isPunct(t[end], ")")) depth--;
    if (depth === 0 && ["FROM", "INTO", "WHERE", "UNION", "ORDER", "GROUP", "OPTION"].includes(kw(t[end]))) break;
  }
  const items = splitTop(t.slice(i, end), (x) => isPunct(x, ","));
  if (items.some((it) => it.some((x) => isPunct(x, "*")) && !it.some((x) => isPunct(x, "(")))) return undefined;
  return items.map((it) => ({ type: targetType(it), named: hasName(it) }));
}
