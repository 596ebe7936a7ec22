import type { Database } from "better-sqlite3";
import type { MessageWriter } from "./packets.js";
import type { SqliteValue } from "./params.js";
import type { SqlError } from "./sql-error.js";
import type { SchemaInfo } from "./tsql/rewrite.js";

/** Per-connection state that outlives one request. */
export interface SessionState {
  spid: number;
  database: string;
  /** the login name of the session (SUSER_SNAME()): the SQL login, or DOMAIN\user for NTLM */
  login: string;
  tranCount: number;
  nocount: boolean;
  xactAbort: boolean;
  scopeIdentity: number | null;
  rowCount: number;
  lastError: number;
  /** the error a CATCH block is handling (ERROR_NUMBER(), ERROR_MESSAGE(), THROW;) */
  caught: SqlError | undefined;
  savepoints: string[];
  txDescriptor: Buffer;
}

/** What one request (SQL batch or sp_executesql) runs with. */
export interface RunContext {
  db: Database;
  session: SessionState;
  out: MessageWriter;
  /** true for RPC: statements end with DONEINPROC, the caller writes RETURNSTATUS + DONEPROC */
  inProc: boolean;
  /** variables and parameters, lower-case names without "@" */
  vars: Map<string, SqliteValue>;
  /** waits until this session may use the database (another session's open transaction blocks it) */
  lock(): Promise<void>;
  cancelled(): boolean;
  /** refreshes the schema caches (OBJECT_ID, ROWVERSION columns) when the schema changed */
  beforeStatement(): void;
  schema: SchemaInfo;
  newTxDescriptor(): Buffer;
}
