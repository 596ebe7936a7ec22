import type { Indicatie, Inschrijving, IsoDate, Schoolsoort } from "../../src/core/model.js";
import { addDays, daysBetween } from "../../src/core/dates.js";
import type { Rng } from "./prng.js";
import { ANDERE_VESTIGINGEN, type SchoolTemplate } from "./schools.js";
import { birthDateForAge } from "./person.js";
import { klassenhistorie, wpoFields } from "./wpo-fields.js";

/** One enrolment as LVS2000 holds it, generated for a school profile in a given school year. */

export interface EnrolmentDraft {
  geboortedatum: IsoDate;
  onderwijsSinds: IsoDate;
  inschrijving: Omit<Inschrijving, "id" | "leerlingId" | "uitschrijfdatum" | "redenUitschrijving">;
}

const max = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);
const min = (a: IsoDate, b: IsoDate): IsoDate => (a < b ? a : b);

function randomDateBetween(rng: Rng, from: IsoDate, to: IsoDate): IsoDate {
  const span = daysBetween(from, to);
  return span <= 0 ? from : addDays(from, rng.int(0, span));
}

/** 31 July after at least one school year from `begin`: a TLV ends on 31 July. */
function tlvEinde(rng: Rng, begin: IsoDate): IsoDate {
  const y = Number(begin.slice(0, 4)) + (begin.slice(5) >= "08-01" ? 1 : 0);
  return `${y + rng.int(1, 3)}-07-31`;
}

function wecFields(rng: Rng, inschrijfdatum: IsoDate): { onderwijssoort: string; indicaties: Indicatie[]; soortVerblijf: string | null } {
  const cluster = rng.pick(["CLUSTER3", "CLUSTER3", "CLUSTER4", "CLUSTER4", "CLUSTER2"] as const);
  const indicatie: Indicatie =
    cluster === "CLUSTER2"
      ? { soort: "CLUSTER2", begindatum: inschrijfdatum, einddatum: null, categorie: null }
      : { soort: "TLV", begindatum: inschrijfdatum, einddatum: tlvEinde(rng, inschrijfdatum), categorie: rng.pick(["LAAG", "LAAG", "MIDDEN", "HOOG"]) };
  return { onderwijssoort: cluster, indicaties: [indicatie], soortVerblijf: rng.chance(0.1) ? rng.pick(["3", "4", "5", "6"]) : null };
}

/**
 * An enrolment at `school` as it stands in school year `syYear` (which starts 1 August syYear),
 * with inschrijfdatum never after `latest`.
 */
export function draftEnrolment(rng: Rng, school: SchoolTemplate, syYear: number, latest: IsoDate, groep8MetHerzienAdvies = false): EnrolmentDraft {
  const oct1 = `${syYear}-10-01`;
  const aug1 = `${syYear}-08-01`;
  const vestiging = rng.pick(school.vestigingen);
  let schoolsoort: Schoolsoort = school.profiel === "SBO" ? "SBO" : school.profiel === "BAO" ? "BAO" : "SO";
  let leerjaar: number;
  let age: number;
  if (school.profiel === "AMBULANT") {
    leerjaar = 0;
    age = rng.int(4, 17);
    schoolsoort = age >= 12 ? "VSO" : "SO";
  } else if (school.profiel === "WEC" && rng.chance(0.45)) {
    schoolsoort = "VSO";
    leerjaar = rng.int(1, 6);
    age = 11 + leerjaar;
  } else {
    leerjaar = groep8MetHerzienAdvies ? 8 : school.profiel === "SBO" ? rng.int(3, 8) : rng.int(1, 8);
    age = leerjaar + 3;
  }
  const geboortedatum = birthDateForAge(rng, oct1, age);
  const onderwijsSinds = min(addDays(geboortedatum, 4 * 365 + 1), latest);
  let inschrijfdatum: IsoDate;
  if (school.profiel === "AMBULANT") inschrijfdatum = randomDateBetween(rng, max(onderwijsSinds, addDays(aug1, -730)), min(latest, addDays(aug1, 200)));
  else if (schoolsoort === "VSO") inschrijfdatum = rng.chance(0.8) ? `${syYear - leerjaar + 1}-08-01` : randomDateBetween(rng, `${syYear - leerjaar + 1}-08-01`, min(latest, addDays(aug1, 200)));
  else if (school.profiel === "BAO" && rng.chance(0.75)) inschrijfdatum = onderwijsSinds;
  else inschrijfdatum = randomDateBetween(rng, onderwijsSinds, min(latest, addDays(aug1, 200)));
  inschrijfdatum = min(inschrijfdatum, latest);

  const wec = schoolsoort === "SO" || schoolsoort === "VSO" ? wecFields(rng, inschrijfdatum) : null;
  const ambulant = school.profiel === "AMBULANT";
  const historie = klassenhistorie(rng, schoolsoort, leerjaar, inschrijfdatum, syYear, latest);
  const wpo = wpoFields(rng, { schoolsoort, ambulant, leerjaar, firstLeerjaar: historie[0]?.leerjaar ?? leerjaar, inschrijfdatum, syYear, latest, herzien: groep8MetHerzienAdvies });
  return {
    geboortedatum,
    onderwijsSinds,
    inschrijving: {
      aanleverpunt: school.code,
      vestiging,
      schoolsoort,
      onderwijssoort: ambulant ? rng.pick(["CLUSTER1", "CLUSTER2"]) : (wec?.onderwijssoort ?? null),
      leerjaar,
      soortVerblijf: ambulant ? "0" : (wec?.soortVerblijf ?? null),
      indicaties: ambulant ? [] : (wec?.indicaties ?? []),
      ambulanteBegeleiding: ambulant ? { ondersteunendeVestiging: vestiging, begindatum: inschrijfdatum, ontvangendeVestiging: rng.pick(ANDERE_VESTIGINGEN) } : null,
      bekostigd: ambulant ? true : rng.chance(0.985),
      klassenhistorie: historie,
      ...wpo,
      inschrijfdatum,
    },
  };
}
