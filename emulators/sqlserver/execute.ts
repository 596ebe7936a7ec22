import type { RunContext } from "./context.js";
import { Cancelled } from "./db-lock.js";
import { isStatementLevel, toSqlError } from "./errors.js";
import type { SqliteValue } from "./params.js";
import { streamResultSet } from "./results.js";
import { SqlError, ThrowError, Unsupported } from "./sql-error.js";
import { Done, Token, writeDone, writeMessage } from "./tokens.js";
import { beginTransaction, commitTransaction, endTransaction, rollbackTransaction, saveTransaction } from "./transactions.js";
import { assignmentSelect, type AssignmentSelect } from "./tsql/assign.js";
import { rewriteExpression, rewriteStatement } from "./tsql/rewrite.js";
import { splitBatch, type Stmt } from "./tsql/split.js";
import { isPunct, kw, tok, tokenize, type Tok } from "./tsql/tokenize.js";
import { bindVariables, throwError } from "./variables.js";


class BatchAbort extends Error {}
/** An error inside BEGIN TRY, on its way to the CATCH block. */
class CaughtError extends Error {
  constructor(readonly error: SqlError) {
    super(error.message);
  }
}

const COUNTED = new Set(["INSERT", "UPDATE", "DELETE", "SELECT", "WITH"]);
const QUERY_VERBS = new Set([...COUNTED, "VALUES", "PRAGMA", "EXPLAIN"]);

/**
 * Runs a T-SQL batch: splits it into statements, rewrites each for SQLite and writes the TDS tokens.
 * Like SQL Server, a constraint violation fails only its statement (the batch goes on, unless
 * XACT_ABORT is ON, which also rolls the transaction back); other errors end the batch.
 * Returns whether any error was reported.
 */
export async function runBatch(sql: string, ctx: RunContext): Promise<boolean> {
  const r = new Runner(ctx);
  try {
    await r.all(splitBatch(tokenize(sql)));
  } catch (e) {
    if (e instanceof Cancelled) throw e;
    if (!(e instanceof BatchAbort)) r.fail(toSqlError(e, ctx.session.database, ctx.schema.uniqueIndex));
  }
  if (!ctx.inProc) r.finish();
  return r.failed;
}

const DONE_SIZE = 13;
const TYPED_VARIABLES = new Set(["DATE", "DATETIME", "DATETIME2", "SMALLDATETIME", "DATETIMEOFFSET", "TIME", "INT", "BIGINT", "SMALLINT", "TINYINT", "BIT", "DECIMAL", "NUMERIC", "FLOAT", "REAL", "MONEY"]);

/**
 * SET options that change how values are read: this server reads date literals as SQL Server does with
 * language us_english and DATEFORMAT mdy (tedious sends exactly these) and refuses other settings rather than
 * reading dates differently from what the client asked for.
 */
function checkSetOption(option: string, value: string): void {
  const v = value.replace(/^N?'(.*)'$/, "$1").replace(/^\[(.*)\]$/, "$1").toUpperCase();
  if (option === "DATEFORMAT" && v !== "MDY") {
    throw new Unsupported(`SET DATEFORMAT ${value.toLowerCase()} is not supported by this test server: it reads dates as DATEFORMAT mdy (us_english) only.`);
  }
  if (option === "LANGUAGE" && !["US_ENGLISH", "ENGLISH"].includes(v)) {
    throw new Unsupported(`SET LANGUAGE ${value} is not supported by this test server: it speaks us_english only (month names, DATEFORMAT mdy).`);
  }
}

class Runner {
  failed = false;
  private tryDepth = 0;
  private lastDone: { at: number; generation: number } | undefined;
  constructor(private readonly ctx: RunContext) {}

  /** The batch's last DONE must not have the MORE bit: clear it if still unsent, else add a final DONE. */
  finish(): void {
    const { out } = this.ctx;
    const last = this.lastDone;
    if (last && last.generation === out.generation && out.out.length === last.at + DONE_SIZE) {
      const status = out.out.view(last.at + 1, last.at + 3).readUInt16LE(0);
      out.out.patchU16(last.at + 1, status & ~Done.MORE);
      return;
    }
    writeDone(out.out, Token.DONE, this.failed ? Done.ERROR : 0);
  }

