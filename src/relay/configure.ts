import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { judgeDatabaseVersion } from "./db-version.js";
import { createSqlPool, type SqlAuth } from "./sql/connection.js";
import { selectDatabaseVersion } from "./sql/lvs2000.js";

/**
 * `bronsync-relay configure`: the manual's dialog "Verbinding maken met de LVS2000 SQL database"
 * (ch. 3.1) on the command line. Server (and instance), SQL Server or Windows authentication, the
 * database chosen from the list the server offers, then *Test verbinding*: the login, the LVS2000
 * tables, and the database version (at least 2.10). Only a connection that passes the test is
 * written, with the password, to the relay's configuration file, readable by its owner only (the
 * service account; mode 0600). Running it again is *Verbinding wijzigen*: the current settings are
 * the defaults, and the relay's other settings (key, queue) are kept.
 */

export interface ConnectionTarget {
  server: string;
  instance?: string;
  port: number;
  database: string;
  auth: SqlAuth;
  encrypt: boolean;
  trustServerCertificate: boolean;
  /** path of a PEM file with the CA of SQL Server's certificate */
  caFile?: string;
}

/** Tables of LVS2000 the relay reads or writes (RelayAudit/RelayVerzoek are added for BRON Sync: docs/lvs2000-schema.md). */
const LVS2000_TABLES = ["Aanleverpunt", "Vestiging", "Leerling", "Adres", "Inschrijving", "DatabaseVersie"] as const;

export type TestOutcome = { ok: true; version: string; melding: string } | { ok: false; soort: "LOGIN" | "NETWERK" | "VERSLEUTELING" | "GEEN_LVS2000" | "VERSIE"; melding: string };

function poolFor(t: ConnectionTarget, database: string) {
  return createSqlPool({
    server: t.server,
    port: t.port,
    ...(t.instance ? { instanceName: t.instance } : {}),
    database,
    auth: t.auth,
    encrypt: t.encrypt,
    trustServerCertificate: t.trustServerCertificate,
    ...(t.caFile ? { ca: readFileSync(t.caFile, "utf8") } : {}),
    size: 1,
    requestTimeoutMs: 15_000,
  });
}

const where = (t: ConnectionTarget) => (t.instance ? `${t.server}\\${t.instance}` : `${t.server}:${t.port}`);

/** A failed connection in the words of the dialog; never the SQL error text beyond its kind. */
function connectionFailure(e: unknown, t: ConnectionTarget): Extract<TestOutcome, { ok: false }> {
  const code = String((e as { code?: string }).code ?? "");
  const text = (e as Error).message ?? "";
  if (code === "ELOGIN") {
    const wie = t.auth.type === "ntlm" ? `${t.auth.domain}\\${t.auth.userName}` : t.auth.userName;
    return { ok: false, soort: "LOGIN", melding: `Inloggen op SQL Server mislukt voor '${wie}': controleer de gebruikersnaam en het wachtwoord${t.auth.type === "ntlm" ? " (en het domein)" : ""}.` };
  }
  if (code === "EENCRYPT" || /certificate|self.signed|altname|TLS|SSL/i.test(text)) {
    return { ok: false, soort: "VERSLEUTELING", melding: `De versleutelde verbinding met ${where(t)} is mislukt: het certificaat van SQL Server wordt niet vertrouwd of noemt deze servernaam niet. Geef het CA-bestand op (--ca-bestand) of gebruik de naam die op het certificaat staat.` };
  }
  if (code === "EINSTLOOKUP") return { ok: false, soort: "NETWERK", melding: `SQL Server-instantie ${where(t)} niet gevonden: staat de SQL Server Browser-service aan (UDP 1434)?` };
  return { ok: false, soort: "NETWERK", melding: `SQL Server op ${where(t)} is niet bereikbaar (${code || "geen verbinding"}): controleer de servernaam, de poort en de firewall.` };
}

/** The user databases the server offers (sys.databases, without the four system databases). */
async function listDatabases(t: ConnectionTarget): Promise<{ ok: true; databases: string[] } | Extract<TestOutcome, { ok: false }>> {
  const pool = poolFor(t, "master");
  try {
    const { rows } = await pool.query("SELECT name FROM sys.databases WHERE database_id > 4 ORDER BY name");
    return { ok: true, databases: rows.map((r) => String(r.name)) };
  } catch (e) {
    return connectionFailure(e, t);
  } finally {
    await pool.close().catch(() => undefined);
  }
}

