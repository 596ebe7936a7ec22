import { toDayNumber } from "./dates.js";
import type { Inschrijving, IsoDate, Leerling, LvsSnapshot } from "./model.js";

/**
 * Onderwijs Sinds (manual ch. 4, Instellingen: "Via 'Onderwijs Sinds' kunt u automatisch voor leerlingen
 * het 'Onderwijs Sinds' veld in LVS2000 laten vullen. Voor de berekening van leerjaren is het noodzakelijk
 * dat dit veld gevuld is."): the day a pupil began education in the Netherlands. Empty, it blocks every
 * enrolment action of the pupil (afkeur LEERJAAR_NIET_BEREKENBAAR). The service proposes a value; a
 * person confirms it before anything is written. The rule (docs/beheerpagina.md):
 *
 * 1. A child may go to school in the Netherlands from the day it turns 4 (groep 1); nothing before that
 *    day is proposed.
 * 2. The pupil's first enrolment in LVS2000 on this aanleverpunt decides, with the groep the pupil
 *    entered in: the first period of its klassenhistorie, or else its current leerjaar counted back one
 *    per school year since the inschrijfdatum (never below 1):
 *    - in groep 1 (or without a groep): education began on that inschrijfdatum;
 *    - in groep G ≥ 2 of the basisschool, SBO or SO: groep 1 began G − 1 school years earlier, on
 *      1 August of that school year (a school year runs from 1 August), or on the 4th birthday if later;
 *    - VSO or ambulante begeleiding (groep 0): the groep says nothing about primary school, so the
 *      4th birthday;
 *    never after that first inschrijfdatum and never after today.
 * 3. Without any enrolment: the 4th birthday.
 */

export interface OnderwijsSindsVoorstel {
  leerlingId: string;
  /** the row version LVS2000 gave with the pupil: the write is refused (conflict) if the row changed since */
  rowVersion: string | null;
  voorstel: IsoDate;
  /** which part of the rule gave the proposal, in Dutch (names no birth date) */
  grond: string;
  /** the first enrolment the proposal is based on */
  inschrijvingId: string | null;
}

/** The 4th birthday; born on 29 February: 1 March when that year has none. */
export function fourthBirthday(geboortedatum: IsoDate): IsoDate {
  const year = Number(geboortedatum.slice(0, 4)) + 4;
  const md = geboortedatum.slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return md === "02-29" && !leap ? `${year}-03-01` : `${year}-${md}`;
}

/** 1 August that opens the school year `date` falls in. */
export function schoolYearStart(date: IsoDate): IsoDate {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8 ? `${year}-08-01` : `${year - 1}-08-01`;
}

const max = (a: IsoDate, b: IsoDate) => (toDayNumber(a) >= toDayNumber(b) ? a : b);
const min = (a: IsoDate, b: IsoDate) => (toDayNumber(a) <= toDayNumber(b) ? a : b);

const PRIMARY = new Set(["BAO", "SBO", "SO"]);

/** The proposal for one pupil, from its enrolments (any order). */
export function proposeOnderwijsSinds(l: Pick<Leerling, "id" | "geboortedatum" | "rowVersion">, enrolments: readonly Inschrijving[], today: IsoDate): OnderwijsSindsVoorstel {
  const vier = fourthBirthday(l.geboortedatum);
  const base = { leerlingId: l.id, rowVersion: l.rowVersion ?? null };
  const first = [...enrolments].filter((i) => i.leerlingId === l.id).sort((a, b) => toDayNumber(a.inschrijfdatum) - toDayNumber(b.inschrijfdatum) || a.id.localeCompare(b.id))[0];
  const capped = (d: IsoDate) => max(l.geboortedatum, min(d, today));
  if (first === undefined) return { ...base, voorstel: capped(vier), grond: "Geen inschrijving in LVS2000: de dag waarop de leerling 4 jaar werd.", inschrijvingId: null };
  const upTo = (d: IsoDate) => capped(min(d, first.inschrijfdatum));
  const groep = entryGroep(first, today);
  if (first.schoolsoort === "VSO" || groep === 0) {
    const soort = groep === 0 ? "ambulante begeleiding" : "het voortgezet speciaal onderwijs";
    return { ...base, voorstel: upTo(vier), grond: `Eerste inschrijving in ${soort}: de dag waarop de leerling 4 jaar werd.`, inschrijvingId: first.id };
  }
  if (groep === null || groep <= 1 || !PRIMARY.has(first.schoolsoort)) {
    return { ...base, voorstel: capped(first.inschrijfdatum), grond: "Eerste inschrijving in groep 1: de inschrijfdatum van die inschrijving.", inschrijvingId: first.id };
  }
  const yearsBefore = groep - 1;
  const groepEen = `${Number(schoolYearStart(first.inschrijfdatum).slice(0, 4)) - yearsBefore}-08-01`;
  const voorstel = upTo(max(groepEen, vier));
  const waarom = voorstel === groepEen ? `op 1 augustus van dat schooljaar` : "op de dag waarop de leerling 4 jaar werd (later dan 1 augustus van dat schooljaar)";
  return {
    ...base,
    voorstel,
    grond: `Eerste inschrijving in groep ${groep}: groep 1 begon ${yearsBefore} ${yearsBefore === 1 ? "schooljaar" : "schooljaren"} eerder, ${waarom}.`,
    inschrijvingId: first.id,
  };
}

const schoolYear = (d: IsoDate) => Number(schoolYearStart(d).slice(0, 4));

/** The groep the pupil entered the enrolment in: the first period of its klassenhistorie, or its leerjaar counted back. */
export function entryGroep(ins: Pick<Inschrijving, "inschrijfdatum" | "leerjaar" | "klassenhistorie">, today: IsoDate): number | null {
  const periods = [...(ins.klassenhistorie ?? [])].filter((p) => p.leerjaar !== null).sort((a, b) => toDayNumber(a.begindatum) - toDayNumber(b.begindatum));
  if (periods.length > 0) return periods[0]!.leerjaar;
  if (ins.leerjaar === null || ins.leerjaar === 0) return ins.leerjaar;
  return Math.max(1, ins.leerjaar - Math.max(0, schoolYear(today) - schoolYear(ins.inschrijfdatum)));
}

/** Every enrolled pupil of the snapshot whose Onderwijs Sinds is empty, with its proposal, by leerlingnummer. */
export function withoutOnderwijsSinds(lvs: LvsSnapshot, today: IsoDate): OnderwijsSindsVoorstel[] {
  const byPupil = new Map<string, Inschrijving[]>();
  for (const i of lvs.inschrijvingen) byPupil.set(i.leerlingId, [...(byPupil.get(i.leerlingId) ?? []), i]);
  return lvs.leerlingen
    .filter((l) => l.onderwijsSinds === null && byPupil.has(l.id))
    .map((l) => proposeOnderwijsSinds(l, byPupil.get(l.id) ?? [], today))
    .sort((a, b) => (a.leerlingId < b.leerlingId ? -1 : a.leerlingId > b.leerlingId ? 1 : 0));
}
