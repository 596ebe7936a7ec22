import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalSchool, type LocalStack } from "../../scripts/local-stack/index.js";
import type { Action } from "../../src/core/model.js";

// Many schools in one deployment, on the embedded local stack: every demo school registered in the
// schools table, with its own LVS2000 database (TDS test server over its own SQLite file) and its own
// relay process polling its own queue in Azurite — the transport used in Azure. One school's relay
// stops mid-run; the other schools' runs complete. Requires `npm run build` (npm test does it first).

interface Status {
  runtimeStatus: string;
  customStatus: { fase: string; reden?: string } | null;
}
interface AanleverpuntView {
  code: string;
  school: { id: string; naam: string };
  relay: { bereikbaar: boolean | null; onbereikbaarSinds: string | null; melding: string };
}

describe("many schools, one relay stopped mid-run", () => {
  let stack: LocalStack;
  let dir: string;
  let a: LocalSchool;
  let b: LocalSchool;
  // as the Beheerder, through the sign-in stand-in
  const api = (ap: string, path: string, init?: RequestInit) => stack.api(`/api/aanleverpunten/${ap}/${path}`, init);
  const actions = async (ap: string) => ((await (await api(ap, "acties")).json()) as { acties: Action[] }).acties;
  const list = async () => ((await (await stack.api("/api/aanleverpunten")).json()) as { aanleverpunten: AanleverpuntView[] }).aanleverpunten;

  async function waitFor(ap: string, pred: (s: Status) => boolean, what: string): Promise<Status> {
    const deadline = Date.now() + 150_000;
    for (;;) {
      const r = await api(ap, "status");
      if (r.status === 200) {
        const s = (await r.json()) as Status;
        if (pred(s)) return s;
        if (s.runtimeStatus === "Failed") throw new Error(`${ap}: orchestration failed while waiting for ${what}: ${JSON.stringify(s)}`);
      }
      if (Date.now() > deadline) throw new Error(`${ap}: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const waiting = (s: Status) => s.customStatus?.fase === "WACHT_OP_BESLISSING" || s.runtimeStatus === "Completed";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-schools-"));
    stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 120 });
    a = stack.schools.find((s) => s.id === "de-regenboog")!;
    // the demo school whose run has an address to take over into LVS2000, so its run needs the relay after the decisions
    b = stack.schools.find((s) => s.id === "sbo-de-wissel")!;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs at least three demo schools, each in the registry with its own aanleverpunten and its own relay process", async () => {
    expect(stack.schools.length).toBeGreaterThanOrEqual(3);
    expect(a && b).toBeTruthy();
    expect(stack.schools.every((s) => s.relay.running())).toBe(true);
    const aps = stack.schools.flatMap((s) => s.aanleverpunten);
    expect(new Set(aps).size).toBe(aps.length);
    const views = await list();
    expect(views.map((v) => v.code).sort()).toEqual(stack.demo.aanleverpunten.map((x) => x.code).sort());
    for (const s of stack.schools) for (const ap of s.aanleverpunten) expect(views.find((v) => v.code === ap)?.school.id).toBe(s.id);
    expect(views.every((v) => v.relay.bereikbaar === null)).toBe(true); // no relay asked to build this list
  });

  it("school B's relay stops mid-run: A's runs complete, B's ends refused in Dutch and shows unreachable; its next run resumes, nothing lost or sent twice", async () => {
    const mine = [...a.aanleverpunten, ...b.aanleverpunten];
    for (const ap of mine) expect((await api(ap, "sync", { method: "POST" })).status).toBe(202);
    for (const ap of mine) await waitFor(ap, waiting, "the first round");

    // mid-run: B's runs wait for decisions; its relay goes away
    await b.relay.stop();
    const [bAp] = b.aanleverpunten as [string];
    const bWaiting = (await actions(bAp)).filter((x) => x.status === "OPEN" && x.needsDecision && x.decision === null);
    const takeOver = bWaiting.filter((x) => x.type === "OVERNEMEN_ADRES_IN_LVS");
    expect(takeOver.length).toBeGreaterThan(0);
    const decide = async (ap: string, x: Action, keuze: string) =>
      api(ap, `acties/${encodeURIComponent(x.id)}/beslissing`, { method: "POST", body: JSON.stringify({ keuze }), headers: { "content-type": "application/json" } });
    for (const ap of mine) {
      for (const x of (await actions(ap)).filter((y) => y.status === "OPEN" && y.needsDecision && y.decision === null)) {
        const keuze = x.type === "OVERNEMEN_ADRES_IN_LVS" ? "NAAR_LVS" : ap === bAp ? "NAAR_BRON" : "NEGEREN";
        const r = await decide(ap, x, keuze);
        if (r.status !== 200) expect((await decide(ap, x, "NEGEREN")).status).toBe(200);
      }
    }

    // A is not held up by B: its runs check, send and complete
    for (const ap of a.aanleverpunten) expect(await waitFor(ap, (s) => s.runtimeStatus === "Completed", "A's run to complete")).toMatchObject({ customStatus: { fase: "KLAAR" } });
    // B's run meets its relay gone when it writes to LVS2000, and ends refused with the reason
    const refused = await waitFor(bAp, (s) => s.runtimeStatus === "Completed", "B's run to end");
    expect(refused.customStatus?.fase).toBe("GEWEIGERD");
    expect(refused.customStatus?.reden).toMatch(/^De relay van school SBO De Wissel is niet bereikbaar sinds \d{1,2} \w+ \d{4} om \d{2}:\d{2}: hij haalt geen verzoeken op\./);

    const views = await list();
    const bView = views.find((v) => v.code === bAp)!;
    expect(bView.relay).toMatchObject({ bereikbaar: false, onbereikbaarSinds: expect.any(String) });
    expect(bView.relay.melding).toMatch(/^De relay van school SBO De Wissel is niet bereikbaar sinds /);
    for (const ap of a.aanleverpunten) expect(views.find((v) => v.code === ap)?.relay.bereikbaar).toBe(true);
    expect((await actions(bAp)).filter((x) => takeOver.some((t) => t.id === x.id)).every((x) => x.status !== "VERWERKT")).toBe(true);
    const SENT = ["IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD"];
    const sentIds = async () => new Set((await actions(bAp)).filter((x) => x.direction === "BRON" && SENT.includes(x.status)).map((x) => x.id));
    const deliveredBefore = stack.bron.counters().mutaties ?? 0;
    const sentAtRefusal = await sentIds();

    // B's relay is back: the next run resumes where the refused one stopped
    await b.relay.start();
    expect((await api(bAp, "sync", { method: "POST" })).status).toBe(202);
    await waitFor(bAp, (s) => s.runtimeStatus === "Completed" && s.customStatus?.fase !== "GEWEIGERD", "B's next run to complete");
    const after = await actions(bAp);
    for (const t of takeOver) expect(after.find((x) => x.id === t.id)?.status).toBe("VERWERKT"); // nothing lost
    const counters = stack.bron.counters();
    expect(counters.dubbeleMutaties ?? 0).toBe(0); // nothing sent twice
    expect(counters.dubbeleBerichten ?? 0).toBe(0);
    // what the refused run delivered is not delivered again: the next run delivered only what it sent for the first time
    const sentNow = [...(await sentIds())].filter((id) => !sentAtRefusal.has(id));
    expect((counters.mutaties ?? 0) - deliveredBefore).toBe(sentNow.length);
    expect((await list()).find((v) => v.code === bAp)?.relay).toMatchObject({ bereikbaar: true, onbereikbaarSinds: null });
  }, 400_000);
});