/** *Test verbinding*: login, the LVS2000 tables present, database version at least 2.10 (the manual's message otherwise). */
async function testConnection(t: ConnectionTarget): Promise<TestOutcome> {
  const pool = poolFor(t, t.database);
  try {
    let tables: Set<string>;
    try {
      const { rows } = await pool.query("SELECT name FROM sys.tables");
      tables = new Set(rows.map((r) => String(r.name).toLowerCase()));
    } catch (e) {
      return connectionFailure(e, t);
    }
    const missing = LVS2000_TABLES.filter((n) => !tables.has(n.toLowerCase()));
    if (missing.length > 0) {
      return { ok: false, soort: "GEEN_LVS2000", melding: `Database '${t.database}' is geen LVS2000-database: ${missing.length > 1 ? `de tabellen ${missing.join(", ")} ontbreken` : `de tabel ${missing[0]} ontbreekt`}. Kies de database van LVS2000.` };
    }
    const verdict = judgeDatabaseVersion(await selectDatabaseVersion(pool));
    if (!verdict.ok) return { ok: false, soort: "VERSIE", melding: verdict.melding };
    return { ok: true, version: verdict.version, melding: `Verbinding geslaagd: LVS2000-database '${t.database}' versie ${verdict.version}.` };
  } catch (e) {
    return connectionFailure(e, t);
  } finally {
    await pool.close().catch(() => undefined);
  }
}

/** Where the configuration lives when no --config is given. */
export function defaultConfigPath(platform: NodeJS.Platform, programData: string | undefined): string {
  return platform === "win32" ? join(programData ?? "C:\\ProgramData", "BronSync Relay", "relay.json") : "/etc/bronsync-relay/relay.json";
}

