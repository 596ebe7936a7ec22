#!/usr/bin/env node
// The bronsync-relay command (see README.md in this package): everything happens in dist/cli.js (src/relay/cli.ts, bundled).
import { runCli } from "../dist/cli.js";

try {
  const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, platform: process.platform });
  if (code !== "running") process.exitCode = code;
} catch (e) {
  // no stack trace for the school's IT: the message, and the kind of error for a support call
  console.error(`bronsync-relay is gestopt door een onverwachte fout: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  process.exitCode = 1;
}
