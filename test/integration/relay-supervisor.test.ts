import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

// The supervisor of `bronsync-relay start` (packages/relay/bin/bronsync-relay.js) on its own: the real
// bin file in a package folder whose relay bundles are small stand-in bundles (each exports runCli like
// the real dist/cli.js and speaks the supervisor's IPC messages, src/relay/update/supervisor-ipc.ts), so
// every path — swap, trial, rollback, crash-loop guard, no writable data folder, clean stop — runs in a
// second without a database. The whole chain with the real relay: test/e2e/relay-update.e2e.test.ts.

/** A stand-in relay bundle: reports healthy (or not), may stop with a code, offers the update named in <data>/aanbod.json. */
const stub = (versie: string, o: { gezond?: boolean; exit?: number } = {}) => `
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
export async function runCli(argv, io) {
  if (argv[0] === "versie") { io.stdout.write("${versie}\\n"); return 0; }
  console.log(JSON.stringify({ event: "stub_started", versie: "${versie}", updates: process.env.RELAY_UPDATES ?? "aan" }));
  ${o.exit === undefined ? "" : `process.exit(${o.exit});`}
  process.on("message", (m) => { if (m.soort === "stop") { console.log(JSON.stringify({ event: "stub_stopped", versie: "${versie}" })); process.exit(0); } });
  ${o.gezond === false ? "" : `process.send({ soort: "gezond", versie: "${versie}" });`}
  const offer = join(process.env.RELAY_DATA_DIR, "aanbod.json");
  if (existsSync(offer)) { const a = JSON.parse(readFileSync(offer, "utf8")); if (a.versie !== "${versie}") process.send({ soort: "update-klaar", versie: a.versie, pad: a.pad }); }
  setInterval(() => {}, 1 << 30);
  return "running";
}
`;

/** a bound for waiting on child processes on a loaded machine (not a timing assertion) */
const until = <T>(fn: () => T) => expect.poll(fn, { timeout: 20_000 });

