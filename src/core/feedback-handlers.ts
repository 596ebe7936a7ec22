import { dutchDay } from "./dates.js";
import { checkOnderwijsnummer } from "./validation.js";
import { diffAdres, sameNationaliteiten, samePgn, sameText } from "./compare.js";
import { dubbelKey, type MirrorState } from "./mirror-state.js";
import { evolve } from "./action-lifecycle.js";
import type { Action, BronLeerling, FeedbackMessage, IsoDate, LvsWrite, Pgn, Signal } from "./model.js";
import { signal } from "./signal-text.js";

/**
 * One handler per kind of terugkoppeling (domain.md "Rules: feedback"). A handler first checks that
 * the message can be processed and returns a Dutch error if not — before changing anything, so a
 * failed message leaves no trace; only then does it change the mirror and record its effects.
 */

export interface FeedbackRun {
  st: MirrorState;
  today: IsoDate;
  /** every action as this feedback has moved it so far */
  actions: Map<string, Action>;
  /** per action this feedback moved: where it ended (null: a deleted action's answer applied, row gone) and BRON's signals */
  updates: Map<string, { actionId: string; action: Action | null; signals: Signal[] }>;
  lvsWrites: LvsWrite[];
  signals: Signal[];
}

type Msg<S extends FeedbackMessage["soort"]> = Extract<FeedbackMessage, { soort: S }>;
/** null: processed; a string: why the message cannot be processed. */
export type HandlerResult = string | null;

type Answer = "accepted" | "afgekeurd";

/** The action a BRON answer is about and where the answer moves it, if the lifecycle allows (forward only). */
function answerTo(run: FeedbackRun, mutatieId: string, event: Answer): { action: Action; next: Action | null } | string {
  const action = run.actions.get(mutatieId);
  if (action === undefined) return `Terugkoppeling verwijst naar onbekende mutatie ${mutatieId}`;
  const r = evolve(action, { kind: event });
  if (!r.ok) return r.reason;
  return { action, next: r.action };
}

function settle(run: FeedbackRun, action: Action, next: Action | null, bronSignals: readonly Signal[]): void {
  // a deleted action's answer reaches the mirror, but its signals have nothing left to show on
  const signals = next === null || next.status === "VERWIJDERD" ? [] : bronSignals.map((s) => signal(s.code, s.ernst, s.tekst, action.id, s.field));
  if (next === null) run.actions.delete(action.id);
  else run.actions.set(action.id, next);
  const prev = run.updates.get(action.id);
  run.updates.set(action.id, { actionId: action.id, action: next, signals: [...(prev?.signals ?? []), ...signals] });
  run.signals.push(...signals);
}

const NAME_FIELDS = ["voornamen", "voorvoegsels", "achternaam", "geslacht", "geboortedatum"] as const;
type NameFields = Pick<BronLeerling, (typeof NAME_FIELDS)[number]>;

/** The name fields that differ between what was known and BRON's new values. */
export function changedNameFields(oud: NameFields, nieuw: NameFields): (typeof NAME_FIELDS)[number][] {
  return NAME_FIELDS.filter((f) => (f === "voorvoegsels" ? !sameText(oud.voorvoegsels, nieuw.voorvoegsels) : oud[f] !== nieuw[f]));
}

/** A name correction carrying only the changed fields (never a rewrite of unchanged data); null when nothing changed. */
export function naamCorrectie(leerlingId: string, oud: NameFields, nieuw: NameFields): LvsWrite | null {
  const changed = changedNameFields(oud, nieuw);
  if (changed.length === 0) return null;
  return { soort: "NAAM_CORRECTIE", leerlingId, ...Object.fromEntries(changed.map((f) => [f, nieuw[f]])) };
}

/** Afkeur → the action is Afgekeurd, with BRON's signals as the reason. */
export function applyAfkeur(run: FeedbackRun, m: Msg<"AFKEUR">): HandlerResult {
  const answer = answerTo(run, m.mutatieId, "afgekeurd");
  if (typeof answer === "string") return answer;
  settle(run, answer.action, answer.next, m.signalen);
  return null;
}

