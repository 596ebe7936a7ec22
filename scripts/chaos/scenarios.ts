import { GEEN_STORINGEN, type Storingen } from "../../emulators/bron/faults.js";
import { driveRun, type PersonOp, type RunOutcome, type Step, type Target } from "./driver.js";
import { measure, type Measured } from "./measure.js";
import type { ChaosStack } from "./stack.js";

/**
 * The fault scenarios. Each runs on its own aanleverpunt of one local stack (so one scenario's
 * leftovers never count in another's row): one or more runs under faults, then the settling runs
 * (faults off, every part up) until a run completes with nothing left to send, then the measurement.
 */

export interface RunPlan {
  steps: Step[];
  /** BRON's fault knobs during this run */
  storingen?: Partial<Storingen>;
  /** a part that is down for the whole run (started again once the run ended): the run may end MISLUKT, with its Dutch reason */
  down?: Target;
}

export interface Scenario {
  name: string;
  runs: RunPlan[];
  /** the shortened form (test/e2e/chaos.test.ts, `--short`): fewer faults, one run */
  short?: RunPlan[];
}

/** The scenarios with a shortened form, shortened. */
export function shortScenarios(batch: number): Scenario[] {
  return scenarios(batch).flatMap((s) => (s.short ? [{ name: s.name, runs: s.short }] : []));
}

export interface ScenarioResult {
  name: string;
  runsStarted: number;
  /** runs that ended (not stuck): KLAAR, GEWEIGERD, or MISLUKT with a reason */
  runsFinished: number;
  /** runs that ended otherwise than they should: MISLUKT without a part down for the whole run, or without a reason */
  runsUnexpected: number;
  outcomes: string[];
  faultsFired: number;
  faultsPlanned: number;
  personOps: PersonOp[];
  measured: Measured;
  notes: string[];
}

const kill = (target: Target, downMs = 1000) => ({ kind: "kill" as const, target, downMs });
const fase = (f: string, ronde?: number) => ({ kind: "fase" as const, fase: f, ...(ronde === undefined ? {} : { ronde }) });
const mutaties = (atLeast: number) => ({ kind: "mutaties" as const, atLeast });
const lvsWrites = (atLeast: number) => ({ kind: "lvsWrites" as const, atLeast });
const na = (ms: number) => ({ kind: "na" as const, ms });

/** `batch`: the batch size the stack runs with, so triggers fall between and inside deliveries. */
export function scenarios(batch: number): Scenario[] {
  const slowBron: Partial<Storingen> = { vertragingMs: 150 };
  return [
    { name: "geen storing (nulmeting)", runs: [{ steps: [] }] },
    {
      name: "kill -9 Functions-host",
      runs: [
        {
          storingen: slowBron,
          steps: [
            { at: fase("TERUGKOPPELING_OPHALEN"), fault: kill("host", 500) },
            { at: fase("ACTIES_BEPALEN"), fault: kill("host", 500) },
            { at: fase("VERZENDEN", 1), fault: kill("host", 300) },
            { at: mutaties(batch + 1), fault: kill("host", 300) },
            { at: mutaties(3 * batch), fault: kill("host", 300) },
            { at: fase("WACHT_OP_BESLISSING"), fault: kill("host", 300) },
            { at: fase("VERZENDEN", 2), fault: kill("host", 300) },
            { at: fase("KLAAR"), fault: kill("host", 300) },
          ],
        },
        { storingen: slowBron, steps: [{ at: fase("TERUGKOPPELING_OPHALEN"), fault: kill("host", 300) }, { at: na(1500), fault: kill("host", 300) }] },
      ],
    },
    {
      name: "kill -9 relay",
      runs: [
        {
          storingen: slowBron,
          steps: [
            { at: fase("ACTIES_BEPALEN"), fault: kill("relay", 500) },
            { at: fase("VERZENDEN", 1), fault: kill("relay", 1500) },
            { at: lvsWrites(1), fault: kill("relay", 500) },
            { at: fase("VERZENDEN", 2), fault: kill("relay", 300) },
            { at: lvsWrites(3), fault: kill("relay", 300) },
          ],
        },
      ],
    },
    {
      name: "kill -9 Azurite",
      runs: [
        {
          storingen: slowBron,
          steps: [
            { at: fase("ACTIES_BEPALEN"), fault: kill("azurite", 1000) },
            { at: mutaties(batch + 1), fault: kill("azurite", 1000) },
            { at: fase("WACHT_OP_BESLISSING"), fault: kill("azurite", 1000) },
            { at: fase("VERZENDEN", 2), fault: kill("azurite", 1000) },
          ],
        },
      ],
    },
    { name: "BRON 30% 503-fouten", runs: [{ storingen: { foutkans: 0.3 }, steps: [] }] },
    { name: "BRON 30% verbroken verbindingen", runs: [{ storingen: { verbrekenKans: 0.3 }, steps: [] }] },
    { name: "BRON 30% afgebroken antwoorden", runs: [{ storingen: { onleesbaarKans: 0.3 }, steps: [] }] },
    {
      name: "BRON 30% storingen (gemengd) + kill -9 host",
      short: [
        {
          // at random, and each kind at least once (so the short form always meets every kind)
          storingen: { foutkans: 0.1, verbrekenKans: 0.1, onleesbaarKans: 0.1, vertragingMs: 150, foutVolgende: 1, verbrekenVolgende: 1, onleesbaarVolgende: 1 },
          steps: [
            { at: mutaties(batch + 1), fault: kill("host", 300) },
            { at: fase("WACHT_OP_BESLISSING"), fault: kill("host", 300) },
          ],
        },
      ],
      runs: [{ storingen: { foutkans: 0.1, verbrekenKans: 0.1, onleesbaarKans: 0.1 }, steps: [{ at: mutaties(batch + 1), fault: kill("host", 300) }] }],
    },
    { name: "relay een hele run onbereikbaar", runs: [{ down: "relay", steps: [] }] },
    {
      name: "persoon beslist en verwijdert tijdens verzenden",
      runs: [{ storingen: { vertragingMs: 400 }, steps: [{ at: fase("VERZENDEN", 1), fault: { kind: "person", operations: 12 } }] }],
      short: [{ storingen: { vertragingMs: 300 }, steps: [{ at: fase("VERZENDEN", 1), fault: { kind: "person", operations: 6 } }] }],
    },
    {
      // the known defect, deterministic: the difference is sent again under the same mutatieId
      name: "persoon verwijdert een verzonden actie die BRON afkeurt",
      runs: [{ steps: [{ at: fase("KLAAR"), fault: { kind: "verwijderAfgekeurd" } }] }],
    },
  ];
}

