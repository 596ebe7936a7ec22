import type { Action, Keuze } from "../../src/core/model.js";
import { sleep, type ChaosStack, type HttpAnswer } from "./stack.js";

/**
 * Drives one sync run of one aanleverpunt the way a school does (a manual start, a person deciding
 * every difference the run waits for) while a fault plan fires: each step fires once, the first time
 * its trigger holds (a phase of the run, a number of mutations BRON received, a number of writes the
 * relay applied, or a pause after the previous fault), and injects its fault.
 */

export type Trigger =
  /** the run shows this phase (custom status), in this round or a later one when given */
  | { kind: "fase"; fase: string; ronde?: number }
  /** BRON received at least n mutations since the run started (deliveries, counted by the simulator) */
  | { kind: "mutaties"; atLeast: number }
  /** the relay recorded at least n writes for this aanleverpunt since the run started */
  | { kind: "lvsWrites"; atLeast: number }
  /** this long after the previous step fired (or the run started) */
  | { kind: "na"; ms: number };

export type Target = "host" | "relay" | "azurite";

export type Fault =
  /** kill -9, then start again on the same ports and data after downMs */
  | { kind: "kill"; target: Target; downMs: number }
  /** a person decides and deletes actions while the run sends */
  | { kind: "person"; operations: number }
  /** a person deletes a sent action (In behandeling) that BRON refused, before the refusal is fetched: the manual's "delete and execute again" */
  | { kind: "verwijderAfgekeurd" };

export interface Step {
  at: Trigger;
  fault: Fault;
}

export type RunOutcome = "KLAAR" | "GEWEIGERD" | "MISLUKT" | "NIET_AFGEROND";

export interface PersonOp {
  op: "beslissing" | "verwijderen";
  actionId: string;
  /** the action's status when the person acted, as the list showed it */
  statusBefore: string;
  answer: HttpAnswer;
}

export interface RunReport {
  outcome: RunOutcome;
  reden: string | null;
  fired: string[];
  notReached: string[];
  /** every action id seen while the run went on (the actions table, read at every phase change) */
  seen: Set<string>;
  personOps: PersonOp[];
  decisions: number;
  /** the phases the run was seen in, in order */
  fases: string[];
}

export interface RunOptions {
  timeoutMs: number;
  log: (line: string) => void;
}

const FINISHED = new Set(["Completed", "Failed", "Terminated"]);

function describeStep(s: Step): string {
  const at = s.at.kind === "fase" ? `${s.at.fase}${s.at.ronde === undefined ? "" : ` ronde ≥${s.at.ronde}`}` : s.at.kind === "mutaties" ? `${s.at.atLeast} mutaties bij BRON` : s.at.kind === "lvsWrites" ? `${s.at.atLeast} LVS-schrijfacties` : `+${s.at.ms} ms`;
  const what = s.fault.kind === "kill" ? `kill -9 ${s.fault.target}` : s.fault.kind === "person" ? `persoon (${s.fault.operations} handelingen)` : "persoon verwijdert een verzonden, door BRON afgekeurde actie";
  return `${what} @ ${at}`;
}

