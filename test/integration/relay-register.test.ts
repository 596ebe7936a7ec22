import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { freePort } from "../../scripts/local-stack/ports.js";
import type { CliIo } from "../../src/relay/configure.js";
import { runRegister } from "../../src/relay/register.js";

// `bronsync-relay register` when it cannot register: a code that is no code, an address that is no
// https, a cloud that is not there, a TLS certificate it does not trust (as behind a proxy that opens
// HTTPS) — each a Dutch message school IT can act on, and nothing written. Real node https/tls against a
// real TLS listener with the test PKI's server certificate. (Registering for real: test/e2e.)

const CODE = "ABCD-EFGH-JKMN-PQRS";

describe("bronsync-relay register, refused", () => {
  let dir: string;
  let pki: TestPki;
  let tls: Server;
  let tlsUrl: string;
  let config: string;

  const run = async (args: string[]) => {
    let out = "";
    let err = "";
    const io = { stdin: process.stdin, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: {}, platform: process.platform } as unknown as CliIo;
    const status = await runRegister(["--config", config, ...args], io);
    return { status, out, err };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "relay-register-"));
    pki = await createTestPki(join(dir, "pki"), []);
    config = join(dir, "relay.json");
    writeFileSync(config, JSON.stringify({ RELAY_SQL_USER: "bronsync" }), { mode: 0o600 });
    // a TLS listener that refuses every registration the way the cloud does (any answer will do: the handshake is what is tested)
    tls = createHttpsServer({ cert: pki.server.cert, key: pki.server.key }, (_req, res) => {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ fout: "CODE_ONBEKEND", melding: "Deze registratiecode is onbekend." }));
    });
    await new Promise<void>((r) => tls.listen(0, "127.0.0.1", () => r()));
    tlsUrl = `https://localhost:${(tls.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => tls?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a code that cannot be one, and a missing address, are refused before anything is sent", async () => {
    expect(await run(["--cloud", tlsUrl, "1234"])).toMatchObject({ status: 2, err: expect.stringContaining("Deze registratiecode klopt niet: een code heeft 16 tekens") });
    expect(await run([CODE])).toMatchObject({ status: 2, err: expect.stringContaining("Geef het adres van BRON Sync Cloud op met --cloud") });
    expect(await run(["--cloud", "http://bronsync.example.nl", CODE])).toMatchObject({ status: 1, err: expect.stringContaining("moet met https:// beginnen") });
  });

  it("a cloud that does not answer: not reachable, check address and outbound 443", async () => {
    const port = await freePort();
    const r = await run(["--cloud", `https://127.0.0.1:${port}`, CODE]);
    expect(r.status).toBe(1);
    expect(r.err).toContain(`BRON Sync Cloud op https://127.0.0.1:${port} is niet bereikbaar: geen verbinding (ECONNREFUSED)`);
    expect(r.err).toContain("uitgaand HTTPS (poort 443)");
  });

  it("a certificate it does not trust (a proxy opening HTTPS): says so, and how to pass the proxy's CA", async () => {
    const r = await run(["--cloud", tlsUrl, CODE]);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/^De beveiligde verbinding \(TLS\) met localhost:\d+ wordt niet vertrouwd \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
    expect(r.err).toContain("--ca-bestand");
  });

  it("with that CA trusted, the cloud's own refusal of the code comes through in its words; the configuration is untouched", async () => {
    const r = await run(["--cloud", tlsUrl, "--ca-bestand", pki.ca.path, CODE]);
    expect(r).toMatchObject({ status: 1, err: "Deze registratiecode is onbekend.\n" });
    expect(JSON.parse(readFileSync(config, "utf8"))).toEqual({ RELAY_SQL_USER: "bronsync" });
  });
});
