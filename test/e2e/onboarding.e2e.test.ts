import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack, type PendingSchool } from "../../scripts/local-stack/index.js";
import { localRelay, type LocalRelay } from "../../scripts/local-stack/schools.js";

// Onboarding a school through the page's API on the local stack (docs/onboarding.md): the stack runs
// school "de-horizon-so-vso"'s LVS2000 database but has not connected it. The Beheerder adds it (registry,
// relay channel, relay key written to Key Vault with the Beheerder's own token), the test starts the
// school's relay with the settings the page handed out, the Beheerder imports the certificate (PFX,
// again with their own token), tests relay and certificate, takes the school into the daily run, and
// its first sync runs. Requires `npm run build`.

const repoRoot = join(import.meta.dirname, "..", "..");
const SCHOOL = "de-horizon-so-vso";

interface Status {
  runtimeStatus: string;
  customStatus: { fase: string; reden?: string } | null;
}

describe("onboarding a new school through the page and its first sync", () => {
  let stack: LocalStack;
  let dir: string;
  let school: PendingSchool;
  let relay: LocalRelay | undefined;
  let relayEnv: Record<string, string>;
  const post = (path: string, body?: unknown, personId?: string) =>
    stack.api(`/api/${path}`, { method: "POST", ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) }, personId);
  const nieuw = () => ({ id: school.id, naam: school.naam, brins: school.brins, aanleverpunten: school.aanleverpunten, contact: { emails: [`ict@${school.id}.example`] } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-onboarding-"));
    stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 60, nogAanTeSluiten: [SCHOOL] });
    school = stack.pending.find((s) => s.id === SCHOOL)!;
  }, 180_000);

  afterAll(async () => {
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

  it("the Beheerder adds the school; the page hands out the relay settings and a one-time registration code", async () => {
    const r = await post("aansluitingen", nieuw());
    expect(r.status, await r.clone().text()).toBe(201);
    const out = (await r.json()) as { school: { instellingen: { dagelijkseSync: boolean }; registratie: { codeSha256: string } }; relayInstellingen: Record<string, string>; registratiecode: string };
    expect(out.school.instellingen.dagelijkseSync).toBe(false);
    expect(out.registratiecode).toMatch(/^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$/);
    expect(out.school.registratie.codeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(out.school)).not.toContain(out.registratiecode);
    expect(out.relayInstellingen).toMatchObject({ RELAY_TRANSPORT: "queue", RELAY_QUEUE_URL: expect.stringContaining(`relay-${SCHOOL}?`) });
    relayEnv = { ...school.sqlEnv, ...out.relayInstellingen };
    expect((await post("aansluitingen", nieuw())).status).toBe(409); // twice: refused
  });

  it("before its relay runs and its certificate is imported, the test says what is missing (in Dutch) and the school cannot be activated", async () => {
    const c = (await (await post(`aansluitingen/${SCHOOL}/controle`)).json()) as { relay: { ok: boolean; melding: string }; certificaten: { ok: boolean; melding: string }[]; klaar: boolean };
    expect(c.klaar).toBe(false);
    expect(c.relay).toMatchObject({ ok: false, melding: expect.stringMatching(/^De relay van school .* is niet bereikbaar/) });
    expect(c.certificaten.every((x) => !x.ok && /certificaat/i.test(x.melding))).toBe(true);
    const a = await post(`aansluitingen/${SCHOOL}/activeren`);
    expect(a.status).toBe(409);
    expect(((await a.json()) as { melding: string }).melding).toMatch(/^De school gaat nog niet mee/);
  }, 60_000);

  it("the school's IT starts the relay; the Beheerder imports the certificate with their own rights; the test passes; the school is activated", async () => {
    relay = localRelay({ repoRoot, env: relayEnv });
    await relay.start();
    for (const [ap, pfx] of Object.entries(school.pfx)) {
      const notPfx = await post(`aansluitingen/${SCHOOL}/certificaat`, { aanleverpunt: ap, pfx: Buffer.from("dit is geen certificaat".repeat(10)).toString("base64") });
      expect(notPfx.status).toBe(400);
      expect(((await notPfx.json()) as { melding: string }).melding).toMatch(/geen geldig PFX-bestand/);
      const r = await post(`aansluitingen/${SCHOOL}/certificaat`, { aanleverpunt: ap, pfx: pfx.toString("base64") });
      expect(r.status, await r.clone().text()).toBe(200);
      expect(((await r.json()) as { certificaat: { state: string } }).certificaat.state).toBe("valid");
    }
    const c = (await (await post(`aansluitingen/${SCHOOL}/controle`)).json()) as { relay: { ok: boolean }; klaar: boolean };
    expect(c).toMatchObject({ relay: { ok: true }, klaar: true });
    const a = await post(`aansluitingen/${SCHOOL}/activeren`);
    expect(a.status).toBe(200);
    const list = (await (await stack.api("/api/aansluitingen")).json()) as { scholen: { id: string; dagelijkseSync: boolean }[] };
    expect(list.scholen.find((s) => s.id === SCHOOL)?.dagelijkseSync).toBe(true);
  }, 120_000);

  it("its first sync runs: the relay reads LVS2000, BRON answers with the school's certificate", async () => {
    const ap = school.aanleverpunten[0]!.code;
    expect((await stack.api(`/api/aanleverpunten/${ap}/sync`, { method: "POST" })).status).toBe(202);
    const deadline = Date.now() + 150_000;
    let s: Status | undefined;
    for (;;) {
      const r = await stack.api(`/api/aanleverpunten/${ap}/status`);
      s = r.status === 200 ? ((await r.json()) as Status) : undefined;
      if (s && (s.customStatus?.fase === "WACHT_OP_BESLISSING" || s.runtimeStatus === "Completed" || s.runtimeStatus === "Failed")) break;
      if (Date.now() > deadline) throw new Error(`first sync did not get far: ${JSON.stringify(s)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(s.runtimeStatus).not.toBe("Failed");
    expect(s.customStatus?.fase).not.toBe("GEWEIGERD");
    const acties = (await (await stack.api(`/api/aanleverpunten/${ap}/acties`)).json()) as { acties: unknown[] };
    expect(acties.acties.length).toBeGreaterThan(0);
    // the Beheerder's list shows the school's relay as reachable
    const views = (await (await stack.api("/api/aanleverpunten")).json()) as { aanleverpunten: { code: string; relay: { bereikbaar: boolean | null } }[] };
    expect(views.aanleverpunten.find((v) => v.code === ap)?.relay.bereikbaar).toBe(true);
  }, 200_000);
});
