import { BlobServiceClient } from "@azure/storage-blob";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createStateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { reasonFor } from "../../src/core/action-reasons.js";
import { addDays, dutchDay } from "../../src/core/dates.js";
import type { Action, Signal } from "../../src/core/model.js";
import { ensureChromium, launchChromium } from "../../test/support/chromium.js";
import { startLocalStack } from "../local-stack/index.js";

/**
 * The beheerpagina with a big action list: one aanleverpunt holding 5,000 actions (the list a first
 * delivery of a large school can leave), opened in headless Chromium through the sign-in stand-in.
 * Prints the time from navigation until the action list is usable (its first rows shown, the page
 * done loading: what a person waits for), median of a few loads, and the bytes the API sends per
 * action for the list (machine-independent). Targets: under 1 s, under 1 KB per action.
 */
const ACTIONS = Number(process.env.BENCH_PAGE_ACTIONS ?? 5000);
const LOADS = 5;
const dir = mkdtempSync(join(tmpdir(), "bench-beheer-"));
const today = dutchDay(new Date());
const stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 40 });
ensureChromium();
const browser = await launchChromium();
try {
  const ap = stack.demo.aanleverpunten[0]!.code;
  const { actions, signals } = bigList(ap, ACTIONS);
  const state = createStateStore({ tables: tablesFromConnectionString(stack.azurite.connectionString), blobs: BlobServiceClient.fromConnectionString(stack.azurite.connectionString).getContainerClient("state-blobs") });
  await state.updateActions(ap, [], actions);
  await state.saveSignals(ap, signals);

  const list = await (await stack.api(`/api/aanleverpunten/${ap}/actielijst?toon=ALLE`)).text();
  const shown = (JSON.parse(list) as { acties: unknown[] }).acties.length;
  const aandacht = await (await stack.api(`/api/aanleverpunten/${ap}/actielijst`)).text();
  const waiting = (JSON.parse(aandacht) as { acties: unknown[] }).acties.length;

  if (process.env.BENCH_PAGE_DETAIL) {
    for (const path of ["/api/ik", "/api/aanleverpunten", "/api/aanleverpunten", `/api/aanleverpunten/${ap}/voortgang`, `/api/aanleverpunten/${ap}/actielijst`, `/api/aanleverpunten/${ap}/actielijst`, "/api/beheer", "/api/beheer/app.js"]) {
      const t = performance.now();
      await (await stack.api(path)).arrayBuffer();
      console.log(`  ${path}: ${(performance.now() - t).toFixed(0)} ms`);
    }
  }
  const page = await browser.context.newPage();
  await page.goto(`${stack.functionsUrl}/api/beheer`);
  await page.getByRole("button", { name: stack.access.beheerder.naam, exact: true }).click();
  await page.waitForSelector("body[data-klaar]");
  const times: number[] = [];
  const outside: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto("about:blank");
    const t0 = performance.now();
    await page.goto(`${stack.functionsUrl}/api/beheer#${ap}`, { waitUntil: "commit" });
    const t1 = performance.now();
    await page.waitForSelector("body[data-klaar]");
    const t2 = performance.now();
    await page.locator("#acties tbody tr").first().waitFor();
    // the page's own clock: from the start of navigation until the first rows of the list are shown
    times.push(await page.evaluate(() => (globalThis as unknown as { performance: { getEntriesByName(n: string): { startTime: number }[] } }).performance.getEntriesByName("actielijst-getoond")[0]?.startTime ?? NaN));
    outside.push(performance.now() - t0);
    if (process.env.BENCH_PAGE_DETAIL) console.log(`  load ${i}: commit ${(t1 - t0).toFixed(0)} ms, klaar ${(t2 - t0).toFixed(0)} ms, rows ${(performance.now() - t0).toFixed(0)} ms`);
  }
  if (process.env.BENCH_PAGE_DETAIL) {
    const entries = await page.evaluate(() =>
      (globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string; startTime: number; duration: number; responseEnd: number }[] } }).performance
        .getEntriesByType("resource")
        .concat((globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string; startTime: number; duration: number; responseEnd: number }[] } }).performance.getEntriesByType("mark"))
        .map((e) => `${e.name.replace(/^https?:\/\/[^/]+/, "")} start ${e.startTime.toFixed(0)} dur ${e.duration.toFixed(0)}`),
    );
    console.log(entries.join("\n"));
  }
  const rows = await page.locator("#acties tbody tr").count();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`beheerpagina with ${ACTIONS} actions on ${ap} (${waiting} asking attention, the default filter); machine load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores:`);
  outside.sort((a, b) => a - b);
  console.log(`  navigation until the action list is usable (the page's clock): median ${median.toFixed(0)} ms (of ${LOADS}: ${times.map((t) => t.toFixed(0)).join(", ")} ms); target < 1000 ms ${median < 1000 ? "✓" : "✗"}`);
  console.log(`  as the test driver sees it (with Playwright's own polling): median ${outside[Math.floor(outside.length / 2)]!.toFixed(0)} ms`);
  console.log(`  rows in the page at first: ${rows} (more on 'Toon meer')`);
  console.log(`  API bytes per action (actielijst, all ${shown}): ${(Buffer.byteLength(list) / shown).toFixed(0)} B; target < 1024 B ${Buffer.byteLength(list) / shown < 1024 ? "✓" : "✗"}`);
} finally {
  await browser.close();
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** A list as a first delivery of a big school leaves it: differences to decide, some blocked by an afkeur, sent ones. */
function bigList(ap: string, n: number): { actions: Action[]; signals: Signal[] } {
  const actions: Action[] = [];
  const signals: Signal[] = [];
  for (let i = 0; i < n; i++) {
    const leerlingId = String(200_000 + i);
    const since = addDays(today, -(i % 20));
    const deadline = { windowDays: 14 as const, since, due: addDays(since, 14), daysLeft: 14 - (i % 20) };
    const base = { manual: false, aanleverpunt: ap, leerlingId, fingerprint: `fp-${i}`, decision: null };
    switch (i % 4) {
      case 0: {
        const fields = [{ field: "leerjaar", lvs: 5, bron: 4 }];
        actions.push({ ...base, id: `WO-${leerlingId}-0-${i.toString(16)}`, type: "WIJZIGING_ONDERWIJSGEGEVENS", direction: "BRON", inschrijvingId: `I${i}`, fields, deadline, reason: reasonFor({ type: "WIJZIGING_ONDERWIJSGEGEVENS", fields, today }), status: "OPEN", needsDecision: true });
        break;
      }
      case 1: {
        const fields = [{ field: "adres.straat", lvs: "Dorpsstraat", bron: "Kerkstraat" }, { field: "adres.postcode", lvs: "1234AB", bron: "1234AC" }];
        actions.push({ ...base, id: `OA-${leerlingId}-0-${i.toString(16)}`, type: "OVERNEMEN_ADRES_IN_LVS", direction: "LVS", inschrijvingId: null, fields, deadline, reason: reasonFor({ type: "OVERNEMEN_ADRES_IN_LVS", fields, today }), status: "OPEN", needsDecision: true });
        break;
      }
      case 2: {
        const fields = [{ field: "inschrijfdatum", lvs: since, bron: null }, { field: "leerjaar", lvs: 3, bron: null }];
        const id = `NI-${leerlingId}-0-${i.toString(16)}`;
        actions.push({ ...base, id, type: "NIEUWE_INSCHRIJVING", direction: "BRON", inschrijvingId: `I${i}`, fields, deadline: { ...deadline, windowDays: 7, due: addDays(since, 7) }, reason: reasonFor({ type: "NIEUWE_INSCHRIJVING", fields, today, inschrijfdatum: since }), status: "OPEN", needsDecision: false });
        signals.push({ code: "LEERJAAR_NIET_BEREKENBAAR", ernst: "AFKEUR", tekst: "Onderwijs Sinds ontbreekt: leerjaar niet te berekenen", actionId: id, field: "onderwijsSinds" });
        break;
      }
      default: {
        const fields = [{ field: "geslacht", lvs: "M", bron: "V" }];
        actions.push({ ...base, id: `WS-${leerlingId}-0-${i.toString(16)}`, type: "WIJZIGING_SLEUTELGEGEVENS", direction: "BRON", inschrijvingId: null, fields, deadline, reason: reasonFor({ type: "WIJZIGING_SLEUTELGEGEVENS", fields, today }), status: "OPEN", needsDecision: true });
      }
    }
  }
  return { actions, signals };
}