/** The keuze a person makes for a difference: GBA address and half the key data into LVS2000, the rest to BRON. */
function keuzeFor(a: Action): Keuze {
  if (a.type === "OVERNEMEN_ADRES_IN_LVS") return "NAAR_LVS";
  if (a.type === "WIJZIGING_SLEUTELGEGEVENS") return hash(a.id) % 2 === 0 ? "NAAR_LVS" : "NAAR_BRON";
  return "NAAR_BRON";
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

export async function driveRun(cs: ChaosStack, ap: string, steps: readonly Step[], o: RunOptions): Promise<RunReport> {
  const report: RunReport = { outcome: "NIET_AFGEROND", reden: null, fired: [], notReached: [], seen: new Set(), personOps: [], decisions: 0, fases: [] };
  const mutatiesAtStart = cs.counters().mutaties ?? 0;
  const writesAtStart = cs.relayAudit(ap).length;
  const deadline = Date.now() + o.timeoutMs;
  const background: Promise<void>[] = [];

  // start: a host that is down (a fault of the previous run) is waited for; "loopt al" means a run of
  // ours survived a crash and goes on: follow that one
  // (the run that ends is the one with another createdTime than the run before the start)
  let previous: string | undefined;
  for (;;) {
    const before = await cs.status(ap);
    const r = await cs.startSync(ap);
    if (r.status === 202) previous = before?.createdTime;
    if (r.status === 202 || r.status === 409) break;
    if (Date.now() > deadline) return report;
    await sleep(500);
  }

  const done = new Set<number>();
  let lastFired = Date.now();
  let lastFase = "";
  const fire = async (step: Step) => {
    report.fired.push(describeStep(step));
    o.log(`  ▸ ${describeStep(step)}`);
    lastFired = Date.now();
    if (step.fault.kind === "kill") {
      const p = cs.part(step.fault.target, ap);
      await p.kill();
      await sleep(step.fault.downMs);
      await p.start();
    } else if (step.fault.kind === "person") {
      background.push(person(cs, ap, step.fault.operations, report, o));
    } else {
      await deleteRefused(cs, ap, report, o);
    }
  };

  while (Date.now() < deadline) {
    const s = await cs.status(ap);
    const fase = s?.customStatus?.fase ?? "";
    const ronde = s?.customStatus?.ronde;
    if (s && fase !== lastFase) {
      lastFase = fase;
      report.fases.push(`${fase}${ronde ? `#${ronde}` : ""}`);
      await remember(cs, ap, report);
    }
    const now = { fase, ronde, mutaties: (cs.counters().mutaties ?? 0) - mutatiesAtStart, writes: () => cs.relayAudit(ap).length - writesAtStart, sinceLast: Date.now() - lastFired };
    const due = steps.findIndex((step, i) => !done.has(i) && triggered(step.at, now));
    if (due >= 0) {
      done.add(due);
      await fire(steps[due]!);
      continue;
    }
    if (s && FINISHED.has(s.runtimeStatus) && (previous === undefined || s.createdTime !== previous)) {
      report.outcome = s.runtimeStatus === "Completed" ? (s.output?.fase === "GEWEIGERD" ? "GEWEIGERD" : "KLAAR") : "MISLUKT";
      report.reden = s.reden ?? s.output?.reden ?? null;
      break;
    }
    if (s && fase === "WACHT_OP_BESLISSING" && s.runtimeStatus === "Running") report.decisions += await decideAll(cs, ap);
    await sleep(150);
  }
  await Promise.all(background);
  // a fault still pending when the run ended: the parts must be up again for what follows
  for (const target of ["azurite", "host", "relay"] as const) await cs.part(target, ap).start();
  report.notReached = steps.filter((_, i) => !done.has(i)).map(describeStep);
  await remember(cs, ap, report);
  return report;
}

function triggered(t: Trigger, now: { fase: string; ronde: number | undefined; mutaties: number; writes: () => number; sinceLast: number }): boolean {
  switch (t.kind) {
    case "fase":
      return now.fase === t.fase && (t.ronde === undefined || (now.ronde ?? 0) >= t.ronde);
    case "mutaties":
      return now.mutaties >= t.atLeast;
    case "lvsWrites":
      return now.writes() >= t.atLeast;
    case "na":
      return now.sinceLast >= t.ms;
  }
}

async function remember(cs: ChaosStack, ap: string, report: RunReport): Promise<void> {
  try {
    for (const a of await cs.state().loadActions(ap)) report.seen.add(a.id);
  } catch {
    // storage down for a moment: the next phase change reads again
  }
}

/** Decides every difference the run waits for; returns how many decisions were taken. */
async function decideAll(cs: ChaosStack, ap: string): Promise<number> {
  const r = await cs.api(ap, "acties");
  if (r.status !== 200) return 0;
  const waiting = (r.body as { acties: Action[] }).acties.filter((a) => a.status === "OPEN" && a.needsDecision && a.decision === null);
  let n = 0;
  for (const a of waiting) if ((await cs.decide(ap, a.id, keuzeFor(a))).status === 200) n++;
  return n;
}

/**
 * A person at the beheerpagina during a send: decides open differences and deletes actions of every
 * status (also ones being sent, which the lifecycle refuses with a Dutch 409), spread over the send.
 */
async function person(cs: ChaosStack, ap: string, operations: number, report: RunReport, o: RunOptions): Promise<void> {
  for (let i = 0; i < operations; i++) {
    const r = await cs.api(ap, "acties");
    if (r.status !== 200) {
      await sleep(300);
      continue;
    }
    const acties = (r.body as { acties: Action[] }).acties.filter((a) => a.status !== "VERWIJDERD");
    const waiting = acties.filter((a) => a.status === "OPEN" && a.needsDecision && a.decision === null);
    const sending = acties.filter((a) => a.status === "IN_VERZENDING");
    const sent = acties.filter((a) => a.status === "IN_BEHANDELING");
    // alternate: decide a waiting one, delete one being sent, delete a sent one, delete any
    const kind = i % 4;
    const pool = kind === 0 ? waiting : kind === 1 ? sending : kind === 2 ? sent : acties;
    const a = pool[(i * 7) % Math.max(pool.length, 1)];
    if (a) {
      const op = kind === 0 ? ("beslissing" as const) : ("verwijderen" as const);
      const who = cs.administratie(ap);
      const answer = op === "beslissing" ? await cs.decide(ap, a.id, keuzeFor(a), who) : await cs.deleteAction(ap, a.id, who);
      report.personOps.push({ op, actionId: a.id, statusBefore: a.status, answer });
      o.log(`    persoon: ${op} ${a.status} → ${answer.status}`);
    }
    await sleep(250);
  }
}

/** Deletes one action that is In behandeling while BRON's AFKEUR for it waits in BRON's queue. */
async function deleteRefused(cs: ChaosStack, ap: string, report: RunReport, o: RunOptions): Promise<void> {
  const refused = new Set(cs.bronFeedback(ap).filter((f) => !f.bevestigd && f.soort === "AFKEUR" && f.mutatieId !== null).map((f) => f.mutatieId!));
  const r = await cs.api(ap, "acties");
  if (r.status !== 200) return;
  const a = (r.body as { acties: Action[] }).acties.find((x) => x.status === "IN_BEHANDELING" && refused.has(x.id));
  if (!a) {
    o.log("    persoon: geen verzonden actie met een afkeur gevonden");
    return;
  }
  const answer = await cs.deleteAction(ap, a.id, cs.administratie(ap));
  report.personOps.push({ op: "verwijderen", actionId: a.id, statusBefore: a.status, answer });
  o.log(`    persoon: verwijderen ${a.status} (afgekeurd door BRON) → ${answer.status}`);
}
