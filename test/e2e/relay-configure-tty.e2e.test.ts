import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTdsServer, type TdsServer } from "../../emulators/sqlserver/index.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { generateDemoData } from "../../scripts/demo-data/generate.js";
import { loadDemoLvsDatabase } from "../../scripts/local-stack/lvs-db.js";
import { ensureDebianTool } from "../support/debian-tools.js";
import { sqlPoolFor, SQL_LOGIN } from "../integration/relay-fixture.js";

// `bronsync-relay configure` as school IT meets it: in a terminal (tmux, Debian's package, installed when
// missing), typed key by key, through a wrong password (Dutch message, asked again) to the database chosen
// from the server's list and a passing *Test verbinding*. Requires `npm run build` (npm test does it first).

const run = promisify(execFile);

describe("bronsync-relay configure in a terminal", () => {
  let dir: string;
  let tds: TdsServer;
  let tmux: string;
  let caPath: string;
  const socket = `relay-configure-${process.pid}`;
  const session = "configure";
  const t = (...args: string[]) => run(tmux, ["-L", socket, ...args], { encoding: "utf8" });
  const screen = async () => (await t("capture-pane", "-p", "-J", "-S", "-", "-t", session)).stdout;
  const count = (text: string, what: string) => text.split(what).length - 1;
  async function waitFor(what: string, times = 1): Promise<string> {
    let last = "";
    for (let i = 0; i < 300; i++) {
      if (count((last = await screen()), what) >= times) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`"${what}" (${times}×) did not appear; the terminal shows:\n${last}`);
  }
  const type = async (text: string) => {
    if (text !== "") await t("send-keys", "-t", session, "-l", text);
    await t("send-keys", "-t", session, "Enter");
  };

  beforeAll(async () => {
    tmux = ensureDebianTool("tmux");
    dir = mkdtempSync(join(tmpdir(), "relay-tty-"));
    const built = await run(process.execPath, [join(process.cwd(), "packages/relay/build.mjs"), "--out", join(dir, "pakket")], { encoding: "utf8" });
    expect(built.stdout).toContain("relay-pakket gebouwd");
    const pki = await createTestPki(join(dir, "pki"), []);
    caPath = pki.ca.path;
    tds = await startTdsServer({ database: ":memory:", logins: { [SQL_LOGIN.user]: SQL_LOGIN.password }, tls: { cert: pki.server.cert, key: pki.server.key, forceEncryption: true }, databaseNames: ["LVS2000", "Oefen"] });
    const sql = sqlPoolFor(tds.port, undefined, pki.ca.cert);
    await loadDemoLvsDatabase(sql, generateDemoData({ seed: 6, leerlingen: 5, today: "2026-11-28" }));
    await sql.close();
  }, 600_000);

  afterAll(async () => {
    await t("kill-server").catch(() => undefined);
    await tds?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("asks again after a wrong password and saves a working connection", async () => {
    const config = join(dir, "relay.json");
    const bin = join(dir, "pakket", "bin", "bronsync-relay.js");
    await t("new-session", "-d", "-s", session, "-x", "200", "-y", "60", `${process.execPath} ${bin} configure --config ${config}; echo EINDE-$?; sleep 60`);
    await waitFor("Verbinding maken met de LVS2000 SQL-database");
    await waitFor("Server (naam of naam\\instantie) [localhost]:");
    await type("");
    await waitFor("Poort [1433]:");
    await type(String(tds.port));
    await waitFor("CA-bestand");
    await type(caPath);
    await waitFor("Authenticatie:");
    await type("1");
    await waitFor("Gebruikersnaam:");
    await type(SQL_LOGIN.user);
    await waitFor("Wachtwoord:");
    await type("Verkeerd!9");
    await waitFor(`Inloggen op SQL Server mislukt voor '${SQL_LOGIN.user}': controleer de gebruikersnaam en het wachtwoord.`);
    await waitFor("Authenticatie:", 2);
    await type("");
    await waitFor(`Gebruikersnaam [${SQL_LOGIN.user}]:`);
    await type("");
    await waitFor("Wachtwoord:", 2);
    await type(SQL_LOGIN.password);
    const list = await waitFor("Kies de database (nummer) [1]:");
    expect(list).toContain("1. LVS2000");
    expect(list).toContain("2. Oefen");
    await type("1");
    const end = await waitFor("EINDE-0");
    expect(end).toContain("Test verbinding…");
    expect(end).toMatch(/Verbinding geslaagd: LVS2000-database 'LVS2000' versie \d/);
    expect(end).toContain(`Verbinding opgeslagen in ${config}`);
    // the password never shows on the screen
    expect(end).not.toContain(SQL_LOGIN.password);
    expect(end).not.toContain("Verkeerd!9");
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(config, "utf8"))).toMatchObject({ RELAY_SQL_PORT: String(tds.port), RELAY_SQL_DATABASE: "LVS2000", RELAY_SQL_USER: SQL_LOGIN.user, RELAY_SQL_PASSWORD: SQL_LOGIN.password });

    // Verbinding wijzigen: a second run offers the saved values
    await t("respawn-pane", "-k", "-t", session, `${process.execPath} ${bin} configure --config ${config}; echo EINDE-$?; sleep 60`);
    await waitFor("Verbinding wijzigen");
    await waitFor("Server (naam of naam\\instantie) [localhost]:");
    await type("");
    await waitFor(`Poort [${tds.port}]:`);
    await t("send-keys", "-t", session, "C-c");
  }, 120_000);
});
