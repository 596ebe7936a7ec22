/**
 * DEV/TEST ONLY — the Key Vault stand-in as a process, for the local stack. Never deployed.
 *
 *   node dist/emulators/keyvault/main.js [--port 8443] [--pki-dir .local/pki] [--data-dir .local/keyvault]
 *        [--aanleverpunten 00AA00,01BB02] [--seed seed.json]
 *
 * Makes (or reuses) the test PKI, serves HTTPS with its server certificate, imports a test client
 * certificate per aanleverpunt as `bron-<aanleverpunt>`, applies the seed file, and prints one JSON
 * line `{ url, caPath, seeded, tokens }` (clients must trust caPath, e.g. via NODE_EXTRA_CA_CERTS).
 * `tokens` are bearer tokens valid for 12 hours: `app` (read-only, as the app's managed identity)
 * and `admin` (may write). The app itself (AZURE_CREDENTIAL=dev-static-token) sends the fixed token
 * "local-dev", which this process accepts as the app's identity.
 */
import { parseArgs } from "node:util";
import { createTestPki } from "../pki/test-pki.js";
import { applySeedFile, seedTestCertificates } from "./seed.js";
import { startKeyVaultStandIn } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    "pki-dir": { type: "string", default: ".local/pki" },
    "data-dir": { type: "string", default: ".local/keyvault" },
    aanleverpunten: { type: "string", default: "" },
    seed: { type: "string" },
  },
});

const aanleverpunten = values.aanleverpunten.split(",").map((s) => s.trim()).filter(Boolean);
const pki = await createTestPki(values["pki-dir"], aanleverpunten);
const kv = await startKeyVaultStandIn({ tls: pki.server, port: Number(values.port), dataDir: values["data-dir"], fixedTokens: { "local-dev": "app" } });
const added = [...(await seedTestCertificates(kv, pki)), ...(values.seed ? await applySeedFile(kv, values.seed) : [])];
const lifetimeSeconds = 12 * 3600;
const tokens = { app: kv.token("app", { lifetimeSeconds }), admin: kv.token("admin", { lifetimeSeconds }) };
console.log(JSON.stringify({ url: kv.url, caPath: pki.ca.path, seeded: added, tokens }));

const stop = () => void kv.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
