import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection, TYPES } from "tedious";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { batch, close, connect, execSql } from "../../emulators/sqlserver/client.js";

// Wire-level TDS test server over SQLite — not SQL Server: the T-SQL → SQLite rewrite table, through tedious.
let server: TdsServer;
let conn: Connection;

beforeAll(async () => {
  server = await startTdsServer({ database: ":memory:", logins: { sa: "Secret123!" } });
  conn = await connect({ port: server.port, userName: "sa", password: "Secret123!" });
});
afterAll(async () => {
  await close(conn);
  await server.stop();
});

const GUARDED_DDL = `
IF NOT EXISTS (SELECT 1 FROM sys.tables WHERE name = N'Groep')
BEGIN
  CREATE TABLE [dbo].[Groep] (
    [GroepId] INT IDENTITY(1,1) NOT NULL,
    [Naam] NVARCHAR(50) NOT NULL,
    [Omschrijving] NVARCHAR(MAX) NULL,
    [Actief] BIT NOT NULL CONSTRAINT DF_Groep_Actief DEFAULT ((1)),
    [Sleutel] UNIQUEIDENTIFIER NOT NULL DEFAULT NEWID(),
    [AangemaaktOp] DATETIME2(3) NOT NULL DEFAULT SYSUTCDATETIME(),
    [Versie] ROWVERSION,
    CONSTRAINT [PK_Groep] PRIMARY KEY CLUSTERED ([GroepId] ASC)
  ) ON [PRIMARY];
  CREATE UNIQUE NONCLUSTERED INDEX [IX_Groep_Naam] ON [dbo].[Groep] ([Naam]) WITH (FILLFACTOR = 90);
END`;

describe("DDL", () => {
  it("IDENTITY, NVARCHAR(MAX), BIT defaults, UNIQUEIDENTIFIER, DATETIME2, ROWVERSION, CLUSTERED and ON [PRIMARY] are accepted; the IF NOT EXISTS guard makes it re-runnable", async () => {
    await batch(conn, GUARDED_DDL);
    await batch(conn, GUARDED_DDL);
    const r = await batch(conn, "SELECT name FROM sys.tables WHERE name = 'Groep'; SELECT CASE WHEN OBJECT_ID(N'dbo.Groep', N'U') IS NULL THEN 0 ELSE 1 END AS present;");
    expect(r.resultSets.map((s) => s.rows)).toEqual([[{ name: "Groep" }], [{ present: 1 }]]);
  });

  it("IF OBJECT_ID(...) IS NULL guards work too", async () => {
    const ddl = "IF OBJECT_ID('dbo.Log', 'U') IS NULL CREATE TABLE dbo.Log (Id BIGINT IDENTITY PRIMARY KEY, Tekst NVARCHAR(100))";
    await batch(conn, ddl);
    await batch(conn, ddl);
    expect((await batch(conn, "SELECT COUNT(*) AS n FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'Log'")).rows).toEqual([{ n: 1 }]);
  });
});

