import type { Result } from "./result.js";
import { buildAction, compareActions, createDeadlineCache, fingerprintOf, type ActionSpec, type DeadlineCache } from "./action-factory.js";
import { reasonFor } from "./action-reasons.js";
import { diffAdres, diffOnderwijsgegevens, diffSleutelgegevens, diffUitschrijving, enrolmentFields } from "./compare.js";
import type { Action, ActionMemory, BronInschrijving, BronLeerling, BronMirror, Inschrijving, IsoDate, Leerling, LvsSnapshot } from "./model.js";
import { checkMirrorUsable, DEFAULT_MAX_OVERZICHT_AGE_DAYS } from "./mirror-freshness.js";

/**
 * Acties bepalen (domain.md "Rules: determining actions", manual ch. 2, 4, 5): the difference between
 * LVS2000 and the BRON mirror for one aanleverpunt, as a sorted list of OPEN actions.
 *
 * Matching: LVS and BRON enrolments on the inschrijving id (the LVS enrolment id BRON keeps as the
 * school's reference), pupils on the leerling id. Only enrolments of `lvs.aanleverpunt` count. One pass
 * over each list with Maps keyed by id; fingerprints only for differences; no validation here (inputs
 * are validated at the boundary).
 */

export type DetermineResult = Result<{ actions: Action[] }>;
export type DetermineOptions = { maxOverzichtAgeDays?: number; requireOverzicht?: boolean };

/** Rule: a deregistration before 1 August 2008 (the start of BRON) is never delivered. */
export const BRON_START_DATE: IsoDate = "2008-08-01";

type Context = {
  aanleverpunt: string;
  memory: ActionMemory;
  today: IsoDate;
  ignored: ReadonlySet<string>;
  pending: ReadonlySet<string>;
  deadlines: DeadlineCache;
  actions: Action[];
};

const pendingKey = (type: string, leerlingId: string, inschrijvingId: string | null) => `${type}\u0000${leerlingId}\u0000${inschrijvingId ?? ""}`;

/**
 * Determines every action for one aanleverpunt. Pure and deterministic: `today` comes in as data.
 *
 * Refuses (ok: false, Dutch reason) when the mirror is not usable: another aanleverpunt, an overzicht
 * older than 4 weeks (`maxOverzichtAgeDays`, default 28), or no overzicht while the mirror holds data.
 * An empty, never-fetched mirror is the first delivery and is allowed (see mirror-freshness.ts).
 *
 * Not determined again: differences whose fingerprint is in `memory.ignored` (until the data behind them
 * change), and actions in `memory.pending` (sent and awaiting feedback, or decided and not yet executed),
 * matched on type + leerling + inschrijving.
 */
export function determineActions(lvs: LvsSnapshot, mirror: BronMirror, memory: ActionMemory, today: IsoDate, options: DetermineOptions = {}): DetermineResult {
  const usable = checkMirrorUsable(lvs, mirror, today, { maxAgeDays: options.maxOverzichtAgeDays ?? DEFAULT_MAX_OVERZICHT_AGE_DAYS, requireOverzicht: options.requireOverzicht ?? false });
  if (!usable.ok) return usable;

  const ctx: Context = {
    aanleverpunt: lvs.aanleverpunt,
    memory,
    today,
    ignored: new Set(memory.ignored),
    pending: new Set(memory.pending.map((p) => pendingKey(p.type, p.leerlingId, p.inschrijvingId))),
    deadlines: createDeadlineCache(),
    actions: [],
  };
  // Matched BRON enrolments are deleted from this index, so what remains afterwards is unknown in LVS.
  const bronInschrijvingen = indexBronInschrijvingen(mirror, ctx.aanleverpunt);
  // Pupils leave this index when their first enrolment in scope is met, and join `pupilsInScope`.
  const lvsLeerlingen = new Map<string, Leerling>();
  for (const l of lvs.leerlingen) lvsLeerlingen.set(l.id, l);
  // Stryker disable next-line ArrayDeclaration: equivalent — a junk first element has no leerling id, so it matches no BRON pupil and is skipped
  const pupilsInScope: Leerling[] = [];

  for (const ins of lvs.inschrijvingen) {
    if (ins.aanleverpunt !== ctx.aanleverpunt) continue;
    const bron = bronInschrijvingen.get(ins.id);
    if (bron !== undefined) bronInschrijvingen.delete(ins.id);
    if (ins.uitschrijfdatum !== null && ins.uitschrijfdatum < BRON_START_DATE) continue;
    const l = lvsLeerlingen.get(ins.leerlingId);
    if (l !== undefined) {
      lvsLeerlingen.delete(ins.leerlingId);
      pupilsInScope.push(l);
    }
    if (bron === undefined) emitNieuweInschrijving(ctx, ins);
    else compareEnrolment(ctx, ins, bron);
  }

  // incomplete LVS2000 data never becomes a deletion: the enrolment or its pupil exists in LVS2000
  // Stryker disable next-line ArrayDeclaration: equivalent — a junk element has no id and matches no BRON enrolment's leerling
  const incompletePupils = new Set((lvs.onvolledig ?? []).map((o) => o.id));
  // Stryker disable next-line ArrayDeclaration: equivalent — deleting a junk id that no enrolment has changes nothing
  for (const id of lvs.uitgeslotenInschrijvingen ?? []) bronInschrijvingen.delete(id);
  for (const bron of mirror.inschrijvingen) {
    if (bronInschrijvingen.get(bron.inschrijvingId) === bron && !incompletePupils.has(bron.leerlingId)) emitVerwijdering(ctx, bron);
  }

  comparePupils(ctx, pupilsInScope, mirror.leerlingen);
  ctx.actions.sort(compareActions);
  return { ok: true, actions: usable.firstDelivery ? ctx.actions.map((a) => asBacklog(a, today)) : ctx.actions };
}

