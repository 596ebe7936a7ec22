import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../scripts/local-stack/index.js";
import { RELAY_API_VERSION } from "../../src/contracts/relay/api.js";
import { relayTooOldReason } from "../../src/core/relay-versie.js";
import { ended, waitForRun } from "../support/runs.js";

// The whole product on the embedded local stack, with a relay at the school that speaks an older relay
// API version (faked through startRelay's test seam). Requires `npm run build` (npm test does it first).

describe("a run against a relay of an older API version", () => {
  let stack: LocalStack;
  let dir: string;
  let ap: string;
  const api = (path: string, init?: RequestInit) => stack.api(`/api/aanleverpunten/${ap}/${path}`, init);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-e2e-relayver-"));
    stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 20, relayApiVersion: "0" });
    ap = stack.demo.aanleverpunten[0]!.code;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("ends GEWEIGERD with the Dutch reason in the run's status, having sent nothing", async () => {
    expect((await api("sync", { method: "POST" })).status).toBe(202);
    const s = await waitForRun(stack, ap, ended, 90_000);
    const reden = `De relay op school spreekt API-versie 0; deze dienst ondersteunt API-versie ${RELAY_API_VERSION}. Werk de relay bij.`;
    expect(s.runtimeStatus).toBe("Completed");
    expect(s.customStatus).toMatchObject({ fase: "GEWEIGERD", reden });
    expect(s.output).toMatchObject({ fase: "GEWEIGERD", reden });
    expect(stack.bron.counters().mutaties ?? 0).toBe(0);
  }, 120_000);
});

describe("a run against a relay below the cloud's minimum version", () => {
  let stack: LocalStack;
  let dir: string;
  let ap: string;
  const OLD = "0.0.1";
  const api = (path: string, init?: RequestInit) => stack.api(`/api/aanleverpunten/${ap}/${path}`, init);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-e2e-relaymin-"));
    stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 20, relayVersion: OLD });
    ap = stack.demo.aanleverpunten[0]!.code;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("ends GEWEIGERD with the Dutch reason (update the relay), having sent nothing; the page's relay view says it is too old", async () => {
    expect((await api("sync", { method: "POST" })).status).toBe(202);
    const s = await waitForRun(stack, ap, ended, 90_000);
    expect(s.runtimeStatus).toBe("Completed");
    expect(s.customStatus).toMatchObject({ fase: "GEWEIGERD", reden: relayTooOldReason(OLD) });
    expect(stack.bron.counters().mutaties ?? 0).toBe(0);
    const instellingen = (await (await api("instellingen")).json()) as { relay: { teOud: boolean; relayVersion: string; melding: string; advies: string } };
    expect(instellingen.relay).toMatchObject({ teOud: true, relayVersion: OLD, melding: expect.stringContaining(relayTooOldReason(OLD)), advies: expect.stringContaining("Werk de relay bij") });
  }, 120_000);
});