describe("statements", () => {
  it("INSERT … OUTPUT INSERTED.* returns the new row (SQLite RETURNING), defaults filled in", async () => {
    const r = await execSql(conn, "INSERT INTO dbo.Groep (Naam) OUTPUT INSERTED.GroepId, INSERTED.Actief, INSERTED.Sleutel, INSERTED.AangemaaktOp VALUES (@naam)", [
      { name: "naam", type: TYPES.NVarChar, value: "Groep 8a" },
    ]);
    const row = r.rows[0] ?? {};
    expect(row.GroepId).toBe(1);
    expect(row.Actief).toBe(true);
    expect(row.Sleutel).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(row.AangemaaktOp).toBeInstanceOf(Date);
  });

  it("SCOPE_IDENTITY() and @@IDENTITY give the id just inserted; @@ROWCOUNT the rows touched", async () => {
    const r = await batch(conn, "INSERT INTO Groep (Naam) VALUES (N'Groep 8b'); SELECT SCOPE_IDENTITY() AS a, @@IDENTITY AS b; UPDATE Groep SET Actief = 0; SELECT @@ROWCOUNT AS n;");
    expect(r.resultSets.map((s) => s.rows[0])).toEqual([{ a: 2, b: 2 }, { n: 2 }]);
  });

  it("ROWVERSION changes on every UPDATE of the row (OUTPUT INSERTED shows the new one) and stays put for other rows", async () => {
    const before = await batch(conn, "SELECT GroepId, Versie FROM Groep ORDER BY GroepId");
    await execSql(conn, "UPDATE Groep SET Omschrijving = @o WHERE GroepId = 1", [{ name: "o", type: TYPES.NVarChar, value: "x" }]);
    const after = await batch(conn, "SELECT GroepId, Versie FROM Groep ORDER BY GroepId");
    const [b1, b2] = before.rows.map((r) => r.Versie as Buffer);
    const [a1, a2] = after.rows.map((r) => r.Versie as Buffer);
    expect(b1).toBeInstanceOf(Buffer);
    expect(b1?.length).toBe(8);
    expect(a1?.equals(b1 as Buffer)).toBe(false);
    expect(a2?.equals(b2 as Buffer)).toBe(true);
    expect(Buffer.compare(a1 as Buffer, b2 as Buffer)).toBeGreaterThan(0);
    const out = await execSql(conn, "UPDATE dbo.Groep SET Omschrijving = @o OUTPUT INSERTED.Versie WHERE GroepId = 1", [{ name: "o", type: TYPES.NVarChar, value: "y" }]);
    const reread = await batch(conn, "SELECT Versie FROM Groep WHERE GroepId = 1");
    expect((out.rows[0]?.Versie as Buffer).equals(reread.rows[0]?.Versie as Buffer)).toBe(true);
    expect((out.rows[0]?.Versie as Buffer).equals(a1 as Buffer)).toBe(false);
  });

  it("a duplicate in a UNIQUE index is error 2601 (2627 is for constraints); names compare case-insensitively as in SQL Server's default collation", async () => {
    const err = await batch(conn, "INSERT INTO Groep (Naam) VALUES (N'GROEP 8A')").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 2601, message: expect.stringContaining("IX_Groep_Naam") });
    expect((await batch(conn, "SELECT GroepId FROM Groep WHERE Naam = 'groep 8a'")).rows).toEqual([{ GroepId: 1 }]);
  });

  it("TOP n, TOP (@n) and OFFSET … FETCH page like SQL Server", async () => {
    await batch(conn, "INSERT INTO Groep (Naam) VALUES (N'A'), (N'B'), (N'C'), (N'D')");
    const top = await batch(conn, "SELECT TOP 2 Naam FROM Groep WHERE GroepId > (SELECT TOP 1 GroepId FROM Groep ORDER BY GroepId) ORDER BY GroepId");
    expect(top.rows).toEqual([{ Naam: "Groep 8b" }, { Naam: "A" }]);
    const param = await execSql(conn, "SELECT TOP (@n) Naam FROM Groep ORDER BY Naam DESC", [{ name: "n", type: TYPES.Int, value: 1 }]);
    expect(param.rows).toEqual([{ Naam: "Groep 8b" }]);
    const page = await batch(conn, "SELECT Naam FROM Groep ORDER BY GroepId OFFSET 2 ROWS FETCH NEXT 2 ROWS ONLY");
    expect(page.rows).toEqual([{ Naam: "A" }, { Naam: "B" }]);
  });

  it("ISNULL, N'…' literals, + on strings, LEN, GETDATE()/SYSUTCDATETIME(), DATEADD and table hints", async () => {
    const r = await batch(conn, `SELECT ISNULL(g.Omschrijving, N'geen') AS o, N'Groep: ' + g.Naam AS label, LEN(N'abc  ') AS len,
      CASE WHEN GETDATE() <= SYSUTCDATETIME() OR 1 = 1 THEN 1 ELSE 0 END AS ok, DATEADD(day, 1, '2024-02-28') AS next
      FROM dbo.Groep g WITH (NOLOCK) WHERE g.GroepId = 2`);
    expect(r.rows[0]).toMatchObject({ o: "geen", label: "Groep: Groep 8b", len: 3, ok: 1 });
    expect(r.rows[0]?.next).toEqual(new Date(Date.UTC(2024, 1, 29)));
  });

  it("CAST / CONVERT reach the client with their target type", async () => {
    const r = await batch(conn, `SELECT CAST('2024-03-05 10:11:12.123' AS DATE) AS d, CONVERT(DATETIME2, '2024-03-05') AS dt,
      CAST(12.7 AS INT) AS i, CONVERT(NVARCHAR(10), CAST('2024-03-05 10:00' AS DATETIME), 23) AS s,
      CAST(5 AS NVARCHAR(10)) + N'x' AS t, CONVERT(VARCHAR(8), '2024-03-05', 112) AS ymd, CAST(7.256 AS DECIMAL(5,2)) AS m`);
    expect(r.rows[0]).toEqual({
      d: new Date(Date.UTC(2024, 2, 5)), dt: new Date(Date.UTC(2024, 2, 5)), i: 12, s: "2024-03-05", t: "5x", ymd: "20240305", m: 7.26,
    });
    const cols = Object.fromEntries((r.resultSets[0]?.columns ?? []).map((c) => [c.name, c.type]));
    expect(cols).toMatchObject({ d: "Date", dt: "DateTime2", i: "IntN", s: "NVarChar", m: "DecimalN" });
  });

  it("DECLARE / SET variables and IF … ELSE in a batch", async () => {
    const r = await batch(conn, `DECLARE @n INT = (SELECT COUNT(*) FROM Groep); DECLARE @label NVARCHAR(20);
      IF @n > 3 SET @label = N'veel' ELSE SET @label = N'weinig';
      SELECT @n AS n, @label AS label;`);
    expect(r.rows).toEqual([{ n: 6, label: "veel" }]);
  });

  it("SELECT @v = … assigns from the last row and leaves the variable alone when there is none", async () => {
    const r = await batch(conn, `DECLARE @id INT = -1, @naam NVARCHAR(50); DECLARE @none INT = 42;
      SELECT @id = GroepId, @naam = Naam FROM Groep WHERE GroepId <= 2 ORDER BY GroepId;
      SELECT @none = GroepId FROM Groep WHERE 1 = 0;
      SELECT @id AS id, @naam AS naam, @none AS none;`);
    expect(r.resultSets.map((s) => s.rows)).toEqual([[{ id: 2, naam: "Groep 8b", none: 42 }]]);
  });

  it("BEGIN TRY … BEGIN CATCH: the error goes to the CATCH block (ERROR_NUMBER()), which rolls back; THROW; re-raises it", async () => {
    const script = (rethrow: boolean) => `BEGIN TRY
        BEGIN TRAN;
        INSERT INTO Groep (Naam) VALUES (N'Dubbel');
        INSERT INTO Groep (Naam) VALUES (N'Dubbel');
        COMMIT;
      END TRY
      BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK;
        ${rethrow ? "THROW;" : "SELECT ERROR_NUMBER() AS n, XACT_STATE() AS xs;"}
      END CATCH`;
    const handled = await batch(conn, script(false));
    expect(handled.rows).toEqual([{ n: 2601, xs: 0 }]);
    const err = await batch(conn, script(true)).catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 2601 });
    expect((await batch(conn, "SELECT COUNT(*) AS n FROM Groep WHERE Naam = N'Dubbel'")).rows).toEqual([{ n: 0 }]);
  });

  it("statements on separate lines without semicolons are separate statements, as SQL Server parses them", async () => {
    const r = await batch(conn, "SELECT 1 AS a\nSELECT 2 AS b\nSELECT Naam FROM Groep WHERE GroepId = 1\nUPDATE Groep SET Actief = 1 WHERE GroepId = 1\nSELECT @@ROWCOUNT AS n");
    expect(r.resultSets.map((s) => s.rows)).toEqual([[{ a: 1 }], [{ b: 2 }], [{ Naam: "Groep 8a" }], [{ n: 1 }]]);
    // a SELECT on the next line that continues the statement stays part of it
    const u = await batch(conn, "SELECT GroepId AS id FROM Groep WHERE GroepId = 1\nUNION ALL\nSELECT GroepId FROM Groep WHERE GroepId = 2\nORDER BY id");
    expect(u.rows).toEqual([{ id: 1 }, { id: 2 }]);
    await batch(conn, "CREATE TABLE Kopie (Id INT, Naam NVARCHAR(50))\nINSERT INTO Kopie (Id, Naam)\nSELECT GroepId, Naam FROM Groep WHERE GroepId = 1\nSELECT COUNT(*) AS n FROM Kopie");
    expect((await batch(conn, "WITH g AS (SELECT Naam FROM Kopie)\nSELECT Naam FROM g")).rows).toEqual([{ Naam: "Groep 8a" }]);
  });

  it("an undeclared variable is error 137", async () => {
    const err = await batch(conn, "SELECT @nope").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 137 });
  });

  it("queries() lists the T-SQL the server received, for tests that check what a client sent", () => {
    expect(server.queries().some((q) => q.includes("OFFSET 2 ROWS FETCH NEXT 2 ROWS ONLY"))).toBe(true);
  });
});

