import { randomBytes } from "node:crypto";
import { QueueServiceClient } from "@azure/storage-queue";
import { describe, expect, inject, it } from "vitest";
import { enqueueDailyRun } from "../../src/activities/daily-run.js";
import { createSchoolStore, defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { dailyRunDue } from "../../src/core/instellingen.js";
import { spreadStarts } from "../../src/core/spread.js";

// The daily run's fan-out on Azurite with the real queue SDK: one request per aanleverpunt of every
// school in the daily run, each hidden until its own offset, so the starts are spread.

const school = (id: string, brin: string, codes: string[], dagelijks = true): School => ({
  id, naam: id, brins: [brin],
  aanleverpunten: codes.map((code) => ({ code, naam: code })),
  relay: defaultRelayChannel(id),
  contact: { emails: [] },
  instellingen: { dagelijkseSync: dagelijks },
});

describe("the daily run's fan-out", () => {
  const conn = inject("azuriteConnectionString");
  const prefix = `dr${randomBytes(3).toString("hex")}`;

  it("queues every aanleverpunt of the schools in the daily run once, each visible only from its own offset", async () => {
    const schools = createSchoolStore({ tables: (t) => tablesFromConnectionString(conn)(`${prefix}${t}`) });
    const codes = Array.from({ length: 40 }, (_, i) => `12AB${String(i).padStart(2, "0")}`);
    await schools.put(school("groot", "12AB", codes));
    await schools.put(school("nieuw", "34CD", ["34CD00"], false)); // still onboarding: not in the daily run
    const queue = QueueServiceClient.fromConnectionString(conn).getQueueClient(`${prefix}-sync`);
    await queue.create();

    const out = await enqueueDailyRun({ schools, queue, encoding: "base64" }, { windowSeconds: 3600 });
    expect(out.aanleverpunten).toBe(40);
    const plan = spreadStarts(codes, 3600);
    expect(out.laatsteStartSeconden).toBe(plan.at(-1)!.offsetSeconds);
    const props = await queue.getProperties();
    expect(props.approximateMessagesCount).toBe(40);
    // only those whose offset is 0 can be seen now; the others are hidden by their visibility delay
    const visible = await queue.peekMessages({ numberOfMessages: 32 });
    const dueNow = plan.filter((p) => p.offsetSeconds === 0).map((p) => p.aanleverpunt);
    expect(visible.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, "base64").toString("utf8")).aanleverpunt).sort()).toEqual(dueNow.sort());
    expect(new Set(plan.map((p) => p.offsetSeconds)).size).toBeGreaterThan(30);

    // with no window every request is visible at once, as messages the queue trigger reads
    const flat = QueueServiceClient.fromConnectionString(conn).getQueueClient(`${prefix}-flat`);
    await flat.create();
    await enqueueDailyRun({ schools, queue: flat, encoding: "base64" }, { windowSeconds: 0 });
    const got = await flat.receiveMessages({ numberOfMessages: 32 });
    const more = await flat.receiveMessages({ numberOfMessages: 32 });
    const requests = [...got.receivedMessageItems, ...more.receivedMessageItems].map((m) => JSON.parse(Buffer.from(m.messageText, "base64").toString("utf8")));
    expect(requests.length).toBe(40);
    expect(new Set(requests.map((r) => r.aanleverpunt)).size).toBe(40);
    expect(requests.every((r) => r.aanleiding === "DAGELIJKS")).toBe(true);
  });

  it("with instellingen per aanleverpunt: only those whose hour it is are queued (each aanleverpunt in its own hour)", async () => {
    const schools = createSchoolStore({ tables: (t) => tablesFromConnectionString(conn)(`${prefix}u${t}`) });
    await schools.put(school("uren", "56EF", ["56EF00", "56EF01", "56EF02"]));
    const queue = QueueServiceClient.fromConnectionString(conn).getQueueClient(`${prefix}-uur`);
    await queue.create();
    const hour: Record<string, string> = { "56EF00": "05:00", "56EF01": "06:00", "56EF02": "05:00" };
    const at = new Date("2026-01-15T04:00:00Z"); // 05:00 in the Netherlands
    const out = await enqueueDailyRun({ schools, queue, encoding: "base64" }, { windowSeconds: 0, due: async (ap) => dailyRunDue({ tijdstip: hour[ap]! }, at) });
    expect(out.aanleverpunten).toBe(2);
    const got = await queue.receiveMessages({ numberOfMessages: 32 });
    expect(got.receivedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, "base64").toString("utf8")).aanleverpunt).sort()).toEqual(["56EF00", "56EF02"]);
  });
});
