import { FIELD_LABELS } from "./action-reasons.js";
import type { Signal } from "./model.js";

/**
 * What to fix in LVS2000 for an afkeur (manual ch. 6: "dient te worden bekeken wat er niet correct is aan de
 * leerling-gegevens"). Named by field, never by value: the hint may reach an export or a log line.
 */

const PUPIL_FIELDS = new Set(["pgn", "voornamen", "voorvoegsels", "achternaam", "geslacht", "geboortedatum", "nationaliteiten"]);

const SPECIAL: Readonly<Record<string, string>> = {
  onderwijsSinds: "Vul 'Onderwijs Sinds' van de leerling in LVS2000, of laat het vullen via 'Onderwijs Sinds' op deze pagina.",
  pgn: "Controleer het BSN of onderwijsnummer van de leerling in LVS2000.",
  adres: "Vul het woonadres van de leerling in LVS2000 aan.",
};

/** Where the afkeur says the fault is, in the words of LVS2000; null for an attentie (nothing to fix). */
export function fixHint(s: Pick<Signal, "ernst" | "field">): string | null {
  if (s.ernst !== "AFKEUR") return null;
  const field = s.field ?? "";
  if (field === "") return "Bekijk de gegevens van de leerling in LVS2000. Komt u er niet uit, geef de melding dan exact door aan de helpdesk van Data Care.";
  const special = SPECIAL[field];
  if (special !== undefined) return special;
  const label = FIELD_LABELS[field] ?? field;
  if (field.startsWith("adres.")) return `Controleer de ${label} in het adres van de leerling in LVS2000.`;
  if (PUPIL_FIELDS.has(field)) return `Controleer de ${label} van de leerling in LVS2000.`;
  return `Controleer de ${label} van de inschrijving in LVS2000.`;
}
