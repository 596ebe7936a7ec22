import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { createBronClient } from "../../src/adapters/bron/client.js";
import { CertificateUnavailableError, createCertificateProvider, type CertificateProvider } from "../../src/adapters/certificates/index.js";

/**
 * The Key Vault path end to end: certificate from the Key Vault stand-in (real SDKs) → BRON client →
 * BRON simulator over mutual TLS. Rule: the certificate is checked again at send time.
 */
const AP = "00AA00";

describe("sending to BRON with the certificate from Key Vault", () => {
  let dir: string;
  let pki: TestPki;
  let kv: KeyVaultStandIn;
  let sim: BronSimulator;
  let clock: Date;
  let provider: CertificateProvider;
  const client = () =>
    createBronClient({
      endpoint: sim.url,
      aanleverpunt: AP,
      certificate: async () => (await provider.getClientCertificate(AP)).tls,
      serverCa: pki.ca.cert,
      retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 5 },
      timeoutMs: 10_000,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cert-bron-"));
    pki = await createTestPki(join(dir, "pki"), [AP]);
    kv = await startKeyVaultStandIn({ tls: pki.server });
    await kv.importCertificate("bron-00aa00", { pfx: pki.clients[AP]!.pfx });
    sim = await startBronSimulator({ dataDir: join(dir, "sim"), tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, validateSchema: false });
    clock = new Date();
    provider = createCertificateProvider({ vaultUrl: kv.url, credential: kv.credential("app"), clientOptions: standInClientOptions(pki.ca.cert), now: () => clock });
  });
  afterAll(async () => {
    await sim?.stop();
    await kv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("BRON accepts the aanleverpunt's certificate from Key Vault", async () => {
    const c = client();
    try {
      await expect(c.fetchFeedback(10)).resolves.toMatchObject({ terugkoppelingen: [] });
      expect(sim.counters().berichten).toBe(1);
    } finally {
      c.close();
    }
  });

  it("refuses to send once the certificate has expired, before anything reaches BRON", async () => {
    const before = JSON.stringify(sim.counters());
    clock = new Date(Date.parse(pki.clients[AP]!.notAfter) + 1000);
    const c = client();
    try {
      const err = await c.fetchFeedback(10).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CertificateUnavailableError);
      expect((err as Error).message).toMatch(/is verlopen op/);
      expect(JSON.stringify(sim.counters())).toBe(before);
    } finally {
      c.close();
    }
  });
});
