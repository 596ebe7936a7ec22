import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/**
 * Real headless Chromium for the page tests: Debian's package at /usr/bin/chromium, driven by
 * playwright-core (which brings no browser of its own). A fresh machine (CI runs as root) has none,
 * so ensureChromium installs it with apt-get, saying what it does; give the hook that calls it a
 * timeout of 600 s.
 */

export const CHROMIUM_PATH = "/usr/bin/chromium";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function run(cmd: string, args: string[]): void {
  console.log(`[chromium] ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, timeout: 540_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${r.status}`);
}

/** Installs Debian's chromium when /usr/bin/chromium is missing (apt-get, as root); returns its path. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  console.log(`[chromium] ${CHROMIUM_PATH} is missing: installing Debian's chromium package`);
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"]);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`chromium was installed but ${CHROMIUM_PATH} is still missing`);
  console.log(`[chromium] installed ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a new, empty profile (user-data-dir), removed again on close. */
export async function launchChromium(): Promise<HeadlessChromium> {
  const executablePath = ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), "bronsync-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ARGS, locale: "nl-NL", viewport: { width: 1400, height: 900 } });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
