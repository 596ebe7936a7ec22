import type { Inschrijving, IsoDate } from "../../src/core/model.js";
import { addDays, daysBetween } from "../../src/core/dates.js";
import type { Rng } from "./prng.js";
import { REDENEN_UITSCHRIJVING } from "./schools.js";

/** Where a pupil's enrolment stands, in LVS2000 and in BRON. */
export type Status =
  /** enrolled, BRON knows */
  | "ACTIEF"
  /** enrolled in LVS2000 recently, not yet delivered to BRON */
  | "NIEUW"
  /** deregistered before the peildatum, BRON knows (historisch) */
  | "UIT_BEKEND"
  /** deregistered after the peildatum, BRON still shows enrolled */
  | "UIT_RECENT"
  /** deregistration in the future, BRON still shows enrolled */
  | "UIT_TOEKOMST"
  /** deregistered before 1 August 2008: never delivered */
  | "UIT_VOOR_2008";

export function randomStatus(rng: Rng): Status {
  const r = rng.next();
  if (r < 0.03) return "NIEUW";
  if (r < 0.1) return "UIT_BEKEND";
  if (r < 0.11) return "UIT_RECENT";
  if (r < 0.125) return "UIT_TOEKOMST";
  if (r < 0.135) return "UIT_VOOR_2008";
  return "ACTIEF";
}

export const schoolYearOf = (d: IsoDate): number => Number(d.slice(0, 4)) - (d.slice(5) < "08-01" ? 1 : 0);

/** The school year the enrolment is generated for, and the last allowed inschrijfdatum. */
export function referenceYear(rng: Rng, status: Status, today: IsoDate, peildatum: IsoDate): { syYear: number; latest: IsoDate } {
  const current = schoolYearOf(today);
  switch (status) {
    case "UIT_BEKEND": {
      const syYear = Math.max(2008, current - rng.int(0, 8));
      const end = `${syYear + 1}-07-31`;
      return { syYear, latest: addDays(end < peildatum ? end : peildatum, -31) };
    }
    case "UIT_VOOR_2008": {
      const syYear = rng.int(2001, 2006);
      return { syYear, latest: `${syYear + 1}-06-30` };
    }
    case "UIT_RECENT":
      return { syYear: current, latest: addDays(peildatum, -30) };
    default:
      return { syYear: current, latest: today };
  }
}

function between(rng: Rng, from: IsoDate, to: IsoDate): IsoDate {
  const span = daysBetween(from, to);
  return span <= 0 ? from : addDays(from, rng.int(0, span));
}

/** The deregistration LVS2000 holds for this status (null when still enrolled). */
export function deregistration(rng: Rng, status: Status, ins: Inschrijving, syYear: number, today: IsoDate, peildatum: IsoDate): { datum: IsoDate; reden: string } | null {
  const reden = ins.leerjaar === 8 && ins.schoolsoort !== "VSO" ? "NAAR_VO" : rng.pick(REDENEN_UITSCHRIJVING.filter((r) => r !== "NAAR_VO"));
  const from = addDays(ins.inschrijfdatum, 30);
  switch (status) {
    case "UIT_BEKEND": {
      const end = `${syYear + 1}-07-31`;
      const last = end < peildatum ? end : addDays(peildatum, -1);
      // groep 8 leaves for the VO at the end of the school year, with its advies and toets result
      return { datum: reden === "NAAR_VO" || rng.chance(0.4) ? last : between(rng, from < last ? from : last, last), reden };
    }
    case "UIT_VOOR_2008": {
      const last = `${Math.min(syYear + 1, 2008)}-07-31`;
      return { datum: between(rng, addDays(ins.inschrijfdatum, 1), last), reden };
    }
    case "UIT_RECENT":
      return { datum: between(rng, peildatum, today), reden };
    case "UIT_TOEKOMST":
      return { datum: addDays(today, rng.int(1, 60)), reden };
    default:
      return null;
  }
}
