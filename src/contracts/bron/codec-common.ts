import type { Adres, BronInschrijving, BronLeerling, Eindtoets, Groepsperiode, Indicatie, InschrijvingGegevens, LeerlingGegevens, LeerlingVerwijzing, Pgn, Schooladvies } from "./messages.js";
import { children, optChild, optText, text, texts, XmlSyntaxError, type XmlNode } from "./xml.js";

/**
 * Person and enrolment parts shared by mutations and feedback: wire types (messages.ts) ↔ unprefixed XML tree
 * in XSD element order. Null fields are left out (minOccurs=0). Parsing returns plain objects;
 * the caller validates them with the contract's zod schemas.
 */

export function pgnToXml(pgn: Pgn | null): object | undefined {
  if (!pgn) return undefined;
  return pgn.soort === "BSN" ? { burgerservicenummer: pgn.nummer } : { onderwijsnummer: pgn.nummer };
}

export function pgnFromXml(node: XmlNode | undefined): Pgn | null {
  if (!node) return null;
  const bsn = optText(node, "burgerservicenummer");
  if (bsn !== null) return { soort: "BSN", nummer: bsn };
  return { soort: "ONDERWIJSNUMMER", nummer: text(node, "onderwijsnummer") };
}

export function adresToXml(a: Adres | null): object | undefined {
  if (!a) return undefined;
  return { straat: a.straat, huisnummer: a.huisnummer ?? undefined, toevoeging: a.toevoeging ?? undefined, postcode: a.postcode ?? undefined, plaats: a.plaats, land: a.land };
}

export function adresFromXml(node: XmlNode | undefined): Adres | null {
  if (!node) return null;
  const nr = optText(node, "huisnummer");
  return {
    straat: text(node, "straat"),
    huisnummer: nr === null ? null : toInt(nr, "huisnummer"),
    toevoeging: optText(node, "toevoeging"),
    postcode: optText(node, "postcode"),
    plaats: text(node, "plaats"),
    land: text(node, "land"),
  };
}

type Sleutel = Pick<LeerlingGegevens, "pgn" | "voornamen" | "voorvoegsels" | "achternaam" | "geslacht" | "geboortedatum">;

function sleutelToXml(leerlingId: string, p: Sleutel): Record<string, unknown> {
  return {
    leerlingId,
    persoonsgebondenNummer: pgnToXml(p.pgn),
    voornamen: p.voornamen,
    voorvoegsels: p.voorvoegsels ?? undefined,
    achternaam: p.achternaam,
    geslacht: p.geslacht,
    geboortedatum: p.geboortedatum,
  };
}

function sleutelFromXml(node: XmlNode) {
  return {
    pgn: pgnFromXml(optChild(node, "persoonsgebondenNummer")),
    voornamen: optText(node, "voornamen") ?? "",
    voorvoegsels: optText(node, "voorvoegsels"),
    achternaam: text(node, "achternaam"),
    geslacht: text(node, "geslacht"),
    geboortedatum: text(node, "geboortedatum"),
  };
}

export function leerlingToXml(l: LeerlingGegevens): object {
  return { ...sleutelToXml(l.id, l), adres: adresToXml(l.adres), nationaliteit: l.nationaliteiten };
}

export function leerlingFromXml(node: XmlNode): unknown {
  return { id: text(node, "leerlingId"), ...sleutelFromXml(node), adres: adresFromXml(optChild(node, "adres")), nationaliteiten: texts(node, "nationaliteit") };
}

export function bronLeerlingToXml(l: BronLeerling): object {
  return { ...sleutelToXml(l.leerlingId, l), gbaAdres: adresToXml(l.gbaAdres), nationaliteit: l.nationaliteiten };
}

export function bronLeerlingFromXml(node: XmlNode): unknown {
  return {
    leerlingId: text(node, "leerlingId"),
    ...sleutelFromXml(node),
    gbaAdres: adresFromXml(optChild(node, "gbaAdres")),
    nationaliteiten: texts(node, "nationaliteit"),
  };
}

export function verwijzingToXml(v: LeerlingVerwijzing): object {
  return { leerlingId: v.leerlingId, persoonsgebondenNummer: pgnToXml(v.pgn) };
}

export function verwijzingFromXml(node: XmlNode): unknown {
  return { leerlingId: text(node, "leerlingId"), pgn: pgnFromXml(optChild(node, "persoonsgebondenNummer")) };
}

function indicatieToXml(i: Indicatie): object {
  return { soort: i.soort, begindatum: i.begindatum, einddatum: i.einddatum ?? undefined, categorie: i.categorie ?? undefined };
}

function groepsperiodeToXml(g: Groepsperiode): object {
  return { leerjaar: g.leerjaar ?? undefined, groep: g.groep ?? undefined, begindatum: g.begindatum };
}

function eindtoetsToXml(t: Eindtoets | null): object | undefined {
  if (t === null) return undefined;
  return { afnamedatum: t.afnamedatum, toetsadvies: t.toetsadvies ?? undefined, score: t.score ?? undefined, redenGeenToets: t.redenGeenToets ?? undefined };
}

function schooladviesToXml(a: Schooladvies | null): object | undefined {
  if (a === null) return undefined;
  return { advies: a.advies, adviesdatum: a.datum, herzienAdvies: a.herzienAdvies ?? undefined, herzienAdviesdatum: a.herzienDatum ?? undefined };
}

