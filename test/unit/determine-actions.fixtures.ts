import type { ActionMemory, BronInschrijving, BronLeerling, BronMirror, Inschrijving, Leerling, LvsSnapshot } from "../../src/core/model.js";

/** Small builders for determineActions tests: one in-sync pupil, then override what a test is about. */

export const AP = "00AA00";
export const TODAY = "2026-11-28";

export function leerling(id: string, over: Partial<Leerling> = {}): Leerling {
  return {
    id,
    pgn: { soort: "BSN", nummer: "123456782" },
    voornamen: "Emma",
    voorvoegsels: "de",
    achternaam: "Vries",
    geslacht: "V",
    geboortedatum: "2015-03-14",
    adres: { straat: "Dorpsstraat", huisnummer: 12, toevoeging: null, postcode: "3511AB", plaats: "Utrecht", land: "6030" },
    nationaliteiten: ["0001"],
    onderwijsSinds: "2019-08-15",
    ...over,
  };
}

export function inschrijving(id: string, leerlingId: string, over: Partial<Inschrijving> = {}): Inschrijving {
  return {
    id,
    leerlingId,
    aanleverpunt: AP,
    inschrijfdatum: "2019-08-15",
    uitschrijfdatum: null,
    redenUitschrijving: null,
    vestiging: "00AA01",
    schoolsoort: "BAO",
    onderwijssoort: null,
    leerjaar: 6,
    soortVerblijf: null,
    indicaties: [],
    ambulanteBegeleiding: null,
    bekostigd: true,
    // one group period from the inschrijfdatum, in the enrolment's leerjaar (unless the test gives its own)
    klassenhistorie: over.leerjaar === null ? [] : [{ leerjaar: over.leerjaar ?? 6, groep: null, begindatum: over.inschrijfdatum ?? "2019-08-15" }],
    nnca: false,
    gewicht: null,
    vve: null,
    eindtoets: null,
    schooladvies: null,
    ...over,
  };
}

/** What BRON holds for an LVS pupil when both are in step (GBA address = LVS address). */
export function bronLeerlingOf(l: Leerling, over: Partial<BronLeerling> = {}): BronLeerling {
  return {
    leerlingId: l.id,
    pgn: l.pgn,
    voornamen: l.voornamen,
    voorvoegsels: l.voorvoegsels,
    achternaam: l.achternaam,
    geslacht: l.geslacht,
    geboortedatum: l.geboortedatum,
    gbaAdres: l.adres,
    nationaliteiten: l.nationaliteiten,
    ...over,
  };
}

export function bronInschrijvingOf(i: Inschrijving, over: Partial<BronInschrijving> = {}): BronInschrijving {
  const { id, rowVersion: _rv, ...rest } = i;
  return { inschrijvingId: id, ...rest, ...over };
}

export function lvsSnapshot(leerlingen: Leerling[], inschrijvingen: Inschrijving[]): LvsSnapshot {
  return { aanleverpunt: AP, leerlingen, inschrijvingen };
}

export function mirrorOf(leerlingen: BronLeerling[], inschrijvingen: BronInschrijving[], over: Partial<BronMirror> = {}): BronMirror {
  return { aanleverpunt: AP, peildatum: TODAY, overzichtDatum: TODAY, leerlingen, inschrijvingen, historisch: [], dubbeleInschrijvingen: [], ...over };
}

export const EMPTY_MIRROR: BronMirror = { aanleverpunt: AP, peildatum: null, overzichtDatum: null, leerlingen: [], inschrijvingen: [], historisch: [], dubbeleInschrijvingen: [] };

export const NO_MEMORY: ActionMemory = { ignored: [], pending: [], firstSeen: {} };

/** One pupil with one enrolment, LVS and BRON in step. */
export function inStep(id = "1001"): { l: Leerling; i: Inschrijving; bl: BronLeerling; bi: BronInschrijving } {
  const l = leerling(id);
  const i = inschrijving(`I${id}`, id);
  return { l, i, bl: bronLeerlingOf(l), bi: bronInschrijvingOf(i) };
}
