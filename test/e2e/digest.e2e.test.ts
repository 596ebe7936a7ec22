import { BlobServiceClient } from "@azure/storage-blob";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReceivedEmail } from "../../emulators/email/server.js";
import { startLocalStack, type LocalStack } from "../../scripts/local-stack/index.js";
import { createRelayStatusStore } from "../../src/adapters/state/relay-status.js";
import { createStateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import type { Action } from "../../src/core/model.js";

// The daily digest on the local stack: the unchanged app in the local Functions host sends through the
// real @azure/communication-email SDK to the ACS Email stand-in, whose received messages are read here.
// Requires `npm run build` (npm test does it first).

describe("daily digest e-mail on the local stack", () => {
  let stack: LocalStack;
  let dir: string;
  let bsn: string;
  let names: string[];

  const messages = async (): Promise<ReceivedEmail[]> => {
    const { request } = await import("node:https");
    return new Promise((resolve, reject) => {
      const req = request(`${stack.email.url}/admin/messages`, { ca: stack.pki.ca.cert }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve((JSON.parse(body) as { messages: ReceivedEmail[] }).messages));
      });
      req.on("error", reject);
      req.end();
    });
  };
  /** Runs the timer function now, as the host's admin API does, and waits until it logged its outcome. */
  const runDigest = async () => {
    const r = await fetch(`${stack.hostUrl}/admin/functions/dagelijksOverzicht`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ input: "" }) });
    expect(r.status).toBe(202);
  };
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-digest-e2e-"));
    stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 40 });
    const cs = stack.azurite.connectionString;
    const state = createStateStore({ tables: tablesFromConnectionString(cs), blobs: BlobServiceClient.fromConnectionString(cs).getContainerClient("state-blobs") });
    // school A: two afkeuren and an overdue deadline, about a real demo pupil (name and BSN in the differences)
    const pupil = stack.demo.bevolking[0]!;
    bsn = pupil.bsn;
    names = [pupil.achternaam, pupil.voornamen].filter((n) => n.length > 3);
    const a = stack.schools[0]!;
    const ap = a.aanleverpunten[0]!;
    const base = {
      type: "WIJZIGING_ONDERWIJSGEGEVENS", direction: "BRON", needsDecision: false, decision: null, manual: false, aanleverpunt: ap, leerlingId: "L1", inschrijvingId: "I1",
      fields: [{ field: "achternaam", lvs: pupil.achternaam, bron: `${pupil.achternaam}x` }, { field: "pgn", lvs: { soort: "BSN", nummer: pupil.bsn }, bron: null }], fingerprint: "f", reason: "r",
    };
    const late = { windowDays: 7, since: "2020-01-01", due: "2020-01-08", daysLeft: 0 };
    await state.updateActions(ap, [], [
      { ...base, id: "digest-1", status: "AFGEKEURD", deadline: null },
      { ...base, id: "digest-2", status: "AFGEKEURD", deadline: null, fingerprint: "g" },
      { ...base, id: "digest-3", status: "OPEN", deadline: late, fingerprint: "h" },
    ] as Action[]);
    // school B: its relay has not answered for two days
    await createRelayStatusStore({ tables: tablesFromConnectionString(cs) }).recordFailure(stack.schools[1]!.id, new Date(Date.now() - 2 * 86_400_000), "RELAY_NOT_PICKED_UP");
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends school A and school B each one digest to their own contact addresses, with counts and no personal data; school C, where all is well, gets none", async () => {
    await runDigest();
    const got = await waitFor("two digests", async () => {
      const m = await messages();
      return m.length >= 2 ? m : undefined;
    });
    // give a (wrong) third e-mail the chance to arrive before counting
    await new Promise((r) => setTimeout(r, 1500));
    const all = await messages();
    expect(all).toHaveLength(2);
    const [a, b, c] = stack.schools;
    const toA = got.find((m) => m.aan.includes(`administratie@${a!.id}.example`))!;
    const toB = got.find((m) => m.aan.includes(`administratie@${b!.id}.example`))!;
    expect(toA.aan).toEqual([`administratie@${a!.id}.example`]);
    expect(toB.aan).toEqual([`administratie@${b!.id}.example`]);
    expect(all.some((m) => m.aan.some((x) => x.includes(c!.id)))).toBe(false);
    expect(toA.van).toBe("DoNotReply@bronsync.local");
    expect(toA.onderwerp).toContain(a!.naam);
    expect(toA.tekst).toContain(`Aanleverpunt ${a!.aanleverpunten[0]}: 2 meldingen zijn afgekeurd door BRON.`);
    expect(toA.tekst).toContain(`Aanleverpunt ${a!.aanleverpunten[0]}: 1 melding is over de termijn.`);
    expect(toA.html).toMatch(/href="http:\/\/localhost:\d+\/api\/beheer"/);
    expect(toB.tekst).toContain("De relay van de school is al 2 dagen niet bereikbaar");
    for (const m of all) {
      const text = `${m.onderwerp}\n${m.tekst}\n${m.html}`;
      expect(text).not.toContain(bsn);
      for (const n of names) expect(text).not.toContain(n);
    }
  });

  it("a second run the same day sends nothing (and the audit says it was asked)", async () => {
    const state = createStateStore({ tables: tablesFromConnectionString(stack.azurite.connectionString), blobs: BlobServiceClient.fromConnectionString(stack.azurite.connectionString).getContainerClient("state-blobs") });
    const ap = stack.schools[0]!.aanleverpunten[0]!;
    const sent = (await state.listAudit(ap)).filter((e) => e.op === "DIGEST_VERZONDEN");
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent)).not.toMatch(new RegExp(`${bsn}|@`));
    await runDigest();
    await waitFor("the second run's audit entry", async () => ((await state.listAudit(ap)).some((e) => e.op === "DIGEST_AL_VERZONDEN") ? true : undefined));
    await waitFor("the second run's audit entry for school B", async () => ((await state.listAudit(stack.schools[1]!.aanleverpunten[0]!)).some((e) => e.op === "DIGEST_AL_VERZONDEN") ? true : undefined));
    expect(await messages()).toHaveLength(2);
  });
});