/** Rule: an enrolment of a first delivery whose reporting window already closed is backlog (achterstallig). */
function asBacklog(a: Action, today: IsoDate): Action {
  return a.deadline !== null && a.deadline.due < today ? { ...a, deadline: { ...a.deadline, achterstallig: true } } : a;
}

/**
 * BRON's enrolments of this aanleverpunt by inschrijving id: the overzicht and the historical ones
 * (deregistered before the peildatum; BRON still knows them, so they match and are not re-delivered).
 */
function indexBronInschrijvingen(mirror: BronMirror, aanleverpunt: string): Map<string, BronInschrijving> {
  const byId = new Map<string, BronInschrijving>();
  for (const b of mirror.historisch) if (b.aanleverpunt === aanleverpunt) byId.set(b.inschrijvingId, b);
  for (const b of mirror.inschrijvingen) if (b.aanleverpunt === aanleverpunt) byId.set(b.inschrijvingId, b);
  return byId;
}

/** Adds the action unless it is pending or its difference was ignored. */
function emit(ctx: Context, spec: ActionSpec): void {
  if (ctx.pending.size > 0 && ctx.pending.has(pendingKey(spec.type, spec.leerlingId, spec.inschrijvingId))) return;
  const fingerprint = fingerprintOf(spec.type, spec.leerlingId, spec.inschrijvingId, spec.fields);
  if (ctx.ignored.has(fingerprint)) return;
  ctx.actions.push(buildAction(spec, fingerprint, ctx.memory, ctx.today, ctx.deadlines));
}

/**
 * Enrolled in LVS, not in BRON → Nieuwe melding inschrijving (automatic): the full enrolment. A past
 * deregistration (on or after 1 August 2008) BRON does not know yet is delivered the same way, complete
 * with its deregistration data — this is what the first delivery consists of.
 */
function emitNieuweInschrijving(ctx: Context, ins: Inschrijving): void {
  const fields = enrolmentFields(ins, "lvs");
  emit(ctx, {
    type: "NIEUWE_INSCHRIJVING",
    direction: "BRON",
    needsDecision: false,
    aanleverpunt: ctx.aanleverpunt,
    leerlingId: ins.leerlingId,
    inschrijvingId: ins.id,
    fields,
    reason: reasonFor({ type: "NIEUWE_INSCHRIJVING", fields, today: ctx.today, inschrijfdatum: ins.inschrijfdatum, uitschrijfdatum: ins.uitschrijfdatum }),
    enrolmentDate: ins.inschrijfdatum,
  });
}

/**
 * One enrolment both sides know.
 * - inschrijfdatum differs → Correctie inschrijfdatum (decision). It removes BRON's enrolment and
 *   delivers the correct one in full, so it carries every differing enrolment field and no other
 *   enrolment action is determined beside it.
 * - deregistered in LVS (past or future date) while BRON shows enrolled → Uitschrijving (automatic);
 *   BRON has a different uitschrijfdatum/reden → Uitschrijving that waits for a decision.
 * - onderwijsgegevens differ → Wijziging onderwijsgegevens (decision); an uitschrijving undone in LVS
 *   (LVS active, BRON deregistered) is reported here too.
 */
