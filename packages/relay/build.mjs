// Builds the relay package from the repository's compiled output (run `npm run build` at the root first):
// one bundle, dist/cli.js, of src/relay/cli.ts with everything it imports (the relay, its wire contract,
// two core files, tedious, zod, the Azure Storage queue and blob clients). The package then has no
// dependencies to install: `npm install bronsync-relay-<versie>.tgz` needs no registry, and what it
// installs is a few megabytes instead of the >100 MB tedious and @azure/* pull in unbundled
// (most of it MSAL and browser builds the relay never loads). The bundler is rolldown, which the
// repository already has as vite's bundler. The bundle is ONE file (no chunks): it is also the release
// artifact a relay downloads, verifies and swaps to (docs/relay.md "Update").
//
// Options (besides --out):
//   --publieke-sleutel FILE  embed this Ed25519 public key (PEM) instead of the production release key
//                            (packages/relay/release-key.pub): tests and the local stack sign with a throwaway pair
//   --versie X.Y.Z           build the relay as version X.Y.Z (its RELAY_VERSION) instead of package.json's:
//                            a "new version" for tests without editing package.json or src/relay/app.ts
import { cpSync, existsSync, readFileSync, rmSync, statSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const entry = join(root, "dist/src/relay/cli.js");
// `--out DIR`: a complete package folder elsewhere (package.json, README.md, bin/, dist/), so that two
// builds at once (tests running in parallel) never share a folder; default: ./dist of this package
const option = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const target = option("--out") ? resolve(option("--out")) : here;
const versie = option("--versie");
const keyFile = option("--publieke-sleutel") ?? join(here, "release-key.pub");
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
if (versie !== undefined && !/^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/.test(versie)) {
  console.error(`--versie ${versie}: verwacht een versie als 1.2.3.`);
  process.exit(1);
}
const publicKey = readFileSync(keyFile, "utf8");
if (!/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/.test(publicKey)) {
  console.error(`${keyFile} is geen publieke sleutel in PEM-vorm.`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
if (target !== here) {
  for (const f of ["README.md", "bin"]) cpSync(join(here, f), join(target, f), { recursive: true });
  writeFileSync(join(target, "package.json"), `${JSON.stringify({ ...own, version: versie ?? own.version }, null, 2)}\n`);
}
// The two build-time constants: the relay's version and the release key it trusts. Each replacement
// must happen exactly once, or the build stops (a renamed constant must not silently keep the defaults).
const replaced = new Set();
const constants = {
  name: "bronsync-relay-constants",
  transform(code, id) {
    const file = id.replaceAll("\\", "/");
    if (file.endsWith("/dist/src/relay/app.js") && versie !== undefined) {
      const next = code.replace(/RELAY_VERSION = "[^"]+"/, `RELAY_VERSION = ${JSON.stringify(versie)}`);
      if (next !== code) replaced.add("versie");
      return next;
    }
    if (file.endsWith("/dist/src/contracts/relay/release-key.js")) {
      const next = code.replace(/PRODUCTION_RELEASE_PUBLIC_KEY = `[^`]+`/, `PRODUCTION_RELEASE_PUBLIC_KEY = ${JSON.stringify(publicKey.endsWith("\n") ? publicKey : `${publicKey}\n`)}`);
      if (next !== code) replaced.add("sleutel");
      return next;
    }
    return null;
  },
};
await build({
  input: entry,
  platform: "node",
  logLevel: "warn",
  plugins: [constants],
  output: { dir: out, format: "esm", minify: true, entryFileNames: "cli.js", codeSplitting: false },
});
for (const k of ["sleutel", ...(versie === undefined ? [] : ["versie"])]) {
  if (!replaced.has(k)) {
    console.error(`bouwen mislukt: de ${k === "versie" ? "RELAY_VERSION in dist/src/relay/app.js" : "release-sleutel in dist/src/contracts/relay/release-key.js"} is niet gevonden of niet gebruikt.`);
    process.exit(1);
  }
}
if (readdirSync(out).join() !== "cli.js") {
  console.error(`bouwen mislukt: verwacht alleen dist/cli.js, gevonden ${readdirSync(out).join(", ")}.`);
  process.exit(1);
}

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
console.log(`relay-pakket gebouwd in ${relative(root, out)} (versie ${versie ?? own.version}, ${(bytes / 1024 / 1024).toFixed(1)} MB)`);
