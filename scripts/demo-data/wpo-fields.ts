import type { AdviesCode, Eindtoets, Groepsperiode, IsoDate, Schooladvies, Schoolsoort } from "../../src/core/model.js";
import { ADVIES_CODES } from "../../src/core/model.js";
import { GEWICHTENREGELING_EINDE } from "../../src/core/check-wpo.js";
import type { Rng } from "./prng.js";

/**
 * The enrolment data the manual lists beyond the basics (docs/exchanged-fields.md): the klassenhistorie
 * (one group period per school year, now and then a move to another group during the year), the NNCA
 * aanduiding, and for WPO schools the gewicht (only enrolments that began before the gewichtenregeling
 * ended), VVE, and in the last leerjaar the eindtoets/doorstroomtoets and the schooladvies with, where
 * the toets came out higher, a herzien advies. Dates never lie after `latest` (today or the enrolment's end).
 */

const schoolYearOf = (d: IsoDate): number => Number(d.slice(0, 4)) - (d.slice(5) < "08-01" ? 1 : 0);
const LETTERS = ["A", "B", "C"] as const;

function groepNaam(schoolsoort: Schoolsoort, leerjaar: number, letter: string): string | null {
  if (leerjaar === 0) return null;
  if (schoolsoort === "VSO") return `VSO${leerjaar}${letter}`;
  if (schoolsoort === "BAO" && leerjaar <= 2) return `1/2${letter}`;
  return `${leerjaar}${letter}`;
}

/**
 * The group periods of an enrolment that is in `leerjaar` in school year `syYear`: the first from the
 * inschrijfdatum, then one from 1 August of every later school year (one leerjaar up, or the same when
 * the pupil stayed behind), and, for a few pupils, a move to a parallel group in March.
 */
export function klassenhistorie(rng: Rng, schoolsoort: Schoolsoort, leerjaar: number, inschrijfdatum: IsoDate, syYear: number, latest: IsoDate): Groepsperiode[] {
  const start = schoolYearOf(inschrijfdatum);
  const letter = () => rng.pick(LETTERS);
  if (leerjaar === 0 || start >= syYear) {
    const out: Groepsperiode[] = [{ leerjaar, groep: groepNaam(schoolsoort, leerjaar, letter()), begindatum: inschrijfdatum }];
    return withMarchMove(rng, out, schoolsoort, syYear, latest);
  }
  const lowest = 1;
  const years = syYear - start;
  const out: Groepsperiode[] = [];
  // a pupil who stayed behind once keeps a leerjaar for two years
  const stayedBehind = years >= 2 && rng.chance(0.08) ? rng.int(start + 1, syYear) : -1;
  let lj = Math.max(lowest, leerjaar - years + (stayedBehind > 0 ? 1 : 0));
  for (let y = start; y <= syYear; y++) {
    if (y > start && y !== stayedBehind) lj = Math.min(leerjaar, lj + 1);
    if (y === syYear) lj = leerjaar;
    out.push({ leerjaar: lj, groep: groepNaam(schoolsoort, lj, letter()), begindatum: y === start ? inschrijfdatum : `${y}-08-01` });
  }
  return withMarchMove(rng, out, schoolsoort, syYear, latest);
}

/** Now and then a pupil moves to a parallel group during the year: a period from early March. */
function withMarchMove(rng: Rng, periods: Groepsperiode[], schoolsoort: Schoolsoort, syYear: number, latest: IsoDate): Groepsperiode[] {
  const last = periods.at(-1)!;
  const march = `${syYear + 1}-03-${String(rng.int(2, 13)).padStart(2, "0")}`;
  if (last.leerjaar === 0 || march > latest || march <= last.begindatum || !rng.chance(0.03)) return periods;
  const other = LETTERS.find((l) => !(last.groep ?? "").endsWith(l)) ?? "B";
  return [...periods, { leerjaar: last.leerjaar, groep: groepNaam(schoolsoort, last.leerjaar ?? 1, other), begindatum: march }];
}

export interface WpoFields {
  nnca: boolean;
  gewicht: number | null;
  vve: boolean | null;
  eindtoets: Eindtoets | null;
  schooladvies: Schooladvies | null;
}

