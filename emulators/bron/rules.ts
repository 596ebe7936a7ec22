/**
 * DEV/TEST ONLY. How the simulator answers each mutation, per domain.md's feedback table: afkeur
 * (11-test, BSN vs geslacht + geboortedatum, postcode unknown, date order, unknown enrolment or
 * pupil), or acceptance (with an onderwijsnummer assigned when no BSN is known, and BRON's view of
 * the pupil from the BRP). Runs inside the request's transaction.
 */
import { ADVIES_CODES, type BronInschrijving, type BronLeerling, type InschrijvingGegevens, type LeerlingGegevens, type Mutatie, type Pgn, type Signal } from "../../src/contracts/bron/messages.js";
import { bronView, checkPersoon, fromBrp, identificeer } from "./person.js";
import { signaal } from "./signals.js";
import type { SimulatorStore } from "./store.js";

export type Uitkomst =
  | { soort: "AFKEUR"; signalen: Signal[] }
  | { soort: "GEACCEPTEERD"; leerling: BronLeerling; inschrijving: BronInschrijving | null; toegekend: string | null; signalen: Signal[] };

const afkeur = (signalen: Signal[]): Uitkomst => ({ soort: "AFKEUR", signalen });

/** Applies one mutation to the register of `ap`, delivered on `today`, and says how BRON answers it. */
export function processMutatie(store: SimulatorStore, ap: string, m: Mutatie, today: string): Uitkomst {
  switch (m.soort) {
    case "NIEUWE_INSCHRIJVING":
      return nieuweInschrijving(store, ap, m.mutatieId, m.leerling, m.inschrijving, today);
    case "UITSCHRIJVING":
    case "WIJZIGING_ONDERWIJSGEGEVENS":
    case "CORRECTIE_INSCHRIJFDATUM":
      return wijzigInschrijving(store, ap, m, today);
    case "VERWIJDERING_INSCHRIJVING": {
      const bestaand = store.inschrijving(ap, m.inschrijvingId);
      const leerling = bestaand && store.leerling(ap, bestaand.leerlingId);
      if (!bestaand || !leerling) return afkeur([signaal("INSCHRIJVING_ONBEKEND", m.mutatieId)]);
      store.deleteInschrijving(ap, m.inschrijvingId);
      if (store.inschrijvingenVan(ap, leerling.leerlingId).length === 0) store.deleteLeerling(ap, leerling.leerlingId);
      return { soort: "GEACCEPTEERD", leerling, inschrijving: null, toegekend: null, signalen: [] };
    }
    case "WIJZIGING_SLEUTELGEGEVENS":
      return wijzigSleutelgegevens(store, ap, m.mutatieId, m.leerling);
    case "IDENTIFICATIEVERZOEK":
      return identificatieverzoek(store, m.mutatieId, m.leerling);
    default:
      return assertNever(m);
  }
}

function datumSignalen(l: { geboortedatum: string } | undefined, i: { inschrijfdatum: string; uitschrijfdatum: string | null }, mutatieId: string): Signal[] {
  const out: Signal[] = [];
  if (l && i.inschrijfdatum < l.geboortedatum) out.push(signaal("INSCHRIJFDATUM_VOOR_GEBOORTEDATUM", mutatieId));
  if (i.uitschrijfdatum && i.uitschrijfdatum < i.inschrijfdatum) out.push(signaal("UITSCHRIJFDATUM_VOOR_INSCHRIJFDATUM", mutatieId));
  return out;
}

/** The end of the gewichtenregeling: from this day BRON registers no gewicht (DUO). */
const GEWICHTENREGELING_EINDE = "2019-08-01";
const ADVIES_RANK = new Map<string, number>(ADVIES_CODES.map((c, i) => [c, i]));

/**
 * The enrolment data beyond the basics, as this simulator models BRON's rules for them (no public rule
 * list exists; docs/exchanged-fields.md): gewicht (basisschool; none for an enrolment from 1 August 2019,
 * no change since), WPO-only data, NNCA 0 for ambulant pupils, advies and toets in groep 8, a herzien
 * advies higher than the advies and after the toets result, and a klassenhistorie in order within the enrolment.
 */