export function readConfigFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${path} is geen JSON-object`);
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

/**
 * Writes the configuration readable by its owner only: a new file with mode 0600, renamed over the
 * old one (so no moment exists where the password is readable by others). On Windows the mode is
 * not enforced: docs/relay.md gives the icacls command.
 */
export function writeConfigFile(path: string, values: Record<string, string>): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** The settings of a target as RELAY_* keys (merged over what the file held). */
export function targetToConfig(t: ConnectionTarget): Record<string, string> {
  return {
    RELAY_SQL_SERVER: t.server,
    RELAY_SQL_PORT: String(t.port),
    RELAY_SQL_INSTANCE: t.instance ?? "",
    RELAY_SQL_DATABASE: t.database,
    RELAY_SQL_AUTH: t.auth.type,
    RELAY_SQL_USER: t.auth.userName,
    RELAY_SQL_PASSWORD: t.auth.password,
    RELAY_SQL_DOMAIN: t.auth.type === "ntlm" ? t.auth.domain : "",
    RELAY_SQL_ENCRYPT: String(t.encrypt),
    RELAY_SQL_TRUST_SERVER_CERTIFICATE: String(t.trustServerCertificate),
    RELAY_SQL_CA_FILE: t.caFile ?? "",
  };
}

function withoutEmpty(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ""));
}

/** "server\instance" → its parts. */
export function splitServer(text: string): { server: string; instance?: string } {
  const i = text.indexOf("\\");
  return i < 0 ? { server: text.trim() } : { server: text.slice(0, i).trim(), instance: text.slice(i + 1).trim() };
}

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
}

export const CONFIGURE_HELP = `bronsync-relay configure [--config PAD] [opties]
Zonder opties vraagt het de verbinding met LVS2000 stap voor stap (Verbinding maken / Verbinding wijzigen).
Met --niet-interactief komen alle gegevens uit de opties (voor een installatiescript):
  --server NAAM[\\INSTANTIE]   SQL Server (standaard localhost)
  --poort N                    TCP-poort (standaard 1433; niet bij een instantie)
  --database NAAM              de LVS2000-database
  --authenticatie sql|windows  SQL Server- of Windows-authenticatie (standaard sql)
  --gebruiker NAAM             login (SQL) of Windows-account
  --domein NAAM                Windows-domein (bij windows)
  --wachtwoord-bestand PAD     bestand met het wachtwoord (of omgevingsvariabele RELAY_SQL_PASSWORD)
  --ca-bestand PAD             PEM met de CA van het certificaat van SQL Server
  --certificaat-vertrouwen     certificaat van SQL Server niet controleren (alleen voor een proef)
  --geen-versleuteling         zonder TLS (niet aanbevolen)`;

const OPTIONS = {
  config: { type: "string" },
  "niet-interactief": { type: "boolean", default: false },
  server: { type: "string" },
  poort: { type: "string" },
  database: { type: "string" },
  authenticatie: { type: "string" },
  gebruiker: { type: "string" },
  domein: { type: "string" },
  "wachtwoord-bestand": { type: "string" },
  "ca-bestand": { type: "string" },
  "certificaat-vertrouwen": { type: "boolean", default: false },
  "geen-versleuteling": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

class ConfigureError extends Error {}

/** The configuration file a subcommand works on: `--config`, else RELAY_CONFIG_FILE, else the default place. */
export function configPath(option: string | undefined, io: CliIo): string {
  return option ?? io.env.RELAY_CONFIG_FILE ?? defaultConfigPath(io.platform, io.env.ProgramData);
}

/**
 * The configuration file a subcommand works on (`--config`, else RELAY_CONFIG_FILE, else the default place) and
 * what it holds now (nothing yet: an empty object); null after saying on stderr why it cannot be read.
 */
export function currentConfig(option: string | undefined, io: CliIo): { path: string; existing: Record<string, string> } | null {
  const path = configPath(option, io);
  try {
    return { path, existing: readConfigFile(path) };
  } catch (e) {
    io.stderr.write(`De configuratie ${path} is niet te lezen: ${(e as Error).message}\n`);
    return null;
  }
}

/** Runs `configure`; returns the exit code. */
export async function runConfigure(argv: string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${CONFIGURE_HELP}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${CONFIGURE_HELP}\n`);
    return 0;
  }
  const current = currentConfig(args.config, io);
  if (current === null) return 1;
  const { path, existing } = current;
  try {
    const target = args["niet-interactief"] ? await fromFlags(args, io) : await interactive(existing, io);
    if (!target) return 1;
    writeConfigFile(path, withoutEmpty({ ...existing, ...targetToConfig(target) }));
    io.stdout.write(`Verbinding opgeslagen in ${path} (alleen leesbaar voor de eigenaar${io.platform === "win32" ? "; zet de rechten met icacls, zie docs/relay.md" : ""}).\n`);
    if (!existing.RELAY_HMAC_KEY) io.stdout.write("Volgende stap: bronsync-relay register --cloud ADRES CODE (de beheerpagina van BRON Sync Cloud toont de hele opdracht).\n");
    return 0;
  } catch (e) {
    if (e instanceof ConfigureError) {
      io.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

type Flags = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

async function fromFlags(a: Flags, io: CliIo): Promise<ConnectionTarget | null> {
  const auth = a.authenticatie ?? "sql";
  if (auth !== "sql" && auth !== "windows") throw new ConfigureError("--authenticatie is sql of windows");
  const password = a["wachtwoord-bestand"] ? readFileSync(a["wachtwoord-bestand"], "utf8").replace(/\r?\n$/, "") : io.env.RELAY_SQL_PASSWORD;
  const missing = [!a.database && "--database", !a.gebruiker && "--gebruiker", !password && "--wachtwoord-bestand (of RELAY_SQL_PASSWORD)", auth === "windows" && !a.domein && "--domein"].filter(Boolean);
  if (missing.length > 0) throw new ConfigureError(`Ontbreekt voor een niet-interactieve configuratie: ${missing.join(", ")}`);
  const port = Number(a.poort ?? "1433");
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigureError("--poort is een getal van 1 tot 65535");
  const target: ConnectionTarget = {
    ...splitServer(a.server ?? "localhost"),
    port,
    database: a.database!,
    auth: auth === "windows" ? { type: "ntlm", userName: a.gebruiker!, password: password!, domain: a.domein! } : { type: "sql", userName: a.gebruiker!, password: password! },
    encrypt: !a["geen-versleuteling"],
    trustServerCertificate: Boolean(a["certificaat-vertrouwen"]),
    ...(a["ca-bestand"] ? { caFile: a["ca-bestand"] } : {}),
  };
  io.stdout.write("Test verbinding…\n");
  const outcome = await testConnection(target);
  if (!outcome.ok) {
    io.stderr.write(`${outcome.melding}\n`);
    return null;
  }
  io.stdout.write(`${outcome.melding}\n`);
  return target;
}

/** The dialog. Enter keeps the value between [brackets] (Verbinding wijzigen). */
async function interactive(cur: Record<string, string>, io: CliIo): Promise<ConnectionTarget | null> {
  let muted = false;
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) io.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output: out, terminal: (io.stdin as { isTTY?: boolean }).isTTY === true });
  const ask = async (q: string, d?: string) => (await rl.question(d ? `${q} [${d}]: ` : `${q}: `)).trim() || (d ?? "");
  const askSecret = async (q: string, keep: boolean) => {
    io.stdout.write(keep ? `${q} [Enter = ongewijzigd]: ` : `${q}: `);
    muted = true;
    const a = await rl.question("");
    muted = false;
    io.stdout.write("\n");
    return a;
  };
  try {
    io.stdout.write(cur.RELAY_SQL_SERVER ? "Verbinding wijzigen — LVS2000 SQL-database (Enter houdt de waarde tussen [haken])\n" : "Verbinding maken met de LVS2000 SQL-database\n");
    const serverText = await ask("Server (naam of naam\\instantie)", cur.RELAY_SQL_SERVER ? (cur.RELAY_SQL_INSTANCE ? `${cur.RELAY_SQL_SERVER}\\${cur.RELAY_SQL_INSTANCE}` : cur.RELAY_SQL_SERVER) : "localhost");
    const { server, instance } = splitServer(serverText);
    let port = 1433;
    if (!instance) {
      for (;;) {
        port = Number(await ask("Poort", cur.RELAY_SQL_PORT ?? "1433"));
        if (Number.isInteger(port) && port > 0 && port < 65536) break;
        io.stdout.write("Geef een poortnummer van 1 tot 65535.\n");
      }
    }
    const caFile = await ask("CA-bestand van het SQL Server-certificaat (PEM; leeg = de CA's van het systeem)", cur.RELAY_SQL_CA_FILE);
    if (caFile && !existsSync(caFile)) throw new ConfigureError(`Bestand niet gevonden: ${caFile}`);
    const base = { server, ...(instance ? { instance } : {}), port, encrypt: cur.RELAY_SQL_ENCRYPT !== "false", trustServerCertificate: cur.RELAY_SQL_TRUST_SERVER_CERTIFICATE === "true", ...(caFile ? { caFile } : {}) };

    let keepPassword = Boolean(cur.RELAY_SQL_PASSWORD);
    // after a refused login the answers just given are the defaults (only the password is asked anew)
    const prev = { auth: cur.RELAY_SQL_AUTH, user: cur.RELAY_SQL_USER, domain: cur.RELAY_SQL_DOMAIN };
    for (;;) {
      const soort = await ask("Authenticatie: 1 = SQL Server-authenticatie, 2 = Windows-authenticatie", prev.auth === "ntlm" ? "2" : "1");
      const windows = soort === "2";
      const userName = await ask(windows ? "Windows-account (zonder domein)" : "Gebruikersnaam", prev.user);
      const domain = windows ? await ask("Domein", prev.domain) : "";
      Object.assign(prev, { auth: windows ? "ntlm" : "sql", user: userName, domain });
      const typed = await askSecret("Wachtwoord", keepPassword);
      const password = typed === "" && keepPassword ? cur.RELAY_SQL_PASSWORD! : typed;
      if (!userName || !password || (windows && !domain)) {
        io.stdout.write("Vul de gebruikersnaam, het wachtwoord" + (windows ? " en het domein" : "") + " in.\n");
        continue;
      }
      const auth: SqlAuth = windows ? { type: "ntlm", userName, password, domain } : { type: "sql", userName, password };
      const listed = await listDatabases({ ...base, database: "master", auth });
      if (!listed.ok) {
        io.stdout.write(`${listed.melding}\n`);
        keepPassword = false;
        if (listed.soort === "LOGIN") continue;
        return null;
      }
      for (;;) {
        let database: string;
        if (listed.databases.length === 0) {
          database = await ask("De server toont geen databases; naam van de LVS2000-database", cur.RELAY_SQL_DATABASE ?? "LVS2000");
        } else {
          io.stdout.write(`Databases op ${server}${instance ? `\\${instance}` : ""}:\n${listed.databases.map((d, i) => `  ${i + 1}. ${d}`).join("\n")}\n`);
          const dflt = Math.max(0, listed.databases.indexOf(cur.RELAY_SQL_DATABASE ?? "LVS2000")) + 1;
          const choice = Number(await ask("Kies de database (nummer)", String(dflt)));
          if (!Number.isInteger(choice) || choice < 1 || choice > listed.databases.length) {
            io.stdout.write(`Kies een nummer van 1 tot ${listed.databases.length}.\n`);
            continue;
          }
          database = listed.databases[choice - 1]!;
        }
        io.stdout.write("Test verbinding…\n");
        const target: ConnectionTarget = { ...base, database, auth };
        const outcome = await testConnection(target);
        io.stdout.write(`${outcome.melding}\n`);
        if (outcome.ok) return target;
        if (outcome.soort !== "GEEN_LVS2000" && outcome.soort !== "VERSIE") return null;
        const again = await ask("Een andere database kiezen? (j/n)", "j");
        if (again.toLowerCase() !== "j") return null;
      }
    }
  } finally {
    rl.close();
  }
}
