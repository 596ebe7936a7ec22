import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:https";
import { createSecureContext } from "node:tls";
import { CertificateClient } from "@azure/keyvault-certificates";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { makePfx } from "../../emulators/pki/openssl.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";

/** Key Vault stand-in (dev/test only), driven by the real @azure/keyvault-* SDKs. */
describe("Key Vault stand-in with the real SDKs", () => {
  let dir: string;
  let pki: TestPki;
  let kv: KeyVaultStandIn;
  let certs: CertificateClient;
  let secrets: SecretClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kv-standin-"));
    pki = await createTestPki(dir, ["00AA00", "01BB02"]);
    kv = await startKeyVaultStandIn({ tls: pki.server, dataDir: join(dir, "vault") });
    certs = new CertificateClient(kv.url, kv.credential("admin"), standInClientOptions(pki.ca.cert));
    secrets = new SecretClient(kv.url, kv.credential("admin"), standInClientOptions(pki.ca.cert));
  });
  afterAll(async () => {
    await kv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers the first request with a 401 bearer challenge, then serves it with the token", async () => {
    kv.resetCounts();
    const imported = await certs.importCertificate("bron-00aa00", pki.clients["00AA00"]!.pfx);
    expect(imported.name).toBe("bron-00aa00");
    expect(kv.countRequests({ operation: "unauthorized" })).toBe(1);
    expect(kv.countRequests({ operation: "importCertificate" })).toBe(1);
  });

  it("challenges a request without a token with 401 and WWW-Authenticate naming the vault resource", async () => {
    const res = await new Promise<{ status: number; challenge: string | undefined }>((resolve, reject) => {
      const r = request(`${kv.url}/certificates/bron-00aa00/?api-version=2025-07-01`, { ca: pki.ca.cert }, (m) => {
        m.resume();
        resolve({ status: m.statusCode ?? 0, challenge: m.headers["www-authenticate"] });
      });
      r.on("error", reject).end();
    });
    expect(res.status).toBe(401);
    expect(res.challenge).toMatch(/^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[^"]+", resource="https:\/\/vault\.azure\.net"$/);
  });

  it("serves a certificate with its DER, thumbprint, validity, enabled flag and policy", async () => {
    const c = await certs.getCertificate("bron-00aa00");
    const x = new X509Certificate(pki.clients["00AA00"]!.cert);
    expect(Buffer.from(c.cer!).equals(x.raw)).toBe(true);
    expect(c.properties.x509ThumbprintString?.toUpperCase()).toBe(x.fingerprint.replaceAll(":", ""));
    expect(c.properties.expiresOn?.getTime()).toBe(Math.floor(Date.parse(x.validTo) / 1000) * 1000);
    expect(c.properties.notBefore?.getTime()).toBe(Math.floor(Date.parse(x.validFrom) / 1000) * 1000);
    expect(c.properties.enabled).toBe(true);
    expect(c.policy?.contentType).toBe("application/x-pkcs12");
    expect(c.secretId).toBe(`${kv.url}/secrets/bron-00aa00/${c.properties.version}`);
  });

  it("serves the secret behind a PFX certificate as base64 PKCS#12 that Node's TLS loads", async () => {
    const s = await secrets.getSecret("bron-00aa00");
    expect(s.properties.contentType).toBe("application/x-pkcs12");
    expect(s.properties.managed).toBe(true);
    expect(() => createSecureContext({ pfx: Buffer.from(s.value!, "base64") })).not.toThrow();
  });

  it("converts the PFX secret to PEM (key + certificate) when asked with outContentType", async () => {
    const s = await secrets.getSecret("bron-00aa00", { outContentType: "application/x-pem-file" });
    expect(s.properties.contentType).toBe("application/x-pem-file");
    expect(s.value).toContain("PRIVATE KEY-----");
    expect(() => createSecureContext({ key: s.value!, cert: s.value! })).not.toThrow();
  });

  it("imports a PEM certificate (key + certificate) and serves it as PEM", async () => {
    const c = pki.clients["01BB02"]!;
    await kv.importCertificate("bron-01bb02", { pem: c.key + c.cert });
    const s = await secrets.getSecret("bron-01bb02");
    expect(s.properties.contentType).toBe("application/x-pem-file");
    expect(s.value).toContain(c.cert.trim());
  });

  it("imports a password-protected PFX (as BRON supplies them) and stores it without the password", async () => {
    const c = pki.clients["01BB02"]!;
    const file = join(dir, "with-password.pfx");
    await makePfx(c.paths.key, c.paths.cert, pki.ca.path, file, "geheim");
    expect(() => createSecureContext({ pfx: readFileSync(file) })).toThrow();
    await certs.importCertificate("bron-pw", readFileSync(file), { password: "geheim" });
    const s = await secrets.getSecret("bron-pw");
    expect(s.properties.contentType).toBe("application/x-pkcs12");
    expect(() => createSecureContext({ pfx: Buffer.from(s.value!, "base64") })).not.toThrow();
    await expect(certs.importCertificate("bron-pw2", readFileSync(file), { password: "fout" })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("keeps versions: a new import becomes the latest, older versions stay readable", async () => {
    const first = await certs.getCertificate("bron-01bb02");
    const c = pki.clients["01BB02"]!;
    const second = await certs.importCertificate("bron-01bb02", Buffer.from(c.key + c.cert), { policy: { contentType: "application/x-pem-file" } });
    expect(second.properties.version).not.toBe(first.properties.version);
    expect((await certs.getCertificate("bron-01bb02")).properties.version).toBe(second.properties.version);
    expect((await certs.getCertificateVersion("bron-01bb02", first.properties.version!)).properties.version).toBe(first.properties.version);
  });

  it("stores plain secrets (such as the relay HMAC key)", async () => {
    await secrets.setSecret("relay-hmac-key", "c2VjcmV0", { contentType: "text/plain" });
    const s = await secrets.getSecret("relay-hmac-key");
    expect(s.value).toBe("c2VjcmV0");
    expect(s.properties.managed).toBeUndefined();
  });

  it("answers 404 CertificateNotFound and SecretNotFound for unknown names", async () => {
    await expect(certs.getCertificate("bron-99zz00")).rejects.toMatchObject({ statusCode: 404, code: "CertificateNotFound" });
    await expect(secrets.getSecret("bron-99zz00")).rejects.toMatchObject({ statusCode: 404, code: "SecretNotFound" });
  });

  it("reports a disabled certificate and refuses its secret with 403", async () => {
    await certs.updateCertificateProperties("bron-00aa00", "", { enabled: false });
    expect((await certs.getCertificate("bron-00aa00")).properties.enabled).toBe(false);
    await expect(secrets.getSecret("bron-00aa00")).rejects.toMatchObject({ statusCode: 403 });
    kv.setCertificateEnabled("bron-00aa00", true);
    await expect(secrets.getSecret("bron-00aa00")).resolves.toBeDefined();
  });

  it("keeps its contents across a restart when given a data dir", async () => {
    const before = await certs.getCertificate("bron-01bb02");
    await kv.close();
    kv = await startKeyVaultStandIn({ tls: pki.server, dataDir: join(dir, "vault") });
    const after = new CertificateClient(kv.url, kv.credential("admin"), standInClientOptions(pki.ca.cert));
    expect((await after.getCertificate("bron-01bb02")).properties.version).toBe(before.properties.version);
    certs = after;
    secrets = new SecretClient(kv.url, kv.credential("admin"), standInClientOptions(pki.ca.cert));
    expect((await secrets.getSecret("relay-hmac-key")).value).toBe("c2VjcmV0");
  });
});

describe("Key Vault stand-in: tokens, RBAC and api-version as Key Vault (real SDKs)", () => {
  let dir: string;
  let pki: TestPki;
  let kv: KeyVaultStandIn;
  const options = () => standInClientOptions(pki.ca.cert);
  const fixed = (token: string) => ({ getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kv-standin-auth-"));
    pki = await createTestPki(dir, ["00AA00"]);
    kv = await startKeyVaultStandIn({ tls: pki.server, fixedTokens: { "local-dev": "app" } });
    await kv.importCertificate("bron-00aa00", { pfx: pki.clients["00AA00"]!.pfx });
    kv.setSecret("relay-hmac-key", "c2VjcmV0");
  });
  afterAll(async () => {
    await kv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the app's identity reads certificates and secrets", async () => {
    expect((await new CertificateClient(kv.url, kv.credential("app"), options()).getCertificate("bron-00aa00")).name).toBe("bron-00aa00");
    expect((await new SecretClient(kv.url, kv.credential("app"), options()).getSecret("relay-hmac-key")).value).toBe("c2VjcmV0");
  });

  it("a token the vault did not issue, or an expired one, gets 401 Unauthorized", async () => {
    await expect(new SecretClient(kv.url, fixed("any-string-at-all"), options()).getSecret("relay-hmac-key")).rejects.toMatchObject({ statusCode: 401, code: "Unauthorized" });
    const forged = kv.token("admin").replace(/\.[^.]+$/, ".AAAA");
    await expect(new SecretClient(kv.url, fixed(forged), options()).getSecret("relay-hmac-key")).rejects.toMatchObject({ statusCode: 401 });
    const expired = kv.token("app", { lifetimeSeconds: -60 });
    const err = await new SecretClient(kv.url, fixed(expired), options()).getSecret("relay-hmac-key").catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 401, code: "Unauthorized" });
    expect((err as Error).message).toMatch(/TokenExpired/);
  });

  it("a fixed token registered for the app (the local stack's app process) acts as the app", async () => {
    expect((await new SecretClient(kv.url, fixed("local-dev"), options()).getSecret("relay-hmac-key")).value).toBe("c2VjcmV0");
    await expect(new SecretClient(kv.url, fixed("local-dev"), options()).setSecret("x", "y")).rejects.toMatchObject({ statusCode: 403 });
  });

  it("the app's identity is read-only: writing a secret, importing or disabling a certificate is 403 ForbiddenByRbac", async () => {
    const secrets = new SecretClient(kv.url, kv.credential("app"), options());
    const certs = new CertificateClient(kv.url, kv.credential("app"), options());
    const err = await secrets.setSecret("relay-hmac-key", "overwritten").catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 403, code: "Forbidden" });
    expect((err as Error).message).toMatch(/Microsoft\.KeyVault\/vaults\/secrets\/setSecret\/action/);
    await expect(certs.importCertificate("bron-00aa00", pki.clients["00AA00"]!.pfx)).rejects.toMatchObject({ statusCode: 403, code: "Forbidden" });
    await expect(certs.updateCertificateProperties("bron-00aa00", "", { enabled: false })).rejects.toMatchObject({ statusCode: 403, code: "Forbidden" });
    expect((await secrets.getSecret("relay-hmac-key")).value).toBe("c2VjcmV0");
    expect((await certs.getCertificate("bron-00aa00")).properties.enabled).toBe(true);
  });

  it("the certificate administrators may import certificates but not write plain secrets; the admin may do both", async () => {
    const officer = new CertificateClient(kv.url, kv.credential("certificate-admin"), options());
    await expect(officer.importCertificate("bron-00aa00", pki.clients["00AA00"]!.pfx)).resolves.toMatchObject({ name: "bron-00aa00" });
    await expect(new SecretClient(kv.url, kv.credential("certificate-admin"), options()).setSecret("x", "y")).rejects.toMatchObject({ statusCode: 403 });
    await expect(new SecretClient(kv.url, kv.credential("admin"), options()).setSecret("x", "y")).resolves.toMatchObject({ name: "x" });
  });

  it("serves only api-version 2025-07-01 (what these SDKs send); another version is 400 BadParameter", async () => {
    const old = new SecretClient(kv.url, kv.credential("app"), { ...options(), serviceVersion: "7.5" });
    const err = await old.getSecret("bron-00aa00", { outContentType: "application/x-pem-file" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 400, code: "BadParameter" });
    expect((err as Error).message).toMatch(/7\.5/);
  });

  it("outContentType: PFX → PEM is converted, the own format is returned as is, anything else is rejected (400)", async () => {
    const secrets = new SecretClient(kv.url, kv.credential("app"), options());
    expect((await secrets.getSecret("bron-00aa00", { outContentType: "application/x-pem-file" })).properties.contentType).toBe("application/x-pem-file");
    expect((await secrets.getSecret("bron-00aa00", { outContentType: "application/x-pkcs12" })).properties.contentType).toBe("application/x-pkcs12");
    await expect(secrets.getSecret("bron-00aa00", { outContentType: "text/plain" })).rejects.toMatchObject({ statusCode: 400, code: "BadParameter" });
    await kv.importCertificate("bron-pem", { pem: pki.clients["00AA00"]!.key + pki.clients["00AA00"]!.cert });
    await expect(secrets.getSecret("bron-pem", { outContentType: "application/x-pkcs12" })).rejects.toMatchObject({ statusCode: 400, code: "BadParameter" });
    await expect(secrets.getSecret("relay-hmac-key", { outContentType: "application/x-pem-file" })).rejects.toMatchObject({ statusCode: 400 });
  });
});
