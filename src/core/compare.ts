import type { Adres, AmbulanteBegeleiding, BronInschrijving, BronLeerling, Eindtoets, FieldDiff, Groepsperiode, Indicatie, Inschrijving, Leerling, Pgn, Schooladvies } from "./model.js";

/**
 * Field-by-field comparison of what LVS2000 holds with what BRON holds. Each function returns the
 * differing fields (LVS value, BRON value) or null when equal, allocating only on a difference:
 * this runs once per enrolment and pupil, so it stays free of JSON.stringify and intermediate copies.
 * Text compares with null ≡ "" (LVS2000 stores empty strings where BRON has no value).
 */

type Diffs = FieldDiff[] | null;

function add(out: Diffs, field: string, lvs: unknown, bron: unknown): FieldDiff[] {
  const diff: FieldDiff = { field, lvs, bron };
  if (out === null) return [diff];
  out.push(diff);
  return out;
}

/** Nullable text: null and "" mean the same (no value). */
export function sameText(a: string | null, b: string | null): boolean {
  return a === b || ((a === null || a === "") && (b === null || b === ""));
}

export function samePgn(a: Pgn | null, b: Pgn | null): boolean {
  if (a === null || b === null) return a === b;
  return a.soort === b.soort && a.nummer === b.nummer;
}

/** Postcodes compare in normal form (no spaces, capitals): "1234 ab" = "1234AB". */
function samePostcode(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return sameText(a, b);
  // Stryker disable next-line Regex: equivalent — removing each whitespace character or each run of them leaves the same text
  return a.replace(/\s+/g, "").toUpperCase() === b.replace(/\s+/g, "").toUpperCase();
}

function sameIndicatie(a: Indicatie, b: Indicatie): boolean {
  return a.soort === b.soort && a.begindatum === b.begindatum && a.einddatum === b.einddatum && sameText(a.categorie, b.categorie);
}

export function sameIndicaties(a: readonly Indicatie[], b: readonly Indicatie[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameIndicatie(a[i]!, b[i]!)) return false;
  return true;
}

export function sameAmbulanteBegeleiding(a: AmbulanteBegeleiding | null, b: AmbulanteBegeleiding | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ondersteunendeVestiging === b.ondersteunendeVestiging && a.begindatum === b.begindatum && a.ontvangendeVestiging === b.ontvangendeVestiging;
}

/**
 * Klassenhistorie: the same group periods in the same order (LVS2000 and BRON both keep them oldest
 * first), so a move to another group during the year is a difference even when today's group is equal.
 */
export function sameKlassenhistorie(a: readonly Groepsperiode[], b: readonly Groepsperiode[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.begindatum !== y.begindatum || x.leerjaar !== y.leerjaar || !sameText(x.groep, y.groep)) return false;
  }
  return true;
}

export function sameEindtoets(a: Eindtoets | null, b: Eindtoets | null): boolean {
  if (a === null || b === null) return a === b;
  return a.afnamedatum === b.afnamedatum && sameText(a.toetsadvies, b.toetsadvies) && a.score === b.score && sameText(a.redenGeenToets, b.redenGeenToets);
}

export function sameSchooladvies(a: Schooladvies | null, b: Schooladvies | null): boolean {
  if (a === null || b === null) return a === b;
  return a.advies === b.advies && a.datum === b.datum && sameText(a.herzienAdvies, b.herzienAdvies) && a.herzienDatum === b.herzienDatum;
}

/** Nationalities as a set: LVS2000's volgnummer order and the BRP's order may differ. */
export function sameNationaliteiten(a: readonly string[], b: readonly string[]): boolean {
  // as sets: order and repetition do not count (lists are 0–10 codes, so includes() beats building Sets)
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !b.includes(a[i]!)) return false;
  for (const x of b) if (!a.includes(x)) return false;
  return true;
}

/**
 * Sleutelgegevens (name, geslacht, geboortedatum, PGN) and the other person data BRON holds
 * (nationaliteiten): the fields of a Wijziging sleutelgegevens, the manual's message for person data.
 */
export function diffSleutelgegevens(lvs: Leerling, bron: BronLeerling): Diffs {
  let out: Diffs = null;
  if (!samePgn(lvs.pgn, bron.pgn)) out = add(out, "pgn", lvs.pgn, bron.pgn);
  if (lvs.voornamen !== bron.voornamen) out = add(out, "voornamen", lvs.voornamen, bron.voornamen);
  if (!sameText(lvs.voorvoegsels, bron.voorvoegsels)) out = add(out, "voorvoegsels", lvs.voorvoegsels, bron.voorvoegsels);
  if (lvs.achternaam !== bron.achternaam) out = add(out, "achternaam", lvs.achternaam, bron.achternaam);
  if (lvs.geslacht !== bron.geslacht) out = add(out, "geslacht", lvs.geslacht, bron.geslacht);
  if (lvs.geboortedatum !== bron.geboortedatum) out = add(out, "geboortedatum", lvs.geboortedatum, bron.geboortedatum);
  if (!sameNationaliteiten(lvs.nationaliteiten, bron.nationaliteiten)) out = add(out, "nationaliteiten", lvs.nationaliteiten, bron.nationaliteiten);
  return out;
}

