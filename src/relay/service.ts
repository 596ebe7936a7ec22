import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, win32 } from "node:path";
import { parseArgs } from "node:util";
import type { CliIo } from "./configure.js";
import { relayDataDir } from "./update/state.js";

/**
 * `bronsync-relay install` / `uninstall`: the relay as a service. On Linux a systemd unit
 * (`bronsync-relay.service`) that runs `bronsync-relay start` as an unprivileged service account,
 * restarts it when it fails, and lets it write nothing but its journal. When systemd is not running
 * on the machine (a container), the unit is written and the output says it was not started.
 * On Windows a Windows service through node-windows (npm), which ships the winsw service wrapper: it is
 * a bundled dependency of the package (packages/relay/package.json) and loaded only on win32.
 */

const SERVICE_NAME = "bronsync-relay";

export interface UnitOptions {
  /** absolute path of the node executable */
  node: string;
  /** absolute path of bin/bronsync-relay.js */
  bin: string;
  config: string;
  user: string;
}

const quote = (s: string) => (/^[A-Za-z0-9_./:=@+-]+$/.test(s) ? s : `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`);

/** The systemd unit text. */
export function systemdUnit(o: UnitOptions): string {
  return `# BRON Sync relay — written by \`bronsync-relay install\`; \`bronsync-relay uninstall\` removes it.
[Unit]
Description=BRON Sync relay (LVS2000 naar BRON Sync Cloud)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${o.user}
ExecStart=${quote(o.node)} ${quote(o.bin)} start --config ${quote(o.config)}
Restart=on-failure
RestartSec=10
# /var/lib/bronsync-relay (made and owned by systemd for User=) holds the downloaded updates; the
# configuration's folder stays writable because the relay rewrites its file when the cloud rotates the key
# ("-": a missing folder is the relay's own Dutch message, not a namespace failure of systemd)
StateDirectory=${SERVICE_NAME}
ReadWritePaths=${quote(`-${dirname(o.config)}`)} /var/lib/${SERVICE_NAME}
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX

[Install]
WantedBy=multi-user.target
`;
}

/** The Windows service: display name, and the id node-windows derives from it (the service is `bronsyncrelay.exe`). */
export const WINDOWS_SERVICE = { name: "BronSync Relay", id: "bronsyncrelay", exe: "bronsyncrelay.exe" } as const;
/** Default account: the built-in low-privilege LocalService (outbound network as anonymous; no password). */
const WINDOWS_DEFAULT_ACCOUNT = "NT AUTHORITY\\LocalService";

export interface WindowsServiceInput {
  node: string;
  bin: string;
  config: string;
  /** `DOMEIN\naam`; default WINDOWS_DEFAULT_ACCOUNT */
  account?: string;
  /** the relay's data folder (RELAY_DATA_DIR, default %ProgramData%\BronSync Relay) */
  dataDir: string;
}

/** What runService gives node-windows on win32 (exactly this; test/unit/relay-service.test.ts feeds it to node-windows' own XML generation). */
export interface WindowsServiceOptions {
  /** the options of `new Service(…)` */
  service: {
    name: string;
    description: string;
    script: string;
    execPath: string;
    scriptOptions: string;
    nodeOptions: string[];
    env: { name: string; value: string }[];
    workingDirectory: string;
    logpath: string;
    logging: { mode: "roll-by-size"; sizeThreshold: number; keepFiles: number };
    wait: number;
    grow: number;
    maxRestarts: number;
  };
  /** `service.logOnAs`: the account the service runs as (built-in and managed accounts have no password) */
  logOnAs: { domain: string; account: string; password: string };
  /** `service.directory(…)`: node-windows keeps winsw (bronsyncrelay.exe, .xml) in `<directory>\daemon` */
  directory: string;
}

/** Splits `DOMEIN\naam`; undefined for anything else. */
function parseWindowsAccount(account: string): { domain: string; account: string } | undefined {
  const m = /^([^\\/\s][^\\/]*)\\([^\\/]+)$/.exec(account.trim());
  return m ? { domain: m[1]!, account: m[2]! } : undefined;
}

/**
 * The service as node-windows should install it. node-windows runs `node <its wrapper.js> --file <bin>
 * --scriptoptions=<…>` under winsw; the wrapper starts `bin` with the script options split on spaces
 * and restarts it when it stops. So `start --config <file>` is passed as script options only when the
 * path has no whitespace; otherwise (the default %ProgramData%\BronSync Relay\relay.json) the path goes
 * in the service's environment as RELAY_CONFIG_FILE, which `start` reads when --config is absent.
 */
