import type { ActionStatus, ActionType } from "./model.js";

/** The manual's own words for each action type (ch. 5), as the user sees them. */
export const ACTION_LABELS: Readonly<Record<ActionType, string>> = {
  NIEUWE_INSCHRIJVING: "Nieuwe melding inschrijving",
  UITSCHRIJVING: "Uitschrijving",
  VERWIJDERING_INSCHRIJVING: "Verwijdering inschrijving",
  CORRECTIE_INSCHRIJFDATUM: "Correctie inschrijfdatum",
  WIJZIGING_SLEUTELGEGEVENS: "Wijziging sleutelgegevens",
  WIJZIGING_ONDERWIJSGEGEVENS: "Wijziging onderwijsgegevens",
  IDENTIFICATIEVERZOEK: "Identificatieverzoek",
  OVERNEMEN_ADRES_IN_LVS: "Overnemen adresgegevens in LVS2000",
};

/** Action statuses in the manual's words ("In behandeling", "Afgekeurd"). */
export const STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
  OPEN: "Open",
  GECONTROLEERD: "Gecontroleerd",
  IN_VERZENDING: "Wordt verzonden",
  IN_BEHANDELING: "In behandeling",
  GEACCEPTEERD: "Geaccepteerd",
  AFGEKEURD: "Afgekeurd",
  VERWERKT: "Verwerkt in LVS2000",
  GENEGEERD: "Genegeerd",
  VERWIJDERD: "Verwijderd",
};
