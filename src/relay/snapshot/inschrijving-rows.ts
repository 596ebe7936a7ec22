import { type AmbulanteBegeleiding, type Eindtoets, type Groepsperiode, type Indicatie, Inschrijving, type Schooladvies, Schoolsoort, Vestiging } from "../../contracts/relay/api.js";
import type { SqlRow } from "../sql/connection.js";
import { bit, integer, isoDay, type ProblemList, requiredDay, rowVersionText, text } from "./values.js";

/**
 * Maps LVS2000 enrolment rows (with group history, indicaties and ambulante begeleiding) to the
 * relay API's wire shape. An enrolment without a usable vestiging, schoolsoort or inschrijfdatum is left out and
 * reported; doubtful values (uitschrijfdatum before inschrijfdatum, a leerjaar out of range) are
 * delivered and flagged, or left empty and flagged.
 */

function toIndicatie(row: SqlRow, problems: ProblemList): Indicatie | null {
  const rijId = text(row.IndicatieId) ?? "";
  const soort = text(row.Soort);
  const begin = requiredDay(row.Begindatum, "Begindatum");
  const eind = isoDay(row.Einddatum);
  if (soort === null) problems.add("indicatie", rijId, "soort", "Soort indicatie ontbreekt; indicatie niet meegenomen", true);
  else if (!begin.ok) problems.add("indicatie", rijId, "begindatum", `${begin.reason}; indicatie niet meegenomen`, true);
  else if (!eind.ok) problems.add("indicatie", rijId, "einddatum", `Einddatum: ${eind.reason}; indicatie niet meegenomen`, true);
  else return { soort, begindatum: begin.value, einddatum: eind.value, categorie: text(row.Categorie) };
  return null;
}

function toAmbulanteBegeleiding(row: SqlRow, id: string, problems: ProblemList): AmbulanteBegeleiding | null {
  if (text(row.AbInschrijvingId) === null) return null;
  const ondersteunend = text(row.OndersteunendeVestiging);
  const ontvangend = text(row.OntvangendeVestiging);
  const begin = requiredDay(row.AbBegindatum, "Begindatum");
  const good = Vestiging.safeParse(ondersteunend).success && Vestiging.safeParse(ontvangend).success;
  if (!good || !begin.ok) {
    problems.add("ambulanteBegeleiding", id, good ? "begindatum" : "vestiging", `${good && !begin.ok ? begin.reason : "Vestiging ongeldig"}; ambulante begeleiding niet meegenomen`, true);
    return null;
  }
  return { ondersteunendeVestiging: ondersteunend!, ontvangendeVestiging: ontvangend!, begindatum: begin.value };
}

/**
 * The klassenhistorie: every group-history row with a usable begindatum, oldest first (the query orders
 * them). A row without one is left out and reported; a leerjaar outside 0–8 is delivered empty and flagged.
 */
function klassenhistorie(history: readonly SqlRow[], problems: ProblemList): Groepsperiode[] {
  const out: Groepsperiode[] = [];
  for (const row of history) {
    const rijId = text(row.GroepHistorieId) ?? text(row.InschrijvingId) ?? "";
    const begin = requiredDay(row.Begindatum, "Begindatum");
    if (!begin.ok) {
      problems.add("groepHistorie", rijId, "begindatum", `${begin.reason}; groepsperiode niet meegenomen`, true);
      continue;
    }
    let leerjaar = integer(row.Leerjaar);
    if (leerjaar !== null && (leerjaar < 0 || leerjaar > 8)) {
      problems.add("groepHistorie", rijId, "leerjaar", "Leerjaar buiten 0-8; leeg doorgegeven", false);
      leerjaar = null;
    }
    out.push({ leerjaar, groep: text(row.Groep), begindatum: begin.value });
  }
  return out;
}

/** The current leerjaar: the group-history row with the latest begindatum (rows come oldest first). */
function currentLeerjaar(history: readonly SqlRow[], id: string, problems: ProblemList): number | null {
  const last = history.at(-1);
  if (!last) return null;
  const leerjaar = integer(last.Leerjaar);
  if (leerjaar !== null && (leerjaar < 0 || leerjaar > 8)) {
    problems.add("inschrijving", id, "leerjaar", "Leerjaar buiten 0-8; leeg doorgegeven", false);
    return null;
  }
  return leerjaar;
}

/** A DECIMAL column as a number with one decimal (0.3 stays 0.3, whatever the driver's float). */
function decimal1(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? Math.round(n * 10) / 10 : null;
}

