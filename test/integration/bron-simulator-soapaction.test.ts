import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionOf, DUO_OIN } from "../../src/contracts/bron/constants.js";
import { withOin } from "../../src/contracts/bron/envelope.js";
import { randomMessageId } from "../../src/contracts/bron/message-id.js";
import { buildRequest } from "../../src/contracts/bron/codec.js";
import { schoolOin } from "../../src/core/validation.js";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { ensureDebianTool, runTool } from "../support/debian-tools.js";

/**
 * SOAP 1.1 + WS-Addressing: the SOAPAction HTTP header must be present and either equal wsa:Action
 * or be empty (""); otherwise the endpoint answers a soap:Client fault (WS-Addressing's ActionMismatch).
 * Driven with curl, a client nobody here wrote, presenting a valid client certificate.
 */
const AP = "00AA00";
let dir: string;
let curl: string;
let pki: TestPki;
let sim: BronSimulator;
let bodyFile: string;

beforeAll(async () => {
  curl = ensureDebianTool("curl");
  dir = mkdtempSync(join(tmpdir(), "bron-soapaction-"));
  pki = await createTestPki(join(dir, "pki"), [AP]);
  sim = await startBronSimulator({ dataDir: join(dir, "data"), tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, validateSchema: false });
}, 600_000);

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** POSTs a fresh ophalenTerugkoppeling envelope with the given SOAPAction header line (null: none). */
async function post(soapActionHeader: string | null) {
  const url = new URL(sim.url);
  const body = buildRequest("ophalenTerugkoppeling", { aanleverpunt: AP, maximumAantal: 10 }, {
    messageId: randomMessageId(), to: withOin(`${url.origin}${url.pathname}`, DUO_OIN), fromOin: schoolOin(AP.slice(0, 4)),
  });
  bodyFile = join(dir, "body.xml");
  writeFileSync(bodyFile, body);
  const c = pki.clients[AP]!;
  const args = ["-sS", "--cacert", pki.ca.path, "--cert", c.paths.cert, "--key", c.paths.key, "-H", "Content-Type: text/xml; charset=utf-8",
    "--data-binary", `@${bodyFile}`, "-w", "\n%{http_code}", sim.url];
  if (soapActionHeader !== null) args.unshift("-H", soapActionHeader);
  const r = await runTool(curl, args);
  expect(r.status, r.stderr).toBe(0);
  const at = r.stdout.lastIndexOf("\n");
  return { status: Number(r.stdout.slice(at + 1)), body: r.stdout.slice(0, at) };
}

describe("BRON simulator: SOAPAction against wsa:Action (curl)", () => {
  const action = actionOf("ophalenTerugkoppeling");

  it("a SOAPAction equal to wsa:Action (quoted, as SOAP 1.1 wants) is served", async () => {
    const r = await post(`SOAPAction: "${action}"`);
    expect(r.status).toBe(200);
    expect(r.body).toContain("ophalenTerugkoppelingResponse");
  });

  it("an empty SOAPAction (\"\") is allowed by WS-Addressing and served", async () => {
    expect((await post('SOAPAction: ""')).status).toBe(200);
  });

  it.each([
    ["another operation's action", `SOAPAction: "${actionOf("aanleverenMutaties")}"`],
    ["an unrelated URI", 'SOAPAction: "http://example.org/iets-anders"'],
    ["no SOAPAction header at all", null],
  ])("%s is refused with a soap:Client fault (ADRESSERING_ONGELDIG) and nothing is processed", async (_, header) => {
    const before = sim.counters().berichten ?? 0;
    const r = await post(header);
    expect(r.status).toBe(500);
    expect(r.body).toMatch(/<faultcode>soap:Client<\/faultcode>/);
    expect(r.body).toMatch(/<b:foutcode>ADRESSERING_ONGELDIG<\/b:foutcode>/);
    expect(r.body).toMatch(/SOAPAction/);
    expect(sim.counters().berichten ?? 0).toBe(before);
  });
});
