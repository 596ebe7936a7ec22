import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { TYPES } from "tedious";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SyncDeps } from "../../src/activities/deps.js";
import { makeDetermine } from "../../src/activities/determine.js";
import { makeFetchFeedback } from "../../src/activities/fetch-feedback.js";
import { writeToLvs } from "../../src/activities/lvs-writes.js";
import { createBronClient } from "../../src/adapters/bron/client.js";
import { createRelayClient } from "../../src/adapters/lvs/relay-client.js";
import { createStateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { RELAY_API_VERSION } from "../../src/contracts/relay/api.js";
import type { BronLeerling, FeedbackMessage } from "../../src/core/model.js";
import { IncompatibleVersionError } from "../../src/errors.js";
import { startRelay } from "../../src/relay/app.js";
import { memoryLog } from "../../src/relay/log.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { startRelayFixture, TODAY, type RelayFixture } from "./relay-fixture.js";

// The cloud asks the relay at the school which API version it speaks, on every run, and refuses one it
// does not speak: a typed error with a Dutch reason that becomes the run's status. The real relay
// (over the TDS test server, a wire-level fake, not SQL Server) fakes an old version.

const OLD = `De relay op school spreekt API-versie 0; deze dienst ondersteunt API-versie ${RELAY_API_VERSION}. Werk de relay bij.`;

describe("a relay that speaks an older API version", () => {
  let f: RelayFixture;
  let deps: SyncDeps;
  let dir: string;
  let sim: BronSimulator;
  const AP = "12AB00";

  beforeAll(async () => {
    f = await startRelayFixture({ leerlingen: 10, apiVersion: "0" });
    dir = mkdtempSync(join(tmpdir(), "relay-version-"));
    const pki = await createTestPki(join(dir, "pki"), [AP]);
    sim = await startBronSimulator({ dataDir: join(dir, "sim"), tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, validateSchema: false });
    const cs = inject("azuriteConnectionString");
    const tables = tablesFromConnectionString(cs);
    deps = {
      state: createStateStore({ tables: (t) => tables(`relayver${t}`), blobs: BlobServiceClient.fromConnectionString(cs).getContainerClient("relayver") }),
      relay: () => f.client,
      schools: undefined as never, // the registry is not read here
      relayStatus: undefined as never,
      certificates: undefined as never, // not used: nothing goes to BRON
      bron: (ap) => createBronClient({ endpoint: sim.url, aanleverpunt: ap, serverCa: pki.ca.cert, retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 5 }, certificate: { cert: pki.clients[ap]!.cert, key: pki.clients[ap]!.key } }),
      snapshots: BlobServiceClient.fromConnectionString(cs).getContainerClient("relayver-snap"),
      now: () => new Date(`${TODAY}T10:00:00Z`),
      maxOverzichtAgeDays: 28,
    };
  });
  afterAll(async () => {
    await f?.stop();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("still answers health, reporting its version", async () => {
    expect(await f.client.health()).toMatchObject({ status: "ok", apiVersion: "0" });
  });

  it("is refused by the relay client with a typed, non-retryable error carrying the Dutch reason", async () => {
    const e = await f.client.requireCompatibleVersion().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IncompatibleVersionError);
    expect(e).toMatchObject({ reden: OLD, message: OLD, theirs: "0", ours: RELAY_API_VERSION, code: "API_VERSION", retryable: false, name: "IncompatibleVersionError" });
  });

  it("makes acties bepalen refuse the run with that reason, before anything is read", async () => {
    const result = await makeDetermine(deps)({ aanleverpunt: AP, today: TODAY, instanceId: "relayver-1" });
    expect(result).toEqual({ geweigerd: true, reden: OLD });
    expect(await deps.state.loadActions(AP)).toEqual([]);
    expect(await deps.snapshots.exists()).toBe(false); // no snapshot was kept
  });

  it("gets no writes: nothing is planned or sent, LVS2000 is unchanged", async () => {
    const pupil = (await f.client.snapshot(AP)).snapshot.leerlingen[0]!;
    const audit = async () => Number((await f.sql.query("SELECT COUNT(*) AS n FROM dbo.RelayAudit WHERE LeerlingNummer = @l", [{ name: "l", type: TYPES.NVarChar, value: pupil.id }])).rows[0]?.n);
    await expect(writeToLvs(deps, AP, TODAY, [{ soort: "ONDERWIJS_SINDS", leerlingId: pupil.id, onderwijsSinds: "2019-08-01" }])).rejects.toBeInstanceOf(IncompatibleVersionError);
    expect(await deps.state.loadOutbox(AP)).toEqual([]);
    expect(await audit()).toBe(0);
  });

  it("leaves feedback that must be written to LVS2000 in the inbox, unprocessed, for a later run", async () => {
    const pupil = (await f.client.snapshot(AP)).snapshot.leerlingen[0]!;
    const inBron: BronLeerling = { leerlingId: pupil.id, pgn: pupil.pgn, voornamen: pupil.voornamen, voorvoegsels: pupil.voorvoegsels, achternaam: pupil.achternaam, geslacht: pupil.geslacht, geboortedatum: pupil.geboortedatum, gbaAdres: null, nationaliteiten: [] };
    await deps.state.saveMirror({ aanleverpunt: AP, peildatum: TODAY, overzichtDatum: TODAY, leerlingen: [inBron], inschrijvingen: [], historisch: [], dubbeleInschrijvingen: [] });
    const spontaan: FeedbackMessage = { id: "T-spontaan-1", aanleverpunt: AP, ontvangenOp: `${TODAY}T09:00:00Z`, soort: "SPONTANE_MUTATIE", leerling: { ...inBron, achternaam: `${inBron.achternaam}-Gba` } };
    await deps.state.storeFeedback(AP, spontaan.id, JSON.stringify(spontaan), spontaan.ontvangenOp);

    const result = await makeFetchFeedback(deps)({ aanleverpunt: AP, today: TODAY, instanceId: "relayver-2" });
    expect(result).toEqual({ opgehaald: 0, verwerkt: 0, mislukt: 0, lvsWrites: 0 });
    expect((await deps.state.listFeedback(AP)).map((e) => [e.id, e.status])).toEqual([["T-spontaan-1", "ONTVANGEN"]]);
    expect((await deps.state.loadMirror(AP)).leerlingen).toEqual([inBron]);
    expect(await deps.state.loadOutbox(AP)).toEqual([]);
  });
});

describe("the relay's API version", () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startRelayFixture({ leerlingen: 5 });
  });
  afterAll(async () => {
    await f?.stop();
  });

  it("is accepted when it is this service's", async () => {
    expect(await f.client.requireCompatibleVersion()).toMatchObject({ status: "ok", apiVersion: RELAY_API_VERSION });
  });

  it("of a newer relay is refused with advice to install the matching relay", async () => {
    const { log } = memoryLog();
    const NEWER = String(Number(RELAY_API_VERSION) + 1);
    const newer = await startRelay(loadRelayConfig(f.relayEnv), { log, apiVersion: NEWER });
    try {
      const client = createRelayClient({ baseUrl: newer.url, key: f.key, ca: f.ca });
      await expect(client.requireCompatibleVersion()).rejects.toMatchObject({
        name: "IncompatibleVersionError",
        reden: `De relay op school spreekt API-versie ${NEWER}; deze dienst ondersteunt API-versie ${RELAY_API_VERSION}. Installeer de relay-versie die bij deze dienst hoort.`,
      });
    } finally {
      await newer.stop();
    }
  });
});
