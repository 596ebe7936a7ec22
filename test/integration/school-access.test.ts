import { HttpRequest } from "@azure/functions";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { principalHeadersOf } from "../../emulators/signin/server.js";
import { demoAccess, seedDemoAccess, type DemoAccess } from "../../scripts/local-stack/access.js";

// The helpers a handler may ask beyond its own route (functions/school-access.ts: overviews across
// aanleverpunten), with the real @azure/functions request and the assignment and school tables in
// Azurite, seeded as the local stack seeds them.

let access: DemoAccess;
let mayActFor: typeof import("../../functions/school-access.js").mayActFor;
let visibleAanleverpunten: typeof import("../../functions/school-access.js").visibleAanleverpunten;
const ALL = ["12AB00", "12AB01", "34CD00", "56EF00", "99ZZ00"];

beforeAll(async () => {
  const storage = inject("azuriteConnectionString");
  // the app's configuration comes from the environment, read once on first use
  Object.assign(process.env, {
    AzureWebJobsStorage: storage,
    AZURE_CREDENTIAL: "dev-static-token",
    BRON_ENDPOINT: "https://127.0.0.1:9/bron",
    BRON_OIN: "00000001800866472000",
    KEY_VAULT_URL: "http://127.0.0.1:9",
    RELAY_BASE_URL: "https://127.0.0.1:9",
    RELAY_KEY_SECRET_NAME: "relay-hmac-key",
  });
  access = demoAccess({ aanleverpunten: [
    { code: "12AB00", naam: "De Regenboog", brin: "12AB", vestigingen: ["12AB00"] },
    { code: "12AB01", naam: "De Regenboog, ambulant", brin: "12AB", vestigingen: ["12AB01"] },
    { code: "34CD00", naam: "De Horizon", brin: "34CD", vestigingen: ["34CD00"] },
    { code: "56EF00", naam: "SBO De Wissel", brin: "56EF", vestigingen: ["56EF00"] },
  ] });
  await seedDemoAccess(storage, access, new Date());
  ({ mayActFor, visibleAanleverpunten } = await import("../../functions/school-access.js"));
});

const request = (headers: Record<string, string>) => new HttpRequest({ method: "GET", url: "https://bronsync.example/api/x", headers });

describe("school-access helpers", () => {
  it("a school's person acts for that school's aanleverpunten only, also when assigned through a group", async () => {
    const [a, b] = access.schools;
    const asA = request(principalHeadersOf(access.administratie(a!.id)));
    const asB = request(principalHeadersOf(access.administratie(b!.id)));
    expect(await mayActFor(asA, "12AB01")).toBe(true);
    expect(await mayActFor(asA, "34CD00")).toBe(false);
    expect(await mayActFor(asB, "34CD00")).toBe(true);
    expect(await visibleAanleverpunten(asA, ALL)).toEqual(["12AB00", "12AB01"]);
    expect(await visibleAanleverpunten(asB, ALL)).toEqual(["34CD00"]);
  });

  it("the Beheerder sees every aanleverpunt, also one of no known school; no principal or no role: none", async () => {
    const beheerder = request(principalHeadersOf(access.beheerder));
    expect(await visibleAanleverpunten(beheerder, ALL)).toEqual(ALL);
    expect(await mayActFor(beheerder, "99ZZ00")).toBe(true);
    expect(await visibleAanleverpunten(request({}), ALL)).toEqual([]);
    expect(await mayActFor(request({}), "12AB00")).toBe(false);
    expect(await visibleAanleverpunten(request(principalHeadersOf(access.gast)), ALL)).toEqual([]);
  });
});
