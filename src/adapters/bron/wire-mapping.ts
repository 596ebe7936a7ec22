import type * as wire from "../../contracts/bron/messages.js";
import type {
  Adres,
  AmbulanteBegeleiding,
  BronInschrijving,
  BronLeerling,
  DubbeleInschrijving,
  Eindtoets,
  FeedbackMessage,
  Groepsperiode,
  Indicatie,
  Pgn,
  Schooladvies,
  Signal,
} from "../../core/model.js";

/**
 * BRON wire (src/contracts/bron/messages.ts) → domain model (src/core/model.ts), field by field, for
 * what the client reads: the feedback. The two have the same shape today but change for different
 * reasons (the contract with BRON, the domain's needs); spelled out so that a model change fails to
 * compile here instead of changing what the contract accepts. What is sent (Mutatie) is built from the
 * domain by src/core/to-mutatie.ts, typed by the contract.
 */

function pgn(p: wire.Pgn | null): Pgn | null {
  return p === null ? null : { soort: p.soort, nummer: p.nummer };
}

function adres(a: wire.Adres | null): Adres | null {
  if (a === null) return null;
  return { straat: a.straat, huisnummer: a.huisnummer, toevoeging: a.toevoeging, postcode: a.postcode, plaats: a.plaats, land: a.land };
}

function indicatie(i: wire.Indicatie): Indicatie {
  return { soort: i.soort, begindatum: i.begindatum, einddatum: i.einddatum, categorie: i.categorie };
}

function ambulanteBegeleiding(a: wire.AmbulanteBegeleiding | null): AmbulanteBegeleiding | null {
  if (a === null) return null;
  return { ondersteunendeVestiging: a.ondersteunendeVestiging, begindatum: a.begindatum, ontvangendeVestiging: a.ontvangendeVestiging };
}

function groepsperiode(g: wire.Groepsperiode): Groepsperiode {
  return { leerjaar: g.leerjaar, groep: g.groep, begindatum: g.begindatum };
}

function eindtoets(t: wire.Eindtoets | null): Eindtoets | null {
  if (t === null) return null;
  return { afnamedatum: t.afnamedatum, toetsadvies: t.toetsadvies, score: t.score, redenGeenToets: t.redenGeenToets };
}

function schooladvies(a: wire.Schooladvies | null): Schooladvies | null {
  if (a === null) return null;
  return { advies: a.advies, datum: a.datum, herzienAdvies: a.herzienAdvies, herzienDatum: a.herzienDatum };
}

export function bronLeerlingFromWire(l: wire.BronLeerling): BronLeerling {
  return {
    leerlingId: l.leerlingId,
    pgn: pgn(l.pgn),
    voornamen: l.voornamen,
    voorvoegsels: l.voorvoegsels,
    achternaam: l.achternaam,
    geslacht: l.geslacht,
    geboortedatum: l.geboortedatum,
    gbaAdres: adres(l.gbaAdres),
    nationaliteiten: [...l.nationaliteiten],
  };
}

export function bronInschrijvingFromWire(i: wire.BronInschrijving): BronInschrijving {
  return {
    inschrijvingId: i.inschrijvingId,
    leerlingId: i.leerlingId,
    aanleverpunt: i.aanleverpunt,
    inschrijfdatum: i.inschrijfdatum,
    uitschrijfdatum: i.uitschrijfdatum,
    redenUitschrijving: i.redenUitschrijving,
    vestiging: i.vestiging,
    schoolsoort: i.schoolsoort,
    onderwijssoort: i.onderwijssoort,
    leerjaar: i.leerjaar,
    soortVerblijf: i.soortVerblijf,
    indicaties: i.indicaties.map(indicatie),
    ambulanteBegeleiding: ambulanteBegeleiding(i.ambulanteBegeleiding),
    bekostigd: i.bekostigd,
    klassenhistorie: i.klassenhistorie.map(groepsperiode),
    nnca: i.nnca,
    gewicht: i.gewicht,
    vve: i.vve,
    eindtoets: eindtoets(i.eindtoets),
    schooladvies: schooladvies(i.schooladvies),
  };
}

function dubbel(d: wire.DubbeleInschrijving): DubbeleInschrijving {
  return { leerlingId: d.leerlingId, inschrijvingId: d.inschrijvingId, andereVestiging: d.andereVestiging, inschrijfdatum: d.inschrijfdatum, uitschrijfdatum: d.uitschrijfdatum, gemeldOp: d.gemeldOp };
}

function signal(s: wire.Signal): Signal {
  return { code: s.code, ernst: s.ernst, tekst: s.tekst, actionId: s.actionId, field: s.field };
}

export function feedbackFromWire(f: wire.FeedbackMessage): FeedbackMessage {
  const base = { id: f.id, aanleverpunt: f.aanleverpunt, ontvangenOp: f.ontvangenOp };
  switch (f.soort) {
    case "AFKEUR":
      return { ...base, soort: "AFKEUR", mutatieId: f.mutatieId, signalen: f.signalen.map(signal) };
    case "INSCHRIJVING_GEACCEPTEERD":
      return {
        ...base,
        soort: "INSCHRIJVING_GEACCEPTEERD",
        mutatieId: f.mutatieId,
        leerling: bronLeerlingFromWire(f.leerling),
        inschrijving: f.inschrijving === null ? null : bronInschrijvingFromWire(f.inschrijving),
        toegekendOnderwijsnummer: f.toegekendOnderwijsnummer,
        signalen: f.signalen.map(signal),
      };
    case "SPONTANE_MUTATIE":
      return { ...base, soort: "SPONTANE_MUTATIE", leerling: bronLeerlingFromWire(f.leerling) };
    case "WIJZIGING_SLEUTELGEGEVENS":
      return { ...base, soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: pgn(f.oudPgn), leerling: bronLeerlingFromWire(f.leerling) };
    case "DUBBELE_INSCHRIJVING":
      return { ...base, soort: "DUBBELE_INSCHRIJVING", dubbel: dubbel(f.dubbel) };
    case "REGISTRATIEOVERZICHT":
      return {
        ...base,
        soort: "REGISTRATIEOVERZICHT",
        peildatum: f.peildatum,
        leerlingen: f.leerlingen.map(bronLeerlingFromWire),
        inschrijvingen: f.inschrijvingen.map(bronInschrijvingFromWire),
        historisch: f.historisch.map(bronInschrijvingFromWire),
      };
    default: {
      const never: never = f;
      return never;
    }
  }
}
