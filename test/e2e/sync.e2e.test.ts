import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dutchHour } from "../../src/core/instellingen.js";
import { startLocalStack, type LocalStack } from "../../scripts/local-stack/index.js";
import type { Action } from "../../src/core/model.js";

// The whole product on the embedded local stack: the unchanged app in the local Functions host, the
// relay over the TDS test server with the demo LVS2000 database, the Key Vault stand-in and the BRON
// simulator over mutual TLS. Requires `npm run build` (npm test does it first).

interface Status {
  runtimeStatus: string;
  customStatus: { fase: string; wachtOpBeslissing?: number } | null;
  output: { verzonden: number; terugkoppeling: { verwerkt: number }[] } | null;
}

describe("sync of one aanleverpunt end to end", () => {
  let stack: LocalStack;
  let dir: string;
  let ap: string;
  /** actions the first run sent to BRON */
  let sentInFirstRun: string[] = [];
  const api = (path: string, init?: RequestInit) => stack.api(`/api/aanleverpunten/${ap}/${path}`, init);

  async function waitFor(pred: (s: Status) => boolean, what: string): Promise<Status> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const r = await api("status");
      if (r.status === 200) {
        const s = (await r.json()) as Status;
        if (pred(s)) return s;
        if (s.runtimeStatus === "Failed") throw new Error(`orchestration failed while waiting for ${what}: ${JSON.stringify(s)}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-e2e-"));
    stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 120 });
    ap = stack.demo.aanleverpunten[0]!.code;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a manual run delivers the automatic actions to BRON and waits for a person's decisions", async () => {
    const start = await api("sync", { method: "POST" });
    expect(start.status).toBe(202);
    const again = await api("sync", { method: "POST" });
    expect(again.status).toBe(409); // one sync per aanleverpunt at a time

    await waitFor((s) => s.customStatus?.fase === "WACHT_OP_BESLISSING" || s.runtimeStatus === "Completed", "the first round");
    const { acties } = (await (await api("acties")).json()) as { acties: Action[] };
    const sent = acties.filter((a) => a.status === "IN_BEHANDELING");
    expect(sent.length).toBeGreaterThan(0);
    sentInFirstRun = sent.map((a) => a.id);
    expect(sent.every((a) => a.direction === "BRON")).toBe(true);
    const counters = stack.bron.counters();
    expect(counters.mutaties ?? 0).toBe(sent.length);
    expect(counters.dubbeleBerichten ?? 0).toBe(0);
    expect(counters.dubbeleMutaties ?? 0).toBe(0);
  }, 120_000);

  it("the admin sees the LVS2000 rows the relay could not read cleanly (ids, fields and reasons, never a value)", async () => {
    const res = await api("lvs-problemen");
    expect(res.status).toBe(200);
    const { problemen } = (await res.json()) as { problemen: { tabel: string; rijId: string; veld: string; reden: string; uitgesloten: boolean }[] };
    expect(problemen.length).toBeGreaterThan(0); // the demo data holds BSNs that fail the 11-test
    expect(problemen.find((p) => p.veld === "pgn")).toMatchObject({ tabel: "leerling", uitgesloten: false });
    const text = JSON.stringify(problemen);
    for (const l of stack.demo.lvs.find((s) => s.aanleverpunt === ap)!.leerlingen) if (l.pgn) expect(text).not.toContain(l.pgn.nummer);
  });

  it("lists show personal data masked", async () => {
    const text = await (await api("acties")).text();
    for (const l of stack.demo.lvs.find((s) => s.aanleverpunt === ap)!.leerlingen.slice(0, 50)) {
      if (l.pgn) expect(text).not.toContain(`"${l.pgn.nummer}"`);
    }
  });

  it("the daily run replaces a run that only waits for decisions (so the day's feedback is fetched), keeping the open decisions", async () => {
    const before = (await (await api("status")).json()) as Status & { createdTime?: string; instanceId: string };
    // the hourly timer starts an aanleverpunt in the hour its instellingen name (Dutch time): this hour
    const uur = `${String(dutchHour(new Date())).padStart(2, "0")}:00`;
    const put = await api("instellingen", { method: "PUT", body: JSON.stringify({ verzendwijze: "AUTOMATISCH", tijdstip: uur, wachttijdUren: 20 }), headers: { "content-type": "application/json" } });
    expect(put.status).toBe(200);
    const r = await fetch(`${stack.functionsUrl}/admin/functions/dagelijkseSync`, { method: "POST", body: JSON.stringify({ input: "" }), headers: { "content-type": "application/json" } });
    expect(r.status).toBe(202);
    const deadline = Date.now() + 60_000;
    let now = before;
    while (Date.now() < deadline) {
      now = (await (await api("status")).json()) as typeof before;
      if (now.createdTime !== before.createdTime && now.customStatus?.fase === "WACHT_OP_BESLISSING") break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(now.createdTime).not.toBe(before.createdTime);
    expect(now.customStatus?.fase).toBe("WACHT_OP_BESLISSING");
    expect(stack.bron.counters().dubbeleMutaties ?? 0).toBe(0);
  }, 90_000);

  it("deciding every open difference wakes the run, which checks, sends and completes", async () => {
    const { acties } = (await (await api("acties")).json()) as { acties: Action[] };
    const waiting = acties.filter((a) => a.status === "OPEN" && a.needsDecision && a.decision === null);
    for (const a of waiting) {
      const keuze = a.type === "OVERNEMEN_ADRES_IN_LVS" ? "NAAR_LVS" : "NEGEREN";
      const r = await api(`acties/${encodeURIComponent(a.id)}/beslissing`, { method: "POST", body: JSON.stringify({ keuze }), headers: { "content-type": "application/json" } });
      expect(r.status).toBe(200);
    }
    const done = await waitFor((s) => s.runtimeStatus === "Completed", "completion");
    expect(done.customStatus?.fase).toBe("KLAAR");
    const after = ((await (await api("acties")).json()) as { acties: Action[] }).acties;
    for (const a of waiting.filter((w) => w.type === "OVERNEMEN_ADRES_IN_LVS")) {
      expect(after.find((x) => x.id === a.id)?.status).toBe("VERWERKT");
    }
    expect(after.filter((a) => a.status === "OPEN" && a.needsDecision && a.decision === null)).toEqual([]);
    // the run's LVS snapshot (personal data) is gone once it ends
    const { BlobServiceClient } = await import("@azure/storage-blob");
    const names: string[] = [];
    const container = BlobServiceClient.fromConnectionString(stack.azurite.connectionString).getContainerClient("lvs-snapshots");
    for await (const b of container.listBlobsFlat({ prefix: `snapshots/${ap}/` })) names.push(b.name);
    expect(names).toEqual([]);
  }, 120_000);

  it("a later run fetches BRON's feedback: every action the first run sent is accepted or rejected, and nothing is sent twice", async () => {
    expect((await api("sync", { method: "POST" })).status).toBe(202);
    await waitFor((s) => s.runtimeStatus === "Completed" || s.customStatus?.fase === "WACHT_OP_BESLISSING", "the later run");
    const after = new Map(((await (await api("acties")).json()) as { acties: Action[] }).acties.map((a) => [a.id, a.status]));
    for (const id of sentInFirstRun) expect(["GEACCEPTEERD", "AFGEKEURD"]).toContain(after.get(id));
    expect(stack.bron.counters().dubbeleMutaties ?? 0).toBe(0);
  }, 120_000);

  it("rule: a single action can be deleted, also an executed one, so it can be sent again", async () => {
    const { acties } = (await (await api("acties")).json()) as { acties: Action[] };
    const sent = acties.find((a) => a.status === "GEACCEPTEERD" || a.status === "AFGEKEURD")!;
    expect((await api(`acties/${encodeURIComponent(sent.id)}`, { method: "DELETE" })).status).toBe(200);
    expect((await api(`acties/${encodeURIComponent(sent.id)}`, { method: "DELETE" })).status).toBe(404);
    const after = ((await (await api("acties")).json()) as { acties: Action[] }).acties;
    expect(after.map((a) => a.id)).not.toContain(sent.id);
    expect(after).toHaveLength(acties.length - 1);
  });

  it("rule: deleting an ignored action forgets the choice — the next run asks about the difference again (manual: verwijderen en opnieuw bepalen)", async () => {
    const { acties } = (await (await api("acties")).json()) as { acties: Action[] };
    const ignored = acties.find((a) => a.status === "GENEGEERD")!;
    expect(ignored).toBeTruthy();
    expect((await api(`acties/${encodeURIComponent(ignored.id)}`, { method: "DELETE" })).status).toBe(200);
    expect((await api("sync", { method: "POST" })).status).toBe(202);
    await waitFor((s) => s.customStatus?.fase === "WACHT_OP_BESLISSING", "the run asking again");
    const after = ((await (await api("acties")).json()) as { acties: Action[] }).acties;
    expect(after.find((a) => a.fingerprint === ignored.fingerprint)).toMatchObject({ status: "OPEN", needsDecision: true, decision: null });
  }, 120_000);

  it("a bad aanleverpunt in the route gets a clear 400", async () => {
    const r = await stack.api("/api/aanleverpunten/nope/acties");
    expect(r.status).toBe(400);
    expect(await r.text()).toContain("aanleverpunt");
  });
});
