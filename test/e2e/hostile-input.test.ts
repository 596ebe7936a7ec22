import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../scripts/local-stack/index.js";
import { GROUPS } from "../../scripts/hostile/probes.js";
import { runHostile, type HostileReport } from "../../scripts/hostile/suite.js";
import { certificateName } from "../../src/contracts/keyvault/certificate-names.js";

// Hostile input against the whole local stack (the unchanged app in the local Functions host, the
// relay over the TDS test server, the Key Vault stand-in, the BRON simulator): the short form of
// `npm run hostile`, and runs that meet failures retrying cannot heal. Requires `npm run build`.

interface Status {
  runtimeStatus: string;
  customStatus: { fase: string; reden?: string; storingen?: string } | null;
  output: unknown;
  reden: string | null;
}

const LEAK = /\n\s+at\s|\/(?:work|home|tmp|src|dist|node_modules)\/|\.(?:ts|js):\d+/;

describe("hostile input on the local stack", () => {
  let stack: LocalStack;
  let dir: string;
  let report: HostileReport;
  const api = (ap: string, path: string, init?: RequestInit) => stack.api(`/api/aanleverpunten/${ap}/${path}`, init);

  async function waitFor(ap: string, pred: (s: Status) => boolean, what: string): Promise<Status> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await api(ap, "status");
      if (r.status === 200) {
        const s = (await r.json()) as Status;
        if (pred(s)) return s;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const ended = (s: Status) => !["Running", "Pending", "ContinuedAsNew"].includes(s.runtimeStatus);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-hostile-e2e-"));
    stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 60 });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the short hostile suite crashes nothing: every app and relay endpoint refuses cleanly in Dutch", async () => {
    // the relay's request handler is probed over local HTTPS (the app reaches it over the queue channel)
    const relay = await stack.startHttpsRelay(stack.schools[0]!.id);
    report = await runHostile(
      { functionsUrl: stack.hostUrl, appHeaders: stack.signIn.principalHeaders(stack.access.beheerder.id), relay: { base: relay.url, ca: relay.ca }, relayKey: relay.key, aanleverpunt: stack.demo.aanleverpunten[0]!.code },
      { short: true },
    );
    console.log(report.table);
    expect(report.results.filter((r) => r.verdict === "gecrasht")).toEqual([]);
    // only the stand-in for Azure's own front end answers without our melding
    expect(report.results.filter((r) => r.verdict === "onnet" && r.group !== GROUPS.host)).toEqual([]);
    expect(report.results.length).toBeGreaterThan(25);
  }, 300_000);

  it("specific refusals: text/plain write 415, foreign Origin 403, relay body over 1 MB 413", () => {
    const why = (name: string) => report.results.find((r) => r.name === name);
    expect(why("POST beslissing als text/plain (geldige JSON)")).toMatchObject({ verdict: "geweigerd", why: "HTTP 415" });
    expect(why("POST beslissing met ander Origin (zonder Sec-Fetch-Site)")).toMatchObject({ verdict: "geweigerd", why: "HTTP 403" });
    expect(why("ondertekend: 2 MB body")).toMatchObject({ verdict: "geweigerd", why: "HTTP 413" });
    expect(why("GET http://[/v1/health (kapotte URL)")).toMatchObject({ verdict: "geweigerd", why: "HTTP 400" });
  });

  it("a run for an aanleverpunt without certificate is refused at once with a Dutch reason, not retried until it fails", async () => {
    const ap = stack.demo.aanleverpunten[1]?.code;
    expect(ap, "the demo data has a second aanleverpunt").toBeDefined();
    expect(stack.keyVault.deleteCertificate(certificateName(ap!))).toBe(true);
    expect((await api(ap!, "sync", { method: "POST" })).status).toBe(202);
    const s = await waitFor(ap!, ended, "the refused run to end");
    expect(s.runtimeStatus).toBe("Completed");
    expect(s.customStatus).toMatchObject({ fase: "GEWEIGERD", reden: expect.stringMatching(/certificaat/i) });
    expect(s.reden).toMatch(/certificaat/i);
    expect(s.customStatus?.storingen).toBeUndefined(); // not retried
    expect(JSON.stringify(s)).not.toMatch(LEAK);
  }, 150_000);

  it("a run that got through BRON faults says so in Dutch in its status", async () => {
    const ap = stack.demo.aanleverpunten[0]!.code;
    // the BRON client tries 4 times per call; the 4 next requests fail, so one activity attempt fails
    stack.bron.setStoringen({ foutVolgende: 4 });
    expect((await api(ap, "sync", { method: "POST" })).status).toBe(202);
    const s = await waitFor(ap, (x) => ended(x) || x.customStatus?.fase === "WACHT_OP_BESLISSING", "the run to get through");
    expect(s.runtimeStatus).not.toBe("Failed");
    expect(s.customStatus?.storingen).toMatch(/^Tijdelijke storingen: ophalen terugkoppeling: 1× opnieuw geprobeerd \(TIJDELIJK_NIET_BESCHIKBAAR; laatst: BRON was tijdelijk niet bereikbaar/);
    expect(JSON.stringify(s)).not.toMatch(LEAK);
  }, 150_000);
});
