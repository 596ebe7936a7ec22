import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { startFunctionsHost, type FunctionsHost } from "../../emulators/functions-host/index.js";
import { getStatus } from "../../emulators/functions-host/test-client.js";
import { principalHeadersOf } from "../../emulators/signin/server.js";

// The app's manual start route (functions/api.ts) in the local Functions host, against Azurite: many
// administrators pressing "start" at once get one run and one 202; the others a 409 with a Dutch
// melding. Loads the built app (dist/functions/*.js): run `npm run build` first (npm test does).
// Key Vault, BRON and the relay are unreachable on purpose: the run then waits in its retry timer.

const repoRoot = join(import.meta.dirname, "..", "..");
const run = Date.now() % 100000;
/** the principal App Service Authentication forwards for a signed-in Beheerder */
const beheerder = principalHeadersOf({ id: "00000000-0000-4000-8000-000000000001", naam: "Beheerder", email: "beheerder@bronsync.example", rollen: ["Beheerder"], groepen: [], omschrijving: "alle scholen" });
let host: FunctionsHost;

beforeAll(async () => {
  const storage = inject("azuriteConnectionString");
  host = await startFunctionsHost({
    appRoot: repoRoot,
    storageConnectionString: storage,
    port: 0,
    logLevel: "critical",
    env: {
      AzureWebJobsStorage: storage,
      AZURE_CREDENTIAL: "dev-static-token",
      DURABLE_TASK_HUB: `appstart${run}`,
      BRON_ENDPOINT: "https://127.0.0.1:9/bron",
      BRON_OIN: "00000001800866472000",
      KEY_VAULT_URL: "http://127.0.0.1:9",
      SYNC_SCHEDULE: "0 0 0 1 1 *",
      DIGEST_SCHEDULE: "0 0 0 1 1 *",
    },
  });
});

afterAll(async () => {
  await host?.stop();
});

describe("manual start of a sync (POST /api/aanleverpunten/{ap}/sync)", () => {
  it("twenty concurrent starts of one aanleverpunt: exactly one 202, the rest 409 with a Dutch melding", async () => {
    const ap = `${String(run % 100).padStart(2, "0")}XY00`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await fetch(`${host.url}/api/aanleverpunten/${ap}/sync`, { method: "POST", headers: beheerder });
        return { status: res.status, body: (await res.json()) as { fout?: string; melding?: string; instanceId?: string } };
      }),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([202, ...Array<number>(19).fill(409)]);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.fout).toBe("SYNC_LOOPT_AL");
      expect(a.body.melding).toMatch(/synchronisatie/);
    }
    const status = await getStatus(host.rpcBaseUrl, `sync-${ap}`);
    expect(["Pending", "Running"]).toContain(status?.runtimeStatus);
  });
});
