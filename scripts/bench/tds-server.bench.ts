import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { Request, TYPES, type Connection } from "tedious";
import { close, connect, execSql } from "../../emulators/sqlserver/client.js";

/**
 * The wire-level TDS test server over SQLite (not SQL Server), driven by real tedious: a 100,000-row
 * result streamed at two packet sizes, a 400,000-row one, and 2,000 parameterised INSERTs. Each server
 * runs in its own process, so its peak RSS (reported on exit) is its own; compared with a server that
 * only answered `SELECT 1`, streaming 4× the rows should not cost 4× the memory (rows are encoded into
 * packets as they are read, and the socket's back-pressure is honoured).
 */

const ROWS = Number(process.env.BENCH_TDS_ROWS ?? 100_000);
const here = dirname(fileURLToPath(import.meta.url));
const serverMain = join(here, "..", "..", "emulators", "sqlserver", "main.js");
const login = { userName: "bench", password: "Bench!2024" };

interface Child { port: number; stop(): Promise<number> }

function startServer(database: string): Promise<Child> {
  const child = spawn(process.execPath, [serverMain, "--database", database, "--port", "0", "--login", `${login.userName}:${login.password}`], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening [\d.]+:(\d+)/.exec(out);
      if (m && !out.includes("maxRSS")) resolve({
        port: Number(m[1]),
        stop: () => new Promise<number>((done) => {
          child.once("exit", () => done(Number(/maxRSS (\d+)/.exec(out)?.[1] ?? 0)));
          child.kill("SIGTERM");
        }),
      });
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function seed(path: string, rows: number): void {
  const db = new BetterSqlite3(path);
  db.exec("CREATE TABLE Leerling (Id INTEGER PRIMARY KEY, Nummer NVARCHAR(20) COLLATE NOCASE, Naam NVARCHAR(200) COLLATE NOCASE, Geboren DATE, Actief BIT, Bedrag DECIMAL(9,2), Ingeschreven DATETIME)");
  const insert = db.prepare("INSERT INTO Leerling (Nummer, Naam, Geboren, Actief, Bedrag, Ingeschreven) VALUES (?, ?, ?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      insert.run(`L${String(i).padStart(7, "0")}`, `Voornaam${i % 97} van Achternaam${i % 1013}`, `20${String(10 + (i % 9)).padStart(2, "0")}-0${1 + (i % 9)}-1${i % 9}`, i % 2, (i % 1000) / 4, "2024-08-19 00:00:00.000");
    }
  })();
  db.close();
}

async function streamAll(c: Connection): Promise<{ rows: number; ms: number; bytes: number }> {
  const socket = (c as unknown as { socket: Socket }).socket;
  const before = socket.bytesRead;
  const t0 = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    const req = new Request("SELECT Id, Nummer, Naam, Geboren, Actief, Bedrag, Ingeschreven FROM dbo.Leerling ORDER BY Id", (err) => (err ? reject(err) : resolve()));
    req.on("row", () => rows++);
    c.execSqlBatch(req);
  });
  return { rows, ms: performance.now() - t0, bytes: socket.bytesRead - before };
}

async function measureStreaming(dir: string, rows: number, packetSizes: number[]): Promise<number> {
  const path = join(dir, `bench-${rows}.sqlite`);
  seed(path, rows);
  const server = await startServer(path);
  for (const packetSize of packetSizes) {
    const c = await connect({ port: server.port, ...login, packetSize });
    await streamAll(c);
    const r = await streamAll(c);
    console.log(`stream ${r.rows} rows, packet ${packetSize} B: ${r.ms.toFixed(0)} ms, ${(r.rows / (r.ms / 1000)).toFixed(0)} rows/s, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB on the wire (${Math.ceil(r.bytes / packetSize)} packets)`);
    await close(c);
  }
  return server.stop();
}

async function measureInserts(dir: string): Promise<void> {
  const server = await startServer(join(dir, "inserts.sqlite"));
  const c = await connect({ port: server.port, ...login });
  await execSql(c, "CREATE TABLE Audit (Id INT IDENTITY(1,1) PRIMARY KEY, RequestId NVARCHAR(100) NOT NULL, Tijdstip DATETIME NOT NULL)");
  const N = 2000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await execSql(c, "INSERT INTO dbo.Audit (RequestId, Tijdstip) VALUES (@rid, @nu)", [
      { name: "rid", type: TYPES.NVarChar, value: `req-${i}` }, { name: "nu", type: TYPES.DateTime, value: new Date() },
    ]);
  }
  const insertMs = performance.now() - t0;
  console.log(`${N} sp_executesql INSERTs (file database, WAL): ${insertMs.toFixed(0)} ms (${((insertMs / N) * 1000).toFixed(0)} µs each, round trip included)`);
  await close(c);
  await server.stop();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tds-bench-"));
  const basePath = join(dir, "base.sqlite");
  seed(basePath, 10);
  const baseline = await startServer(basePath);
  const b = await connect({ port: baseline.port, ...login });
  await execSql(b, "SELECT 1 AS one");
  await close(b);
  const baselineRss = await baseline.stop();
  const small = await measureStreaming(dir, ROWS, [4096, 32767]);
  const large = await measureStreaming(dir, 4 * ROWS, [32767]);
  console.log(`server peak RSS: ${(baselineRss / 1024).toFixed(0)} MiB answering SELECT 1; ${(small / 1024).toFixed(0)} MiB streaming ${ROWS} rows; ${(large / 1024).toFixed(0)} MiB streaming ${4 * ROWS} rows`);
  await measureInserts(dir);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
