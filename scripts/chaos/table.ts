import type { ScenarioResult } from "./scenarios.js";

/** The suite's table: one row per scenario, and whether the targets (0 lost, 0 duplicate mutations/writes) hold. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const head = ["scenario", "runs afgerond", "uitkomsten", "storingen", "acties (verloren)", "terugkoppeling (verloren)", "dubbele berichten", "dubbele mutaties", "LVS-schrijfacties (2× toegepast)"];
  const rows = results.map((r) => [
    r.name,
    `${r.runsFinished}/${r.runsStarted}`,
    tally(r.outcomes),
    `${r.faultsFired}/${r.faultsPlanned}${r.measured.storingen > 0 ? ` +${r.measured.storingen} BRON` : ""}`,
    `${r.measured.actions} (${r.measured.actionsLost.length})`,
    `${r.measured.feedback} (${r.measured.feedbackLost.length})`,
    String(r.measured.dubbeleBerichten),
    `${r.measured.dubbeleMutaties}${r.measured.resentAfterDelete > 0 ? ` (+${r.measured.resentAfterDelete} na verwijderen)` : ""}`,
    `${r.measured.lvsWrites} (${r.measured.lvsTwice.length})`,
  ]);
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function tally(outcomes: readonly string[]): string {
  const by = new Map<string, number>();
  for (const o of outcomes) by.set(o, (by.get(o) ?? 0) + 1);
  return [...by].map(([o, n]) => `${o} ${n}`).join(", ");
}

/** The target: nothing lost, nothing registered or written twice, every run ended as it should. */
export function targetMet(r: ScenarioResult): boolean {
  return r.measured.actionsLost.length === 0 && r.measured.feedbackLost.length === 0 && r.measured.dubbeleMutaties === 0 && r.measured.resentAfterDelete === 0 && r.measured.lvsTwice.length === 0 && r.runsFinished === r.runsStarted && r.runsUnexpected === 0;
}

/** Details under the table: what was lost or doubled, what the person was answered, triggers not reached. */
export function renderDetails(results: readonly ScenarioResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const lines = [
      ...r.measured.actionsLost.map((x) => `actie verloren: ${x}`),
      ...r.measured.feedbackLost.map((x) => `terugkoppeling verloren: ${x}`),
      ...r.measured.dubbeleMutatieIds.map((x) => `mutatie in meer dan één bericht: ${x}`),
      ...r.measured.lvsTwice.map((x) => `LVS2000 twee keer: ${x}`),
      ...r.notes,
    ];
    if (r.personOps.length > 0) {
      const by = new Map<string, number>();
      for (const p of r.personOps) by.set(`${p.op} ${p.statusBefore} → ${p.answer.status}`, (by.get(`${p.op} ${p.statusBefore} → ${p.answer.status}`) ?? 0) + 1);
      lines.push(`persoon: ${[...by].map(([k, n]) => `${k} ×${n}`).join(", ")}`);
    }
    lines.push(`runs: ${r.outcomes.join(", ")}; ${r.measured.batches} verzendingen; acties aan het eind: ${Object.entries(r.measured.statuses).map(([k, n]) => `${k} ${n}`).join(", ")}`);
    out.push(`${r.name}\n${lines.map((l) => `  - ${l}`).join("\n")}`);
  }
  return out.join("\n");
}