function inschrijvingSignalen(i: InschrijvingGegevens, bestaand: BronInschrijving | undefined, today: string, mutatieId: string): Signal[] {
  const out: Signal[] = [];
  const gewichtNieuw = i.gewicht !== null && i.inschrijfdatum >= GEWICHTENREGELING_EINDE;
  const gewichtGewijzigd = bestaand !== undefined && bestaand.gewicht !== i.gewicht && today >= GEWICHTENREGELING_EINDE;
  if (gewichtNieuw || gewichtGewijzigd) out.push(signaal("GEWICHT_VERVALLEN", mutatieId));
  if (i.gewicht !== null && i.schoolsoort !== "BAO") out.push(signaal("GEWICHT_ALLEEN_BASISSCHOOL", mutatieId));
  const wpo = i.schoolsoort === "BAO" || i.schoolsoort === "SBO";
  if (!wpo && (i.vve !== null || i.eindtoets !== null || i.schooladvies !== null)) out.push(signaal("WPO_GEGEVEN_BIJ_WEC", mutatieId));
  if (i.nnca && i.ambulanteBegeleiding !== null) out.push(signaal("NNCA_AMBULANT", mutatieId));
  if ((i.schooladvies !== null || i.eindtoets !== null) && i.leerjaar !== 8) out.push(signaal("ADVIES_NIET_LAATSTE_LEERJAAR", mutatieId));
  const t = i.eindtoets;
  if (t !== null && (t.toetsadvies === null) === (t.redenGeenToets === null)) out.push(signaal("EINDTOETS_ONVOLLEDIG", mutatieId));
  const a = i.schooladvies;
  if (a !== null && (a.herzienAdvies !== null || a.herzienDatum !== null)) {
    const ok =
      a.herzienAdvies !== null && a.herzienDatum !== null && t !== null && t.toetsadvies !== null &&
      a.herzienDatum >= t.afnamedatum && a.herzienDatum >= a.datum && ADVIES_RANK.get(a.herzienAdvies)! > ADVIES_RANK.get(a.advies)!;
    if (!ok) out.push(signaal("HERZIEN_ADVIES_ONJUIST", mutatieId));
  }
  const binnen = (d: string) => d >= i.inschrijfdatum && (i.uitschrijfdatum === null || d <= i.uitschrijfdatum);
  if (i.klassenhistorie.some((p, n) => !binnen(p.begindatum) || (n > 0 && p.begindatum <= i.klassenhistorie[n - 1]!.begindatum))) {
    out.push(signaal("KLASSENHISTORIE_ONJUIST", mutatieId));
  }
  return out;
}

function toBron(ap: string, i: InschrijvingGegevens): BronInschrijving {
  const { id, ...rest } = i;
  return { ...rest, inschrijvingId: id, aanleverpunt: ap };
}

/** The PGN BRON settles on: the delivered one, the one it already holds, or a new onderwijsnummer. */
function settlePgn(store: SimulatorStore, ap: string, l: LeerlingGegevens): { pgn: Pgn; toegekend: string | null } {
  if (l.pgn) return { pgn: l.pgn, toegekend: null };
  const known = store.leerling(ap, l.id)?.pgn;
  if (known) return { pgn: known, toegekend: null };
  const nummer = store.nieuwOnderwijsnummer();
  return { pgn: { soort: "ONDERWIJSNUMMER", nummer }, toegekend: nummer };
}

function nieuweInschrijving(store: SimulatorStore, ap: string, mutatieId: string, l: LeerlingGegevens, i: InschrijvingGegevens, today: string): Uitkomst {
  const signalen = [...checkPersoon(store, l, mutatieId), ...datumSignalen(l, i, mutatieId), ...inschrijvingSignalen(i, undefined, today, mutatieId)];
  if (store.inschrijving(ap, i.id)) signalen.push(signaal("INSCHRIJVING_BESTAAT_AL", mutatieId));
  if (signalen.length > 0) return afkeur(signalen);
  const { pgn, toegekend } = settlePgn(store, ap, l);
  const { leerling, naamWijktAf } = bronView(store, l, pgn);
  const inschrijving = toBron(ap, { ...i, leerlingId: l.id });
  store.putLeerling(ap, leerling);
  store.putInschrijving(inschrijving);
  return { soort: "GEACCEPTEERD", leerling, inschrijving, toegekend, signalen: naamWijktAf ? [signaal("NAAM_WIJKT_AF", mutatieId)] : [] };
}

