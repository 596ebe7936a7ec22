import { describe, expect, it } from "vitest";
import { defaultConfigPath, splitServer, targetToConfig } from "../../src/relay/configure.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { tediousConfig } from "../../src/relay/sql/connection.js";

describe("bronsync-relay configure: the pieces", () => {
  it("reads server\\instance as the manual's dialog writes it", () => {
    expect(splitServer("SQL01\\LVS")).toEqual({ server: "SQL01", instance: "LVS" });
    expect(splitServer(" sql01.school.local ")).toEqual({ server: "sql01.school.local" });
  });

  it("keeps its configuration where a service finds it on each system", () => {
    expect(defaultConfigPath("linux", undefined)).toBe("/etc/bronsync-relay/relay.json");
    expect(defaultConfigPath("win32", "D:\\ProgramData")).toMatch(/^D:\\ProgramData.BronSync Relay.relay\.json$/);
  });

  it("writes keys the relay reads back; a named instance connects by instance name, not port", () => {
    const written = targetToConfig({ server: "SQL01", instance: "LVS", port: 1433, database: "LVS2000", auth: { type: "ntlm", userName: "svc", password: "x", domain: "SCHOOL" }, encrypt: true, trustServerCertificate: false });
    const env = Object.fromEntries(Object.entries(written).filter(([, v]) => v !== ""));
    const c = loadRelayConfig({ ...env, RELAY_HMAC_KEY: Buffer.alloc(32, 1).toString("base64"), RELAY_TRANSPORT: "local" });
    expect(c).toMatchObject({ RELAY_SQL_SERVER: "SQL01", RELAY_SQL_INSTANCE: "LVS", RELAY_SQL_AUTH: "ntlm", RELAY_SQL_DOMAIN: "SCHOOL" });
    const options = tediousConfig({ server: "SQL01", instanceName: "LVS", port: 1433, database: "LVS2000", auth: { type: "sql", userName: "a", password: "b" }, encrypt: true, trustServerCertificate: false, size: 1 }).options!;
    expect(options.instanceName).toBe("LVS");
    expect(options.port).toBeUndefined();
    expect(tediousConfig({ server: "SQL01", port: 1500, database: "LVS2000", auth: { type: "sql", userName: "a", password: "b" }, encrypt: true, trustServerCertificate: false, size: 1 }).options!.port).toBe(1500);
  });
});
