import { isPunct, kw, type Tok } from "./tokenize.js";

/** One statement of a T-SQL batch, as this server executes it. */
export type Stmt =
  | { kind: "sql"; tokens: Tok[] }
  | { kind: "begin-tran" }
  | { kind: "commit" }
  | { kind: "rollback"; name: string | undefined }
  | { kind: "save"; name: string }
  | { kind: "set-option"; option: string; value: string }
  | { kind: "declare"; vars: Array<{ name: string; type: Tok[]; init: Tok[] | undefined }> }
  | { kind: "set-var"; name: string; expr: Tok[] }
  | { kind: "if"; cond: Tok[]; then: Stmt[]; else: Stmt[] | undefined }
  | { kind: "throw"; args: Tok[] }
  | { kind: "raiserror"; args: Tok[] }
  | { kind: "print"; expr: Tok[] }
  | { kind: "try"; body: Stmt[]; handler: Stmt[] }
  | { kind: "noop" };

/** Words that start a statement: an IF condition ends before one of them (outside parentheses). */
const STATEMENT_START = new Set([
  "BEGIN", "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "SET", "DECLARE", "PRINT", "THROW",
  "RETURN", "EXEC", "EXECUTE", "TRUNCATE", "IF", "WITH", "RAISERROR", "COMMIT", "ROLLBACK", "SAVE", "MERGE",
]);
/** Words that start a new statement when they begin a line, even without a preceding semicolon. */
const LINE_START = new Set([
  "CREATE", "DROP", "ALTER", "IF", "BEGIN", "COMMIT", "ROLLBACK", "DECLARE", "PRINT", "THROW", "RETURN", "EXEC",
  "EXECUTE", "TRUNCATE", "INSERT", "UPDATE", "DELETE", "MERGE", "GO", "END", "ELSE",
]);
/** Words after which an INSERT has its rows, or a WITH its main statement. */
const QUERY_VERBS = new Set(["SELECT", "VALUES", "DEFAULT", "EXEC", "EXECUTE", "INSERT", "UPDATE", "DELETE", "MERGE"]);
const TRAN = new Set(["TRAN", "TRANSACTION", "WORK"]);

/**
 * Splits a batch into statements. Semicolons end statements; so does a line that starts with a
 * statement keyword (DDL scripts often have no semicolons). Understands IF/ELSE, BEGIN…END blocks,
 * BEGIN TRAN/COMMIT/ROLLBACK/SAVE TRAN, SET options, DECLARE and SET @variable.
 */
export function splitBatch(tokens: Tok[]): Stmt[] {
  const p = new Parser(tokens);
  const out = p.statements(false);
  if (p.i < tokens.length) throw new SyntaxError(`Incorrect syntax near '${tokens[p.i]?.text}'.`);
  return out;
}

class Parser {
  i = 0;
  constructor(private readonly t: Tok[]) {}

  private peek(o = 0): Tok | undefined {
    return this.t[this.i + o];
  }

