import type { DemoAanleverpunt } from "./schema.js";

/** The kinds of aanleverpunt the demo data contains; each determines what its enrolments look like. */
export type Profiel = "BAO" | "AMBULANT" | "WEC" | "SBO";

export interface SchoolTemplate extends DemoAanleverpunt {
  profiel: Profiel;
  /** share of the pupils */
  gewicht: number;
}

const BASIS: readonly SchoolTemplate[] = [
  { code: "12AB00", naam: "De Regenboog", brin: "12AB", vestigingen: ["12AB00", "12AB02"], profiel: "BAO", gewicht: 0.45 },
  { code: "12AB01", naam: "De Regenboog, ambulante begeleiding", brin: "12AB", vestigingen: ["12AB01"], profiel: "AMBULANT", gewicht: 0.08 },
  { code: "34CD00", naam: "De Horizon (SO/VSO)", brin: "34CD", vestigingen: ["34CD00", "34CD01", "34CD03"], profiel: "WEC", gewicht: 0.3 },
  { code: "56EF00", naam: "SBO De Wissel", brin: "56EF", vestigingen: ["56EF00"], profiel: "SBO", gewicht: 0.17 },
];

const LETTERS = "ABCDEFGHJKLMNPRSTVWXZ";

/** Extra BAO schools beyond the four templates: BRIN 60AA, 61AB, … */
function extraSchool(i: number): SchoolTemplate {
  const brin = `${String(60 + (i % 40)).padStart(2, "0")}${LETTERS[i % LETTERS.length]}${LETTERS[Math.floor(i / LETTERS.length) % LETTERS.length]}`;
  return { code: `${brin}00`, naam: `Basisschool ${brin}`, brin, vestigingen: [`${brin}00`, `${brin}01`], profiel: "BAO", gewicht: 0.3 };
}

/** The first `n` aanleverpunten: the four templates, then generated BAO schools. */
export function schools(n: number): SchoolTemplate[] {
  const out: SchoolTemplate[] = [];
  for (let i = 0; i < n; i++) out.push(BASIS[i] ?? extraSchool(i - BASIS.length));
  return out;
}

/** Vestigingen of other schools (where our pupils go next, or are enrolled twice, or are supported ambulant). */
export const ANDERE_VESTIGINGEN = ["78GH01", "78GH02", "90JK00", "23LM01", "45NP00", "67RS03"] as const;

/** The aanleverpunt of another school's vestiging (BRIN + 00). */
export const aanleverpuntVan = (vestiging: string): string => `${vestiging.slice(0, 4)}00`;

export const REDENEN_UITSCHRIJVING = ["VERHUIZING", "SCHOOLWISSELING", "NAAR_VO", "EMIGRATIE"] as const;
