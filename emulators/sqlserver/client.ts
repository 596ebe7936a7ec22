import { Connection, Request, type ConnectionConfiguration } from "tedious";

/**
 * Small promise helpers around the real tedious driver, for tests and benchmarks that talk to the TDS
 * test server (the relay has its own data access; this is not it).
 */
export interface ConnectOptions {
  port: number;
  userName: string;
  password: string;
  database?: string;
  packetSize?: number;
  /** NTLM (Windows) login in this domain instead of a SQL login */
  domain?: string;
  /** tedious `tdsVersion` ("7_4" by default; "7_3_A", "7_3_B", "7_2", …) */
  tdsVersion?: string;
  /** TLS: `encrypt: true` plus the CA (PEM) the server certificate must chain to; hostname is checked against `serverName` */
  tls?: { ca: string; serverName?: string; trustServerCertificate?: boolean };
}

export function connect(o: ConnectOptions): Promise<Connection> {
  const authentication: ConnectionConfiguration["authentication"] = o.domain
    ? { type: "ntlm", options: { userName: o.userName, password: o.password, domain: o.domain } }
    : { type: "default", options: { userName: o.userName, password: o.password } };
  const connection = new Connection({
    server: "127.0.0.1",
    authentication,
    options: {
      port: o.port, database: o.database ?? "LVS2000", packetSize: o.packetSize ?? 4096, connectTimeout: 10_000,
      ...(o.tdsVersion ? { tdsVersion: o.tdsVersion } : {}),
      ...(o.tls
        ? { encrypt: true, trustServerCertificate: o.tls.trustServerCertificate ?? false, cryptoCredentialsDetails: { ca: o.tls.ca }, serverName: o.tls.serverName ?? "localhost" }
        : { encrypt: false, trustServerCertificate: true }),
    },
  });
  return new Promise((resolve, reject) => {
    connection.on("connect", (err) => (err ? reject(err) : resolve(connection)));
    connection.connect();
  });
}

export interface ResultSet {
  columns: Array<{ name: string; type: string; precision?: number; scale?: number; dataLength?: number }>;
  rows: Array<Record<string, unknown>>;
}

export interface QueryResult {
  resultSets: ResultSet[];
  /** rows of the first result set */
  rows: Array<Record<string, unknown>>;
  /** tedious's rowCount (sum of DONE counts) */
  rowCount: number;
  /** rowCount reported to the request callback */
  doneCounts: number[];
}

export interface Param {
  name: string;
  type: Parameters<Request["addParameter"]>[1];
  value: unknown;
  options?: Parameters<Request["addParameter"]>[3];
}

function run(connection: Connection, sql: string, params: Param[] | undefined): Promise<QueryResult> {
  return new Promise((resolve, reject) => {
    const resultSets: ResultSet[] = [];
    const doneCounts: number[] = [];
    const request = new Request(sql, (err, rowCount) => {
      if (err) reject(err);
      else resolve({ resultSets, rows: resultSets[0]?.rows ?? [], rowCount: rowCount ?? 0, doneCounts });
    });
    for (const p of params ?? []) request.addParameter(p.name, p.type, p.value, p.options);
    request.on("columnMetadata", (cols) => {
      const list = Array.isArray(cols) ? cols : Object.values(cols);
      resultSets.push({ columns: list.map((c) => ({ name: c.colName, type: c.type.name, precision: c.precision, scale: c.scale, dataLength: c.dataLength })), rows: [] });
    });
    request.on("row", (columns) => {
      const row: Record<string, unknown> = {};
      for (const c of columns) row[c.metadata.colName] = c.value;
      resultSets[resultSets.length - 1]?.rows.push(row);
    });
    const counted = (n: number | undefined) => { if (n !== undefined) doneCounts.push(n); };
    request.on("done", counted);
    request.on("doneInProc", counted);
    if (params === undefined) connection.execSqlBatch(request);
    else connection.execSql(request);
  });
}

/** `execSqlBatch`: a T-SQL batch without parameters. */
export function batch(connection: Connection, sql: string): Promise<QueryResult> {
  return run(connection, sql, undefined);
}

/** `execSql` (sp_executesql) with typed parameters. */
export function execSql(connection: Connection, sql: string, params: Param[] = []): Promise<QueryResult> {
  return run(connection, sql, params);
}

export function close(connection: Connection): Promise<void> {
  return new Promise((resolve) => {
    if (connection.closed) return resolve();
    connection.once("end", () => resolve());
    connection.close();
  });
}
