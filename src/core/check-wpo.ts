import { ADVIES_CODES, type Action, type Inschrijving, type IsoDate, REDENEN_GEEN_TOETS, type Signal } from "./model.js";

/**
 * Controleren, the part of an enrolment the manual lists beyond the basics (docs/exchanged-fields.md):
 * klassenhistorie, NNCA, and for WPO schools gewicht, VVE, eindtoets and schooladvies. Codes must be
 * on their lists and dates must fit the enrolment; the gewichtenregeling ended on 1 August 2019, so a
 * gewicht is never registered for a later enrolment nor changed since; an advies (and a toets result)
 * belongs to the last leerjaar, groep 8.
 */

type Add = (code: string, ernst: Signal["ernst"], tekst: string, field: string) => void;

/** The gewichtenregeling ended: no gewicht can be registered in BRON on or after this day (DUO). */
export const GEWICHTENREGELING_EINDE: IsoDate = "2019-08-01";
/** The leerlinggewichten of the regeling: 0 (no extra weight, or not yet known), 0.3 and 1.2. */
export const GEWICHTEN: readonly number[] = [0, 0.3, 1.2];
/** The last leerjaar of the basisschool and the SBO: the schooladvies is given in groep 8. */
export const LAATSTE_LEERJAAR = 8;

const ADVIES_RANK: ReadonlyMap<string, number> = new Map(ADVIES_CODES.map((c, i) => [c, i]));
const REDENEN: ReadonlySet<string> = new Set(REDENEN_GEEN_TOETS);
/** Schools under the WPO (manual ch. 1: VVE, gewicht, eindtoets and VO-advies are exchanged "in het geval van WPO"). */
const isWpo = (ins: Inschrijving) => ins.schoolsoort === "BAO" || ins.schoolsoort === "SBO";

/**
 * Whether `date` lies within the enrolment: from the inschrijfdatum up to the uitschrijfdatum, if any (an
 * uitschrijfdatum before the inschrijfdatum is its own afkeur, DATUMVOLGORDE, and is not used here).
 */
function binnenInschrijving(ins: Inschrijving, date: IsoDate): boolean {
  const eind = ins.uitschrijfdatum !== null && ins.uitschrijfdatum >= ins.inschrijfdatum ? ins.uitschrijfdatum : null;
  return date >= ins.inschrijfdatum && (eind === null || date <= eind);
}

export function checkKlassenhistorie(ins: Inschrijving, add: Add): void {
  let vorige: IsoDate | null = null;
  for (const p of ins.klassenhistorie) {
    if (vorige !== null && p.begindatum <= vorige) {
      add("KLASSENHISTORIE_VOLGORDE", "AFKEUR", `Klassenhistorie: groepsperiode vanaf ${p.begindatum} staat niet na de vorige (één per dag, in volgorde)`, "klassenhistorie");
    }
    if (!binnenInschrijving(ins, p.begindatum)) add("KLASSENHISTORIE_BUITEN_INSCHRIJVING", "AFKEUR", `Klassenhistorie: groepsperiode vanaf ${p.begindatum} valt buiten de inschrijving`, "klassenhistorie");
    if (p.leerjaar === null) add("KLASSENHISTORIE_LEERJAAR_ONTBREEKT", "AFKEUR", `Klassenhistorie: leerjaar ontbreekt bij de groepsperiode vanaf ${p.begindatum}`, "klassenhistorie");
    vorige = p.begindatum;
  }
  if (ins.klassenhistorie.length === 0 && ins.leerjaar !== null) add("KLASSENHISTORIE_ONTBREEKT", "ATTENTIE", "Geen klassenhistorie in LVS2000: BRON krijgt alleen het huidige leerjaar", "klassenhistorie");
}

function checkGewicht(ins: Inschrijving, action: Action, today: IsoDate, add: Add): void {
  const g = ins.gewicht;
  const gewijzigd = action.type !== "NIEUWE_INSCHRIJVING" && action.fields.some((f) => f.field === "gewicht");
  if (gewijzigd && today >= GEWICHTENREGELING_EINDE) {
    add("GEWICHT_GEWIJZIGD_NA_EINDE", "AFKEUR", "Gewicht kan sinds 1 augustus 2019 niet meer worden gewijzigd (gewichtenregeling vervallen)", "gewicht");
  }
  if (g === null) return;
  if (!GEWICHTEN.includes(g)) add("GEWICHT_ONGELDIG", "AFKEUR", "Gewicht moet 0, 0.3 of 1.2 zijn", "gewicht");
  if (ins.schoolsoort !== "BAO") add("GEWICHT_ALLEEN_BASISSCHOOL", "AFKEUR", "Een gewicht hoort alleen bij een inschrijving op een basisschool", "gewicht");
  if (ins.inschrijfdatum >= GEWICHTENREGELING_EINDE) {
    add("GEWICHT_NA_EINDE_REGELING", "AFKEUR", "Gewichtenregeling vervallen per 1 augustus 2019: geen gewicht bij een latere inschrijving", "gewicht");
  }
}

