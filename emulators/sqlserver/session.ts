import type { Socket } from "node:net";
import type { SecureContext } from "node:tls";
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
import { answerEncryption, clientEncryption, Encrypt, TdsTls, type TdsTlsOptions } from "./tls.js";

/** What sessions share: the database, its lock and the server's settings. */
export interface ServerContext {
  db: Database;
  lock: DbLock;
  logins: Record<string, string>;
  /** the databases a login may ask for (sys.databases), lower case: SQL Server compares names case-insensitively */
  databases: ReadonlySet<string>;
  /** logs the statement text and calls the test's `onQuery` hook (which may throw to inject an error) */
  recordQuery(sql: string, params: ReadonlyMap<string, SqliteValue>): void;
  /** makes `s` the session the SQL functions (SCOPE_IDENTITY, @@ROWCOUNT, …) read; refreshes the schema cache */
  enter(s: SessionState): void;
  schema: SchemaInfo;
  procedures: Record<string, ProcedureHandler> | undefined;
  newTxDescriptor(): Buffer;
  nextSpid(): number;
  /** server certificate (TLS at login) and its secure context */
  tls: { options: TdsTlsOptions; context: SecureContext } | undefined;
}

/**
 * One client connection: PRELOGIN (with the TLS handshake inside PRELOGIN messages when encryption is
 * negotiated) → LOGIN7 (SQL login, or NTLM via SSPI) → requests (SQL batch, RPC, transaction manager), one
 * at a time; an ATTENTION stops the running request and is acknowledged with a DONE(ATTN) message of its own.
 * ENCRYPT_ON: everything after the handshake is TLS; ENCRYPT_OFF: only the LOGIN7 message is.
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
  /** where responses go: the TCP socket, or the TLS socket over it */
  private socket: Socket;
  private tls: TdsTls | undefined;
  /** PRELOGIN answered with the encryption in effect; later PRELOGIN messages carry the TLS handshake */
  private encryption: number | undefined;
  readonly state: SessionState;

  constructor(
    private readonly raw: Socket,
    private readonly server: ServerContext,
  ) {
    this.socket = raw;
    this.state = {
      spid: server.nextSpid(), database: "master", login: "", tranCount: 0, nocount: false, xactAbort: false,
      scopeIdentity: null, rowCount: 0, lastError: 0, caught: undefined, savepoints: [], txDescriptor: Buffer.alloc(8),
    };
    const reader = new PacketReader((m) => this.enqueue(m), () => this.onAttention());
    const read = (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        raw.destroy();
      }
    };
    this.read = read;
    raw.on("data", (chunk: Buffer) => {
      if (this.socket !== raw && this.tls) this.tls.input(chunk);
      else read(chunk);
    });
    raw.on("close", () => this.close());
    raw.on("error", () => raw.destroy());
  }

  private readonly read: (chunk: Buffer) => void;

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
      this.raw.destroy();
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
      case PacketType.PRELOGIN: return this.prelogin(m.data);
      case PacketType.LOGIN7:
        if (this.encryption !== undefined && this.encryption !== Encrypt.NOT_SUP && this.socket === this.raw) {
          // encryption was agreed, but the login came in clear text: SQL Server drops such a client
          this.raw.destroy();
          return;
        }
        if (this.encryption === Encrypt.OFF && this.tls) {
          // login-only encryption: the LOGIN7 message was the encrypted one; the rest is clear text
          this.tls.plain();
          this.socket = this.raw;
        }
        return this.login(m.data);
      case PacketType.SSPI: return this.sspi(m.data);
      default:
        if (!this.loggedIn) {
          this.raw.destroy();
          return;
        }
        return this.request(m);
    }
  }

  /** The first PRELOGIN negotiates; with encryption agreed, the following ones carry the TLS handshake. */
  private prelogin(data: Buffer): void {
    if (this.tls) {
      this.tls.handshakeInput(data);
      return;
    }
    if (this.encryption !== undefined) {
      this.raw.destroy();
      return;
    }
    const tls = this.server.tls;
    this.encryption = answerEncryption(clientEncryption(data), tls?.options);
    const w = this.writer();
    w.out.bytes(preloginResponse(this.encryption));
    w.end();
    if (this.encryption === Encrypt.REQ && clientEncryption(data) === Encrypt.NOT_SUP) {
      // encryption is forced and this client cannot encrypt
      this.raw.end();
      return;
    }
    if (tls && this.encryption !== Encrypt.NOT_SUP) {
      this.tls = new TdsTls(
        this.raw,
        tls.context,
        (records) => {
          const hw = new MessageWriter(this.raw, this.packetSize, PacketType.PRELOGIN);
          hw.out.bytes(records);
          hw.end();
        },
        () => {
          if (!this.tls) return;
          this.socket = this.tls.socket;
          this.tls.socket.on("data", this.read);
        },
      );
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
    if (!this.server.databases.has(database.toLowerCase())) {
      const w = this.writer();
      writeLoginFailed(w.out, login, database);
      w.end();
      this.socket.end();
      return;
    }
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
    const ctx: RequestContext = { server: this.server, state: this.state, owner: this, w, cancelled: () => this.attention || this.raw.destroyed };
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
    this.tls?.socket.destroy();
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
