/**
 * DEV/TEST ONLY. Sample data for every mutation kind and every feedback kind, used by the contract
 * tests (XSD validation, round trips) and the benchmark. BSNs are valid test numbers (11-test).
 */
import type { BronInschrijving, BronLeerling, FeedbackMessage, InschrijvingGegevens, LeerlingGegevens, Mutatie } from "../../src/contracts/bron/messages.js";

export const SAMPLE_AANLEVERPUNT = "00AA00";

export function sampleLeerling(over: Partial<LeerlingGegevens> = {}): LeerlingGegevens {
  return {
    id: "L0001",
    pgn: { soort: "BSN", nummer: "123456782" },
    voornamen: "Jan Willem",
    voorvoegsels: "van der",
    achternaam: "Berg & Zn <test>",
    geslacht: "M",
    geboortedatum: "2014-03-09",
    adres: { straat: "Dorpsstraat", huisnummer: 12, toevoeging: "A", postcode: "1234AB", plaats: "Ons Dorp", land: "6030" },
    nationaliteiten: ["0001"],
    ...over,
  };
}

export function sampleInschrijving(over: Partial<InschrijvingGegevens> = {}): InschrijvingGegevens {
  // the group periods start with the enrolment (a period before it is an afkeur)
  const begin = over.inschrijfdatum ?? "2020-08-17";
  const klassenhistorie =
    begin < "2021-08-01"
      ? [{ leerjaar: 3, groep: "3A", begindatum: begin }, { leerjaar: 4, groep: "4B", begindatum: "2021-08-01" }]
      : [{ leerjaar: 4, groep: "4B", begindatum: begin }];
  return {
    id: "I0001",
    leerlingId: "L0001",
    inschrijfdatum: "2020-08-17",
    uitschrijfdatum: null,
    redenUitschrijving: null,
    vestiging: "00AA01",
    schoolsoort: "SO",
    onderwijssoort: "CLUSTER3",
    leerjaar: 4,
    soortVerblijf: null,
    indicaties: [{ soort: "TLV", begindatum: "2020-08-01", einddatum: "2026-07-31", categorie: "LAAG" }],
    ambulanteBegeleiding: null,
    bekostigd: true,
    klassenhistorie,
    nnca: false,
    gewicht: null,
    vve: null,
    eindtoets: null,
    schooladvies: null,
    ...over,
  };
}

/** A basisschool enrolment in groep 8: gewicht and VVE from before 2019, toets result, herzien advies. */
export function sampleGroep8Inschrijving(over: Partial<InschrijvingGegevens> = {}): InschrijvingGegevens {
  return sampleInschrijving({
    id: "I0008",
    inschrijfdatum: "2018-08-20",
    schoolsoort: "BAO",
    onderwijssoort: null,
    leerjaar: 8,
    indicaties: [],
    klassenhistorie: [
      { leerjaar: 1, groep: "1/2A", begindatum: "2018-08-20" },
      { leerjaar: 8, groep: "8A", begindatum: "2025-08-18" },
      { leerjaar: 8, groep: "8B", begindatum: "2026-03-09" },
    ],
    nnca: true,
    gewicht: 0.3,
    vve: true,
    eindtoets: { afnamedatum: "2026-02-03", toetsadvies: "HAVO", score: 539, redenGeenToets: null },
    schooladvies: { advies: "VMBO_GLTL_HAVO", datum: "2026-01-20", herzienAdvies: "HAVO", herzienDatum: "2026-03-20" },
    ...over,
  });
}

const ref = { leerlingId: "L0001", pgn: { soort: "BSN" as const, nummer: "123456782" } };

