import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { determineActions } from "../../src/core/determine-actions.js";
import type { Action, ActionMemory, Adres, BronInschrijving, BronLeerling, BronMirror, Inschrijving, Leerling, LvsSnapshot } from "../../src/core/model.js";
import { AP, NO_MEMORY, TODAY } from "./determine-actions.fixtures.js";

/**
 * Properties of determineActions over random LVS/BRON pairs drawn from small pools, so that ids overlap
 * and every kind of difference (and the 2008 rule, other aanleverpunten, historical enrolments) occurs.
 */

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const adres: fc.Arbitrary<Adres | null> = fc.option(
  fc.record({ straat: pick("Dorpsstraat", "Kerkstraat"), huisnummer: pick(1, 12, null), toevoeging: pick(null, "", "A"), postcode: pick("3511AB", "3511 AB", "1234XY", null), plaats: pick("Utrecht", "Zeist"), land: pick("6030", "5010") }),
  { nil: null },
);
const persoon = {
  pgn: pick(null, { soort: "BSN" as const, nummer: "123456782" }, { soort: "ONDERWIJSNUMMER" as const, nummer: "101234567" }),
  voornamen: pick("Emma", "Daan"),
  voorvoegsels: pick(null, "", "de", "van der"),
  achternaam: pick("Vries", "Jansen"),
  geslacht: pick("M" as const, "V" as const),
  geboortedatum: pick("2015-03-14", "2016-01-02"),
};
const LEERLING_IDS = ["1", "2", "3", "4", "5"];
const INS_IDS = ["A", "B", "C", "D", "E", "F", "G", "H"];

const leerling: fc.Arbitrary<Leerling> = fc.record({ id: pick(...LEERLING_IDS), ...persoon, adres, nationaliteiten: fc.constant(["0001"]), onderwijsSinds: fc.constant(null) });
const bronLeerling: fc.Arbitrary<BronLeerling> = fc.record({ leerlingId: pick(...LEERLING_IDS), ...persoon, gbaAdres: adres, nationaliteiten: pick([], ["0001"], ["0001", "0052"]) });

const enrolmentData = {
  leerlingId: pick(...LEERLING_IDS),
  aanleverpunt: pick(AP, AP, AP, "00AA01"),
  inschrijfdatum: pick("2005-08-15", "2019-08-15", "2020-01-06"),
  uitschrijfdatum: pick(null, null, "2008-07-31", "2008-08-01", "2021-07-31", "2027-01-01"),
  redenUitschrijving: pick(null, "", "VO"),
  vestiging: pick("00AA01", "00AA02"),
  schoolsoort: pick("BAO" as const, "SBO" as const),
  onderwijssoort: pick(null, "CLUSTER3"),
  leerjaar: pick(null, 3, 4),
  soortVerblijf: pick(null, "4"),
  indicaties: pick([], [{ soort: "TLV", begindatum: "2019-08-15", einddatum: null, categorie: "LAAG" }]),
  ambulanteBegeleiding: pick(null, { ondersteunendeVestiging: "00AA01", begindatum: "2020-01-01", ontvangendeVestiging: "11BB00" }),
  bekostigd: fc.boolean(),
  klassenhistorie: pick([], [{ leerjaar: 3, groep: "3A", begindatum: "2019-08-15" }], [{ leerjaar: 3, groep: "3A", begindatum: "2019-08-15" }, { leerjaar: 3, groep: "3B", begindatum: "2020-03-09" }]),
  nnca: fc.boolean(),
  gewicht: pick(null, 0, 0.3),
  vve: pick(null, true, false),
  eindtoets: pick(null, { afnamedatum: "2020-04-16", toetsadvies: "HAVO", score: 540, redenGeenToets: null }),
  schooladvies: pick(null, { advies: "VMBO_GLTL", datum: "2020-02-10", herzienAdvies: null, herzienDatum: null }, { advies: "VMBO_GLTL", datum: "2020-02-10", herzienAdvies: "HAVO", herzienDatum: "2020-05-28" }),
};
const lvsIns: fc.Arbitrary<Inschrijving> = fc.record({ id: pick(...INS_IDS), ...enrolmentData });
const bronIns: fc.Arbitrary<BronInschrijving> = fc.record({ inschrijvingId: pick(...INS_IDS), ...enrolmentData });

