import type { Result } from "./result.js";
import { buildAction, fingerprintOf, type ActionSpec } from "./action-factory.js";
import { isUnsent } from "./action-lifecycle.js";
import { reasonFor } from "./action-reasons.js";
import { diffAdres, diffOnderwijsgegevens, diffSleutelgegevens, diffUitschrijving, enrolmentFields } from "./compare.js";
import type { Action, ActionMemory, ActionType, BronMirror, FieldDiff, IsoDate, Leerling, LvsSnapshot } from "./model.js";

/**
 * Rule: a person can add an action by hand for any enrolment, the identificatieverzoek among them
 * (manual ch. 5 "Acties handmatig bepalen"; the identificatieverzoek is never determined automatically).
 */

export type ManualRequest = {
  type: ActionType;
  /** the LVS enrolment id (for a Verwijdering inschrijving: the enrolment as BRON holds it) */
  inschrijvingId: string;
};

export type ManualResult = Result<{ action: Action }>;

const KEY_FIELDS = ["pgn", "voornamen", "voorvoegsels", "achternaam", "geslacht", "geboortedatum"] as const;

function keyDataFields(l: Leerling): FieldDiff[] {
  return KEY_FIELDS.filter((f) => l[f] !== null).map((f) => ({ field: f, lvs: l[f], bron: null }));
}

/**
 * Builds an action a person asked for. Its fields are the differences with BRON where there are any,
 * otherwise the LVS2000 data the action would send. A hand-made action is decided by making it, so it
 * goes ahead by itself (`needsDecision` false, `manual` true); its fingerprint is marked as manual so its id
 * never collides with a determined one. An open action of the same type for the same enrolment (or,
 * for pupil-level types, the same pupil) in `existing` makes it a duplicate, which is refused.
 */
export function createManualAction(
  lvs: LvsSnapshot,
  mirror: BronMirror,
  request: ManualRequest,
  memory: ActionMemory,
  today: IsoDate,
  // Stryker disable next-line ArrayDeclaration: equivalent — a junk default element has no type, so it is never a duplicate
  existing: readonly Action[] = [],
): ManualResult {
  const spec = manualSpec(lvs, mirror, request, today);
  if (!("type" in spec)) return { ok: false, reason: spec.reason };
  const s = spec;
  const duplicate = existing.find((a) => a.type === s.type && a.leerlingId === s.leerlingId && a.inschrijvingId === s.inschrijvingId && isUnsent(a));
  if (duplicate) return { ok: false, reason: `Er staat al een open actie van dit soort voor deze leerling (${duplicate.id}).` };
  const fingerprint = fingerprintOf(s.type, s.leerlingId, s.inschrijvingId, s.fields, true);
  const action = buildAction(s, fingerprint, memory, today);
  return { ok: true, action: action.type === "IDENTIFICATIEVERZOEK" ? { ...action, deadline: null } : action };
}

function manualSpec(lvs: LvsSnapshot, mirror: BronMirror, req: ManualRequest, today: IsoDate): ActionSpec | { reason: string } {
  const base = { type: req.type, needsDecision: false, manual: true, aanleverpunt: lvs.aanleverpunt, direction: "BRON" as const };
  const bronIns =
    mirror.inschrijvingen.find((b) => b.inschrijvingId === req.inschrijvingId && b.aanleverpunt === lvs.aanleverpunt) ??
    mirror.historisch.find((b) => b.inschrijvingId === req.inschrijvingId && b.aanleverpunt === lvs.aanleverpunt);
  if (req.type === "VERWIJDERING_INSCHRIJVING") {
    if (!bronIns) return { reason: `Inschrijving ${req.inschrijvingId} staat niet in BRON: er valt niets te verwijderen.` };
    // Stryker disable next-line StringLiteral: equivalent — enrolmentFields puts every side other than "lvs" on BRON's side
    const fields = enrolmentFields(bronIns, "bron");
    return { ...base, leerlingId: bronIns.leerlingId, inschrijvingId: bronIns.inschrijvingId, fields, reason: reasonFor({ type: req.type, fields, today }) };
  }
  const ins = lvs.inschrijvingen.find((i) => i.id === req.inschrijvingId && i.aanleverpunt === lvs.aanleverpunt);
  if (!ins) return { reason: `Inschrijving ${req.inschrijvingId} is niet bekend in LVS2000 op aanleverpunt ${lvs.aanleverpunt}.` };
  const l = lvs.leerlingen.find((x) => x.id === ins.leerlingId);
  const bl = mirror.leerlingen.find((x) => x.leerlingId === ins.leerlingId);
  const onEnrolment = { ...base, leerlingId: ins.leerlingId, inschrijvingId: ins.id };
  const onPupil = { ...base, leerlingId: ins.leerlingId, inschrijvingId: null };
  switch (req.type) {
    case "NIEUWE_INSCHRIJVING":
    case "CORRECTIE_INSCHRIJFDATUM":
    case "WIJZIGING_ONDERWIJSGEGEVENS": {
      const diff = bronIns ? diffOnderwijsgegevens(ins, bronIns, diffUitschrijving(ins, bronIns)) : null;
      const fields = req.type === "CORRECTIE_INSCHRIJFDATUM" || !diff ? enrolmentFields(ins, "lvs") : diff;
      const enrolmentDate = req.type === "NIEUWE_INSCHRIJVING" ? { enrolmentDate: ins.inschrijfdatum } : {};
      return { ...onEnrolment, ...enrolmentDate, fields, reason: reasonFor({ type: req.type, fields, today, inschrijfdatum: ins.inschrijfdatum, uitschrijfdatum: ins.uitschrijfdatum }) };
    }
    case "UITSCHRIJVING": {
      if (ins.uitschrijfdatum === null) return { reason: "Een uitschrijving vraagt om een uitschrijfdatum in LVS2000." };
      const fields: FieldDiff[] = [
        { field: "uitschrijfdatum", lvs: ins.uitschrijfdatum, bron: bronIns?.uitschrijfdatum ?? null },
        { field: "redenUitschrijving", lvs: ins.redenUitschrijving, bron: bronIns?.redenUitschrijving ?? null },
      ];
      return { ...onEnrolment, fields, enrolmentDate: ins.uitschrijfdatum, reason: reasonFor({ type: req.type, fields, today, uitschrijfdatum: ins.uitschrijfdatum }) };
    }
    case "WIJZIGING_SLEUTELGEGEVENS":
    case "IDENTIFICATIEVERZOEK": {
      if (!l) return { reason: `Leerling ${ins.leerlingId} van inschrijving ${ins.id} is niet bekend in LVS2000.` };
      const diff = req.type === "WIJZIGING_SLEUTELGEGEVENS" && bl ? diffSleutelgegevens(l, bl) : null;
      const fields = diff ?? keyDataFields(l);
      return { ...onPupil, fields, reason: reasonFor({ type: req.type, fields, today }) };
    }
    case "OVERNEMEN_ADRES_IN_LVS": {
      if (!l || !bl?.gbaAdres) return { reason: "BRON heeft voor deze leerling geen adres uit de GBA: er valt niets over te nemen." };
      const fields = diffAdres(l.adres, bl.gbaAdres) ?? [{ field: "adres", lvs: l.adres, bron: bl.gbaAdres }];
      return { ...onPupil, direction: "LVS", fields, reason: reasonFor({ type: req.type, fields, today }) };
    }
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustive switch — the compiler proves every case is handled, so this branch never runs
    default: {
      const never: never = req.type;
      return never;
    }
  }
}
