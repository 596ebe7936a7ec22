import { Adres, Geslacht, Leerling, type Pgn } from "../../contracts/relay/api.js";
import { checkBsn, checkOnderwijsnummer, checkPostcode } from "../../core/validation.js";
import type { SqlRow } from "../sql/connection.js";
import { isoDay, integer, type ProblemList, requiredDay, rowVersionText, text } from "./values.js";

/**
 * Maps LVS2000 pupil rows to the relay API's wire shape. A row that cannot satisfy the model (no achternaam,
 * no or an impossible geboortedatum, an unknown geslacht) is left out and reported; a row with a
 * doubtful value (a BSN failing the 11-test, an odd postcode) is delivered as it is and flagged, so
 * the cloud's own checks see it. Problems carry ids, fields and reasons, never the values.
 */

/** The pupil's opaque row version: pupil row and address row together (a change to either is a conflict). */
export function leerlingRowVersion(row: SqlRow): string {
  return `${rowVersionText(row.LeerlingRowVersion)}.${row.AdresLeerlingNummer === null || row.AdresLeerlingNummer === undefined ? "0" : rowVersionText(row.AdresRowVersion)}`;
}

function readPgn(row: SqlRow, id: string, problems: ProblemList): Pgn | null {
  const bsn = text(row.Bsn);
  if (bsn !== null) {
    const c = checkBsn(bsn);
    if (!c.ok) problems.add("leerling", id, "pgn", `${c.reason}; doorgegeven voor controle`, false);
    return { soort: "BSN", nummer: bsn };
  }
  const onr = text(row.Onderwijsnummer);
  if (onr === null) return null;
  const c = checkOnderwijsnummer(onr);
  if (!c.ok) problems.add("leerling", id, "pgn", `${c.reason}; doorgegeven voor controle`, false);
  return { soort: "ONDERWIJSNUMMER", nummer: onr };
}

function readAdres(row: SqlRow, id: string, problems: ProblemList): Adres | null {
  if (text(row.AdresLeerlingNummer) === null) return null;
  const straat = text(row.Straat);
  const plaats = text(row.Plaats);
  const land = text(row.Land);
  const missing = straat === null ? "straat" : plaats === null ? "plaats" : land === null || !/^\d{4}$/.test(land) ? "land" : null;
  if (missing !== null) {
    problems.add("adres", id, missing, `Adres zonder geldige ${missing}; adres niet meegenomen`, true);
    return null;
  }
  const postcode = text(row.Postcode);
  if (land === "6030" && postcode !== null) {
    const c = checkPostcode(postcode);
    if (!c.ok) problems.add("adres", id, "postcode", c.reason, false);
  }
  return { straat: straat!, huisnummer: integer(row.Huisnummer), toevoeging: text(row.Toevoeging), postcode, plaats: plaats!, land: land! };
}

/** The first reason the row cannot be a Leerling at all, or null. */
function blockingReason(row: SqlRow): { veld: string; reden: string } | null {
  if (text(row.Achternaam) === null) return { veld: "achternaam", reden: "Achternaam ontbreekt" };
  const geslacht = text(row.Geslacht);
  if (geslacht === null) return { veld: "geslacht", reden: "Geslacht ontbreekt" };
  if (!Geslacht.safeParse(geslacht).success) return { veld: "geslacht", reden: "Geslacht heeft een onbekende code (verwacht M, V of O)" };
  const geboren = requiredDay(row.Geboortedatum, "Geboortedatum");
  return geboren.ok ? null : { veld: "geboortedatum", reden: geboren.reason };
}

/**
 * One pupil row (with its address columns) and its nationality codes → a Leerling, or null when
 * the row is left out. `today` flags a birth date in the future (delivered, for the cloud's checks).
 */
export function toLeerling(row: SqlRow, nationaliteiten: readonly string[], today: string, problems: ProblemList): Leerling | null {
  const id = text(row.LeerlingNummer) ?? "";
  const blocked = blockingReason(row);
  if (blocked) {
    problems.add("leerling", id, blocked.veld, `${blocked.reden}; leerling niet meegenomen`, true);
    return null;
  }
  const geboortedatum = requiredDay(row.Geboortedatum, "Geboortedatum");
  if (geboortedatum.ok && geboortedatum.value > today) problems.add("leerling", id, "geboortedatum", "Geboortedatum ligt in de toekomst; doorgegeven voor controle", false);
  const sinds = isoDay(row.OnderwijsSinds);
  if (!sinds.ok) problems.add("leerling", id, "onderwijsSinds", `Onderwijs Sinds: ${sinds.reason}; leeg doorgegeven`, false);
  const codes = nationaliteiten.filter((n) => {
    const good = /^\d{4}$/.test(n);
    if (!good) problems.add("nationaliteit", id, "nationaliteiten", "Nationaliteitcode is geen GBA-code van 4 cijfers; niet meegenomen", true);
    return good;
  });
  const candidate = {
    id,
    pgn: readPgn(row, id, problems),
    voornamen: text(row.Voornamen) ?? "",
    voorvoegsels: text(row.Voorvoegsels),
    achternaam: text(row.Achternaam),
    geslacht: text(row.Geslacht),
    geboortedatum: geboortedatum.ok ? geboortedatum.value : null,
    adres: readAdres(row, id, problems),
    nationaliteiten: codes,
    onderwijsSinds: sinds.ok ? sinds.value : null,
    rowVersion: leerlingRowVersion(row),
  };
  const parsed = Leerling.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  problems.add("leerling", id, issue?.path.join(".") ?? "", "Voldoet niet aan het gegevensmodel; leerling niet meegenomen", true);
  return null;
}
