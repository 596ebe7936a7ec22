import type { Socket } from "node:net";
import type { Database } from "better-sqlite3";
import { ByteReader } from "./bytes.js";
import { Cancelled, type DbLock } from "./db-lock.js";
import type { SessionState } from "./context.js";
import { checkNtlmAuthenticate, negotiateTdsVersion, parseLogin7, preloginResponse, TDS_7_4, writeLoginFailed, writeLoginOk, writeLoginRefused } from "./login.js";
import { buildChallenge } from "./ntlm.js";
import { MessageWriter, PacketReader, PacketType, type TdsMessage } from "./packets.js";
import type { SqliteValue } from "./params.js";
import type { ProcedureHandler } from "./procedures.js";
import { runRpc, runSqlBatch, runTransactionManager, type RequestContext } from "./requests.js";
import type { SchemaInfo } from "./tsql/rewrite.js";
import { Done, Token, writeDone, writeEnvResetConnection, writeMessage, writeSspi } from "./tokens.js";

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
  procedures: Record<string, ProcedureHandler> | undefined;
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
  /** the TDS version LOGINACK announced */
  private tdsVersion = TDS_7_4;
  private queue: TdsMessage[] = [];
  private busy = false;
  private attention = false;
  private closed = false;
  readonly state: SessionState;

  constructor(
    private readonly socket: Socket,
    private readonly server: ServerContext,
  ) {
    this.state = {
      spid: server.nextSpid(), database: "master", login: "", tranCount: 0, nocount: false, xactAbort: false,
      scopeIdentity: null, rowCount: 0, lastError: 0, caught: undefined, savepoints: [], txDescriptor: Buffer.alloc(8),
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
      if (this.closed) this.cleanup();
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
    const version = negotiateTdsVersion(login.tdsVersion);
    if ("refused" in version) {
      const w = this.writer();
      writeLoginRefused(w.out, version.refused, login.tdsVersion);
      w.end();
      this.socket.end();
      return;
    }
    this.tdsVersion = version.version;
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
    this.loginOk(database, login.userName);
  }

  private sspi(data: Buffer): void {
    if (!this.ntlm) return this.loginFailed("");
    const user = checkNtlmAuthenticate(data, this.ntlm.challenge, this.server.logins);
    if (!user.ok) return this.loginFailed(user.name);
    const key = Object.keys(this.server.logins).find((k) => k.toLowerCase() === user.name.toLowerCase());
    this.loginOk(this.ntlm.database, key ?? user.name);
  }

  private loginFailed(user: string): void {
    const w = this.writer();
    writeLoginFailed(w.out, user);
    w.end();
    this.socket.end();
  }

  private loginOk(database: string, login: string): void {
    this.loggedIn = true;
    this.state.database = database;
    this.state.login = login;
    const w = this.writer();
    writeLoginOk(w.out, database, this.packetSize, this.tdsVersion);
    w.end();
  }

  private async request(m: TdsMessage): Promise<void> {
    const r = new ByteReader(m.data);
    if (m.type !== PacketType.TRANSACTION_MANAGER && m.type !== PacketType.SQL_BATCH && m.type !== PacketType.RPC) {
      const w = this.writer();
      writeMessage(w.out, { number: 50000, class: 16, message: `TDS message type 0x${m.type.toString(16)} (e.g. bulk load) is not supported by this test server.` });
      writeDone(w.out, Token.DONE, Done.ERROR);
      w.end();
      return;
    }
    const headersLength = m.data.length >= 4 ? m.data.readUInt32LE(0) : 0;
    if (headersLength >= 4 && headersLength <= m.data.length) r.pos = headersLength;
    const w = this.writer();
    if (m.reset) this.resetSession(w);
    const ctx: RequestContext = { server: this.server, state: this.state, owner: this, w, cancelled: () => this.attention || this.socket.destroyed };
    try {
      if (m.type === PacketType.SQL_BATCH) await runSqlBatch(ctx, r.buf.toString("utf16le", r.pos));
      else if (m.type === PacketType.RPC) await runRpc(ctx, r);
      else await runTransactionManager(ctx, r);
    } finally {
      if (this.state.tranCount === 0) this.server.lock.release(this);
      w.end();
    }
  }

  /** RESETCONNECTION (connection pools): roll back, restore SET options, acknowledge with ENVCHANGE 18. */
  private resetSession(w: MessageWriter): void {
    if (this.state.tranCount > 0 && this.server.db.inTransaction) this.server.db.exec("ROLLBACK");
    Object.assign(this.state, { tranCount: 0, nocount: false, xactAbort: false, scopeIdentity: null, savepoints: [], txDescriptor: Buffer.alloc(8) });
    this.server.lock.release(this);
    writeEnvResetConnection(w.out);
  }

  /** The client went away: stop waiting for the lock; clean up now, or when the running request has stopped. */
  private close(): void {
    this.closed = true;
    this.server.lock.abandon(this, new Cancelled("closed"));
    if (!this.busy) this.cleanup();
  }

  /** Rolls back what the session left open and lets the next session in. */
  private cleanup(): void {
    if (this.state.tranCount > 0 && this.server.lock.holds(this)) {
      try {
        if (this.server.db.open && this.server.db.inTransaction) this.server.db.exec("ROLLBACK");
      } catch {
        // the server is stopping; nothing to roll back into
      }
      this.state.tranCount = 0;
    }
    this.server.lock.release(this);
  }
}
