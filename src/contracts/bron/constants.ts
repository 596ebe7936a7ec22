/**
 * Fixed names of the BRON message contract (bron-berichten.xsd). One place, so that a later
 * ROD-PO adapter can swap the contract without touching callers.
 */
export const BRON_NAMESPACE = "urn:bronsync:contract:BRON_PO_Uitwisseling_V1";
export const SOAP_NAMESPACE = "http://schemas.xmlsoap.org/soap/envelope/";
export const WSA_NAMESPACE = "http://www.w3.org/2005/08/addressing";
export const WSA_ANONYMOUS = "http://www.w3.org/2005/08/addressing/anonymous";

/** DUO's OIN: the `oin` of wsa:To on every request (bron-interface.md §1). */
export const DUO_OIN = "00000001800866472000";

export const OPERATIONS = [
  "aanleverenMutaties",
  "aanvragenRegistratieoverzicht",
  "ophalenTerugkoppeling",
  "bevestigenOntvangst",
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** soapAction / wsa:Action of a request, as DUO does it: `<contract>/<operation>`. */
export function actionOf(operation: Operation): string {
  return `${BRON_NAMESPACE}/${operation}`;
}

/** wsa:Action of the response to an operation. */
export function responseActionOf(operation: Operation): string {
  return `${actionOf(operation)}Response`;
}

/** The most mutations one delivery may carry (xs:maxOccurs in the XSD). */
export const MAX_MUTATIES_PER_LEVERING = 1000;
/** The most feedback messages one fetch or acknowledgement may carry. */
export const MAX_TERUGKOPPELINGEN = 1000;

/** Fault codes in the `fout` detail of a soap:Fault. */
export const FOUTCODES = [
  "SCHEMA_ONGELDIG",
  "ADRESSERING_ONGELDIG",
  "CERTIFICAAT_ONGELDIG",
  "AANLEVERPUNT_NIET_TOEGESTAAN",
  "TIJDELIJK_NIET_BESCHIKBAAR",
  "INTERNE_FOUT",
] as const;
export type Foutcode = (typeof FOUTCODES)[number];
