import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Command-line clients nobody here wrote (openssl, curl), used by the tests to check the stand-ins
 * from the outside. A fresh machine (CI runs as root) may lack them: ensureDebianTool installs the
 * Debian package with apt-get, saying what it does; give the hook that calls it a timeout of 600 s.
 */
function run(cmd: string, args: string[]): void {
  console.log(`[debian-tools] ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, timeout: 540_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${r.status}`);
}

/** The path of `/usr/bin/<binary>`, installing Debian package `pkg` first when it is missing. */
export function ensureDebianTool(binary: "openssl" | "curl" | "tmux" | "systemd-analyze", pkg: string = binary): string {
  const path = `/usr/bin/${binary}`;
  if (existsSync(path)) return path;
  console.log(`[debian-tools] ${path} is missing: installing Debian's ${pkg} package`);
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", pkg]);
  if (!existsSync(path)) throw new Error(`${pkg} was installed but ${path} is still missing`);
  return path;
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool asynchronously (the stand-ins under test live in this same process), stdin closed. */
export function runTool(path: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 20_000);
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}
