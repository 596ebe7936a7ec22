import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { createRelayClient } from "../../src/adapters/lvs/relay-client.js";

// The cloud's relay client against a misbehaving relay (a scripted HTTPS server): it must never take
// a cut-off or malformed answer for a complete one.

let dir: string;
let pki: TestPki;
let server: Server;
let answer: { status: number; type: string; body: string } = { status: 200, type: "application/json", body: "{}" };
let baseUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "relay-client-"));
  pki = await createTestPki(dir, []);
  server = createServer({ cert: pki.server.cert, key: pki.server.key }, (_req, res) => {
    res.writeHead(answer.status, { "content-type": answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const client = () => createRelayClient({ baseUrl, key: Buffer.alloc(32, 4), ca: pki.ca.cert });
const leerling = { id: "1", pgn: null, voornamen: "", voorvoegsels: null, achternaam: "A", geslacht: "M", geboortedatum: "2017-01-01", adres: null, nationaliteiten: [], onderwijsSinds: null };

describe("the relay client refuses incomplete or malformed answers", () => {
  it("treats a snapshot stream without its einde line as a transient failure", async () => {
    answer = { status: 200, type: "application/x-ndjson", body: JSON.stringify({ soort: "leerling", leerling }) + "\n" };
    await expect(client().snapshotViaStream("12AB00")).rejects.toMatchObject({ name: "TransientError", code: "STREAM_TRUNCATED" });
  });

  it("treats a fout line in the stream as a transient failure", async () => {
    answer = { status: 200, type: "application/x-ndjson", body: JSON.stringify({ soort: "fout", melding: "kapot" }) + "\n" };
    await expect(client().snapshotViaStream("12AB00")).rejects.toMatchObject({ name: "TransientError", code: "STREAM_FAILED" });
  });

  it("refuses a page that breaks the contract", async () => {
    answer = { status: 200, type: "application/json", body: JSON.stringify({ aanleverpunt: "12AB00", leerlingen: [{ id: 1 }], inschrijvingen: [], problems: [], nextCursor: null }) };
    await expect(client().snapshotPage("12AB00")).rejects.toMatchObject({ name: "ValidationError", code: "CONTRACT" });
  });

  it.each([
    [503, "TransientError"],
    [500, "TransientError"],
    [401, "ExternalRejection"],
    [400, "ValidationError"],
  ])("maps HTTP %i to %s", async (status, name) => {
    answer = { status, type: "application/json", body: JSON.stringify({ error: "X", melding: "m" }) };
    await expect(client().aanleverpunten()).rejects.toMatchObject({ name });
  });

  it("maps an unreachable relay to a transient failure", async () => {
    const gone = createRelayClient({ baseUrl: "https://127.0.0.1:1", key: Buffer.alloc(32, 4), ca: pki.ca.cert });
    await expect(gone.health()).rejects.toMatchObject({ name: "TransientError" });
  });
});