const pair: fc.Arbitrary<{ lvs: LvsSnapshot; mirror: BronMirror }> = fc
  .record({
    leerlingen: fc.uniqueArray(leerling, { selector: (l) => l.id, maxLength: 5 }),
    inschrijvingen: fc.uniqueArray(lvsIns, { selector: (i) => i.id, maxLength: 8 }),
    bronLeerlingen: fc.uniqueArray(bronLeerling, { selector: (l) => l.leerlingId, maxLength: 5 }),
    bronAll: fc.uniqueArray(fc.tuple(bronIns, fc.boolean()), { selector: ([i]) => i.inschrijvingId, maxLength: 8 }),
  })
  .map(({ leerlingen, inschrijvingen, bronLeerlingen, bronAll }) => ({
    lvs: { aanleverpunt: AP, leerlingen, inschrijvingen },
    mirror: {
      aanleverpunt: AP,
      peildatum: TODAY,
      overzichtDatum: TODAY,
      leerlingen: bronLeerlingen,
      inschrijvingen: bronAll.filter(([, hist]) => !hist).map(([i]) => i),
      historisch: bronAll.filter(([i, hist]) => hist && i.uitschrijfdatum !== null).map(([i]) => i),
      dubbeleInschrijvingen: [],
    },
  }));

function determine(lvs: LvsSnapshot, mirror: BronMirror, memory: ActionMemory = NO_MEMORY): Action[] {
  const r = determineActions(lvs, mirror, memory, TODAY);
  if (!r.ok) throw new Error(r.reason);
  return r.actions;
}

const EMPTY_ENROLMENT = {
  uitschrijfdatum: null, redenUitschrijving: null, onderwijssoort: null, leerjaar: null, soortVerblijf: null, indicaties: [], ambulanteBegeleiding: null, bekostigd: false,
  klassenhistorie: [], nnca: false, gewicht: null, vve: null, eindtoets: null, schooladvies: null,
};

function withFields<T extends object>(target: T, action: Action): T {
  const out: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const f of action.fields) out[f.field] = f.lvs;
  return out as T;
}

/**
 * What BRON holds after accepting a BRON-direction action, built from the action's own fields (so the
 * property also shows the fields carry everything BRON needs). A new enrolment brings its pupil along.
 */
function acceptIntoMirror(mirror: BronMirror, action: Action, lvs: LvsSnapshot): BronMirror {
  const isOurs = (b: BronInschrijving) => b.inschrijvingId === action.inschrijvingId && b.aanleverpunt === action.aanleverpunt;
  const update = (list: BronInschrijving[]) => list.map((b) => (isOurs(b) ? withFields(b, action) : b));
  switch (action.type) {
    case "NIEUWE_INSCHRIJVING": {
      const base = { inschrijvingId: action.inschrijvingId!, leerlingId: action.leerlingId, aanleverpunt: action.aanleverpunt, ...EMPTY_ENROLMENT };
      const ins = withFields(base as unknown as BronInschrijving, action);
      const l = lvs.leerlingen.find((x) => x.id === action.leerlingId);
      const known = mirror.leerlingen.some((x) => x.leerlingId === action.leerlingId);
      const leerlingen = known || !l ? mirror.leerlingen : [...mirror.leerlingen, { leerlingId: l.id, pgn: l.pgn, voornamen: l.voornamen, voorvoegsels: l.voorvoegsels, achternaam: l.achternaam, geslacht: l.geslacht, geboortedatum: l.geboortedatum, gbaAdres: l.adres, nationaliteiten: l.nationaliteiten }];
      return { ...mirror, leerlingen, inschrijvingen: [...mirror.inschrijvingen, ins] };
    }
    case "VERWIJDERING_INSCHRIJVING":
      return { ...mirror, inschrijvingen: mirror.inschrijvingen.filter((b) => !isOurs(b)) };
    case "UITSCHRIJVING":
    case "CORRECTIE_INSCHRIJFDATUM":
    case "WIJZIGING_ONDERWIJSGEGEVENS":
      return { ...mirror, inschrijvingen: update(mirror.inschrijvingen), historisch: update(mirror.historisch) };
    case "WIJZIGING_SLEUTELGEGEVENS":
      return { ...mirror, leerlingen: mirror.leerlingen.map((b) => (b.leerlingId === action.leerlingId ? withFields(b, action) : b)) };
    default:
      throw new Error(`not a BRON-direction action: ${action.type}`);
  }
}

