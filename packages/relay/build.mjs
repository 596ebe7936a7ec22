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
let bytes = 0;
for (const f of readdirSync(out)) bytes += statSync(join(out, f)).size;
console.log(`relay-pakket gebouwd in ${relative(root, out)} (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