function checkDatum(ins: Inschrijving, datum: IsoDate, wat: string, code: string, field: string, today: IsoDate, add: Add): void {
  if (datum > today) add(`${code}_TOEKOMST`, "AFKEUR", `${wat} ligt in de toekomst`, field);
  else if (!binnenInschrijving(ins, datum)) add(`${code}_BUITEN_INSCHRIJVING`, "AFKEUR", `${wat} valt buiten de inschrijving`, field);
}

function checkEindtoets(ins: Inschrijving, today: IsoDate, add: Add): void {
  const t = ins.eindtoets;
  if (t === null) return;
  if (ins.leerjaar !== LAATSTE_LEERJAAR) add("EINDTOETS_NIET_LAATSTE_LEERJAAR", "AFKEUR", "Een eindtoets/doorstroomtoets hoort bij het laatste leerjaar (groep 8)", "eindtoets");
  if ((t.toetsadvies === null) === (t.redenGeenToets === null)) {
    add("EINDTOETS_ONVOLLEDIG", "AFKEUR", "Eindtoets: geef óf het toetsadvies óf de reden dat er geen toets is gemaakt", "eindtoets");
  }
  if (t.toetsadvies !== null && !ADVIES_RANK.has(t.toetsadvies)) add("TOETSADVIES_ONGELDIG", "AFKEUR", "Toetsadvies heeft een onbekende code", "eindtoets");
  if (t.redenGeenToets !== null && !REDENEN.has(t.redenGeenToets)) add("REDEN_GEEN_TOETS_ONGELDIG", "AFKEUR", "Reden geen toets heeft een onbekende code", "eindtoets");
  checkDatum(ins, t.afnamedatum, "Afnamedatum eindtoets", "EINDTOETS_DATUM", "eindtoets", today, add);
}

function checkSchooladvies(ins: Inschrijving, today: IsoDate, add: Add): void {
  const a = ins.schooladvies;
  if (a === null) return;
  if (ins.leerjaar !== LAATSTE_LEERJAAR) add("ADVIES_NIET_LAATSTE_LEERJAAR", "AFKEUR", "Een schooladvies hoort bij het laatste leerjaar (groep 8)", "schooladvies");
  const rank = ADVIES_RANK.get(a.advies);
  if (rank === undefined) add("ADVIES_ONGELDIG", "AFKEUR", "Schooladvies heeft een onbekende code", "schooladvies");
  checkDatum(ins, a.datum, "Datum schooladvies", "ADVIES_DATUM", "schooladvies", today, add);
  if ((a.herzienAdvies === null) !== (a.herzienDatum === null)) {
    add("HERZIEN_ADVIES_ONVOLLEDIG", "AFKEUR", "Herzien advies en de datum ervan horen samen", "schooladvies");
    return;
  }
  if (a.herzienAdvies === null || a.herzienDatum === null) return;
  const herzien = ADVIES_RANK.get(a.herzienAdvies);
  if (herzien === undefined) add("ADVIES_ONGELDIG", "AFKEUR", "Herzien advies heeft een onbekende code", "schooladvies");
  else if (rank !== undefined && herzien <= rank) add("HERZIEN_ADVIES_NIET_HOGER", "AFKEUR", "Herzien advies moet hoger zijn dan het schooladvies (bijstellen gaat alleen omhoog)", "schooladvies");
  const t = ins.eindtoets;
  if (t === null || t.toetsadvies === null) add("HERZIEN_ADVIES_ZONDER_TOETS", "AFKEUR", "Een herzien advies volgt op de uitslag van de eindtoets/doorstroomtoets; die ontbreekt", "schooladvies");
  else if (a.herzienDatum < t.afnamedatum) add("HERZIEN_ADVIES_VOOR_TOETS", "AFKEUR", "Herzien advies is gegeven vóór de eindtoets/doorstroomtoets", "schooladvies");
  if (a.herzienDatum < a.datum) add("HERZIEN_ADVIES_VOOR_ADVIES", "AFKEUR", "Herzien advies is gegeven vóór het schooladvies", "schooladvies");
  checkDatum(ins, a.herzienDatum, "Datum herzien advies", "HERZIEN_ADVIES_DATUM", "schooladvies", today, add);
}

/** Every rule above for one enrolment an action delivers. */
export function checkUitgewisseldeGegevens(ins: Inschrijving, action: Action, today: IsoDate, add: Add): void {
  checkKlassenhistorie(ins, add);
  if (ins.nnca && ins.ambulanteBegeleiding !== null) add("NNCA_AMBULANT", "AFKEUR", "Ambulante begeleiding: NNCA hoort 0 (geen) te zijn", "nnca");
  checkGewicht(ins, action, today, add);
  if (!isWpo(ins)) {
    if (ins.vve !== null) add("VVE_ALLEEN_WPO", "AFKEUR", "VVE wordt alleen uitgewisseld voor basisonderwijs en SBO", "vve");
    if (ins.eindtoets !== null) add("EINDTOETS_ALLEEN_WPO", "AFKEUR", "Eindtoets wordt alleen uitgewisseld voor basisonderwijs en SBO", "eindtoets");
    if (ins.schooladvies !== null) add("ADVIES_ALLEEN_WPO", "AFKEUR", "Schooladvies wordt alleen uitgewisseld voor basisonderwijs en SBO", "schooladvies");
  }
  checkEindtoets(ins, today, add);
  checkSchooladvies(ins, today, add);
}
