import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection, Request, TYPES } from "tedious";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { batch, close, connect, execSql } from "../../emulators/sqlserver/client.js";

// Wire-level TDS test server over SQLite — not SQL Server. Real tedious@19 against it.
let server: TdsServer;
let conn: Connection;
const login = { userName: "relay", password: "Geheim-2024" };

beforeAll(async () => {
  server = await startTdsServer({ database: ":memory:", logins: { relay: login.password, "SCHOOL\\svc-relay": "Winter-2024!" } });
  conn = await connect({ port: server.port, ...login });
  await batch(conn, "CREATE TABLE Pupil (Id INT IDENTITY(1,1) PRIMARY KEY, Bsn NVARCHAR(9) NOT NULL UNIQUE, Name NVARCHAR(50) NOT NULL, Version INT NOT NULL DEFAULT 1)");
  await batch(conn, "INSERT INTO Pupil (Bsn, Name) VALUES (N'111222333', N'Anna'), (N'444555666', N'Bram'), (N'777888999', N'Cem')");
});
afterAll(async () => {
  await close(conn);
  await server.stop();
});

describe("login", () => {
  it("a client that asks for encryption (encrypt: true) still connects: this server answers ENCRYPT_NOT_SUP and tedious carries on in clear text", async () => {
    const c = await new Promise<Connection>((resolve, reject) => {
      const x = new Connection({ server: "127.0.0.1", authentication: { type: "default", options: login }, options: { port: server.port, encrypt: true, trustServerCertificate: true, database: "LVS2000" } });
      x.connect((err) => (err ? reject(err) : resolve(x)));
    });
    expect((await batch(c, "SELECT DB_NAME() AS db")).rows).toEqual([{ db: "LVS2000" }]);
    await close(c);
  });

  it("a wrong password is refused with SQL Server's 'Login failed' (18456)", async () => {
    const err = await connect({ port: server.port, userName: "relay", password: "wrong" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ELOGIN", message: "Login failed for user 'relay'." });
  });

  it("an NTLM (Windows) login is accepted when the NTLMv2 response matches the configured password", async () => {
    const c = await connect({ port: server.port, userName: "svc-relay", password: "Winter-2024!", domain: "SCHOOL" });
    const r = await batch(c, "SELECT COUNT(*) AS n FROM Pupil");
    expect(r.rows).toEqual([{ n: 3 }]);
    await close(c);
  });

  it("an NTLM login with the wrong password or an unknown domain user is refused", async () => {
    const wrong = await connect({ port: server.port, userName: "svc-relay", password: "nope", domain: "SCHOOL" }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: "ELOGIN" });
    const unknown = await connect({ port: server.port, userName: "someone", password: "Winter-2024!", domain: "SCHOOL" }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: "ELOGIN" });
  });
});

