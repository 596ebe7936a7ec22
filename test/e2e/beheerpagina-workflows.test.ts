import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { TYPES } from "tedious";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../scripts/local-stack/index.js";
import { parseCsv } from "../../src/core/csv.js";
import { addDays, dutchDay } from "../../src/core/dates.js";
import type { Action, Adres, BronInschrijving, BronLeerling, Inschrijving, Leerling } from "../../src/core/model.js";
import { createSqlPool, type SqlPool } from "../../src/relay/sql/connection.js";
import { ensureChromium, launchChromium, type HeadlessChromium } from "../support/chromium.js";

// Issue 11: the beheerpagina does the administrator's whole job. Each workflow is walked in real headless
// Chromium (Debian's chromium through playwright-core) on the whole local stack: the unchanged app in the
// local Functions host, the relay over the TDS test server, the Key Vault stand-in and the BRON simulator.
// The school's own changes to LVS2000 go through T-SQL over TDS, as LVS2000 would make them. Screenshots of
// every view (1400 px and 390 px) are written to test-artifacts/beheerpagina/ (git-ignored); axe-core is
// run in every view at both widths. Requires `npm run build`.

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = join(root, "test-artifacts", "beheerpagina");
const AXE = readFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");
const VIEWS = ["acties", "leerlingen", "onderwijs-sinds", "overzicht", "termijnen", "logboek", "instellingen"] as const;

type Status = { runtimeStatus: string; customStatus: { fase?: string; ronde?: number } | null };

/** A pupil whose LVS2000 record and BRON registration agree in everything a determination compares. */
function cleanPupils(stack: LocalStack, ap: string): { leerling: Leerling; inschrijving: Inschrijving }[] {
  const lvs = stack.demo.lvs.find((s) => s.aanleverpunt === ap)!;
  const bron = stack.demo.bron.find((m) => m.aanleverpunt === ap)!;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const sameAdres = (a: Adres | null, b: Adres | null) => a !== null && b !== null && same({ ...a }, { ...b });
  const persoon = (p: Leerling | BronLeerling) => [p.pgn, p.voornamen, p.voorvoegsels, p.achternaam, p.geslacht, p.geboortedatum, [...p.nationaliteiten].sort()];
  // every field BRON holds of an enrolment, compared with LVS2000's
  const enrolment = (i: Inschrijving | BronInschrijving, b: BronInschrijving) =>
    Object.keys(b).filter((k) => !["inschrijvingId", "leerlingId", "aanleverpunt"].includes(k)).map((k) => JSON.stringify((i as unknown as Record<string, unknown>)[k] ?? null));
  const out: { leerling: Leerling; inschrijving: Inschrijving }[] = [];
  for (const l of lvs.leerlingen) {
    const b = bron.leerlingen.find((x) => x.leerlingId === l.id);
    const mine = lvs.inschrijvingen.filter((i) => i.leerlingId === l.id);
    const ins = mine[0];
    const bi = ins && bron.inschrijvingen.find((x) => x.inschrijvingId === ins.id);
    if (!b || !ins || !bi || mine.length !== 1 || l.pgn?.soort !== "BSN" || l.onderwijsSinds === null) continue;
    if (ins.schoolsoort !== "BAO" || ins.leerjaar === null || ins.leerjaar < 1 || ins.uitschrijfdatum !== null || l.adres?.land !== "6030") continue;
    if (!same(persoon(l), persoon(b)) || !sameAdres(l.adres, b.gbaAdres) || !same(enrolment(ins, bi), enrolment(bi, bi))) continue;
    if (bron.inschrijvingen.filter((x) => x.leerlingId === l.id).length !== 1 || bron.historisch.some((x) => x.leerlingId === l.id)) continue;
    out.push({ leerling: l, inschrijving: ins });
  }
  return out;
}

