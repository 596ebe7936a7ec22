import { createServer, type Server, type Socket } from "node:net";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { DbLock } from "./db-lock.js";
import type { SessionState } from "./context.js";
import { registerFunctions, SYSTEM_VIEWS, type FunctionContext } from "./functions.js";
import type { ProcedureHandler } from "./procedures.js";
import { Session, type ServerContext } from "./session.js";
import { tdsSecureContext, type TdsTlsOptions } from "./tls.js";

export interface TdsServerOptions {
  /** SQLite file path, or ":memory:" */
  database: string;
  /** TCP port; 0 or omitted picks a free one */
  port?: number;
  /** SQL logins (user → password); "DOMAIN\\user" keys are Windows (NTLM) logins */
  logins: Record<string, string>;
  /** listen address, default 127.0.0.1 */
  host?: string;
  /**
   * Test hook, called with every SQL batch text and sp_executesql statement (with its parameters, lower-case
   * names) before it runs. Throw `Object.assign(new Error("…"), { number: 1205 })` to make the request fail with
   * that SQL Server error instead (fault injection); nothing runs then.
   */
  onQuery?: (sql: string, params: Readonly<Record<string, unknown>>) => void;
  /** stored procedures answered in JS (tedious `callProcedure`), by name */
  procedures?: Record<string, ProcedureHandler>;
  /**
   * Server certificate for TLS at login (TDS 7.x: the handshake inside PRELOGIN packets, TLS 1.2). Without it
   * PRELOGIN answers ENCRYPT_NOT_SUP. `forceEncryption` refuses clients that do not encrypt.
   */
  tls?: TdsTlsOptions;
  /**
   * The user databases `sys.databases` lists (besides master, tempdb, model, msdb), default ["LVS2000"]. A login
   * asking for another name is refused (4060); every listed name reaches the same SQLite file: this server holds one database.
   */
  databaseNames?: readonly string[];
}

export interface TdsServer {
  port: number;
  /** the better-sqlite3 connection every session uses (seed and inspect through it) */
  db: Database;
  stop(): Promise<void>;
  /** T-SQL text received, in order (SQL batches and sp_executesql statements) */
  queries(): readonly string[];
  /** Cuts every open client connection (as a network failure would); the server keeps listening. */
  dropConnections(): void;
}

/** table (lower-case) → its ROWVERSION column */
function rowVersionColumnsOf(db: Database): Map<string, string> {
  const rows = db
    .prepare("SELECT m.name AS tbl, c.name AS col FROM sqlite_schema m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND upper(c.type) IN ('ROWVERSION', 'TIMESTAMP')")
    .all() as Array<{ tbl: string; col: string }>;
  return new Map(rows.map((r) => [r.tbl.toLowerCase(), r.col]));
}

/** A user-created unique index (CREATE UNIQUE INDEX, not a UNIQUE/PRIMARY KEY constraint) on exactly `columns`. */
function uniqueIndexOn(db: Database, table: string, columns: string[]): string | undefined {
  const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE AND sql LIKE 'CREATE UNIQUE%'").pluck().all(table) as string[];
  const wanted = [...columns].sort().join(",");
  return indexes.find((name) => {
    const cols = db.prepare("SELECT name FROM pragma_index_info(?)").pluck().all(name) as string[];
    return cols.map((c) => c.toLowerCase()).sort().join(",") === wanted;
  });
}

/** Highest stored ROWVERSION value, so the counter continues after a restart on a file database. */
function maxRowVersion(db: Database): bigint {
  let max = 2000n;
  for (const [table, column] of rowVersionColumnsOf(db)) {
    const v = db.prepare(`SELECT max("${column}") FROM "${table}"`).pluck().get();
    if (Buffer.isBuffer(v) && v.length === 8 && v.readBigUInt64BE() > max) max = v.readBigUInt64BE();
  }
  return max;
}

const SYSTEM_DATABASES = ["master", "tempdb", "model", "msdb"];

