import type { HttpResponseInit } from "@azure/functions";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { endpoint } from "./access.js";

// The beheerpagina: static files from src/admin (one page, a small vanilla JS module, CSS; no build
// step), served by the app itself so it sits behind the same App Service Authentication as the API.
// GET /api/beheer gives the page; GET /api/beheer/{file} its script and stylesheet. Any signed-in
// person gets the page (what it shows comes from the API, which filters by their scope).

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

/** Only plain names of our own files: no paths, so nothing outside src/admin can be asked for. */
const FILE_NAME = /^[a-z][a-z0-9-]*\.(html|js|css|svg)$/;

/**
 * The page only loads its own script and style and talks only to this app; it may not be framed
 * (clickjacking) and nothing is sent along as referrer.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-cache",
};

/** src/admin from the compiled file (dist/functions) or, when run from source, from functions/. */
function adminDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const candidates = [join(here, "..", "..", "src", "admin"), join(here, "..", "src", "admin")];
  return candidates.find((d) => existsSync(join(d, "index.html"))) ?? (candidates[0] as string);
}

const cache = new Map<string, Buffer>();

async function serve(name: string): Promise<HttpResponseInit> {
  const ext = FILE_NAME.exec(name)?.[1];
  const type = ext === undefined ? undefined : TYPES[ext];
  if (type === undefined) return notFound();
  let body = cache.get(name);
  if (body === undefined) {
    try {
      body = await readFile(join(adminDir(), name));
    } catch {
      return notFound();
    }
    cache.set(name, body);
  }
  return { status: 200, body, headers: { ...SECURITY_HEADERS, "Content-Type": type } };
}

const notFound = (): HttpResponseInit => ({ status: 404, body: "Niet gevonden.", headers: { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" } });

endpoint("beheerpagina", {
  methods: ["GET"],
  route: "beheer",
  toegang: "aangemeld",
  wat: "Beheerpagina openen",
  handler: () => serve("index.html"),
});

endpoint("beheerpaginaBestand", {
  methods: ["GET"],
  route: "beheer/{file}",
  toegang: "aangemeld",
  wat: "Beheerpagina openen",
  handler: (req) => serve(req.params.file ?? ""),
});
