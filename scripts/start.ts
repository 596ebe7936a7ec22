import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { waitsForDecision } from "../src/core/action-lifecycle.js";
import { dutchDay } from "../src/core/dates.js";
import { ACTION_LABELS, STATUS_LABELS } from "../src/core/labels.js";
import type { Action } from "../src/core/model.js";
import { startLocalStack } from "./local-stack/index.js";

/**
 * `npm start`: the product with its demo data on the embedded local stack. Starts everything (data
 * kept in .local/stack, so a restart continues where it was), runs a first synchronisation of every
 * aanleverpunt through the app's own HTTP API, prints what happened, and keeps serving until Ctrl-C.
 * `--reset` starts from fresh demo data; `--port` picks another port than 7071.
 */
const { values } = parseArgs({ options: { port: { type: "string", default: "7071" }, reset: { type: "boolean", default: false }, leerlingen: { type: "string", default: "300" }, verbose: { type: "boolean", default: false } } });
const dataDir = resolve(".local", "stack");
if (values.reset) (await import("node:fs")).rmSync(dataDir, { recursive: true, force: true });

const today = dutchDay(new Date());
console.log("BRON Sync Cloud — lokale omgeving wordt gestart (Azurite, BRON-simulator, Key Vault, per school een LVS2000-database en relay, Functions-host)…");
const stack = await startLocalStack({
  dataDir,
  today,
  hostPort: Number(values.port),
  leerlingen: Number(values.leerlingen),
  ...(values.verbose ? { onHostOutput: (l: string) => console.log(`  [host] ${l}`) } : {}),
});
const base = stack.functionsUrl;
console.log(`\nKlaar. Functions-host: ${base}   (gegevens in ${join(".local", "stack")})`);
console.log(`Beheerpagina: ${base}/api/beheer`);
for (const school of stack.schools) {
  console.log(`School ${school.naam} (${school.id}): aanleverpunten ${school.aanleverpunten.join(", ")}; eigen LVS2000-database en relay (wachtrij relay-${school.id})`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (const ap of stack.demo.aanleverpunten) {
  const r = await stack.api(`/api/aanleverpunten/${ap.code}/sync`, { method: "POST" });
  console.log(`\nAanleverpunt ${ap.code} ${ap.naam}: synchronisatie ${r.status === 202 ? "gestart" : "loopt al"}`);
  for (let i = 0; i < 240; i++) {
    const s = (await (await stack.api(`/api/aanleverpunten/${ap.code}/status`)).json()) as { runtimeStatus?: string; customStatus?: { fase?: string; reden?: string } };
    const fase = s.customStatus?.fase;
    if (fase === "WACHT_OP_BESLISSING" || fase === "GEWEIGERD" || s.runtimeStatus === "Completed" || s.runtimeStatus === "Failed") {
      console.log(`  fase: ${fase ?? s.runtimeStatus}${s.customStatus?.reden ? ` — ${s.customStatus.reden}` : ""}`);
      break;
    }
    await sleep(500);
  }
  const { acties } = (await (await stack.api(`/api/aanleverpunten/${ap.code}/acties`)).json()) as { acties: Action[] };
  const counts = new Map<string, number>();
  for (const a of acties) {
    const key = `${ACTION_LABELS[a.type]} — ${STATUS_LABELS[a.status]}${waitsForDecision(a) ? " (wacht op beslissing)" : ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [k, n] of [...counts].sort()) console.log(`  ${String(n).padStart(5)}  ${k}`);
}

const ap0 = stack.demo.aanleverpunten[0]?.code ?? "12AB00";
const bearer = stack.signIn.bearer(stack.access.beheerder.id);
const mensen = stack.access.people.map((p) => `  ${p.naam.padEnd(44)} ${(p.rollen.join(", ") || "geen rol").padEnd(20)} ${p.omschrijving}`).join("\n");
console.log(`
Beheerpagina (in de browser): ${base}/api/beheer — u kiest eerst een demopersoon (lokale stand-in voor Entra ID):
${mensen}
Probeer (als Beheerder; de API weigert een verzoek zonder aanmelding):
  curl -H 'Authorization: ${bearer}' ${base}/api/aanleverpunten/${ap0}/acties      # acties (persoonsgegevens gemaskeerd)
  curl -H 'Authorization: ${bearer}' ${base}/api/aanleverpunten/${ap0}/status      # stand van de synchronisatie
  curl -X POST -H 'Authorization: ${bearer}' ${base}/api/aanleverpunten/${ap0}/sync   # handmatig synchroniseren
  curl -X POST -H 'Authorization: ${bearer}' -H 'content-type: application/json' -d '{"keuze":"NEGEREN"}' \\
       ${base}/api/aanleverpunten/${ap0}/acties/<actie-id>/beslissing   # beslissen: NEGEREN | NAAR_BRON | NAAR_LVS
Dagelijks overzicht per e-mail nu versturen (anders dagelijks om 07:00 UTC), en de ontvangen e-mails lezen (ACS Email-stand-in):
  curl -X POST -H 'content-type: application/json' -d '{"input":""}' ${stack.hostUrl}/admin/functions/dagelijksOverzicht
  curl --cacert ${join(".local", "stack", "pki", "ca.pem")} ${stack.email.url}/admin/messages
BRON-simulator: ${stack.bron.url} (beheer: ${stack.bron.adminUrl})   Key Vault: ${stack.keyVault.url}   Functions-host zelf: ${stack.hostUrl}
Stoppen met Ctrl-C.`);

const stop = () => {
  console.log("\nStoppen…");
  void stack.stop().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