describe("dates and conversions as SQL Server's type rules make them (us_english, DATEFORMAT mdy)", () => {
  const first = Date.UTC(2024, 0, 1);
  const dayMs = 86_400_000;
  beforeAll(async () => {
    await batch(conn, "CREATE TABLE Afspraak (Id INT PRIMARY KEY, Dag DATE NOT NULL, Moment DATETIME NOT NULL, Precies DATETIME2(3) NULL)");
    for (let i = 0; i < 300; i++) {
      const at = new Date(first + i * dayMs);
      // the relay sends dates as DateTime parameters, also into DATE columns
      await execSql(conn, "INSERT INTO Afspraak (Id, Dag, Moment) VALUES (@id, @dag, @moment)", [
        { name: "id", type: TYPES.Int, value: i + 1 }, { name: "dag", type: TYPES.DateTime, value: at }, { name: "moment", type: TYPES.DateTime, value: at },
      ]);
    }
  });

  it("a string literal compared with a DATE or DATETIME column is read as a date: 'YYYY-MM-DD', 'YYYYMMDD', mdy and ISO 8601", async () => {
    const count = async (where: string) => ((await batch(conn, `SELECT COUNT(*) AS n FROM Afspraak a WHERE ${where}`)).rows[0] as { n: number }).n;
    expect(await count("Dag = '2024-06-05'")).toBe(1);
    expect(await count("Moment = '2024-06-05'")).toBe(1);
    expect(await count("a.Moment = '2024-06-05T00:00:00'")).toBe(1);
    expect(await count("Dag = '06/05/2024'")).toBe(1);
    expect(await count("'20240605' = Dag")).toBe(1);
    const fromAugust = 300 - Math.round((Date.UTC(2024, 7, 1) - first) / dayMs);
    expect(await count("Dag >= '20240801'")).toBe(fromAugust);
    expect(await count("Moment >= '20240801'")).toBe(fromAugust);
    expect(await count("Moment BETWEEN '20240801' AND '2024-08-31 23:59:59'")).toBe(31);
    expect(await count("Dag IN ('20240101', '2024-01-03', 'Jan 5 2024')")).toBe(3);
    expect(await count("Moment < CAST('20240201' AS DATETIME)")).toBe(31);
    const err = await batch(conn, "SELECT COUNT(*) FROM Afspraak WHERE Dag = '2024-02-30'").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 241, message: "Conversion failed when converting date and/or time from character string." });
  });

  it("DATE columns hold dates: a DateTime value with a time is stored as its day, and reads back as a date", async () => {
    await execSql(conn, "UPDATE Afspraak SET Dag = @d, Precies = @d WHERE Id = 1", [{ name: "d", type: TYPES.DateTime2, value: new Date(Date.UTC(2024, 0, 1, 15, 30, 0, 123)) }]);
    expect((await batch(conn, "SELECT Dag, Precies, CONVERT(VARCHAR(30), Precies, 121) AS tekst FROM Afspraak WHERE Dag = '2024-01-01'")).rows).toEqual([
      { Dag: new Date(Date.UTC(2024, 0, 1)), Precies: new Date(Date.UTC(2024, 0, 1, 15, 30, 0, 123)), tekst: "2024-01-01 15:30:00.123" },
    ]);
    await batch(conn, "INSERT INTO Afspraak (Id, Dag, Moment) VALUES (1000, '20250102', 'Jan 2 2025 3:04PM')");
    expect((await batch(conn, "SELECT Dag, Moment FROM Afspraak WHERE Id = 1000")).rows).toEqual([{ Dag: new Date(Date.UTC(2025, 0, 2)), Moment: new Date(Date.UTC(2025, 0, 2, 15, 4)) }]);
    await batch(conn, "DELETE FROM Afspraak WHERE Id = 1000");
  });

  it("CAST/CONVERT of character strings to DATETIME, with the CONVERT styles 23, 102, 103, 104, 105, 112, 120, 126", async () => {
    const r = await batch(conn, `SELECT CAST('20240801' AS DATETIME) AS a, CONVERT(DATETIME, '01-08-2024', 105) AS b, CONVERT(DATETIME, '01/08/2024', 103) AS c,
      CONVERT(DATETIME, '01.08.2024', 104) AS d, CONVERT(DATE, '2024.08.01', 102) AS e, CONVERT(DATE, '20240801', 112) AS f,
      CONVERT(DATETIME, '2024-08-01 10:11:12', 120) AS g, CONVERT(DATETIME, '2024-08-01T10:11:12.123', 126) AS h, CONVERT(DATE, '2024-08-01', 23) AS i,
      CAST('2024-08-01 23:59:59.999' AS DATETIME) AS rounded`);
    const aug1 = new Date(Date.UTC(2024, 7, 1));
    expect(r.rows[0]).toEqual({
      a: aug1, b: aug1, c: aug1, d: aug1, e: aug1, f: aug1, g: new Date(Date.UTC(2024, 7, 1, 10, 11, 12)), h: new Date(Date.UTC(2024, 7, 1, 10, 11, 12, 123)), i: aug1,
      rounded: new Date(Date.UTC(2024, 7, 2)),
    });
    const out = await batch(conn, `DECLARE @d DATETIME = '2024-08-01T09:05:07.123';
      SELECT CONVERT(VARCHAR(10), @d, 23) AS s23, CONVERT(VARCHAR(10), @d, 102) AS s102, CONVERT(VARCHAR(10), @d, 103) AS s103, CONVERT(VARCHAR(10), @d, 104) AS s104,
      CONVERT(VARCHAR(10), @d, 105) AS s105, CONVERT(VARCHAR(8), @d, 112) AS s112, CONVERT(VARCHAR(19), @d, 120) AS s120, CONVERT(VARCHAR(30), @d, 126) AS s126,
      CONVERT(VARCHAR(30), Moment, 0) AS s0 FROM Afspraak WHERE Id = 2`);
    expect(out.rows[0]).toEqual({
      s23: "2024-08-01", s102: "2024.08.01", s103: "01/08/2024", s104: "01.08.2024", s105: "01-08-2024", s112: "20240801", s120: "2024-08-01 09:05:07", s126: "2024-08-01T09:05:07.123",
      s0: "Jan  2 2024 12:00AM",
    });
    const gap = await batch(conn, "SELECT CONVERT(DATETIME, '01/08/2024', 131) AS x").catch((e: unknown) => e);
    expect((gap as Error).message).toMatch(/CONVERT style 131 .* not supported by this test server/);
  });

  it("DATEADD(month, …) keeps the day or ends on the last day of the month, as SQL Server does", async () => {
    const r = await batch(conn, "SELECT DATEADD(month, 1, '2024-01-31') AS feb, DATEADD(year, 1, '20240229') AS leap, DATEADD(month, -1, Dag) AS terug FROM Afspraak WHERE Id = 91 -- 31 March");
    expect(r.rows[0]).toEqual({ feb: new Date(Date.UTC(2024, 1, 29)), leap: new Date(Date.UTC(2025, 1, 28)), terug: new Date(Date.UTC(2024, 1, 29)) });
  });

  it("SET DATEFORMAT other than mdy is refused rather than read differently", async () => {
    const err = await batch(conn, "SET DATEFORMAT dmy; SELECT CAST('01/08/2024' AS DATETIME) AS d").catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/DATEFORMAT dmy is not supported by this test server/);
  });
});

