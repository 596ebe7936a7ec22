import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { systemdUnit, runService, windowsServiceOptions, WINDOWS_SERVICE, type NodeWindows, type WindowsServiceOptions } from "../../src/relay/service.js";

// The Windows service cannot be installed on this Linux machine (no service control manager). What is
// tested instead: the options our code hands node-windows on win32, and the winsw configuration
// node-windows' own code (lib/daemon.js → lib/winsw.js generateXml, the same code that writes
// bronsyncrelay.xml on Windows) makes of them. node-windows' main module refuses to load off Windows, so
// its Service class is taken from lib/daemon.js directly.

const require = createRequire(import.meta.url);

interface DaemonWithXml {
  logOnAs: WindowsServiceOptions["logOnAs"];
  directory(dir: string): string;
  readonly _xml: string;
}
const Daemon = require("node-windows/lib/daemon.js") as new (o: WindowsServiceOptions["service"]) => DaemonWithXml;
const wrapperJs = require.resolve("node-windows/lib/wrapper.js");

/** winsw's configuration as node-windows writes it for these options (its debug print silenced). */
function winswXml(o: WindowsServiceOptions): string {
  const svc = new Daemon(o.service);
  svc.logOnAs = o.logOnAs;
  svc.directory(o.directory);
  const log = console.log;
  console.log = () => {};
  try {
    return svc._xml;
  } finally {
    console.log = log;
  }
}

