import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The relay as a school installs it (test/e2e/relay-package.e2e.test.ts): packages/relay built and packed
 * (`npm pack`), installed with npm into an empty folder with an empty npm cache and --offline (so: no
 * repository, no registry, no dev dependencies). Returns the installed `bronsync-relay` bin.
 */
export function installRelayPackage(dir: string, root: string = process.cwd()): { bin: string; folder: string } {
  // its own package folder (build.mjs --out), so tests running at once never share one
  const pkg = join(dir, "package");
  const built = spawnSync(process.execPath, [join(root, "packages/relay/build.mjs"), "--out", pkg], { encoding: "utf8" });
  if (built.status !== 0) throw new Error(`relay build failed: ${built.stderr}`);
  const packed = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: pkg, encoding: "utf8" });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const tgz = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  const folder = join(dir, "school");
  mkdirSync(folder);
  writeFileSync(join(folder, "package.json"), "{}\n");
  const npm = spawnSync("npm", ["install", "--offline", "--omit=dev", "--no-audit", "--no-fund", "--cache", join(dir, "npm-cache"), tgz], { cwd: folder, encoding: "utf8", timeout: 120_000 });
  if (npm.status !== 0) throw new Error(`npm install failed: ${npm.stderr}`);
  return { bin: join(folder, "node_modules", "bronsync-relay", "bin", "bronsync-relay.js"), folder };
}

/** Runs the installed command asynchronously (the stand-ins run in this process and must keep answering), with only PATH from the environment. */
export function runInstalled(bin: string, args: string[], cwd?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"], ...(cwd ? { cwd } : {}) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