describe("errors SQL Server raises where SQLite would answer", () => {
  it("division by zero is error 8134, not NULL; the batch goes on with the next statement", async () => {
    const err = await batch(conn, "SELECT 1/0 AS x").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 8134, message: "Divide by zero error encountered." });
    expect(await batch(conn, "SELECT 7 % 0 AS x").catch((e: { number: number }) => e.number)).toBe(8134);
    expect(await batch(conn, "SELECT GroepId / (GroepId - GroepId) AS x FROM Groep").catch((e: { number: number }) => e.number)).toBe(8134);
    expect((await batch(conn, "SELECT 7 / 2 AS q, 7.0 / 2 AS r, 7 % 3 AS m")).rows).toEqual([{ q: 3, r: 3.5, m: 1 }]);
  });

  it("CAST of a string that is no number is error 245 (int) or 8114 (decimal/float); TRY_CAST gives NULL", async () => {
    const err = await batch(conn, "SELECT CAST('abc' AS INT) AS x").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 245, message: "Conversion failed when converting the varchar value 'abc' to data type int." });
    expect(await batch(conn, "SELECT CAST('1.5' AS INT) AS x").catch((e: { number: number }) => e.number)).toBe(245);
    expect(await batch(conn, "SELECT CAST('x1' AS DECIMAL(5,2)) AS x").catch((e: { number: number }) => e.number)).toBe(8114);
    expect((await batch(conn, "SELECT TRY_CAST('abc' AS INT) AS a, CAST(' 42 ' AS INT) AS b, CAST('3.14159' AS DECIMAL(5,2)) AS c, TRY_CONVERT(DATE, 'nope') AS d")).rows).toEqual([{ a: null, b: 42, c: 3.14, d: null }]);
  });
});