/**
 * Inschrijving geaccepteerd → mirror updated (pupil and enrolment; an accepted Verwijdering removes the
 * enrolment), action Geaccepteerd with any attentiesignalen. An onderwijsnummer BRON assigned is written
 * to LVS2000 as PGN, as is the number an Identificatieverzoek returns.
 */
export function applyGeaccepteerd(run: FeedbackRun, m: Msg<"INSCHRIJVING_GEACCEPTEERD">): HandlerResult {
  const answer = answerTo(run, m.mutatieId, "accepted");
  if (typeof answer === "string") return answer;
  const action = answer.action;
  if (m.leerling.leerlingId !== action.leerlingId) return `Terugkoppeling op mutatie ${m.mutatieId} gaat over een andere leerling dan de actie`;
  const on = m.toegekendOnderwijsnummer;
  if (on !== null && !checkOnderwijsnummer(on).ok) return `Toegekend onderwijsnummer in terugkoppeling op mutatie ${m.mutatieId} is ongeldig`;
  if (m.inschrijving !== null && m.inschrijving.aanleverpunt !== run.st.aanleverpunt) return `Inschrijving in terugkoppeling hoort bij aanleverpunt ${m.inschrijving.aanleverpunt}`;

  const pgn: Pgn | null = on !== null ? { soort: "ONDERWIJSNUMMER", nummer: on } : m.leerling.pgn;
  run.st.leerlingen.set(m.leerling.leerlingId, { ...m.leerling, pgn });
  if (action.type === "VERWIJDERING_INSCHRIJVING" && action.inschrijvingId !== null) run.st.removeInschrijving(action.inschrijvingId);
  else if (m.inschrijving !== null) run.st.upsertInschrijving(m.inschrijving);
  if (on !== null || (action.type === "IDENTIFICATIEVERZOEK" && pgn !== null)) run.lvsWrites.push({ soort: "SET_PGN", leerlingId: action.leerlingId, pgn: pgn! });
  settle(run, action, answer.next, m.signalen);
  return null;
}

/**
 * Spontane mutatie (a GBA correction BRON found): manual — "wordt gemeld en per direct overgenomen".
 * The mirror is updated and only what changed is written to LVS2000 at once: NAAM_CORRECTIE with the
 * changed name fields, GBA_ADRES when the address changed, SET_PGN when the PGN changed, NATIONALITEITEN
 * when the BRP's nationalities changed; unchanged data is never rewritten. The person is told (an attentie naming the pupil's number and the fields).
 */
export function applySpontaneMutatie(run: FeedbackRun, m: Msg<"SPONTANE_MUTATIE">): HandlerResult {
  const nieuw = m.leerling;
  const oud = run.st.leerlingen.get(nieuw.leerlingId);
  if (oud === undefined) return `Spontane mutatie voor leerling ${nieuw.leerlingId}, die niet in het BRON-overzicht staat`;
  run.st.leerlingen.set(nieuw.leerlingId, nieuw);
  const naam = naamCorrectie(nieuw.leerlingId, oud, nieuw);
  const adres = nieuw.gbaAdres !== null && diffAdres(oud.gbaAdres, nieuw.gbaAdres) !== null;
  const pgn = nieuw.pgn !== null && !samePgn(oud.pgn, nieuw.pgn);
  const nationaliteiten = !sameNationaliteiten(oud.nationaliteiten, nieuw.nationaliteiten) && nieuw.nationaliteiten.every((n) => /^\d{4}$/.test(n));
  if (naam !== null) run.lvsWrites.push(naam);
  if (adres && nieuw.gbaAdres !== null) run.lvsWrites.push({ soort: "GBA_ADRES", leerlingId: nieuw.leerlingId, adres: nieuw.gbaAdres });
  if (pgn) run.lvsWrites.push({ soort: "SET_PGN", leerlingId: nieuw.leerlingId, pgn: nieuw.pgn! });
  if (nationaliteiten) run.lvsWrites.push({ soort: "NATIONALITEITEN", leerlingId: nieuw.leerlingId, nationaliteiten: [...nieuw.nationaliteiten] });
  const velden = [...changedNameFields(oud, nieuw), ...(adres ? ["adres"] : []), ...(pgn ? ["pgn"] : []), ...(nationaliteiten ? ["nationaliteiten"] : [])];
  if (velden.length > 0) {
    run.signals.push(signal("SPONTANE_MUTATIE", "ATTENTIE", `Spontane mutatie uit de BRP overgenomen voor leerling ${nieuw.leerlingId}: ${velden.join(", ")}`, null, velden.join(",")));
  }
  return null;
}

