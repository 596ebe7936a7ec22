import type { Database } from "better-sqlite3";
import type { ByteWriter } from "./bytes.js";
import type { SessionState } from "./context.js";
import { SqlError } from "./sql-error.js";
import { writeEnvBeginTran, writeEnvEndTran } from "./tokens.js";

/**
 * SQL Server transaction semantics on one SQLite connection: BEGIN TRAN nests (@@TRANCOUNT), only the
 * outermost one starts a SQLite transaction and tells the client its descriptor (ENVCHANGE 8); COMMIT of
 * the outermost commits (ENVCHANGE 9); ROLLBACK always undoes everything (ENVCHANGE 10).
 */
export function beginTransaction(db: Database, s: SessionState, w: ByteWriter, newDescriptor: () => Buffer): void {
  if (s.tranCount === 0) {
    db.exec("BEGIN");
    s.txDescriptor = newDescriptor();
    writeEnvBeginTran(w, s.txDescriptor);
  }
  s.tranCount++;
}

/** Ends the outermost transaction (COMMIT or ROLLBACK) and tells the client with ENVCHANGE. */
export function endTransaction(db: Database, s: SessionState, w: ByteWriter, commit: boolean): void {
  if (db.inTransaction) db.exec(commit ? "COMMIT" : "ROLLBACK");
  writeEnvEndTran(w, commit, s.txDescriptor);
  s.tranCount = 0;
  s.savepoints = [];
  s.txDescriptor = Buffer.alloc(8);
}

export function commitTransaction(db: Database, s: SessionState, w: ByteWriter): void {
  if (s.tranCount === 0) throw new SqlError(3902, "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.");
  if (s.tranCount === 1) endTransaction(db, s, w, true);
  else s.tranCount--;
}

/** ROLLBACK [name]: back to a savepoint of that name, else the whole transaction. */
export function rollbackTransaction(db: Database, s: SessionState, w: ByteWriter, name?: string): void {
  const sp = name?.toLowerCase();
  if (sp && s.savepoints.includes(sp)) {
    db.exec(`ROLLBACK TO "${sp.replace(/"/g, "")}"`);
    s.savepoints = s.savepoints.slice(0, s.savepoints.indexOf(sp) + 1);
    return;
  }
  if (s.tranCount === 0) throw new SqlError(3903, "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.");
  endTransaction(db, s, w, false);
}

export function saveTransaction(db: Database, s: SessionState, name: string): void {
  if (s.tranCount === 0) throw new SqlError(628, "Cannot issue SAVE TRANSACTION when there is no active transaction.");
  db.exec(`SAVEPOINT "${name.replace(/"/g, "")}"`);
  s.savepoints.push(name.toLowerCase());
}
