// Builds the relay package from the repository's compiled output (run `npm run build` at the root first):
// one bundle, dist/cli.js, of src/relay/cli.ts with everything it imports (the relay, its wire contract,
// two core files, tedious, zod, the Azure Storage queue and blob clients). The package then has no
// dependencies to install: `npm install bronsync-relay-<versie>.tgz` needs no registry, and what it
// installs is a few megabytes instead of the >100 MB tedious and @azure/* pull in unbundled
// (most of it MSAL and browser builds the relay never loads). The bundler is rolldown, which the
// repository already has as vite's bundler.
import { cpSync, existsSync, readFileSync, rmSync, statSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const entry = join(root, "dist/src/relay/cli.js");
// `--out DIR`: a complete package folder elsewhere (package.json, README.md, bin/, dist/), so that two
// builds at once (tests running in parallel) never share a folder; default: ./dist of this package
const at = process.argv.indexOf("--out");
const target = at > 0 ? resolve(process.argv[at + 1]) : here;
const out = join(target, "dist");

if (!existsSync(entry)) {
  console.error("dist/src/relay/cli.js ontbreekt: voer eerst `npm run build` uit in de hoofdmap van de repository.");
  process.exit(1);
}
const own = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const app = readFileSync(join(root, "dist/src/relay/app.js"), "utf8").match(/RELAY_VERSION = "([^"]+)"/)?.[1];
if (app !== own.version) {
  console.error(`packages/relay/package.json heeft versie ${own.version}, de relay (src/relay/app.ts RELAY_VERSION) ${app}: maak ze gelijk.`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
if (target !== here) for (const f of ["package.json", "README.md", "bin"]) cpSync(join(here, f), join(target, f), { recursive: true });
await build({
  input: entry,
  platform: "node",
  logLevel: "warn",
  output: { dir: out, format: "esm", minify: true, entryFileNames: "cli.js", chunkFileNames: "[name]-[hash].js" },
});

// --- Windows service (src/relay/service.ts; helper WINSVC) ---
// node-windows ships winsw.exe and runs its own wrapper.js, so it cannot be bundled: it is shipped as it
// is, with what it requires, in <target>/node_modules. package.json names it in bundleDependencies, so
// `npm pack` puts that folder in the package and an offline install takes it from there. Only win32
// loads it (a dynamic import in service.ts).
{
  const shipped = join(target, "node_modules");
  rmSync(shipped, { recursive: true, force: true });
  const copied = new Map();
  const ship = (name, from) => {
    // where Node would find `name` when required from `from`
    let dir = from;
    let at;
    for (;;) {
      const candidate = join(dir, "node_modules", name);
      if (existsSync(join(candidate, "package.json"))) { at = candidate; break; }
      if (dir === root || dirname(dir) === dir) break;
      dir = dirname(dir);
    }
    if (!at) throw new Error(`${name} ontbreekt in node_modules: voer npm install uit in de hoofdmap van de repository.`);
    const version = JSON.parse(readFileSync(join(at, "package.json"), "utf8")).version;
    if (copied.has(name)) {
      if (copied.get(name) !== version) throw new Error(`${name} is nodig in versies ${copied.get(name)} en ${version}: dat past niet in één map.`);
      return;
    }
    copied.set(name, version);
    cpSync(at, join(shipped, name), { recursive: true, filter: (f) => !relative(at, f).split(/[\\/]/).includes("node_modules") });
    for (const dep of Object.keys(JSON.parse(readFileSync(join(at, "package.json"), "utf8")).dependencies ?? {})) ship(dep, at);
  };
  for (const dep of own.bundleDependencies ?? []) ship(dep, root);
  let shippedBytes = 0;
  const count = (p) => (statSync(p).isDirectory() ? readdirSync(p).forEach((f) => count(join(p, f))) : (shippedBytes += statSync(p).size));
  count(shipped);
  console.log(`meegeleverd voor de Windows-service: ${[...copied].map(([n, v]) => `${n}@${v}`).join(", ")} (${(shippedBytes / 1024 / 1024).toFixed(1)} MB)`);
}
// --- end Windows service ---

let bytes = 0;
for (const f of readdirSync(out)) bytes += statSync(join(out, f)).size;
console.log(`relay-pakket gebouwd in ${relative(root, out)} (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
