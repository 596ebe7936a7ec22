#!/usr/bin/env node
// The bronsync-relay command (see README.md in this package): everything happens in dist/cli.js (src/relay/cli.ts, bundled).
import { runCli } from "../dist/cli.js";

const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, platform: process.platform });
if (code !== "running") process.exitCode = code;
