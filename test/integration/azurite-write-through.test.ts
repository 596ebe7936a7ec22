import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TableClient } from "@azure/data-tables";
import { QueueClient } from "@azure/storage-queue";
import { afterAll, describe, expect, it } from "vitest";
import { startAzurite, type AzuriteHandle } from "../../scripts/local-stack/azurite.js";

// The fault suite kills Azurite with SIGKILL. Plain Azurite keeps its metadata in memory and saves it
// every 5 s, so a kill rolls storage back by writes it had already acknowledged — Azure Storage never
// does. In write-through mode (scripts/local-stack/azurite-write-through.ts) every acknowledged write
// survives a kill -9 and a restart on the same folder. Requires `npm run build` (the launcher runs from dist/).

describe("Azurite in write-through mode (local stack, fault suite)", () => {
  const dir = mkdtempSync(join(tmpdir(), "azurite-wt-"));
  let azurite: AzuriteHandle | undefined;
  afterAll(async () => {
    await azurite?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every write it acknowledged through kill -9 and a restart on the same folder", async () => {
    azurite = await startAzurite({ location: dir, writeThrough: true });
    const cs = azurite.connectionString;
    const table = TableClient.fromConnectionString(cs, "writethrough", { allowInsecureConnection: true });
    await table.createTable();
    for (let i = 0; i < 20; i++) await table.upsertEntity({ partitionKey: "p", rowKey: `r${i}`, n: i }, "Replace");
    await table.updateEntity({ partitionKey: "p", rowKey: "r0", n: 100 }, "Merge");
    const queue = new QueueClient(cs, "writethrough");
    await queue.create();
    await queue.sendMessage("een");
    await queue.sendMessage("twee");

    // kill -9 at once after the last acknowledgement, then start again on the same ports and folder
    await azurite.kill();
    azurite = await startAzurite({ location: dir, writeThrough: true, ports: { blob: azurite.blobPort, queue: azurite.queuePort, table: azurite.tablePort } });

    const rows: { rowKey?: string; n?: number }[] = [];
    for await (const e of table.listEntities<{ n: number }>()) rows.push(e);
    expect(rows).toHaveLength(20);
    expect(rows.find((r) => r.rowKey === "r0")?.n).toBe(100);
    const peeked = await queue.peekMessages({ numberOfMessages: 5 });
    expect(peeked.peekedMessageItems.map((m) => m.messageText)).toEqual(["een", "twee"]);
  }, 60_000);
});
