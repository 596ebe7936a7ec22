import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { installCoreModule, type Registry } from "./core-api.js";

const loadedRoots = new Map<string, string[]>();

/** Turns one `main` glob segment (with `*` and `**`) into a RegExp over a relative POSIX path. */
function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      re += "(?:.*/)?";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

/** The app's entry files: package.json `main`, a file or a glob (as the Node worker resolves it). */
export function resolveEntryFiles(appRoot: string): string[] {
  const pkg = JSON.parse(readFileSync(join(appRoot, "package.json"), "utf8")) as { main?: string };
  const main = (pkg.main ?? "index.js").replace(/^\.\//, "");
  if (!/[*?]/.test(main)) return [join(appRoot, main)];
  const staticPart = main.slice(0, main.search(/[*?]/)).replace(/[^/]*$/, "");
  const re = globToRegExp(main);
  const files = listFiles(join(appRoot, staticPart))
    .map((f) => relative(appRoot, f).split(sep).join("/"))
    .filter((f) => re.test(f))
    .sort();
  return files.map((f) => join(appRoot, f));
}

/**
 * Loads the app's entry points unchanged, with `@azure/functions-core` supplied first, and returns
 * the registry the app filled. A second call for the same root reuses the registrations (Node caches
 * modules, so the files would not run again).
 */
export async function loadApp(appRoot: string): Promise<{ registry: Registry; files: string[] }> {
  const registry = installCoreModule();
  const known = loadedRoots.get(appRoot);
  if (known) return { registry, files: known };
  const files = resolveEntryFiles(appRoot);
  if (files.length === 0) throw new Error(`No entry files match package.json "main" under ${appRoot}.`);
  for (const file of files) await import(pathToFileURL(file).href);
  loadedRoots.set(appRoot, files);
  return { registry, files };
}
