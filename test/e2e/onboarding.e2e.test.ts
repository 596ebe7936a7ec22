import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack, type PendingSchool } from "../../scripts/local-stack/index.js";
import { localRelay, type LocalRelay } from "../../scripts/local-stack/schools.js";
import type { CliIo } from "../../src/relay/configure.js";
import { RELAY_VERSION } from "../../src/relay/app.js";
import { runRegister } from "../../src/relay/register.js";
import { ensureChromium, launchChromium, type HeadlessChromium } from "../support/chromium.js";
import { endedOrWaiting, waitForRun } from "../support/runs.js";

// Onboarding a school through the beheerpagina (headless Chromium) on the local stack (docs/onboarding.md): the stack runs
// school "de-horizon-so-vso"'s LVS2000 database but has not connected it. The Beheerder adds it (registry,
// relay channel, relay key written to Key Vault with the Beheerder's own token), the school's IT registers
// the relay with the command the page shows (`bronsync-relay register`, one-time code) and starts it, the Beheerder imports the certificate (PFX,
// again with their own token), tests relay and certificate, takes the school into the daily run, and
// its first sync runs. Requires `npm run build`.

const repoRoot = join(import.meta.dirname, "..", "..");
const SCHOOL = "de-horizon-so-vso";

describe("onboarding a new school through the page and its first sync", () => {
  let stack: LocalStack;
  let dir: string;
  let school: PendingSchool;
  let relay: LocalRelay | undefined;
  let relayEnv: Record<string, string>;
  let browser: HeadlessChromium;
  let page: Page;
  const post = (path: string, body?: unknown, personId?: string) =>
    stack.api(`/api/${path}`, { method: "POST", ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) }, personId);
  const nieuw = () => ({ id: school.id, naam: school.naam, brins: school.brins, aanleverpunten: school.aanleverpunten, contact: { emails: [`ict@${school.id}.example`] } });

  beforeAll(async () => {
    ensureChromium(); // a one-time apt-get install on a fresh machine
    dir = mkdtempSync(join(tmpdir(), "bronsync-onboarding-"));
    [stack, browser] = await Promise.all([
      startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 60, nogAanTeSluiten: [SCHOOL] }),
      launchChromium(),
    ]);
    school = stack.pending.find((s) => s.id === SCHOOL)!;
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the school is not connected yet: not in the registry, no sync for its aanleverpunt", async () => {
    expect(school).toBeTruthy();
    expect(stack.schools.some((s) => s.id === SCHOOL)).toBe(false);
    const list = (await (await stack.api("/api/aansluitingen")).json()) as { scholen: { id: string }[] };
    expect(list.scholen.map((s) => s.id)).not.toContain(SCHOOL);
  });

  it("only a Beheerder may onboard; a request without the person's Key Vault token writes nothing", async () => {
    const other = stack.access.administratie(stack.schools[0]!.id).id;
    const r = await post("aansluitingen", nieuw(), other);
    expect(r.status).toBe(403);
    // straight to the host with a Beheerder's principal but no token: the app's own identity is never used to write
    const direct = await fetch(`${stack.hostUrl}/api/aansluitingen`, {
      method: "POST",
      headers: { ...stack.signIn.principalHeaders(stack.access.beheerder.id), "content-type": "application/json" },
      body: JSON.stringify(nieuw()),
    });
    expect(direct.status).toBe(403);
    expect(await direct.json()).toMatchObject({ fout: "GEEN_KEY_VAULT_TOKEN", melding: expect.stringContaining("Key Vault") });
    const bad = await post("aansluitingen", { ...nieuw(), aanleverpunten: [{ code: "99ZZ00", naam: "x" }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { melding: string }).melding).toMatch(/klopt niet/);
    const list = (await (await stack.api("/api/aansluitingen")).json()) as { scholen: { id: string }[] };
    expect(list.scholen.map((s) => s.id)).not.toContain(SCHOOL);
  });

  it("the Beheerder adds the school on the page, which shows the command that registers the relay with a one-time code", async () => {
    await page.goto(`${stack.functionsUrl}/api/beheer`);
    await page.getByRole("button", { name: stack.access.beheerder.naam, exact: true }).click();
    await page.waitForSelector("body[data-klaar]");
    await page.locator("#aansluiten-sectie summary").click();
    await page.locator("#aansluiting-id").fill(school.id);
    await page.locator("#aansluiting-naam").fill(school.naam);
    await page.locator("#aansluiting-brins").fill(school.brins.join(", "));
    await page.locator("#aansluiting-aanleverpunten").fill(school.aanleverpunten.map((a) => a.code).join(", "));
    await page.locator("#aansluiting-emails").fill(`ict@${school.id}.example`);
    await page.getByRole("button", { name: "School toevoegen" }).click();
    await page.locator("#aansluiting-resultaat").waitFor({ state: "visible" });
    const text = (await page.locator("#aansluiting-resultaat").textContent()) ?? "";
    const command = /bronsync-relay register --cloud (\S+) (\S+)/.exec(text);
    expect(command?.[1]).toBe(stack.functionsUrl);
    expect(command?.[2]).toMatch(/^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$/);
    expect(text).not.toMatch(/RELAY_HMAC_KEY|sig=/); // no key or SAS on the page: the relay fetches them with the code
    expect(await page.locator("#info").textContent()).toContain(`School ${school.naam} is aangesloten.`);
    // the school's IT: `configure` wrote the LVS2000 connection, then the command from the page
    const configFile = join(dir, "relay.json");
    writeFileSync(configFile, JSON.stringify(school.sqlEnv), { mode: 0o600 });
    const out: string[] = [];
    const io = { stdin: process.stdin, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) }, env: {}, platform: process.platform } as unknown as CliIo;
    expect(await runRegister(["--config", configFile, "--cloud", command![1]!, command![2]!], io), out.join("")).toBe(0);
    expect(out.join("")).toContain(`De relay is aangemeld voor school ${school.naam}.`);
    relayEnv = { RELAY_CONFIG_FILE: configFile };
    expect(JSON.parse(readFileSync(configFile, "utf8"))).toMatchObject({ ...school.sqlEnv, RELAY_SCHOOL: SCHOOL, RELAY_TRANSPORT: "queue", RELAY_QUEUE_URL: expect.stringContaining(`relay-${SCHOOL}?`), RELAY_CLOUD_URL: stack.functionsUrl });
    // the code works once
    out.length = 0;
    expect(await runRegister(["--config", join(dir, "tweede.json"), "--cloud", command![1]!, command![2]!], io)).toBe(1);
    expect(out.join("")).toContain("Deze registratiecode is al gebruikt");
    // the registry holds the school, not yet in the daily run, with only the code's hash
    const list = (await (await stack.api("/api/aansluitingen")).json()) as { scholen: { id: string; dagelijkseSync: boolean; registratieGeldigTot: string | null }[] };
    expect(list.scholen.find((s) => s.id === SCHOOL)).toMatchObject({ dagelijkseSync: false, registratieGeldigTot: expect.any(String) });
    expect((await post("aansluitingen", nieuw())).status).toBe(409); // twice: refused
    expect(await page.locator("#aansluitingen tbody tr[data-school]").count()).toBe(stack.schools.length + 1);
  });

  it("before its relay runs and its certificate is imported, the test says what is missing (in Dutch) and the school cannot be activated", async () => {
    await page.locator("#aansluiting-school").selectOption(SCHOOL);
    await page.getByRole("button", { name: "Relay en certificaten testen" }).click();
    await page.locator("#aansluiting-controle").waitFor({ state: "visible", timeout: 60_000 });
    const regels = await page.locator("#aansluiting-controle li").allTextContents();
    expect(regels[0]).toMatch(/^De relay van school .* is niet bereikbaar/);
    expect(await page.locator("#aansluiting-controle li.goed").count()).toBe(0);
    await page.getByRole("button", { name: "Opnemen in dagelijkse sync" }).click();
    await expect.poll(() => page.locator("#fout").textContent(), { timeout: 60_000 }).toMatch(/^De school gaat nog niet mee in de dagelijkse sync/);
  }, 150_000);

  it("the school's IT starts the relay; the Beheerder imports the certificate on the page with their own rights; the test passes; the school is activated", async () => {
    relay = localRelay({ repoRoot, env: relayEnv });
    await relay.start();
    const notPfx = await post(`aansluitingen/${SCHOOL}/certificaat`, { aanleverpunt: school.aanleverpunten[0]!.code, pfx: Buffer.from("dit is geen certificaat".repeat(10)).toString("base64") });
    expect(notPfx.status).toBe(400);
    expect(((await notPfx.json()) as { melding: string }).melding).toMatch(/geen geldig PFX-bestand/);
    for (const [ap, pfx] of Object.entries(school.pfx)) {
      await page.locator("#certificaat-aanleverpunt").fill(ap);
      await page.locator("#certificaat-bestand").setInputFiles({ name: `${ap}.pfx`, mimeType: "application/x-pkcs12", buffer: pfx });
      await page.getByRole("button", { name: "Certificaat importeren" }).click();
      await expect.poll(() => page.locator("#info").textContent()).toContain(`aanleverpunt ${ap}`);
    }
    expect(await page.locator("#fout").isVisible()).toBe(false);
    await page.getByRole("button", { name: "Relay en certificaten testen" }).click();
    await expect.poll(() => page.locator("#aansluiting-controle li.fout").count(), { timeout: 60_000 }).toBe(0);
    expect(await page.locator("#aansluiting-controle li.goed").count()).toBe(1 + school.aanleverpunten.length);
    await page.getByRole("button", { name: "Opnemen in dagelijkse sync" }).click();
    await expect.poll(() => page.locator("#info").textContent(), { timeout: 60_000 }).toBe(`School ${school.naam} gaat mee in de dagelijkse sync.`);
    const list = (await (await stack.api("/api/aansluitingen")).json()) as { scholen: { id: string; dagelijkseSync: boolean }[] };
    expect(list.scholen.find((s) => s.id === SCHOOL)?.dagelijkseSync).toBe(true);
  }, 150_000);

  it("its first sync runs: the relay reads LVS2000, BRON answers with the school's certificate", async () => {
    const ap = school.aanleverpunten[0]!.code;
    expect((await stack.api(`/api/aanleverpunten/${ap}/sync`, { method: "POST" })).status).toBe(202);
    const s = await waitForRun(stack, ap, endedOrWaiting, 150_000);
    expect(s.runtimeStatus).not.toBe("Failed");
    expect(s.customStatus?.fase).not.toBe("GEWEIGERD");
    const acties = (await (await stack.api(`/api/aanleverpunten/${ap}/acties`)).json()) as { acties: unknown[] };
    expect(acties.acties.length).toBeGreaterThan(0);
    // the Beheerder's list shows the school's relay as reachable
    const views = (await (await stack.api("/api/aanleverpunten")).json()) as { aanleverpunten: { code: string; relay: { bereikbaar: boolean | null; relayVersie: string | null; lvs2000Versie: string | null; teOud: boolean } }[] };
    // its heartbeat (sent at start, through App Service Authentication's excluded path) tells the versions
    expect(views.aanleverpunten.find((v) => v.code === ap)?.relay).toMatchObject({ bereikbaar: true, relayVersie: RELAY_VERSION, lvs2000Versie: expect.stringMatching(/^2\.\d+/), teOud: false });
    // and the page shows it for the school's aanleverpunt: the relay's version, the LVS2000 version, the last heartbeat
    await page.reload();
    await page.waitForSelector("body[data-klaar]");
    await page.selectOption("#aanleverpunt", ap);
    await expect.poll(() => page.locator("#relay").textContent()).toMatch(new RegExp(`^Bereikbaar .*Relay ${RELAY_VERSION.replaceAll(".", "\\.")}, LVS2000 2\\.\\d+.*; laatste hartslag \\d\\d-\\d\\d-\\d{4}`));
  }, 200_000);
});
