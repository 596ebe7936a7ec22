import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRelayConfig, RelayConfigError } from "../../src/relay/relay-config.js";

const key = Buffer.alloc(32, 3).toString("base64");
const minimal = { RELAY_SQL_USER: "bronsync", RELAY_SQL_PASSWORD: "x", RELAY_HMAC_KEY: key };

function problems(env: Record<string, string>): string[] {
  try {
    loadRelayConfig(env);
  } catch (e) {
    if (e instanceof RelayConfigError) return e.problems.map((p) => p.split(":")[0]!).sort();
    throw e;
  }
  return [];
}

describe("the relay's own configuration", () => {
  it("fills defaults for a local relay with SQL authentication", () => {
    expect(loadRelayConfig(minimal)).toMatchObject({ RELAY_SQL_AUTH: "sql", RELAY_SQL_DATABASE: "LVS2000", RELAY_TRANSPORT: "local", RELAY_LISTEN_PORT: 7443, RELAY_SQL_ENCRYPT: true });
  });

  it("lists every problem at once, an empty string counting as missing", () => {
    expect(problems({ RELAY_SQL_USER: "", RELAY_HMAC_KEY: "dG9vIHNob3J0" })).toEqual(["RELAY_HMAC_KEY", "RELAY_SQL_PASSWORD", "RELAY_SQL_USER"]);
  });

  it("demands a domain for Windows (ntlm) authentication and the Hybrid Connection settings for the hybrid transport", () => {
    expect(problems({ ...minimal, RELAY_SQL_AUTH: "ntlm", RELAY_TRANSPORT: "hybrid", RELAY_HC_NAMESPACE: "x.servicebus.windows.net" })).toEqual([
      "RELAY_HC_KEY", "RELAY_HC_KEYRULE", "RELAY_HC_PATH", "RELAY_SQL_DOMAIN",
    ]);
  });

  it("reads a JSON config file, with the environment winning", () => {
    const file = join(mkdtempSync(join(tmpdir(), "relay-config-")), "relay.json");
    writeFileSync(file, JSON.stringify({ ...minimal, RELAY_SQL_SERVER: "lvs-server", RELAY_LISTEN_PORT: 8443 }));
    const c = loadRelayConfig({ RELAY_CONFIG_FILE: file, RELAY_LISTEN_PORT: "9443", RELAY_SQL_SERVER: "" });
    expect(c).toMatchObject({ RELAY_SQL_SERVER: "lvs-server", RELAY_LISTEN_PORT: 9443, RELAY_SQL_USER: "bronsync" });
  });

  it("ignores variables that are not the relay's", () => {
    expect(loadRelayConfig({ ...minimal, AzureWebJobsStorage: "x", PATH: "/bin" })).not.toHaveProperty("PATH");
  });
});
