import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replyContainerFor } from "../../src/contracts/relay/queue-channel.js";
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
  const queueUrl = "https://stbronsyncrelay.queue.core.windows.net/relay-de-regenboog?sv=2025-01-05&si=relay&sig=abc";

  it("fills defaults for a relay on its school's queue with SQL authentication, the reply container derived from the queue URL", () => {
    expect(loadRelayConfig({ ...minimal, RELAY_QUEUE_URL: queueUrl })).toMatchObject({
      RELAY_SQL_AUTH: "sql", RELAY_SQL_DATABASE: "LVS2000", RELAY_TRANSPORT: "queue", RELAY_SQL_ENCRYPT: true,
      RELAY_POLL_IDLE_SECONDS: 20, RELAY_POLL_ACTIVE_MS: 500, RELAY_POLL_WARM_SECONDS: 120,
    });
    expect(replyContainerFor(queueUrl)).toBe("https://stbronsyncrelay.blob.core.windows.net/relay-replies");
  });

  it("demands the queue URL for the queue transport, a relay queue in it, and a reply container where none can be derived", () => {
    expect(problems(minimal)).toEqual(["RELAY_QUEUE_URL"]);
    expect(problems({ ...minimal, RELAY_QUEUE_URL: "https://stbronsyncrelay.queue.core.windows.net/sync-requests?sig=a" })).toEqual(["RELAY_QUEUE_URL"]);
    expect(problems({ ...minimal, RELAY_QUEUE_URL: "http://127.0.0.1:10001/devstoreaccount1/relay-a?sig=a" })).toEqual(["RELAY_REPLY_CONTAINER_URL"]);
    // the cloud waits 45 s for a pickup: an idle relay polls at least every 30 s
    expect(problems({ ...minimal, RELAY_QUEUE_URL: queueUrl, RELAY_POLL_IDLE_SECONDS: "60" })).toEqual(["RELAY_POLL_IDLE_SECONDS"]);
  });

  it("fills defaults for a local (HTTPS) relay", () => {
    expect(loadRelayConfig({ ...minimal, RELAY_TRANSPORT: "local" })).toMatchObject({ RELAY_TRANSPORT: "local", RELAY_LISTEN_PORT: 7443 });
  });

  it("lists every problem at once, an empty string counting as missing", () => {
    expect(problems({ RELAY_SQL_USER: "", RELAY_HMAC_KEY: "dG9vIHNob3J0" })).toEqual(["RELAY_HMAC_KEY", "RELAY_SQL_PASSWORD", "RELAY_SQL_USER"]);
  });

  it("demands a domain for Windows (ntlm) authentication, and knows no Hybrid Connection transport any more", () => {
    expect(problems({ ...minimal, RELAY_QUEUE_URL: queueUrl, RELAY_SQL_AUTH: "ntlm" })).toEqual(["RELAY_SQL_DOMAIN"]);
    expect(problems({ ...minimal, RELAY_TRANSPORT: "hybrid" })).toEqual(["RELAY_TRANSPORT"]);
  });

  it("reads a JSON config file, with the environment winning", () => {
    const file = join(mkdtempSync(join(tmpdir(), "relay-config-")), "relay.json");
    writeFileSync(file, JSON.stringify({ ...minimal, RELAY_SQL_SERVER: "lvs-server", RELAY_LISTEN_PORT: 8443 }));
    const c = loadRelayConfig({ RELAY_CONFIG_FILE: file, RELAY_TRANSPORT: "local", RELAY_LISTEN_PORT: "9443", RELAY_SQL_SERVER: "" });
    expect(c).toMatchObject({ RELAY_SQL_SERVER: "lvs-server", RELAY_LISTEN_PORT: 9443, RELAY_SQL_USER: "bronsync" });
  });

  it("the keys the relay itself writes to its file (a rotation from the cloud) win over a key left in the environment", () => {
    const file = join(mkdtempSync(join(tmpdir(), "relay-config-")), "relay.json");
    const rotated = Buffer.alloc(32, 9).toString("base64");
    writeFileSync(file, JSON.stringify({ ...minimal, RELAY_HMAC_KEY: rotated, RELAY_HMAC_KEY_PREVIOUS: key }));
    const c = loadRelayConfig({ RELAY_CONFIG_FILE: file, RELAY_TRANSPORT: "local", RELAY_HMAC_KEY: key });
    expect(c).toMatchObject({ RELAY_HMAC_KEY: rotated, RELAY_HMAC_KEY_PREVIOUS: key });
    // without a key in the file, the environment's key is used (the local stack, tests)
    writeFileSync(file, JSON.stringify({ RELAY_SQL_USER: "bronsync", RELAY_SQL_PASSWORD: "x" }));
    expect(loadRelayConfig({ RELAY_CONFIG_FILE: file, RELAY_TRANSPORT: "local", RELAY_HMAC_KEY: key })).toMatchObject({ RELAY_HMAC_KEY: key });
  });

  it("ignores variables that are not the relay's", () => {
    expect(loadRelayConfig({ ...minimal, RELAY_TRANSPORT: "local", AzureWebJobsStorage: "x", PATH: "/bin" })).not.toHaveProperty("PATH");
  });
});
