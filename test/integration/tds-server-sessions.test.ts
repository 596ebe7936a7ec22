import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Request, type Connection } from "tedious";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { batch, close, connect } from "../../emulators/sqlserver/client.js";

// Wire-level TDS test server over SQLite — not SQL Server: transactions, concurrency, cancel, streaming.
let server: TdsServer;
let conn: Connection;
const login = { userName: "sa", password: "Secret123!" };

function tx(c: Connection, op: "begin" | "commit" | "rollback"): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null | undefined) => (err ? reject(err) : resolve());
    if (op === "begin") c.beginTransaction(cb);
    else if (op === "commit") c.commitTransaction(cb);
    else c.rollbackTransaction(cb);
  });
}

const count = async (c: Connection) => (await batch(c, "SELECT COUNT(*) AS n FROM Item")).rows[0]?.n;

beforeAll(async () => {
  server = await startTdsServer({ database: ":memory:", logins: { sa: login.password } });
  conn = await connect({ port: server.port, ...login });
  await batch(conn, "CREATE TABLE Item (Id INT IDENTITY(1,1) PRIMARY KEY, Label NVARCHAR(200) NOT NULL)");
});
afterAll(async () => {
  await close(conn);
  await server.stop();
});

describe("transactions", () => {
  it("beginTransaction/rollbackTransaction (TDS transaction manager) undoes the insert", async () => {
    await tx(conn, "begin");
    await batch(conn, "INSERT INTO Item (Label) VALUES (N'temp')");
    expect(await count(conn)).toBe(1);
    await tx(conn, "rollback");
    expect(await count(conn)).toBe(0);
  });

  it("beginTransaction/commitTransaction keeps it", async () => {
    await tx(conn, "begin");
    await batch(conn, "INSERT INTO Item (Label) VALUES (N'kept')");
    await tx(conn, "commit");
    expect(await count(conn)).toBe(1);
  });

  it("BEGIN TRAN … ROLLBACK inside batches, with @@TRANCOUNT following the nesting", async () => {
    const r = await batch(conn, "BEGIN TRAN; BEGIN TRANSACTION; SELECT @@TRANCOUNT AS depth; INSERT INTO Item (Label) VALUES (N'x'); COMMIT; SELECT @@TRANCOUNT AS depth;");
    expect(r.resultSets.map((s) => s.rows[0]?.depth)).toEqual([2, 1]);
    await batch(conn, "ROLLBACK TRANSACTION");
    expect(await count(conn)).toBe(1);
    const err = await batch(conn, "COMMIT").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 3902 });
  });

  it("SET XACT_ABORT ON: an error rolls the whole transaction back and ends the batch", async () => {
    const err = await batch(conn, "SET XACT_ABORT ON; BEGIN TRAN; INSERT INTO Item (Label) VALUES (N'a'); INSERT INTO Item (Label) VALUES (NULL); INSERT INTO Item (Label) VALUES (N'b'); COMMIT;").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 515 });
    await batch(conn, "SET XACT_ABORT OFF");
    expect(await count(conn)).toBe(1);
  });

  it("another connection waits for an open transaction and then sees only committed data", async () => {
    const other = await connect({ port: server.port, ...login });
    const order: string[] = [];
    await tx(conn, "begin");
    await batch(conn, "INSERT INTO Item (Label) VALUES (N'during')");
    const read = batch(other, "SELECT COUNT(*) AS n FROM Item").then((r) => { order.push("read"); return r.rows[0]?.n; });
    await batch(conn, "INSERT INTO Item (Label) VALUES (N'during 2')");
    order.push("commit");
    await tx(conn, "commit");
    expect(await read).toBe(3);
    expect(order).toEqual(["commit", "read"]);
    await close(other);
  });

  it("a query waiting for another session's transaction can be cancelled; the connection stays usable", async () => {
    const other = await connect({ port: server.port, ...login });
    await tx(conn, "begin");
    const waiting = new Promise<unknown>((resolve) => {
      other.execSqlBatch(new Request("SELECT COUNT(*) AS n FROM Item", (e) => resolve(e)));
    });
    other.cancel();
    expect(await waiting).toMatchObject({ code: "ECANCEL" });
    await tx(conn, "commit");
    expect(await count(other)).toBe(3);
    await close(other);
  });

  it("connection.reset() (RESETCONNECTION) rolls back an open transaction and restores SET options", async () => {
    const other = await connect({ port: server.port, ...login });
    await batch(other, "SET NOCOUNT ON; BEGIN TRAN; INSERT INTO Item (Label) VALUES (N'reset me');");
    await new Promise<void>((resolve, reject) => other.reset((err) => (err ? reject(err) : resolve())));
    expect(await count(other)).toBe(3);
    expect((await batch(other, "UPDATE Item SET Label = Label WHERE Id < 0")).doneCounts).toEqual([0]);
    await close(other);
  });

  it("a connection that drops with an open transaction is rolled back", async () => {
    const other = await connect({ port: server.port, ...login });
    await tx(other, "begin");
    await batch(other, "INSERT INTO Item (Label) VALUES (N'lost')");
    await close(other);
    expect(await count(conn)).toBe(3);
  });
});

describe("large results and cancel", () => {
  beforeAll(() => {
    const insert = server.db.prepare("INSERT INTO Item (Label) VALUES (?)");
    server.db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`Leerling ${i} ${"ø".repeat(i % 150)}`);
    })();
  });

  it("20,000 rows stream to tedious in 512-byte packets, all rows intact", async () => {
    const small = await connect({ port: server.port, ...login, packetSize: 512 });
    let rows = 0;
    let lastLabel = "";
    await new Promise<void>((resolve, reject) => {
      const req = new Request("SELECT Id, Label FROM Item ORDER BY Id", (err) => (err ? reject(err) : resolve()));
      req.on("row", (cols) => { rows++; lastLabel = String(cols[1]?.value); });
      small.execSqlBatch(req);
    });
    expect(rows).toBe(20_003);
    expect(lastLabel).toBe(`Leerling 19999 ${"ø".repeat(19999 % 150)}`);
    await close(small);
  });

  it("a client that disconnects in the middle of a large result does not hold up other sessions", async () => {
    const leaving = await connect({ port: server.port, ...login });
    leaving.on("error", () => undefined);
    const gone = new Promise<void>((resolve) => leaving.once("end", () => resolve()));
    const req = new Request("SELECT a.Id FROM Item a CROSS JOIN Item b", () => undefined);
    req.once("row", () => leaving.close());
    leaving.execSqlBatch(req);
    await gone;
    expect(await count(conn)).toBe(20_003);
  });

  it("cancelling a running query (ATTENTION) ends it with ECANCEL and the connection stays usable", async () => {
    let seen = 0;
    const err = await new Promise<unknown>((resolve) => {
      const req = new Request("SELECT a.Id FROM Item a CROSS JOIN Item b", (e) => resolve(e));
      req.on("row", () => { if (++seen === 10) conn.cancel(); });
      conn.execSqlBatch(req);
    });
    expect(err).toMatchObject({ code: "ECANCEL" });
    expect(seen).toBeLessThan(1_000_000);
    expect((await batch(conn, "SELECT 1 AS ok")).rows).toEqual([{ ok: 1 }]);
  });
});
