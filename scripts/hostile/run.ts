import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack } from "../local-stack/index.js";
import { runHostile } from "./suite.js";

/**
 * `npm run hostile`: starts the local stack on free ports in a temporary folder, sends every hostile
 * probe (scripts/hostile/probes.ts) to the admin API, the beheerpagina, the relay and the Functions
 * host's front door, BRON's client-certificate matrix against the BRON simulator, and prints per endpoint
 * group how they were answered. Exits 1 when anything crashed. `--verbose` lists every probe.
 */
const verbose = process.argv.includes("--verbose");
const dir = mkdtempSync(join(tmpdir(), "bronsync-hostile-"));
const stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 40 });
let code: number;
try {
  // the first school's relay program over local HTTPS too, so its request handler can be probed over HTTP
  const relay = await stack.startHttpsRelay(stack.schools[0]!.id);
  const report = await runHostile(
    { functionsUrl: stack.hostUrl, appHeaders: stack.signIn.principalHeaders(stack.access.beheerder.id), relay: { base: relay.url, ca: relay.ca }, relayKey: relay.key, aanleverpunt: stack.demo.aanleverpunten[0]!.code },
    {
      bron: { url: stack.bron.url, pki: stack.pki, aanleverpunt: stack.demo.aanleverpunten[0]!.code, ander: stack.demo.aanleverpunten[1]!.code },
      onResult: (r) => (verbose || r.verdict === "gecrasht" || r.verdict === "onnet" ? console.log(`${r.verdict.padEnd(10)} ${r.group} — ${r.name}: ${r.why}`) : undefined) },
  );
  console.log(`\n${report.table}\n`);
  code = report.crashed > 0 ? 1 : 0;
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