  private done(status: number, count?: number): void {
    const counted = count !== undefined && !this.ctx.session.nocount;
    this.lastDone = { at: this.ctx.out.out.length, generation: this.ctx.out.generation };
    writeDone(this.ctx.out.out, this.ctx.inProc ? Token.DONEINPROC : Token.DONE, status | Done.MORE | (counted ? Done.COUNT : 0), counted ? count : 0);
  }

  fail(e: SqlError): void {
    this.failed = true;
    this.ctx.session.lastError = e.number;
    writeMessage(this.ctx.out.out, { number: e.number, class: e.severity, state: e.state, message: e.message });
    this.done(Done.ERROR);
  }

  async all(stmts: Stmt[]): Promise<void> {
    for (const s of stmts) {
      if (this.ctx.cancelled()) return;
      try {
        await this.one(s);
        this.ctx.session.lastError = 0;
      } catch (e) {
        if (e instanceof BatchAbort || e instanceof Cancelled || e instanceof CaughtError) throw e;
        const err = toSqlError(e, this.ctx.session.database, this.ctx.schema.uniqueIndex);
        this.syncTransaction();
        if (this.tryDepth > 0) throw new CaughtError(err);
        this.fail(err);
        if (this.ctx.session.xactAbort && this.ctx.session.tranCount > 0) this.endTransaction(false);
        if (err instanceof ThrowError || this.ctx.session.xactAbort || !isStatementLevel(err)) throw new BatchAbort();
      }
    }
  }

  private async one(s: Stmt): Promise<void> {
    const { session } = this.ctx;
    switch (s.kind) {
      case "sql": return this.sql(s.tokens);
      case "begin-tran": return this.beginTransaction();
      case "commit":
        commitTransaction(this.ctx.db, session, this.ctx.out.out);
        this.done(0);
        return;
      case "rollback":
        rollbackTransaction(this.ctx.db, session, this.ctx.out.out, s.name);
        this.done(0);
        return;
      case "save":
        await this.ctx.lock();
        saveTransaction(this.ctx.db, session, s.name);
        this.done(0);
        return;
      case "set-option":
        checkSetOption(s.option, s.value);
        if (s.option === "NOCOUNT") session.nocount = s.value === "ON";
        if (s.option === "XACT_ABORT") session.xactAbort = s.value === "ON";
        this.done(0);
        return;
      case "declare":
        for (const v of s.vars) {
          const name = v.name.slice(1).toLowerCase();
          this.varTypes.set(name, v.type);
          this.ctx.vars.set(name, v.init ? await this.scalar(this.typed(name, v.init)) : null);
        }
        return;
      case "set-var":
        this.ctx.vars.set(s.name.slice(1).toLowerCase(), await this.scalar(this.typed(s.name.slice(1).toLowerCase(), s.expr)));
        this.done(0);
        return;
      case "if": {
        const cond = await this.scalar(s.cond, true);
        const branch = cond === 1 ? s.then : s.else;
        if (branch) await this.all(branch);
        return;
      }
      case "throw": return this.throwStatement(s.args);
      case "print":
        writeMessage(this.ctx.out.out, { number: 0, class: 0, message: String((await this.scalar(s.expr)) ?? "") }, true);
        return;
      case "raiserror": return this.raiserror(s.args);
      case "try": return this.tryCatch(s.body, s.handler);
      case "noop": return;
    }
  }

  /** declared types of the batch's variables: a value assigned to one is converted to its type, as on SQL Server */
  private readonly varTypes = new Map<string, Tok[]>();

  private typed(name: string, expr: Tok[]): Tok[] {
    const type = this.varTypes.get(name);
    if (!type || type.length === 0 || !TYPED_VARIABLES.has(kw(type[0]))) return expr;
    return [tok("word", "CAST"), tok("punct", "("), ...expr, tok("word", "AS"), ...type, tok("punct", ")")];
  }

  private bindings(tokens: Tok[]): unknown[] {
    return bindVariables(tokens, this.ctx.vars);
  }

  private async scalar(expr: Tok[], condition = false): Promise<SqliteValue> {
    await this.ctx.lock();
    this.ctx.beforeStatement();
    const sql = condition ? `SELECT CASE WHEN ${rewriteExpression(expr, this.ctx.schema).slice(7)} THEN 1 ELSE 0 END` : rewriteExpression(expr, this.ctx.schema);
    return this.ctx.db.prepare(sql).pluck().get(...this.bindings(expr)) as SqliteValue;
  }

