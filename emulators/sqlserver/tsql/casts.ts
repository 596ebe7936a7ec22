import { isPunct, kw, tok, type Tok } from "./tokenize.js";

export function matching(t: Tok[], open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (isPunct(t[i], "(")) depth++;
    if (isPunct(t[i], ")") && --depth === 0) return i;
  }
  return t.length - 1;
}

export function splitTop(t: Tok[], separator: (x: Tok) => boolean): Tok[][] {
  const parts: Tok[][] = [[]];
  let depth = 0;
  for (const x of t) {
    if (isPunct(x, "(")) depth++;
    if (isPunct(x, ")")) depth--;
    if (depth === 0 && separator(x)) parts.push([]);
    else parts[parts.length - 1]?.push(x);
  }
  return parts;
}

const call = (fn: string, args: Tok[][]): Tok[] => [
  tok("word", fn), tok("punct", "("), ...args.flatMap((a, i) => (i > 0 ? [tok("punct", ","), ...a] : a)), tok("punct", ")"),
];
const castTo = (expr: Tok[], type: string): Tok[] => call("CAST", [[...expr, tok("word", "AS"), tok("word", type)]]);
const CONVERTED = new Set([
  "DATE", "DATETIME", "DATETIME2", "SMALLDATETIME", "DATETIMEOFFSET", "TIME", "INT", "BIGINT", "SMALLINT", "TINYINT", "BIT",
  "DECIMAL", "NUMERIC", "FLOAT", "REAL", "MONEY", "SMALLMONEY", "UNIQUEIDENTIFIER", "NVARCHAR", "VARCHAR", "NCHAR", "CHAR", "SYSNAME",
]);

/**
 * CAST(x AS type) / CONVERT(type, x[, style]) (TRY_ too) → tds_convert('type', x, style, try, source type):
 * the conversion runs in JS with SQL Server's rules and errors (see convert.ts). The optional fourth CONVERT
 * argument is internal: the typing pass adds the date/time type of x when it knows it (for the output style).
 */
function convert(type: Tok[], expr: Tok[], style: Tok[] | undefined, attempt: boolean, source: Tok[] | undefined): Tok[] {
  const name = kw(type[0]);
  if (!CONVERTED.has(name)) return castTo(expr, name || "TEXT");
  const typeText = type.map((x) => x.text).join("");
  const nul = [tok("word", "NULL")];
  return call("tds_convert", [[tok("string", typeText)], expr, style && style.length ? style : nul, [tok("number", attempt ? "1" : "0")], source && source.length ? source : nul]);
}

/** Rewrites every CAST/TRY_CAST/CONVERT/TRY_CONVERT call (innermost first). */
export function rewriteCasts(t: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < t.length; i++) {
    const k = kw(t[i]);
    if (!["CAST", "TRY_CAST", "CONVERT", "TRY_CONVERT"].includes(k) || !isPunct(t[i + 1], "(")) {
      out.push(t[i] as Tok);
      continue;
    }
    const close = matching(t, i + 1);
    const inner = rewriteCasts(t.slice(i + 2, close));
    let replacement: Tok[];
    const attempt = k.startsWith("TRY_");
    if (k.endsWith("CAST")) {
      const parts = splitTop(inner, (x) => kw(x) === "AS");
      const type = parts.pop() ?? [];
      replacement = convert(type, parts.flatMap((p, j) => (j > 0 ? [tok("word", "AS"), ...p] : p)), undefined, attempt, undefined);
    } else {
      const [type = [], expr = [], style, source] = splitTop(inner, (x) => isPunct(x, ","));
      replacement = convert(type, expr, style, attempt, source);
    }
    if (replacement[0]) replacement[0] = { ...replacement[0], sp: (t[i] as Tok).sp, nl: (t[i] as Tok).nl };
    out.push(...replacement);
    i = close;
  }
  return out;
}