/**
 * Wijziging sleutelgegevens (e.g. a BSN found for an onderwijsnummer pupil) → mirror updated and the new
 * PGN written to LVS2000 at once (from then on the pupil is exchanged by it); a changed name too.
 * The pupil is found by leerling id, or else by the old PGN.
 */
export function applyWijzigingSleutelgegevens(run: FeedbackRun, m: Msg<"WIJZIGING_SLEUTELGEGEVENS">): HandlerResult {
  if (m.leerling.pgn === null) return `Wijziging sleutelgegevens voor leerling ${m.leerling.leerlingId} zonder nieuw PGN`;
  const oud = run.st.findLeerling(m.leerling.leerlingId, m.oudPgn?.nummer ?? null);
  if (oud === undefined) return `Wijziging sleutelgegevens voor leerling ${m.leerling.leerlingId}, die niet in het BRON-overzicht staat`;
  const nieuw: BronLeerling = { ...m.leerling, leerlingId: oud.leerlingId };
  run.st.leerlingen.set(oud.leerlingId, nieuw);
  run.lvsWrites.push({ soort: "SET_PGN", leerlingId: oud.leerlingId, pgn: m.leerling.pgn });
  const naam = naamCorrectie(oud.leerlingId, oud, nieuw);
  if (naam !== null) run.lvsWrites.push(naam);
  return null;
}

/** Dubbele inschrijving → kept (once: a re-report replaces the earlier one) and shown as an attentie. */
export function applyDubbeleInschrijving(run: FeedbackRun, m: Msg<"DUBBELE_INSCHRIJVING">): HandlerResult {
  const d = m.dubbel;
  run.st.dubbel.set(dubbelKey(d), d);
  run.signals.push(signal("DUBBELE_INSCHRIJVING", "ATTENTIE", `Dubbele inschrijving: leerling ${d.leerlingId} staat ook ingeschreven op vestiging ${d.andereVestiging} sinds ${d.inschrijfdatum}`, null, "inschrijving"));
  return null;
}

/**
 * Registratieoverzicht → replaces the mirror: its peildatum, overzichtDatum = today.
 * Rule: dubbele inschrijvingen stay listed only until the overlap is gone from BRON's answers (manual:
 * "blijven net zo lang terugkomen totdat één van de twee scholen de inschrijving gecorrigeerd heeft").
 * BRON reports every current overlap again with each overzicht; one it did not report again on the
 * overzicht's day, or whose enrolment of ours left the overzicht, is gone.
 */
export function applyRegistratieoverzicht(run: FeedbackRun, m: Msg<"REGISTRATIEOVERZICHT">): HandlerResult {
  const vreemd = [...m.inschrijvingen, ...m.historisch].find((i) => i.aanleverpunt !== run.st.aanleverpunt);
  if (vreemd !== undefined) return `Registratieoverzicht bevat inschrijving ${vreemd.inschrijvingId} van aanleverpunt ${vreemd.aanleverpunt}`;
  const st = run.st;
  st.peildatum = m.peildatum;
  st.overzichtDatum = run.today;
  st.leerlingen = new Map(m.leerlingen.map((l) => [l.leerlingId, l]));
  st.inschrijvingen = new Map(m.inschrijvingen.map((i) => [i.inschrijvingId, i]));
  st.historisch = new Map(m.historisch.map((i) => [i.inschrijvingId, i]));
  const reportDay = dutchDay(new Date(m.ontvangenOp));
  st.dubbel = new Map([...st.dubbel].filter(([, d]) => st.inschrijvingen.has(d.inschrijvingId) && d.gemeldOp >= reportDay));
  return null;
}