describe("beheerpagina: the administrator's whole job (issue 11)", () => {
  let stack: LocalStack;
  let browser: HeadlessChromium;
  let page: Page;
  let dir: string;
  let lvs: SqlPool;
  let apA: string;
  let apB: string;
  let apC: string;
  let apD: string;
  let pAddr: Leerling;
  let pOs: { leerling: Leerling; inschrijving: Inschrijving };
  let pOs2: Leerling;
  let pId: { leerling: Leerling; inschrijving: Inschrijving };
  const today = dutchDay(new Date());

  /** the API as the Beheerder, through the sign-in stand-in */
  const api = (ap: string, path: string, init?: RequestInit) => stack.api(`/api/aanleverpunten/${ap}/${path}`, init);
  const actions = async (ap: string) => ((await (await api(ap, "acties")).json()) as { acties: Action[] }).acties;
  const status = async (ap: string) => ((await (await api(ap, "status")).json()) as Status);
  const post = (ap: string, path: string, body: unknown, method = "POST") => api(ap, path, { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  const sql = (text: string, params: { name: string; value: unknown; type?: unknown }[] = []) =>
    lvs.query(text, params.map((p) => ({ name: p.name, value: p.value, type: (p.type ?? TYPES.NVarChar) as (typeof TYPES)[keyof typeof TYPES] })));
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const view = async (v: (typeof VIEWS)[number]) => {
    await page.locator(`nav.tabs button[data-view="${v}"]`).click();
    await page.locator(`#view-${v}`).waitFor({ state: "visible" });
  };
  const open = async (ap: string) => {
    await page.goto("about:blank"); // another #aanleverpunt on the same page would not load it again
    await page.goto(`${stack.functionsUrl}/api/beheer#${ap}`);
    await page.waitForSelector("body[data-klaar]");
  };

  beforeAll(async () => {
    ensureChromium(); // a one-time apt-get install on a fresh machine
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "bronsync-beheer-werk-"));
    [stack, browser] = await Promise.all([
      startLocalStack({
        dataDir: dir,
        today: new Date().toISOString().slice(0, 10),
        hostPort: 0,
        persistent: false,
        leerlingen: 100,
        // BEHEER_HOST_LOG=/tmp/host.log keeps the Functions host's log lines (ids and counts only) for a look afterwards
        ...(process.env.BEHEER_HOST_LOG ? { onHostOutput: (line: string) => appendFileSync(process.env.BEHEER_HOST_LOG!, `${line}\n`) } : {}),
      }),
      launchChromium(),
    ]);
    [apA, apB, apC, apD] = stack.demo.aanleverpunten.map((a) => a.code) as [string, string, string, string];
    // the LVS2000 database of the school of aanleverpunt A
    lvs = createSqlPool(stack.schools.find((s) => s.aanleverpunten.includes(apA))!.lvs2000);
    const clean = cleanPupils(stack, apA);
    expect(clean.length).toBeGreaterThanOrEqual(4);
    [pAddr, pOs2] = [clean[0]!.leerling, clean[2]!.leerling];
    [pOs, pId] = [clean[1]!, clean[3]!];
    // the school's LVS2000 before the first synchronisation: an old address, a pupil leaving without Onderwijs Sinds, another without it
    await sql("UPDATE dbo.Adres SET Straat = @straat, Huisnummer = 3, Toevoeging = NULL, Postcode = @postcode, Plaats = @plaats WHERE LeerlingNummer = @id", [
      { name: "id", value: pAddr.id },
      { name: "straat", value: "Oude Molenweg" },
      { name: "postcode", value: "1234AB" },
      { name: "plaats", value: "Oudewater" },
    ]);
    await sql("UPDATE dbo.Leerling SET OnderwijsSinds = NULL WHERE LeerlingNummer = @id OR LeerlingNummer = @id2", [{ name: "id", value: pOs.leerling.id }, { name: "id2", value: pOs2.id }]);
    await sql("UPDATE dbo.Inschrijving SET Uitschrijfdatum = @uit, RedenUitschrijving = @reden WHERE InschrijvingId = @ins", [
      { name: "ins", value: pOs.inschrijving.id },
      { name: "uit", value: new Date(`${addDays(today, -1)}T00:00:00Z`), type: TYPES.DateTime },
      { name: "reden", value: "Verhuizing" },
    ]);
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    // signed in as the Beheerder through the sign-in stand-in (App Service Authentication's part); the session stays
    await page.goto(`${stack.functionsUrl}/api/beheer`);
    await page.getByRole("button", { name: stack.access.beheerder.naam, exact: true }).click();
    await page.waitForSelector("body[data-klaar]");
  }, 600_000);

  afterAll(async () => {
    await lvs?.close();
    await browser?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("instellingen per aanleverpunt: send mode, daily hour and waiting time are saved; BRON's URL, the relay and the certificate are shown read-only", async () => {
    await open(apB);
    await view("instellingen");
    await page.locator("#relay-status .label").waitFor();
    expect(await page.locator("#bron-url").textContent()).toContain(stack.bron.url);
    expect(await page.locator("#relay-status").textContent()).toMatch(/Bereikbaar.*LVS2000-database 2\.10\.\d+; laatste contact \d\d-\d\d-\d{4}/);
    expect(await page.locator("#cert-status").textContent()).toMatch(/Verloopt over \d+ dagen/);
    await page.getByLabel(/^Automatisch/).check();
    await page.getByLabel("Dagelijkse synchronisatie om").selectOption("06:00");
    await page.getByLabel("Wachten op beslissingen (uren)").fill("0");
    await page.getByRole("button", { name: "Instellingen opslaan" }).click();
    await page.locator("#info", { hasText: `Instellingen van ${apB} opgeslagen.` }).waitFor();
    expect(((await (await api(apB, "instellingen")).json()) as { instellingen: unknown }).instellingen).toEqual({ verzendwijze: "AUTOMATISCH", tijdstip: "06:00", wachttijdUren: 0 });
    await shot("instellingen-1400");
  });

  it("run progress: 'Synchroniseren' is followed live — phase, step and counts change without reloading — to the end", { timeout: 120_000 }, async () => {
    await view("acties");
    // what the page shows is recorded in the page itself; a reload would lose the marker
    await page.evaluate(() => {
      const w = globalThis as unknown as { zelfdePagina: boolean; gezien: string[]; document: { getElementById(id: string): { dataset: { fase?: string } } } };
      w.zelfdePagina = true;
      w.gezien = [];
      const fase = w.document.getElementById("fase");
      new (globalThis as unknown as { MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void } }).MutationObserver(() => {
        const f = fase.dataset.fase ?? "";
        if (w.gezien.at(-1) !== f) w.gezien.push(f);
      }).observe(fase, { attributes: true, childList: true, characterData: true, subtree: true });
    });
    await page.getByRole("button", { name: "Synchroniseren" }).click();
    await page.locator("#fase[data-fase='KLAAR']").waitFor({ timeout: 90_000 });
    const seen = await page.evaluate(() => (globalThis as unknown as { gezien: string[] }).gezien);
    expect(seen.at(-1)).toBe("KLAAR");
    expect(seen.filter((f) => ["TERUGKOPPELING_OPHALEN", "REGISTRATIEOVERZICHT", "ACTIES_BEPALEN", "CONTROLEREN", "VERZENDEN"].includes(f)).length).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => (globalThis as unknown as { zelfdePagina?: boolean }).zelfdePagina)).toBe(true);
    expect(await page.locator("#stappen li.klaar").count()).toBe(await page.locator("#stappen li").count());
    expect(await page.locator("#tellingen").textContent()).toMatch(/^\d+ acties?\b/);
    expect((await status(apB)).runtimeStatus).toBe("Completed");
  });

  it("seeing to decide: an address difference shows both addresses in full in its row, is decided 'Naar LVS2000' and the GBA address lands in LVS2000", { timeout: 150_000 }, async () => {
    await open(apA);
    await page.getByRole("button", { name: "Synchroniseren" }).click();
    await page.locator("#fase[data-fase='WACHT_OP_BESLISSING']").waitFor({ timeout: 90_000 });
    const row = page.locator("#acties tbody tr", { hasText: "Overnemen adresgegevens in LVS2000" }).filter({ hasText: pAddr.id });
    await row.waitFor();
    // the list masks the address; the row opens it in full on request
    expect(await row.textContent()).not.toContain("Oude Molenweg");
    await row.getByRole("button", { name: /^Bekijk gegevens/ }).click();
    const inzage = row.locator(".inzage");
    await inzage.waitFor();
    const gba = pAddr.adres!;
    const text = (await inzage.textContent()) ?? "";
    expect(text).toContain("Oude Molenweg 3, 1234AB Oudewater");
    expect(text).toContain(`${gba.straat} ${gba.huisnummer ?? ""}${gba.toevoeging ?? ""}`);
    expect(text).toContain(`${gba.postcode} ${gba.plaats}`);
    expect(text).toContain(`${pAddr.voornamen}`);
    await shot("acties-beslissing-inzage-1400");
    // the top of it, small enough for the README (docs/beheerpagina.png is a copy of one run's)
    await page.screenshot({ path: join(ARTIFACTS, "readme-acties-inzage.png"), fullPage: true, clip: { x: 0, y: 0, width: 1400, height: 1150 } });
    const id = (await row.getAttribute("data-actie"))!;
    await row.getByRole("button", { name: /^Naar LVS2000:/ }).click();
    await page.locator("#info", { hasText: "Beslissing vastgelegd: Naar LVS2000." }).waitFor();
    await expect.poll(async () => (await actions(apA)).find((a) => a.id === id)?.status, { timeout: 90_000 }).toBe("VERWERKT");
    const { rows } = await sql("SELECT Straat, Postcode, Plaats FROM dbo.Adres WHERE LeerlingNummer = @id", [{ name: "id", value: pAddr.id }]);
    expect(rows[0]).toMatchObject({ Straat: gba.straat, Postcode: gba.postcode, Plaats: gba.plaats });
  });

  it("the inzage is in the logboek: who, which pupil, when — found with the logboek's filters", async () => {
    await view("logboek");
    await page.locator("#lb-aanleverpunt").selectOption(apA);
    await page.locator("#lb-leerling").fill(pAddr.id);
    await page.locator("#lb-soort").selectOption("INZAGE");
    await page.locator("#lb-van").fill(today);
    await page.getByRole("button", { name: "Filteren" }).click();
    const regel = page.locator("#logboek tbody tr[data-soort='INZAGE']").first();
    await regel.waitFor();
    const t = (await regel.textContent()) ?? "";
    expect(t).toContain(stack.access.beheerder.email);
    expect(t).toContain(`leerlingId: ${pAddr.id}`);
    expect(t).toMatch(new RegExp(`${today.slice(8, 10)}-${today.slice(5, 7)}-${today.slice(0, 4)} \\d\\d:\\d\\d`));
    // a filter that matches nothing shows nothing
    await page.locator("#lb-door").fill("iemand anders");
    await page.getByRole("button", { name: "Filteren" }).click();
    await page.locator("#logboek-aantal", { hasText: "0 regels" }).waitFor();
    await page.locator("#lb-door").fill("");
  });

  it("Onderwijs Sinds: the blocked action shows its afkeur and what to fix; filling the proposal in LVS2000 makes it sendable; a pupil changed meanwhile is not overwritten", { timeout: 150_000 }, async () => {
    const blocked = (await actions(apA)).find((a) => a.leerlingId === pOs.leerling.id && a.type === "UITSCHRIJVING")!;
    expect(blocked.status).toBe("OPEN");
    await view("acties");
    const row = page.locator(`#acties tbody tr[data-actie="${blocked.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-geblokkeerd")).toBe("ja");
    expect(await row.textContent()).toContain("LEERJAAR_NIET_BEREKENBAAR");
    expect(await row.textContent()).toContain("Herstel: Vul 'Onderwijs Sinds'");

    await view("onderwijs-sinds");
    const mine = page.locator(`#onderwijs-sinds tbody tr[data-leerling-rij="${pOs.leerling.id}"]`);
    const other = page.locator(`#onderwijs-sinds tbody tr[data-leerling-rij="${pOs2.id}"]`);
    await mine.waitFor();
    await other.waitFor();
    const voorstel = await mine.locator("input[type=date]").inputValue();
    expect(voorstel).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await mine.textContent()).toMatch(/Eerste inschrijving in groep \d/);
    await shot("onderwijs-sinds-1400");
    // meanwhile someone saves the other pupil in LVS2000: its row version changes
    await sql("UPDATE dbo.Leerling SET GewijzigdOp = @nu WHERE LeerlingNummer = @id", [{ name: "id", value: pOs2.id }, { name: "nu", value: new Date(), type: TYPES.DateTime }]);
    await mine.getByRole("checkbox").check();
    await other.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Vul geselecteerde" }).click();
    await page.locator("dialog#bevestig").getByRole("button", { name: "Vullen in LVS2000" }).click();
    await page.locator("#info", { hasText: "1 leerling gevuld in LVS2000; 1 niet geschreven" }).waitFor();
    await expect.poll(() => other.locator("td[data-resultaat]").getAttribute("data-resultaat")).toBe("CONFLICT");
    const { rows } = await sql("SELECT LeerlingNummer, OnderwijsSinds FROM dbo.Leerling WHERE LeerlingNummer IN (@a, @b) ORDER BY LeerlingNummer", [{ name: "a", value: pOs.leerling.id }, { name: "b", value: pOs2.id }]);
    const byId = new Map(rows.map((r) => [String(r.LeerlingNummer), r.OnderwijsSinds as Date | null]));
    expect(byId.get(pOs.leerling.id)?.toISOString().slice(0, 10)).toBe(voorstel);
    expect(byId.get(pOs2.id)).toBeNull();
    // the run that waited reads LVS2000 again, checks the action without afkeur and sends it
    await expect.poll(async () => (await actions(apA)).find((a) => a.id === blocked.id)?.status, { timeout: 90_000 }).toMatch(/^(GECONTROLEERD|IN_VERZENDING|IN_BEHANDELING|GEACCEPTEERD)$/);
    const signals = ((await (await api(apA, "acties")).json()) as { signalen: { actionId: string | null; ernst: string }[] }).signalen;
    expect(signals.filter((s) => s.actionId === blocked.id && s.ernst === "AFKEUR")).toEqual([]);
  });

  it("handmatige acties: an identificatieverzoek started from the pupil's detail view is checked, sent to the BRON simulator and answered; a duplicate is refused with the Dutch reason shown", { timeout: 240_000 }, async () => {
    await view("leerlingen");
    await page.locator(`#leerlingen button[data-leerling="${pId.leerling.id}"]`).click();
    const dialog = page.locator("dialog#leerling");
    await dialog.locator("#leerling-naast").waitFor();
    // LVS2000 and BRON side by side, in full
    const naast = (await dialog.locator("#leerling-naast").textContent()) ?? "";
    expect(naast).toContain(pId.leerling.pgn!.nummer);
    expect(naast).toContain(pId.leerling.achternaam);
    await shot("leerling-detail-1400");
    await dialog.getByLabel("Actie").selectOption("IDENTIFICATIEVERZOEK");
    await dialog.getByLabel("Inschrijving").selectOption(pId.inschrijving.id);
    await dialog.getByRole("button", { name: "Actie maken" }).click();
    await dialog.locator("#handmatig-uitkomst", { hasText: "Identificatieverzoek is gemaakt" }).waitFor();
    // its check, at once: the pupil has a valid BSN already (an attentie, not an afkeur)
    expect(await dialog.locator("#handmatig-uitkomst").textContent()).toContain("al een geldig BSN");
    // the same again: refused by the core, the page shows the Dutch reason in the dialog
    await dialog.getByLabel("Actie").selectOption("IDENTIFICATIEVERZOEK");
    await dialog.getByRole("button", { name: "Actie maken" }).click();
    await expect.poll(() => dialog.locator(".fout").textContent()).toMatch(/^(Er staat al een open actie van dit soort voor deze leerling|Deze handmatige actie bestaat al)/);
    await dialog.getByRole("button", { name: "Sluiten" }).click();

    const manual = async () => (await actions(apA)).find((a) => a.type === "IDENTIFICATIEVERZOEK" && a.leerlingId === pId.leerling.id);
    // the waiting run was woken: it checks and sends the request
    await expect.poll(async () => (await manual())?.status, { timeout: 90_000 }).toMatch(/^(IN_BEHANDELING|GEACCEPTEERD)$/);
    expect(stack.bron.counters().mutaties ?? 0).toBeGreaterThan(0);

    // bulk: the differences still waiting are ignored at once, so the run ends
    await view("acties");
    await page.locator("#toon").selectOption("WACHT_OP_BESLISSING");
    const waiting = page.locator("#acties tbody tr input[data-kies]");
    await waiting.first().waitFor();
    const n = await waiting.count();
    await page.getByRole("checkbox", { name: "Selecteer alle getoonde acties die op een beslissing wachten" }).check();
    await page.locator("#bulk-aantal", { hasText: `${n} ${n === 1 ? "actie" : "acties"} geselecteerd` }).waitFor();
    await page.locator("#bulk").getByRole("button", { name: "Negeren" }).click();
    await page.locator("#info", { hasText: `${n} ${n === 1 ? "beslissing" : "beslissingen"} vastgelegd: Negeren.` }).waitFor();
    await expect.poll(async () => (await status(apA)).runtimeStatus, { timeout: 90_000 }).toBe("Completed");

    // the next run fetches BRON's answer: the identificatieverzoek is geaccepteerd, and the pupil's history shows it
    await page.locator("#toon").selectOption("AANDACHT");
    await page.getByRole("button", { name: "Synchroniseren" }).click();
    await expect.poll(async () => (await manual())?.status, { timeout: 120_000 }).toBe("GEACCEPTEERD");
    await expect.poll(async () => (await status(apA)).runtimeStatus, { timeout: 90_000 }).toBe("Completed");
    await view("leerlingen");
    await page.locator(`#leerlingen button[data-leerling="${pId.leerling.id}"]`).click();
    await dialog.locator("#leerling-naast").waitFor();
    expect(await dialog.textContent()).toContain("Identificatieverzoek");
    expect(await dialog.textContent()).toContain("Inschrijving geaccepteerd");
    await dialog.getByRole("button", { name: "Sluiten" }).click();
  });

  it("registratieoverzicht: one asked with a past peildatum arrives and is for viewing only — the page says why determination waits; a current one is asked next", { timeout: 180_000 }, async () => {
    await open(apC);
    await view("overzicht");
    const peildatum = addDays(today, -90);
    await page.locator("#ov-peildatum-invoer").fill(peildatum);
    await page.getByRole("button", { name: "Registratieoverzicht ophalen" }).click();
    await page.locator("#info", { hasText: "Historisch registratieoverzicht" }).waitFor();
    await expect.poll(async () => (await status(apC)).customStatus?.fase, { timeout: 90_000 }).toBe("GEWEIGERD");
    await view("overzicht");
    await page.locator("#ov-peildatum", { hasText: "historisch overzicht" }).waitFor();
    const reden = (await page.locator("#ov-reden").textContent()) ?? "";
    expect(reden).toContain("historisch overzicht");
    expect(reden).toContain("alleen om in te zien");
    expect(await page.locator("#ov-peildatum").textContent()).toContain(`${peildatum.slice(8, 10)}-${peildatum.slice(5, 7)}-${peildatum.slice(0, 4)}`);
    expect(Number(await page.locator("#ov-inschrijvingen").textContent())).toBeGreaterThan(0);
    await shot("registratieoverzicht-historisch-1400");
    await view("acties");
    // the page follows the run until it ended, refused with the reason
    await page.locator("#fase", { hasText: "historisch overzicht" }).waitFor();

    await view("overzicht");
    await page.locator("#ov-peildatum-invoer").fill(today);
    await page.getByRole("button", { name: "Registratieoverzicht ophalen" }).click();
    await page.locator("#info", { hasText: "Registratieoverzicht met peildatum" }).waitFor();
    await expect.poll(async () => (await status(apC)).customStatus?.fase, { timeout: 90_000 }).toMatch(/^(WACHT_OP_BESLISSING|KLAAR)$/);
    await view("overzicht");
    await expect.poll(() => page.locator("#ov-reden").isHidden()).toBe(true);
  });

  it("send mode 'Na bevestiging' (the manual's way): the run checks, then waits until 'Verwerken en verzenden' is pressed, and only then sends", { timeout: 180_000 }, async () => {
    await open(apD);
    await view("instellingen");
    await page.locator("#relay-status .label").waitFor();
    await page.getByLabel(/^Na bevestiging/).check();
    await page.getByRole("button", { name: "Instellingen opslaan" }).click();
    await page.locator("#info", { hasText: `Instellingen van ${apD} opgeslagen.` }).waitFor();
    await view("acties");
    const sentBefore = stack.bron.counters().mutaties ?? 0;
    await page.getByRole("button", { name: "Synchroniseren" }).click();
    await page.locator("#fase[data-fase='WACHT_OP_VERZENDEN']").waitFor({ timeout: 90_000 });
    expect(await page.locator("#fase").textContent()).toMatch(/Wacht op 'Verwerken en verzenden' \(\d+ acties? klaar om te verzenden\)/);
    // nothing went to BRON or into LVS2000 yet
    const checked = await actions(apD);
    expect(checked.filter((a) => ["IN_VERZENDING", "IN_BEHANDELING", "VERWERKT"].includes(a.status))).toEqual([]);
    expect(checked.some((a) => a.status === "GECONTROLEERD")).toBe(true);
    expect(stack.bron.counters().mutaties ?? 0).toBe(sentBefore);
    await page.getByRole("button", { name: "Verwerken en verzenden" }).click();
    await page.locator("#info", { hasText: "Verwerken en verzenden is gestart" }).waitFor();
    await expect.poll(async () => (await actions(apD)).some((a) => a.status === "IN_BEHANDELING" || a.status === "VERWERKT"), { timeout: 90_000 }).toBe(true);
    expect(stack.bron.counters().mutaties ?? 0).toBeGreaterThan(sentBefore);
    // pressed when nothing waits for it: refused with the Dutch reason
    const r = await post(apD, "verzenden", {});
    expect(r.status).toBe(409);
  });

  it("deadlines of every aanleverpunt the user may see, soonest first", async () => {
    await view("termijnen");
    await page.locator("#termijnen tbody tr").first().waitFor();
    const dues = await page.locator("#termijnen tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-termijn") ?? ""));
    const aps = new Set(await page.locator("#termijnen tbody tr td:nth-child(3)").allTextContents());
    expect(aps.size).toBeGreaterThanOrEqual(2);
    const dated = (await page.locator("#termijnen tbody tr").allTextContents()).map((t, i) => ({ t, due: dues[i]! })).filter((r) => !r.t.includes("Achterstallig"));
    expect(dated.map((r) => r.due)).toEqual([...dated.map((r) => r.due)].sort());
  });

  it("CSV export of actions, signals and the logboek: UTF-8 with BOM and ';', parsed back with Dutch characters intact", async () => {
    await open(apA);
    const download = async (locator: string) => {
      const [d] = await Promise.all([page.waitForEvent("download"), page.locator(locator).click()]);
      return readFileSync((await d.path())!, "utf8");
    };
    const acties = await download("#export-acties");
    expect(acties.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(acties);
    expect(rows[0]?.slice(0, 4)).toEqual(["Actie-id", "Actie", "Richting", "Status"]);
    const visible = (await actions(apA)).filter((a) => a.status !== "VERWIJDERD");
    expect(rows.length - 1).toBe(visible.length);
    for (const id of visible.map((a) => a.id)) expect(rows.some((r) => r[0] === id)).toBe(true);
    // masked like the list: no BSN in an export
    for (const l of stack.demo.lvs.find((s) => s.aanleverpunt === apA)!.leerlingen) if (l.pgn) expect(acties).not.toContain(l.pgn.nummer);
    const signalen = parseCsv(await download("#export-signalen"));
    expect(signalen[0]).toEqual(["Ernst", "Code", "Tekst", "Veld", "Actie-id", "Actie", "Leerling"]);
    await view("logboek");
    await page.locator("#logboek tbody tr").first().waitFor();
    const logboek = await download("#export-logboek");
    expect(logboek.charCodeAt(0)).toBe(0xfeff);
    const lb = parseCsv(logboek);
    expect(lb[0]).toEqual(["Tijdstip", "Aanleverpunt", "Soort", "Door", "Wat", "Details"]);
    expect(lb.some((r) => r[2] === "EXPORT" && r[4] === "acties geëxporteerd")).toBe(true);
    expect(lb.some((r) => r[2] === "INZAGE" && (r[5] ?? "").includes(`leerlingId=${pAddr.id}`))).toBe(true);
  });

  it("the API refuses every write the lifecycle refuses, with a Dutch melding", async () => {
    const all = await actions(apA);
    const sent = all.find((a) => a.status === "IN_BEHANDELING" || a.status === "GEACCEPTEERD")!;
    const refused = async (r: Response, status: number, text: RegExp) => {
      expect(r.status).toBe(status);
      expect(((await r.json()) as { melding: string }).melding).toMatch(text);
    };
    await refused(await post(apA, `acties/${encodeURIComponent(sent.id)}/beslissing`, { keuze: "NEGEREN" }), 409, /^Over deze actie kan niet meer beslist worden: ze is (in behandeling bij BRON|geaccepteerd)\.$/);
    await refused(await post(apA, "beslissingen", { keuze: "NAAR_BRON", acties: [sent.id] }), 409, /geweigerd: Over deze actie kan niet meer beslist worden/);
    await refused(await post(apA, "beslissingen", { keuze: "NEGEREN", acties: ["bestaat-niet"] }), 409, /Deze actie bestaat niet \(meer\)\./);
    await refused(await post(apA, "verzenden", {}), 409, /Er wacht geen synchronisatie op 'Verwerken en verzenden'/);
    await refused(await post(apA, "handmatige-acties", { type: "UITSCHRIJVING", inschrijvingId: pId.inschrijving.id }), 409, /^Een uitschrijving vraagt om een uitschrijfdatum in LVS2000\.$/);
    await refused(await post(apA, "handmatige-acties", { type: "VERWIJDERING_INSCHRIJVING", inschrijvingId: "I-bestaat-niet" }), 409, /staat niet in BRON: er valt niets te verwijderen/);
    await refused(await post(apA, "registratieoverzicht", { peildatum: addDays(today, 3) }), 400, /^De peildatum mag niet in de toekomst liggen\.$/);
    await refused(await post(apA, "onderwijs-sinds", { leerlingen: [] }), 400, /geef per leerling/);
    await refused(await post(apA, "instellingen", { verzendwijze: "SOMS", tijdstip: "05:30", wachttijdUren: -1 }, "PUT"), 400, /De instellingen zijn ongeldig\./);
    const r = await post(apA, "onderwijs-sinds", { leerlingen: [{ leerlingId: pOs2.id, onderwijsSinds: addDays(today, 10), rowVersion: "x" }] });
    expect(((await r.json()) as { resultaten: { melding: string }[] }).resultaten[0]?.melding).toBe("Onderwijs Sinds mag niet in de toekomst liggen.");
  });

  it("works everywhere: at 390 px wide no view scrolls sideways; every view passes axe-core without serious or critical violations; screenshots of each view", { timeout: 180_000 }, async () => {
    for (const width of [1400, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await open(apA);
      for (const v of VIEWS) {
        await view(v);
        await page.waitForLoadState("networkidle");
        if (v === "leerlingen") await page.locator("#leerlingen tbody tr").first().waitFor();
        const sizes = await page.evaluate(() => {
          const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
          return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth };
        });
        expect({ view: v, width, scrollWidth: sizes.scrollWidth }).toEqual({ view: v, width, scrollWidth: width });
        await page.evaluate(AXE);
        const violations = await page.evaluate(async () => {
          const axe = (globalThis as unknown as { axe: { run(o?: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
          const r = await axe.run();
          return r.violations.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        });
        expect({ view: v, width, violations }).toEqual({ view: v, width, violations: [] });
        await shot(`${v}-${width}`);
      }
      // the pupil's detail view too
      await view("leerlingen");
      await page.locator(`#leerlingen button[data-leerling="${pAddr.id}"]`).click();
      await page.locator("#leerling-naast").waitFor();
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBe(width);
      await shot(`leerling-detail-${width}`);
      await page.getByRole("button", { name: "Sluiten" }).click();
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it("keyboard only: the views are reached and a pupil opened and closed without a mouse", async () => {
    await open(apA);
    await page.locator("nav.tabs button[data-view='leerlingen']").focus();
    await page.keyboard.press("Enter");
    await page.locator("#view-leerlingen").waitFor({ state: "visible" });
    await page.locator("#leerlingen tbody tr").first().waitFor();
    await page.locator("#leerlingen tbody button").first().focus();
    await page.keyboard.press("Enter");
    await page.locator("#leerling-naast").waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe("leerling-sluit");
    await page.keyboard.press("Escape");
    await page.locator("dialog#leerling").waitFor({ state: "hidden" });
    // the pupil's data leaves the page once the dialog has closed
    await expect.poll(() => page.locator("#leerling-inhoud").textContent()).toBe("");
  });
});
