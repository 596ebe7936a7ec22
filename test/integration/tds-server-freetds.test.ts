import { mkdtempSync, rmSync } from "node:fs";
import { sniffer } from "../support/sniffer.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { batch, close, connect } from "../../emulators/sqlserver/client.js";
import { ensureFreetds, runTsql, type TsqlServer } from "../support/freetds.js";

// Wire-level TDS test server over SQLite — not SQL Server — driven by a second, independent TDS client:
// FreeTDS's tsql (Debian freetds-bin, installed by ensureFreetds when missing).
const login = { userName: "relay", password: "Geheim-2024" };
let dir: string;
let pki: TestPki;
let otherPki: TestPki;
let server: TdsServer;
let forced: TdsServer;
let plainServer: TsqlServer;

const first = Date.UTC(2024, 0, 1);
const dayMs = 86_400_000;
const isoDay = (i: number) => new Date(first + i * dayMs).toISOString().slice(0, 10);

/** The lines tsql printed on stdout (header line, then one line per row, tab-separated). */
const lines = (stdout: string) => stdout.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l !== "");

async function tsql(sql: string, o: Partial<TsqlServer> = {}) {
  return runTsql({ ...plainServer, ...o }, sql);
}

beforeAll(async () => {
  ensureFreetds();
  dir = mkdtempSync(join(tmpdir(), "tds-freetds-"));
  pki = await createTestPki(join(dir, "pki"), []);
  otherPki = await createTestPki(join(dir, "other"), []);
  server = await startTdsServer({ database: ":memory:", logins: { [login.userName]: login.password }, tls: { cert: pki.server.cert, key: pki.server.key } });
  forced = await startTdsServer({ database: ":memory:", logins: { [login.userName]: login.password }, tls: { cert: pki.server.cert, key: pki.server.key, forceEncryption: true } });
  plainServer = { port: server.port, ...login, database: "LVS2000" };
  const c = await connect({ port: server.port, ...login });
  const values = Array.from({ length: 300 }, (_, i) => `(${i + 1}, '${isoDay(i)}', '${isoDay(i).replace(/-/g, "")}')`);
  await batch(c, `CREATE TABLE Afspraak (Id INT PRIMARY KEY, Dag DATE NOT NULL, Moment DATETIME NOT NULL);
    INSERT INTO Afspraak (Id, Dag, Moment) VALUES ${values.join(", ")};`);
  await close(c);
}, 600_000);
afterAll(async () => {
  await server?.stop();
  await forced?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("FreeTDS tsql against the TDS test server", () => {
  it("date literals compared with DATE and DATETIME columns find what SQL Server finds", async () => {
    const fromAugust = 300 - Math.round((Date.UTC(2024, 7, 1) - first) / dayMs);
    const r = await tsql(`SELECT COUNT(*) AS n FROM Afspraak WHERE Dag = '2024-06-05'
SELECT COUNT(*) AS n FROM Afspraak WHERE Moment = '2024-06-05'
SELECT COUNT(*) AS n FROM Afspraak WHERE Dag >= '20240801'
SELECT COUNT(*) AS n FROM Afspraak WHERE Moment >= '20240801'`);
    expect(r.stderr).toBe("");
    expect(lines(r.stdout)).toEqual(["n", "1", "n", "1", "n", String(fromAugust), "n", String(fromAugust)]);
  });

  it("CAST/CONVERT of character strings to DATETIME and DATEADD(month) give SQL Server's dates", async () => {
    const r = await tsql("SELECT CAST('20240801' AS DATETIME) AS a, CONVERT(DATETIME, '01-08-2024', 105) AS b, DATEADD(month, 1, '2024-01-31') AS c, CONVERT(VARCHAR(10), CAST('20240801' AS DATE), 103) AS d");
    expect(r.stderr).toBe("");
    expect(lines(r.stdout)).toEqual(["a\tb\tc\td", "Aug  1 2024 12:00AM\tAug  1 2024 12:00AM\tFeb 29 2024 12:00AM\t01/08/2024"]);
  });

  it("division by zero is Msg 8134 and CAST('abc' AS INT) is Msg 245", async () => {
    const r = await tsql("SELECT 1/0 AS x\ngo\nSELECT CAST('abc' AS INT) AS y");
    const out = r.stdout + r.stderr;
    expect(out).toContain("Msg 8134 (severity 16");
    expect(out).toContain("Divide by zero error encountered.");
    expect(out).toContain("Msg 245 (severity 16");
    expect(out).toContain("Conversion failed when converting the varchar value 'abc' to data type int.");
  });

  it("a batch with statements on separate lines (no semicolons) runs each statement", async () => {
    const r = await tsql("SELECT 1 AS a\nSELECT 2 AS b\nUPDATE Afspraak SET Dag = Dag WHERE Id = 1\nSELECT @@ROWCOUNT AS n");
    expect(r.stderr).toBe("");
    expect(lines(r.stdout)).toEqual(["a", "1", "b", "2", "n", "1"]);
  });

  it("SUSER_SNAME() is the login of the session", async () => {
    const r = await tsql("SELECT SUSER_SNAME() AS who, DB_NAME() AS db");
    expect(lines(r.stdout)).toEqual(["who\tdb", "relay\tLVS2000"]);
  });

  it("TDS 7.3 is answered as 7.3; TDS 7.2 is refused with a message naming the gap", async () => {
    expect(lines((await tsql("SELECT 1 AS one", { tdsVersion: "7.3" })).stdout)).toEqual(["one", "1"]);
    const old = await tsql("SELECT 1 AS one", { tdsVersion: "7.2" });
    expect(old.code).not.toBe(0);
    expect(old.stdout + old.stderr).toContain("TDS 7.2 (LOGIN7 version 0x72090002) is not supported by this test server");
  });
});

describe("FreeTDS tsql with TLS at login (certificate checked against the test CA)", () => {
  it("encryption = require: the whole connection is TLS; nothing of the login or the query is in clear text", async () => {
    const proxy = await sniffer(server.port);
    const marker = "Vertrouwelijk-Zoë";
    const r = await tsql(`SELECT N'${marker}' AS naam, SUSER_SNAME() AS who`, { port: proxy.port, host: "localhost", encryption: "require", caFile: pki.ca.path });
    await proxy.close();
    expect(r.stderr).toBe("");
    expect(lines(r.stdout)).toEqual(["naam\twho", `${marker}\trelay`]);
    const sent = proxy.sent();
    expect(sent.includes(Buffer.from(marker, "utf16le"))).toBe(false);
    expect(sent.includes(Buffer.from(login.userName, "utf16le"))).toBe(false);
  });

  it("encryption = request: the server answers ENCRYPT_OFF, so only the login packet is encrypted (MS-TDS login-only encryption)", async () => {
    const proxy = await sniffer(server.port);
    const marker = "Daarna-leesbaar";
    const r = await tsql(`SELECT N'${marker}' AS naam`, { port: proxy.port, host: "localhost", encryption: "request", caFile: pki.ca.path });
    await proxy.close();
    expect(lines(r.stdout)).toEqual(["naam", marker]);
    const sent = proxy.sent();
    expect(sent.includes(Buffer.from(login.userName, "utf16le"))).toBe(false);
    expect(sent.includes(Buffer.from(marker, "utf16le"))).toBe(true);
  });

  it("a server certificate from another CA is refused", async () => {
    const r = await tsql("SELECT 1 AS one", { host: "localhost", encryption: "require", caFile: otherPki.ca.path });
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain("one");
  });

  it("a server that forces encryption turns away a client with encryption off, and serves one that encrypts", async () => {
    const off = await tsql("SELECT 1 AS one", { port: forced.port, encryption: "off" });
    expect(off.code).not.toBe(0);
    const on = await tsql("SELECT 1 AS one", { port: forced.port, host: "localhost", encryption: "require", caFile: pki.ca.path });
    expect(lines(on.stdout)).toEqual(["one", "1"]);
  });
});
