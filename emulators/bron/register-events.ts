/**
 * DEV/TEST ONLY. Feedback BRON sends on its own: dubbele inschrijving (an overlap with another
 * school's enrolment, sent again on every delivery about the pupil and every overzicht request
 * until someone fixes it), the registratieoverzicht at a peildatum, and the admin triggers
 * "population register changed" (spontane mutatie) and "BSN found" (wijziging sleutelgegevens).
 */
import type { BronInschrijving, DubbeleInschrijving } from "../../src/contracts/bron/messages.js";
import { fromBrp } from "./person.js";
import type { AndereInschrijving, BrpPersoon } from "./seed.js";
import type { SimulatorStore } from "./store.js";

const overlaps = (a: { inschrijfdatum: string; uitschrijfdatum: string | null }, b: typeof a) =>
  a.inschrijfdatum <= (b.uitschrijfdatum ?? "9999-12-31") && b.inschrijfdatum <= (a.uitschrijfdatum ?? "9999-12-31");

/** Overlaps of the given enrolments of `ap` with other schools' enrolments of the same pupil. */
export function findDubbele(store: SimulatorStore, ap: string, inschrijvingen: BronInschrijving[], today: string): DubbeleInschrijving[] {
  const andere = store.andereInschrijvingen().filter((a) => a.aanleverpunt !== ap);
  if (andere.length === 0) return [];
  const out: DubbeleInschrijving[] = [];
  for (const ins of inschrijvingen) {
    const leerling = store.leerling(ap, ins.leerlingId);
    for (const a of andere) {
      if (!sameLeerling(a, ins.leerlingId, leerling?.pgn?.nummer) || !overlaps(ins, a)) continue;
      out.push({ leerlingId: ins.leerlingId, inschrijvingId: ins.inschrijvingId, andereVestiging: a.vestiging, inschrijfdatum: a.inschrijfdatum, uitschrijfdatum: a.uitschrijfdatum, gemeldOp: today });
    }
  }
  return out;
}

function sameLeerling(a: AndereInschrijving, leerlingId: string, pgnNummer: string | undefined): boolean {
  if (a.pgn && pgnNummer) return a.pgn.nummer === pgnNummer;
  return a.leerlingId === leerlingId;
}

export function queueDubbele(store: SimulatorStore, ap: string, dubbele: DubbeleInschrijving[], delayMs: number): void {
  for (const dubbel of dubbele) store.queueFeedback(ap, (id, ontvangenOp) => ({ id, aanleverpunt: ap, ontvangenOp, soort: "DUBBELE_INSCHRIJVING", dubbel }), delayMs);
}

/**
 * The registratieoverzicht at `peildatum`: enrolments not ended before the peildatum (future ones
 * included: BRON knows them), enrolments ended before it as historisch, and their pupils.
 */
export function queueOverzicht(store: SimulatorStore, ap: string, peildatum: string, today: string, delayMs: number): void {
  const alle = store.inschrijvingen(ap);
  const historisch = alle.filter((i) => i.uitschrijfdatum !== null && i.uitschrijfdatum < peildatum);
  const inschrijvingen = alle.filter((i) => !historisch.includes(i));
  const leerlingen = store.leerlingen(ap);
  store.queueFeedback(ap, (id, ontvangenOp) => ({ id, aanleverpunt: ap, ontvangenOp, soort: "REGISTRATIEOVERZICHT", peildatum, leerlingen, inschrijvingen, historisch }), delayMs);
  queueDubbele(store, ap, findDubbele(store, ap, inschrijvingen, today), delayMs);
}

/** "Population register changed": BRP updated; every school holding the BSN gets a spontane mutatie. Returns how many. */
export function brpGewijzigd(store: SimulatorStore, persoon: BrpPersoon, delayMs: number): number {
  store.putPersoon(persoon);
  const holders = store.leerlingenMetPgn(persoon.bsn);
  for (const { aanleverpunt, leerling } of holders) {
    const nieuw = fromBrp(leerling.leerlingId, persoon, leerling.nationaliteiten);
    store.putLeerling(aanleverpunt, nieuw);
    store.queueFeedback(aanleverpunt, (id, ontvangenOp) => ({ id, aanleverpunt, ontvangenOp, soort: "SPONTANE_MUTATIE", leerling: nieuw }), delayMs);
  }
  return holders.length;
}

/** "BSN found" for an onderwijsnummer pupil: from now on BRON knows them by BSN. Returns how many schools were told. */
export function bsnGevonden(store: SimulatorStore, onderwijsnummer: string, bsn: string, delayMs: number): number {
  const holders = store.leerlingenMetPgn(onderwijsnummer).filter((h) => h.leerling.pgn?.soort === "ONDERWIJSNUMMER");
  const persoon = store.persoon(bsn);
  for (const { aanleverpunt, leerling } of holders) {
    const nieuw = persoon ? fromBrp(leerling.leerlingId, persoon, leerling.nationaliteiten) : { ...leerling, pgn: { soort: "BSN" as const, nummer: bsn } };
    store.putLeerling(aanleverpunt, nieuw);
    store.queueFeedback(aanleverpunt, (id, ontvangenOp) => ({ id, aanleverpunt, ontvangenOp, soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: leerling.pgn, leerling: nieuw }), delayMs);
  }
  return holders.length;
}
