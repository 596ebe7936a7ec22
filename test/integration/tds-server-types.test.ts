import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TYPES, type Connection } from "tedious";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { batch, close, connect, execSql, type Param } from "../../emulators/sqlserver/client.js";

// Wire-level TDS test server over SQLite — not SQL Server. These tests drive it with the real tedious driver.
let server: TdsServer;
let conn: Connection;

const DDL = `
CREATE TABLE dbo.[Sample] (
  [Id] INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
  [Big] BIGINT NULL,
  [Name] NVARCHAR(100) NULL,
  [Code] VARCHAR(20) NULL,
  [Born] DATE NULL,
  [Stamp] DATETIME2(7) NULL,
  [Legacy] DATETIME NULL,
  [Active] BIT NULL,
  [Amount] DECIMAL(9,2) NULL,
  [Blob] VARBINARY(MAX) NULL,
  [Guid] UNIQUEIDENTIFIER NULL,
  [Notes] NVARCHAR(MAX) NULL
);`;

function sampleParams(v: Record<string, unknown>): Param[] {
  return [
    { name: "big", type: TYPES.BigInt, value: v.big },
    { name: "name", type: TYPES.NVarChar, value: v.name },
    { name: "code", type: TYPES.VarChar, value: v.code },
    { name: "born", type: TYPES.Date, value: v.born },
    { name: "stamp", type: TYPES.DateTime2, value: v.stamp },
    { name: "legacy", type: TYPES.DateTime, value: v.legacy },
    { name: "active", type: TYPES.Bit, value: v.active },
    { name: "amount", type: TYPES.Decimal, value: v.amount, options: { precision: 9, scale: 2 } },
    { name: "blob", type: TYPES.VarBinary, value: v.blob },
    { name: "guid", type: TYPES.UniqueIdentifier, value: v.guid },
    { name: "notes", type: TYPES.NVarChar, value: v.notes },
  ];
}

const INSERT = `INSERT INTO dbo.Sample (Big, Name, Code, Born, Stamp, Legacy, Active, Amount, Blob, Guid, Notes)
  VALUES (@big, @name, @code, @born, @stamp, @legacy, @active, @amount, @blob, @guid, @notes);
  SELECT SCOPE_IDENTITY() AS id;`;

beforeAll(async () => {
  server = await startTdsServer({ database: ":memory:", logins: { sa: "Secret123!" } });
  conn = await connect({ port: server.port, userName: "sa", password: "Secret123!" });
  await batch(conn, DDL);
});
afterAll(async () => {
  await close(conn);
  await server.stop();
});

