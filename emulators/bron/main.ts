/**
 * DEV/TEST ONLY. Runs the BRON simulator on its own:
 *   node dist/emulators/bron/main.js [--data-dir .local/bron-simulator] [--pki-dir .local/pki]
 *     [--aanleverpunten 00AA00,00AA01] [--port 6914] [--admin-port 6915] [--seed demo.json]
 *     [--feedback-delay-ms 60000]
 * Test certificates are made (or reused) in the PKI folder; nothing there may be committed.
 * `--seed` takes a JSON file with `bevolking`, `andereScholen`, `postcodes` and/or `bron`
 * (the demo data's output works as it is).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createTestPki } from "../pki/test-pki.js";
import { startBronSimulator } from "./simulator.js";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string", default: ".local/bron-simulator" },
    "pki-dir": { type: "string", default: ".local/pki" },
    aanleverpunten: { type: "string", default: "00AA00" },
    port: { type: "string", default: "6914" },
    "admin-port": { type: "string", default: "6915" },
    seed: { type: "string" },
    "feedback-delay-ms": { type: "string", default: "0" },
  },
});

const aanleverpunten = values.aanleverpunten.split(",").map((s) => s.trim()).filter(Boolean);
const pki = await createTestPki(values["pki-dir"], aanleverpunten);
const sim = await startBronSimulator({
  dataDir: values["data-dir"],
  tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
  port: Number(values.port),
  adminPort: Number(values["admin-port"]),
  feedbackDelayMs: Number(values["feedback-delay-ms"]),
  seed: values.seed ? (JSON.parse(readFileSync(values.seed, "utf8")) as never) : undefined,
});
console.log(`BRON simulator (dev/test only)\n  SOAP:  ${sim.url}\n  admin: ${sim.adminUrl}\n  CA:    ${pki.ca.path}`);
for (const ap of aanleverpunten) console.log(`  client certificate ${ap}: ${pki.clients[ap]!.paths.cert}`);
const stop = () => void sim.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
