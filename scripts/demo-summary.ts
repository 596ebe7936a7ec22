import { pathToFileURL } from "node:url";
import { checkActions, sendableActions } from "../src/core/check-actions.js";
import { dutchDay } from "../src/core/dates.js";
import { determineActions } from "../src/core/determine-actions.js";
import { ACTION_LABELS } from "../src/core/labels.js";
import { ACTION_TYPES, type ActionMemory, type ActionType } from "../src/core/model.js";
import { generateDemoData, type DemoData } from "./demo-data/generate.js";

/**
 * A quick look at the demo data without the stack: generates it (seed 1, 300 pupils), runs acties
 * bepalen and controleren per aanleverpunt in memory and prints a short Dutch summary.
 */


const EMPTY_MEMORY: ActionMemory = { ignored: [], pending: [], firstSeen: {} };

/** The summary lines for a data set: per aanleverpunt the actions per soort and the check results. */
export function startSummary(data: DemoData): string[] {
  const [y, m, d] = data.today.split("-");
  const lines = [`BRON Sync Cloud — demo met ${data.lvs.reduce((n, s) => n + s.leerlingen.length, 0)} leerlingen op ${d}-${m}-${y}`];
  data.aanleverpunten.forEach((ap, i) => {
    const lvs = data.lvs[i]!;
    lines.push("", `Aanleverpunt ${ap.code} ${ap.naam} (${lvs.leerlingen.length} leerlingen, vestigingen ${ap.vestigingen.join(", ")})`);
    const result = determineActions(lvs, data.bron[i]!, EMPTY_MEMORY, data.today);
    if (!result.ok) {
      lines.push(`  Acties bepalen geweigerd: ${result.reason}`);
      return;
    }
    const perSoort = new Map<ActionType, { auto: number; beslissen: number }>();
    for (const a of result.actions) {
      const c = perSoort.get(a.type) ?? { auto: 0, beslissen: 0 };
      if (!a.needsDecision) c.auto++;
      else c.beslissen++;
      perSoort.set(a.type, c);
    }
    lines.push(`  ${result.actions.length} acties`);
    for (const [type, c] of [...perSoort].sort((a, b) => ACTION_TYPES.indexOf(a[0]) - ACTION_TYPES.indexOf(b[0]))) {
      const parts = [c.auto > 0 ? `${c.auto} automatisch` : "", c.beslissen > 0 ? `${c.beslissen} wacht op beslissing` : ""].filter((s) => s !== "");
      lines.push(`    ${ACTION_LABELS[type]}: ${c.auto + c.beslissen} (${parts.join(", ")})`);
    }
    const signals = checkActions(result.actions, lvs, data.today);
    const afkeur = signals.filter((s) => s.ernst === "AFKEUR").length;
    const bron = result.actions.filter((a) => a.direction === "BRON");
    lines.push(`  Controleren: ${afkeur} afkeur, ${signals.length - afkeur} attentie; ${sendableActions(bron, signals).length} van ${bron.length} acties naar BRON kunnen verzonden worden`);
  });
  return lines;
}


if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const data = generateDemoData({ seed: 1, leerlingen: 300, today: dutchDay(new Date()) });
  console.log(startSummary(data).join("\n"));
}
