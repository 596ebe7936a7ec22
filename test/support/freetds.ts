import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * FreeTDS's `tsql` (Debian package freetds-bin) as an independent TDS client for the TDS test server: a
 * second implementation of the protocol next to tedious. A fresh machine (CI runs as root) has none, so
 * ensureFreetds installs it with apt-get, saying what it does; give the hook that calls it a timeout of 600 s.
 */

export const TSQL_PATH = "/usr/bin/tsql";

function run(cmd: string, args: string[]): void {
  console.log(`[freetds] ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, timeout: 540_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${r.status}`);
}

/** Installs Debian's freetds-bin when `tsql` is missing (apt-get, as root); returns its path. */
export function ensureFreetds(): string {
  if (existsSync(TSQL_PATH)) return TSQL_PATH;
  console.log(`[freetds] ${TSQL_PATH} is missing: installing Debian's freetds-bin package`);
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", "freetds-bin"]);
  if (!existsSync(TSQL_PATH)) throw new Error(`freetds-bin was installed but ${TSQL_PATH} is still missing`);
  console.log(`[freetds] installed ${TSQL_PATH}`);
  return TSQL_PATH;
}

export interface TsqlServer {
  port: number;
  userName: string;
  password: string;
  database?: string;
  /** TDS version FreeTDS asks for (default 7.4) */
  tdsVersion?: string;
  /** FreeTDS `encryption`: off (no TLS), request (login packet at least), require (whole connection) */
  encryption?: "off" | "request" | "require";
  /** PEM file of the CA that must have signed the server certificate (FreeTDS `ca file`); the host name is checked too */
  caFile?: string;
  /** host name to connect to (and to check the certificate against), default 127.0.0.1 */
  host?: string;
}

export interface TsqlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sql` through `tsql` against the server, with a freetds.conf of its own (in a temporary folder, so
 * the machine's configuration plays no part). Each batch ends with a line `go`, as typed at tsql's prompt.
 * Output uses `-o q` (no prompts) and a tab between columns.
 */
export async function runTsql(server: TsqlServer, sql: string): Promise<TsqlResult> {
  const tsql = ensureFreetds();
  const dir = mkdtempSync(join(tmpdir(), "freetds-"));
  try {
    const conf = join(dir, "freetds.conf");
    const lines = [
      "[global]",
      "[tdsserver]",
      `  host = ${server.host ?? "127.0.0.1"}`,
      `  port = ${server.port}`,
      `  tds version = ${server.tdsVersion ?? "7.4"}`,
      `  encryption = ${server.encryption ?? "off"}`,
      "  client charset = UTF-8",
      ...(server.caFile ? [`  ca file = ${server.caFile}`, "  check certificate hostname = yes"] : []),
    ];
    writeFileSync(conf, lines.join("\n") + "\n");
    const args = ["-S", "tdsserver", "-U", server.userName, "-P", server.password, "-o", "q", ...(server.database ? ["-D", server.database] : [])];
    return await new Promise<TsqlResult>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, FREETDSCONF: conf, FREETDS: conf, LANG: "C.UTF-8" };
      delete env.TDSVER;
      delete env.TDSDUMP;
      delete env.TDSHOST;
      delete env.TDSPORT;
      const child = spawn(tsql, args, { env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.once("error", reject);
      child.once("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(`${sql}\ngo\nexit\n`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