export function inschrijvingToXml(i: InschrijvingGegevens): object {
  return {
    inschrijvingId: i.id,
    leerlingId: i.leerlingId,
    inschrijfdatum: i.inschrijfdatum,
    uitschrijfdatum: i.uitschrijfdatum ?? undefined,
    redenUitschrijving: i.redenUitschrijving ?? undefined,
    vestiging: i.vestiging,
    schoolsoort: i.schoolsoort,
    onderwijssoort: i.onderwijssoort ?? undefined,
    leerjaar: i.leerjaar ?? undefined,
    soortVerblijf: i.soortVerblijf ?? undefined,
    indicatie: i.indicaties.map(indicatieToXml),
    ambulanteBegeleiding: i.ambulanteBegeleiding ?? undefined,
    bekostigd: i.bekostigd,
    groepsperiode: i.klassenhistorie.map(groepsperiodeToXml),
    nnca: i.nnca,
    gewicht: i.gewicht ?? undefined,
    vve: i.vve ?? undefined,
    eindtoets: eindtoetsToXml(i.eindtoets),
    schooladvies: schooladviesToXml(i.schooladvies),
  };
}

const optInt = (node: XmlNode, name: string): number | null => {
  const v = optText(node, name);
  return v === null ? null : toInt(v, name);
};
const optBool = (node: XmlNode, name: string): boolean | null => {
  const v = optText(node, name);
  return v === null ? null : toBool(v);
};

/** A decimal as XML writes it ("0.3", ".3", "1.20"); the contract's schema checks the value. */
function optDecimal(node: XmlNode, name: string): number | null {
  const v = optText(node, name);
  if (v === null) return null;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v)) throw new XmlSyntaxError(`${name} must be a decimal number`);
  return Number(v);
}

function eindtoetsFromXml(node: XmlNode | undefined): Eindtoets | null {
  if (!node) return null;
  return {
    afnamedatum: text(node, "afnamedatum"),
    toetsadvies: optText(node, "toetsadvies") as Eindtoets["toetsadvies"],
    score: optInt(node, "score"),
    redenGeenToets: optText(node, "redenGeenToets") as Eindtoets["redenGeenToets"],
  };
}

function schooladviesFromXml(node: XmlNode | undefined): Schooladvies | null {
  if (!node) return null;
  return {
    advies: text(node, "advies") as Schooladvies["advies"],
    datum: text(node, "adviesdatum"),
    herzienAdvies: optText(node, "herzienAdvies") as Schooladvies["herzienAdvies"],
    herzienDatum: optText(node, "herzienAdviesdatum"),
  };
}

export function inschrijvingFromXml(node: XmlNode): InschrijvingGegevens {
  const leerjaar = optText(node, "leerjaar");
  const ab = optChild(node, "ambulanteBegeleiding");
  return {
    id: text(node, "inschrijvingId"),
    leerlingId: text(node, "leerlingId"),
    inschrijfdatum: text(node, "inschrijfdatum"),
    uitschrijfdatum: optText(node, "uitschrijfdatum"),
    redenUitschrijving: optText(node, "redenUitschrijving"),
    vestiging: text(node, "vestiging"),
    schoolsoort: text(node, "schoolsoort") as InschrijvingGegevens["schoolsoort"],
    onderwijssoort: optText(node, "onderwijssoort"),
    leerjaar: leerjaar === null ? null : toInt(leerjaar, "leerjaar"),
    soortVerblijf: optText(node, "soortVerblijf"),
    indicaties: children(node, "indicatie").map((n) => ({
      soort: text(n, "soort"),
      begindatum: text(n, "begindatum"),
      einddatum: optText(n, "einddatum"),
      categorie: optText(n, "categorie"),
    })),
    ambulanteBegeleiding: ab
      ? { ondersteunendeVestiging: text(ab, "ondersteunendeVestiging"), begindatum: text(ab, "begindatum"), ontvangendeVestiging: text(ab, "ontvangendeVestiging") }
      : null,
    bekostigd: toBool(text(node, "bekostigd")),
    klassenhistorie: children(node, "groepsperiode").map((g) => ({ leerjaar: optInt(g, "leerjaar"), groep: optText(g, "groep"), begindatum: text(g, "begindatum") })),
    nnca: toBool(text(node, "nnca")),
    gewicht: optDecimal(node, "gewicht") as InschrijvingGegevens["gewicht"],
    vve: optBool(node, "vve"),
    eindtoets: eindtoetsFromXml(optChild(node, "eindtoets")),
    schooladvies: schooladviesFromXml(optChild(node, "schooladvies")),
  };
}

export function bronInschrijvingToXml(b: BronInschrijving): object {
  const { inschrijvingId, aanleverpunt: _ap, ...rest } = b;
  return inschrijvingToXml({ ...rest, id: inschrijvingId });
}

export function bronInschrijvingFromXml(node: XmlNode, aanleverpunt: string): BronInschrijving {
  const { id, ...rest } = inschrijvingFromXml(node);
  return { ...rest, inschrijvingId: id, aanleverpunt };
}

export function toInt(s: string, field: string): number {
  if (!/^-?\d+$/.test(s)) throw new XmlSyntaxError(`${field} must be a whole number`);
  return Number(s);
}

export function toBool(s: string): boolean {
  if (s === "true" || s === "1") return true;
  if (s === "false" || s === "0") return false;
  throw new XmlSyntaxError(`expected a boolean, got "${s}"`);
}
