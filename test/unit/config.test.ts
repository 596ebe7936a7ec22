import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const good = {
  AzureWebJobsStorage: "UseDevelopmentStorage=true",
  BRON_ENDPOINT: "https://localhost:6914/bron/v1",
  BRON_OIN: "00000001800866472000",
  KEY_VAULT_URL: "https://vault.example",
};

describe("config", () => {
  it("accepts a complete environment and fills defaults", () => {
    const c = loadConfig(good);
    expect(c.OVERZICHT_MAX_AGE_DAYS).toBe(28);
    expect(c.DURABLE_TASK_HUB).toBe("bronsync");
  });

  it("BRON_BATCH_SIZE: mutations per delivery, 500 by default, at most the contract's maximum", () => {
    expect(loadConfig(good).BRON_BATCH_SIZE).toBe(500);
    expect(loadConfig({ ...good, BRON_BATCH_SIZE: "4" }).BRON_BATCH_SIZE).toBe(4);
    expect(() => loadConfig({ ...good, BRON_BATCH_SIZE: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...good, BRON_BATCH_SIZE: "1001" })).toThrow(ConfigError);
  });

  it("reports every bad key at once, treating empty strings as missing", () => {
    try {
      loadConfig({ ...good, BRON_ENDPOINT: "http://insecure", KEY_VAULT_URL: "", BRON_OIN: "123" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const keys = (e as ConfigError).problems.map((p) => p.split(":")[0]);
      expect(keys.sort()).toEqual(["BRON_ENDPOINT", "BRON_OIN", "KEY_VAULT_URL"]);
    }
  });
});

describe("config: the digest e-mail", () => {
  it("is off without an endpoint, and needs a sender and the beheerpagina's address with one", () => {
    expect(loadConfig(good).EMAIL_ENDPOINT).toBeUndefined();
    expect(loadConfig(good).DIGEST_SCHEDULE).toBe("0 0 7 * * *");
    expect(() => loadConfig({ ...good, EMAIL_ENDPOINT: "https://acs.europe.communication.azure.com" })).toThrow(/EMAIL_SENDER/);
    expect(() => loadConfig({ ...good, EMAIL_ENDPOINT: "http://acs.example" , EMAIL_SENDER: "a@b.nl", BEHEER_URL: "https://x/api/beheer" })).toThrow(/EMAIL_ENDPOINT/);
    expect(loadConfig({ ...good, EMAIL_ENDPOINT: "https://acs.europe.communication.azure.com", EMAIL_SENDER: "DoNotReply@x.nl", BEHEER_URL: "https://x/api/beheer" }).EMAIL_SENDER).toBe("DoNotReply@x.nl");
  });
});

describe("local.settings.example.json", () => {
  it("names every configuration key, and only those", async () => {
    const { readFileSync } = await import("node:fs");
    const { configSchema } = await import("../../src/config.js");
    const example = JSON.parse(readFileSync(new URL("../../local.settings.example.json", import.meta.url), "utf8")) as { Values: Record<string, string> };
    const hostKeys = new Set(["FUNCTIONS_WORKER_RUNTIME"]);
    const schemaKeys = Object.keys(configSchema.shape);
    expect(Object.keys(example.Values).filter((k) => !hostKeys.has(k)).sort()).toEqual(schemaKeys.sort());
  });
});

describe("infra app settings (infra/main.bicep, infra/modules/functionapp.bicep)", () => {
  /** The keys of a Bicep object literal `name: {` … `}` (one `KEY: value` per line). */
  async function bicepKeys(file: string, object: string): Promise<string[]> {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(new URL(`../../infra/${file}`, import.meta.url), "utf8");
    const start = text.search(new RegExp(`\\b${object}\\s*[:=]\\s*\\{`));
    expect(start, `${object} in ${file}`).toBeGreaterThanOrEqual(0);
    const body = text.slice(text.indexOf("{", start) + 1, text.indexOf("}", start));
    return [...body.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/gm)].map((m) => m[1]!);
  }

  it("sets every configuration key in Azure, and nothing src/config.ts does not know", async () => {
    const { configSchema } = await import("../../src/config.js");
    const schemaKeys = Object.keys(configSchema.shape);
    const app = await bicepKeys("main.bicep", "appSettings");
    const base = await bicepKeys("modules/functionapp.bicep", "baseSettings");
    // the connection-string form of the storage setting is for the local stack; Azure uses the identity-based one
    // and the ACS Email stand-in's connection string: in Azure the identity reaches EMAIL_ENDPOINT
    // and the relay release key of the local stack and tests: in Azure the project's production key built into the app
    const localOnly = new Set(["AzureWebJobsStorage", "EMAIL_CONNECTION_STRING", "RELAY_RELEASE_PUBLIC_KEY"]);
    expect(schemaKeys.filter((k) => !localOnly.has(k) && !app.includes(k) && !base.includes(k)).sort()).toEqual([]);
    expect(app.filter((k) => !schemaKeys.includes(k)).sort()).toEqual([]);
  });
});
