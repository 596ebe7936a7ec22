import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { installRelayPackage, runInstalled } from "../support/relay-package.js";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRelayClient } from "../../src/adapters/lvs/relay-client.js";
import { RELAY_VERSION } from "../../src/relay/app.js";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { generateDemoData } from "../../scripts/demo-data/generate.js";
import { loadDemoLvsDatabase } from "../../scripts/local-stack/lvs-db.js";
import { freePort } from "../../scripts/local-stack/ports.js";
import { ensureDebianTool } from "../support/debian-tools.js";
import { sqlPoolFor, SQL_LOGIN } from "../integration/relay-fixture.js";

// The relay as a school installs it: packages/relay built and packed (`npm pack`), installed with npm into
// an empty folder with an empty npm cache and --offline (so: no repository, no registry, no dev
// dependencies), configured non-interactively against the TDS test server (TLS at login, test CA), then
// started with its own command. Requires `npm run build` (npm test does it first).

function dirSize(p: string): number {
  const s = statSync(p);
  return s.isDirectory() ? readdirSync(p).reduce((n, f) => n + dirSize(join(p, f)), 0) : s.size;
}

/** Every folder of the machine's cgroup hierarchies (systemd in a namespace adds some). */
function cgroupDirs(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        out.push(join(d, e.name));
        walk(join(d, e.name));
      }
    }
  };
  if (existsSync("/sys/fs/cgroup")) walk("/sys/fs/cgroup");
  return out;
}