export function windowsServiceOptions(o: WindowsServiceInput): WindowsServiceOptions {
  const logOnAs = parseWindowsAccount(o.account ?? WINDOWS_DEFAULT_ACCOUNT);
  if (!logOnAs) throw new Error(`Ongeldig service-account '${o.account}': geef het als DOMEIN\\naam, bijvoorbeeld ${WINDOWS_DEFAULT_ACCOUNT}.`);
  const spaced = /\s/.test(o.config);
  return {
    service: {
      name: WINDOWS_SERVICE.name,
      description: "BRON Sync relay: verbindt de LVS2000-database van de school met BRON Sync Cloud (alleen uitgaand HTTPS).",
      script: o.bin,
      execPath: o.node,
      scriptOptions: spaced ? "start" : `start --config ${o.config}`,
      // node-windows' default is ['--harmony']
      nodeOptions: [],
      env: spaced ? [{ name: "RELAY_CONFIG_FILE", value: o.config }] : [],
      workingDirectory: o.dataDir,
      logpath: win32.join(o.dataDir, "logs"),
      // winsw keeps at most 8 files of 10 MB per stream
      logging: { mode: "roll-by-size", sizeThreshold: 10240, keepFiles: 8 },
      // restart 10 s after every stop, like systemd's RestartSec=10; no growth (node-windows' grow never
      // resets), and 5 starts within 60 s (never reached at 10 s apart) before the wrapper gives up
      wait: 10,
      grow: 0,
      maxRestarts: 5,
    },
    logOnAs: { ...logOnAs, password: "" },
    directory: o.dataDir,
  };
}

/** The part of node-windows (npm) runService uses. */
export interface NodeWindows {
  isAdminUser(callback: (admin: boolean) => void): void;
  Service: new (options: WindowsServiceOptions["service"]) => NodeWindowsService;
}
interface NodeWindowsService {
  logOnAs: WindowsServiceOptions["logOnAs"];
  directory(dir: string): string;
  on(event: string, listener: (e?: unknown) => void): unknown;
  install(): void;
  uninstall(): void;
  start(): void;
}

// A non-literal specifier keeps the bundler (packages/relay/build.mjs) from inlining node-windows: it
// stays the package's bundled dependency, with winsw.exe next to it, and Linux never loads it.
const NODE_WINDOWS = "node-windows";
async function importNodeWindows(): Promise<NodeWindows> {
  const m = (await import(NODE_WINDOWS)) as { default: NodeWindows };
  return m.default;
}

/** node-windows 1.0.0-beta.8 prints the whole winsw configuration (a leftover debug line) while installing: not for the school's IT. */
function withoutDebugPrint<T>(run: () => T): T {
  const log = console.log;
  console.log = (...args: unknown[]) => {
    const first = args[0] as { loc?: unknown } | undefined;
    if (!(typeof first === "object" && first !== null && typeof first.loc === "string" && first.loc.startsWith("winsw.js"))) log(...args);
  };
  try {
    return run();
  } finally {
    console.log = log;
  }
}

