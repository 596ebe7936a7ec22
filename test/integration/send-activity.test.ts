import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import { sampleInschrijving, sampleLeerling } from "../../emulators/bron/samples.js";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import type { SyncDeps } from "../../src/activities/deps.js";
import { decide } from "../../src/activities/decide.js";
import { deleteAction } from "../../src/core/action-list.js";
import { makeSend } from "../../src/activities/send.js";
import { saveSnapshot } from "../../src/activities/snapshots.js";
import { createBronClient } from "../../src/adapters/bron/client.js";
import { createCertificateProvider } from "../../src/adapters/certificates/index.js";
import type { RelayClient } from "../../src/adapters/lvs/relay-client.js";
import { createStateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import type { Action, LvsSnapshot } from "../../src/core/model.js";

/**
 * The send activity against the real clients: state in Azurite, certificates from the Key Vault
 * stand-in, deliveries to the BRON simulator over mutual TLS. Domain rules of "checking before sending".
 */
const AP = "00AA00";
const OTHER = "00AA01"; // same school, another aanleverpunt: its certificate must not deliver for AP

describe("verwerken en verzenden (send activity)", () => {
  let dir: string;
  let pki: TestPki;
  let kv: KeyVaultStandIn;
  let sim: BronSimulator;
  let deps: SyncDeps;
  let n = 0;

  const leerling = sampleLeerling();
  const ins = { ...sampleInschrijving(), aanleverpunt: AP };
  const snapshot: LvsSnapshot = { aanleverpunt: AP, leerlingen: [{ ...leerling, onderwijsSinds: null }], inschrijvingen: [ins] };
  const checked = (id: string): Action => ({
    id, type: "NIEUWE_INSCHRIJVING", direction: "BRON", needsDecision: false, decision: null, manual: false, aanleverpunt: AP, leerlingId: leerling.id,
    inschrijvingId: ins.id, fields: [], fingerprint: id, deadline: null, reason: "Nieuwe melding inschrijving", status: "GECONTROLEERD",
  });

  /** Stores the LVS snapshot of this send and makes the stored action list exactly this one checked action. */
  async function prepare(action: Action): Promise<{ ap: string; snapshotName: string }> {
    n++;
    const name = `snap-${n}.json`;
    await saveSnapshot(deps.snapshots, name, snapshot);
    const before = await deps.state.loadActions(AP);
    await deps.state.updateActions(AP, before, [action]);
    return { ap: AP, snapshotName: name };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "send-activity-"));
    pki = await createTestPki(join(dir, "pki"), [AP, OTHER]);
    kv = await startKeyVaultStandIn({ tls: pki.server });
    sim = await startBronSimulator({ dataDir: join(dir, "sim"), tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, validateSchema: false });
    const cs = inject("azuriteConnectionString");
    const tables = tablesFromConnectionString(cs);
    const blobs = BlobServiceClient.fromConnectionString(cs);
    const certificates = createCertificateProvider({ vaultUrl: kv.url, credential: kv.credential("app"), clientOptions: standInClientOptions(pki.ca.cert), now: () => new Date() });
    deps = {
      state: createStateStore({ tables: (t) => tables(`sendact${t}`), blobs: blobs.getContainerClient("sendact-state") }),
      relay: () => ({}) as RelayClient, // no LVS-direction actions in these cases: the relay is never asked
      schools: undefined as never, // the registry is not read here
      relayStatus: undefined as never,
      certificates,
      bron: (ap) => createBronClient({ endpoint: sim.url, aanleverpunt: ap, serverCa: pki.ca.cert, retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 5 }, certificate: async () => (await certificates.getClientCertificate(ap)).tls }),
      snapshots: blobs.getContainerClient("sendact-snapshots"),
      now: () => new Date(),
      maxOverzichtAgeDays: 28,
    };
  });
  afterAll(async () => {
    await sim?.stop();
    await kv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("rule: sending requires the aanleverpunt's certificate — without one nothing reaches BRON and the reason is given", async () => {
    const { ap, snapshotName } = await prepare(checked("NI-missing-cert"));
    const result = await makeSend(deps)({ aanleverpunt: ap, today: "2026-11-28", snapshot: snapshotName });
    expect(result).toMatchObject({ geweigerd: true });
    expect(result.geweigerd && result.reden).toMatch(/certificaat/i);
    expect(sim.counters().berichten ?? 0).toBe(0);
    expect((await deps.state.loadActions(AP)).find((a) => a.id === "NI-missing-cert")?.status).toBe("GECONTROLEERD");
  });

  it("rule: a delivery BRON refuses at once is Afgekeurd with BRON's reason shown", async () => {
    // the certificate stored for AP is OTHER's: BRON accepts the connection but refuses messages about AP
    await kv.importCertificate("bron-00aa00", { pfx: pki.clients[OTHER]!.pfx });
    deps.certificates.invalidate(AP);
    const { ap, snapshotName } = await prepare(checked("NI-refused"));
    const result = await makeSend(deps)({ aanleverpunt: ap, today: "2026-11-28", snapshot: snapshotName });
    expect(result).toMatchObject({ geweigerd: false, verzonden: 0, afgekeurd: 1 });
    expect((await deps.state.loadActions(AP)).find((a) => a.id === "NI-refused")?.status).toBe("AFGEKEURD");
    const signals = await deps.state.loadSignals(AP);
    expect(signals.find((s) => s.actionId === "NI-refused")).toMatchObject({ ernst: "AFKEUR" });
  });

  it("rule: after sending, actions are In behandeling — a send retried after a crash resends the same message, which BRON registers once", async () => {
    await kv.importCertificate("bron-00aa00", { pfx: pki.clients[AP]!.pfx });
    deps.certificates.invalidate(AP);
    const { ap, snapshotName } = await prepare(checked("NI-ok"));
    const input = { aanleverpunt: ap, today: "2026-11-28", snapshot: snapshotName };
    // the process dies after BRON received the delivery, before "sent" was recorded (the take was stored)
    let writes = 0;
    const crashing: SyncDeps = { ...deps, state: { ...deps.state, updateActions: (...args) => (++writes === 1 ? deps.state.updateActions(...args) : Promise.reject(new Error("crash after delivery"))) } };
    await expect(makeSend(crashing)(input)).rejects.toThrow("crash after delivery");
    expect((await deps.state.loadActions(AP)).find((a) => a.id === "NI-ok")?.status).toBe("IN_VERZENDING");
    const before = sim.counters();

    expect(await makeSend(deps)(input)).toMatchObject({ geweigerd: false, verzonden: 1 });
    expect((await deps.state.loadActions(AP)).find((a) => a.id === "NI-ok")?.status).toBe("IN_BEHANDELING");
    const after = sim.counters();
    expect((after.dubbeleBerichten ?? 0) - (before.dubbeleBerichten ?? 0)).toBe(1); // same MessageID: recognised
    expect(after.mutaties ?? 0).toBe(before.mutaties ?? 0); // not registered again
    expect(after.dubbeleMutaties ?? 0).toBe(0);
  });

  it("rule: nothing is sent twice when a person acts during a send — an action in a recorded batch cannot be decided or deleted, and the retry sends exactly the recorded batch", async () => {
    const { ap, snapshotName } = await prepare(checked("NI-busy"));
    const input = { aanleverpunt: ap, today: "2026-11-28", snapshot: snapshotName };
    let writes = 0;
    const crashing: SyncDeps = { ...deps, state: { ...deps.state, updateActions: (...args) => (++writes === 1 ? deps.state.updateActions(...args) : Promise.reject(new Error("crash after delivery"))) } };
    await expect(makeSend(crashing)(input)).rejects.toThrow("crash after delivery");

    // a person tries to ignore or delete the action while its batch waits to be confirmed
    const decided = await decide(deps, AP, "NI-busy", "NEGEREN", "j.jansen");
    expect(decided).toEqual({ ok: false, status: 409, reden: expect.stringMatching(/wordt op dit moment naar BRON verzonden/) });
    const deleted = deleteAction(await deps.state.loadActions(AP), "NI-busy");
    expect(deleted).toMatchObject({ ok: false, notFound: false, reason: expect.stringMatching(/verzonden/) });

    // the retry reads a newer LVS2000 snapshot (the pupil's name changed meanwhile): it still sends the recorded batch
    const newer = `snap-newer-${n}.json`;
    await saveSnapshot(deps.snapshots, newer, { ...snapshot, leerlingen: [{ ...snapshot.leerlingen[0]!, achternaam: "Anders" }] });
    const before = sim.counters();
    expect(await makeSend(deps)({ ...input, snapshot: newer })).toMatchObject({ geweigerd: false, verzonden: 1 });
    const after = sim.counters();
    expect((after.dubbeleBerichten ?? 0) - (before.dubbeleBerichten ?? 0)).toBe(1);
    expect(after.mutaties ?? 0).toBe(before.mutaties ?? 0);
    expect(after.dubbeleMutaties ?? 0).toBe(0);
    expect(await deps.state.loadOpenBatches(AP)).toEqual([]);
  });
});
