import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { provisionRelayChannel } from "../../src/adapters/lvs/channel-provisioning.js";
import { queueChannel } from "../../src/adapters/lvs/queue-channel.js";
import { createRelayClient } from "../../src/adapters/lvs/relay-client.js";
import { defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import { REPLY_CONTAINER } from "../../src/contracts/relay/queue-channel.js";
import { compareVersie, MINIMUM_RELAY_VERSIE, relayTooOldReason } from "../../src/core/relay-versie.js";
import { IncompatibleVersionError } from "../../src/errors.js";
import { RELAY_VERSION, startRelay } from "../../src/relay/app.js";
import { memoryLog } from "../../src/relay/log.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { startRelayFixture, type RelayFixture } from "./relay-fixture.js";

// A relay below the cloud's minimum version (src/core/relay-versie.ts) is refused on every contact with
// a Dutch reason, never half-served: the version check before a run (health), and every answer over
// the queue channel, which carries the relay's version in the answer's metadata. The real relay (a test
// seam fakes its version) over the TDS test server, the queue over Azurite.

const OLD = "0.0.1";
const AP = "12AB00";

describe("a relay below the minimum version", () => {
  let f: RelayFixture;
  beforeAll(async () => {
    f = await startRelayFixture({ leerlingen: 5 });
  });
  afterAll(async () => {
    await f?.stop();
  });

  it("this build is at least the minimum (else the cloud would refuse its own relay)", () => {
    expect(compareVersie(RELAY_VERSION, MINIMUM_RELAY_VERSIE)).toBeGreaterThanOrEqual(0);
  });

  it("is refused by the version check before a run (over HTTPS), with the Dutch reason", async () => {
    const old = await startRelay(loadRelayConfig(f.relayEnv), { log: memoryLog().log, relayVersion: OLD });
    try {
      const client = createRelayClient({ baseUrl: old.url, key: f.key, ca: f.ca });
      const e = await client.requireCompatibleVersion().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(IncompatibleVersionError);
      expect(e).toMatchObject({ reden: relayTooOldReason(OLD), theirs: OLD, ours: MINIMUM_RELAY_VERSIE, retryable: false });
    } finally {
      await old.stop();
    }
  });

  it("over the queue channel every answer carries the relay's version; an old relay's answers are not used", async () => {
    const cs = inject("azuriteConnectionString");
    const id = `minver-${randomBytes(3).toString("hex")}`;
    const school: School = { id, naam: "De Oude", brins: ["12AB"], aanleverpunten: [{ code: AP, naam: "" }], relay: defaultRelayChannel(id), contact: { emails: [] }, instellingen: { dagelijkseSync: true } };
    const channel = await provisionRelayChannel({ connectionString: cs, school, now: new Date() });
    const replies = BlobServiceClient.fromConnectionString(cs).getContainerClient(REPLY_CONTAINER);
    const env = { ...f.relayEnv, RELAY_TRANSPORT: "queue", RELAY_QUEUE_URL: channel.queueUrl, RELAY_REPLY_CONTAINER_URL: replies.url, RELAY_POLL_IDLE_SECONDS: "1", RELAY_POLL_ACTIVE_MS: "100" };
    const client = createRelayClient({ channel: queueChannel({ queue: QueueServiceClient.fromConnectionString(cs).getQueueClient(school.relay.wachtrij), replies, key: f.key, pickupTimeoutMs: 10_000, answerTimeoutMs: 30_000 }) });

    const current = await startRelay(loadRelayConfig(env), { log: memoryLog().log });
    try {
      expect((await client.aanleverpunten()).map((a) => a.code)).toContain(AP);
    } finally {
      await current.stop();
    }
    const old = await startRelay(loadRelayConfig(env), { log: memoryLog().log, relayVersion: OLD });
    try {
      const e = await client.aanleverpunten().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(IncompatibleVersionError); // so a run ends GEWEIGERD with its reden
      expect(e).toMatchObject({ name: "RelayTooOldError", reden: relayTooOldReason(OLD), theirs: OLD });
      await expect(client.snapshotViaStream(AP)).rejects.toBeInstanceOf(IncompatibleVersionError);
    } finally {
      await old.stop();
    }
  });
});