describe("scripts as SSMS writes them", () => {
  it("bracketed types, named defaults, WITH (…) ON [PRIMARY], ALTER TABLE ADD, TRUNCATE (identity back to its seed) and OPTION (RECOMPILE) work", async () => {
    await batch(conn, `CREATE TABLE [dbo].[Klas] ([Id] [int] IDENTITY(1,1) NOT NULL, [Naam] [nvarchar](20) NULL,
      [Op] [datetime] NOT NULL CONSTRAINT [DF_Klas_Op] DEFAULT (getdate()),
      CONSTRAINT [PK_Klas] PRIMARY KEY CLUSTERED ([Id] ASC) WITH (PAD_INDEX = OFF) ON [PRIMARY]) ON [PRIMARY]`);
    await batch(conn, "ALTER TABLE [dbo].[Klas] ADD [Code] [nvarchar](4) NULL, [Niveau] [int] NULL");
    await batch(conn, "INSERT INTO Klas (Naam, Code) VALUES (N'Groep 3', N'G3'); TRUNCATE TABLE dbo.Klas; INSERT INTO Klas (Naam, Code) VALUES (N'Groep 4', N'G4');");
    const r = await batch(conn, "SELECT LEFT(Naam, 5) AS [Begin van naam], RIGHT(Code, 1) + N'!' AS eind, Id + 0, Op FROM dbo.Klas OPTION (RECOMPILE)");
    expect(r.rows).toEqual([{ "Begin van naam": "Groep", eind: "4!", "": 1, Op: expect.any(Date) }]);
    expect((await batch(conn, "SELECT Niveau FROM Klas")).rows).toEqual([{ Niveau: null }]);
    const tooLong = await batch(conn, "INSERT INTO Klas (Naam, Code) VALUES (N'x', N'te lang')").catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ number: 2628 });
  });

  it("UPDATE alias SET alias.col = … FROM T alias [INNER JOIN …] WHERE … updates the target rows only", async () => {
    const joined = await batch(conn, "UPDATE g SET g.Omschrijving = k.Naam FROM dbo.Groep AS g INNER JOIN dbo.Klas k ON k.Id = g.GroepId WHERE g.Actief = 1 OR g.GroepId = 1");
    expect(joined.rowCount).toBe(1);
    const plain = await batch(conn, "UPDATE g SET g.Omschrijving = N'alias' FROM Groep g WHERE g.GroepId = 2");
    expect(plain.rowCount).toBe(1);
    const r = await batch(conn, "SELECT GroepId, Omschrijving FROM Groep WHERE GroepId IN (1, 2, 3) ORDER BY GroepId");
    expect(r.rows).toEqual([{ GroepId: 1, Omschrijving: "Groep 4" }, { GroepId: 2, Omschrijving: "alias" }, { GroepId: 3, Omschrijving: null }]);
  });
});

