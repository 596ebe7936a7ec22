import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect, createSecureContext, type TLSSocket } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExpiredClientCertificate, createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";

describe("test PKI (emulators/pki, dev/test only)", () => {
  let dir: string;
  let pki: TestPki;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pki-"));
    pki = await createTestPki(dir, ["00AA00", "01BB02"]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("puts the aanleverpunt in CN and the school's OIN in Subject.serialNumber", () => {
    const x = new X509Certificate(pki.clients["01BB02"]!.cert);
    expect(x.subject).toContain("CN=01BB02");
    expect(x.subject).toContain("serialNumber=0000000700001BB00000");
    expect(pki.clients["01BB02"]!.oin).toBe("0000000700001BB00000");
    expect(x.checkIssued(new X509Certificate(pki.ca.cert))).toBe(true);
  });

  it("gives the server certificate SANs for localhost and 127.0.0.1", () => {
    const x = new X509Certificate(pki.server.cert);
    expect(x.checkHost("localhost")).toBe("localhost");
    expect(x.checkIP("127.0.0.1")).toBe("127.0.0.1");
  });

  it("makes a password-less PFX that Node's TLS accepts", () => {
    expect(() => createSecureContext({ pfx: pki.clients["00AA00"]!.pfx })).not.toThrow();
  });

  it("completes a mutual-TLS handshake with server and client certificates from the same CA", async () => {
    const server = createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true }, (s) =>
      s.end(String((s as TLSSocket).getPeerCertificate().subject.CN)),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const c = pki.clients["00AA00"]!;
    const got = await new Promise<string>((resolve, reject) => {
      const s = connect({ port, host: "127.0.0.1", servername: "localhost", ca: pki.ca.cert, cert: c.cert, key: c.key });
      let data = "";
      s.on("data", (d) => (data += d)).on("end", () => resolve(data)).on("error", reject);
    });
    server.close();
    expect(got).toBe("00AA00");
  });

  it("is idempotent: a second call reuses every valid file", async () => {
    const again = await createTestPki(dir, ["00AA00", "01BB02"]);
    expect(again.ca.cert).toBe(pki.ca.cert);
    expect(again.server.cert).toBe(pki.server.cert);
    expect(again.clients["00AA00"]!.cert).toBe(pki.clients["00AA00"]!.cert);
  });

  it("issues a new client certificate when a different validity is asked for", async () => {
    const short = await createTestPki(dir, ["00AA00"], { validDays: 10 });
    expect(short.ca.cert).toBe(pki.ca.cert);
    const days = (Date.parse(short.clients["00AA00"]!.notAfter) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9);
    expect(days).toBeLessThan(10);
  });

  it("can make an expired client certificate, signed by the same CA", async () => {
    const expired = await createExpiredClientCertificate(dir, "00AA00", 3);
    const x = new X509Certificate(expired.cert);
    expect(Date.parse(x.validTo)).toBeLessThan(Date.now() - 2 * 86_400_000);
    expect(x.checkIssued(new X509Certificate(pki.ca.cert))).toBe(true);
    expect(x.subject).toContain("CN=00AA00");
  });
});
