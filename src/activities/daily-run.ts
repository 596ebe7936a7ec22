import type { QueueClient } from "@azure/storage-queue";
import type { SchoolStore } from "../adapters/state/schools.js";
import { spreadStarts } from "../core/spread.js";

/**
 * The daily run's fan-out (docs/scale.md "The daily run"): one sync request per aanleverpunt of every
 * school in the daily run, put on the sync queue with a visibility delay — the aanleverpunt's fixed,
 * hash-derived offset in the spreading window — so the queue trigger starts them spread over the
 * window instead of all in the same second. One orchestration per aanleverpunt stays guaranteed by
 * its fixed instance id (src/orchestrations/start-sync.ts). No relay is asked here: a school whose
 * relay is down gets its requests too, and only its own run finds out.
 */

export interface DailyRunDeps {
  schools: Pick<SchoolStore, "list">;
  /** the sync queue (SYNC_QUEUE on AzureWebJobsStorage) */
  queue: Pick<QueueClient, "sendMessage">;
  /** how the Functions host expects queue messages (host.json `extensions.queues.messageEncoding`) */
  encoding: "base64" | "none";
}

/** Requests put on the queue at once; each is one small PUT (docs/scale.md counts them). */
const PARALLEL = 16;

/**
 * `due`: whether an aanleverpunt's daily run starts now (its instellingen name this hour, Dutch time;
 * functions/sync.ts); without it every aanleverpunt of the schools in the daily run is put on the queue.
 */
export async function enqueueDailyRun(deps: DailyRunDeps, o: { windowSeconds: number; due?: (aanleverpunt: string) => Promise<boolean> }): Promise<{ aanleverpunten: number; laatsteStartSeconden: number }> {
  const schools = (await deps.schools.list()).filter((s) => s.instellingen.dagelijkseSync);
  const all = schools.flatMap((s) => s.aanleverpunten.map((a) => a.code));
  const due: string[] = [];
  for (let i = 0; i < all.length; i += PARALLEL) {
    const batch = all.slice(i, i + PARALLEL);
    const flags = o.due === undefined ? batch.map(() => true) : await Promise.all(batch.map((code) => o.due!(code)));
    batch.forEach((code, k) => flags[k] && due.push(code));
  }
  const plan = spreadStarts(due, o.windowSeconds);
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const item = plan[next++]!;
      const text = JSON.stringify({ aanleverpunt: item.aanleverpunt, aanleiding: "DAGELIJKS" });
      await deps.queue.sendMessage(deps.encoding === "base64" ? Buffer.from(text, "utf8").toString("base64") : text, {
        visibilityTimeout: item.offsetSeconds,
        // a request not started within a day is stale: the next day's run asks again
        messageTimeToLive: 86_400,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, plan.length) }, worker));
  return { aanleverpunten: plan.length, laatsteStartSeconden: plan.at(-1)?.offsetSeconds ?? 0 };
}
