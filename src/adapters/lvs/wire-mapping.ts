import type * as wire from "../../contracts/relay/api.js";
import type { Adres, AmbulanteBegeleiding, Eindtoets, Groepsperiode, Indicatie, Inschrijving, Leerling, LvsSnapshot, LvsWrite, OnvolledigeLeerling, Pgn, Schooladvies } from "../../core/model.js";

/**
 * Relay wire (src/contracts/relay/api.ts) ↔ domain model (src/core/model.ts), field by field. The two
 * have the same shape today, but they change for different reasons: the wire only with a new
 * RELAY_API_VERSION (schools must install a new relay), the model whenever the domain needs it. Spelled
 * out here so that a model change fails to compile in this file, instead of changing the relay API.
 */

function pgnFromWire(p: wire.Pgn | null): Pgn | null {
  return p === null ? null : { soort: p.soort, nummer: p.nummer };
}

function adresFromWire(a: wire.Adres | null): Adres | null {
  if (a === null) return null;
  return { straat: a.straat, huisnummer: a.huisnummer, toevoeging: a.toevoeging, postcode: a.postcode, plaats: a.plaats, land: a.land };
}

export function leerlingFromWire(w: wire.Leerling): Leerling {
  return {
    id: w.id,
    pgn: pgnFromWire(w.pgn),
    voornamen: w.voornamen,
    voorvoegsels: w.voorvoegsels,
    achternaam: w.achternaam,
    geslacht: w.geslacht,
    geboortedatum: w.geboortedatum,
    adres: adresFromWire(w.adres),
    nationaliteiten: [...w.nationaliteiten],
    onderwijsSinds: w.onderwijsSinds,
    ...(w.rowVersion === undefined ? {} : { rowVersion: w.rowVersion }),
  };
}

function indicatieFromWire(i: wire.Indicatie): Indicatie {
  return { soort: i.soort, begindatum: i.begindatum, einddatum: i.einddatum, categorie: i.categorie };
}

function ambulanteBegeleidingFromWire(a: wire.AmbulanteBegeleiding | null): AmbulanteBegeleiding | null {
  if (a === null) return null;
  return { ondersteunendeVestiging: a.ondersteunendeVestiging, begindatum: a.begindatum, ontvangendeVestiging: a.ontvangendeVestiging };
}

function groepsperiodeFromWire(g: wire.Groepsperiode): Groepsperiode {
  return { leerjaar: g.leerjaar, groep: g.groep, begindatum: g.begindatum };
}

function eindtoetsFromWire(t: wire.Eindtoets | null): Eindtoets | null {
  if (t === null) return null;
  return { afnamedatum: t.afnamedatum, toetsadvies: t.toetsadvies, score: t.score, redenGeenToets: t.redenGeenToets };
}

function schooladviesFromWire(a: wire.Schooladvies | null): Schooladvies | null {
  if (a === null) return null;
  return { advies: a.advies, datum: a.datum, herzienAdvies: a.herzienAdvies, herzienDatum: a.herzienDatum };
}

export function inschrijvingFromWire(w: wire.Inschrijving): Inschrijving {
  return {
    id: w.id,
    leerlingId: w.leerlingId,
    aanleverpunt: w.aanleverpunt,
    inschrijfdatum: w.inschrijfdatum,
    uitschrijfdatum: w.uitschrijfdatum,
    redenUitschrijving: w.redenUitschrijving,
    vestiging: w.vestiging,
    schoolsoort: w.schoolsoort,
    onderwijssoort: w.onderwijssoort,
    leerjaar: w.leerjaar,
    soortVerblijf: w.soortVerblijf,
    indicaties: w.indicaties.map(indicatieFromWire),
    ambulanteBegeleiding: ambulanteBegeleidingFromWire(w.ambulanteBegeleiding),
    bekostigd: w.bekostigd,
    klassenhistorie: w.klassenhistorie.map(groepsperiodeFromWire),
    nnca: w.nnca,
    gewicht: w.gewicht,
    vve: w.vve,
    eindtoets: eindtoetsFromWire(w.eindtoets),
    schooladvies: schooladviesFromWire(w.schooladvies),
    ...(w.rowVersion === undefined ? {} : { rowVersion: w.rowVersion }),
  };
}

function pgnToWire(p: Pgn): wire.Pgn {
  return { soort: p.soort, nummer: p.nummer };
}

/** A domain write as the relay API carries it. */
export function writeToWire(w: LvsWrite): wire.LvsWrite {
  switch (w.soort) {
    case "SET_PGN":
      return { soort: "SET_PGN", leerlingId: w.leerlingId, pgn: pgnToWire(w.pgn) };
    case "NAAM_CORRECTIE":
      return {
        soort: "NAAM_CORRECTIE",
        leerlingId: w.leerlingId,
        voornamen: w.voornamen,
        voorvoegsels: w.voorvoegsels,
        achternaam: w.achternaam,
        geslacht: w.geslacht,
        geboortedatum: w.geboortedatum,
      };
    case "GBA_ADRES": {
      const a = w.adres;
      return { soort: "GBA_ADRES", leerlingId: w.leerlingId, adres: { straat: a.straat, huisnummer: a.huisnummer, toevoeging: a.toevoeging, postcode: a.postcode, plaats: a.plaats, land: a.land } };
    }
    case "ONDERWIJS_SINDS":
      return { soort: "ONDERWIJS_SINDS", leerlingId: w.leerlingId, onderwijsSinds: w.onderwijsSinds };
    case "NATIONALITEITEN":
      return { soort: "NATIONALITEITEN", leerlingId: w.leerlingId, nationaliteiten: [...w.nationaliteiten] };
    default: {
      const never: never = w;
      return never;
    }
  }
}

/**
 * Rule: incomplete LVS2000 data never becomes a deletion. The relay names every row it had to leave out
 * in its problems (`uitgesloten`): a pupil row → the pupil is incomplete (its enrolments are still
 * delivered), an enrolment row → the enrolment exists but cannot be read. Both go into the snapshot.
 */
export function incompleteFromProblems(problems: readonly wire.RowProblem[]): Pick<LvsSnapshot, "onvolledig" | "uitgeslotenInschrijvingen"> {
  const pupils = new Map<string, OnvolledigeLeerling>();
  const enrolments = new Set<string>();
  for (const p of problems) {
    if (!p.uitgesloten || p.rijId === "") continue;
    if (p.tabel === "leerling") {
      const o = pupils.get(p.rijId) ?? { id: p.rijId, velden: [] };
      o.velden.push({ veld: p.veld, reden: p.reden.replace(/; leerling niet meegenomen$/, "") });
      pupils.set(p.rijId, o);
    } else if (p.tabel === "inschrijving") enrolments.add(p.rijId);
  }
  return { onvolledig: [...pupils.values()], uitgeslotenInschrijvingen: [...enrolments] };
}
