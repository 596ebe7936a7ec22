#!/usr/bin/env node
// The bronsync-relay command (see README.md in this package). Every command runs dist/cli.js
// (src/relay/cli.ts, bundled) — except `start`, which runs the small supervisor below: it runs the
// active relay version as a child process, swaps to a verified update when the relay says one is ready,
// gives the new version a trial and rolls back when it does not come up healthy (docs/relay.md "Update").
// Plain JavaScript without dependencies, so it keeps working whatever version it runs. The files it shares
// with the relay are described in src/relay/update/state.ts; the messages in src/relay/update/supervisor-ipc.ts.
import { fork } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const INSTALLED = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const INSTALLED_VERSION = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
const args = process.argv.slice(2);

async function runFrom(file, argv) {
  try {
    const { runCli } = await import(pathToFileURL(file).href);
    const code = await runCli(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, platform: process.platform });
    if (code !== "running") process.exitCode = code;
  } catch (e) {
    // no stack trace for the school's IT: the message, and the kind of error for a support call
    console.error(`bronsync-relay is gestopt door een onverwachte fout: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    process.exitCode = 1;
  }
}

const log = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), event, ...fields })}\n`);

/** semver order of MAJOR.MINOR.PATCH (null when either is not one) */
function compare(a, b) {
  const re = /^(\d+)\.(\d+)\.(\d+)$/;
  const x = re.exec(a ?? "");
  const y = re.exec(b ?? "");
  if (!x || !y) return null;
  for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
  return 0;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

function writeJson(path, value) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value)}\n`);
  renameSync(tmp, path);
}

/** The two settings the supervisor reads itself (the environment wins over the configuration file), and the data folder. */
function settings(argv) {
  const at = argv.findIndex((a) => a === "--config" || a.startsWith("--config="));
  const configPath =
    at >= 0
      ? argv[at].includes("=")
        ? argv[at].slice(argv[at].indexOf("=") + 1)
        : argv[at + 1]
      : (process.env.RELAY_CONFIG_FILE ??
        (process.platform === "win32" ? join(process.env.ProgramData ?? "C:\\ProgramData", "BronSync Relay", "relay.json") : "/etc/bronsync-relay/relay.json"));
  // the relay itself reports a missing or unreadable configuration; here only two settings are read
  const fileConfig = (configPath && readJson(configPath)) || {};
  const setting = (key) => process.env[key] || (fileConfig[key] === undefined || fileConfig[key] === "" ? undefined : String(fileConfig[key]));
  const data = setting("RELAY_DATA_DIR") ?? (process.platform === "win32" ? join(process.env.ProgramData ?? "C:\\ProgramData", "BronSync Relay") : "/var/lib/bronsync-relay");
  return { setting, data };
}

/** `versie`: the installed package's version, and the version the supervisor runs when an update replaced it. */
function version(argv) {
  process.stdout.write(`${INSTALLED_VERSION}\n`);
  const { data } = settings(argv);
  const active = readJson(join(data, "actief.json"));
  if (active && typeof active.versie === "string" && active.pad && active.versie !== INSTALLED_VERSION && existsSync(active.pad)) {
    process.stdout.write(`actief: ${active.versie} (bijgewerkt; ${active.pad})\n`);
  }
}

async function supervise(argv) {
  const { setting, data } = settings(argv);
  const trialSeconds = Number(setting("RELAY_UPDATE_PROEFTIJD_SECONDEN") ?? 120);
  if (!Number.isInteger(trialSeconds) || trialSeconds < 5 || trialSeconds > 3600) {
    console.error(`RELAY_UPDATE_PROEFTIJD_SECONDEN moet een geheel aantal seconden zijn van 5 tot en met 3600 (nu: ${setting("RELAY_UPDATE_PROEFTIJD_SECONDEN")}).`);
    process.exitCode = 2;
    return;
  }
  const STOP_MS = 15_000;
  const MAX_FAILED_STARTS = 3;
  const activeFile = join(data, "actief.json");
  const resultFile = join(data, "update-resultaat.json");

  let updates = true;
  try {
    mkdirSync(join(data, "versies"), { recursive: true });
    accessSync(data, constants.W_OK);
  } catch (e) {
    updates = false;
    log("supervisor_updates_uit", { map: data, melding: `De map ${data} is niet schrijfbaar (${e.code ?? e.message}): automatisch bijwerken staat uit. Zet RELAY_DATA_DIR of maak de map schrijfbaar voor het service-account.` });
  }

  const installed = { versie: INSTALLED_VERSION, pad: null };
  const record = (versie, resultaat, melding) => {
    if (updates) writeJson(resultFile, { versie, resultaat, melding, op: new Date().toISOString(), gemeld: false });
  };
  // versions rolled back here are never tried again (a published version never changes: a fix gets a new number)
  const listed = updates ? readJson(activeFile)?.teruggedraaid : undefined;
  const rolledBack = new Set(Array.isArray(listed) ? listed.filter((v) => typeof v === "string") : []);
  const saveActive = (a) => {
    if (updates) writeJson(activeFile, { ...a, teruggedraaid: [...rolledBack].slice(-20) });
  };

  // which version to run: a stored update when it is newer than the installed package and still there
  let active = updates ? readJson(activeFile) : null;
  // a version given up on: recorded for the heartbeat, never tried again, `back` runs from now on (logged last:
  // when the line is there, the files say so too)
  const rollBackTo = (failed, back, melding) => {
    record(failed, "TERUGGEZET", melding);
    rolledBack.add(failed);
    active = { ...back, status: "actief", mislukteStarts: 0, vorige: null };
    saveActive(active);
    log("supervisor_update_teruggedraaid", { versie: failed, melding });
  };
  const usable = (a) => a && typeof a.versie === "string" && typeof a.pad === "string" && a.pad === join(data, "versies", a.versie, "cli.js") && existsSync(a.pad) && compare(a.versie, INSTALLED_VERSION) > 0;
  if (active && active.status === "proef" && usable(active)) {
    // the supervisor stopped during a trial (crash, reboot, kill): the trial failed
    const back = usable(active.vorige) ? active.vorige : installed;
    rollBackTo(active.versie, back, `Update naar versie ${active.versie} teruggedraaid: de relay stopte tijdens de proef. Versie ${back.versie} draait weer.`);
  }
  if (!usable(active)) active = { ...installed, status: "actief", mislukteStarts: 0, vorige: null };

  let child = null;
  let stopping = false;
  let trial = null; // { timer, vorige }
  let exited = null; // resolves when the current child exits
  let healthy = false;

  const startChild = (entry) => {
    healthy = false;
    const c = fork(SELF, argv, {
      env: { ...process.env, BRONSYNC_RELAY_SUPERVISOR: "1", BRONSYNC_RELAY_CLI: entry.pad ?? INSTALLED, RELAY_DATA_DIR: data, ...(updates ? {} : { RELAY_UPDATES: "uit" }) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child = c;
    exited = new Promise((resolve) => c.once("exit", (code, signal) => resolve({ code, signal })));
    c.on("message", (m) => {
      if (c !== child || typeof m !== "object" || m === null) return;
      if (m.soort === "gezond") onHealthy();
      else if (m.soort === "update-klaar") void swap(m);
    });
    exited.then(({ code, signal }) => {
      if (c === child) void onExit(code, signal);
    });
  };

  const stopChild = async (waitMs = STOP_MS) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const done = exited;
    child = null;
    if (c.connected) c.send({ soort: "stop" });
    else c.kill("SIGTERM");
    const timer = setTimeout(() => c.kill("SIGKILL"), waitMs);
    await done;
    clearTimeout(timer);
  };

  const onHealthy = () => {
    healthy = true;
    if (active.mislukteStarts) saveActive((active = { ...active, mislukteStarts: 0 }));
    if (!trial) return;
    clearTimeout(trial.timer);
    const from = trial.vorige;
    trial = null;
    active = { ...active, status: "actief", mislukteStarts: 0 };
    saveActive(active);
    const melding = `Bijgewerkt van versie ${from.versie} naar ${active.versie}.`;
    record(active.versie, "GESLAAGD", melding);
    // keep the running version and the one before it; older stored versions go
    for (const v of readdirSync(join(data, "versies"))) {
      if (/^\d+\.\d+\.\d+$/.test(v) && v !== active.versie && v !== from.versie) rmSync(join(data, "versies", v), { recursive: true, force: true });
    }
    // logged last: when the line is there, the files say so too
    log("supervisor_update_geslaagd", { versie: active.versie, melding });
  };

  const rollBack = async (reden) => {
    if (!trial) return;
    clearTimeout(trial.timer);
    const failed = active.versie;
    const back = trial.vorige;
    trial = null;
    // a version on trial that failed gets little time to stop cleanly
    await stopChild(5_000);
    rollBackTo(failed, back, `Update naar versie ${failed} teruggedraaid: ${reden}. Versie ${back.versie} draait weer.`);
    if (!stopping) startChild(active);
  };

  const swap = async (m) => {
    const pad = join(data, "versies", String(m.versie), "cli.js");
    if (!updates || trial || stopping || m.pad !== pad || !existsSync(pad) || !(compare(m.versie, active.versie) > 0)) return;
    if (rolledBack.has(m.versie)) {
      log("supervisor_update_overgeslagen", { versie: m.versie, melding: `Versie ${m.versie} is hier al eens teruggedraaid en wordt niet opnieuw geprobeerd.` });
      return;
    }
    const vorige = { versie: active.versie, pad: active.pad };
    log("supervisor_update_proef", { versie: m.versie, proeftijdSeconden: trialSeconds, melding: `Overschakelen van versie ${vorige.versie} naar ${m.versie}; de nieuwe versie moet binnen ${trialSeconds} s gezond zijn.` });
    active = { versie: m.versie, pad, status: "proef", mislukteStarts: 0, vorige };
    saveActive(active);
    trial = { vorige, timer: null };
    await stopChild();
    if (stopping) return;
    trial.timer = setTimeout(() => void rollBack(`de nieuwe versie meldde zich niet binnen ${trialSeconds} s gezond (LVS2000 bereikt en hartslag geaccepteerd)`), trialSeconds * 1000);
    startChild(active);
  };

  const onExit = async (code, signal) => {
    child = null;
    if (stopping) return;
    const how = signal ? `signaal ${signal}` : `code ${code}`;
    if (trial) return rollBack(`de nieuwe versie stopte tijdens de proef (${how})`);
    // a stored version that keeps stopping before it is healthy: back to the installed package
    if (active.pad && !healthy) {
      const failedStarts = (active.mislukteStarts ?? 0) + 1;
      if (failedStarts >= MAX_FAILED_STARTS) {
        rollBackTo(active.versie, installed, `Update naar versie ${active.versie} teruggedraaid: de relay stopte ${failedStarts} keer na elkaar voordat hij gezond was (${how}). Versie ${INSTALLED_VERSION} (het geïnstalleerde pakket) draait weer.`);
      } else saveActive((active = { ...active, mislukteStarts: failedStarts }));
    }
    // the service manager (systemd, the Windows service) restarts the supervisor
    process.exitCode = code ?? 1;
  };

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    if (trial?.timer) clearTimeout(trial.timer);
    await stopChild();
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());

  log("supervisor_gestart", { versie: active.versie, geinstalleerd: INSTALLED_VERSION, map: data, updates });
  startChild(active);
}

if (process.env.BRONSYNC_RELAY_SUPERVISOR === "1" && process.env.BRONSYNC_RELAY_CLI) {
  // the relay itself, run by the supervisor (possibly a stored update)
  await runFrom(process.env.BRONSYNC_RELAY_CLI, args);
} else if (args[0] === "start" && !args.includes("--zonder-supervisor")) {
  await supervise(args);
} else if (args[0] === "versie" || args[0] === "--version") {
  version(args);
} else {
  await runFrom(INSTALLED, args.filter((a) => a !== "--zonder-supervisor"));
}
