import { applyFeedback } from "../../src/core/apply-feedback.js";
import { checkActions, sendableActions } from "../../src/core/check-actions.js";
import { determineActions } from "../../src/core/determine-actions.js";
import type { Action, FeedbackMessage } from "../../src/core/model.js";
import { generateDemoData } from "../demo-data/generate.js";

/**
 * Demo data, controleren and terugkoppeling verwerken at scale: (1) generating the demo data set for
 * 100,000 pupils; (2) checkActions over every action determined for it; (3) applyFeedback with one
 * acceptance per Nieuwe inschrijving plus a spontane mutatie for every 20th pupil BRON knows. Counts
 * (pupils, actions, signals, writes) are fixed by the seed and do not depend on machine speed.
 */
const PUPILS = 100_000;
const TODAY = "2026-11-28";
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
function timed<T>(fn: () => T): { ms: number; result: T } {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

gc?.();
const heap0 = process.memoryUsage().heapUsed;
const gen = timed(() => generateDemoData({ seed: 1, leerlingen: PUPILS, today: TODAY }));
const data = gen.result;
const again = timed(() => generateDemoData({ seed: 1, leerlingen: PUPILS, today: TODAY }));
const heapData = process.memoryUsage().heapUsed - heap0;
const count = (f: (i: number) => number) => data.lvs.reduce((n, _s, i) => n + f(i), 0);
console.log(`generateDemoData(${PUPILS}): ${gen.ms.toFixed(0)} ms (again: ${again.ms.toFixed(0)} ms), heap held ≈ ${mib(heapData)}`);
console.log(
  `  counts: ${count((i) => data.lvs[i]!.leerlingen.length)} LVS leerlingen, ${count((i) => data.lvs[i]!.inschrijvingen.length)} LVS inschrijvingen, ` +
    `${count((i) => data.bron[i]!.inschrijvingen.length)} BRON inschrijvingen + ${count((i) => data.bron[i]!.historisch.length)} historisch, ` +
    `${data.bevolking.length} BRP personen, ${data.andereScholen.length} inschrijvingen elders`,
);
const json = timed(() => JSON.stringify(data).length);
console.log(`  JSON: ${(json.result / 1e6).toFixed(1)} MB, stringify ${json.ms.toFixed(0)} ms`);

const actionsPerAp: Action[][] = data.lvs.map((lvs, i) => {
  const r = determineActions(lvs, data.bron[i]!, { ignored: [], pending: [], firstSeen: {} }, TODAY);
  if (!r.ok) throw new Error(r.reason);
  return r.actions;
});
const totalActions = actionsPerAp.reduce((n, a) => n + a.length, 0);
const check = timed(() => data.lvs.map((lvs, i) => checkActions(actionsPerAp[i]!, lvs, TODAY)));
const signals = check.result.flat();
const afkeur = signals.filter((s) => s.ernst === "AFKEUR").length;
const sendable = actionsPerAp.reduce((n, a, i) => n + sendableActions(a, check.result[i]!).length, 0);
console.log(`checkActions: ${check.ms.toFixed(0)} ms for ${totalActions} actions → ${signals.length} signals (${afkeur} afkeur, ${signals.length - afkeur} attentie); ${sendable} actions sendable`);

const messages: FeedbackMessage[][] = data.bron.map((mirror, i) => {
  const out: FeedbackMessage[] = [];
  const lvsById = new Map(data.lvs[i]!.leerlingen.map((l) => [l.id, l]));
  const insById = new Map(data.lvs[i]!.inschrijvingen.map((x) => [x.id, x]));
  for (const a of actionsPerAp[i]!) {
    if (a.type !== "NIEUWE_INSCHRIJVING") continue;
    const l = lvsById.get(a.leerlingId)!;
    const { id: _i, rowVersion: _r, ...ins } = insById.get(a.inschrijvingId!)!;
    out.push({
      id: `acc-${a.id}`, aanleverpunt: mirror.aanleverpunt, ontvangenOp: `${TODAY}T08:00:00Z`, soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: a.id, signalen: [], toegekendOnderwijsnummer: null,
      leerling: { leerlingId: l.id, pgn: l.pgn, voornamen: l.voornamen, voorvoegsels: l.voorvoegsels, achternaam: l.achternaam, geslacht: l.geslacht, geboortedatum: l.geboortedatum, gbaAdres: l.adres, nationaliteiten: l.nationaliteiten },
      inschrijving: { inschrijvingId: a.inschrijvingId!, ...ins },
    });
  }
  mirror.leerlingen.forEach((l, n) => {
    if (n % 20 === 0) out.push({ id: `sm-${l.leerlingId}`, aanleverpunt: mirror.aanleverpunt, ontvangenOp: `${TODAY}T09:00:00Z`, soort: "SPONTANE_MUTATIE", leerling: { ...l, achternaam: `${l.achternaam}-Gecorrigeerd` } });
  });
  return out;
});
const totalMessages = messages.reduce((n, m) => n + m.length, 0);
const fb = timed(() => data.bron.map((mirror, i) => applyFeedback(mirror, actionsPerAp[i]!.map((a) => ({ ...a, status: "IN_BEHANDELING" as const })), messages[i]!, TODAY)));
const writes = fb.result.reduce((n, r) => n + r.lvsWrites.length, 0);
const updates = fb.result.reduce((n, r) => n + r.actionUpdates.length, 0);
const failed = fb.result.reduce((n, r) => n + r.failed.length, 0);
console.log(`applyFeedback: ${fb.ms.toFixed(0)} ms for ${totalMessages} messages → ${updates} action updates, ${writes} LVS writes, ${failed} failed`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
