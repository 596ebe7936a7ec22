import type { ActionType, IsoDate, Leerling, Signal } from "./model.js";
import { checkBsn, checkOnderwijsnummer, checkPostcode } from "./validation.js";

/**
 * Controleren, the pupil's part (domain.md "Rules: checking"). Each check adds signals with a stable
 * code; texts name fields only, never a BSN or a name.
 */

type Add = (code: string, ernst: Signal["ernst"], tekst: string, field: string) => void;

/** Full years from `birth` to `on`. */
export function ageOn(birth: IsoDate, on: IsoDate): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? years - 1 : years;
}

/** Plausible age on the inschrijfdatum: below 2 or above 25 is a mistake (afkeur); 2 or 21–25 is unusual (attentie). */
export const AGE_LIMITS = { afkeurBelow: 2, attentieBelow: 3, attentieAbove: 20, afkeurAbove: 25 } as const;

/**
 * The PGN identifies the pupil in every message: a BSN must pass the 11-test, an onderwijsnummer its own
 * check (afkeur). No PGN at all: BRON assigns an onderwijsnummer to a new enrolment (attentie); a
 * Wijziging sleutelgegevens without PGN would wipe BRON's (afkeur); an Identificatieverzoek exists to find it.
 */
export function checkPgn(l: Leerling, type: ActionType, add: Add): void {
  const pgn = l.pgn;
  if (pgn === null) {
    if (type === "WIJZIGING_SLEUTELGEGEVENS") add("PGN_ONTBREEKT", "AFKEUR", "Geen BSN of onderwijsnummer in LVS2000: sleutelgegevens kunnen niet gewijzigd worden", "pgn");
    else if (type !== "IDENTIFICATIEVERZOEK") add("PGN_ONTBREEKT", "ATTENTIE", "Geen BSN of onderwijsnummer bekend: BRON kent een onderwijsnummer toe", "pgn");
    return;
  }
  const r = pgn.soort === "BSN" ? checkBsn(pgn.nummer) : checkOnderwijsnummer(pgn.nummer);
  if (!r.ok) add(pgn.soort === "BSN" ? "BSN_ONGELDIG" : "ONDERWIJSNUMMER_ONGELDIG", "AFKEUR", r.reason, "pgn");
  else if (type === "IDENTIFICATIEVERZOEK" && pgn.soort === "BSN") add("IDENTIFICATIE_OVERBODIG", "ATTENTIE", "Leerling heeft al een geldig BSN; identificatieverzoek is niet nodig", "pgn");
}

/** Name, geslacht and geboortedatum: required, valid code, plausible for a pupil. */
export function checkPersoon(l: Leerling, referentie: IsoDate, today: IsoDate, add: Add): void {
  if (l.achternaam.trim() === "") add("ACHTERNAAM_ONTBREEKT", "AFKEUR", "Achternaam ontbreekt", "achternaam");
  if (l.voornamen.trim() === "") add("VOORNAAM_ONTBREEKT", "ATTENTIE", "Geen voornaam: BRON krijgt een punt (.) als voornaam", "voornamen");
  const geslacht: string = l.geslacht;
  if (!["M", "V", "O"].includes(geslacht)) add("GESLACHT_ONGELDIG", "AFKEUR", "Geslacht moet M, V of O (onbekend) zijn", "geslacht");
  else if (geslacht === "O") add("GESLACHT_ONBEKEND", "ATTENTIE", "Geslacht onbekend (O): BRON controleert het BSN op geslacht en geboortedatum", "geslacht");
  if (l.geboortedatum > today) {
    add("GEBOORTEDATUM_TOEKOMST", "AFKEUR", "Geboortedatum ligt in de toekomst", "geboortedatum");
    return;
  }
  const age = ageOn(l.geboortedatum, referentie);
  if (age < AGE_LIMITS.afkeurBelow || age > AGE_LIMITS.afkeurAbove) {
    add("GEBOORTEDATUM_ONWAARSCHIJNLIJK", "AFKEUR", `Geboortedatum onwaarschijnlijk: leerling is ${age} jaar op de inschrijfdatum (2 t/m 25 verwacht)`, "geboortedatum");
  } else if (age < AGE_LIMITS.attentieBelow || age > AGE_LIMITS.attentieAbove) {
    add("GEBOORTEDATUM_ONGEBRUIKELIJK", "ATTENTIE", `Ongebruikelijke leeftijd: leerling is ${age} jaar op de inschrijfdatum`, "geboortedatum");
  }
}

/**
 * The address sent with a pupil's person data: required when BRON cannot take it from the GBA (no BSN)
 * or must identify the pupil by it; a Dutch address (land 6030) needs a valid postcode, house number,
 * street and place. Addresses abroad are not checked on postcode.
 */
export function checkAdres(l: Leerling, type: ActionType, add: Add): void {
  const a = l.adres;
  if (a === null) {
    const needed = type === "IDENTIFICATIEVERZOEK" || l.pgn === null;
    add("ADRES_ONTBREEKT", needed ? "AFKEUR" : "ATTENTIE", needed ? "Adres ontbreekt; nodig om de leerling te identificeren" : "Adres ontbreekt in LVS2000", "adres");
    return;
  }
  if (a.land !== "6030") return;
  if (a.postcode === null || a.postcode.trim() === "") add("POSTCODE_ONTBREEKT", "AFKEUR", "Postcode ontbreekt bij een Nederlands adres", "adres.postcode");
  else {
    const r = checkPostcode(a.postcode);
    if (!r.ok) add("POSTCODE_ONGELDIG", "AFKEUR", r.reason, "adres.postcode");
  }
  if (a.huisnummer === null) add("HUISNUMMER_ONTBREEKT", "AFKEUR", "Huisnummer ontbreekt bij een Nederlands adres", "adres.huisnummer");
  if (a.straat.trim() === "" || a.plaats.trim() === "") add("ADRES_ONVOLLEDIG", "AFKEUR", "Straat of plaats ontbreekt", a.straat.trim() === "" ? "adres.straat" : "adres.plaats");
}

/** Onderwijs Sinds: LVS2000 computes the leerjaar from it, so it must be filled and after the birth date. */
export function checkOnderwijsSinds(l: Leerling, add: Add): void {
  if (l.onderwijsSinds === null) add("LEERJAAR_NIET_BEREKENBAAR", "AFKEUR", "Onderwijs Sinds ontbreekt: leerjaar niet te berekenen", "onderwijsSinds");
  else if (l.onderwijsSinds < l.geboortedatum) add("ONDERWIJS_SINDS_ONGELDIG", "AFKEUR", "Onderwijs Sinds ligt voor de geboortedatum", "onderwijsSinds");
}