async function runWindows(command: "install" | "uninstall", a: { config?: string; gebruiker?: string }, io: CliIo, self: { node: string; bin: string; defaultConfig: string }, load: () => Promise<NodeWindows>): Promise<number> {
  const dataDir = relayDataDir(io.env, "win32");
  const config = a.config ?? self.defaultConfig;
  let o: WindowsServiceOptions;
  try {
    o = windowsServiceOptions({ node: self.node, bin: self.bin, config, dataDir, ...(a.gebruiker ? { account: a.gebruiker } : {}) });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const nw = await load();
  const admin = await new Promise<boolean>((resolve) => nw.isAdminUser(resolve));
  if (!admin) {
    io.stderr.write(`Voor ${command === "install" ? "installeren" : "verwijderen"} van de service zijn beheerdersrechten nodig: open de opdrachtprompt als Administrator en probeer het opnieuw.\n`);
    return 1;
  }
  const svc = new nw.Service(o.service);
  svc.logOnAs = o.logOnAs;
  svc.directory(o.directory);
  const account = `${o.logOnAs.domain}\\${o.logOnAs.account}`;
  const where = win32.join(o.directory, "daemon");
  return new Promise<number>((resolve) => {
    // node-windows reports some failures to start only in the event log, without an event
    let waiting: NodeJS.Timeout | undefined;
    const fail = (what: string) => (e?: unknown) => {
      clearTimeout(waiting);
      io.stderr.write(`${what}${e ? `: ${e instanceof Error ? e.message : String(e)}` : ""}\n`);
      resolve(1);
    };
    svc.on("error", fail(`De service '${WINDOWS_SERVICE.name}' gaf een fout`));
    if (command === "install") {
      if (!existsSync(config)) io.stdout.write(`Let op: ${config} bestaat nog niet; voer bronsync-relay configure uit voordat de service start.\n`);
      svc.on("alreadyinstalled", () => {
        io.stdout.write(`De service '${WINDOWS_SERVICE.name}' (${WINDOWS_SERVICE.exe}) is al geïnstalleerd; voer eerst bronsync-relay uninstall uit om hem opnieuw te installeren.\n`);
        resolve(1);
      });
      svc.on("invalidinstallation", fail(`De service '${WINDOWS_SERVICE.name}' is half geïnstalleerd (bestanden in ${where} ontbreken); voer bronsync-relay uninstall uit en installeer opnieuw`));
      svc.on("install", () => {
        io.stdout.write(`Service '${WINDOWS_SERVICE.name}' (${WINDOWS_SERVICE.exe}) geïnstalleerd: start automatisch bij het opstarten, als ${account}, en herstart 10 s nadat hij stopt. Servicebestanden: ${where}. Logboeken: ${o.service.logpath} (herstarts: Logboeken > Windows-logboeken > Toepassing, bron '${WINDOWS_SERVICE.name} wrapper').\n`);
        waiting = setTimeout(() => {
          io.stderr.write(`De service is geïnstalleerd maar meldde zich niet binnen 60 s als gestart: kijk met sc query ${WINDOWS_SERVICE.exe} en in Logboeken > Windows-logboeken > Toepassing.\n`);
          resolve(1);
        }, 60_000);
        svc.start();
      });
      svc.on("start", () => {
        clearTimeout(waiting);
        io.stdout.write(`Service gestart. Status: sc query ${WINDOWS_SERVICE.exe}\n`);
        resolve(0);
      });
      withoutDebugPrint(() => svc.install());
      return;
    }
    svc.on("alreadyuninstalled", () => {
      io.stdout.write(`Geen service '${WINDOWS_SERVICE.name}' gevonden in ${where}: er is niets te verwijderen.\n`);
      resolve(0);
    });
    svc.on("uninstall", () => {
      io.stdout.write(`Service '${WINDOWS_SERVICE.name}' (${WINDOWS_SERVICE.exe}) gestopt en verwijderd. De configuratie (${config}) en de logboeken (${o.service.logpath}) zijn blijven staan.\n`);
      resolve(0);
    });
    svc.uninstall();
  });
}

const OPTIONS = {
  config: { type: "string" },
  gebruiker: { type: "string" },
  /** where the unit goes (tests; default /etc/systemd/system) */
  "unit-map": { type: "string" },
} as const;

function systemdRunning(): boolean {
  return existsSync("/run/systemd/system");
}

function systemctl(io: CliIo, args: string[]): boolean {
  const r = spawnSync("systemctl", args, { encoding: "utf8" });
  if (r.status !== 0) io.stderr.write(`systemctl ${args.join(" ")} mislukte: ${(r.stderr || String(r.error ?? "")).trim()}\n`);
  return r.status === 0;
}

export function runService(
  command: "install" | "uninstall",
  argv: string[],
  io: CliIo,
  self: { node: string; bin: string; defaultConfig: string },
  /** how node-windows is loaded on win32 (tests give a recorder; the real one is the package's bundled dependency) */
  loadNodeWindows: () => Promise<NodeWindows> = importNodeWindows,
): number | Promise<number> {
  let a;
  try {
    a = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (io.platform === "win32") return runWindows(command, a, io, self, loadNodeWindows);
  if (io.platform !== "linux") {
    io.stderr.write(`Installeren als service kan op Windows en Linux (systemd); dit systeem is ${io.platform}.\n`);
    return 1;
  }
  const dir = a["unit-map"] ?? "/etc/systemd/system";
  const unit = join(dir, `${SERVICE_NAME}.service`);
  const live = systemdRunning() && a["unit-map"] === undefined;
  if (command === "install") {
    const config = a.config ?? self.defaultConfig;
    const user = a.gebruiker ?? SERVICE_NAME;
    if (!existsSync(config)) io.stdout.write(`Let op: ${config} bestaat nog niet; voer bronsync-relay configure uit voordat de service start.\n`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(unit, systemdUnit({ node: self.node, bin: self.bin, config, user }), { mode: 0o644 });
    io.stdout.write(`Service-unit geschreven: ${unit} (draait als gebruiker ${user}; maak die aan met: useradd --system --no-create-home ${user}, en maak ${config} van die gebruiker).\n`);
    if (!live) {
      io.stdout.write("systemd draait niet op deze machine (of --unit-map is gegeven): de service is niet ingeschakeld of gestart.\n");
      return 0;
    }
    if (!systemctl(io, ["daemon-reload"]) || !systemctl(io, ["enable", "--now", SERVICE_NAME])) return 1;
    io.stdout.write(`Service ${SERVICE_NAME} ingeschakeld en gestart (start voortaan bij het opstarten). Status: systemctl status ${SERVICE_NAME}; logboek: journalctl -u ${SERVICE_NAME}.\n`);
    return 0;
  }
  if (!existsSync(unit)) {
    io.stdout.write(`Geen service-unit gevonden in ${unit}: er is niets te verwijderen.\n`);
    return 0;
  }
  if (live && !systemctl(io, ["disable", "--now", SERVICE_NAME])) return 1;
  rmSync(unit);
  if (live) systemctl(io, ["daemon-reload"]);
  io.stdout.write(`Service ${SERVICE_NAME} ${live ? "gestopt, uitgeschakeld en " : ""}verwijderd (${unit}). De configuratie is blijven staan.\n`);
  return 0;
}
