import { evolve, goesAhead, waitsForDecision } from "./action-lifecycle.js";
import { checkInschrijving } from "./check-inschrijving.js";
import { checkUitgewisseldeGegevens } from "./check-wpo.js";
import { checkAdres, checkOnderwijsSinds, checkPersoon, checkPgn } from "./check-leerling.js";
import type { Action, ActionType, Inschrijving, IsoDate, Leerling, LvsSnapshot, Signal } from "./model.js";
import { signal } from "./signal-text.js";

export { checkCertificate } from "./check-certificate.js";

/** Actions that deliver an enrolment's data to BRON. */
const ENROLMENT_ACTIONS: ReadonlySet<ActionType> = new Set(["NIEUWE_INSCHRIJVING", "UITSCHRIJVING", "CORRECTIE_INSCHRIJFDATUM", "WIJZIGING_ONDERWIJSGEGEVENS"]);
/** Actions that deliver a pupil's person data (name, geslacht, geboortedatum, address). */
const PERSON_ACTIONS: ReadonlySet<ActionType> = new Set(["NIEUWE_INSCHRIJVING", "WIJZIGING_SLEUTELGEGEVENS", "IDENTIFICATIEVERZOEK"]);

/**
 * Controleren (domain.md "Rules: checking", manual ch. 6): checks the LVS2000 data each action would send
 * to BRON and returns signals, each with a stable code, ernst AFKEUR (must be fixed before that action can
 * be sent) or ATTENTIE (informational), a Dutch text (≤ 100 characters), the action id and the field.
 *
 * What is checked follows what the action sends: every action to BRON except a Verwijdering needs the
 * pupil and a valid PGN; enrolment actions their enrolment (required fields, inschrijf ≤ uitschrijf,
 * WEC and ambulant fields, klassenhistorie, NNCA, gewicht, VVE, eindtoets, schooladvies: check-wpo.ts)
 * and Onderwijs Sinds (leerjaar computable); actions with person data also name,
 * geslacht, a plausible geboortedatum on the inschrijfdatum and the address (NL postcode only for land
 * 6030). A Verwijdering sends only references and LVS-direction actions write BRON's data to LVS2000:
 * neither is checked. Pure; `today` comes in as data.
 */
export function checkActions(actions: readonly Action[], lvs: LvsSnapshot, today: IsoDate): Signal[] {
  const leerlingen = new Map<string, Leerling>(lvs.leerlingen.map((l) => [l.id, l]));
  const inschrijvingen = new Map<string, Inschrijving>(lvs.inschrijvingen.map((i) => [i.id, i]));
  const eersteInschrijving = firstEnrolmentDates(lvs);
  // Stryker disable next-line ArrayDeclaration: equivalent — a junk element gives an entry under no pupil id, which no action has
  const onvolledig = new Map((lvs.onvolledig ?? []).map((o) => [o.id, o.velden]));
  const out: Signal[] = [];
  for (const action of actions) {
    if (action.direction !== "BRON" || action.type === "VERWIJDERING_INSCHRIJVING") continue;
    const add = (code: string, ernst: Signal["ernst"], tekst: string, field: string | null) => out.push(signal(code, ernst, tekst, action.id, field));
    const l = leerlingen.get(action.leerlingId);
    if (l === undefined) {
      // Rule: an incomplete pupil in LVS2000 is an afkeur naming the field, never a reason to delete
      const velden = onvolledig.get(action.leerlingId);
      if (velden !== undefined) for (const v of velden) add("LEERLING_ONVOLLEDIG", "AFKEUR", `${v.reden} in LVS2000`, v.veld);
      else add("LEERLING_ONBEKEND", "AFKEUR", `Leerling ${action.leerlingId} staat niet (meer) in LVS2000`, null);
      continue;
    }
    let ins: Inschrijving | undefined;
    if (ENROLMENT_ACTIONS.has(action.type)) {
      ins = action.inschrijvingId === null ? undefined : inschrijvingen.get(action.inschrijvingId);
      if (ins === undefined) add("INSCHRIJVING_ONBEKEND", "AFKEUR", `Inschrijving ${action.inschrijvingId ?? "(geen)"} staat niet (meer) in LVS2000`, null);
      else {
        checkInschrijving(ins, action.aanleverpunt, today, add);
        checkUitgewisseldeGegevens(ins, action, today, add);
        if (ins.ambulanteBegeleiding === null) checkOnderwijsSinds(l, add);
      }
    }
    checkPgn(l, action.type, add);
    if (PERSON_ACTIONS.has(action.type)) {
      checkPersoon(l, ins?.inschrijfdatum ?? eersteInschrijving.get(l.id) ?? today, today, add);
      checkAdres(l, action.type, add);
    }
  }
  return out;
}

export interface CheckRound {
  /** every action, those that went ahead moved to GECONTROLEERD (passed) or left OPEN (blocked) */
  actions: Action[];
  /** the signals to keep: BRON's own and those of actions not checked now, then this check's */
  signals: Signal[];
  gecontroleerd: number;
  afkeur: number;
  attentie: number;
  /** differences still waiting for a person's decision */
  wachtOpBeslissing: number;
}

/**
 * Controleren as one step: checks every action that goes ahead (decided, or needing no decision, and
 * not yet sent); an afkeur blocks only its own action, the others become GECONTROLEERD. This check's
 * signals replace the previous check's signals on the same actions.
 */
export function checkRound(actions: readonly Action[], lvs: LvsSnapshot, previous: readonly Signal[], today: IsoDate): CheckRound {
  const candidates = actions.filter(goesAhead);
  const signals = checkActions(candidates, lvs, today);
  const passed = new Set(sendableActions(candidates, signals).map((a) => a.id));
  const checked = new Set(candidates.map((a) => a.id));
  const next = actions.map((a) => {
    if (!checked.has(a.id)) return a;
    const r = evolve(a, { kind: "checked", passed: passed.has(a.id) });
    return r.ok && r.action !== null ? r.action : a;
  });
  const kept = previous.filter((s) => s.actionId === null || !checked.has(s.actionId));
  return {
    actions: next,
    signals: [...kept, ...signals],
    gecontroleerd: passed.size,
    afkeur: signals.filter((s) => s.ernst === "AFKEUR").length,
    attentie: signals.filter((s) => s.ernst === "ATTENTIE").length,
    wachtOpBeslissing: next.filter(waitsForDecision).length,
  };
}

/** Rule: an afkeur blocks only its own action; the others can be sent. */
export function sendableActions(actions: readonly Action[], signals: readonly Signal[]): Action[] {
  const blocked = new Set<string>();
  for (const s of signals) if (s.ernst === "AFKEUR" && s.actionId !== null) blocked.add(s.actionId);
  return actions.filter((a) => !blocked.has(a.id));
}

function firstEnrolmentDates(lvs: LvsSnapshot): Map<string, IsoDate> {
  const first = new Map<string, IsoDate>();
  for (const i of lvs.inschrijvingen) {
    const seen = first.get(i.leerlingId);
    if (seen === undefined || i.inschrijfdatum < seen) first.set(i.leerlingId, i.inschrijfdatum);
  }
  return first;
}
