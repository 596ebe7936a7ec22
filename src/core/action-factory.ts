import { CHANGE_WINDOW_DAYS, ENROLMENT_WINDOW_DAYS, computeDeadline } from "./deadline.js";
import { FingerprintBuilder } from "./fingerprint.js";
import type { Action, ActionMemory, ActionType, Aanleverpunt, Deadline, Direction, FieldDiff, IsoDate } from "./model.js";

/**
 * Builds actions: fingerprint, stable id and deadline in one place, so determined and manual actions
 * agree on them.
 */

/** Short codes keep the id (which becomes the BRON mutation id) compact. */
const TYPE_CODES: Readonly<Record<ActionType, string>> = {
  NIEUWE_INSCHRIJVING: "NI",
  UITSCHRIJVING: "UI",
  VERWIJDERING_INSCHRIJVING: "VI",
  CORRECTIE_INSCHRIJFDATUM: "CI",
  WIJZIGING_SLEUTELGEGEVENS: "WS",
  WIJZIGING_ONDERWIJSGEGEVENS: "WO",
  IDENTIFICATIEVERZOEK: "IV",
  OVERNEMEN_ADRES_IN_LVS: "OA",
};

export type ActionSpec = {
  type: ActionType;
  direction: Direction;
  /** a difference a person must decide (manual ch. 5); false: goes ahead by itself */
  needsDecision: boolean;
  manual?: boolean;
  aanleverpunt: Aanleverpunt;
  leerlingId: string;
  inschrijvingId: string | null;
  fields: FieldDiff[];
  reason: string;
  /** the in/uitschrijfdatum a 7-day window runs from; absent: a 14-day window from first seen */
  enrolmentDate?: IsoDate;
};

/** Known field names hash as one symbol each (cheaper than their text); unknown ones hash as text. */
const FIELD_SYMBOLS = new Map<string, number>(
  [
    "pgn", "voornamen", "voorvoegsels", "achternaam", "geslacht", "geboortedatum",
    "inschrijfdatum", "uitschrijfdatum", "redenUitschrijving", "vestiging", "schoolsoort", "onderwijssoort",
    "leerjaar", "soortVerblijf", "indicaties", "ambulanteBegeleiding", "bekostigd",
    "adres", "adres.straat", "adres.huisnummer", "adres.toevoeging", "adres.postcode", "adres.plaats", "adres.land",
    "nationaliteiten", "klassenhistorie", "nnca", "gewicht", "vve", "eindtoets", "schooladvies",
  ].map((name, i) => [name, 0x100 + i]),
);

/**
 * Fingerprint of a difference: type, who/which enrolment, and every differing field with both values.
 * The same difference gives the same fingerprint on every run; any change in those values gives a new one.
 */
export function fingerprintOf(type: ActionType, leerlingId: string, inschrijvingId: string | null, fields: readonly FieldDiff[], manual = false): string {
  const fp = new FingerprintBuilder().text(type).text(leerlingId).value(inschrijvingId);
  if (manual) fp.text("handmatig");
  for (const f of fields) {
    const symbol = FIELD_SYMBOLS.get(f.field);
    if (symbol === undefined) fp.text(f.field);
    else fp.symbol(symbol);
    fp.value(f.lvs).value(f.bron);
  }
  return fp.digest();
}

/** Stable action id: type code + leerling + inschrijving + fingerprint ("same difference ⇒ same id"). */
export function actionIdOf(type: ActionType, leerlingId: string, inschrijvingId: string | null, fingerprint: string): string {
  return `${TYPE_CODES[type]}-${leerlingId}-${inschrijvingId ?? "0"}-${fingerprint}`;
}

/** Deadlines already computed in one run, per window, by start day (same start, same today ⇒ same deadline). */
export type DeadlineCache = { enrolment: Map<IsoDate, Deadline>; change: Map<IsoDate, Deadline> };

// Stryker disable next-line BlockStatement: speed-up only — without the cache every action computes the same Deadline values itself
export function createDeadlineCache(): DeadlineCache {
  return { enrolment: new Map(), change: new Map() };
}

/**
 * 7-day window from the in/uitschrijfdatum, else 14 days from when the difference was first seen (or
 * today). With a cache, actions with the same window and start share one frozen Deadline object.
 */
export function deadlineFor(spec: Pick<ActionSpec, "enrolmentDate">, fingerprint: string, memory: ActionMemory, today: IsoDate, cache?: DeadlineCache): Deadline {
  const enrolment = spec.enrolmentDate !== undefined;
  const window = enrolment ? ENROLMENT_WINDOW_DAYS : CHANGE_WINDOW_DAYS;
  const since = spec.enrolmentDate ?? memory.firstSeen[fingerprint] ?? today;
  // Stryker disable next-line ConditionalExpression: speed-up only — computing without the cache gives the same Deadline values
  if (cache === undefined) return computeDeadline(window, since, today);
  const byStart = enrolment ? cache.enrolment : cache.change;
  let d = byStart.get(since);
  // Stryker disable next-line ConditionalExpression: speed-up only — recomputing a cached deadline gives the same values
  if (d === undefined) {
    d = Object.freeze(computeDeadline(window, since, today));
    byStart.set(since, d);
  }
  return d;
}

/**
 * The complete OPEN action for a spec whose fingerprint is already known. The spec's type, direction
 * and inschrijving agree by construction (determineActions, createManualAction); the stored row is
 * checked against the Action union when it is read back.
 */
export function buildAction(spec: ActionSpec, fingerprint: string, memory: ActionMemory, today: IsoDate, cache?: DeadlineCache): Action {
  return {
    id: actionIdOf(spec.type, spec.leerlingId, spec.inschrijvingId, fingerprint),
    type: spec.type,
    direction: spec.direction,
    needsDecision: spec.needsDecision,
    decision: null,
    manual: spec.manual ?? false,
    aanleverpunt: spec.aanleverpunt,
    leerlingId: spec.leerlingId,
    inschrijvingId: spec.inschrijvingId,
    fields: spec.fields,
    fingerprint,
    deadline: deadlineFor(spec, fingerprint, memory, today, cache),
    reason: spec.reason,
    status: "OPEN",
  } as Action;
}

const TYPE_ORDER: Readonly<Record<ActionType, number>> = {
  NIEUWE_INSCHRIJVING: 0,
  CORRECTIE_INSCHRIJFDATUM: 1,
  WIJZIGING_ONDERWIJSGEGEVENS: 2,
  UITSCHRIJVING: 3,
  VERWIJDERING_INSCHRIJVING: 4,
  WIJZIGING_SLEUTELGEGEVENS: 5,
  OVERNEMEN_ADRES_IN_LVS: 6,
  IDENTIFICATIEVERZOEK: 7,
};

/** Deterministic order: leerling id, then inschrijving id (pupil-level actions first), then type, then id. */
export function compareActions(x: Action, y: Action): number {
  if (x.leerlingId !== y.leerlingId) return x.leerlingId < y.leerlingId ? -1 : 1;
  const xi = x.inschrijvingId ?? "";
  const yi = y.inschrijvingId ?? "";
  if (xi !== yi) return xi < yi ? -1 : 1;
  if (x.type !== y.type) return TYPE_ORDER[x.type] - TYPE_ORDER[y.type];
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}