/** The GBA address BRON forwards against the LVS2000 address; no GBA address means nothing to take over. */
export function diffAdres(lvs: Adres | null, gba: Adres | null): Diffs {
  if (gba === null) return null;
  if (lvs === null) return add(null, "adres", null, gba);
  let out: Diffs = null;
  if (lvs.straat !== gba.straat) out = add(out, "adres.straat", lvs.straat, gba.straat);
  if (lvs.huisnummer !== gba.huisnummer) out = add(out, "adres.huisnummer", lvs.huisnummer, gba.huisnummer);
  if (!sameText(lvs.toevoeging, gba.toevoeging)) out = add(out, "adres.toevoeging", lvs.toevoeging, gba.toevoeging);
  if (!samePostcode(lvs.postcode, gba.postcode)) out = add(out, "adres.postcode", lvs.postcode, gba.postcode);
  if (lvs.plaats !== gba.plaats) out = add(out, "adres.plaats", lvs.plaats, gba.plaats);
  if (lvs.land !== gba.land) out = add(out, "adres.land", lvs.land, gba.land);
  return out;
}

/** Uitschrijfdatum and reden: the deregistration data of an enrolment. */
export function diffUitschrijving(lvs: Inschrijving, bron: BronInschrijving, out: Diffs = null): Diffs {
  if (lvs.uitschrijfdatum !== bron.uitschrijfdatum) out = add(out, "uitschrijfdatum", lvs.uitschrijfdatum, bron.uitschrijfdatum);
  if (!sameText(lvs.redenUitschrijving, bron.redenUitschrijving)) out = add(out, "redenUitschrijving", lvs.redenUitschrijving, bron.redenUitschrijving);
  return out;
}

/**
 * Onderwijsgegevens: vestiging, schoolsoort, onderwijssoort, leerjaar, soort verblijf, indicaties, ambulante
 * begeleiding, bekostiging, klassenhistorie, NNCA, gewicht, VVE, eindtoets and schooladvies.
 */
export function diffOnderwijsgegevens(lvs: Inschrijving, bron: BronInschrijving, out: Diffs = null): Diffs {
  if (lvs.vestiging !== bron.vestiging) out = add(out, "vestiging", lvs.vestiging, bron.vestiging);
  if (lvs.schoolsoort !== bron.schoolsoort) out = add(out, "schoolsoort", lvs.schoolsoort, bron.schoolsoort);
  if (!sameText(lvs.onderwijssoort, bron.onderwijssoort)) out = add(out, "onderwijssoort", lvs.onderwijssoort, bron.onderwijssoort);
  if (lvs.leerjaar !== bron.leerjaar) out = add(out, "leerjaar", lvs.leerjaar, bron.leerjaar);
  if (!sameText(lvs.soortVerblijf, bron.soortVerblijf)) out = add(out, "soortVerblijf", lvs.soortVerblijf, bron.soortVerblijf);
  if (!sameIndicaties(lvs.indicaties, bron.indicaties)) out = add(out, "indicaties", lvs.indicaties, bron.indicaties);
  if (!sameAmbulanteBegeleiding(lvs.ambulanteBegeleiding, bron.ambulanteBegeleiding)) {
    out = add(out, "ambulanteBegeleiding", lvs.ambulanteBegeleiding, bron.ambulanteBegeleiding);
  }
  if (lvs.bekostigd !== bron.bekostigd) out = add(out, "bekostigd", lvs.bekostigd, bron.bekostigd);
  if (!sameKlassenhistorie(lvs.klassenhistorie, bron.klassenhistorie)) out = add(out, "klassenhistorie", lvs.klassenhistorie, bron.klassenhistorie);
  if (lvs.nnca !== bron.nnca) out = add(out, "nnca", lvs.nnca, bron.nnca);
  if (lvs.gewicht !== bron.gewicht) out = add(out, "gewicht", lvs.gewicht, bron.gewicht);
  if (lvs.vve !== bron.vve) out = add(out, "vve", lvs.vve, bron.vve);
  if (!sameEindtoets(lvs.eindtoets, bron.eindtoets)) out = add(out, "eindtoets", lvs.eindtoets, bron.eindtoets);
  if (!sameSchooladvies(lvs.schooladvies, bron.schooladvies)) out = add(out, "schooladvies", lvs.schooladvies, bron.schooladvies);
  return out;
}

type EnrolmentData = Pick<
  Inschrijving,
  | "inschrijfdatum"
  | "uitschrijfdatum"
  | "redenUitschrijving"
  | "vestiging"
  | "schoolsoort"
  | "onderwijssoort"
  | "leerjaar"
  | "soortVerblijf"
  | "indicaties"
  | "ambulanteBegeleiding"
  | "bekostigd"
  | "klassenhistorie"
  | "nnca"
  | "gewicht"
  | "vve"
  | "eindtoets"
  | "schooladvies"
>;

/**
 * The enrolment on one side only (LVS side for a Nieuwe melding, BRON side for a Verwijdering): every
 * field that has a value, since a field empty on both sides does not differ.
 */
export function enrolmentFields(e: EnrolmentData, side: "lvs" | "bron"): FieldDiff[] {
  const out: FieldDiff[] = [];
  const f = (field: string, v: unknown): void => {
    if (v !== null) out.push(side === "lvs" ? { field, lvs: v, bron: null } : { field, lvs: null, bron: v });
  };
  f("inschrijfdatum", e.inschrijfdatum);
  f("uitschrijfdatum", e.uitschrijfdatum);
  f("redenUitschrijving", e.redenUitschrijving);
  f("vestiging", e.vestiging);
  f("schoolsoort", e.schoolsoort);
  f("onderwijssoort", e.onderwijssoort);
  f("leerjaar", e.leerjaar);
  f("soortVerblijf", e.soortVerblijf);
  f("indicaties", e.indicaties);
  f("ambulanteBegeleiding", e.ambulanteBegeleiding);
  f("bekostigd", e.bekostigd);
  f("klassenhistorie", e.klassenhistorie);
  f("nnca", e.nnca);
  f("gewicht", e.gewicht);
  f("vve", e.vve);
  f("eindtoets", e.eindtoets);
  f("schooladvies", e.schooladvies);
  return out;
}