describe("the relay supervisor (bronsync-relay start)", { timeout: 60_000 }, () => {
  let dir: string;
  let pkg: string;
  let data: string;
  let running: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "relay-supervisor-"));
    pkg = join(dir, "pkg");
    mkdirSync(join(pkg, "dist"), { recursive: true });
    cpSync(join(process.cwd(), "packages/relay/bin"), join(pkg, "bin"), { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "bronsync-relay", version: "0.1.0", type: "module" }));
    writeFileSync(join(pkg, "dist", "cli.js"), stub("0.1.0"));
  });
  afterEach(() => {
    if (running?.exitCode === null) running.kill("SIGKILL");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fresh = () => {
    data = mkdtempSync(join(dir, "data-"));
    return data;
  };
  const store = (versie: string, o: Parameters<typeof stub>[1] = {}) => {
    const p = join(data, "versies", versie, "cli.js");
    mkdirSync(join(data, "versies", versie), { recursive: true });
    writeFileSync(p, stub(versie, o));
    return p;
  };
  const json = (name: string) => JSON.parse(readFileSync(join(data, name), "utf8")) as Record<string, unknown>;
  const start = (env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [join(pkg, "bin", "bronsync-relay.js"), "start", "--config", join(dir, "geen.json")], {
      env: { PATH: process.env.PATH ?? "", RELAY_DATA_DIR: data, RELAY_UPDATE_PROEFTIJD_SECONDEN: "5", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running = child;
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const exit = new Promise<number | null>((r) => child.once("exit", r));
    const events = (event: string) =>
      out
        .split("\n")
        .filter((l) => l.includes(`"event":"${event}"`))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { child, exit, events, out: () => out };
  };

  it("swaps to a verified update, keeps it once healthy, and stops cleanly with it", async () => {
    fresh();
    store("0.0.5"); // an old stored version: removed after the swap (the new and the previous one stay)
    writeFileSync(join(data, "aanbod.json"), JSON.stringify({ versie: "0.2.0", pad: store("0.2.0") }));
    const s = start();
    await until(() => s.events("supervisor_update_geslaagd").length).toBe(1);
    expect(s.events("stub_started").map((e) => e.versie)).toEqual(["0.1.0", "0.2.0"]);
    expect(s.events("stub_stopped").map((e) => e.versie)).toEqual(["0.1.0"]);
    expect(json("actief.json")).toMatchObject({ versie: "0.2.0", status: "actief", vorige: { versie: "0.1.0", pad: null } });
    expect(json("update-resultaat.json")).toMatchObject({ versie: "0.2.0", resultaat: "GESLAAGD", melding: "Bijgewerkt van versie 0.1.0 naar 0.2.0.", gemeld: false });
    expect(readdirSync(join(data, "versies"))).toEqual(["0.2.0"]);
    s.child.kill("SIGTERM");
    expect(await s.exit).toBe(0);
    expect(s.events("stub_stopped").map((e) => e.versie)).toEqual(["0.1.0", "0.2.0"]);
    // `versie` names the installed package and the version that runs
    const v = spawnSync(process.execPath, [join(pkg, "bin", "bronsync-relay.js"), "versie"], { env: { PATH: process.env.PATH ?? "", RELAY_DATA_DIR: data }, encoding: "utf8" });
    expect(v.stdout).toBe(`0.1.0\nactief: 0.2.0 (bijgewerkt; ${join(data, "versies", "0.2.0", "cli.js")})\n`);
    // the next start runs the stored version straight away
    const again = start();
    await until(() => again.events("stub_started").map((e) => e.versie)).toEqual(["0.2.0"]);
    again.child.kill("SIGTERM");
    expect(await again.exit).toBe(0);
  });

  it("refuses to swap to a path outside <data>/versies/<versie>/cli.js or to an older version", async () => {
    fresh();
    const elsewhere = join(data, "elders.js");
    writeFileSync(elsewhere, stub("0.3.0"));
    writeFileSync(join(data, "aanbod.json"), JSON.stringify({ versie: "0.3.0", pad: elsewhere }));
    const s = start();
    await until(() => s.events("stub_started").length).toBe(1);
    writeFileSync(join(data, "aanbod.json"), JSON.stringify({ versie: "0.0.9", pad: store("0.0.9") }));
    s.child.kill("SIGTERM");
    expect(await s.exit).toBe(0);
    const t = start();
    await until(() => t.events("stub_started").length).toBe(1);
    t.child.kill("SIGTERM");
    expect(await t.exit).toBe(0);
    expect(s.out() + t.out()).not.toContain("supervisor_update_proef");
    expect(t.events("stub_started").map((e) => e.versie)).toEqual(["0.1.0"]);
    expect(existsSync(join(data, "actief.json"))).toBe(false);
  });

  it("rolls back a new version that stops during its trial, and one that is not healthy in time", async () => {
    fresh();
    writeFileSync(join(data, "aanbod.json"), JSON.stringify({ versie: "0.2.0", pad: store("0.2.0", { exit: 4 }) }));
    const s = start();
    await until(() => s.events("supervisor_update_teruggedraaid").length).toBe(1);
    expect(s.events("supervisor_update_teruggedraaid")[0]).toMatchObject({ versie: "0.2.0", melding: "Update naar versie 0.2.0 teruggedraaid: de nieuwe versie stopte tijdens de proef (code 4). Versie 0.1.0 draait weer." });
    await until(() => s.events("stub_started").map((e) => e.versie)).toEqual(["0.1.0", "0.2.0", "0.1.0"]);
    // the old version, started again, offers 0.2.0 again (the stand-in does): not tried a second time
    await until(() => s.events("supervisor_update_overgeslagen").length).toBe(1);
    expect(json("actief.json")).toMatchObject({ versie: "0.1.0", pad: null, status: "actief", teruggedraaid: ["0.2.0"] });
    expect(json("update-resultaat.json")).toMatchObject({ versie: "0.2.0", resultaat: "TERUGGEZET" });

    writeFileSync(join(data, "aanbod.json"), JSON.stringify({ versie: "0.3.0", pad: store("0.3.0", { gezond: false }) }));
    s.child.kill("SIGTERM");
    expect(await s.exit).toBe(0);
    const t = start();
    await until(() => t.events("supervisor_update_teruggedraaid").length).toBe(1);
    expect(t.events("supervisor_update_teruggedraaid")[0]).toMatchObject({ versie: "0.3.0", melding: "Update naar versie 0.3.0 teruggedraaid: de nieuwe versie meldde zich niet binnen 5 s gezond (LVS2000 bereikt en hartslag geaccepteerd). Versie 0.1.0 draait weer." });
    expect(t.events("stub_stopped").map((e) => e.versie)).toEqual(["0.1.0", "0.3.0"]);
    t.child.kill("SIGTERM");
    expect(await t.exit).toBe(0);
  });

  it("after a crash of the supervisor during a trial, the next start rolls back first", async () => {
    fresh();
    const pad = store("0.2.0");
    writeFileSync(join(data, "actief.json"), JSON.stringify({ versie: "0.2.0", pad, status: "proef", mislukteStarts: 0, vorige: { versie: "0.1.0", pad: null } }));
    const s = start();
    await until(() => s.events("stub_started").map((e) => e.versie)).toEqual(["0.1.0"]);
    expect(s.events("supervisor_update_teruggedraaid")[0]).toMatchObject({ versie: "0.2.0", melding: "Update naar versie 0.2.0 teruggedraaid: de relay stopte tijdens de proef. Versie 0.1.0 draait weer." });
    expect(json("update-resultaat.json")).toMatchObject({ versie: "0.2.0", resultaat: "TERUGGEZET" });
    s.child.kill("SIGTERM");
    expect(await s.exit).toBe(0);
  });

  it("a stored version that keeps stopping before it is healthy is given up after three starts (the service manager restarts the supervisor)", async () => {
    fresh();
    const pad = store("0.2.0", { exit: 1, gezond: false });
    writeFileSync(join(data, "actief.json"), JSON.stringify({ versie: "0.2.0", pad, status: "actief", mislukteStarts: 0, vorige: null }));
    for (const n of [1, 2, 3]) {
      const s = start();
      expect(await s.exit, s.out()).toBe(1);
      expect(json("actief.json").mislukteStarts, `start ${n}`).toBe(n === 3 ? 0 : n);
    }
    expect(json("actief.json")).toMatchObject({ versie: "0.1.0", pad: null });
    expect(json("update-resultaat.json")).toMatchObject({ versie: "0.2.0", resultaat: "TERUGGEZET", melding: expect.stringContaining("stopte 3 keer na elkaar") as string });
    const s = start();
    await until(() => s.events("stub_started").map((e) => e.versie)).toEqual(["0.1.0"]);
    s.child.kill("SIGTERM");
    expect(await s.exit).toBe(0);
  });

  it("without a writable data folder it runs the installed version with updates off, and says so in Dutch", async () => {
    fresh();
    const notAFolder = join(data, "bestand");
    writeFileSync(notAFolder, "");
    const s = start({ RELAY_DATA_DIR: join(notAFolder, "relay") });
    await until(() => s.events("stub_started").length).toBe(1);
    expect(s.events("stub_started")[0]).toMatchObject({ versie: "0.1.0", updates: "uit" });
    expect(s.events("supervisor_updates_uit")[0]!.melding).toMatch(/^De map .* is niet schrijfbaar \(ENOTDIR\): automatisch bijwerken staat uit\./);
    s.child.kill("SIGTERM");
    expect(await s.exit).toBe(0);
    expect(existsSync(join(notAFolder, "relay"))).toBe(false);
  });

  it("refuses a trial period out of range", async () => {
    fresh();
    const s = start({ RELAY_UPDATE_PROEFTIJD_SECONDEN: "1" });
    expect(await s.exit).toBe(2);
    expect(s.out()).toContain("RELAY_UPDATE_PROEFTIJD_SECONDEN moet een geheel aantal seconden zijn van 5 tot en met 3600 (nu: 1).");
  });
});
