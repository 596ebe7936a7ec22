import type { BronInschrijving, Inschrijving, IsoDate } from "../../src/core/model.js";
import { addDays } from "../../src/core/dates.js";
import type { Persoon } from "./person.js";
import { randomAdres } from "./person.js";
import type { Rng } from "./prng.js";

/**
 * The ways LVS2000 and BRON drift apart in real life. The person from the population register is the
 * truth (BRON has it); LVS2000 holds an older or mistyped copy.
 */

/** LVS2000's copy of a person's key data: mostly equal, sometimes with a typical mistake. */
export function lvsCopyOfKeyData(rng: Rng, truth: Persoon): Persoon {
  const copy: Persoon = { ...truth, adres: { ...truth.adres }, nationaliteiten: [...truth.nationaliteiten] };
  if (rng.chance(0.02)) {
    const words = truth.voornamen.split(" ");
    if (words.length > 1) copy.voornamen = words[0]!;
    else if (truth.voorvoegsels) copy.voorvoegsels = truth.voorvoegsels.charAt(0).toUpperCase() + truth.voorvoegsels.slice(1);
    else copy.achternaam = truth.achternaam.length > 4 ? truth.achternaam.slice(0, 2) + truth.achternaam.slice(3) : `${truth.achternaam}s`;
  }
  if (rng.chance(0.005)) copy.geboortedatum = addDays(truth.geboortedatum, rng.pick([-31, -1, 1, 30]));
  if (rng.chance(0.002)) copy.geslacht = truth.geslacht === "M" ? "V" : "M";
  // a second nationality the school never recorded (BRON has it from the BRP)
  if (truth.nationaliteiten.length > 1 && rng.chance(0.05)) copy.nationaliteiten = truth.nationaliteiten.slice(0, 1);
  return copy;
}

/** The address: sometimes LVS2000 still has the old one (the GBA knows the move), rarely a broken postcode. */
export function lvsCopyOfAdres(rng: Rng, truth: Persoon): Persoon["adres"] | null {
  if (rng.chance(0.005)) return null;
  if (truth.adres.land !== "6030") return truth.adres;
  if (rng.chance(0.03)) return randomAdres(rng);
  if (rng.chance(0.003)) return { ...truth.adres, postcode: rng.pick(["0123AB", "1234 sa", "12345", `${truth.adres.postcode?.slice(0, 4)}SS`]) };
  return truth.adres;
}

/** BRON's copy of one of our enrolments, with the differences an unsynchronised LVS2000 produces. */
export function bronCopyOfEnrolment(rng: Rng, ins: Inschrijving, bronKentUitschrijving: boolean, vestigingen: readonly string[]): BronInschrijving {
  const bron: BronInschrijving = {
    inschrijvingId: ins.id,
    leerlingId: ins.leerlingId,
    aanleverpunt: ins.aanleverpunt,
    inschrijfdatum: ins.inschrijfdatum,
    uitschrijfdatum: bronKentUitschrijving ? ins.uitschrijfdatum : null,
    redenUitschrijving: bronKentUitschrijving ? ins.redenUitschrijving : null,
    vestiging: ins.vestiging,
    schoolsoort: ins.schoolsoort,
    onderwijssoort: ins.onderwijssoort,
    leerjaar: ins.leerjaar,
    soortVerblijf: ins.soortVerblijf,
    indicaties: ins.indicaties.map((i) => ({ ...i })),
    ambulanteBegeleiding: ins.ambulanteBegeleiding ? { ...ins.ambulanteBegeleiding } : null,
    bekostigd: ins.bekostigd,
    klassenhistorie: ins.klassenhistorie.map((p) => ({ ...p })),
    nnca: ins.nnca,
    gewicht: ins.gewicht,
    vve: ins.vve,
    eindtoets: ins.eindtoets ? { ...ins.eindtoets } : null,
    schooladvies: ins.schooladvies ? { ...ins.schooladvies } : null,
  };
  const a = ins.schooladvies;
  // a herzien advies given after the last delivery: BRON still has the first advies only
  if (a !== null && a.herzienAdvies !== null && rng.chance(0.35)) bron.schooladvies = { ...a, herzienAdvies: null, herzienDatum: null };
  // a move to another group not yet delivered: BRON lacks the last group period
  if (ins.klassenhistorie.length > 1 && rng.chance(0.02)) {
    bron.klassenhistorie = bron.klassenhistorie.slice(0, -1);
    bron.leerjaar = bron.klassenhistorie.at(-1)!.leerjaar;
  }
  if (rng.chance(0.003)) bron.nnca = !ins.nnca && ins.ambulanteBegeleiding === null;
  if (rng.chance(0.01)) bron.inschrijfdatum = addDays(ins.inschrijfdatum, -rng.int(1, 20));
  if (rng.chance(0.02)) {
    const other = vestigingen.find((v) => v !== ins.vestiging);
    if (ins.leerjaar !== null && ins.leerjaar > 1) bron.leerjaar = ins.leerjaar - 1;
    else if (other) bron.vestiging = other;
    else bron.bekostigd = !ins.bekostigd;
  }
  return bron;
}

/** Typing error in a birth date (a decade off): implausible, caught by the checks. */
export function implausibleBirthDate(date: IsoDate): IsoDate {
  return `${Number(date.slice(0, 4)) + 10}${date.slice(4)}`.replace("-02-29", "-02-28");
}
