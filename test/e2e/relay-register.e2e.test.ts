import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack, type PendingSchool } from "../../scripts/local-stack/index.js";
import { RELAY_VERSION } from "../../src/relay/app.js";
import { installRelayPackage, runInstalled } from "../support/relay-package.js";
import { endedOrWaiting, waitForRun } from "../support/runs.js";

// Issue 13's first "done when": the relay package installed into an empty folder (no repository, no dev
// dependencies), configured non-interactively against the TDS server, registered with a one-time code
// from the local stack's onboarding (`bronsync-relay register --cloud … CODE`, the command the page
// shows), started from the installed folder — and the school's first sync runs through it. Then its
// health on the admin page (heartbeat: versions, last contact) and a key rotation without a visit: the
// Beheerder asks for a new key, the relay picks it up on its heartbeat and keeps answering throughout.
// Requires `npm run build`.

const SCHOOL = "de-horizon-so-vso";

interface SchoolRow {
  id: string;
  registratieGebruiktOp: string | null;
  nieuweSleutelInAfwachting: boolean;
}

describe("the installed relay, registered with a code, runs the school's first sync", () => {
  let stack: LocalStack;
  let dir: string;
  let bin: string;
  let folder: string;
  let school: PendingSchool;
  let relay: ChildProcess | undefined;
  let relayOut = "";
  let command: string[];
  const cfg = () => join(dir, "etc", "relay.json");
  const post = (path: string, body?: unknown) => stack.api(`/api/${path}`, { method: "POST", ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
  const config = () => JSON.parse(readFileSync(cfg(), "utf8")) as Record<string, string>;
  const schoolRow = async () => ((await (await stack.api("/api/aansluitingen")).json()) as { scholen: SchoolRow[] }).scholen.find((s) => s.id === SCHOOL)!;

  function startInstalled(): void {
    relayOut = "";
    relay = spawn(process.execPath, [bin, "start", "--config", cfg()], { cwd: folder, env: { PATH: process.env.PATH ?? "", RELAY_DATA_DIR: join(dir, "data") }, stdio: ["ignore", "pipe", "pipe"] });
    relay.stdout!.on("data", (c: Buffer) => (relayOut += c.toString()));
    relay.stderr!.on("data", (c: Buffer) => (relayOut += c.toString()));
  }
  async function stopInstalled(): Promise<void> {
    if (!relay || relay.exitCode !== null) return;
    const done = new Promise((r) => relay!.once("exit", r));
    relay.kill("SIGTERM");
    await done;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-register-"));
    ({ bin, folder } = installRelayPackage(dir));
    stack = await startLocalStack({ dataDir: join(dir, "stack"), today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 40, nogAanTeSluiten: [SCHOOL] });
    school = stack.pending.find((s) => s.id === SCHOOL)!;
  }, 600_000);

  afterAll(async () => {
    await stopInstalled();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the Beheerder connects the school; the answer is the command school IT types (no key, no SAS)", async () => {
    const r = await post("aansluitingen", { id: school.id, naam: school.naam, brins: school.brins, aanleverpunten: school.aanleverpunten, contact: { emails: [] } });
    expect(r.status).toBe(201);
    const body = (await r.json()) as { registratieOpdracht: string; registratiecode: string; relayInstellingen?: unknown };
    expect(body.relayInstellingen).toBeUndefined();
    expect(body.registratieOpdracht).toBe(`bronsync-relay register --cloud ${stack.functionsUrl} ${body.registratiecode}`);
    command = body.registratieOpdracht.split(" ").slice(2); // after "bronsync-relay register"
  });

  it("school IT configures the LVS2000 connection non-interactively with the installed command", async () => {
    const pw = join(dir, "wachtwoord.txt");
    writeFileSync(pw, `${school.sqlEnv.RELAY_SQL_PASSWORD}\n`, { mode: 0o600 });
    const r = await runInstalled(bin, ["configure", "--config", cfg(), "--niet-interactief", "--server", "localhost", "--poort", school.sqlEnv.RELAY_SQL_PORT!, "--database", "LVS2000", "--gebruiker", school.sqlEnv.RELAY_SQL_USER!, "--wachtwoord-bestand", pw, "--ca-bestand", school.sqlEnv.RELAY_SQL_CA_FILE!], folder);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Volgende stap: bronsync-relay register");
  });

  it("a wrong code is refused in Dutch; the code from the page registers it once, keeping the LVS2000 connection", async () => {
    const wrong = await runInstalled(bin, ["register", "--config", cfg(), "--cloud", stack.functionsUrl, "ABCD-EFGH-JKMN-PQRS"], folder);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("Deze registratiecode is onbekend.");
    const before = config();
    const r = await runInstalled(bin, ["register", "--config", cfg(), ...command], folder);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`De relay is aangemeld voor school ${school.naam}.`);
    expect(config()).toMatchObject({ ...before, RELAY_SCHOOL: SCHOOL, RELAY_TRANSPORT: "queue", RELAY_CLOUD_URL: stack.functionsUrl, RELAY_QUEUE_URL: expect.stringContaining(`relay-${SCHOOL}?`), RELAY_HMAC_KEY: expect.any(String) });
    expect(statSync(cfg()).mode & 0o777).toBe(0o600);
    expect((await schoolRow()).registratieGebruiktOp).toEqual(expect.any(String));
    const again = await runInstalled(bin, ["register", "--config", join(dir, "ander.json"), ...command], folder);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("Deze registratiecode is al gebruikt");
  });

  it("started from the installed folder it sends its heartbeat: the admin page shows its version, the LVS2000 version and the last contact", async () => {
    // the local stack's cloud waits 10 s for a pickup (RELAY_PICKUP_TIMEOUT_SECONDS): poll as its demo relays do; heartbeat every 10 s
    writeFileSync(cfg(), JSON.stringify({ ...config(), RELAY_POLL_IDLE_SECONDS: "2", RELAY_POLL_ACTIVE_MS: "200", RELAY_HEARTBEAT_SECONDS: "10" }), { mode: 0o600 });
    startInstalled();
    await expect.poll(() => relayOut, { timeout: 30_000 }).toContain('"event":"heartbeat"');
    expect(relayOut).toContain('"geaccepteerd":true');
    const ap = school.aanleverpunten[0]!.code;
    const views = (await (await stack.api("/api/aanleverpunten")).json()) as { aanleverpunten: { code: string; relay: { relayVersie: string | null; lvs2000Versie: string | null; laatsteHartslag: string | null; teOud: boolean; stil: boolean | null } }[] };
    expect(views.aanleverpunten.find((v) => v.code === ap)?.relay).toMatchObject({ relayVersie: RELAY_VERSION, lvs2000Versie: expect.stringMatching(/^2\.\d+/), laatsteHartslag: expect.any(String), teOud: false, stil: false });
  }, 60_000);

  it("the school is completed (certificates, test, activation) and its first sync runs through the installed relay", async () => {
    for (const [ap, pfx] of Object.entries(school.pfx)) expect((await post(`aansluitingen/${SCHOOL}/certificaat`, { aanleverpunt: ap, pfx: pfx.toString("base64") })).status).toBe(200);
    const activated = await post(`aansluitingen/${SCHOOL}/activeren`);
    expect(activated.status, await activated.clone().text()).toBe(200);
    const ap = school.aanleverpunten[0]!.code;
    expect((await stack.api(`/api/aanleverpunten/${ap}/sync`, { method: "POST" })).status).toBe(202);
    const s = await waitForRun(stack, ap, endedOrWaiting, 150_000);
    expect(s.runtimeStatus).not.toBe("Failed");
    expect(s.customStatus?.fase).not.toBe("GEWEIGERD");
    expect(((await (await stack.api(`/api/aanleverpunten/${ap}/acties`)).json()) as { acties: unknown[] }).acties.length).toBeGreaterThan(0);
  }, 200_000);

  it("key rotation without a visit: the relay fetches the new key on its heartbeat, keeps the old one as previous, the cloud switches, requests keep working", async () => {
    const old = config().RELAY_HMAC_KEY;
    const r = await post(`aansluitingen/${SCHOOL}/relay-sleutel`);
    expect(r.status, await r.clone().text()).toBe(200);
    expect((await schoolRow()).nieuweSleutelInAfwachting).toBe(true);
    // meanwhile the cloud's requests still work
    expect(((await (await post(`aansluitingen/${SCHOOL}/controle`)).json()) as { relay: { ok: boolean } }).relay.ok).toBe(true);
    await expect.poll(() => config().RELAY_HMAC_KEY_PREVIOUS, { timeout: 40_000 }).toBe(old);
    expect(config().RELAY_HMAC_KEY).not.toBe(old);
    expect(relayOut).toContain('"event":"relay_key_rotated"');
    await expect.poll(async () => (await schoolRow()).nieuweSleutelInAfwachting, { timeout: 20_000 }).toBe(false);
    expect(((await (await post(`aansluitingen/${SCHOOL}/controle`)).json()) as { relay: { ok: boolean } }).relay.ok).toBe(true);
    // restarted from its configuration file it signs with the new key, and the cloud accepts it
    await stopInstalled();
    startInstalled();
    await expect.poll(() => relayOut, { timeout: 30_000 }).toContain('"event":"heartbeat"');
    expect(relayOut).not.toContain("heartbeat_refused");
    expect(((await (await post(`aansluitingen/${SCHOOL}/controle`)).json()) as { relay: { ok: boolean } }).relay.ok).toBe(true);
  }, 150_000);
});
