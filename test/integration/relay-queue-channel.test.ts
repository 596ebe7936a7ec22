import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueClient, QueueServiceClient } from "@azure/storage-queue";
import { TYPES } from "tedious";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { provisionRelayChannel } from "../../src/adapters/lvs/channel-provisioning.js";
import { queueChannel } from "../../src/adapters/lvs/queue-channel.js";
import { createRelayClient, type RelayClient } from "../../src/adapters/lvs/relay-client.js";
import { createRelayRouter } from "../../src/adapters/lvs/relay-router.js";
import { createRelayStatusStore } from "../../src/adapters/state/relay-status.js";
import { createSchoolStore, defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { QUEUE_ENVELOPE_VERSION, REPLY_CONTAINER, replyBlobName } from "../../src/contracts/relay/queue-channel.js";
import { signatureHeaders } from "../../src/contracts/relay/signing.js";
import { RelayUnreachableError } from "../../src/errors.js";
import { startRelay, type RunningRelay } from "../../src/relay/app.js";
import { memoryLog } from "../../src/relay/log.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { startRelayFixture, TODAY, type RelayFixture } from "./relay-fixture.js";

// The relay's production transport end to end with the real SDKs against Azurite: the cloud puts a
// signed request on the school's queue (@azure/storage-queue), the real relay polls that queue with
// its read+process SAS, runs the request through its one handler against the TDS test server
// (tedious), and uploads the answer to the SAS URL in the request (@azure/storage-blob); the cloud
// parses it with the same zod contract as over HTTPS.

const AP = "12AB00";

describe("the relay over its school's Storage queue", () => {
  let f: RelayFixture;
  let cs: string;
  let school: School;
  let relay: RunningRelay | undefined;
  let relayEnv: Record<string, string>;
  let relayLog: string[];
  let queue: QueueClient;
  let relayQueueUrl: string;
  const replies = () => BlobServiceClient.fromConnectionString(cs).getContainerClient(REPLY_CONTAINER);
  const clientWith = (key: Buffer, pickupTimeoutMs = 4_000): RelayClient =>
    createRelayClient({ channel: queueChannel({ queue, replies: replies(), key, pickupTimeoutMs, answerTimeoutMs: 30_000 }) });
  let client: RelayClient;

  async function startQueueRelay(): Promise<void> {
    const { log, lines } = memoryLog();
    relayLog = lines;
    relay = await startRelay(loadRelayConfig(relayEnv), { log, now: () => new Date(`${TODAY}T10:00:00Z`) });
  }
  async function stopQueueRelay(): Promise<void> {
    await relay?.stop();
    relay = undefined;
  }
  const answerBlobs = async () => {
    const names: string[] = [];
    for await (const b of replies().listBlobsFlat({ prefix: `${school.relay.wachtrij}/` })) names.push(b.name);
    return names;
  };

  beforeAll(async () => {
    f = await startRelayFixture({ leerlingen: 40 });
    cs = inject("azuriteConnectionString");
    const id = `qchan-${randomBytes(3).toString("hex")}`;
    school = { id, naam: "De Queuetest", brins: ["12AB"], aanleverpunten: [{ code: AP, naam: "De Queuetest" }], relay: defaultRelayChannel(id), contact: { emails: [] }, instellingen: { dagelijkseSync: true } };
    const channel = await provisionRelayChannel({ connectionString: cs, school, now: new Date() });
    relayQueueUrl = channel.queueUrl;
    queue = QueueServiceClient.fromConnectionString(cs).getQueueClient(school.relay.wachtrij);
    relayEnv = {
      ...f.relayEnv,
      RELAY_TRANSPORT: "queue",
      RELAY_QUEUE_URL: channel.queueUrl,
      RELAY_REPLY_CONTAINER_URL: replies().url,
      RELAY_POLL_IDLE_SECONDS: "1",
      RELAY_POLL_ACTIVE_MS: "100",
      RELAY_POLL_WARM_SECONDS: "5",
    };
    await startQueueRelay();
    client = clientWith(f.key);
  });
  afterAll(async () => {
    await stopQueueRelay();
    await f?.stop();
  });

  it("answers health, aanleverpunten, paged and streamed snapshots as over HTTPS, and leaves no answer behind", async () => {
    expect(await client.requireCompatibleVersion()).toMatchObject({ status: "ok" });
    expect(await client.aanleverpunten()).toEqual(await f.client.aanleverpunten());
    const overHttps = await f.client.snapshot(AP);
    // small pages: several round trips over the queue
    expect(await client.snapshot(AP, 7)).toEqual(overHttps);
    expect(await client.snapshotViaStream(AP, 7)).toEqual(overHttps);
    expect(overHttps.snapshot.leerlingen.length).toBeGreaterThan(7);
    expect(await answerBlobs()).toEqual([]);
  });

  it("applies a write once: the same request again gets the stored answer and writes nothing", async () => {
    const pupil = (await client.snapshot(AP)).snapshot.leerlingen[1]!;
    const request = { requestId: `q-${randomBytes(8).toString("hex")}`, rowVersion: pupil.rowVersion ?? "", write: { soort: "ONDERWIJS_SINDS" as const, leerlingId: pupil.id, onderwijsSinds: "2020-08-01" } };
    const audit = async () => Number((await f.sql.query("SELECT COUNT(*) AS n FROM dbo.RelayAudit WHERE RequestId = @r", [{ name: "r", type: TYPES.NVarChar, value: request.requestId }])).rows[0]?.n);
    const first = await client.write(request);
    expect(first).toMatchObject({ status: "TOEGEPAST", leerlingId: pupil.id });
    expect(await client.write(request)).toEqual(first);
    expect(await audit()).toBe(1);
  });

  it("refuses a request signed with another key (401 through the answer blob), and says why in its log", async () => {
    const wrong = clientWith(randomBytes(32));
    await expect(wrong.aanleverpunten()).rejects.toMatchObject({ name: "ExternalRejection", code: "UNAUTHORIZED" });
    expect(relayLog.some((l) => l.includes('"event":"auth_refused"') && l.includes('"reason":"BAD_SIGNATURE"'))).toBe(true);
  });

  it("refuses a replayed request and one whose answer would go outside its own folder; garbage does not stop it", async () => {
    const headers = signatureHeaders(f.key, { method: "GET", pathAndQuery: "/v1/health", body: "" });
    const envelope = (id: string, replyUrl: string) => JSON.stringify({ v: QUEUE_ENVELOPE_VERSION, id, method: "GET", pathAndQuery: "/v1/health", headers, body: "", replyUrl });
    const sas = async (name: string) => replies().getBlockBlobClient(name).generateSasUrl({ permissions: (await import("@azure/storage-blob")).BlobSASPermissions.parse("cw"), expiresOn: new Date(Date.now() + 120_000) });
    // answers may only go to <own queue>/<request id>
    const elsewhere = `ander-${randomBytes(8).toString("hex")}`;
    await queue.sendMessage(envelope(elsewhere, await sas(replyBlobName("relay-andere-school", elsewhere))));
    await queue.sendMessage("dit is geen verzoek");
    // the same signed request twice: the second is a replay
    const a = `eerste-${randomBytes(8).toString("hex")}`;
    const b = `tweede-${randomBytes(8).toString("hex")}`;
    await queue.sendMessage(envelope(a, await sas(replyBlobName(school.relay.wachtrij, a))));
    await queue.sendMessage(envelope(b, await sas(replyBlobName(school.relay.wachtrij, b))));
    const statusOf = async (id: string) => {
      const blob = replies().getBlockBlobClient(replyBlobName(school.relay.wachtrij, id));
      for (;;) {
        const got = await blob.download().catch(() => undefined);
        if (got) {
          await blob.delete();
          return got.metadata?.status;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    expect([await statusOf(a), await statusOf(b)].sort()).toEqual(["200", "401"]);
    expect(relayLog.some((l) => l.includes('"reason":"REPLAYED"'))).toBe(true);
    expect(relayLog.some((l) => l.includes('"reason":"REPLY_URL"'))).toBe(true);
    expect(relayLog.some((l) => l.includes('"reason":"ENVELOPE"'))).toBe(true);
    expect(await replies().getBlockBlobClient(replyBlobName("relay-andere-school", elsewhere)).exists()).toBe(false);
    expect((await client.health()).status).toBe("ok");
  });

  it("gives the relay's SAS no right to put requests on its queue", async () => {
    await expect(new QueueClient(relayQueueUrl).sendMessage("{}")).rejects.toMatchObject({ statusCode: 403 });
  });

  it("a relay that is down: the request is withdrawn after the pickup timeout and never runs later", async () => {
    await stopQueueRelay();
    const pupil = (await f.client.snapshot(AP)).snapshot.leerlingen[2]!;
    const request = { requestId: `q-${randomBytes(8).toString("hex")}`, rowVersion: pupil.rowVersion ?? "", write: { soort: "ONDERWIJS_SINDS" as const, leerlingId: pupil.id, onderwijsSinds: "2021-08-01" } };
    await expect(clientWith(f.key, 1_500).write(request)).rejects.toMatchObject({ name: "TransientError", code: "RELAY_NOT_PICKED_UP" });
    expect((await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toEqual([]);
    await startQueueRelay();
    expect((await client.health()).status).toBe("ok");
    const stored = await f.sql.query("SELECT COUNT(*) AS n FROM dbo.RelayVerzoek WHERE RequestId = @r", [{ name: "r", type: TYPES.NVarChar, value: request.requestId }]);
    expect(Number(stored.rows[0]?.n)).toBe(0);
  });

  it("a relay that takes a request and never answers: the call fails after the answer timeout, as unreachable through the registry", async () => {
    await stopQueueRelay();
    try {
      // a stand-in for a hung relay: it takes the request off the queue with the relay's own SAS, and stays silent
      const hung = new QueueClient(relayQueueUrl);
      const taking = (async () => {
        for (;;) {
          const [m] = (await hung.receiveMessages({ numberOfMessages: 1 })).receivedMessageItems;
          if (m) return hung.deleteMessage(m.messageId, m.popReceipt);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const slow = createRelayClient({ channel: queueChannel({ queue, replies: replies(), key: f.key, pickupTimeoutMs: 1_000, answerTimeoutMs: 1_000 }) });
      await expect(slow.health()).rejects.toMatchObject({ name: "TransientError", code: "RELAY_TIMEOUT" });
      await taking;
    } finally {
      await startQueueRelay();
    }
  });

  it("through the registry: an unreachable school's relay fails fast with a Dutch reason and is marked unreachable until it answers again", async () => {
    const tables = tablesFromConnectionString(cs);
    const schools = createSchoolStore({ tables: (t) => tables(`qc${t}`) });
    const status = createRelayStatusStore({ tables: (t) => tables(`qc${t}`) });
    await schools.put(school);
    const relayFor = createRelayRouter({
      schools,
      status,
      now: () => new Date(),
      channelFor: async (s) => queueChannel({ queue: QueueServiceClient.fromConnectionString(cs).getQueueClient(s.relay.wachtrij), replies: replies(), key: f.key, pickupTimeoutMs: 1_500, answerTimeoutMs: 30_000 }),
    });
    expect((await relayFor(AP).health()).status).toBe("ok");
    expect(await status.get(school.id)).toMatchObject({ onbereikbaarSinds: null, laatsteContact: expect.any(String) });

    await stopQueueRelay();
    const err = await relayFor(AP).requireCompatibleVersion().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelayUnreachableError);
    expect((err as RelayUnreachableError).reden).toMatch(/^De relay van school De Queuetest is niet bereikbaar sinds \d{1,2} \w+ \d{4} om \d{2}:\d{2}: hij haalt geen verzoeken op\./);
    const down = await status.get(school.id);
    expect(down?.onbereikbaarSinds).toBe((err as RelayUnreachableError).sinds);
    // a second failure keeps the first moment
    await relayFor(AP).health().catch(() => undefined);
    expect((await status.get(school.id))?.onbereikbaarSinds).toBe(down?.onbereikbaarSinds);

    await startQueueRelay();
    expect((await relayFor(AP).health()).status).toBe("ok");
    expect(await status.get(school.id)).toMatchObject({ onbereikbaarSinds: null });
    // an aanleverpunt of no school is refused, not routed anywhere
    await expect(relayFor("99ZZ00").health()).rejects.toMatchObject({ name: "ExternalRejection", code: "SCHOOL_ONBEKEND" });
  });
});