const rank = (a: AdviesCode): number => ADVIES_CODES.indexOf(a);
/** Advies codes a pupil in a regular school can get (not VSO / geen specifiek advies). */
const REGULIER = ADVIES_CODES.slice(2);

/** The toets dates of school year `y`: eindtoets in April until 2022-23, doorstroomtoets in February since. */
function toetsdata(y: number): { advies: IsoDate; toets: IsoDate; herzien: IsoDate } {
  if (y >= 2023) return { advies: `${y + 1}-01-${String(20 + (y % 7)).padStart(2, "0")}`, toets: `${y + 1}-02-06`, herzien: `${y + 1}-03-20` };
  return { advies: `${y + 1}-02-${String(10 + (y % 9)).padStart(2, "0")}`, toets: `${y + 1}-04-16`, herzien: `${y + 1}-05-28` };
}

/**
 * NNCA, gewicht, VVE, eindtoets and schooladvies of one enrolment. `firstLeerjaar` is the group the
 * pupil entered in (VVE is registered for pupils who started in groep 1).
 */
export function wpoFields(
  rng: Rng,
  o: { schoolsoort: Schoolsoort; ambulant: boolean; leerjaar: number; firstLeerjaar: number; inschrijfdatum: IsoDate; syYear: number; latest: IsoDate; herzien?: boolean },
): WpoFields {
  const nnca = !o.ambulant && rng.chance(o.schoolsoort === "BAO" ? 0.12 : 0.15);
  const wpo = o.schoolsoort === "BAO" || o.schoolsoort === "SBO";
  if (!wpo) return { nnca, gewicht: null, vve: null, eindtoets: null, schooladvies: null };
  let gewicht: number | null = null;
  if (o.schoolsoort === "BAO" && o.inschrijfdatum < GEWICHTENREGELING_EINDE) {
    const r = rng.next();
    gewicht = r < 0.84 ? 0 : r < 0.93 ? 0.3 : 1.2;
  }
  let vve: boolean | null = null;
  if (o.firstLeerjaar === 1 && rng.chance(0.8)) vve = rng.chance(0.25);
  let eindtoets: Eindtoets | null = null;
  let schooladvies: Schooladvies | null = null;
  const dates = toetsdata(o.syYear);
  if (o.leerjaar === 8 && o.syYear >= 2014 && dates.advies <= o.latest) {
    // a pupil shown with a herzien advies: the toets came out one level above the advies
    const advies = o.herzien ? rng.pick(REGULIER.slice(0, -1)) : rng.pick(REGULIER);
    schooladvies = { advies, datum: dates.advies, herzienAdvies: null, herzienDatum: null };
    if (o.herzien && dates.herzien <= o.latest) {
      const hoger = REGULIER[REGULIER.indexOf(advies) + 1]!;
      eindtoets = { afnamedatum: dates.toets, toetsadvies: hoger, score: 501 + rng.int(0, 49), redenGeenToets: null };
      schooladvies = { ...schooladvies, herzienAdvies: hoger, herzienDatum: dates.herzien };
    } else if (dates.toets <= o.latest) {
      if (rng.chance(0.03)) eindtoets = { afnamedatum: dates.toets, toetsadvies: null, score: null, redenGeenToets: rng.pick(["VERSTANDELIJKE_BEPERKING", "ZEER_MOEILIJK_LEREND", "KORTER_DAN_VIER_JAAR_IN_NL", "ZIEKTE_NIET_INGEHAALD"]) };
      else {
        const step = rng.pick([-1, 0, 0, 0, 1, 1, 2]);
        const toetsadvies = REGULIER[Math.max(0, Math.min(REGULIER.length - 1, REGULIER.indexOf(advies) + step))]!;
        eindtoets = { afnamedatum: dates.toets, toetsadvies, score: 501 + rng.int(0, 49), redenGeenToets: null };
        // WPO art. 42 lid 2: a higher toets result makes the school reconsider; mostly it raises the advies
        if (rank(toetsadvies) > rank(advies) && dates.herzien <= o.latest && rng.chance(0.6)) {
          schooladvies = { ...schooladvies, herzienAdvies: toetsadvies, herzienDatum: dates.herzien };
        }
      }
    }
  }
  return { nnca, gewicht, vve, eindtoets, schooladvies };
}