const SETTLE_RUNS = 3;

export async function runScenario(cs: ChaosStack, ap: string, sc: Scenario, o: { runTimeoutMs: number; log: (line: string) => void }): Promise<ScenarioResult> {
  const countersBefore = cs.counters();
  const seen = new Set<string>();
  const personOps: PersonOp[] = [];
  const outcomes: RunOutcome[] = [];
  let unexpected = 0;
  const notes: string[] = [];
  let fired = 0;
  let planned = 0;
  for (const [i, plan] of sc.runs.entries()) {
    cs.stack.bron.setStoringen({ ...GEEN_STORINGEN, ...plan.storingen });
    if (plan.down) await cs.part(plan.down, ap).kill();
    o.log(`  run ${i + 1} (storing)`);
    const r = await driveRun(cs, ap, plan.steps, { timeoutMs: o.runTimeoutMs, log: o.log });
    if (plan.down) await cs.part(plan.down, ap).start();
    o.log(`  run ${i + 1}: ${r.outcome}${r.reden ? ` — ${r.reden}` : ""} (${r.fases.join(" → ")}; ${r.decisions} beslissingen)`);
    outcomes.push(r.outcome);
    if (r.outcome === "MISLUKT" && (!plan.down || !r.reden)) unexpected++;
    fired += r.fired.length;
    planned += plan.steps.length;
    for (const id of r.seen) seen.add(id);
    personOps.push(...r.personOps);
    if (r.notReached.length > 0) notes.push(`run ${i + 1}: niet bereikt: ${r.notReached.join("; ")}`);
  }
  cs.stack.bron.setStoringen(GEEN_STORINGEN);
  for (let i = 0; i < SETTLE_RUNS; i++) {
    const before = cs.counters().mutaties ?? 0;
    const r = await driveRun(cs, ap, [], { timeoutMs: o.runTimeoutMs, log: o.log });
    o.log(`  herstelrun ${i + 1}: ${r.outcome}${r.reden ? ` — ${r.reden}` : ""} (${r.fases.join(" → ")}; ${r.decisions} beslissingen)`);
    outcomes.push(r.outcome);
    if (r.outcome === "MISLUKT") unexpected++;
    for (const id of r.seen) seen.add(id);
    if (r.outcome === "KLAAR" && (cs.counters().mutaties ?? 0) === before) break;
  }
  const measured = await measure(cs, ap, seen, personOps, countersBefore);
  const finished = outcomes.filter((x) => x !== "NIET_AFGEROND").length;
  return { name: sc.name, runsStarted: outcomes.length, runsFinished: finished, runsUnexpected: unexpected, outcomes, faultsFired: fired, faultsPlanned: planned, personOps, measured, notes };
}
