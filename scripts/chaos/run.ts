import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runScenario, scenarios, shortScenarios, type ScenarioResult } from "./scenarios.js";
import { ChaosStack } from "./stack.js";
import { renderDetails, renderTable, targetMet } from "./table.js";

/**
 * `npm run chaos`: the fault suite. Starts the whole local stack (Functions host, relay and Azurite
 * as processes that can be killed, BRON simulator, TDS server, Key Vault stand-in) in a temporary
 * folder, with BRON deliveries of a few mutations each so that a send has several batches, and runs
 * every scenario of scripts/chaos/scenarios.ts on its own aanleverpunt: kill -9 of the host, the relay
 * and Azurite at many points of a sync (phases, between and inside deliveries, during LVS2000 writes);
 * BRON answering 30 % of requests with a 503, a dropped connection or a truncated reply; the relay
 * unreachable for a whole run; a person deciding and deleting while a send goes on. After the faults,
 * clean runs settle the aanleverpunt; then it counts (definitions in scripts/chaos/measure.ts):
 *
 *   runs afgerond      runs that ended (KLAAR, GEWEIGERD, or MISLUKT with its Dutch reason) of those
 *                      started; MISLUKT is expected only while a part is down for a whole run
 *   acties verloren    actions neither done (accepted/refused by BRON, in BRON's hands with the answer
 *                      waiting, written to LVS2000, ignored, deleted by the person) nor visibly pending
 *                      (unsent with a reason, or in a recorded batch that is still open)
 *   terugkoppeling verloren  feedback BRON queued and the app acknowledged, missing from feedbackInbox
 *   dubbele berichten  MessageIDs BRON received again (answered from its store: how a retry is safe)
 *   dubbele mutaties   mutatieIds BRON received again under another MessageID (target 0)
 *   2× toegepast       LVS2000 writes applied twice (per request id, or per pupil + kind + fields)
 *
 * Exit code 1 when a target (0 lost, 0 duplicate mutations, 0 writes twice, every run ended as
 * expected) is missed. Options: --only <part of a name>, --short (the scenarios of the vitest test),
 * --repeat N (each scenario N times on fresh aanleverpunten), --leerlingen N, --batch N, --keep (keep
 * the data folder), --verbose (host log).
 */
const { values } = parseArgs({
  options: {
    only: { type: "string" },
    short: { type: "boolean", default: false },
    leerlingen: { type: "string", default: "3300" },
    batch: { type: "string", default: "4" },
    verbose: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    repeat: { type: "string", default: "1" },
  },
});
const batch = Number(values.batch);
const picked = (values.short ? shortScenarios(batch) : scenarios(batch)).filter((s) => values.only === undefined || s.name.includes(values.only));
// --repeat N: each scenario N times, each time on a fresh aanleverpunt (faults at other moments)
const chosen = picked.flatMap((s) => Array.from({ length: Number(values.repeat) }, (_, i) => (i === 0 ? s : { ...s, name: `${s.name} (${i + 1})` })));
const dir = mkdtempSync(join(tmpdir(), "bronsync-chaos-"));
const log = (line: string) => console.log(line);
console.log(`chaos: ${chosen.length} scenario's, data in ${dir}`);
const cs = await ChaosStack.start({
  dataDir: dir,
  leerlingen: Number(values.leerlingen),
  // the four template schools and then one extra school per scenario
  aanleverpunten: 4 + chosen.length,
  batchSize: batch,
  ...(values.verbose ? { onHostOutput: (l: string) => console.log(`    host: ${l}`) } : {}),
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: de stack wordt gestopt`);
    void cs.stop().finally(() => process.exit(130));
  });
}
const results: ScenarioResult[] = [];
try {
  const aps = cs.aanleverpunten.slice(4);
  for (const [i, sc] of chosen.entries()) {
    const ap = aps[i]!;
    console.log(`\n▶ ${sc.name} (aanleverpunt ${ap})`);
    const t0 = Date.now();
    results.push(await runScenario(cs, ap, sc, { runTimeoutMs: 240_000, log }));
    console.log(`  ${Math.round((Date.now() - t0) / 1000)} s`);
  }
} finally {
  await cs.stop();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
console.log(`\n${renderTable(results)}\n\n${renderDetails(results)}\n`);
process.exit(results.every(targetMet) ? 0 : 1);