describe("typed parameters and result columns round-trip through tedious", () => {
  it("every supported parameter type comes back as the same JS value", async () => {
    const long = "Ærø ".repeat(1500);
    const values = {
      big: "9007199254740993", name: "Jørgen Ærø", code: "ABC-123", born: new Date(Date.UTC(2012, 1, 29)),
      stamp: new Date(Date.UTC(2024, 4, 1, 12, 34, 56, 789)), legacy: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 997)),
      active: true, amount: 7.25, blob: Buffer.from([0, 1, 2, 254, 255]), guid: "0E984725-C51C-4BF4-9960-E1C80E27ABA0", notes: long,
    };
    const inserted = await execSql(conn, INSERT, sampleParams(values));
    const id = inserted.resultSets[0]?.rows[0]?.id;
    expect(id).toBe(1);
    const r = await execSql(conn, "SELECT * FROM Sample WHERE Id = @id", [{ name: "id", type: TYPES.Int, value: id }]);
    expect(r.rows[0]).toEqual({
      Id: 1, Big: "9007199254740993", Name: "Jørgen Ærø", Code: "ABC-123", Born: values.born, Stamp: values.stamp,
      Legacy: values.legacy, Active: true, Amount: 7.25, Blob: values.blob, Guid: values.guid, Notes: long,
    });
    expect(long.length).toBeGreaterThan(4000);
  });

  it("any value of the supported types survives INSERT … OUTPUT INSERTED through tedious unchanged (property)", async () => {
    await batch(conn, `CREATE TABLE Rt (Id INT IDENTITY(1,1) PRIMARY KEY, S NVARCHAR(MAX), I INT, B BIGINT, D DATETIME2(7), M DECIMAL(18,4),
      V VARBINARY(MAX), G UNIQUEIDENTIFIER, X BIT, DT DATE)`);
    const day = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    const when = fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true });
    const row = fc.record({
      S: fc.string({ unit: "grapheme", maxLength: 300 }), I: fc.integer(), B: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
      D: when, M: fc.integer({ min: -1e12, max: 1e12 }).map((n) => n / 10_000), V: fc.uint8Array({ maxLength: 9000 }).map((a) => Buffer.from(a)),
      G: fc.uuid().map((u) => u.toUpperCase()), X: fc.boolean(), DT: when.map(day),
    });
    await fc.assert(
      fc.asyncProperty(row, async (v) => {
        const r = await execSql(conn, "INSERT INTO Rt (S, I, B, D, M, V, G, X, DT) OUTPUT INSERTED.S, INSERTED.I, INSERTED.B, INSERTED.D, INSERTED.M, INSERTED.V, INSERTED.G, INSERTED.X, INSERTED.DT VALUES (@s, @i, @b, @d, @m, @v, @g, @x, @dt)", [
          { name: "s", type: TYPES.NVarChar, value: v.S }, { name: "i", type: TYPES.Int, value: v.I }, { name: "b", type: TYPES.BigInt, value: v.B },
          { name: "d", type: TYPES.DateTime2, value: v.D }, { name: "m", type: TYPES.Decimal, value: v.M, options: { precision: 18, scale: 4 } },
          { name: "v", type: TYPES.VarBinary, value: v.V }, { name: "g", type: TYPES.UniqueIdentifier, value: v.G }, { name: "x", type: TYPES.Bit, value: v.X },
          { name: "dt", type: TYPES.Date, value: v.DT },
        ]);
        expect(r.rows[0]).toEqual(v);
      }),
      { numRuns: 60 },
    );
  });

  it("NULL parameters are stored as NULL and read back as null", async () => {
    const nulls = Object.fromEntries(["big", "name", "code", "born", "stamp", "legacy", "active", "amount", "blob", "guid", "notes"].map((k) => [k, null]));
    const inserted = await execSql(conn, INSERT, sampleParams(nulls));
    const id = inserted.rows[0]?.id;
    const r = await execSql(conn, "SELECT * FROM Sample WHERE Id = @id", [{ name: "id", type: TYPES.Int, value: id }]);
    const row = r.rows[0] ?? {};
    expect(Object.entries(row).filter(([k]) => k !== "Id").every(([, v]) => v === null)).toBe(true);
  });

  it("column metadata carries the declared SQL Server types", async () => {
    const r = await batch(conn, "SELECT TOP 1 * FROM Sample ORDER BY Id");
    const cols = Object.fromEntries((r.resultSets[0]?.columns ?? []).map((c) => [c.name, c]));
    expect(cols.Id?.type).toBe("IntN");
    expect(cols.Big?.type).toBe("IntN");
    expect(cols.Name?.type).toBe("NVarChar");
    expect(cols.Name?.dataLength).toBe(200);
    expect(cols.Born?.type).toBe("Date");
    expect(cols.Stamp?.type).toBe("DateTime2");
    expect(cols.Legacy?.type).toBe("DateTimeN");
    expect(cols.Active?.type).toBe("BitN");
    expect(cols.Amount).toMatchObject({ type: "DecimalN", precision: 9, scale: 2 });
    expect(cols.Blob?.type).toBe("VarBinary");
    expect(cols.Guid?.type).toBe("UniqueIdentifier");
    expect(cols.Notes?.dataLength).toBe(0xffff);
  });

  it("a Decimal parameter without precision/scale is sent with scale 0, as real tedious does", async () => {
    const r = await execSql(conn, "SELECT @d AS d", [{ name: "d", type: TYPES.Decimal, value: 7.25 }]);
    expect(r.rows[0]?.d).toBe(7);
  });

  it("computed columns are typed from their values (int, float, text, datetime)", async () => {
    const r = await batch(conn, "SELECT (SELECT COUNT(*) FROM Sample) AS n, 1.5 AS f, N'x' + N'y' AS s, GETDATE() AS now, 4 AS four");
    const row = r.rows[0] ?? {};
    expect(row.n).toBe(2);
    expect(row.f).toBe(1.5);
    expect(row.s).toBe("xy");
    expect(row.now).toBeInstanceOf(Date);
    expect(Math.abs((row.now as Date).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("an impossible stored date is reported as a conversion error (241), not sent as garbage", async () => {
    server.db.prepare("INSERT INTO Sample (Name, Born) VALUES ('bad', '2023-02-30')").run();
    const err = await batch(conn, "SELECT Born FROM Sample WHERE Name = 'bad'").catch((e: unknown) => e);
    expect(err).toMatchObject({ number: 241 });
    const ok = await batch(conn, "SELECT 1 AS still");
    expect(ok.rows).toEqual([{ still: 1 }]);
  });
});
