/** One lexical token of a T-SQL batch. */
export interface Tok {
  kind: "word" | "quoted" | "string" | "number" | "punct" | "param";
  /** word/number/punct text; the identifier inside [..]/".."; the string contents (unescaped); the @name */
  text: string;
  /** a line break (or the start of the batch) comes before this token */
  nl: boolean;
  /** whitespace or a comment comes before this token */
  sp: boolean;
}

const WORD_START = /[A-Za-z_#\u00C0-\uFFFF]/;
const WORD_CHAR = /[A-Za-z0-9_#$\u00C0-\uFFFF]/;
const TWO_CHAR = new Set(["<=", ">=", "<>", "!=", "||", "::", "+=", "-="]);

/** Splits T-SQL text into tokens, dropping whitespace and comments (but remembering line breaks). */
export function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let nl = true;
  let sp = false;
  const push = (kind: Tok["kind"], text: string) => {
    out.push({ kind, text, nl, sp });
    nl = false;
    sp = false;
  };
  while (i < sql.length) {
    const c = sql[i] ?? "";
    const next = sql[i + 1] ?? "";
    if (c === "\n") { nl = true; sp = true; i++; continue; }
    if (/\s/.test(c)) { sp = true; i++; continue; }
    if (c === "-" && next === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      sp = true;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      if (sql.slice(i, stop).includes("\n")) nl = true;
      i = stop;
      sp = true;
      continue;
    }
    if (c === "'" || ((c === "N" || c === "n") && next === "'")) {
      let j = c === "'" ? i + 1 : i + 2;
      let text = "";
      for (;;) {
        if (j >= sql.length) throw new SyntaxError("Unclosed quotation mark after the character string");
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += sql[j++];
      }
      push("string", text);
      i = j + 1;
      continue;
    }
    if (c === "[" || c === '"') {
      const close = c === "[" ? "]" : '"';
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= sql.length) throw new SyntaxError("Unclosed quoted identifier");
        if (sql[j] === close) {
          if (sql[j + 1] === close) { text += close; j += 2; continue; }
          break;
        }
        text += sql[j++];
      }
      push("quoted", text);
      i = j + 1;
      continue;
    }
    if (c === "@") {
      let j = i + 1;
      while (j < sql.length && (WORD_CHAR.test(sql[j] ?? "") || sql[j] === "@")) j++;
      push("param", sql.slice(i, j));
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(next))) {
      const m = /^(0x[0-9a-fA-F]*|\d*\.?\d+(?:[eE][+-]?\d+)?\.?)/.exec(sql.slice(i));
      const text = m?.[0] ?? c;
      push("number", text);
      i += text.length;
      continue;
    }
    if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD_CHAR.test(sql[j] ?? "")) j++;
      push("word", sql.slice(i, j));
      i = j;
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (TWO_CHAR.has(two)) { push("punct", two); i += 2; continue; }
    push("punct", c);
    i++;
  }
  return out;
}

/** Upper-case text of a word token, "" for anything else. */
export function kw(t: Tok | undefined): string {
  return t && t.kind === "word" ? t.text.toUpperCase() : "";
}

export function isPunct(t: Tok | undefined, p: string): boolean {
  return !!t && t.kind === "punct" && t.text === p;
}

/** Splits the tokens between a pair of parentheses at top-level commas (an empty list gives one empty part). */
export function splitTopLevel(t: Tok[]): Tok[][] {
  const parts: Tok[][] = [[]];
  let depth = 0;
  for (const x of t) {
    if (isPunct(x, "(")) depth++;
    if (isPunct(x, ")")) depth--;
    if (depth === 0 && isPunct(x, ",")) parts.push([]);
    else parts[parts.length - 1]?.push(x);
  }
  return parts;
}

/** Renders tokens as SQLite SQL: strings single-quoted (no N prefix), identifiers double-quoted. */
export function render(tokens: readonly Tok[]): string {
  let s = "";
  let prev: Tok | undefined;
  for (const t of tokens) {
    let text: string;
    switch (t.kind) {
      case "string": text = `'${t.text.replace(/'/g, "''")}'`; break;
      case "quoted": text = `"${t.text.replace(/"/g, '""')}"`; break;
      case "number": text = /^0x/i.test(t.text) ? `X'${t.text.slice(2)}'` : t.text; break;
      default: text = t.text;
    }
    const glued = prev !== undefined && prev.kind !== "punct" && t.kind !== "punct";
    s += (s && (t.sp || glued) ? " " : "") + text;
    prev = t;
  }
  return s;
}

/** A synthetic token (for rewrites). */
export function tok(kind: Tok["kind"], text: string): Tok {
  return { kind, text, nl: false, sp: true };
}
