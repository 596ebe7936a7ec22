import type { Socket } from "node:net";
import type { Database } from "better-sqlite3";
import { ByteReader } from "./bytes.js";
import { Cancelled, type DbLock } from "./db-lock.js";
import { runBatch, type RunContext, type SessionState } from "./execute.js";
import { checkNtlmAuthenticate, parseLogin7, preloginResponse, writeLoginFailed, writeLoginOk } from "./login.js";
import { buildChallenge } from "./ntlm.js";
import { MessageWriter, PacketReader, PacketType, type TdsMessage } from "./packets.js";
import { readParams, type SqliteValue } from "./params.js";
import { SqlError } from "./sql-error.js";
import type { SchemaInfo } from "./tsql/rewrite.js";
import { Done, Token, writeDone, writeMessage, writeReturnStatus, writeSspi } from "./tokens.js";
import { beginTransaction, commitTransaction, rollbackTransaction, saveTransaction } from "./transactions.js";

/** A thrown SqlError, or any error with a numeric `number` (and optional `class`) as a test hook throws it. */
function asSqlError(e: unknown): SqlError {
  if (e instanceof SqlError) return e;
  const x = e as { number?: unknown; class?: unknown; message?: unknown };
  const number = typeof x.number === "number" ? x.number : 50000;
  return new SqlError(number, String(x.message ?? e), typeof x.class === "number" ? x.class : 16);
}

/** What sessions share: the database, its lock and the server's settings. */
export interface ServerContext {
  db: Database;
  lock: DbLock;
  logins: Record<string, string>;
  /** logs the statement text and calls the test's `onQuery` hook (which may throw to inject an error) */
  recordQuery(sql: string, params: ReadonlyMap<string, SqliteValue>): void;
  /** makes `s` the session the SQL functions (SCOPE_IDENTITY, @@ROWCOUNT, …) read; refreshes the schema cache */
  enter(s: SessionState): void;
  schema: SchemaInfo;
  newTxDescriptor(): Buffer;
  nextSpid(): number;
}

/**
 * One client connection: PRELOGIN → LOGIN7 (SQL login, or NTLM via SSPI) → requests (SQL batch, RPC,
 * transaction manager), one at a time; an ATTENTION stops the running request and is acknowledged with
 * a DONE(ATTN) message of its own.
 */
export class Session {
  private packetSize = 4096;
  private loggedIn = false;
  private ntlm: { challenge: Buffer; database: string } | undefined;
  private queue: TdsMessage[] = [];
  private busy = false;
  private attention = false;
  readonly state: SessionState;

