import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBronClient, type BronClientOptions } from "../../src/adapters/bron/client.js";
import { ExternalRejection, MalformedResponseError, ResponseTooLargeError, TransientError, ValidationError } from "../../src/adapters/bron/errors.js";
import type { Mutatie } from "../../src/contracts/bron/messages.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { sampleInschrijving, sampleLeerling, sampleMutaties } from "../../emulators/bron/samples.js";
import { startBronSimulator, type BronSimulator, type BronSimulatorOptions } from "../../emulators/bron/simulator.js";

/** Failure behaviour of client and simulator: retries, same MessageID, typed errors, nothing lost, durability. */
const AP = "00AA00";
let dir: string;
let pki: TestPki;
let sim: BronSimulator;

const simOptions = (over: Partial<BronSimulatorOptions> = {}): BronSimulatorOptions => ({
  dataDir: join(dir, "data"),
  tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
  validateSchema: false,
  ...over,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bron-faults-"));
  pki = await createTestPki(join(dir, "pki"), [AP]);
  sim = await startBronSimulator(simOptions());
});

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function client(over: Partial<BronClientOptions> = {}, s: BronSimulator = sim) {
  const c = pki.clients[AP]!;
  const retries: string[] = [];
  const bron = createBronClient({
    endpoint: s.url, aanleverpunt: AP, certificate: { cert: c.cert, key: c.key, ca: pki.ca.cert },
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 10_000,
    onRetry: (r) => retries.push(r.code ?? "?"), ...over,
  });
  return Object.assign(bron, { retries });
}

function enrol(n: string): Mutatie {
  return {
    soort: "NIEUWE_INSCHRIJVING", mutatieId: `F-${n}`,
    leerling: sampleLeerling({ id: `FL-${n}`, pgn: null }),
    inschrijving: sampleInschrijving({ id: `FI-${n}`, leerlingId: `FL-${n}` }),
  };
}

async function feedbackAbout(mutatieId: string) {
  const c = client();
  const { terugkoppelingen } = await c.fetchFeedback(1000);
  c.close();
  return terugkoppelingen.filter((f) => "mutatieId" in f && f.mutatieId === mutatieId);
}

async function registered(inschrijvingId: string): Promise<number> {
  const reg = (await (await fetch(`${sim.adminUrl}/register/${AP}`)).json()) as { inschrijvingen: { inschrijvingId: string }[] };
  return reg.inschrijvingen.filter((i) => i.inschrijvingId === inschrijvingId).length;
}