describe("determineActions properties", () => {
  it("property: applying the BRON-direction actions to the mirror as BRON would accept them, then determining again, yields none of those actions", () => {
    fc.assert(
      fc.property(pair, ({ lvs, mirror }) => {
        const first = determine(lvs, mirror).filter((a) => a.direction === "BRON");
        const accepted = first.reduce((m, a) => acceptIntoMirror(m, a, lvs), mirror);
        const again = determine(lvs, accepted);
        const firstIds = new Set(first.map((a) => a.id));
        expect(again.filter((a) => firstIds.has(a.id))).toEqual([]);
        expect(again.filter((a) => a.direction === "BRON")).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it("property: ignoring every difference, then determining again, yields nothing", () => {
    fc.assert(
      fc.property(pair, ({ lvs, mirror }) => {
        const first = determine(lvs, mirror);
        expect(determine(lvs, mirror, { ...NO_MEMORY, ignored: first.map((a) => a.fingerprint) })).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("property: the result does not depend on the order of the input lists (same ids, same order)", () => {
    fc.assert(
      fc.property(pair, ({ lvs, mirror }) => {
        const reversed = determine(
          { ...lvs, leerlingen: [...lvs.leerlingen].reverse(), inschrijvingen: [...lvs.inschrijvingen].reverse() },
          { ...mirror, leerlingen: [...mirror.leerlingen].reverse(), inschrijvingen: [...mirror.inschrijvingen].reverse() },
        );
        expect(reversed).toEqual(determine(lvs, mirror));
      }),
      { numRuns: 200 },
    );
  });

  it("property: only Nieuwe melding and Uitschrijving (BRON still enrolled) are automatic; every action has fields, ids are unique", () => {
    fc.assert(
      fc.property(pair, ({ lvs, mirror }) => {
        const actions = determine(lvs, mirror);
        expect(new Set(actions.map((a) => a.id)).size).toBe(actions.length);
        for (const a of actions) {
          expect(a.fields.length).toBeGreaterThan(0);
          if (!a.needsDecision) expect(["NIEUWE_INSCHRIJVING", "UITSCHRIJVING"]).toContain(a.type);
          expect(a.type).not.toBe("IDENTIFICATIEVERZOEK");
        }
      }),
      { numRuns: 200 },
    );
  });

  it("property: for any LVS2000 snapshot where some rows are incomplete, no Verwijdering inschrijving is proposed for a pupil that exists in LVS2000", () => {
    fc.assert(
      fc.property(pair, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), ({ lvs }, pupilBroken, enrolmentBroken) => {
        // BRON holds exactly what LVS2000 holds (nothing to delete), then some LVS2000 rows turn out unreadable
        const ours = lvs.inschrijvingen.filter((i) => i.aanleverpunt === AP && (i.uitschrijfdatum === null || i.uitschrijfdatum >= "2008-08-01"));
        const mirror: BronMirror = {
          aanleverpunt: AP, peildatum: TODAY, overzichtDatum: TODAY, historisch: [], dubbeleInschrijvingen: [],
          leerlingen: lvs.leerlingen.map((l) => ({ leerlingId: l.id, pgn: l.pgn, voornamen: l.voornamen, voorvoegsels: l.voorvoegsels, achternaam: l.achternaam, geslacht: l.geslacht, geboortedatum: l.geboortedatum, gbaAdres: l.adres, nationaliteiten: [] })),
          inschrijvingen: ours.map(({ id, rowVersion: _r, ...rest }) => ({ inschrijvingId: id, ...rest })),
        };
        const broken = new Set(lvs.leerlingen.filter((_, n) => pupilBroken[n]).map((l) => l.id));
        const unreadable = new Set(lvs.inschrijvingen.filter((_, n) => enrolmentBroken[n]).map((i) => i.id));
        const incomplete: LvsSnapshot = {
          aanleverpunt: AP,
          leerlingen: lvs.leerlingen.filter((l) => !broken.has(l.id)),
          inschrijvingen: lvs.inschrijvingen.filter((i) => !unreadable.has(i.id)),
          onvolledig: [...broken].map((id) => ({ id, velden: [{ veld: "achternaam", reden: "Achternaam ontbreekt" }] })),
          uitgeslotenInschrijvingen: [...unreadable],
        };
        const inLvs = new Set([...lvs.leerlingen.map((l) => l.id)]);
        const deletions = determine(incomplete, mirror).filter((a) => a.type === "VERWIJDERING_INSCHRIJVING" && inLvs.has(a.leerlingId));
        expect(deletions).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