  private async sql(tokens: Tok[]): Promise<void> {
    await this.ctx.lock();
    this.ctx.beforeStatement();
    const assignment = assignmentSelect(tokens);
    if (assignment) return this.assign(assignment);
    const rw = rewriteStatement(tokens, this.ctx.schema);
    const { db, session } = this.ctx;
    const stmt = db.prepare(rw.sql);
    const bind = this.bindings(tokens);
    let count: number;
    if (stmt.reader && !QUERY_VERBS.has(rw.verb)) {
      // SQLite runs checks for some DDL (ALTER TABLE … ADD … CHECK) as a query; that is no result set
      stmt.all(...bind);
      count = 0;
    } else if (stmt.reader) {
      count = await streamResultSet(stmt, bind, this.ctx.out, this.ctx.cancelled, rw.columns);
      if (rw.verb === "INSERT") session.scopeIdentity = db.prepare("SELECT last_insert_rowid()").pluck().get() as number;
    } else {
      const info = stmt.run(...bind);
      count = info.changes;
      if (rw.verb === "INSERT" && info.changes > 0) session.scopeIdentity = Number(info.lastInsertRowid);
    }
    for (const extra of rw.after) db.exec(extra);
    if (rw.resetIdentity && db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get()) {
      db.prepare("DELETE FROM sqlite_sequence WHERE name = ? COLLATE NOCASE").run(rw.resetIdentity);
    }
    session.rowCount = count;
    this.done(0, COUNTED.has(rw.verb) ? count : undefined);
  }

  /** SELECT @a = x, … FROM …: the last row's values go into the variables; no result set is sent. */
  private assign(a: AssignmentSelect): void {
    for (const name of a.targets) if (!this.ctx.vars.has(name)) throw new SqlError(137, `Must declare the scalar variable "@${name}".`, 15, 2);
    const rows = this.ctx.db.prepare(rewriteStatement(a.query, this.ctx.schema).sql).raw(true).all(...this.bindings(a.query)) as SqliteValue[][];
    const last = rows[rows.length - 1];
    if (last) a.targets.forEach((name, i) => this.ctx.vars.set(name, last[i] ?? null));
    this.ctx.session.rowCount = rows.length;
    this.done(0, rows.length);
  }

  private async beginTransaction(): Promise<void> {
    await this.ctx.lock();
    beginTransaction(this.ctx.db, this.ctx.session, this.ctx.out.out, this.ctx.newTxDescriptor);
    this.done(0);
  }

  endTransaction(commit: boolean): void {
    endTransaction(this.ctx.db, this.ctx.session, this.ctx.out.out, commit);
  }

  /** SQLite may have rolled the transaction back by itself (e.g. on a full disk); follow it. */
  private syncTransaction(): void {
    if (this.ctx.session.tranCount > 0 && !this.ctx.db.inTransaction) this.endTransaction(false);
  }

  /** RAISERROR('message', severity, state): severity ≤ 10 is an informational message, higher an error. */
  private async raiserror(args: Tok[]): Promise<void> {
    const inner = isPunct(args[0], "(") ? args.slice(1, args.length - 1) : args;
    const parts = inner.filter((t) => !isPunct(t, ","));
    const message = parts[0]?.kind === "string" ? parts[0].text : String((await this.scalar(parts.slice(0, 1))) ?? "");
    const severity = Number(parts[1]?.text ?? 16);
    const state = Number(parts[2]?.text ?? 1);
    if (severity <= 10) {
      writeMessage(this.ctx.out.out, { number: 50000, class: severity, state, message }, true);
      return;
    }
    throw new SqlError(50000, message, severity, state);
  }

  private throwStatement(args: Tok[]): never {
    throw throwError(args, this.ctx.vars, this.ctx.session.caught);
  }

  /** BEGIN TRY … END TRY BEGIN CATCH … END CATCH: an error in the TRY part runs the CATCH part instead of reaching the client. */
  private async tryCatch(body: Stmt[], handler: Stmt[]): Promise<void> {
    let caught: SqlError | undefined;
    this.tryDepth++;
    try {
      await this.all(body);
    } catch (e) {
      if (!(e instanceof CaughtError)) throw e;
      caught = e.error;
    } finally {
      this.tryDepth--;
    }
    if (!caught) return;
    const previous = this.ctx.session.caught;
    this.ctx.session.caught = caught;
    try {
      await this.all(handler);
    } finally {
      this.ctx.session.caught = previous;
    }
  }
}
