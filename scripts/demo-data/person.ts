import type { Adres, Geslacht, IsoDate, Leerling, Pgn } from "../../src/core/model.js";
import { addDays } from "../../src/core/dates.js";
import { ACHTERNAMEN, BUITENLAND, JONGENSNAMEN, MEISJESNAMEN, MET_VOORVOEGSEL, NATIONALITEITEN_ANDERS, PLAATSEN, POSTCODE_LETTERS, STRATEN } from "./names.js";
import type { Rng } from "./prng.js";

/** A person as the population register knows them (the truth BRON gets from the GBA). */
export interface Persoon {
  voornamen: string;
  voorvoegsels: string | null;
  achternaam: string;
  geslacht: Geslacht;
  geboortedatum: IsoDate;
  adres: Adres;
  nationaliteiten: string[];
}

export function randomGeslacht(rng: Rng): Geslacht {
  const r = rng.next();
  return r < 0.495 ? "M" : r < 0.995 ? "V" : "O";
}

export function randomVoornamen(rng: Rng, geslacht: Geslacht): string {
  const list = geslacht === "M" ? JONGENSNAMEN : geslacht === "V" ? MEISJESNAMEN : rng.chance(0.5) ? JONGENSNAMEN : MEISJESNAMEN;
  const count = rng.chance(0.45) ? 1 : rng.chance(0.75) ? 2 : 3;
  const names: string[] = [];
  while (names.length < count) {
    const n = rng.pick(list);
    if (!names.includes(n)) names.push(n);
  }
  return names.join(" ");
}

const LETTERS = [...POSTCODE_LETTERS];

function randomPostcode(rng: Rng, van: number, tot: number): string {
  for (;;) {
    const letters = `${rng.pick(LETTERS)}${rng.pick(LETTERS)}`;
    if (!["SA", "SD", "SS"].includes(letters)) return `${rng.int(van, tot)}${letters}`;
  }
}

/** A Dutch address, or (rarely) one abroad in Belgium or Germany. */
export function randomAdres(rng: Rng, buitenland = false): Adres {
  if (buitenland) {
    const b = rng.pick(BUITENLAND);
    return { straat: rng.pick(["Grote Markt", "Kerkstraat", "Bahnhofstraße", "Meir"]), huisnummer: rng.int(1, 120), toevoeging: null, postcode: b.postcode, plaats: b.plaats, land: b.land };
  }
  const p = rng.pick(PLAATSEN);
  const toevoeging = rng.chance(0.08) ? rng.pick(["A", "B", "bis", "1", "2", "-3"]) : null;
  return { straat: rng.pick(STRATEN), huisnummer: rng.int(1, 250), toevoeging, postcode: randomPostcode(rng, p.van, p.tot), plaats: p.plaats, land: "6030" };
}

export function randomPersoon(rng: Rng, geboortedatum: IsoDate): Persoon {
  const geslacht = randomGeslacht(rng);
  const achternaam = rng.pick(ACHTERNAMEN);
  const vv = MET_VOORVOEGSEL[achternaam];
  const voorvoegsels = vv && rng.chance(0.97) ? rng.pick(vv) : null;
  const nationaliteiten = rng.chance(0.9) ? ["0001"] : rng.chance(0.5) ? ["0001", rng.pick(NATIONALITEITEN_ANDERS)] : [rng.pick(NATIONALITEITEN_ANDERS)];
  return { voornamen: randomVoornamen(rng, geslacht), voorvoegsels, achternaam, geslacht, geboortedatum, adres: randomAdres(rng, rng.chance(0.01)), nationaliteiten };
}

/** A birth date such that the pupil is `age` on `peildag` (uniform over that year of age). */
export function birthDateForAge(rng: Rng, peildag: IsoDate, age: number): IsoDate {
  const latest = addDays(`${Number(peildag.slice(0, 4)) - age}${peildag.slice(4)}`.replace("-02-29", "-02-28"), 0);
  return addDays(latest, -rng.int(0, 364));
}

/** The LVS2000 record of a person, with the PGN and Onderwijs Sinds the school holds. */
export function toLeerling(id: string, p: Persoon, pgn: Pgn | null, onderwijsSinds: IsoDate | null, rowVersion: string): Leerling {
  return {
    id,
    pgn,
    voornamen: p.voornamen,
    voorvoegsels: p.voorvoegsels,
    achternaam: p.achternaam,
    geslacht: p.geslacht,
    geboortedatum: p.geboortedatum,
    adres: p.adres,
    nationaliteiten: [...p.nationaliteiten],
    onderwijsSinds,
    rowVersion,
  };
}