describe("the documented LVS2000 schema", () => {
  it("docs/lvs2000.sql loads batch by batch, and a Leerling update bumps its RowVersion", async () => {
    const ddl = readFileSync(new URL("../../docs/lvs2000.sql", import.meta.url), "utf8");
    for (const b of ddl.split(/^\s*GO\s*$/im).filter((x) => x.replace(/--.*$/gm, "").trim())) await batch(conn, b);
    await batch(conn, "INSERT INTO dbo.Leerling (LeerlingNummer, Achternaam) VALUES (N'L1', N'Jansen')");
    const v1 = (await batch(conn, "SELECT RowVersion FROM dbo.Leerling WHERE LeerlingNummer = N'L1'")).rows[0]?.RowVersion as Buffer;
    const upd = await execSql(conn, "UPDATE dbo.Leerling SET Bsn = @nummer, GewijzigdOp = @nu WHERE LeerlingNummer = @id", [
      { name: "nummer", type: TYPES.NVarChar, value: "123456782" }, { name: "nu", type: TYPES.DateTime, value: new Date() }, { name: "id", type: TYPES.NVarChar, value: "L1" },
    ]);
    expect(upd.rowCount).toBe(1);
    const v2 = (await batch(conn, "SELECT RowVersion FROM dbo.Leerling WITH (UPDLOCK, HOLDLOCK) WHERE LeerlingNummer = N'L1'")).rows[0]?.RowVersion as Buffer;
    expect(v2.equals(v1)).toBe(false);
  });
});

