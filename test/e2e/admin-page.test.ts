import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../scripts/local-stack/index.js";
import type { Action } from "../../src/core/model.js";
import { ensureChromium, launchChromium, type HeadlessChromium } from "../support/chromium.js";

// The beheerpagina in real headless Chromium (Debian's /usr/bin/chromium through playwright-core)
// against the whole local stack: the unchanged app in the local Functions host, the relay over the
// TDS test server, the Key Vault stand-in and the BRON simulator; people sign in through the sign-in
// stand-in (emulators/signin) as App Service Authentication would let them. Requires `npm run build`.
// BEHEER_SCREENSHOT=/tmp/beheer.png saves a screenshot of the page waiting for decisions.

describe("beheerpagina in headless Chromium", () => {
  let stack: LocalStack;
  let browser: HeadlessChromium;
  let page: Page;
  let dir: string;
  let ap: string;
  const api = (path: string, init?: RequestInit) => stack.api(`/api/aanleverpunten/${ap}/${path}`, init);
  /** signs in through the stand-in's login page by picking a demo person, and waits for the beheerpagina */
  async function signIn(naam: string) {
    await page.goto(`${stack.functionsUrl}/api/beheer`);
    await page.getByRole("button", { name: naam, exact: true }).click();
    await page.waitForURL(`${stack.functionsUrl}/api/beheer**`);
    await page.waitForSelector("body[data-klaar]");
  }
  const actions = async () => ((await (await api("acties")).json()) as { acties: Action[] }).acties;
  const waitingRows = () => page.locator('#acties tbody tr:has(button[data-keuze])');

  beforeAll(async () => {
    ensureChromium(); // a one-time apt-get install on a fresh machine
    dir = mkdtempSync(join(tmpdir(), "bronsync-beheer-"));
    [stack, browser] = await Promise.all([
      startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 100 }),
      launchChromium(),
    ]);
    ap = stack.demo.aanleverpunten[0]!.code;
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the page loads and offers every aanleverpunt of the registered schools, with its certificate and relay status", async () => {
    await signIn(stack.access.beheerder.naam);
    expect(await page.locator("#aangemeld").textContent()).toBe(`Aangemeld als ${stack.access.beheerder.email} — Beheerder (alle scholen)`);
    expect(await page.getByRole("link", { name: "Afmelden" }).isVisible()).toBe(true);
    const options = await page.locator("#aanleverpunt option").evaluateAll((os) => os.map((o) => (o as { value: string }).value));
    expect(options).toEqual(stack.demo.aanleverpunten.map((a) => a.code));
    expect(await page.locator("#fase").textContent()).toContain("nog geen synchronisatie gelopen");
    expect(await page.locator("#certificaat").textContent()).toMatch(/Verloopt over \d+ dagen/);
    // the school's relay as the service last saw it (the page asks no relay)
    expect(await page.locator("#relay").textContent()).toContain("Nog geen contact gehad met de relay van school De Regenboog.");
  });

  it("a manual sync started with 'Synchroniseren' reaches 'Wacht op beslissing' and lists the waiting actions", async () => {
    await page.getByRole("button", { name: "Synchroniseren" }).click();
    await page.locator("#fase", { hasText: "Wacht op beslissing" }).waitFor({ timeout: 90_000 });
    await waitingRows().first().waitFor();
    const waiting = (await actions()).filter((a) => a.status === "OPEN" && a.needsDecision && a.decision === null);
    expect(await waitingRows().count()).toBe(waiting.length);
    if (process.env.BEHEER_SCREENSHOT) await page.screenshot({ path: process.env.BEHEER_SCREENSHOT, fullPage: true });
  }, 120_000);

  it("privacy: no BSN appears unmasked in the action list or the pupil overview", async () => {
    await Promise.all([page.waitForResponse((r) => r.url().includes("actielijst?toon=ALLE")), page.selectOption("#toon", "ALLE")]);
    // the pupil overview is its own view; the action list stays in the page (hidden) meanwhile
    await Promise.all([page.waitForResponse((r) => r.url().includes("/leerlingen")), page.locator("nav.tabs button[data-view='leerlingen']").click()]);
    await page.locator("#leerlingen tbody tr").first().waitFor();
    const html = await page.content();
    const numbers = new Set([
      ...stack.demo.bevolking.map((p) => p.bsn),
      ...stack.demo.lvs.flatMap((s) => s.leerlingen.flatMap((l) => (l.pgn ? [l.pgn.nummer] : []))),
      ...stack.demo.bron.flatMap((m) => m.leerlingen.flatMap((l) => (l.pgn ? [l.pgn.nummer] : []))),
    ]);
    expect(numbers.size).toBeGreaterThan(50);
    for (const n of numbers) expect(html).not.toContain(n);
    expect(await page.locator("#acties tbody tr").count()).toBeGreaterThan(0);
    expect(html).toContain("•••••");
    if (process.env.BEHEER_SCREENSHOT) await page.screenshot({ path: process.env.BEHEER_SCREENSHOT.replace(/\.png$/, "-alle.png"), fullPage: true });
    await page.locator("nav.tabs button[data-view='acties']").click();
    await Promise.all([page.waitForResponse((r) => r.url().includes("toon=WACHT_OP_BESLISSING")), page.selectOption("#toon", "WACHT_OP_BESLISSING")]);
  });

  it("an API refusal shows its Dutch melding: deciding an action removed meanwhile", async () => {
    const row = waitingRows().last();
    const id = (await row.getAttribute("data-actie"))!;
    expect((await api(`acties/${encodeURIComponent(id)}`, { method: "DELETE" })).status).toBe(200);
    await row.locator("button[data-keuze]").first().click();
    await expect.poll(() => page.locator("#fout").textContent()).toBe("Deze actie bestaat niet (meer).");
    expect(await page.locator("#fout").isVisible()).toBe(true);
  });

  it("deciding 'Negeren' with the keyboard makes the action Genegeerd, takes it off the waiting list and keeps focus in the list", async () => {
    const row = waitingRows().first();
    const id = (await row.getAttribute("data-actie"))!;
    await row.getByRole("button", { name: /^Negeren:/ }).focus();
    await page.keyboard.press("Enter");
    await page.locator("#info", { hasText: "Beslissing vastgelegd: Negeren." }).waitFor();
    expect((await actions()).find((a) => a.id === id)?.status).toBe("GENEGEERD");
    await page.locator(`#acties tbody tr[data-actie="${id}"]`).waitFor({ state: "detached" });
    expect(await page.locator("#fout").isVisible()).toBe(false);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } } }).document.activeElement.closest("#acties, #acties-kop") !== null)).toBe(true);
  });

  it("'Niet uitgevoerde acties verwijderen' asks first: Annuleren removes nothing, Verwijderen removes every open action", { timeout: 90_000 }, async () => {
    // the decision woke the run: let it check and send, and wait again, before counting
    await expect.poll(async () => ((await (await api("status")).json()) as { customStatus: { fase: string; ronde: number } }).customStatus, { timeout: 60_000 }).toMatchObject({ fase: "WACHT_OP_BESLISSING", ronde: 2 });
    const before = await actions();
    const open = before.filter((a) => a.status === "OPEN" || a.status === "GECONTROLEERD").length;
    const dialog = page.locator("dialog#bevestig");
    await page.getByRole("button", { name: "Niet uitgevoerde acties verwijderen" }).click();
    expect(await dialog.textContent()).toContain("niet uitgevoerde acties");
    await dialog.getByRole("button", { name: "Annuleren" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await actions()).length).toBe(before.length);

    await page.getByRole("button", { name: "Niet uitgevoerde acties verwijderen" }).click();
    await dialog.getByRole("button", { name: "Verwijderen" }).click();
    await page.locator("#info", { hasText: `${open} niet uitgevoerde ${open === 1 ? "actie" : "acties"} verwijderd.` }).waitFor();
    const after = await actions();
    expect(after.length).toBe(before.length - open);
    expect(after.filter((a) => a.status === "OPEN" || a.status === "GECONTROLEERD")).toEqual([]);
  });

  it("the admin API refuses a write from another website, and the page serves only its own files", async () => {
    const r = await api("acties/verwijder-niet-uitgevoerd", { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { melding: string }).melding).toContain("andere website");
    expect((await stack.api("/api/beheer/app.js")).headers.get("content-type")).toContain("javascript");
    expect((await stack.api("/api/beheer/..%2F..%2Fpackage.json")).status).toBe(404);
    expect((await stack.api("/api/beheer/api.ts")).status).toBe(404);
  });

  it("the Beheerder keeps the assignments on the page: the demo ones are listed, a new one appears", async () => {
    await page.locator("#toegang-sectie summary").click();
    await page.locator("#toewijzingen tbody tr").first().waitFor();
    expect(await page.locator("#toewijzingen tbody tr").count()).toBe(stack.access.toewijzingen.length);
    const [school] = stack.access.schools;
    await page.selectOption("#toewijzing-soort", "persoon");
    await page.fill("#toewijzing-wie", "nieuwe.collega@bronsync.example");
    await page.selectOption("#toewijzing-school", school!.id);
    await page.getByRole("button", { name: "Toewijzen" }).click();
    await page.locator('#toewijzingen tbody tr[data-wie="nieuwe.collega@bronsync.example"]').waitFor();
    expect(await page.locator("#info").textContent()).toBe("Toegewezen: nieuwe.collega@bronsync.example.");
  });

  it("'Afmelden', then signed in as the Schooladministratie of one school: only that school's aanleverpunten, no Toegang section", async () => {
    await page.getByRole("link", { name: "Afmelden" }).click();
    await page.waitForURL(/\/\.auth\/login\/aad/);
    const school = stack.access.schools[1]!;
    const person = stack.access.administratie(school.id);
    await page.getByRole("button", { name: person.naam, exact: true }).click();
    await page.waitForSelector("body[data-klaar]");
    expect(await page.locator("#aangemeld").textContent()).toBe(`Aangemeld als ${person.email} — Schooladministratie (${school.naam})`);
    const options = await page.locator("#aanleverpunt option").evaluateAll((os) => os.map((o) => (o as { value: string }).value));
    expect(options).toEqual(school.aanleverpunten.map((a) => a.code));
    expect(await page.locator("#toegang-sectie").isVisible()).toBe(false);
  });

  it("a person without a role sees the API's Dutch refusal on the page", async () => {
    await page.getByRole("link", { name: "Afmelden" }).click();
    await page.waitForURL(/\/\.auth\/login\/aad/);
    await page.getByRole("button", { name: stack.access.gast.naam, exact: true }).click();
    await page.waitForSelector("body[data-klaar]");
    await expect.poll(() => page.locator("#fout").textContent()).toBe("U heeft geen rol in BRON Sync (Beheerder of Schooladministratie). Vraag de beheerder om toegang.");
    expect(await page.locator("#fout").isVisible()).toBe(true);
  });
});
