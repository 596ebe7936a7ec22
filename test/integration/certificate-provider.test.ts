import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createServer, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createExpiredClientCertificate, createTestPki, issueTestClientCertificate, type TestPki } from "../../emulators/pki/test-pki.js";
import {
  CertificateUnavailableError,
  KeyVaultAccessError,
  createCertificateProvider,
  type CertificateProviderOptions,
  type TlsMaterial,
} from "../../src/adapters/certificates/index.js";

const DAY = 86_400_000;

/** The certificate provider against the Key Vault stand-in, with the real @azure/keyvault-* SDKs. */
describe("certificate provider (Key Vault stand-in, real SDKs)", () => {
  let dir: string;
  let pki: TestPki;
  let kv: KeyVaultStandIn;
  let clock: Date;
  const provider = (o: Partial<CertificateProviderOptions> = {}) =>
    createCertificateProvider({
      vaultUrl: kv.url,
      credential: kv.credential("app"),
      clientOptions: standInClientOptions(pki.ca.cert),
      now: () => clock,
      ...o,
    });
  const counts = (name: string) => ({
    certificate: kv.countRequests({ operation: "getCertificate", name }),
    secret: kv.countRequests({ operation: "getSecret", name }),
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cert-provider-"));
    pki = await createTestPki(dir, ["00AA00", "01BB02", "02CC00", "03DD00"]);
    kv = await startKeyVaultStandIn({ tls: pki.server });
    await kv.importCertificate("bron-00aa00", { pfx: pki.clients["00AA00"]!.pfx });
    await kv.importCertificate("bron-01bb02", { pem: pki.clients["01BB02"]!.key + pki.clients["01BB02"]!.cert });
  });
  afterAll(async () => {
    await kv.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock = new Date();
    kv.resetCounts();
  });

  it("hands out the aanleverpunt's certificate and key (PFX in Key Vault, PEM to TLS), usable for mutual TLS", async () => {
    const c = await provider().getClientCertificate("00AA00");
    expect(c.certificateName).toBe("bron-00aa00");
    expect(c.key).toContain("PRIVATE KEY");
    expect(c.cert).toContain(pki.clients["00AA00"]!.cert.trim());
    expect(c.oin).toBe("0000000700000AA00000");
    expect(c.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(c.notAfter).toBe(pki.clients["00AA00"]!.notAfter);
    expect(await handshakeCn(pki, c.tls)).toBe("00AA00");
  });

  it("reads a certificate stored as PEM the same way", async () => {
    const c = await provider().getClientCertificate("01BB02");
    expect(await handshakeCn(pki, c.tls)).toBe("01BB02");
  });

  it("reads with the app's read-only identity; a token the vault did not issue is a KeyVaultAccessError, not retried", async () => {
    const stranger = { getToken: async () => ({ token: "not-a-token-of-this-vault", expiresOnTimestamp: Date.now() + 3600_000 }) };
    const err = await provider({ credential: stranger }).getClientCertificate("00AA00").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyVaultAccessError);
    expect(err).toMatchObject({ retryable: false });
    expect((err as Error).message).toMatch(/Geen toegang tot Key Vault .*HTTP 401/);
  });

  it("caches: repeated and concurrent calls cost one certificate read and one secret read", async () => {
    const p = provider();
    await Promise.all([p.getClientCertificate("00AA00"), p.getClientCertificate("00AA00")]);
    clock = new Date(clock.getTime() + 30 * 60_000);
    await p.getClientCertificate("00AA00");
    await p.daysUntilExpiry("00AA00");
    expect(counts("bron-00aa00")).toEqual({ certificate: 1, secret: 1 });
  });

  it("reads again after the maximum cache age, so a replaced certificate is picked up", async () => {
    const p = provider({ maxCacheAgeMinutes: 60 });
    await p.getClientCertificate("00AA00");
    clock = new Date(clock.getTime() + 61 * 60_000);
    await p.getClientCertificate("00AA00");
    expect(counts("bron-00aa00")).toEqual({ certificate: 2, secret: 2 });
  });

  it("refuses a missing certificate with a Dutch message, and does not cache the refusal", async () => {
    const p = provider();
    const err = await p.getClientCertificate("02CC00").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateUnavailableError);
    expect(err).toMatchObject({ problem: "missing", aanleverpunt: "02CC00", certificateName: "bron-02cc00", retryable: false });
    expect((err as Error).message).toContain("ontbreekt");
    await kv.importCertificate("bron-02cc00", { pfx: pki.clients["02CC00"]!.pfx });
    await expect(p.getClientCertificate("02CC00")).resolves.toMatchObject({ aanleverpunt: "02CC00" });
    kv.deleteCertificate("bron-02cc00");
  });

  it("refuses an expired certificate without reading its key, and reports negative days", async () => {
    const expired = await createExpiredClientCertificate(dir, "03DD00", 2);
    await kv.importCertificate("bron-03dd00", { pfx: expired.pfx });
    clock = new Date(Date.parse(expired.notAfter) + 2.5 * DAY);
    const p = provider();
    await expect(p.getClientCertificate("03DD00")).rejects.toMatchObject({ problem: "expired" });
    await expect(p.getClientCertificate("03DD00")).rejects.toThrow(/is verlopen op/);
    expect(counts("bron-03dd00").secret).toBe(0);
    expect(await p.daysUntilExpiry("03DD00")).toBe(-3);
    kv.deleteCertificate("bron-03dd00");
  });

  it("refuses a cached certificate once the clock passes its end date (checked again at send time)", async () => {
    const p = provider({ refreshBeforeExpiryDays: 0, maxCacheAgeMinutes: 10 * 365 * 24 * 60 });
    const c = await p.getClientCertificate("00AA00");
    clock = new Date(Date.parse(c.notAfter) + 1000);
    await expect(p.getClientCertificate("00AA00")).rejects.toMatchObject({ problem: "expired" });
  });

  it("fetches again near expiry and picks up the renewed certificate", async () => {
    const short = await issueTestClientCertificate(dir, "03DD00", { notBefore: new Date(clock.getTime() - DAY), notAfter: new Date(clock.getTime() + 20 * DAY) });
    await kv.importCertificate("bron-03dd00", { pfx: short.pfx });
    const p = provider({ refreshBeforeExpiryDays: 14, maxCacheAgeMinutes: 365 * 24 * 60 });
    const first = await p.getClientCertificate("03DD00");
    const renewed = await kv.importCertificate("bron-03dd00", { pfx: pki.clients["03DD00"]!.pfx });
    clock = new Date(clock.getTime() + 5 * DAY);
    expect((await p.getClientCertificate("03DD00")).version).toBe(first.version);
    clock = new Date(clock.getTime() + 2 * DAY);
    expect((await p.getClientCertificate("03DD00")).version).toBe(renewed.version);
    expect(counts("bron-03dd00").certificate).toBe(2);
    kv.deleteCertificate("bron-03dd00");
  });

  it("counts whole days until expiry with the injected clock", async () => {
    const p = provider({ maxCacheAgeMinutes: 365 * 24 * 60 });
    const notAfter = Date.parse(pki.clients["00AA00"]!.notAfter);
    clock = new Date(notAfter - 10 * DAY - 3600_000);
    expect(await p.daysUntilExpiry("00AA00")).toBe(10);
    clock = new Date(notAfter - 3600_000);
    expect(await p.daysUntilExpiry("00AA00")).toBe(0);
    expect((await p.getClientCertificate("00AA00")).state).toBe("expiring");
  });

  it("refuses a disabled certificate", async () => {
    kv.setCertificateEnabled("bron-01bb02", false);
    try {
      await expect(provider().getClientCertificate("01BB02")).rejects.toMatchObject({ problem: "disabled" });
    } finally {
      kv.setCertificateEnabled("bron-01bb02", true);
    }
  });

  it("refuses another school's certificate stored under this aanleverpunt's name", async () => {
    await kv.importCertificate("bron-02cc00", { pfx: pki.clients["01BB02"]!.pfx });
    try {
      const err = await provider().getClientCertificate("02CC00").catch((e: unknown) => e);
      expect(err).toMatchObject({ problem: "wrongSchool" });
      expect((err as Error).message).toContain("0000000700001BB00000");
      await expect(provider({ requireSchoolOin: false }).getClientCertificate("02CC00")).resolves.toMatchObject({ oin: "0000000700001BB00000" });
    } finally {
      kv.deleteCertificate("bron-02cc00");
    }
  });

  it("reports Key Vault being unreachable as a retryable KeyVaultAccessError", async () => {
    kv.failNext(1, 503);
    const err = await provider().getClientCertificate("00AA00").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyVaultAccessError);
    expect(err).toMatchObject({ retryable: true });
  });

  it("lists the status of several aanleverpunten, with Dutch messages", async () => {
    const list = await provider({ warnDays: 30 }).listStatus(["00AA00", "02CC00"]);
    expect(list.map((s) => [s.aanleverpunt, s.state])).toEqual([["00AA00", "valid"], ["02CC00", "missing"]]);
    expect(list[0]!.daysUntilExpiry).toBeGreaterThan(300);
    expect(list[1]!.melding).toMatch(/ontbreekt/);
    kv.failNext(1, 500);
    const unknown = await provider().listStatus(["01BB02"]);
    expect(unknown[0]!.state).toBe("unknown");
  });
});

/** Connects with the given client material to a TLS server that requires a client certificate; returns the CN it saw. */
async function handshakeCn(pki: TestPki, material: TlsMaterial): Promise<string> {
  const server = createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true }, (s) =>
    s.end(String((s as TLSSocket).getPeerCertificate().subject.CN)),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const port = (server.address() as { port: number }).port;
    return await new Promise<string>((resolve, reject) => {
      const s = connect({ port, host: "127.0.0.1", servername: "localhost", ca: pki.ca.cert, ...material });
      let data = "";
      s.on("data", (d) => (data += d)).on("end", () => resolve(data)).on("error", reject);
    });
  } finally {
    server.close();
  }
}