describe("sys.databases", () => {
  it("lists the system databases and the configured user databases (default LVS2000)", async () => {
    const r = await batch(conn, "SELECT name, database_id FROM sys.databases ORDER BY database_id");
    expect(r.rows.map((row) => row.name)).toEqual(["master", "tempdb", "model", "msdb", "LVS2000"]);
    const other = await startTdsServer({ database: ":memory:", logins: { sa: "Secret123!" }, databaseNames: ["LVS2000", "LVS2000_oud"] });
    const c = await connect({ port: other.port, userName: "sa", password: "Secret123!" });
    try {
      const u = await batch(c, "SELECT name FROM sys.databases WHERE database_id > 4 ORDER BY name");
      expect(u.rows.map((row) => row.name)).toEqual(["LVS2000", "LVS2000_oud"]);
    } finally {
      await close(c);
      await other.stop();
    }
  });

  it("refuses a login to a database it does not list, as SQL Server does (4060), rather than opening its one database under that name", async () => {
    const refused = new Connection({ server: "127.0.0.1", authentication: { type: "default", options: { userName: "sa", password: "Secret123!" } }, options: { port: server.port, database: "Bestaat_niet", encrypt: false, trustServerCertificate: true } });
    const messages: string[] = [];
    refused.on("errorMessage", (m) => messages.push(`${m.number} ${m.message}`));
    await expect(new Promise((resolve, reject) => {
      refused.on("connect", (err) => (err ? reject(err) : resolve(undefined)));
      refused.connect();
    })).rejects.toThrow(/Login failed for user 'sa'/);
    expect(messages).toEqual(['4060 Cannot open database "Bestaat_niet" requested by the login. The login failed.', "18456 Login failed for user 'sa'."]);
    const c = await connect({ port: server.port, userName: "sa", password: "Secret123!", database: "lvs2000" }); // names compare case-insensitively
    await close(c);
  });
});