  statements(inBlock: boolean): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      while (isPunct(this.peek(), ";")) this.i++;
      const k = kw(this.peek());
      if (this.i >= this.t.length || (inBlock && k === "END")) return out;
      if (k === "ELSE") return out;
      out.push(...this.one());
    }
  }

  /** One statement (a BEGIN…END block yields its statements). */
  private one(): Stmt[] {
    const k = kw(this.peek());
    const k1 = kw(this.peek(1));
    if (k === "BEGIN" && TRAN.has(k1)) { this.i += 2; this.optionalName(); return [{ kind: "begin-tran" }]; }
    if (k === "BEGIN" && k1 === "TRY") return [this.tryCatch()];
    if (k === "BEGIN") {
      this.i++;
      const body = this.statements(true);
      if (kw(this.peek()) !== "END") throw new SyntaxError("Incorrect syntax: BEGIN without END.");
      this.i++;
      return body;
    }
    if (k === "COMMIT") { this.i++; if (TRAN.has(kw(this.peek()))) this.i++; this.optionalName(); return [{ kind: "commit" }]; }
    if (k === "ROLLBACK") { this.i++; if (TRAN.has(kw(this.peek()))) this.i++; return [{ kind: "rollback", name: this.optionalName() }]; }
    if (k === "SAVE") { this.i += 2; return [{ kind: "save", name: this.optionalName() ?? "sp" }]; }
    if (k === "IF") return [this.ifStatement()];
    if (k === "DECLARE") return [this.declare()];
    if (k === "SET" && this.peek(1)?.kind === "param") {
      const name = this.t[this.i + 1]?.text ?? "";
      this.i += 3;
      return [{ kind: "set-var", name, expr: this.rest() }];
    }
    if (k === "SET") return [this.setOption()];
    if (k === "GO") { this.i++; this.rest(); return [{ kind: "noop" }]; }
    if (k === "PRINT") { this.i++; return [{ kind: "print", expr: this.rest() }]; }
    if (k === "RAISERROR") { this.i++; return [{ kind: "raiserror", args: this.rest() }]; }
    if (k === "THROW") { this.i++; return [{ kind: "throw", args: this.rest() }]; }
    const tokens = this.rest();
    return tokens.length ? [{ kind: "sql", tokens }] : [];
  }

  /** BEGIN TRY … END TRY BEGIN CATCH … END CATCH */
  private tryCatch(): Stmt {
    const block = (word: string): Stmt[] => {
      if (kw(this.peek()) !== "BEGIN" || kw(this.peek(1)) !== word) throw new SyntaxError(`Incorrect syntax: BEGIN ${word} expected.`);
      this.i += 2;
      const body = this.statements(true);
      if (kw(this.peek()) !== "END" || kw(this.peek(1)) !== word) throw new SyntaxError(`Incorrect syntax: END ${word} expected.`);
      this.i += 2;
      return body;
    };
    const body = block("TRY");
    while (isPunct(this.peek(), ";")) this.i++;
    return { kind: "try", body, handler: block("CATCH") };
  }

  private optionalName(): string | undefined {
    const t = this.peek();
    if (!t || t.nl || isPunct(t, ";")) return undefined;
    if ((t.kind === "word" && !STATEMENT_START.has(kw(t)) && !LINE_START.has(kw(t))) || t.kind === "quoted" || t.kind === "param") {
      this.i++;
      return t.text;
    }
    return undefined;
  }

  private ifStatement(): Stmt {
    this.i++;
    const cond: Tok[] = [];
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (!t) throw new SyntaxError("Incorrect syntax near IF: no statement follows the condition.");
      if (depth === 0 && cond.length > 0 && STATEMENT_START.has(kw(t))) break;
      if (isPunct(t, "(")) depth++;
      if (isPunct(t, ")")) depth--;
      cond.push(t);
      this.i++;
    }
    const then = this.one();
    while (isPunct(this.peek(), ";")) this.i++;
    let otherwise: Stmt[] | undefined;
    if (kw(this.peek()) === "ELSE") {
      this.i++;
      otherwise = this.one();
    }
    return { kind: "if", cond, then, else: otherwise };
  }

  private declare(): Stmt {
    this.i++;
    const vars: Array<{ name: string; type: Tok[]; init: Tok[] | undefined }> = [];
    const all = this.rest();
    let j = 0;
    while (j < all.length) {
      const name = all[j]?.text ?? "";
      j++;
      let depth = 0;
      let init: Tok[] | undefined;
      const type: Tok[] = [];
      while (j < all.length && !(depth === 0 && isPunct(all[j], ","))) {
        const t = all[j] as Tok;
        if (isPunct(t, "(")) depth++;
        if (isPunct(t, ")")) depth--;
        if (depth === 0 && isPunct(t, "=") && init === undefined) init = [];
        else if (init) init.push(t);
        else if (kw(t) !== "AS") type.push(t);
        j++;
      }
      j++;
      vars.push({ name, type, init });
    }
    return { kind: "declare", vars };
  }

  private setOption(): Stmt {
    this.i++;
    const words: string[] = [];
    while (this.peek() && !this.peek()?.nl && !isPunct(this.peek(), ";")) words.push((this.t[this.i++] as Tok).text);
    return { kind: "set-option", option: (words[0] ?? "").toUpperCase(), value: words.slice(1).join(" ").toUpperCase() };
  }

  /** Tokens up to the end of this statement. */
  private rest(): Tok[] {
    const out: Tok[] = [];
    let depth = 0;
    let cases = 0;
    /** a query verb (SELECT, VALUES, …) came after the first word, outside parentheses */
    let mainQuery = false;
    for (;;) {
      const t = this.peek();
      if (!t) break;
      const k = kw(t);
      if (depth === 0 && isPunct(t, ";")) break;
      if (depth === 0 && cases === 0 && (k === "END" || k === "ELSE")) break;
      if (out.length > 0 && depth === 0 && t.nl && (LINE_START.has(k) || k === "SELECT") && !this.continues(out, k, mainQuery)) break;
      if (depth === 0 && QUERY_VERBS.has(k) && out.length > 0) mainQuery = true;
      if (isPunct(t, "(")) depth++;
      if (isPunct(t, ")")) depth--;
      if (k === "CASE") cases++;
      if (k === "END" && cases > 0) cases--;
      out.push(t);
      this.i++;
    }
    return out;
  }

  /**
   * Whether a statement keyword at the start of a line continues the statement so far (as SQL Server's
   * parser sees it) instead of starting a new one: "ON DELETE CASCADE" in DDL, "UNION [ALL]\nSELECT",
   * "INSERT INTO t (…)\nSELECT …", "WITH cte AS (…)\nSELECT/UPDATE/…", "CREATE VIEW v AS\nSELECT", "… FOR\nSELECT".
   */
  private continues(out: Tok[], word: string, mainQuery: boolean): boolean {
    const previous = kw(out[out.length - 1]);
    if (previous === "ON") return true;
    if (["UNION", "ALL", "EXCEPT", "INTERSECT", "AS", "FOR"].includes(previous)) return true;
    const first = kw(out[0]);
    if (first === "WITH" && !mainQuery) return true;
    if (first === "INSERT" && word === "SELECT" && !mainQuery) return true;
    return false;
  }
}
