import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { CliIo } from "./configure.js";

/**
 * `bronsync-relay install` / `uninstall`: the relay as a service. On Linux a systemd unit
 * (`bronsync-relay.service`) that runs `bronsync-relay start` as an unprivileged service account,
 * restarts it when it fails, and lets it write nothing but its journal. When systemd is not running
 * on the machine (a container), the unit is written and the output says it was not started.
 * Windows is not done yet (docs/relay.md "Not done yet").
 */

export const SERVICE_NAME = "bronsync-relay";

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

export function runService(command: "install" | "uninstall", argv: string[], io: CliIo, self: { node: string; bin: string; defaultConfig: string }): number {
  let a;
  try {
    a = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (io.platform === "win32") {
    io.stderr.write("De Windows-service is in deze versie nog niet beschikbaar: zie docs/relay.md (\"Not done yet\").\n");
    return 1;
  }
  if (io.platform !== "linux") {
    io.stderr.write(`Installeren als service kan op Linux (systemd); dit systeem is ${io.platform}.\n`);
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