function toEindtoets(row: SqlRow, id: string, problems: ProblemList): Eindtoets | null {
  if (text(row.EtInschrijvingId) === null) return null;
  const datum = requiredDay(row.EtAfnamedatum, "Afnamedatum");
  if (!datum.ok) {
    problems.add("eindtoets", id, "afnamedatum", `${datum.reason}; eindtoets niet meegenomen`, true);
    return null;
  }
  return { afnamedatum: datum.value, toetsadvies: text(row.EtToetsadvies), score: integer(row.EtScore), redenGeenToets: text(row.EtRedenGeenToets) };
}

function toSchooladvies(row: SqlRow, id: string, problems: ProblemList): Schooladvies | null {
  if (text(row.SaInschrijvingId) === null) return null;
  const advies = text(row.SaAdvies);
  const datum = requiredDay(row.SaAdviesDatum, "Adviesdatum");
  const herzien = isoDay(row.SaHerzienDatum);
  if (advies === null) problems.add("schooladvies", id, "advies", "Advies ontbreekt; schooladvies niet meegenomen", true);
  else if (!datum.ok) problems.add("schooladvies", id, "datum", `${datum.reason}; schooladvies niet meegenomen`, true);
  else if (!herzien.ok) problems.add("schooladvies", id, "herzienDatum", `Datum herzien advies: ${herzien.reason}; schooladvies niet meegenomen`, true);
  else return { advies, datum: datum.value, herzienAdvies: text(row.SaHerzienAdvies), herzienDatum: herzien.value };
  return null;
}

function blockingReason(row: SqlRow): { veld: string; reden: string } | null {
  if (!Vestiging.safeParse(text(row.VestigingCode)).success) return { veld: "vestiging", reden: "Vestiging ontbreekt of is ongeldig" };
  if (!Schoolsoort.safeParse(text(row.Schoolsoort)).success) return { veld: "schoolsoort", reden: "Schoolsoort ontbreekt of is onbekend" };
  const begin = requiredDay(row.Inschrijfdatum, "Inschrijfdatum");
  if (!begin.ok) return { veld: "inschrijfdatum", reden: begin.reason };
  const eind = isoDay(row.Uitschrijfdatum);
  return eind.ok ? null : { veld: "uitschrijfdatum", reden: `Uitschrijfdatum: ${eind.reason}` };
}

export interface EnrolmentParts {
  groepHistorie: readonly SqlRow[];
  indicaties: readonly SqlRow[];
}

/** One enrolment row and its child rows → an Inschrijving, or null when it is left out. */
export function toInschrijving(row: SqlRow, parts: EnrolmentParts, problems: ProblemList): Inschrijving | null {
  const id = text(row.InschrijvingId) ?? "";
  const blocked = blockingReason(row);
  if (blocked) {
    problems.add("inschrijving", id, blocked.veld, `${blocked.reden}; inschrijving niet meegenomen`, true);
    return null;
  }
  const inschrijfdatum = requiredDay(row.Inschrijfdatum, "Inschrijfdatum");
  const uitschrijfdatum = isoDay(row.Uitschrijfdatum);
  const begin = inschrijfdatum.ok ? inschrijfdatum.value : "";
  const eind = uitschrijfdatum.ok ? uitschrijfdatum.value : null;
  if (eind !== null && eind < begin) problems.add("inschrijving", id, "uitschrijfdatum", "Uitschrijfdatum ligt voor de inschrijfdatum", false);
  const candidate = {
    id,
    leerlingId: text(row.LeerlingNummer),
    aanleverpunt: text(row.AanleverpuntCode),
    inschrijfdatum: begin,
    uitschrijfdatum: eind,
    redenUitschrijving: text(row.RedenUitschrijving),
    vestiging: text(row.VestigingCode),
    schoolsoort: text(row.Schoolsoort),
    onderwijssoort: text(row.Onderwijssoort),
    leerjaar: currentLeerjaar(parts.groepHistorie, id, problems),
    soortVerblijf: text(row.SoortVerblijf),
    indicaties: parts.indicaties.map((r) => toIndicatie(r, problems)).filter((x): x is Indicatie => x !== null),
    ambulanteBegeleiding: toAmbulanteBegeleiding(row, id, problems),
    bekostigd: bit(row.Bekostigd),
    klassenhistorie: klassenhistorie(parts.groepHistorie, problems),
    nnca: bit(row.Nnca),
    gewicht: decimal1(row.Gewicht),
    vve: row.Vve === null || row.Vve === undefined ? null : bit(row.Vve),
    eindtoets: toEindtoets(row, id, problems),
    schooladvies: toSchooladvies(row, id, problems),
    rowVersion: rowVersionText(row.RowVersion),
  };
  const parsed = Inschrijving.safeParse(candidate);
  if (parsed.success) return parsed.data;
  problems.add("inschrijving", id, parsed.error.issues[0]?.path.join(".") ?? "", "Voldoet niet aan het gegevensmodel; inschrijving niet meegenomen", true);
  return null;
}