describe("TDS version and session identity", () => {
  it("LOGINACK answers the TDS version the client asked for (7.3 A/B, 7.4), as SQL Server does", async () => {
    for (const version of ["7_3_A", "7_3_B", "7_4"]) {
      const c = await connect({ port: server.port, ...login, tdsVersion: version });
      expect(c.config.options.tdsVersion).toBe(version);
      expect((await batch(c, "SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      await close(c);
    }
  });

  it("a client asking for a TDS version this server cannot speak (7.2 and older) is refused with an error naming the gap", async () => {
    for (const [version, name] of [["7_2", "7.2"], ["7_1", "7.1"]] as const) {
      const err = await connect({ port: server.port, ...login, tdsVersion: version }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "ELOGIN" });
      expect((err as Error).message).toContain(`TDS ${name}`);
      expect((err as Error).message).toContain("not supported by this test server");
    }
  });

  it("SUSER_SNAME() is the login name of the session (SQL login or DOMAIN\\user)", async () => {
    expect((await batch(conn, "SELECT SUSER_SNAME() AS who")).rows).toEqual([{ who: "relay" }]);
    const c = await connect({ port: server.port, userName: "svc-relay", password: "Winter-2024!", domain: "SCHOOL" });
    expect((await batch(c, "SELECT SUSER_SNAME() AS who")).rows).toEqual([{ who: "SCHOOL\\svc-relay" }]);
    await close(c);
  });
});

describe("results and counts", () => {
  it("one batch returns several result sets, each with its own columns", async () => {
    const r = await batch(conn, "SELECT Name FROM Pupil WHERE Id = 1; SELECT Id, Bsn FROM Pupil WHERE Id > 1 ORDER BY Id;");
    expect(r.resultSets.map((s) => s.rows)).toEqual([[{ Name: "Anna" }], [{ Id: 2, Bsn: "444555666" }, { Id: 3, Bsn: "777888999" }]]);
  });

  it("UPDATE reports the affected row count, so optimistic concurrency can see a lost race (0 rows)", async () => {
    const sql = "UPDATE Pupil SET Name = @name, Version = Version + 1 WHERE Id = @id AND Version = @version";
    const params = (version: number) => [
      { name: "name", type: TYPES.NVarChar, value: "Anne" }, { name: "id", type: TYPES.Int, value: 1 }, { name: "version", type: TYPES.Int, value: version },
    ];
    expect((await execSql(conn, sql, params(1))).rowCount).toBe(1);
    expect((await execSql(conn, sql, params(1))).rowCount).toBe(0);
  });

  it("SET NOCOUNT ON suppresses the counts, as on SQL Server", async () => {
    const r = await batch(conn, "SET NOCOUNT ON; UPDATE Pupil SET Version = Version WHERE Id = 1; SET NOCOUNT OFF;");
    expect(r.rowCount).toBe(0);
  });

  it("each statement ends with its own DONE; only the last lacks the MORE bit", async () => {
    const dones: Array<{ rowCount: number | undefined; more: boolean }> = [];
    await new Promise<void>((resolve, reject) => {
      const req = new Request("UPDATE Pupil SET Version = Version WHERE Id < 3; SELECT Id FROM Pupil;", (err) => (err ? reject(err) : resolve()));
      req.on("done", (rowCount, more) => dones.push({ rowCount, more }));
      conn.execSqlBatch(req);
    });
    expect(dones).toEqual([{ rowCount: 2, more: true }, { rowCount: 3, more: false }]);
  });

  it("sp_executesql OUTPUT parameters come back as returnValue events", async () => {
    const values: Record<string, unknown> = {};
    await new Promise<void>((resolve, reject) => {
      const req = new Request("SET @n = (SELECT COUNT(*) FROM Pupil WHERE Id > @min); SET @first = (SELECT TOP 1 Name FROM Pupil ORDER BY Id);", (err) => (err ? reject(err) : resolve()));
      req.addParameter("min", TYPES.Int, 1);
      req.addOutputParameter("n", TYPES.Int);
      req.addOutputParameter("first", TYPES.NVarChar, null, { length: 50 });
      req.on("returnValue", (name: string, value: unknown) => { values[name] = value; });
      conn.execSql(req);
    });
    expect(values).toEqual({ n: 2, first: "Anne" });
  });

  it("requestCompleted fires after the final DONE", async () => {
    const completed = await new Promise<boolean>((resolve, reject) => {
      const req = new Request("DELETE FROM Pupil WHERE Id = -1", (err) => (err ? reject(err) : undefined));
      req.on("requestCompleted", () => resolve(true));
      conn.execSqlBatch(req);
    });
    expect(completed).toBe(true);
  });
});

describe("errors", () => {
  it("a duplicate key is RequestError 2627 and the connection stays usable", async () => {
    const err = await execSql(conn, "INSERT INTO Pupil (Bsn, Name) VALUES (@bsn, N'Dup')", [{ name: "bsn", type: TYPES.NVarChar, value: "111222333" }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "EREQUEST", number: 2627 });
    expect((await batch(conn, "SELECT COUNT(*) AS n FROM Pupil")).rows).toEqual([{ n: 3 }]);
  });

  it("unknown tables, unknown columns, NULL into NOT NULL, syntax errors and too-long strings get SQL Server's numbers", async () => {
    const numberOf = (sql: string) => batch(conn, sql).then(() => 0, (e: { number: number }) => e.number);
    expect(await numberOf("SELECT * FROM NoSuchTable")).toBe(208);
    expect(await numberOf("SELECT NoSuchColumn FROM Pupil")).toBe(207);
    expect(await numberOf("INSERT INTO Pupil (Bsn, Name) VALUES (N'999999999', NULL)")).toBe(515);
    expect(await numberOf("SELEC 1")).toBe(102);
    expect(await numberOf("INSERT INTO Pupil (Bsn, Name) VALUES (N'1234567890', N'Te lang BSN')")).toBe(2628);
  });

  it("after a constraint violation the rest of the batch still runs (statement-level error)", async () => {
    const err = await batch(conn, "INSERT INTO Pupil (Bsn, Name) VALUES (N'111222333', N'X'); INSERT INTO Pupil (Bsn, Name) VALUES (N'222333444', N'Dirk');").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 2627 });
    expect((await batch(conn, "SELECT Name FROM Pupil WHERE Bsn = N'222333444'")).rows).toEqual([{ Name: "Dirk" }]);
  });

  it("PRINT and low-severity RAISERROR arrive as info messages; RAISERROR 16 is an error and the batch goes on", async () => {
    const infos: string[] = [];
    const onInfo = (m: { message: string }) => infos.push(m.message);
    conn.on("infoMessage", onInfo);
    const err = await batch(conn, "PRINT N'hallo'; RAISERROR('let op', 10, 1); RAISERROR(N'fout', 16, 1); INSERT INTO Pupil (Bsn, Name) VALUES (N'333444555', N'Na fout');").catch((e: unknown) => e);
    conn.off("infoMessage", onInfo);
    expect(infos).toEqual(["hallo", "let op"]);
    expect(err).toMatchObject({ number: 50000, message: "fout" });
    expect((await batch(conn, "SELECT COUNT(*) AS n FROM Pupil WHERE Bsn = N'333444555'")).rows).toEqual([{ n: 1 }]);
  });

  it("THROW raises the given error number and message", async () => {
    const err = await batch(conn, "THROW 50001, N'Versie te oud', 1;").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 50001, message: "Versie te oud" });
  });
});