type InschrijvingMutatie = Extract<Mutatie, { soort: "UITSCHRIJVING" | "WIJZIGING_ONDERWIJSGEGEVENS" | "CORRECTIE_INSCHRIJFDATUM" }>;

/** Uitschrijving, wijziging onderwijsgegevens, correctie inschrijfdatum: all change a known enrolment. */
function wijzigInschrijving(store: SimulatorStore, ap: string, m: InschrijvingMutatie, today: string): Uitkomst {
  const bestaand = store.inschrijving(ap, m.inschrijving.id);
  const leerling = bestaand && store.leerling(ap, bestaand.leerlingId);
  if (!bestaand || !leerling) return afkeur([signaal("INSCHRIJVING_ONBEKEND", m.mutatieId)]);
  if (m.soort === "CORRECTIE_INSCHRIJFDATUM" && m.oudeInschrijfdatum !== bestaand.inschrijfdatum) {
    return afkeur([signaal("OUDE_INSCHRIJFDATUM_ONJUIST", m.mutatieId)]);
  }
  const inschrijfdatum = m.soort === "CORRECTIE_INSCHRIJFDATUM" ? m.inschrijving.inschrijfdatum : bestaand.inschrijfdatum;
  const nieuw = toBron(ap, { ...m.inschrijving, leerlingId: bestaand.leerlingId, inschrijfdatum });
  const signalen = [...datumSignalen(leerling, nieuw, m.mutatieId), ...inschrijvingSignalen(m.inschrijving, bestaand, today, m.mutatieId)];
  if (signalen.length > 0) return afkeur(signalen);
  store.putInschrijving(nieuw);
  return { soort: "GEACCEPTEERD", leerling, inschrijving: nieuw, toegekend: null, signalen: [] };
}

function wijzigSleutelgegevens(store: SimulatorStore, ap: string, mutatieId: string, l: LeerlingGegevens): Uitkomst {
  const bestaand = store.leerling(ap, l.id);
  if (!bestaand) return afkeur([signaal("LEERLING_ONBEKEND", mutatieId)]);
  const signalen = checkPersoon(store, l, mutatieId);
  if (signalen.length > 0) return afkeur(signalen);
  const { leerling, naamWijktAf } = bronView(store, l, l.pgn ?? bestaand.pgn);
  store.putLeerling(ap, leerling);
  return { soort: "GEACCEPTEERD", leerling, inschrijving: null, toegekend: null, signalen: naamWijktAf ? [signaal("NAAM_WIJKT_AF", mutatieId)] : [] };
}

/** Identifies a person: the BSN checked, or found in the BRP by key data, or else a new onderwijsnummer. Registers nothing. */
function identificatieverzoek(store: SimulatorStore, mutatieId: string, l: LeerlingGegevens): Uitkomst {
  const signalen = checkPersoon(store, l, mutatieId);
  if (signalen.length > 0) return afkeur(signalen);
  if (l.pgn) return { soort: "GEACCEPTEERD", leerling: bronView(store, l, l.pgn).leerling, inschrijving: null, toegekend: null, signalen: [] };
  const gevonden = identificeer(store, l);
  if (gevonden) return { soort: "GEACCEPTEERD", leerling: fromBrp(l.id, gevonden, l.nationaliteiten), inschrijving: null, toegekend: null, signalen: [] };
  const nummer = store.nieuwOnderwijsnummer();
  const leerling = bronView(store, l, { soort: "ONDERWIJSNUMMER", nummer }).leerling;
  return { soort: "GEACCEPTEERD", leerling, inschrijving: null, toegekend: nummer, signalen: [] };
}

function assertNever(x: never): never {
  throw new Error(`unhandled mutation ${JSON.stringify(x)}`);
}
