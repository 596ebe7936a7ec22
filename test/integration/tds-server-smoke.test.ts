import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TYPES } from "tedious";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { batch, close, connect, execSql } from "../../emulators/sqlserver/client.js";
import type { Connection } from "tedious";

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

describe("smoke", () => {
  it("select 1", async () => {
    const r = await batch(conn, "SELECT 1 AS one, N'æøå' AS s");
    expect(r.rows).toEqual([{ one: 1, s: "æøå" }]);
  });
  it("params", async () => {
    const r = await execSql(conn, "SELECT @a AS a, @b AS b", [{ name: "a", type: TYPES.Int, value: 5 }, { name: "b", type: TYPES.NVarChar, value: "x" }]);
    expect(r.rows).toEqual([{ a: 5, b: "x" }]);
  });
});
