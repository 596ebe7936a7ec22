import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The relay as a school installs it (tests and the relay-package bench): packages/relay built into its own
 * folder (`build.mjs --out`, so runs at once never share one; `buildArgs` e.g. `--publieke-sleutel PUB.pem`,
 * `--versie X.Y.Z`), packed with `npm pack`, and installed with npm into an empty folder with an empty npm
 * cache and `--offline` — no repository, no registry, no dev dependencies. Throws with the tool's stderr.
 */
export function installRelayPackage(dir: string, o: { root?: string; buildArgs?: string[] } = {}): { bin: string; folder: string; tgz: string } {
  const root = o.root ?? process.cwd();
  const pkg = join(dir, "package");
  const must = (cmd: string, args: string[], cwd: string, what: string) => {
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 180_000 });
    if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  must(process.execPath, [join(root, "packages/relay/build.mjs"), "--out", pkg, ...(o.buildArgs ?? [])], root, "relay build");
  const packed = JSON.parse(must("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], pkg, "npm pack")) as { filename: string }[];
  const tgz = join(dir, packed[0]!.filename);
  const folder = join(dir, "school");
  mkdirSync(folder);
  writeFileSync(join(folder, "package.json"), "{}\n");
  must("npm", ["install", "--offline", "--omit=dev", "--no-audit", "--no-fund", "--cache", join(dir, "npm-cache"), tgz], folder, "npm install");
  return { bin: join(folder, "node_modules", "bronsync-relay", "bin", "bronsync-relay.js"), folder, tgz };
}