describe("test hooks", () => {
  it("onQuery sees each statement with its parameters and can inject a SQL Server error (e.g. deadlock 1205)", async () => {
    const seen: Array<{ sql: string; params: Readonly<Record<string, unknown>> }> = [];
    let failNext = false;
    const hooked = await startTdsServer({
      database: ":memory:",
      logins: { relay: login.password },
      onQuery(sql, params) {
        seen.push({ sql, params });
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error("Transaction (Process ID 52) was deadlocked on lock resources."), { number: 1205, class: 13 });
        }
      },
    });
    const c = await connect({ port: hooked.port, ...login });
    await execSql(c, "SELECT @id AS id", [{ name: "Id", type: TYPES.Int, value: 7 }]);
    expect(seen.at(-1)).toEqual({ sql: "SELECT @id AS id", params: { id: 7 } });
    failNext = true;
    const err = await batch(c, "SELECT 1 AS one").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 1205, class: 13 });
    expect((await batch(c, "SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await close(c);
    await hooked.stop();
  });

  it("a stored procedure registered in JS answers tedious's callProcedure with rows and a return status", async () => {
    const withProc = await startTdsServer({
      database: ":memory:",
      logins: { relay: login.password },
      procedures: {
        "dbo.usp_LeerlingZoeken": (params) => ({
          resultSets: [[{ LeerlingNummer: "L1", Naam: `zoek ${String(params.naam)}`, Actief: true, Geboren: new Date(Date.UTC(2015, 4, 6)) }]],
          returnStatus: 7,
        }),
      },
    });
    const c = await connect({ port: withProc.port, ...login });
    const result = await new Promise<{ rows: unknown[]; status: unknown }>((resolve, reject) => {
      const rows: unknown[] = [];
      let status: unknown;
      const req = new Request("[dbo].[usp_LeerlingZoeken]", (err) => (err ? reject(err) : resolve({ rows, status })));
      req.addParameter("naam", TYPES.NVarChar, "Jans");
      req.on("row", (cols: { metadata: { colName: string }; value: unknown }[]) => rows.push(Object.fromEntries(cols.map((x) => [x.metadata.colName, x.value]))));
      req.on("doneProc", (_rowCount, _more, returnStatus) => { status = returnStatus; });
      c.callProcedure(req);
    });
    expect(result).toEqual({ rows: [{ LeerlingNummer: "L1", Naam: "zoek Jans", Actief: true, Geboren: new Date(Date.UTC(2015, 4, 6)) }], status: 7 });
    const missing = await new Promise<unknown>((resolve) => c.callProcedure(new Request("usp_Bestaatniet", (err) => resolve(err))));
    expect(missing).toMatchObject({ number: 2812 });
    await close(c);
    await withProc.stop();
  });

  it("dropConnections cuts clients off like a network failure; new connections work", async () => {
    const c = await connect({ port: server.port, ...login });
    const ended = new Promise<void>((resolve) => c.once("end", () => resolve()));
    c.on("error", () => undefined);
    conn.on("error", () => undefined);
    server.dropConnections();
    await ended;
    conn = await connect({ port: server.port, ...login });
    expect((await batch(conn, "SELECT COUNT(*) AS n FROM Pupil")).rows[0]?.n).toBeGreaterThan(0);
  });
});