describe("BRON client and simulator under faults", () => {
  it("a connection dropped after the request was processed, then retried with the same MessageID, registers once", async () => {
    const before = sim.counters();
    sim.setStoringen({ verbrekenVolgende: 1 });
    const c = client();
    const res = await c.deliver([enrol("1")]);
    c.close();
    const after = sim.counters();
    expect(c.retries).toHaveLength(1);
    expect(res.ontvangenMutatieIds).toEqual(["F-1"]);
    expect(after.storingVerbroken).toBe((before.storingVerbroken ?? 0) + 1);
    expect(after.dubbeleBerichten).toBe((before.dubbeleBerichten ?? 0) + 1);
    expect(after.dubbeleMutaties ?? 0).toBe(before.dubbeleMutaties ?? 0);
    expect(await registered("FI-1")).toBe(1);
    expect(await feedbackAbout("F-1")).toHaveLength(1);
  });

  it("control: the same mutation sent again under a new MessageID is counted as registered twice (the counter can fail)", async () => {
    const before = sim.counters().dubbeleMutaties ?? 0;
    const c = client();
    await c.deliver([enrol("2")]);
    await c.deliver([enrol("2"), enrol("2b")]); // other batch → other MessageID
    c.close();
    expect(sim.counters().dubbeleMutaties).toBe(before + 1);
    expect((await feedbackAbout("F-2")).map((f) => f.soort).sort()).toEqual(["AFKEUR", "INSCHRIJVING_GEACCEPTEERD"]);
  });

  it("a malformed response gives a MalformedResponseError after the retries, and loses nothing", async () => {
    sim.setStoringen({ onleesbaarVolgende: 3 });
    const c = client();
    await expect(c.deliver([enrol("3")])).rejects.toBeInstanceOf(MalformedResponseError);
    expect(c.retries).toEqual(["MALFORMED", "MALFORMED"]);
    const again = await c.deliver([enrol("3")]); // the activity's retry: same MessageID, answered from the duplicate store
    expect(again.ontvangenMutatieIds).toEqual(["F-3"]);
    sim.setStoringen({ onleesbaarVolgende: 3 });
    await expect(c.fetchFeedback()).rejects.toBeInstanceOf(MalformedResponseError);
    c.close();
    expect(await registered("FI-3")).toBe(1);
    expect(await feedbackAbout("F-3")).toHaveLength(1); // still there: nothing was acknowledged
  });

  it("a soap:Server fault is retried with back-off; past the retry budget it surfaces as TransientError", async () => {
    sim.setStoringen({ foutVolgende: 2 });
    const c = client();
    await c.deliver([enrol("4")]);
    expect(c.retries).toEqual(["TIJDELIJK_NIET_BESCHIKBAAR", "TIJDELIJK_NIET_BESCHIKBAAR"]);
    sim.setStoringen({ foutVolgende: 3 });
    await expect(c.deliver([enrol("4b")])).rejects.toBeInstanceOf(TransientError);
    sim.setStoringen({ foutkans: 1 });
    await expect(c.fetchFeedback()).rejects.toBeInstanceOf(TransientError);
    sim.setStoringen({ foutkans: 0 });
    c.close();
    expect(await registered("FI-4")).toBe(1);
    expect(await registered("FI-4b")).toBe(0);
  });

  it("an answer slower than the timeout is a TransientError", async () => {
    sim.setStoringen({ vertragingMs: 400 });
    const c = client({ timeoutMs: 100, retry: { attempts: 1 } });
    await expect(c.fetchFeedback()).rejects.toSatisfy((e) => e instanceof TransientError && (e as TransientError).code === "ETIMEDOUT");
    c.close();
    sim.setStoringen({ vertragingMs: 0 });
  });

  it("a response over the size limit is refused and not retried", async () => {
    const c = client({ maxResponseBytes: 300 });
    await expect(c.fetchFeedback()).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(c.retries).toEqual([]);
    c.close();
  });

  it("a message not addressed to DUO's OIN is refused as a ValidationError", async () => {
    const c = client({ bronOin: "00000001000000000000" });
    await expect(c.fetchFeedback()).rejects.toSatisfy((e) => e instanceof ValidationError && (e as ValidationError).code === "ADRESSERING_ONGELDIG");
    expect(c.retries).toEqual([]);
    c.close();
  });

  it("a certificate from another CA ends the TLS handshake: ExternalRejection, not retried", async () => {
    const stranger = await createTestPki(join(dir, "other-pki"), [AP]);
    const c = client({ certificate: { cert: stranger.clients[AP]!.cert, key: stranger.clients[AP]!.key, ca: pki.ca.cert } });
    await expect(c.fetchFeedback()).rejects.toSatisfy((e) => e instanceof ExternalRejection && (e as ExternalRejection).code === "CERTIFICAAT_GEWEIGERD");
    expect(c.retries).toEqual([]);
    c.close();
  });

  it("the register, counters and unacknowledged feedback survive a restart; new feedback waits for the configured delay", async () => {
    const counters = sim.counters();
    await sim.stop();
    sim = await startBronSimulator(simOptions({ feedbackDelayMs: 60_000 }));
    const pick = (c: Record<string, number>) => [c.mutaties, c.dubbeleBerichten, c.dubbeleMutaties, c.storingVerbroken];
    expect(pick(sim.counters())).toEqual(pick(counters));
    expect(await registered("FI-1")).toBe(1);
    expect(await feedbackAbout("F-1")).toHaveLength(1);
    const c = client();
    await c.deliver([enrol("5")]);
    c.close();
    expect(await registered("FI-5")).toBe(1);
    expect(await feedbackAbout("F-5")).toHaveLength(0);
  });

  it("with XSD validation on, every mutation kind passes the simulator's schema check and an off-schema message is a ValidationError (not retried)", async () => {
    const strict = await startBronSimulator(simOptions({ dataDir: join(dir, "strict"), validateSchema: true }));
    try {
      const c = client({}, strict);
      await expect(c.deliver(sampleMutaties())).resolves.toMatchObject({ ontvangenMutatieIds: sampleMutaties().map((m) => m.mutatieId) });
      const tooLong = { ...enrol("6"), leerling: sampleLeerling({ id: "FL-6", voornamen: "x".repeat(201) }) } as Mutatie;
      await expect(c.deliver([tooLong])).rejects.toSatisfy((e) => e instanceof ValidationError && (e as ValidationError).code === "SCHEMA_ONGELDIG");
      expect(c.retries).toEqual([]);
      c.close();
    } finally {
      await strict.stop();
    }
  });
});
