import type { ByteReader } from "./bytes.js";
import { Cancelled } from "./db-lock.js";
import type { RunContext, SessionState } from "./context.js";
import { runBatch } from "./execute.js";
import type { MessageWriter } from "./packets.js";
import { inferType, typeFromDeclaration, writeTypeInfo, writeValue } from "./column-types.js";
import { readParams, type RpcParam, type SqliteValue } from "./params.js";
import { findProcedure, writeJsResultSet } from "./procedures.js";
import type { ServerContext } from "./session.js";
import { SqlError } from "./sql-error.js";
import { Done, Token, writeDone, writeMessage, writeReturnStatus } from "./tokens.js";
import { beginTransaction, commitTransaction, rollbackTransaction, saveTransaction } from "./transactions.js";

/** One request of one session: where it writes, whose state it changes, whether it was cancelled. */
export interface RequestContext {
  server: ServerContext;
  state: SessionState;
  /** the session, as lock owner */
  owner: object;
  w: MessageWriter;
  cancelled(): boolean;
}

/** A thrown SqlError, or any error with a numeric `number` (and optional `class`) as a test hook throws it. */
function asSqlError(e: unknown): SqlError {
  if (e instanceof SqlError) return e;
  const x = e as { number?: unknown; class?: unknown; message?: unknown };
  const number = typeof x.number === "number" ? x.number : 50000;
  return new SqlError(number, String(x.message ?? e), typeof x.class === "number" ? x.class : 16);
}

function runContext(c: RequestContext, inProc: boolean, vars: Map<string, SqliteValue>): RunContext {
  return {
    db: c.server.db, session: c.state, out: c.w, inProc, vars,
    lock: () => c.server.lock.acquire(c.owner),
    cancelled: c.cancelled,
    beforeStatement: () => c.server.enter(c.state),
    schema: c.server.schema,
    newTxDescriptor: () => c.server.newTxDescriptor(),
  };
}

/** Runs a request body; errors outside statements (bad RPC data, a hook's error) become an ERROR token. */
async function guard(w: MessageWriter, body: () => Promise<boolean>): Promise<boolean> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof Cancelled) return true;
    const err = asSqlError(e);
    writeMessage(w.out, { number: err.number, class: err.severity, state: err.state, message: err.message });
    return true;
  }
}

/** SQL batch (packet type 1): statements end with DONE, the last without MORE. */
export async function runSqlBatch(c: RequestContext, sql: string): Promise<void> {
  let finished = false;
  await guard(c.w, async () => {
    c.server.recordQuery(sql, new Map());
    const failed = await runBatch(sql, runContext(c, false, new Map()));
    finished = true;
    return failed;
  });
  if (!finished) writeDone(c.w.out, Token.DONE, Done.ERROR);
}

/** RPC (packet type 3): sp_executesql with its typed parameters; DONEINPROC per statement, RETURNSTATUS, DONEPROC. */
export async function runRpc(c: RequestContext, r: ByteReader): Promise<void> {
  const nameLength = r.u16();
  const proc = nameLength === 0xffff ? r.u16() : r.ucs2(nameLength);
  r.u16();
  const failed = await guard(c.w, async () => {
    const params = readParams(r);
    if (proc !== 10 && String(proc).toLowerCase() !== "sp_executesql") return runProcedure(c, String(proc), params);
    const sql = String(params[0]?.value ?? "");
    const vars = new Map(params.slice(2).map((p) => [p.name.toLowerCase(), p.value] as const));
    c.server.recordQuery(sql, vars);
    const statementFailed = await runBatch(sql, runContext(c, true, vars));
    writeReturnStatus(c.w.out, statementFailed ? 1 : 0);
    writeOutputParams(c.w, params, String(params[1]?.value ?? ""), vars);
    return statementFailed;
  });
  writeDone(c.w.out, Token.DONEPROC, failed ? Done.ERROR : 0);
}

/** A named procedure, answered by the JS handler the test registered (tedious `callProcedure`). */
async function runProcedure(c: RequestContext, name: string, params: RpcParam[]): Promise<boolean> {
  const handler = findProcedure(c.server.procedures, name);
  if (!handler) throw new SqlError(2812, `Could not find stored procedure '${name}'.`);
  const values = Object.fromEntries(params.map((p) => [p.name.toLowerCase(), p.value]));
  c.server.recordQuery(`EXEC ${name}`, new Map(Object.entries(values) as Array<[string, SqliteValue]>));
  await c.server.lock.acquire(c.owner);
  c.server.enter(c.state);
  const result = handler(values, c.server.db) ?? {};
  for (const rows of result.resultSets ?? []) writeJsResultSet(c.w.out, rows);
  writeReturnStatus(c.w.out, result.returnStatus ?? 0);
  return false;
}

/** Declared types of sp_executesql's parameters ("@a int, @b nvarchar(50) OUTPUT"), by lower-case name. */
function declaredTypes(declarations: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let current = "";
  for (const ch of `${declarations},`) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch !== "," || depth > 0) { current += ch; continue; }
    const m = /^\s*@(\S+)\s+(.+?)(?:\s+(?:OUTPUT|OUT))?\s*$/i.exec(current);
    if (m?.[1] && m[2]) out.set(m[1].toLowerCase(), m[2]);
    current = "";
  }
  return out;
}

/** RETURNVALUE tokens for OUTPUT parameters, with the values the statements left in them. */
function writeOutputParams(w: MessageWriter, params: RpcParam[], declarations: string, vars: Map<string, SqliteValue>): void {
  const types = declaredTypes(declarations);
  params.forEach((p, ordinal) => {
    if (!p.output || ordinal < 2) return;
    const name = p.name.toLowerCase();
    const type = typeFromDeclaration(types.get(name)) ?? inferType(vars.get(name));
    const at = w.out.length;
    try {
      w.out.u8(Token.RETURNVALUE).u16(ordinal).bVarchar(`@${p.name}`).u8(0x01).u32(0).u16(0x0001);
      writeTypeInfo(w.out, type);
      writeValue(w.out, type, vars.get(name));
    } catch (e) {
      w.out.length = at;
      throw e;
    }
  });
}

/** Transaction manager request (packet type 14): begin 5, commit 7, rollback 8, save 9. */
export async function runTransactionManager(c: RequestContext, r: ByteReader): Promise<void> {
  const type = r.u16();
  await guard(c.w, async () => {
    await c.server.lock.acquire(c.owner);
    const { db } = c.server;
    if (type === 5) beginTransaction(db, c.state, c.w.out, () => c.server.newTxDescriptor());
    else if (type === 7) commitTransaction(db, c.state, c.w.out);
    else if (type === 8) rollbackTransaction(db, c.state, c.w.out);
    else if (type === 9) saveTransaction(db, c.state, r.ucs2(r.u8() / 2) || "sp");
    else throw new SqlError(50000, `Transaction manager request ${type} is not supported by this test server.`);
    return false;
  });
  writeDone(c.w.out, Token.DONE, 0);
}
