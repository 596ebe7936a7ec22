import { existsSync, realpathSync } from "node:fs";
import { RELAY_VERSION } from "./app.js";
import { CONFIGURE_HELP, configPath, defaultConfigPath, readConfigFile, runConfigure, type CliIo } from "./configure.js";
import { REGISTER_HELP, runRegister } from "./register.js";
import { runRelay } from "./run.js";
import { runService } from "./service.js";

/**
 * The `bronsync-relay` command of the installed package (packages/relay). Subcommands:
 * `configure` (the LVS2000 connection, src/relay/configure.ts), `start` (run the relay with the
 * configuration file), `install` / `uninstall` (the service, src/relay/service.ts), `versie`. Every text it prints is Dutch.
 */

export const HELP = `bronsync-relay ${RELAY_VERSION} — de BRON Sync-relay naast de LVS2000-database

Gebruik: bronsync-relay <opdracht> [opties]
  configure [--config PAD]   verbinding met de LVS2000 SQL-database maken of wijzigen
  register --cloud ADRES CODE [--config PAD]
                             deze relay aanmelden bij BRON Sync Cloud (code van de beheerpagina)
  start [--config PAD] [--zonder-supervisor]
                             de relay starten (zo start de service hem ook); hij werkt
                             zichzelf bij met ondertekende updates, tenzij --zonder-supervisor
  install [--config PAD] [--gebruiker NAAM]
                             als service installeren en starten (Windows-service of systemd)
  uninstall                  de service stoppen en verwijderen (de configuratie blijft)
  versie                     de versie van deze relay
  help                       deze tekst

Zonder --config: RELAY_CONFIG_FILE, anders ${defaultConfigPath(process.platform, undefined)}.

${CONFIGURE_HELP}

${REGISTER_HELP}`;

function configOption(argv: string[]): { path?: string; rest: string[] } {
  const i = argv.findIndex((a) => a === "--config" || a.startsWith("--config="));
  if (i < 0) return { rest: argv };
  const a = argv[i]!;
  const path = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[i + 1];
  const rest = [...argv.slice(0, i), ...argv.slice(i + (a.includes("=") ? 1 : 2))];
  return path ? { path, rest } : { rest };
}

/** Runs one subcommand; resolves with the exit code (`start` keeps running and never resolves with a code). */
export async function runCli(argv: string[], io: CliIo): Promise<number | "running"> {
  const [command, ...rest] = argv;
  switch (command) {
    case "configure":
      return runConfigure(rest, io);
    case "register":
      return runRegister(rest, io);
    case "start": {
      const { path, rest: extra } = configOption(rest);
      if (extra.length > 0) {
        io.stderr.write(`Onbekende optie voor start: ${extra.join(" ")}\n`);
        return 2;
      }
      const file = configPath(path, io);
      const exists = existsSync(file);
      if (!exists && !io.env.RELAY_SQL_SERVER) {
        io.stderr.write(`Geen configuratie gevonden in ${file}: voer eerst bronsync-relay configure uit.\n`);
        return 1;
      }
      let fromFile: Record<string, string>;
      try {
        fromFile = readConfigFile(file);
      } catch (e) {
        const code = (e as { code?: string }).code;
        io.stderr.write(
          code === "EACCES"
            ? `De configuratie ${file} is niet leesbaar voor deze gebruiker: start de relay als het service-account dat eigenaar is van het bestand.\n`
            : `De configuratie ${file} is niet te lezen (${e instanceof SyntaxError ? "geen geldige JSON" : (code ?? (e as Error).message)}): voer bronsync-relay configure opnieuw uit.\n`,
        );
        return 1;
      }
      if (!fromFile.RELAY_HMAC_KEY && !io.env.RELAY_HMAC_KEY) {
        io.stderr.write("Deze relay is nog niet aangemeld bij BRON Sync Cloud: voer bronsync-relay register --cloud ADRES CODE uit (de beheerpagina toont de hele opdracht).\n");
        return 1;
      }
      runRelay({ ...io.env, ...(exists ? { RELAY_CONFIG_FILE: file } : {}) });
      return "running";
    }
    case "install":
    case "uninstall": {
      const bin = process.argv[1] ? realpathSync(process.argv[1]) : "bronsync-relay";
      return runService(command, rest, io, { node: process.execPath, bin, defaultConfig: configPath(undefined, io) });
    }
    case "versie":
    case "--version":
      io.stdout.write(`${RELAY_VERSION}\n`);
      return 0;
    case undefined:
    case "help":
    case "--help":
      io.stdout.write(`${HELP}\n`);
      return 0;
    default:
      io.stderr.write(`Onbekende opdracht '${command}'.\n\n${HELP}\n`);
      return 2;
  }
}
