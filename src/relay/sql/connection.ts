import * as tls from "node:tls";
import { Connection, ConnectionError, ISOLATION_LEVEL, Request, TYPES, type ConnectionConfiguration } from "tedious";

/**
 * A small tedious connection pool: a fixed number of connections, each used by one caller at a
 * time, with a FIFO queue of waiters. Every statement is parameterised (`@name` + typed value);
 * the pool never builds SQL from values. A connection that fails is dropped and reopened later.
 */

export type SqlType = (typeof TYPES)[keyof typeof TYPES];
export interface SqlParam {
  name: string;
  type: SqlType;
  value: unknown;
}
export type SqlRow = Record<string, unknown>;

export interface SqlSession {
  /** Runs one parameterised statement; resolves with its rows (column name → value) and row count. */
  query(sql: string, params?: readonly SqlParam[]): Promise<{ rows: SqlRow[]; rowCount: number }>;
}

export interface SqlPool extends SqlSession {
  /** Runs fn on one connection inside a transaction; commits when fn resolves, rolls back when it throws. */
  transaction<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type SqlAuth = { type: "sql"; userName: string; password: string } | { type: "ntlm"; userName: string; password: string; domain: string };

export interface SqlPoolOptions {
  server: string;
  port: number;
  /** a named instance (SERVER\\INSTANCE): its port is asked from the SQL Server Browser (UDP 1434) instead of `port` */
  instanceName?: string;
  database: string;
  auth: SqlAuth;
  encrypt: boolean;
  trustServerCertificate: boolean;
  /** PEM CA certificate(s) the server certificate must chain to (added to the system's CAs); with encrypt and not trustServerCertificate */
  ca?: string;
  size: number;
  requestTimeoutMs?: number;
}

/** The tedious configuration for SQL Server authentication or Windows (NTLM) authentication. */
export function tediousConfig(o: SqlPoolOptions): ConnectionConfiguration {
  const authentication =
    o.auth.type === "ntlm"
      ? { type: "ntlm" as const, options: { userName: o.auth.userName, password: o.auth.password, domain: o.auth.domain } }
      : { type: "default" as const, options: { userName: o.auth.userName, password: o.auth.password } };
  return {
    server: o.server,
    authentication,
    options: {
      ...(o.instanceName ? { instanceName: o.instanceName } : { port: o.port }),
      database: o.database,
      encrypt: o.encrypt,
      trustServerCertificate: o.trustServerCertificate,
      ...(o.ca ? { cryptoCredentialsDetails: { ca: [...tls.rootCertificates, o.ca] } } : {}),
      requestTimeout: o.requestTimeoutMs ?? 60_000,
      connectTimeout: 15_000,
      useUTC: true,
    },
  };
}

function open(config: ConnectionConfiguration): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const c = new Connection(config);
    c.connect((err) => (err ? reject(err) : resolve(c)));
  });
}

function run(conn: Connection, sql: string, params: readonly SqlParam[]): Promise<{ rows: SqlRow[]; rowCount: number }> {
  return new Promise((resolve, reject) => {
    const rows: SqlRow[] = [];
    const req = new Request(sql, (err, rowCount) => (err ? reject(err) : resolve({ rows, rowCount: rowCount ?? 0 })));
    for (const p of params) req.addParameter(p.name, p.type, p.value);
    req.on("row", (columns: { metadata: { colName: string }; value: unknown }[]) => {
      const row: SqlRow = {};
      for (const c of columns) row[c.metadata.colName] = c.value;
      rows.push(row);
    });
    conn.execSql(req);
  });
}

const session = (conn: Connection): SqlSession => ({ query: (sql, params = []) => run(conn, sql, params) });

function inTransaction<T>(conn: Connection, fn: (s: SqlSession) => Promise<T>): Promise<T> {
  const step = (f: (cb: (err?: Error | null) => void) => void) => new Promise<void>((res, rej) => f((e) => (e ? rej(e) : res())));
  return (async () => {
    await step((cb) => conn.beginTransaction(cb, "", ISOLATION_LEVEL.READ_COMMITTED));
    try {
      const result = await fn(session(conn));
      await step((cb) => conn.commitTransaction(cb));
      return result;
    } catch (e) {
      await step((cb) => conn.rollbackTransaction(cb)).catch(() => undefined);
      throw e;
    }
  })();
}

/** Opens connections lazily, up to `size`; callers beyond that wait their turn (FIFO). */
export function createSqlPool(o: SqlPoolOptions): SqlPool {
  const config = tediousConfig(o);
  const idle: Connection[] = [];
  const waiters: { resolve: (c: Connection) => void; reject: (e: unknown) => void }[] = [];
  const live = new Set<Connection>();
  let opening = 0;
  let closed = false;

  function drop(c: Connection): void {
    if (live.delete(c)) c.close();
    const next = waiters.shift();
    if (next) acquire().then(next.resolve, next.reject);
  }

  async function acquire(): Promise<Connection> {
    if (closed) throw new Error("SQL pool is closed");
    const ready = idle.pop();
    if (ready) return ready;
    if (live.size + opening >= o.size) return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    opening++;
    try {
      const c = await open(config);
      live.add(c);
      c.on("error", () => undefined);
      c.on("end", () => {
        const at = idle.indexOf(c);
        if (at >= 0) idle.splice(at, 1);
        live.delete(c);
      });
      opening--;
      return c;
    } catch (e) {
      opening--;
      const next = waiters.shift();
      if (next) acquire().then(next.resolve, next.reject);
      throw e;
    }
  }

  function release(c: Connection, healthy: boolean): void {
    if (!healthy || closed || !live.has(c)) return drop(c);
    const next = waiters.shift();
    if (next) next.resolve(c);
    else idle.push(c);
  }

  async function withConnection<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    const c = await acquire();
    let healthy = true;
    try {
      return await fn(c);
    } catch (e) {
      healthy = !(e instanceof ConnectionError);
      throw e;
    } finally {
      release(c, healthy);
    }
  }

  return {
    query: (sql, params = []) => withConnection((c) => run(c, sql, params)),
    transaction: (fn) => withConnection((c) => inTransaction(c, fn)),
    async close() {
      closed = true;
      for (const w of waiters.splice(0)) w.reject(new Error("SQL pool is closed"));
      for (const c of [...live]) c.close();
      live.clear();
      idle.length = 0;
    },
  };
}
