import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sampleBronInschrijving, sampleBronLeerling } from "../../emulators/bron/samples.js";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import type { SyncDeps } from "../../src/activities/deps.js";
import { makeFetchFeedback } from "../../src/activities/fetch-feedback.js";
import { createBronClient } from "../../src/adapters/bron/client.js";
import type { RelayClient } from "../../src/adapters/lvs/relay-client.js";
import { createStateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";

/**
 * Ophalen terugkoppeling against the BRON simulator (mutual TLS, XSD checks on every request) with
 * state in Azurite: hostile feedback (an id far too long for a table key, no id at all) is kept with
 * its error and never stops the valid messages beside it; processed raw content is not kept.
 */
const AP = "00AA00";
const TODAY = "2026-11-28";

describe("ophalen terugkoppeling with hostile messages from BRON", () => {
  let dir: string;
  let pki: TestPki;
  let sim: BronSimulator;
  let deps: SyncDeps;
  let blobs: BlobServiceClient;
  const container = "fbact-state";

  const inject_ = async (bericht: Record<string, unknown>) => {
    const r = await fetch(`${sim.adminUrl}/terugkoppeling`, { method: "POST", body: JSON.stringify({ aanleverpunt: AP, bericht }) });
    expect(r.status, await r.clone().text()).toBe(200);
  };
  const queue = async () =>
    ((await (await fetch(`${sim.adminUrl}/register/${AP}`)).json()) as { terugkoppelingen: { id?: string; soort: string; bevestigd: boolean }[] }).terugkoppelingen;
  const run = () => makeFetchFeedback(deps)({ aanleverpunt: AP, today: TODAY, instanceId: "test" });
  const blobNames = async () => {
    const names: string[] = [];
    for await (const b of blobs.getContainerClient(container).listBlobsFlat()) names.push(b.name);
    return names;
  };

  const overzicht = {
    soort: "REGISTRATIEOVERZICHT", ontvangenOp: "2026-11-27T10:00:00.000Z", peildatum: "2026-11-27",
    // large enough to be kept in a blob, not in the table row
    leerlingen: Array.from({ length: 80 }, (_, i) => sampleBronLeerling({ leerlingId: `L${String(i).padStart(4, "0")}` })),
    inschrijvingen: [sampleBronInschrijving()], historisch: [],
  };
  const dubbel = (id?: string) => ({
    ...(id === undefined ? {} : { id }), soort: "DUBBELE_INSCHRIJVING", ontvangenOp: "2026-11-28T08:00:00.000Z",
    dubbel: { leerlingId: "L0001", inschrijvingId: "I0001", andereVestiging: "22CC01", inschrijfdatum: "2024-08-01", uitschrijfdatum: null, gemeldOp: "2026-11-25" },
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fetch-feedback-"));
    pki = await createTestPki(join(dir, "pki"), [AP]);
    sim = await startBronSimulator({ dataDir: join(dir, "sim"), tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert } });
    const cs = inject("azuriteConnectionString");
    const tables = tablesFromConnectionString(cs);
    blobs = BlobServiceClient.fromConnectionString(cs);
    const c = pki.clients[AP]!;
    deps = {
      state: createStateStore({ tables: (t) => tables(`fbact${t}`), blobs: blobs.getContainerClient(container) }),
      relay: () => ({}) as RelayClient, // these messages write nothing to LVS2000
      schools: undefined as never, // the registry is not read here
      relayStatus: undefined as never,
      certificates: {} as SyncDeps["certificates"],
      bron: (ap) => createBronClient({ endpoint: sim.url, aanleverpunt: ap, serverCa: pki.ca.cert, retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 5 }, certificate: { cert: c.cert, key: c.key } }),
      snapshots: blobs.getContainerClient("fbact-snapshots"),
      now: () => new Date(`${TODAY}T09:00:00Z`),
      maxOverzichtAgeDays: 28,
    };
  });
  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a message with a 1,103-character id and one without id, and processes and acknowledges the valid ones beside them", async () => {
    await inject_({ ...overzicht, id: "TK-GOED-1" });
    await inject_({ ...dubbel("x".repeat(1103)) });
    await inject_(dubbel());
    await inject_(dubbel("TK-GOED-2"));

    const first = await run();
    expect(first.opgehaald).toBe(2);

    const q = await queue();
    expect(q.filter((m) => m.id?.startsWith("TK-GOED")).map((m) => m.bevestigd)).toEqual([true, true]);

    const inbox = await deps.state.listFeedback(AP);
    expect(inbox).toHaveLength(4);
    const good = inbox.filter((e) => e.id.startsWith("TK-GOED"));
    expect(good.map((e) => e.status).sort()).toEqual(["VERWERKT", "VERWERKT"]);
    const bad = inbox.filter((e) => !e.id.startsWith("TK-GOED"));
    expect(bad.map((e) => e.status)).toEqual(["MISLUKT", "MISLUKT"]);
    for (const e of bad) {
      expect(e.error).toMatch(/kenmerk/);
      expect(e.id.length).toBeLessThanOrEqual(80);
      // the raw message is kept while it failed: nothing BRON sent is dropped
      expect(await deps.state.readFeedbackRaw(e)).toMatch(/dubbele_?inschrijving/i);
    }
    expect((await deps.state.readFeedbackRaw(bad.find((e) => e.error?.includes("1103"))!))).toContain("x".repeat(1103));
  });

  it("a second run fetches them again without failing, storing nothing twice", async () => {
    const again = await run();
    expect(again.opgehaald).toBe(0);
    expect(await deps.state.listFeedback(AP)).toHaveLength(4);
  });

  it("retention: a processed message keeps its id, kind, dates and status, not its content; the overzicht blob is deleted", async () => {
    const inbox = await deps.state.listFeedback(AP);
    const processed = inbox.filter((e) => e.status === "VERWERKT");
    expect(processed.map((e) => e.soort).sort()).toEqual(["DUBBELE_INSCHRIJVING", "REGISTRATIEOVERZICHT"]);
    for (const e of processed) {
      expect(e.raw).toBeNull();
      expect(e.rawBlob).toBeNull();
      expect(e.ontvangenOp).toMatch(/^2026-11-2/);
      expect(e.verwerktOp).toBe(`${TODAY}T09:00:00.000Z`);
    }
    expect((await blobNames()).filter((n) => n.includes("TK-GOED"))).toEqual([]);
  });

  it("retention: a failed message's content is kept for 90 days after it arrived, then only its record stays", async () => {
    const later = { ...deps, now: () => new Date("2027-03-01T09:00:00Z") };
    await makeFetchFeedback(later)({ aanleverpunt: AP, today: "2027-03-01", instanceId: "later" });
    const failed = (await deps.state.listFeedback(AP)).filter((e) => e.status === "MISLUKT");
    expect(failed).toHaveLength(2);
    for (const e of failed) {
      expect(e.raw).toBeNull();
      expect(e.rawBlob).toBeNull();
      expect(e.error).toMatch(/kenmerk/);
    }
  });

  it("a message with a 100 000-character id is kept too, without failing the run", async () => {
    await inject_(dubbel("y".repeat(100_000)));
    await expect(run()).resolves.toMatchObject({ opgehaald: 0 });
    expect((await deps.state.listFeedback(AP)).filter((e) => e.error?.includes("100000"))).toHaveLength(1);
  });
});