/** `sys.databases` (name, database_id): the four system databases, then the configured user databases. */
function sysDatabasesView(names: readonly string[]): string {
  const all = [...SYSTEM_DATABASES, ...names];
  const rows = all.map((n, i) => `SELECT '${n.replaceAll("'", "''")}' AS name, ${i + 1} AS database_id`).join(" UNION ALL ");
  return `DROP VIEW IF EXISTS temp.tds_sys_databases; CREATE TEMP VIEW tds_sys_databases AS ${rows};`;
}

function openDatabase(path: string, fn: () => FunctionContext): Database {
  const db = new BetterSqlite3(path);
  db.pragma("foreign_keys = ON");
  if (path !== ":memory:") {
    // a test server: durable enough across a crash of this process, without an fsync per commit
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  }
  let rowVersion = 0n;
  registerFunctions(db, fn, () => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(++rowVersion);
    return b;
  });
  rowVersion = maxRowVersion(db);
  db.exec(SYSTEM_VIEWS);
  return db;
}

/**
 * Starts the wire-level TDS test server over SQLite (not SQL Server): tedious and FreeTDS connect to it as to
 * SQL Server (TDS 7.3/7.4, TLS at login when `tls` is given), and T-SQL is rewritten to SQLite (see README.md
 * for what is supported).
 */
export async function startTdsServer(options: TdsServerOptions): Promise<TdsServer> {
  const log: string[] = [];
  let current: SessionState | undefined;
  const objectIds = new Map<string, number>();
  let schemaVersion = -1;
  let rowVersionColumns = new Map<string, string>();
  /** declared column types per table (lower-case name), read from SQLite on first use after a schema change */
  const tableColumns = new Map<string, Array<{ name: string; type: string }>>();
  const columnsOf = (table: string): Array<{ name: string; type: string }> => {
    const key = table.toLowerCase();
    let cols = tableColumns.get(key);
    if (!cols) {
      cols = db.prepare("SELECT name, type FROM pragma_table_info(?)").all(table) as Array<{ name: string; type: string }>;
      tableColumns.set(key, cols);
    }
    return cols;
  };
  const fnContext = (): FunctionContext => ({
    scopeIdentity: current?.scopeIdentity ?? null, rowCount: current?.rowCount ?? 0, tranCount: current?.tranCount ?? 0,
    spid: current?.spid ?? 0, database: current?.database ?? "master", login: current?.login ?? "", lastError: current?.lastError ?? 0, objectIds,
    caught: current?.caught,
  });
  const db = openDatabase(options.database, fnContext);
  const databaseNames = options.databaseNames ?? ["LVS2000"];
  db.exec(sysDatabasesView(databaseNames));
  let spid = 50;
  let tx = 0n;
  const ctx: ServerContext = {
    db,
    lock: new DbLock(),
    logins: options.logins,
    databases: new Set([...SYSTEM_DATABASES, ...databaseNames].map((n) => n.toLowerCase())),
    procedures: options.procedures,
    recordQuery(sql, params) {
      log.push(sql);
      options.onQuery?.(sql, Object.fromEntries(params));
    },
    enter(s) {
      current = s;
      const version = db.pragma("schema_version", { simple: true }) as number;
      if (version === schemaVersion) return;
      schemaVersion = version;
      objectIds.clear();
      tableColumns.clear();
      for (const row of db.prepare("SELECT name, rowid AS id FROM sqlite_schema WHERE type IN ('table', 'view')").all() as Array<{ name: string; id: number }>) {
        objectIds.set(row.name.toLowerCase(), row.id);
      }
      rowVersionColumns = rowVersionColumnsOf(db);
    },
    schema: {
      rowVersionColumn: (table) => rowVersionColumns.get(table),
      uniqueIndex: (table, columns) => uniqueIndexOn(db, table, columns),
      columnType: (table, column) => columnsOf(table).find((c) => c.name.toLowerCase() === column.toLowerCase())?.type,
      columns: (table) => columnsOf(table).map((c) => c.name),
    },
    newTxDescriptor() {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(++tx);
      return b;
    },
    nextSpid: () => ++spid,
    tls: options.tls ? { options: options.tls, context: tdsSecureContext(options.tls) } : undefined,
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    new Session(socket, ctx);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    db,
    queries: () => [...log],
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}
