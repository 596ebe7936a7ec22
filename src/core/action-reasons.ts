import type { ActionType, FieldDiff, IsoDate } from "./model.js";

/**
 * The Dutch explanations shown with each action, in the words of the BRON Sync manual. They name
 * fields and dates only: never a BSN or a name, because reasons end up in logs and audit rows.
 */

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  pgn: "PGN",
  voornamen: "voornamen",
  voorvoegsels: "voorvoegsels",
  achternaam: "achternaam",
  geslacht: "geslacht",
  geboortedatum: "geboortedatum",
  inschrijfdatum: "inschrijfdatum",
  uitschrijfdatum: "uitschrijfdatum",
  redenUitschrijving: "reden uitschrijving",
  vestiging: "vestiging",
  schoolsoort: "schoolsoort",
  onderwijssoort: "onderwijssoort",
  leerjaar: "leerjaar/groep",
  soortVerblijf: "soort verblijf",
  indicaties: "indicaties",
  ambulanteBegeleiding: "ambulante begeleiding",
  bekostigd: "bekostiging",
  nationaliteiten: "nationaliteiten",
  klassenhistorie: "klassenhistorie",
  nnca: "culturele achtergrond (NNCA)",
  gewicht: "gewicht",
  vve: "VVE",
  eindtoets: "eindtoets/doorstroomtoets",
  schooladvies: "schooladvies",
  adres: "adres",
  "adres.straat": "straat",
  "adres.huisnummer": "huisnummer",
  "adres.toevoeging": "toevoeging",
  "adres.postcode": "postcode",
  "adres.plaats": "plaats",
  "adres.land": "land",
};

/** "leerjaar/groep, vestiging": the differing fields in Dutch, in the order found. */
export function fieldList(fields: readonly FieldDiff[]): string {
  return fields.map((f) => FIELD_LABELS[f.field] ?? f.field).join(", ");
}

export type ReasonInput = {
  type: ActionType;
  fields: readonly FieldDiff[];
  today: IsoDate;
  /** LVS in/uitschrijfdatum where it matters */
  inschrijfdatum?: IsoDate | null;
  uitschrijfdatum?: IsoDate | null;
  /** BRON already had a (different) uitschrijfdatum */
  bronUitgeschreven?: boolean;
};

/** The reason text for a determined action. */
export function reasonFor(r: ReasonInput): string {
  switch (r.type) {
    case "NIEUWE_INSCHRIJVING":
      return r.uitschrijfdatum
        ? `Inschrijving (uitgeschreven per ${r.uitschrijfdatum}) is niet bekend in BRON: de volledige inschrijving inclusief uitschrijving wordt aangeleverd.`
        : `Leerling staat ingeschreven in LVS2000 (per ${r.inschrijfdatum ?? "?"}) maar niet in BRON: nieuwe melding inschrijving.`;
    case "UITSCHRIJVING":
      if (r.bronUitgeschreven) return `Uitschrijfgegevens in LVS2000 wijken af van BRON (${fieldList(r.fields)}): de gecorrigeerde uitschrijving doorgeven aan BRON?`;
      return r.uitschrijfdatum && r.uitschrijfdatum > r.today
        ? `Leerling wordt in LVS2000 uitgeschreven per ${r.uitschrijfdatum} en staat in BRON nog ingeschreven: uitschrijving doorgeven.`
        : `Leerling is in LVS2000 uitgeschreven per ${r.uitschrijfdatum ?? "?"} maar staat in BRON nog ingeschreven: uitschrijving doorgeven.`;
    case "VERWIJDERING_INSCHRIJVING":
      return "Inschrijving staat in BRON maar is niet bekend in LVS2000: verwijdering inschrijving doorgeven aan BRON?";
    case "CORRECTIE_INSCHRIJFDATUM":
      return `Inschrijfdatum in LVS2000 wijkt af van BRON (${fieldList(r.fields)}): de foutieve inschrijving in BRON verwijderen en de juiste aanleveren?`;
    case "WIJZIGING_SLEUTELGEGEVENS":
      return `Sleutel- of persoonsgegevens wijken af (${fieldList(r.fields)}): doorgeven aan BRON of de gegevens uit BRON overnemen in LVS2000?`;
    case "WIJZIGING_ONDERWIJSGEGEVENS":
      return `Onderwijsgegevens in LVS2000 wijken af van BRON (${fieldList(r.fields)}): wijziging onderwijsgegevens doorgeven aan BRON?`;
    case "OVERNEMEN_ADRES_IN_LVS":
      return `Adres volgens de GBA (via BRON) wijkt af van LVS2000 (${fieldList(r.fields)}): adresgegevens overnemen in LVS2000?`;
    case "IDENTIFICATIEVERZOEK":
      return "Identificatieverzoek: BRON vragen of de leerling bekend is (BSN of onderwijsnummer).";
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustive switch — the compiler proves every case is handled, so this branch never runs
    default: {
      const never: never = r.type;
      return never;
    }
  }
}