/** One mutation of every kind. */
export function sampleMutaties(): Mutatie[] {
  return [
    { soort: "NIEUWE_INSCHRIJVING", mutatieId: "A-001", leerling: sampleLeerling(), inschrijving: sampleInschrijving() },
    {
      soort: "UITSCHRIJVING",
      mutatieId: "A-002",
      leerling: ref,
      inschrijving: { ...sampleInschrijving(), uitschrijfdatum: "2026-07-31", redenUitschrijving: "VERHUIZING" },
    },
    { soort: "WIJZIGING_SLEUTELGEGEVENS", mutatieId: "A-003", leerling: sampleLeerling({ voornamen: "" , voorvoegsels: null, adres: null }) },
    {
      soort: "WIJZIGING_ONDERWIJSGEGEVENS",
      mutatieId: "A-004",
      leerling: ref,
      inschrijving: sampleInschrijving({
        leerjaar: 0,
        indicaties: [],
        onderwijssoort: null,
        ambulanteBegeleiding: { ondersteunendeVestiging: "00AA01", begindatum: "2021-01-04", ontvangendeVestiging: "11BB02" },
      }),
    },
    { soort: "WIJZIGING_ONDERWIJSGEGEVENS", mutatieId: "A-008", leerling: ref, inschrijving: sampleGroep8Inschrijving() },
    {
      soort: "WIJZIGING_ONDERWIJSGEGEVENS",
      mutatieId: "A-009",
      leerling: ref,
      inschrijving: sampleGroep8Inschrijving({ gewicht: 0, nnca: false, vve: false, eindtoets: { afnamedatum: "2026-02-03", toetsadvies: null, score: null, redenGeenToets: "KORTER_DAN_VIER_JAAR_IN_NL" }, schooladvies: { advies: "VMBO_KB", datum: "2026-01-20", herzienAdvies: null, herzienDatum: null } }),
    },
    { soort: "VERWIJDERING_INSCHRIJVING", mutatieId: "A-005", leerling: { leerlingId: "L0001", pgn: null }, inschrijvingId: "I0001" },
    { soort: "CORRECTIE_INSCHRIJFDATUM", mutatieId: "A-006", leerling: ref, oudeInschrijfdatum: "2020-08-17", inschrijving: sampleInschrijving({ inschrijfdatum: "2020-08-18" }) },
    { soort: "IDENTIFICATIEVERZOEK", mutatieId: "A-007", leerling: sampleLeerling({ pgn: null, adres: { straat: "Rue", huisnummer: null, toevoeging: null, postcode: null, plaats: "Brussel", land: "5010" } }) },
  ];
}

export function sampleBronLeerling(over: Partial<BronLeerling> = {}): BronLeerling {
  const { id, adres, ...rest } = sampleLeerling();
  return { ...rest, leerlingId: id, gbaAdres: adres, ...over };
}

export function sampleBronInschrijving(over: Partial<BronInschrijving> = {}): BronInschrijving {
  const { id, ...rest } = sampleInschrijving();
  return { ...rest, inschrijvingId: id, aanleverpunt: SAMPLE_AANLEVERPUNT, ...over };
}

function groep8AlsBron(): BronInschrijving {
  const { id, ...rest } = sampleGroep8Inschrijving();
  return { ...rest, inschrijvingId: id, aanleverpunt: SAMPLE_AANLEVERPUNT };
}

/** One feedback message of every kind. */
export function sampleFeedback(): FeedbackMessage[] {
  const base = (n: number) => ({ id: `T-00${n}`, aanleverpunt: SAMPLE_AANLEVERPUNT, ontvangenOp: `2026-11-2${n}T10:00:00.000Z` });
  return [
    {
      ...base(1),
      soort: "AFKEUR",
      mutatieId: "A-001",
      signalen: [
        { code: "1003", ernst: "AFKEUR", tekst: "BSN komt niet overeen met geslacht en geboortedatum in de BRP", actionId: "A-001", field: "pgn" },
        { code: "2001", ernst: "ATTENTIE", tekst: "Naam wijkt af van de BRP", actionId: "A-001", field: null },
      ],
    },
    {
      ...base(2),
      soort: "INSCHRIJVING_GEACCEPTEERD",
      mutatieId: "A-002",
      leerling: sampleBronLeerling({ pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } }),
      inschrijving: sampleBronInschrijving(),
      toegekendOnderwijsnummer: "100310303",
      signalen: [],
    },
    { ...base(3), soort: "SPONTANE_MUTATIE", leerling: sampleBronLeerling({ achternaam: "Bergen" }) },
    { ...base(4), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" }, leerling: sampleBronLeerling() },
    {
      ...base(5),
      soort: "DUBBELE_INSCHRIJVING",
      dubbel: { leerlingId: "L0001", inschrijvingId: "I0001", andereVestiging: "22CC01", inschrijfdatum: "2024-08-01", uitschrijfdatum: null, gemeldOp: "2026-11-25" },
    },
    {
      ...base(6),
      soort: "REGISTRATIEOVERZICHT",
      peildatum: "2026-11-26",
      leerlingen: [sampleBronLeerling(), sampleBronLeerling({ leerlingId: "L0002", pgn: null, gbaAdres: null, nationaliteiten: [] })],
      inschrijvingen: [sampleBronInschrijving(), groep8AlsBron()],
      historisch: [sampleBronInschrijving({ inschrijvingId: "I0000", leerlingId: "L0002", uitschrijfdatum: "2019-07-31", redenUitschrijving: "VERHUIZING" })],
    },
  ];
}

/** `count` valid BSNs (11-test) from a fixed start, for test populations. */
export function validBsns(count: number, start = 111_222_000): string[] {
  const out: string[] = [];
  for (let v = start; out.length < count; v++) {
    const s = String(v);
    let sum = -(s.charCodeAt(8) - 48);
    for (let i = 0; i < 8; i++) sum += (9 - i) * (s.charCodeAt(i) - 48);
    if (sum % 11 === 0) out.push(s);
  }
  return out;
}