describe("the relay package, installed into an empty folder", () => {
  let dir: string;
  let bin: string;
  let tds: TdsServer;
  let caPath: string;
  let pki: Awaited<ReturnType<typeof createTestPki>>;
  let relay: ChildProcess | undefined;
  const cfg = () => join(dir, "etc", "relay.json");

  // asynchronous: the TDS test server runs in this process and must keep answering. RELAY_DATA_DIR: `start`
  // (the supervisor) keeps its state there instead of /var/lib/bronsync-relay
  const cli = (args: string[]) => runInstalled(bin, args, undefined, { RELAY_DATA_DIR: join(dir, "data") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "relay-pkg-"));
    ({ bin } = installRelayPackage(dir));

    pki = await createTestPki(join(dir, "pki"), []);
    caPath = pki.ca.path;
    tds = await startTdsServer({ database: ":memory:", logins: { [SQL_LOGIN.user]: SQL_LOGIN.password }, tls: { cert: pki.server.cert, key: pki.server.key, forceEncryption: true }, databaseNames: ["LVS2000", "Oefen"] });
    const sql = sqlPoolFor(tds.port, undefined, pki.ca.cert);
    await loadDemoLvsDatabase(sql, generateDemoData({ seed: 5, leerlingen: 10, today: "2026-11-28" }));
    await sql.close();
  }, 240_000);

  afterAll(async () => {
    relay?.kill("SIGTERM");
    await tds?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const flags = (password: string) => ["configure", "--config", cfg(), "--niet-interactief", "--server", "localhost", "--poort", String(tds.port), "--database", "LVS2000", "--gebruiker", SQL_LOGIN.user, "--ca-bestand", caPath, "--wachtwoord-bestand", writePassword(password)];
  const writePassword = (p: string) => {
    const f = join(dir, "wachtwoord.txt");
    writeFileSync(f, `${p}\n`, { mode: 0o600 });
    return f;
  };

  it("installs only itself, small, and knows its version", async () => {
    expect(readdirSync(join(dir, "school", "node_modules")).filter((n) => !n.startsWith("."))).toEqual(["bronsync-relay"]);
    // the Windows service library came inside the package (bundled dependency, with its winsw.exe), not
    // inlined in the bundle; on Linux it is never loaded (its main module throws off Windows, and install
    // below works)
    const pkg = join(dir, "school", "node_modules", "bronsync-relay");
    expect(statSync(join(pkg, "node_modules", "node-windows", "bin", "winsw", "winsw.exe")).size).toBeGreaterThan(0);
    expect(readFileSync(join(pkg, "dist", "cli.js"), "utf8")).not.toContain("generateXml");
    const mb = dirSize(join(dir, "school", "node_modules")) / 1024 / 1024;
    expect(mb).toBeLessThan(30);
    expect((await cli(["versie"])).stdout.trim()).toBe(RELAY_VERSION);
    expect((await cli(["onzin"])).stderr).toContain("Onbekende opdracht 'onzin'");
  });

  it("refuses a wrong password in Dutch and writes nothing", async () => {
    const r = await cli(flags("Verkeerd!1"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Inloggen op SQL Server mislukt voor '${SQL_LOGIN.user}'`);
    expect(() => statSync(cfg())).toThrow();
  });

  it("refuses a database older than 2.10 with the manual's message", async () => {
    const before = tds.db.prepare("SELECT Versie FROM DatabaseVersie").pluck().all() as string[];
    tds.db.prepare("UPDATE DatabaseVersie SET Versie = '2.9.0001'").run();
    try {
      const r = await cli(flags(SQL_LOGIN.password));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("De LVS2000-database heeft versie 2.9.0001; BRON Sync vereist minimaal versie 2.10. Werk LVS2000 eerst bij.");
    } finally {
      tds.db.prepare("UPDATE DatabaseVersie SET Versie = ?").run(before[0]);
    }
  });

  it("refuses a database without the LVS2000 tables", async () => {
    const empty = await startTdsServer({ database: ":memory:", logins: { [SQL_LOGIN.user]: SQL_LOGIN.password }, tls: { cert: pki.server.cert, key: pki.server.key, forceEncryption: true } });
    try {
      const r = await cli(flags(SQL_LOGIN.password).map((a) => (a === String(tds.port) ? String(empty.port) : a)));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("Database 'LVS2000' is geen LVS2000-database: de tabellen Aanleverpunt, Vestiging, Leerling, Adres, Inschrijving, DatabaseVersie ontbreken.");
    } finally {
      await empty.stop();
    }
  });

  it("configures non-interactively: the file is readable by its owner only, and a second run keeps the other settings", async () => {
    const r = await cli(flags(SQL_LOGIN.password));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Verbinding geslaagd: LVS2000-database 'LVS2000' versie");
    expect(statSync(cfg()).mode & 0o777).toBe(0o600);
    const written = JSON.parse(readFileSync(cfg(), "utf8")) as Record<string, string>;
    expect(written).toMatchObject({ RELAY_SQL_SERVER: "localhost", RELAY_SQL_PORT: String(tds.port), RELAY_SQL_DATABASE: "LVS2000", RELAY_SQL_AUTH: "sql", RELAY_SQL_PASSWORD: SQL_LOGIN.password, RELAY_SQL_CA_FILE: caPath });
    writeFileSync(cfg(), JSON.stringify({ ...written, RELAY_HMAC_KEY: "behouden" }));
    expect((await cli(flags(SQL_LOGIN.password))).status).toBe(0);
    expect(JSON.parse(readFileSync(cfg(), "utf8"))).toMatchObject({ RELAY_HMAC_KEY: "behouden" });
    expect(statSync(cfg()).mode & 0o777).toBe(0o600);
  });

  it("install writes a systemd unit that systemd-analyze accepts (systemd does not run here: said, not started); uninstall removes it", async () => {
    const analyze = ensureDebianTool("systemd-analyze", "systemd");
    const units = join(dir, "units");
    const r = await cli(["install", "--config", cfg(), "--gebruiker", "bronsync-relay", "--unit-map", units]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Service-unit geschreven: ${join(units, "bronsync-relay.service")}`);
    expect(r.stdout).toContain("de service is niet ingeschakeld of gestart");
    const unit = readFileSync(join(units, "bronsync-relay.service"), "utf8");
    expect(unit).toContain(`ExecStart=${process.execPath} ${bin} start --config ${cfg()}`);
    expect(unit).toContain("User=bronsync-relay");
    const verified = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(analyze, ["verify", join(units, "bronsync-relay.service")], { stdio: ["ignore", "pipe", "pipe"] });
      let err = "";
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      child.on("close", (code) => resolve({ code, err }));
    });
    expect(verified).toEqual({ code: 0, err: "" });
    const u = await cli(["uninstall", "--unit-map", units]);
    expect(u.stdout).toContain("Service bronsync-relay verwijderd");
    expect(readdirSync(units)).toEqual([]);
  }, 600_000);

  // systemd as PID 1 of a private PID + mount namespace (unshare), the way a container runs it: the host's
  // /run, /var/lib, /opt, /sys/fs/cgroup, /etc/passwd and /etc/systemd/system are covered inside it, so the
  // machine is not changed (except empty cgroup folders, removed afterwards). Where systemd already runs
  // as PID 1 (or this is not root) this is not tried; the unit then is only verified above.
  const canProbeSystemd = process.platform === "linux" && process.getuid?.() === 0 && !existsSync("/run/systemd/system") && !/^\/(tmp|home|root)\//.test(process.execPath);
  it.runIf(canProbeSystemd)("systemd runs the installed unit: as the service user, only the state and configuration folders writable, restarted after a failure", async () => {
    ensureDebianTool("systemd-analyze", "systemd");
    const sd = join(dir, "systemd-probe");
    const units = join(sd, "units");
    mkdirSync(join(units, "bronsync-relay.service.d"), { recursive: true });
    const passwd = readFileSync("/etc/passwd", "utf8");
    const taken = new Set(passwd.split("\n").map((l) => Number(l.split(":")[2])));
    const uid = [...Array(100).keys()].map((i) => 900 + i).find((n) => !taken.has(n))!;
    writeFileSync(join(sd, "passwd"), `${passwd.trimEnd()}\nbronsync-relay:x:${uid}:${uid}:BRON Sync relay:/nonexistent:/usr/sbin/nologin\n`);
    writeFileSync(join(sd, "group"), `${readFileSync("/etc/group", "utf8").trimEnd()}\nbronsync-relay:x:${uid}:\n`);
    // a configuration without a key: the relay reads it as the service user, says it is not registered, exits 1
    writeFileSync(join(sd, "relay.json"), JSON.stringify({ RELAY_SQL_SERVER: "localhost", RELAY_SQL_DATABASE: "LVS2000" }));
    writeFileSync(join(units, "relay-probe.target"), "[Unit]\nDefaultDependencies=no\nWants=systemd-journald.socket systemd-journald.service bronsync-relay.service\n");
    // probe only: no sysinit.target (udev, sysctl, tmpfiles would act on this shared machine); as root but
    // inside the unit's sandbox, the configuration and state folders are writable and /etc, /usr, /var are not
    writeFileSync(
      join(units, "bronsync-relay.service.d", "probe.conf"),
      "[Unit]\nDefaultDependencies=no\n[Service]\nExecStartPre=!/bin/sh -c 'touch /var/lib/bronsync-relay-config/proef /var/lib/bronsync-relay/proef || exit 1; for d in /etc /usr /var; do touch $d/proef 2>/dev/null && { echo \"$d schrijfbaar\"; exit 1; }; done; echo sandbox-ok'\n",
    );
    for (const u of ["systemd-tmpfiles-setup.service", "systemd-tmpfiles-clean.timer", "systemd-sysctl.service", "systemd-udevd.service", "systemd-udev-trigger.service", "systemd-modules-load.service", "systemd-binfmt.service", "systemd-timesyncd.service", "systemd-networkd.service", "systemd-remount-fs.service", "getty.target", "network-online.target"]) {
      symlinkSync("/dev/null", join(units, u));
    }
    const install = join(dir, "school");
    const binInside = "/opt/bronsync-relay/node_modules/bronsync-relay/bin/bronsync-relay.js";
    writeFileSync(
      join(sd, "init.sh"),
      [
        "set -e",
        "mount --make-rprivate /",
        "mount -t tmpfs tmpfs /run",
        "mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup",
        "mount -t tmpfs tmpfs /var/lib",
        "mount -t tmpfs tmpfs /opt",
        `mkdir /opt/bronsync-relay && mount --bind ${install} /opt/bronsync-relay`,
        `mount --bind ${sd}/passwd /etc/passwd && mount --bind ${sd}/group /etc/group && mount --bind ${units} /etc/systemd/system`,
        `mkdir /var/lib/bronsync-relay-config && cp ${sd}/relay.json /var/lib/bronsync-relay-config/ && chown -R ${uid}:${uid} /var/lib/bronsync-relay-config && chmod 600 /var/lib/bronsync-relay-config/relay.json`,
        `${process.execPath} ${binInside} install --config /var/lib/bronsync-relay-config/relay.json --gebruiker bronsync-relay --unit-map /etc/systemd/system > ${sd}/install.out`,
        "exec env container=other /lib/systemd/systemd --system --unit=relay-probe.target --show-status=no",
        "",
      ].join("\n"),
    );
    const cgroupsBefore = new Set(cgroupDirs());
    const ns = spawn("unshare", ["--pid", "--fork", "--mount-proc", "--mount", "--cgroup", "--propagation", "private", "sh", join(sd, "init.sh")], { stdio: "ignore" });
    let init = 0;
    const inside = (args: string[]) => spawnSync("nsenter", ["-t", String(init), "-m", "-p", ...args], { encoding: "utf8" }).stdout ?? "";
    try {
      await expect.poll(() => (init = Number(readFileSync(`/proc/${ns.pid}/task/${ns.pid}/children`, "utf8").trim() || 0)), { timeout: 10_000 }).toBeGreaterThan(0);
      const journal = () => inside(["journalctl", "-u", "bronsync-relay", "--no-pager", "-o", "cat"]);
      const notRegistered = "Deze relay is nog niet aangemeld bij BRON Sync Cloud";
      // restarted: the second run's message comes RestartSec=10 after the first
      await expect.poll(() => journal().split(notRegistered).length - 1, { timeout: 60_000, interval: 1000 }).toBeGreaterThanOrEqual(2);
      expect(readFileSync(join(sd, "install.out"), "utf8")).toContain("Service-unit geschreven: /etc/systemd/system/bronsync-relay.service");
      expect(journal()).toContain("sandbox-ok");
      expect(journal()).not.toContain("schrijfbaar");
      expect(inside(["systemctl", "show", "bronsync-relay", "-p", "User", "-p", "Restart", "-p", "ProtectSystem", "-p", "StateDirectory"]).trim().split("\n").sort()).toEqual(
        ["ProtectSystem=strict", "Restart=on-failure", "StateDirectory=bronsync-relay", "User=bronsync-relay"],
      );
      expect(Number(inside(["systemctl", "show", "bronsync-relay", "-p", "NRestarts", "--value"]).trim())).toBeGreaterThanOrEqual(1);
      // systemd made the state folder for the service user
      expect(inside(["stat", "-c", "%U", "/var/lib/bronsync-relay"]).trim()).toBe("bronsync-relay");
      // and the update supervisor (`start`) keeps its state there: updates on, as the service user
      expect(journal()).toMatch(/"event":"supervisor_gestart".*"map":"\/var\/lib\/bronsync-relay","updates":true/);
      expect(inside(["stat", "-c", "%U", "/var/lib/bronsync-relay/versies"]).trim()).toBe("bronsync-relay");
    } finally {
      if (init > 0) process.kill(init, "SIGKILL");
      await new Promise((r) => (ns.exitCode !== null || ns.signalCode !== null ? r(null) : ns.once("exit", r)));
      // the namespace's systemd left its (now empty) cgroups in the machine's hierarchies
      for (const d of cgroupDirs().filter((d) => !cgroupsBefore.has(d)).sort((a, b) => b.length - a.length)) {
        try {
          rmdirSync(d);
        } catch {
          // in use by someone else: not ours to remove
        }
      }
    }
  }, 600_000);

  it("start refuses to run before it is registered, then runs from the installed folder with its configuration", async () => {
    const key = randomBytes(32);
    const plain = JSON.parse(readFileSync(cfg(), "utf8")) as Record<string, string>;
    delete plain.RELAY_HMAC_KEY;
    writeFileSync(cfg(), JSON.stringify(plain), { mode: 0o600 });
    writeFileSync(join(dir, "kapot.json"), "{ niet af");
    const garbled = await cli(["start", "--config", join(dir, "kapot.json")]);
    expect(garbled.status).toBe(1);
    expect(garbled.stderr).toBe(`De configuratie ${join(dir, "kapot.json")} is niet te lezen (geen geldige JSON): voer bronsync-relay configure opnieuw uit.\n`);
    const refused = await cli(["start", "--config", cfg()]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("nog niet aangemeld");

    const port = await freePort();
    writeFileSync(cfg(), JSON.stringify({ ...plain, RELAY_HMAC_KEY: key.toString("base64"), RELAY_TRANSPORT: "local", RELAY_LISTEN_PORT: String(port), RELAY_TLS_CERT_FILE: pki.server.certPath, RELAY_TLS_KEY_FILE: pki.server.keyPath, RELAY_DATA_DIR: join(dir, "data") }), { mode: 0o600 });
    relay = spawn(process.execPath, [bin, "start", "--config", cfg()], { env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    relay.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    relay.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    await expect.poll(() => out, { timeout: 30_000 }).toContain("relay_started");
    const client = createRelayClient({ baseUrl: `https://localhost:${port}`, key, ca: pki.ca.cert });
    const health = await client.health();
    expect(health).toMatchObject({ relayVersion: RELAY_VERSION });
    expect((await client.aanleverpunten()).length).toBeGreaterThan(0);
  }, 60_000);
});