const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, "g"))].map((m) => m[1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&"));

describe("Windows service: the options for node-windows", () => {
  it("runs bin start --config FILE as LocalService, logs under the data folder, restarts 10 s after a stop", () => {
    const o = windowsServiceOptions({ node: "C:\\Program Files\\nodejs\\node.exe", bin: "C:\\BronSyncRelay\\node_modules\\bronsync-relay\\bin\\bronsync-relay.js", config: "D:\\relay\\relay.json", dataDir: "C:\\ProgramData\\BronSync Relay" });
    expect(o).toEqual({
      service: {
        name: "BronSync Relay",
        description: expect.stringContaining("BRON Sync relay") as unknown as string,
        script: "C:\\BronSyncRelay\\node_modules\\bronsync-relay\\bin\\bronsync-relay.js",
        execPath: "C:\\Program Files\\nodejs\\node.exe",
        scriptOptions: "start --config D:\\relay\\relay.json",
        nodeOptions: [],
        env: [],
        workingDirectory: "C:\\ProgramData\\BronSync Relay",
        logpath: "C:\\ProgramData\\BronSync Relay\\logs",
        logging: { mode: "roll-by-size", sizeThreshold: 10240, keepFiles: 8 },
        wait: 10,
        grow: 0,
        maxRestarts: 5,
      },
      logOnAs: { domain: "NT AUTHORITY", account: "LocalService", password: "" },
      directory: "C:\\ProgramData\\BronSync Relay",
    });
  });

  it("gives a configuration path with spaces in the environment, since node-windows' wrapper splits script options on spaces", () => {
    const o = windowsServiceOptions({ node: "node", bin: "bin.js", config: "C:\\ProgramData\\BronSync Relay\\relay.json", dataDir: "C:\\ProgramData\\BronSync Relay" });
    expect(o.service.scriptOptions).toBe("start");
    expect(o.service.env).toEqual([{ name: "RELAY_CONFIG_FILE", value: "C:\\ProgramData\\BronSync Relay\\relay.json" }]);
  });

  it("takes another account as DOMEIN\\naam and refuses anything else in Dutch", () => {
    expect(windowsServiceOptions({ node: "n", bin: "b", config: "c", dataDir: "d", account: "SCHOOL\\svc-relay$" }).logOnAs).toEqual({ domain: "SCHOOL", account: "svc-relay$", password: "" });
    expect(() => windowsServiceOptions({ node: "n", bin: "b", config: "c", dataDir: "d", account: "svc-relay" })).toThrow("Ongeldig service-account 'svc-relay': geef het als DOMEIN\\naam");
  });
});

describe("Windows service: the winsw configuration node-windows generates from them", () => {
  // node-windows resolves script and node with the path module of the machine it runs on: POSIX paths
  // here, so that they pass through unchanged
  const o = windowsServiceOptions({ node: "/opt/node/bin/node", bin: "/opt/relay/bin/bronsync-relay.js", config: "/etc/bronsync-relay/relay.json", dataDir: "/var/lib/bronsync relay" });
  const xml = winswXml(o);

  it("names the service and runs node on node-windows' wrapper, which starts bin start --config FILE", () => {
    expect(tag(xml, "id")).toEqual([WINDOWS_SERVICE.exe]);
    expect(tag(xml, "name")).toEqual(["BronSync Relay"]);
    expect(tag(xml, "executable")).toEqual(["/opt/node/bin/node"]);
    const args = tag(xml, "argument");
    expect(args.slice(0, 4)).toEqual([wrapperJs, "--file", "/opt/relay/bin/bronsync-relay.js", "--scriptoptions=start --config /etc/bronsync-relay/relay.json"]);
    expect(tag(xml, "workingdirectory")).toEqual(["/var/lib/bronsync relay"]);
    expect(xml).not.toContain("<env ");
  });

  it("restarts 10 s after every stop, without growing the wait", () => {
    const args = tag(xml, "argument");
    const flag = (f: string) => args[args.indexOf(f) + 1];
    expect(flag("--wait")).toBe("10");
    expect(flag("--grow")).toBe("0");
    expect(flag("--maxrestarts")).toBe("5");
    expect(flag("--abortonerror")).toBe("n");
    expect(args).not.toContain("--maxretries");
    expect(flag("--log")).toBe("BronSync Relay wrapper");
  });

  it("logs into the data folder's logs, rolled by size, and runs as LocalService without a password", () => {
    expect(tag(xml, "logpath")).toEqual(["\\var\\lib\\bronsync relay\\logs"]); // win32.join: the path is for Windows
    expect(xml).toMatch(/<log mode="roll-by-size">\s*<sizeThreshold>10240<\/sizeThreshold>\s*<keepFiles>8<\/keepFiles>\s*<\/log>/);
    expect(xml).toMatch(/<serviceaccount>\s*<domain>NT AUTHORITY<\/domain>\s*<user>LocalService<\/user>\s*<password><\/password>\s*<\/serviceaccount>/);
    expect(xml).not.toContain("allowservicelogon");
  });

  it("puts a configuration path with spaces in the service's environment", () => {
    const spaced = winswXml(windowsServiceOptions({ node: "/opt/node/bin/node", bin: "/opt/relay/bin/bronsync-relay.js", config: "/srv/bronsync relay/relay.json", dataDir: "/var/lib/x" }));
    expect(tag(spaced, "argument")).toContain("--scriptoptions=start");
    expect(spaced).toContain('<env name="RELAY_CONFIG_FILE" value="/srv/bronsync relay/relay.json"/>');
  });
});

/** Stands in for node-windows at the library boundary (the real one runs winsw.exe): records what runService gives it, and answers with its events. */
function recorder(opts: { admin: boolean; exists?: boolean; print?: unknown[][] }) {
  const seen: { options?: WindowsServiceOptions["service"]; logOnAs?: WindowsServiceOptions["logOnAs"]; directory?: string; calls: string[] } = { calls: [] };
  class Service extends EventEmitter {
    logOnAs = { domain: "", account: "", password: "" };
    constructor(options: WindowsServiceOptions["service"]) {
      super();
      seen.options = options;
    }
    directory(dir: string) {
      seen.directory = dir;
      return `${dir}\\daemon`;
    }
    install() {
      for (const args of opts.print ?? []) console.log(...args);
      seen.logOnAs = this.logOnAs;
      seen.calls.push("install");
      setImmediate(() => this.emit(opts.exists ? "alreadyinstalled" : "install"));
    }
    start() {
      seen.calls.push("start");
      setImmediate(() => this.emit("start"));
    }
    uninstall() {
      seen.calls.push("uninstall");
      setImmediate(() => this.emit(opts.exists === false ? "alreadyuninstalled" : "uninstall"));
    }
  }
  const nw: NodeWindows = { isAdminUser: (cb) => setImmediate(() => cb(opts.admin)), Service };
  return { seen, load: () => Promise.resolve(nw) };
}

function io(env: Record<string, string> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (c: Buffer) => (stdout += c.toString()));
  err.on("data", (c: Buffer) => (stderr += c.toString()));
  return { io: { stdin: new PassThrough(), stdout: out, stderr: err, env, platform: "win32" as const }, text: () => ({ stdout, stderr }) };
}

describe("bronsync-relay install / uninstall on win32", () => {
  const self = { node: "C:\\Program Files\\nodejs\\node.exe", bin: "C:\\BronSyncRelay\\node_modules\\bronsync-relay\\bin\\bronsync-relay.js", defaultConfig: "C:\\ProgramData\\BronSync Relay\\relay.json" };

  it("gives node-windows exactly windowsServiceOptions(...), installs, starts, and says so in Dutch", async () => {
    const r = recorder({ admin: true });
    const t = io({ ProgramData: "C:\\ProgramData" });
    const code = await runService("install", ["--config", "D:\\relay\\relay.json"], t.io, self, r.load);
    expect(code).toBe(0);
    const expected = windowsServiceOptions({ node: self.node, bin: self.bin, config: "D:\\relay\\relay.json", dataDir: "C:\\ProgramData\\BronSync Relay" });
    expect(r.seen).toEqual({ options: expected.service, logOnAs: expected.logOnAs, directory: expected.directory, calls: ["install", "start"] });
    expect(t.text().stdout).toContain("Service 'BronSync Relay' (bronsyncrelay.exe) geïnstalleerd: start automatisch bij het opstarten, als NT AUTHORITY\\LocalService");
    expect(t.text().stdout).toContain("Logboeken: C:\\ProgramData\\BronSync Relay\\logs");
    expect(t.text().stdout).toContain("Service gestart.");
  });

  it("keeps node-windows 1.0.0-beta.8's debug print of the winsw configuration off the screen, and nothing else", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const r = recorder({ admin: true, print: [[{ loc: "winsw.js ~line 77", xml: [], config: {} }], ["iets anders"]] });
      expect(await runService("install", [], io().io, self, r.load)).toBe(0);
      expect(log.mock.calls).toEqual([["iets anders"]]);
    } finally {
      log.mockRestore();
    }
  });

  it("uses RELAY_DATA_DIR, the default configuration and --gebruiker", async () => {
    const r = recorder({ admin: true });
    expect(await runService("install", ["--gebruiker", "SCHOOL\\gmsa-relay$"], io({ RELAY_DATA_DIR: "E:\\relay-data" }).io, self, r.load)).toBe(0);
    expect(r.seen.options).toMatchObject({ scriptOptions: "start", env: [{ name: "RELAY_CONFIG_FILE", value: self.defaultConfig }], logpath: "E:\\relay-data\\logs", workingDirectory: "E:\\relay-data" });
    expect(r.seen.logOnAs).toEqual({ domain: "SCHOOL", account: "gmsa-relay$", password: "" });
  });

  it("refuses without administrator rights, a bad account, or a second install, in Dutch", async () => {
    const notAdmin = io();
    expect(await runService("install", [], notAdmin.io, self, recorder({ admin: false }).load)).toBe(1);
    expect(notAdmin.text().stderr).toBe("Voor installeren van de service zijn beheerdersrechten nodig: open de opdrachtprompt als Administrator en probeer het opnieuw.\n");
    const bad = io();
    const r = recorder({ admin: true });
    expect(await runService("install", ["--gebruiker", "relay"], bad.io, self, r.load)).toBe(2);
    expect(bad.text().stderr).toContain("Ongeldig service-account 'relay'");
    expect(r.seen.calls).toEqual([]);
    const again = io();
    expect(await runService("install", [], again.io, self, recorder({ admin: true, exists: true }).load)).toBe(1);
    expect(again.text().stdout).toContain("is al geïnstalleerd; voer eerst bronsync-relay uninstall uit");
  });

  it("uninstalls (or says there is nothing to remove) and keeps the configuration", async () => {
    const t = io({ ProgramData: "C:\\ProgramData" });
    const r = recorder({ admin: true });
    expect(await runService("uninstall", [], t.io, self, r.load)).toBe(0);
    expect(r.seen.directory).toBe("C:\\ProgramData\\BronSync Relay");
    expect(r.seen.calls).toEqual(["uninstall"]);
    expect(t.text().stdout).toBe(`Service 'BronSync Relay' (bronsyncrelay.exe) gestopt en verwijderd. De configuratie (${self.defaultConfig}) en de logboeken (C:\\ProgramData\\BronSync Relay\\logs) zijn blijven staan.\n`);
    const none = io();
    expect(await runService("uninstall", [], none.io, self, recorder({ admin: true, exists: false }).load)).toBe(0);
    expect(none.text().stdout).toContain("er is niets te verwijderen");
  });
});

describe("systemd unit", () => {
  it("may write only its state folder and the configuration's folder (key rotation rewrites the file)", () => {
    const unit = systemdUnit({ node: "/usr/bin/node", bin: "/opt/relay/bin/bronsync-relay.js", config: "/etc/bronsync-relay/relay.json", user: "bronsync-relay" });
    expect(unit).toContain("\nStateDirectory=bronsync-relay\n");
    expect(unit).toContain("\nReadWritePaths=-/etc/bronsync-relay /var/lib/bronsync-relay\n");
    expect(unit).toContain("\nProtectSystem=strict\n");
    expect(systemdUnit({ node: "/usr/bin/node", bin: "/b.js", config: "/srv/bron sync/relay.json", user: "u" })).toContain('\nReadWritePaths="-/srv/bron sync" /var/lib/bronsync-relay\n');
  });
});
