/**
 * DEV/TEST ONLY. The simulator's signal codes (no full PO code list is public; bron-interface.md §3).
 * Texts are Dutch, at most 100 characters, as BRON's omschrijving.
 */
import type { Signal } from "../../src/contracts/bron/messages.js";

export const SIGNALEN = {
  BSN_ELFPROEF: { code: "1001", ernst: "AFKEUR", tekst: "BSN voldoet niet aan de elfproef", field: "pgn" },
  ONDERWIJSNUMMER_ONGELDIG: { code: "1002", ernst: "AFKEUR", tekst: "Onderwijsnummer voldoet niet aan de controle", field: "pgn" },
  BSN_KOMT_NIET_OVEREEN: { code: "1003", ernst: "AFKEUR", tekst: "BSN komt niet overeen met geslacht en geboortedatum in de BRP", field: "pgn" },
  BSN_ONBEKEND: { code: "1004", ernst: "AFKEUR", tekst: "Persoon niet uniek geïdentificeerd: BSN onbekend in de BRP", field: "pgn" },
  POSTCODE_ONBEKEND: { code: "1010", ernst: "AFKEUR", tekst: "Postcode onbekend in de BRP", field: "postcode" },
  UITSCHRIJFDATUM_VOOR_INSCHRIJFDATUM: { code: "1020", ernst: "AFKEUR", tekst: "Uitschrijfdatum ligt voor de inschrijfdatum", field: "uitschrijfdatum" },
  INSCHRIJFDATUM_VOOR_GEBOORTEDATUM: { code: "1021", ernst: "AFKEUR", tekst: "Inschrijfdatum ligt voor de geboortedatum", field: "inschrijfdatum" },
  INSCHRIJVING_ONBEKEND: { code: "1030", ernst: "AFKEUR", tekst: "Inschrijving onbekend bij BRON", field: "inschrijvingId" },
  LEERLING_ONBEKEND: { code: "1031", ernst: "AFKEUR", tekst: "Leerling onbekend bij BRON", field: "leerlingId" },
  INSCHRIJVING_BESTAAT_AL: { code: "1032", ernst: "AFKEUR", tekst: "Inschrijving bestaat al", field: "inschrijvingId" },
  OUDE_INSCHRIJFDATUM_ONJUIST: { code: "1033", ernst: "AFKEUR", tekst: "Oude inschrijfdatum komt niet overeen met BRON", field: "inschrijfdatum" },
  GEWICHT_VERVALLEN: { code: "1040", ernst: "AFKEUR", tekst: "Gewichtenregeling vervallen per 1 augustus 2019: gewicht kan niet (meer) worden geregistreerd", field: "gewicht" },
  GEWICHT_ALLEEN_BASISSCHOOL: { code: "1041", ernst: "AFKEUR", tekst: "Gewicht alleen bij een inschrijving op een basisschool", field: "gewicht" },
  WPO_GEGEVEN_BIJ_WEC: { code: "1042", ernst: "AFKEUR", tekst: "VVE, eindtoets en schooladvies alleen bij basisonderwijs en SBO", field: "schoolsoort" },
  NNCA_AMBULANT: { code: "1043", ernst: "AFKEUR", tekst: "NNCA moet 0 zijn bij ambulante begeleiding", field: "nnca" },
  ADVIES_NIET_LAATSTE_LEERJAAR: { code: "1044", ernst: "AFKEUR", tekst: "Schooladvies of eindtoets alleen in het laatste leerjaar (groep 8)", field: "schooladvies" },
  HERZIEN_ADVIES_ONJUIST: { code: "1045", ernst: "AFKEUR", tekst: "Herzien advies moet hoger zijn dan het advies en volgen op de uitslag van de toets", field: "schooladvies" },
  EINDTOETS_ONVOLLEDIG: { code: "1046", ernst: "AFKEUR", tekst: "Eindtoets zonder toetsadvies en zonder reden geen toets", field: "eindtoets" },
  KLASSENHISTORIE_ONJUIST: { code: "1047", ernst: "AFKEUR", tekst: "Klassenhistorie niet in volgorde of buiten de inschrijving", field: "klassenhistorie" },
  NAAM_WIJKT_AF: { code: "2001", ernst: "ATTENTIE", tekst: "Naam wijkt af van de BRP; BRON neemt de naam uit de BRP over", field: "achternaam" },
} as const satisfies Record<string, Omit<Signal, "actionId">>;

export type SignaalNaam = keyof typeof SIGNALEN;

export function signaal(naam: SignaalNaam, mutatieId: string): Signal {
  const s = SIGNALEN[naam];
  return { code: s.code, ernst: s.ernst, tekst: s.tekst, field: s.field, actionId: mutatieId };
}