function compareEnrolment(ctx: Context, ins: Inschrijving, bron: BronInschrijving): void {
  const onEnrolment = () => ({ direction: "BRON" as const, aanleverpunt: ctx.aanleverpunt, leerlingId: ins.leerlingId, inschrijvingId: ins.id });
  if (ins.inschrijfdatum !== bron.inschrijfdatum) {
    const fields = diffOnderwijsgegevens(ins, bron, diffUitschrijving(ins, bron, [{ field: "inschrijfdatum", lvs: ins.inschrijfdatum, bron: bron.inschrijfdatum }]))!;
    emit(ctx, { ...onEnrolment(), type: "CORRECTIE_INSCHRIJFDATUM", needsDecision: true, fields, reason: reasonFor({ type: "CORRECTIE_INSCHRIJFDATUM", fields, today: ctx.today }) });
    return;
  }
  const uitschrijving = diffUitschrijving(ins, bron);
  if (uitschrijving !== null && ins.uitschrijfdatum !== null) {
    const bronUitgeschreven = bron.uitschrijfdatum !== null;
    const reason = reasonFor({ type: "UITSCHRIJVING", fields: uitschrijving, today: ctx.today, uitschrijfdatum: ins.uitschrijfdatum, bronUitgeschreven });
    emit(ctx, { ...onEnrolment(), type: "UITSCHRIJVING", needsDecision: bronUitgeschreven, fields: uitschrijving, reason, enrolmentDate: ins.uitschrijfdatum });
  }
  const onderwijs = diffOnderwijsgegevens(ins, bron, ins.uitschrijfdatum === null ? uitschrijving : null);
  if (onderwijs !== null) {
    emit(ctx, { ...onEnrolment(), type: "WIJZIGING_ONDERWIJSGEGEVENS", needsDecision: true, fields: onderwijs, reason: reasonFor({ type: "WIJZIGING_ONDERWIJSGEGEVENS", fields: onderwijs, today: ctx.today }) });
  }
}

/** Enrolled in BRON (in the overzicht), unknown in LVS → Verwijdering inschrijving (decision). */
function emitVerwijdering(ctx: Context, bron: BronInschrijving): void {
  // Stryker disable next-line StringLiteral: equivalent — enrolmentFields puts every side other than "lvs" on BRON's side
  const fields = enrolmentFields(bron, "bron");
  emit(ctx, {
    type: "VERWIJDERING_INSCHRIJVING",
    direction: "BRON",
    needsDecision: true,
    aanleverpunt: ctx.aanleverpunt,
    leerlingId: bron.leerlingId,
    inschrijvingId: bron.inschrijvingId,
    fields,
    reason: reasonFor({ type: "VERWIJDERING_INSCHRIJVING", fields, today: ctx.today }),
  });
}

/**
 * Per pupil with an enrolment in scope that BRON knows: key data (Wijziging sleutelgegevens, decision,
 * direction BRON until a person chooses "naar LVS2000") and the GBA address (Overnemen adresgegevens
 * in LVS, decision, direction LVS).
 */
function comparePupils(ctx: Context, inScope: readonly Leerling[], bronLeerlingen: readonly BronLeerling[]): void {
  const bronById = new Map<string, BronLeerling>();
  for (const b of bronLeerlingen) bronById.set(b.leerlingId, b);
  for (const l of inScope) {
    const b = bronById.get(l.id);
    if (b === undefined) continue;
    const sleutel = diffSleutelgegevens(l, b);
    if (sleutel !== null) {
      const reason = reasonFor({ type: "WIJZIGING_SLEUTELGEGEVENS", fields: sleutel, today: ctx.today });
      emit(ctx, { ...onPupil(ctx, l), type: "WIJZIGING_SLEUTELGEGEVENS", direction: "BRON", fields: sleutel, reason });
    }
    const adres = diffAdres(l.adres, b.gbaAdres);
    if (adres !== null) {
      const reason = reasonFor({ type: "OVERNEMEN_ADRES_IN_LVS", fields: adres, today: ctx.today });
      emit(ctx, { ...onPupil(ctx, l), type: "OVERNEMEN_ADRES_IN_LVS", direction: "LVS", fields: adres, reason });
    }
  }
}

function onPupil(ctx: Context, l: Leerling) {
  return { aanleverpunt: ctx.aanleverpunt, leerlingId: l.id, inschrijvingId: null, needsDecision: true };
}
