import type { Mutatie, MutatieSoort } from "./messages.js";
import { inschrijvingFromXml, inschrijvingToXml, leerlingFromXml, leerlingToXml, verwijzingFromXml, verwijzingToXml } from "./codec-common.js";
import { child, text, XmlSyntaxError, type XmlNode } from "./xml.js";

/** Wire element name of each mutation kind (xs:choice in the `Mutatie` type). */
export const MUTATIE_ELEMENT: Record<MutatieSoort, string> = {
  NIEUWE_INSCHRIJVING: "nieuweInschrijving",
  UITSCHRIJVING: "uitschrijving",
  WIJZIGING_SLEUTELGEGEVENS: "wijzigingSleutelgegevens",
  WIJZIGING_ONDERWIJSGEGEVENS: "wijzigingOnderwijsgegevens",
  VERWIJDERING_INSCHRIJVING: "verwijderingInschrijving",
  CORRECTIE_INSCHRIJFDATUM: "correctieInschrijfdatum",
  IDENTIFICATIEVERZOEK: "identificatieverzoek",
};
const SOORT_OF_ELEMENT = new Map(Object.entries(MUTATIE_ELEMENT).map(([soort, el]) => [el, soort as MutatieSoort]));

/** One mutation as an unprefixed XML tree: `mutatieId`, then the element of its kind. */
export function mutatieToXml(m: Mutatie): object {
  return { mutatieId: m.mutatieId, [MUTATIE_ELEMENT[m.soort]]: payloadToXml(m) };
}

function payloadToXml(m: Mutatie): object {
  switch (m.soort) {
    case "NIEUWE_INSCHRIJVING":
      return { leerling: leerlingToXml(m.leerling), inschrijving: inschrijvingToXml(m.inschrijving) };
    case "UITSCHRIJVING":
    case "WIJZIGING_ONDERWIJSGEGEVENS":
      return { leerling: verwijzingToXml(m.leerling), inschrijving: inschrijvingToXml(m.inschrijving) };
    case "WIJZIGING_SLEUTELGEGEVENS":
    case "IDENTIFICATIEVERZOEK":
      return { leerling: leerlingToXml(m.leerling) };
    case "VERWIJDERING_INSCHRIJVING":
      return { leerling: verwijzingToXml(m.leerling), inschrijvingId: m.inschrijvingId };
    case "CORRECTIE_INSCHRIJFDATUM":
      return { leerling: verwijzingToXml(m.leerling), oudeInschrijfdatum: m.oudeInschrijfdatum, inschrijving: inschrijvingToXml(m.inschrijving) };
    default:
      return assertNever(m);
  }
}

/** Reads one `mutatie` element into a plain object; validate it with the `Mutatie` schema. */
export function mutatieFromXml(node: XmlNode): unknown {
  const mutatieId = text(node, "mutatieId");
  const kinds = Object.keys(node).filter((k) => k !== "mutatieId");
  const element = kinds[0];
  const soort = element === undefined ? undefined : SOORT_OF_ELEMENT.get(element);
  if (kinds.length !== 1 || !soort || !element) throw new XmlSyntaxError(`mutatie ${mutatieId} has no known kind`);
  const p = child(node, element);
  switch (soort) {
    case "NIEUWE_INSCHRIJVING":
      return { soort, mutatieId, leerling: leerlingFromXml(child(p, "leerling")), inschrijving: inschrijvingFromXml(child(p, "inschrijving")) };
    case "UITSCHRIJVING":
    case "WIJZIGING_ONDERWIJSGEGEVENS":
      return { soort, mutatieId, leerling: verwijzingFromXml(child(p, "leerling")), inschrijving: inschrijvingFromXml(child(p, "inschrijving")) };
    case "WIJZIGING_SLEUTELGEGEVENS":
    case "IDENTIFICATIEVERZOEK":
      return { soort, mutatieId, leerling: leerlingFromXml(child(p, "leerling")) };
    case "VERWIJDERING_INSCHRIJVING":
      return { soort, mutatieId, leerling: verwijzingFromXml(child(p, "leerling")), inschrijvingId: text(p, "inschrijvingId") };
    case "CORRECTIE_INSCHRIJFDATUM":
      return {
        soort,
        mutatieId,
        leerling: verwijzingFromXml(child(p, "leerling")),
        oudeInschrijfdatum: text(p, "oudeInschrijfdatum"),
        inschrijving: inschrijvingFromXml(child(p, "inschrijving")),
      };
    default:
      return assertNever(soort);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled mutation kind ${JSON.stringify(x)}`);
}
