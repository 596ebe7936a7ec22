import { randomBytes } from "node:crypto";
import { QueueClient, QueueServiceClient } from "@azure/storage-queue";
import { describe, expect, inject, it } from "vitest";
import { provisionRelayChannel, RELAY_ACCESS_DAYS, RELAY_POLICY, renewRelayAccess, revokeRelayAccess } from "../../src/adapters/lvs/channel-provisioning.js";
import { createSchoolStore, defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { renewRelayChannels } from "../../src/activities/relay-channels.js";

// A relay's queue access must not run out a year after onboarding: the daily renewal moves the stored
// access policy's expiry, and the SAS URL the relay holds keeps working unchanged. Real SDK against Azurite.

const DAY = 86_400_000;

function schoolNamed(): School {
  const id = `renew-${randomBytes(3).toString("hex")}`;
  return { id, naam: "De Verlenging", brins: ["12AB"], aanleverpunten: [{ code: "12AB00", naam: "" }], relay: defaultRelayChannel(id), contact: { emails: [] }, instellingen: { dagelijkseSync: true } };
}
const expiryOf = async (cs: string, school: School) =>
  (await QueueServiceClient.fromConnectionString(cs).getQueueClient(school.relay.wachtrij).getAccessPolicy()).signedIdentifiers.find((i) => i.id.startsWith(RELAY_POLICY))?.accessPolicy?.expiresOn;

describe("rule: a relay's access is renewed before it runs out, without a new URL; a revoked one stays revoked", () => {
  const cs = inject("azuriteConnectionString");

  it("far from its expiry nothing changes; within 60 days the expiry moves a year on, and the relay's own SAS URL still reads the queue", async () => {
    const school = schoolNamed();
    const now = new Date();
    const { queueUrl } = await provisionRelayChannel({ connectionString: cs, school, now, validDays: 200 });
    expect(await renewRelayAccess({ connectionString: cs, school, now })).toBe("NOG_GELDIG");

    const later = new Date(now.getTime() + 150 * DAY); // 50 days left
    expect(await renewRelayAccess({ connectionString: cs, school, now: later })).toBe("VERNIEUWD");
    // to the second (Azure Storage keeps whole seconds)
    expect(Math.floor(((await expiryOf(cs, school))?.getTime() ?? 0) / 1000)).toBe(Math.floor((later.getTime() + RELAY_ACCESS_DAYS * DAY) / 1000));
    expect(await renewRelayAccess({ connectionString: cs, school, now: later })).toBe("NOG_GELDIG");

    await QueueServiceClient.fromConnectionString(cs).getQueueClient(school.relay.wachtrij).sendMessage("eHl6");
    const received = await new QueueClient(queueUrl).receiveMessages();
    expect(received.receivedMessageItems).toHaveLength(1);
  });

  it("an expired SAS is refused by storage, and renewing it makes the same URL work again", async () => {
    const school = schoolNamed();
    const now = new Date();
    const { queueUrl } = await provisionRelayChannel({ connectionString: cs, school, now: new Date(now.getTime() - 400 * DAY), validDays: 366 });
    await expect(new QueueClient(queueUrl).receiveMessages()).rejects.toMatchObject({ statusCode: 403 });
    expect(await renewRelayAccess({ connectionString: cs, school, now })).toBe("VERNIEUWD");
    await expect(new QueueClient(queueUrl).receiveMessages()).resolves.toBeTruthy();
  });

  it("a revoked channel is not renewed: revocation sticks", async () => {
    const school = schoolNamed();
    const now = new Date();
    const { queueUrl } = await provisionRelayChannel({ connectionString: cs, school, now, validDays: 10 });
    await revokeRelayAccess({ connectionString: cs, school });
    expect(await renewRelayAccess({ connectionString: cs, school, now })).toBe("INGETROKKEN");
    await expect(new QueueClient(queueUrl).receiveMessages()).rejects.toMatchObject({ statusCode: 403 });
  });

  it("providing a school's channel again (a new registration) ends the SAS handed out before: a revoked or stolen URL never comes back", async () => {
    const school = schoolNamed();
    const now = new Date();
    const first = await provisionRelayChannel({ connectionString: cs, school, now });
    await revokeRelayAccess({ connectionString: cs, school });
    const second = await provisionRelayChannel({ connectionString: cs, school, now: new Date(now.getTime() + 1000) });
    expect(second.queueUrl).not.toBe(first.queueUrl);
    await expect(new QueueClient(first.queueUrl).receiveMessages()).rejects.toMatchObject({ statusCode: 403 });
    await expect(new QueueClient(second.queueUrl).receiveMessages()).resolves.toBeTruthy();
    // and the renewal keeps the current one going
    expect(await renewRelayAccess({ connectionString: cs, school, now: new Date(now.getTime() + 320 * DAY) })).toBe("VERNIEUWD");
    await expect(new QueueClient(second.queueUrl).receiveMessages()).resolves.toBeTruthy();
  });

  it("a school whose queue does not exist is reported, not created", async () => {
    const school = schoolNamed();
    expect(await renewRelayAccess({ connectionString: cs, school, now: new Date() })).toBe("INGETROKKEN");
    expect(await QueueServiceClient.fromConnectionString(cs).getQueueClient(school.relay.wachtrij).exists()).toBe(false);
  });

  it("the daily renewal goes through every school in the registry and counts what it did", async () => {
    const [due, fine] = [schoolNamed(), schoolNamed()];
    const now = new Date();
    await provisionRelayChannel({ connectionString: cs, school: due, now, validDays: 5 });
    await provisionRelayChannel({ connectionString: cs, school: fine, now });
    const tables = tablesFromConnectionString(cs);
    const prefix = `renew${randomBytes(2).toString("hex")}`;
    const schools = createSchoolStore({ tables: (name) => tables(`${prefix}${name}`) });
    await schools.put({ ...due, aanleverpunten: [{ code: "12AB01", naam: "" }] });
    await schools.put({ ...fine, aanleverpunten: [{ code: "12AB02", naam: "" }] });
    const counts = await renewRelayChannels({ schools, channelConnection: async () => cs, now: () => now });
    expect(counts).toEqual({ VERNIEUWD: 1, NOG_GELDIG: 1, INGETROKKEN: 0, FOUT: 0 });
  });
});
