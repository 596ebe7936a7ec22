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
const DATE_STYLES: Record<string, number> = { "23": 10, "120": 19, "121": 23, "126": 23, "20": 19, "21": 23 };

/**
 * CAST(x AS type) / CONVERT(type, x[, style]) with T-SQL types, on values stored the way this server
 * stores them (dates as ISO text): DATE → date(x), DATETIME/DATETIME2 → the "YYYY-MM-DD HH:MM:SS.fff" text
 * (which comes back as a datetime), integers → INTEGER, exact/approximate numbers → REAL, GUIDs → upper-case
 * text, strings → TEXT (CONVERT with date styles 23/20/120/21/121/126 cuts the ISO text; 112 gives YYYYMMDD).
 */
function convert(type: Tok[], expr: Tok[], style: string | undefined): Tok[] {
  const name = kw(type[0]);
  switch (name) {
    case "DATE": return call("date", [expr]);
    case "DATETIME": case "DATETIME2": case "SMALLDATETIME": case "DATETIMEOFFSET":
      return call("strftime", [[tok("string", "%Y-%m-%d %H:%M:%f")], expr]);
    case "INT": case "BIGINT": case "SMALLINT": case "TINYINT": case "BIT": return castTo(expr, "INTEGER");
    case "DECIMAL": case "NUMERIC": case "FLOAT": case "REAL": case "MONEY": return castTo(expr, "REAL");
    case "UNIQUEIDENTIFIER": return call("upper", [expr]);
    case "NVARCHAR": case "VARCHAR": case "NCHAR": case "CHAR": case "SYSNAME": {
      if (style === "112") return call("replace", [call("substr", [expr, [tok("number", "1")], [tok("number", "10")]]), [tok("string", "-")], [tok("string", "")]]);
      const width = style === undefined ? undefined : DATE_STYLES[style];
      if (width) return call("substr", [expr, [tok("number", "1")], [tok("number", String(width))]]);
      return castTo(expr, "TEXT");
    }
    default: return castTo(expr, name || "TEXT");
  }
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
    if (k.endsWith("CAST")) {
      const parts = splitTop(inner, (x) => kw(x) === "AS");
      const type = parts.pop() ?? [];
      replacement = convert(type, parts.flatMap((p, j) => (j > 0 ? [tok("word", "AS"), ...p] : p)), undefined);
    } else {
      const [type = [], expr = [], style] = splitTop(inner, (x) => isPunct(x, ","));
      replacement = convert(type, expr, style?.[0]?.text);
    }
    if (replacement[0]) replacement[0] = { ...replacement[0], sp: (t[i] as Tok).sp, nl: (t[i] as Tok).nl };
    out.push(...replacement);
    i = close;
  }
  return out;
}
