import type { Action, FieldDiff, Pgn } from "./model.js";

/**
 * Privacy: BSNs and names are personal data. Lists show them masked; only a detail view of one pupil
 * shows them whole. (Logs never hold them at all.)
 */

/** "123456782" → "•••••6782" */
export function maskNummer(nummer: string): string {
  return nummer.length <= 4 ? "•".repeat(nummer.length) : `${"•".repeat(nummer.length - 4)}${nummer.slice(-4)}`;
}

/** "Jan Pieter" → "J. P." ; "de Vries" → "d. V." — initials only. */
export function maskNaam(naam: string): string {
  return naam
    .split(/\s+/)
    .filter((p) => p.length > 0)
    .map((p) => `${p[0]}.`)
    .join(" ");
}

const NAME_FIELDS = new Set(["voornamen", "voorvoegsels", "achternaam"]);
/** Shown only in a detail view: birth date, address, and what speaks of origin (nationalities, NNCA). */
const PERSONAL_FIELDS = new Set(["geboortedatum", "adres", "gbaAdres", "nationaliteiten", "nnca"]);

/** Address parts ("adres.straat", "adres.postcode", …) are personal data; the country is not. */
const isPersonal = (field: string) => PERSONAL_FIELDS.has(field) || (field.startsWith("adres.") && field !== "adres.land");

function maskValue(field: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (field === "pgn" && typeof value === "object") return { ...(value as Pgn), nummer: maskNummer((value as Pgn).nummer) };
  if (NAME_FIELDS.has(field) && typeof value === "string") return maskNaam(value);
  if (isPersonal(field)) return "•••";
  return value;
}

/** An action as a list shows it: the values of personal fields masked, everything else as is. */
export function maskAction(action: Action): Action {
  const fields: FieldDiff[] = action.fields.map((f) => ({ field: f.field, lvs: maskValue(f.field, f.lvs), bron: maskValue(f.field, f.bron) }));
  return { ...action, fields };
}
