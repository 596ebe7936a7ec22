import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { factsFromDer, materialFromSecret } from "../../src/adapters/certificates/material.js";

/** Rule: the material handed to TLS must hold the private key of exactly the certificate Key Vault lists. */
describe("client material from a Key Vault secret", () => {
  let dir: string;
  let pki: TestPki;
  let leaf: X509Certificate;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cert-material-"));
    pki = await createTestPki(dir, ["00AA00", "01BB02"]);
    leaf = new X509Certificate(pki.clients["00AA00"]!.cert);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const a = () => pki.clients["00AA00"]!;
  const b = () => pki.clients["01BB02"]!;

  it("accepts PEM with key, leaf and chain in any order, and puts the leaf first", () => {
    const m = materialFromSecret(pki.ca.cert + a().cert + a().key, leaf);
    expect(m?.key).toContain("PRIVATE KEY");
    expect(new X509Certificate(m!.cert).raw.equals(leaf.raw)).toBe(true);
    expect(m!.cert).toContain(pki.ca.cert.trim());
  });

  it("rejects PEM without a private key", () => {
    expect(materialFromSecret(a().cert, leaf)).toBeUndefined();
  });

  it("rejects PEM whose key belongs to another certificate", () => {
    expect(materialFromSecret(b().key + a().cert, leaf)).toBeUndefined();
  });

  it("rejects PEM that does not contain the listed certificate", () => {
    expect(materialFromSecret(b().key + b().cert, leaf)).toBeUndefined();
  });

  it("accepts the PFX of the listed certificate, and rejects another certificate's PFX", () => {
    expect(materialFromSecret(a().pfx.toString("base64"), leaf)?.tls).toHaveProperty("pfx");
    expect(materialFromSecret(b().pfx.toString("base64"), leaf)).toBeUndefined();
    expect(materialFromSecret(Buffer.from("not a pfx").toString("base64"), leaf)).toBeUndefined();
  });

  it("reads the OIN from Subject.serialNumber and the SHA-1 thumbprint", () => {
    const f = factsFromDer(leaf.raw);
    expect(f.oin).toBe("0000000700000AA00000");
    expect(f.thumbprint).toBe(leaf.fingerprint.replaceAll(":", ""));
    expect(f.notAfter.toISOString()).toBe(a().notAfter);
  });
});