  constructor(
    private readonly socket: Socket,
    private readonly server: ServerContext,
  ) {
    this.state = {
      spid: server.nextSpid(), database: "master", tranCount: 0, nocount: false, xactAbort: false,
      scopeIdentity: null, rowCount: 0, lastError: 0, savepoints: [], txDescriptor: Buffer.alloc(8),
    };
    const reader = new PacketReader((m) => this.enqueue(m), () => this.onAttention());
    socket.on("data", (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        socket.destroy();
      }
    });
    socket.on("close", () => this.close());
    socket.on("error", () => socket.destroy());
  }

  private enqueue(m: TdsMessage): void {
    this.queue.push(m);
    void this.pump();
  }

  private onAttention(): void {
    this.attention = true;
    this.server.lock.abandon(this, new Cancelled("cancelled"));
    if (!this.busy) void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (;;) {
        const m = this.queue.shift();
        if (m) await this.handle(m);
        if (this.attention) {
          this.attention = false;
          const w = this.writer();
          writeDone(w.out, Token.DONE, Done.ATTN);
          w.end();
        }
        if (this.queue.length === 0) break;
      }
    } catch {
      this.socket.destroy();
    } finally {
      this.busy = false;
    }
  }

  private writer(): MessageWriter {
    return new MessageWriter(this.socket, this.packetSize);
  }

  private async handle(m: TdsMessage): Promise<void> {
    if (m.ignored) {
      const w = this.writer();
      writeDone(w.out, Token.DONE, 0);
      w.end();
      return;
    }
    switch (m.type) {
      case PacketType.PRELOGIN: {
        const w = this.writer();
        w.out.bytes(preloginResponse());
        w.end();
        return;
      }
      case PacketType.LOGIN7: return this.login(m.data);
      case PacketType.SSPI: return this.sspi(m.data);
      default:
        if (!this.loggedIn) {
          this.socket.destroy();
          return;
        }
        return this.request(m);
    }
  }

  private login(data: Buffer): void {
    const login = parseLogin7(data);
    this.packetSize = Math.min(32767, Math.max(512, login.packetSize || 4096));
    const database = login.database || "master";
    if (login.sspi) {
      const domainHint = Object.keys(this.server.logins).find((k) => k.includes("\\"))?.split("\\")[0] ?? "WORKGROUP";
      const challenge = buildChallenge(domainHint);
      this.ntlm = { challenge: challenge.serverChallenge, database };
      const w = this.writer();
      writeSspi(w.out, challenge.message);
      w.end();
      return;
    }
    const expected = this.server.logins[login.userName];
    if (expected === undefined || expected !== login.password) return this.loginFailed(login.userName);
    this.loginOk(database);
  }

  private sspi(data: Buffer): void {
    if (!this.ntlm) return this.loginFailed("");
    const user = checkNtlmAuthenticate(data, this.ntlm.challenge, this.server.logins);
    if (!user.ok) return this.loginFailed(user.name);
    this.loginOk(this.ntlm.database);
  }

  private loginFailed(user: string): void {
    const w = this.writer();
    writeLoginFailed(w.out, user);
    w.end();
    this.socket.end();
  }

  private loginOk(database: string): void {
    this.loggedIn = true;
    this.state.database = database;
    const w = this.writer();
    writeLoginOk(w.out, database, this.packetSize);
    w.end();
  }

  private async request(m: TdsMessage): Promise<void> {
    const r = new ByteReader(m.data);
    if (m.type !== PacketType.TRANSACTION_MANAGER && m.type !== PacketType.SQL_BATCH && m.type !== PacketType.RPC) {
      this.socket.destroy();
      return;
    }
    const headersLength = m.data.length >= 4 ? m.data.readUInt32LE(0) : 0;
    if (headersLength >= 4 && headersLength <= m.data.length) r.pos = headersLength;
    const w = this.writer();
    try {
      if (m.type === PacketType.SQL_BATCH) await this.batch(r.buf.toString("utf16le", r.pos), w);
      else if (m.type === PacketType.RPC) await this.rpc(r, w);
      else await this.transactionManager(r, w);
    } finally {
      if (this.state.tranCount === 0) this.server.lock.release(this);
      w.end();
    }
  }

  private runContext(w: MessageWriter, inProc: boolean, vars: Map<string, SqliteValue>): RunContext {
    return {
      db: this.server.db, session: this.state, out: w, inProc, vars,
      lock: () => this.server.lock.acquire(this),
      cancelled: () => this.attention,
      beforeStatement: () => this.server.enter(this.state),
      schema: this.server.schema,
      newTxDescriptor: () => this.server.newTxDescriptor(),
    };
  }

  private async batch(sql: string, w: MessageWriter): Promise<void> {
    let finished = false;
    await this.guard(w, async () => {
      this.server.recordQuery(sql, new Map());
      const failed = await runBatch(sql, this.runContext(w, false, new Map()));
      finished = true;
      return failed;
    });
    if (!finished) writeDone(w.out, Token.DONE, Done.ERROR);
  }

  private async rpc(r: ByteReader, w: MessageWriter): Promise<void> {
    const nameLength = r.u16();
    const proc = nameLength === 0xffff ? r.u16() : r.ucs2(nameLength);
    r.u16();
    let failed = true;
    await this.guard(w, async () => {
      const params = readParams(r);
      if (proc !== 10 && String(proc).toLowerCase() !== "sp_executesql") {
        throw new SqlError(2812, `Could not find stored procedure '${proc}'. This test server runs sp_executesql only.`);
      }
      const sql = String(params[0]?.value ?? "");
      const vars = new Map(params.slice(2).map((p) => [p.name.toLowerCase(), p.value] as const));
      this.server.recordQuery(sql, vars);
      failed = await runBatch(sql, this.runContext(w, true, vars));
      return failed;
    });
    writeReturnStatus(w.out, failed ? 1 : 0);
    writeDone(w.out, Token.DONEPROC, failed ? Done.ERROR : 0);
  }

  private async transactionManager(r: ByteReader, w: MessageWriter): Promise<void> {
    const type = r.u16();
    await this.guard(w, async () => {
      await this.server.lock.acquire(this);
      const { db } = this.server;
      if (type === 5) beginTransaction(db, this.state, w.out, () => this.server.newTxDescriptor());
      else if (type === 7) commitTransaction(db, this.state, w.out);
      else if (type === 8) rollbackTransaction(db, this.state, w.out);
      else if (type === 9) saveTransaction(db, this.state, r.ucs2(r.u8() / 2) || "sp");
      else throw new SqlError(50000, `Transaction manager request ${type} is not supported by this test server.`);
      return false;
    });
    writeDone(w.out, Token.DONE, 0);
  }

  /** Runs a request body; errors outside statements (bad RPC data, cancelled lock wait) become an ERROR token. */
  private async guard(w: MessageWriter, body: () => Promise<boolean>): Promise<boolean> {
    try {
      return await body();
    } catch (e) {
      if (e instanceof Cancelled) return true;
      const err = asSqlError(e);
      writeMessage(w.out, { number: err.number, class: err.severity, state: err.state, message: err.message });
      return true;
    }
  }

  private close(): void {
    if (this.state.tranCount > 0 && this.server.lock.holds(this)) {
      if (this.server.db.inTransaction) this.server.db.exec("ROLLBACK");
      this.state.tranCount = 0;
    }
    this.server.lock.abandon(this, new Cancelled("closed"));
    this.server.lock.release(this);
  }
}
