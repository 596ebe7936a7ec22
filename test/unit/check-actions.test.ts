import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkActions, checkCertificate, sendableActions } from "../../src/core/check-actions.js";
import { Action, type ActionType, type Inschrijving, type Leerling, Signal } from "../../src/core/model.js";
import { AP, TODAY, inschrijving, leerling, lvsSnapshot } from "./determine-actions.fixtures.js";

function action(type: ActionType, leerlingId = "1001", inschrijvingId: string | null = "I1001", over: Partial<Action> = {}): Action {
  const id = `${type}-${leerlingId}`;
  return Action.parse({ id, type, direction: "BRON", needsDecision: false, decision: null, aanleverpunt: AP, leerlingId, inschrijvingId, fields: [], fingerprint: `fp-${id}`, deadline: null, reason: "r", status: "OPEN", ...over });
}

/** Signals for one NIEUWE_INSCHRIJVING of a pupil changed by `l` and an enrolment changed by `i`. */
function signalsFor(l: Partial<Leerling>, i: Partial<Inschrijving> = {}, type: ActionType = "NIEUWE_INSCHRIJVING"): Signal[] {
  const lvs = lvsSnapshot([leerling("1001", l)], [inschrijving("I1001", "1001", i)]);
  return checkActions([action(type, "1001", type === "WIJZIGING_SLEUTELGEGEVENS" || type === "IDENTIFICATIEVERZOEK" ? null : "I1001")], lvs, TODAY);
}
const codes = (s: Signal[]) => s.map((x) => `${x.ernst}:${x.code}:${x.field}`);

const G8 = { leerjaar: 8, klassenhistorie: [{ leerjaar: 8, groep: "8A", begindatum: "2019-08-15" }] };
const TOETS = { afnamedatum: "2020-04-16", toetsadvies: "HAVO", score: 540, redenGeenToets: null };
const ADVIES = { advies: "VMBO_GLTL", datum: "2020-02-10", herzienAdvies: null, herzienDatum: null };

describe("checkActions: the exchanged fields beyond the basics (docs/exchanged-fields.md)", () => {
  it("a groep-8 pupil with gewicht 0 from before 2019, VVE, NNCA, toets, advies and a herzien advies gives no signals", () => {
    const i = { ...G8, inschrijfdatum: "2019-07-15", klassenhistorie: [{ leerjaar: 7, groep: "7A", begindatum: "2019-07-15" }, { leerjaar: 8, groep: "8B", begindatum: "2019-08-15" }, { leerjaar: 8, groep: "8A", begindatum: "2020-03-09" }] };
    const all = { ...i, gewicht: 0.3, vve: true, nnca: true, eindtoets: TOETS, schooladvies: { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2020-05-28" } };
    expect(signalsFor({ geboortedatum: "2008-03-14", onderwijsSinds: "2012-08-15" }, all)).toEqual([]);
  });

  it.each<[string, Partial<Inschrijving>, string]>([
    ["rule: a gewicht on an enrolment starting after 1 August 2019 (the regeling ended)", { gewicht: 0.3 }, "AFKEUR:GEWICHT_NA_EINDE_REGELING:gewicht"],
    ["rule: a gewicht only 0, 0.3 or 1.2", { inschrijfdatum: "2019-07-01", klassenhistorie: [{ leerjaar: 6, groep: null, begindatum: "2019-07-01" }], gewicht: 0.5 }, "AFKEUR:GEWICHT_ONGELDIG:gewicht"],
    ["rule: a gewicht only on a basisschool", { inschrijfdatum: "2019-07-01", klassenhistorie: [{ leerjaar: 6, groep: null, begindatum: "2019-07-01" }], schoolsoort: "SBO", gewicht: 0 }, "AFKEUR:GEWICHT_ALLEEN_BASISSCHOOL:gewicht"],
    ["rule: an advies only in the last leerjaar (groep 8)", { schooladvies: ADVIES }, "AFKEUR:ADVIES_NIET_LAATSTE_LEERJAAR:schooladvies"],
    ["rule: a toets result only in the last leerjaar (groep 8)", { eindtoets: TOETS }, "AFKEUR:EINDTOETS_NIET_LAATSTE_LEERJAAR:eindtoets"],
    ["rule: advies codes valid", { ...G8, schooladvies: { ...ADVIES, advies: "MAVO" } }, "AFKEUR:ADVIES_ONGELDIG:schooladvies"],
    ["rule: a herzien advies follows a toets result", { ...G8, schooladvies: { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2020-05-28" } }, "AFKEUR:HERZIEN_ADVIES_ZONDER_TOETS:schooladvies"],
    ["rule: a herzien advies is given after the toets", { ...G8, eindtoets: TOETS, schooladvies: { ...ADVIES, herzienAdvies: "HAVO", herzienDatum: "2020-03-01" } }, "AFKEUR:HERZIEN_ADVIES_VOOR_TOETS:schooladvies"],
    ["rule: a herzien advies only raises the advies", { ...G8, eindtoets: TOETS, schooladvies: { ...ADVIES, herzienAdvies: "VMBO_KB", herzienDatum: "2020-05-28" } }, "AFKEUR:HERZIEN_ADVIES_NIET_HOGER:schooladvies"],
    ["rule: a toets gives either a toetsadvies or a reden", { ...G8, eindtoets: { ...TOETS, redenGeenToets: "ZIEKTE_NIET_INGEHAALD" } }, "AFKEUR:EINDTOETS_ONVOLLEDIG:eindtoets"],
    ["rule: advies dates within the enrolment", { ...G8, schooladvies: { ...ADVIES, datum: "2019-02-10" } }, "AFKEUR:ADVIES_DATUM_BUITEN_INSCHRIJVING:schooladvies"],
    ["rule: toets dates not in the future", { ...G8, eindtoets: { ...TOETS, afnamedatum: "2099-04-16" } }, "AFKEUR:EINDTOETS_DATUM_TOEKOMST:eindtoets"],
    ["rule: VVE only for WPO schools", { schoolsoort: "SO", onderwijssoort: "CLUSTER3", vve: false }, "AFKEUR:VVE_ALLEEN_WPO:vve"],
    ["rule: NNCA 0 for an ambulant begeleide leerling", { leerjaar: 0, klassenhistorie: [{ leerjaar: 0, groep: null, begindatum: "2019-08-15" }], nnca: true, ambulanteBegeleiding: { ondersteunendeVestiging: "00AA01", begindatum: "2019-08-15", ontvangendeVestiging: "78GH01" } }, "AFKEUR:NNCA_AMBULANT:nnca"],
    ["rule: klassenhistorie within the enrolment", { klassenhistorie: [{ leerjaar: 6, groep: "6A", begindatum: "2019-08-01" }] }, "AFKEUR:KLASSENHISTORIE_BUITEN_INSCHRIJVING:klassenhistorie"],
    ["rule: klassenhistorie one period per day, in order", { klassenhistorie: [{ leerjaar: 6, groep: "6A", begindatum: "2019-08-15" }, { leerjaar: 6, groep: "6B", begindatum: "2019-08-15" }] }, "AFKEUR:KLASSENHISTORIE_VOLGORDE:klassenhistorie"],
    ["rule: klassenhistorie periods name their leerjaar", { klassenhistorie: [{ leerjaar: null, groep: "6A", begindatum: "2019-08-15" }] }, "AFKEUR:KLASSENHISTORIE_LEERJAAR_ONTBREEKT:klassenhistorie"],
  ])("%s", (_name, i, expected) => {
    expect(codes(signalsFor({}, i))).toEqual([expected]);
  });

  it("rule: since the regeling ended a gewicht is not changed — a Wijziging onderwijsgegevens changing it is an afkeur", () => {
    const lvs = lvsSnapshot([leerling("1001")], [inschrijving("I1001", "1001", { inschrijfdatum: "2018-08-20", klassenhistorie: [{ leerjaar: 6, groep: null, begindatum: "2018-08-20" }], gewicht: 1.2 })]);
    const wijziging = action("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", { fields: [{ field: "gewicht", lvs: 1.2, bron: 0 }] });
    expect(codes(checkActions([wijziging], lvs, TODAY))).toEqual(["AFKEUR:GEWICHT_GEWIJZIGD_NA_EINDE:gewicht"]);
    const anders = action("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", { fields: [{ field: "vestiging", lvs: "00AA01", bron: "00AA02" }] });
    expect(checkActions([anders], lvs, TODAY)).toEqual([]);
  });
});

describe("checkActions", () => {
  it("a correct new enrolment gives no signals", () => {
    expect(signalsFor({})).toEqual([]);
  });

  it.each<[string, Partial<Leerling>, Partial<Inschrijving>, string]>([
    ["rule: BSN 11-test", { pgn: { soort: "BSN", nummer: "123456789" } }, {}, "AFKEUR:BSN_ONGELDIG:pgn"],
    ["rule: onderwijsnummer check", { pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310304" } }, {}, "AFKEUR:ONDERWIJSNUMMER_ONGELDIG:pgn"],
    ["rule: no PGN on a new enrolment is an attentie (BRON assigns an onderwijsnummer)", { pgn: null }, {}, "ATTENTIE:PGN_ONTBREEKT:pgn"],
    ["rule: required fields — achternaam", { achternaam: " " }, {}, "AFKEUR:ACHTERNAAM_ONTBREEKT:achternaam"],
    ["rule: required fields — voornamen empty is sent as '.'", { voornamen: "" }, {}, "ATTENTIE:VOORNAAM_ONTBREEKT:voornamen"],
    ["rule: required fields — reden uitschrijving", {}, { uitschrijfdatum: "2026-12-01", redenUitschrijving: null }, "AFKEUR:REDEN_UITSCHRIJVING_ONTBREEKT:redenUitschrijving"],
    ["rule: required fields — leerjaar", {}, { leerjaar: null }, "AFKEUR:LEERJAAR_ONTBREEKT:leerjaar"],
    ["rule: required fields — onderwijssoort for SO/VSO", {}, { schoolsoort: "SO", onderwijssoort: null }, "AFKEUR:ONDERWIJSSOORT_ONTBREEKT:onderwijssoort"],
    ["rule: date order inschrijf ≤ uitschrijf", {}, { uitschrijfdatum: "2019-08-14", redenUitschrijving: "VERHUIZING" }, "AFKEUR:DATUMVOLGORDE:uitschrijfdatum"],
    ["rule: geboortedatum plausible — under 2 on the inschrijfdatum is an afkeur", { geboortedatum: "2018-01-01" }, {}, "AFKEUR:GEBOORTEDATUM_ONWAARSCHIJNLIJK:geboortedatum"],
    ["rule: geboortedatum plausible — over 25 on the inschrijfdatum is an afkeur", { geboortedatum: "1990-01-01", onderwijsSinds: "1994-08-01" }, {}, "AFKEUR:GEBOORTEDATUM_ONWAARSCHIJNLIJK:geboortedatum"],
    ["rule: geboortedatum plausible — 2 years old is unusual (attentie)", { geboortedatum: "2017-03-14" }, {}, "ATTENTIE:GEBOORTEDATUM_ONGEBRUIKELIJK:geboortedatum"],
    ["rule: geboortedatum plausible — in the future is an afkeur", { geboortedatum: "2027-01-01", onderwijsSinds: "2027-02-01" }, {}, "AFKEUR:GEBOORTEDATUM_TOEKOMST:geboortedatum"],
    ["rule: NL postcode format (land 6030)", { adres: { straat: "Dorpsstraat", huisnummer: 1, toevoeging: null, postcode: "0123AB", plaats: "Utrecht", land: "6030" } }, {}, "AFKEUR:POSTCODE_ONGELDIG:adres.postcode"],
    ["rule: NL postcode required (land 6030)", { adres: { straat: "Dorpsstraat", huisnummer: 1, toevoeging: null, postcode: null, plaats: "Utrecht", land: "6030" } }, {}, "AFKEUR:POSTCODE_ONTBREEKT:adres.postcode"],
    ["rule: geslacht code O (onbekend) is an attentie", { geslacht: "O" }, {}, "ATTENTIE:GESLACHT_ONBEKEND:geslacht"],
    ["rule: leerjaar computable — Onderwijs Sinds filled", { onderwijsSinds: null }, {}, "AFKEUR:LEERJAAR_NIET_BEREKENBAAR:onderwijsSinds"],
    ["Onderwijs Sinds before the birth date", { onderwijsSinds: "2014-01-01" }, {}, "AFKEUR:ONDERWIJS_SINDS_ONGELDIG:onderwijsSinds"],
    ["vestiging of another BRIN", {}, { vestiging: "11BB01" }, "AFKEUR:VESTIGING_ANDER_BRIN:vestiging"],
    ["ambulante begeleiding needs groep 0", {}, { ambulanteBegeleiding: { ondersteunendeVestiging: "00AA01", begindatum: "2019-08-15", ontvangendeVestiging: "78GH01" } }, "AFKEUR:AMBULANT_ONVOLLEDIG:leerjaar"],
    ["TLV without bekostigingscategorie", {}, { schoolsoort: "SO", onderwijssoort: "CLUSTER3", indicaties: [{ soort: "TLV", begindatum: "2019-08-15", einddatum: "2027-07-31", categorie: null }] }, "ATTENTIE:TLV_CATEGORIE_ONTBREEKT:indicaties"],
    ["inschrijfdatum in the future", { geboortedatum: "2021-01-01", onderwijsSinds: "2026-12-01" }, { inschrijfdatum: "2026-12-01" }, "ATTENTIE:INSCHRIJFDATUM_TOEKOMST:inschrijfdatum"],
  ])("%s", (_name, l, i, expected) => {
    expect(codes(signalsFor(l, i))).toEqual([expected]);
  });

  it("rule: a postcode abroad (land ≠ 6030) is not checked against the NL format", () => {
    expect(signalsFor({ adres: { straat: "Meir", huisnummer: 1, toevoeging: null, postcode: "2000", plaats: "Antwerpen", land: "5010" } })).toEqual([]);
  });

  it("rule: geslacht must be a known code", () => {
    expect(codes(signalsFor({ geslacht: "X" as never }))).toEqual(["AFKEUR:GESLACHT_ONGELDIG:geslacht"]);
  });

  it("every signal has a stable code, an ernst, a Dutch text of at most 100 characters, the action id and a field", () => {
    const s = signalsFor({ pgn: { soort: "BSN", nummer: "1" }, geboortedatum: "1950-01-01", adres: null, onderwijsSinds: null, voornamen: "" }, { uitschrijfdatum: "2000-01-01", redenUitschrijving: null, vestiging: "99ZZ99", leerjaar: null });
    expect(s.length).toBeGreaterThan(6);
    for (const x of s) {
      expect(Signal.safeParse(x).success).toBe(true);
      expect(x.tekst.length).toBeLessThanOrEqual(100);
      expect(x.actionId).toBe("NIEUWE_INSCHRIJVING-1001");
      expect(x.field).not.toBeNull();
    }
  });

  it("checks what each action sends: an uitschrijving is not blocked by an address problem, a verwijdering and LVS-direction actions are not checked", () => {
    const badAdres = { straat: "", huisnummer: null, toevoeging: null, postcode: "12", plaats: "", land: "6030" };
    const lvs = lvsSnapshot([leerling("1001", { adres: badAdres })], [inschrijving("I1001", "1001", { uitschrijfdatum: "2026-12-01", redenUitschrijving: "VERHUIZING" })]);
    const acts = [action("UITSCHRIJVING"), action("VERWIJDERING_INSCHRIJVING", "2002", "I2002"), action("OVERNEMEN_ADRES_IN_LVS", "1001", null, { direction: "LVS" })];
    expect(checkActions(acts, lvs, TODAY)).toEqual([]);
    expect(codes(checkActions([action("WIJZIGING_SLEUTELGEGEVENS", "1001", null)], lvs, TODAY))).toEqual(["AFKEUR:POSTCODE_ONGELDIG:adres.postcode", "AFKEUR:HUISNUMMER_ONTBREEKT:adres.huisnummer", "AFKEUR:ADRES_ONVOLLEDIG:adres.straat"]);
  });

  it("rule: an identificatieverzoek needs an address, and is pointless for a pupil with a valid BSN", () => {
    expect(codes(signalsFor({ pgn: null, adres: null }, {}, "IDENTIFICATIEVERZOEK"))).toEqual(["AFKEUR:ADRES_ONTBREEKT:adres"]);
    expect(codes(signalsFor({}, {}, "IDENTIFICATIEVERZOEK"))).toEqual(["ATTENTIE:IDENTIFICATIE_OVERBODIG:pgn"]);
  });

  it("a pupil or enrolment no longer in LVS2000 is an afkeur", () => {
    const lvs = lvsSnapshot([leerling("1001")], []);
    expect(codes(checkActions([action("NIEUWE_INSCHRIJVING", "9999", "I9999")], lvs, TODAY))).toEqual(["AFKEUR:LEERLING_ONBEKEND:null"]);
    expect(codes(checkActions([action("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I9999")], lvs, TODAY))).toEqual(["AFKEUR:INSCHRIJVING_ONBEKEND:null"]);
  });

  it("rule: an afkeur blocks only its own action; attentie does not block", () => {
    const lvs = lvsSnapshot(
      [leerling("1001"), leerling("1002", { pgn: { soort: "BSN", nummer: "123456789" } }), leerling("1003", { pgn: null })],
      [inschrijving("I1001", "1001"), inschrijving("I1002", "1002"), inschrijving("I1003", "1003")],
    );
    const acts = [action("NIEUWE_INSCHRIJVING", "1001", "I1001"), action("NIEUWE_INSCHRIJVING", "1002", "I1002"), action("NIEUWE_INSCHRIJVING", "1003", "I1003")];
    const signals = checkActions(acts, lvs, TODAY);
    expect(sendableActions(acts, signals).map((a) => a.leerlingId)).toEqual(["1001", "1003"]);
  });
});

describe("checkCertificate", () => {
  it("rule: sending requires a certificate — missing is an afkeur", () => {
    expect(checkCertificate(null, TODAY)).toMatchObject([{ code: "CERTIFICAAT_ONTBREEKT", ernst: "AFKEUR", actionId: null }]);
  });
  it("rule: sending requires a valid certificate — expired is an afkeur (also at send time, to the second)", () => {
    expect(checkCertificate({ notAfter: "2026-11-27T23:59:59Z" }, TODAY)).toMatchObject([{ code: "CERTIFICAAT_VERLOPEN", ernst: "AFKEUR" }]);
    expect(checkCertificate({ notAfter: "2026-11-28T12:00:00Z" }, "2026-11-28T12:00:01Z")).toMatchObject([{ code: "CERTIFICAAT_VERLOPEN" }]);
  });
  it("not yet valid is an afkeur, unreadable too; expiring within 30 days an attentie; otherwise nothing", () => {
    expect(checkCertificate({ notAfter: "2028-01-01T00:00:00Z", notBefore: "2026-11-29T00:00:00Z" }, TODAY)).toMatchObject([{ code: "CERTIFICAAT_NOG_NIET_GELDIG", ernst: "AFKEUR" }]);
    expect(checkCertificate({ notAfter: "gisteren" }, TODAY)).toMatchObject([{ code: "CERTIFICAAT_ONGELDIG", ernst: "AFKEUR" }]);
    expect(checkCertificate({ notAfter: "2026-12-20T00:00:00Z" }, TODAY)).toMatchObject([{ code: "CERTIFICAAT_VERLOOPT_BINNENKORT", ernst: "ATTENTIE" }]);
    expect(checkCertificate({ notAfter: "2028-01-01T00:00:00Z", notBefore: "2026-01-01T00:00:00Z" }, TODAY)).toEqual([]);
  });
});

describe("checkActions on arbitrary data", () => {
  it("property: never throws; every signal is valid, ≤ 100 characters, about an action given; sendable = no afkeur", () => {
    const date = fc.integer({ min: 0, max: 365 * 40 }).map((d) => new Date(Date.UTC(1995, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const pupil = fc.record({
      pgn: fc.option(fc.record({ soort: fc.constantFrom("BSN" as const, "ONDERWIJSNUMMER" as const), nummer: fc.stringMatching(/^\d{1,10}$/) })),
      voornamen: fc.constantFrom("", "Daan", "Emma Sophie"),
      geslacht: fc.constantFrom("M" as const, "V" as const, "O" as const),
      geboortedatum: date,
      onderwijsSinds: fc.option(date),
      postcode: fc.option(fc.constantFrom("3511AB", "3511 ab", "0123AB", "3511SS", "12345", "")),
      land: fc.constantFrom("6030", "5010"),
    });
    const enrolment = fc.record({ inschrijfdatum: date, uitschrijfdatum: fc.option(date), leerjaar: fc.option(fc.integer({ min: 0, max: 8 })), schoolsoort: fc.constantFrom("BAO" as const, "SO" as const, "VSO" as const) });
    fc.assert(
      fc.property(fc.array(fc.tuple(pupil, enrolment, fc.constantFrom<ActionType>("NIEUWE_INSCHRIJVING", "UITSCHRIJVING", "WIJZIGING_SLEUTELGEGEVENS", "IDENTIFICATIEVERZOEK", "WIJZIGING_ONDERWIJSGEGEVENS")), { maxLength: 8 }), (rows) => {
        const ls = rows.map(([p], n) => leerling(String(n), { ...p, adres: { straat: "Dorpsstraat", huisnummer: 1, toevoeging: null, postcode: p.postcode, plaats: "Utrecht", land: p.land } }));
        const is = rows.map(([, e], n) => inschrijving(`I${n}`, String(n), { ...e, redenUitschrijving: e.uitschrijfdatum ? "VERHUIZING" : null }));
        const pupilLevel = (t: ActionType) => t === "WIJZIGING_SLEUTELGEGEVENS" || t === "IDENTIFICATIEVERZOEK";
        const acts = rows.map(([, , type], n) => action(type, String(n), pupilLevel(type) ? null : `I${n}`, { id: `A${n}` }));
        const signals = checkActions(acts, lvsSnapshot(ls, is), TODAY);
        for (const s of signals) {
          expect(Signal.safeParse(s).success).toBe(true);
          expect(s.tekst.length).toBeLessThanOrEqual(100);
          expect(acts.some((a) => a.id === s.actionId)).toBe(true);
        }
        const blocked = new Set(signals.filter((s) => s.ernst === "AFKEUR").map((s) => s.actionId));
        expect(sendableActions(acts, signals).map((a) => a.id)).toEqual(acts.filter((a) => !blocked.has(a.id)).map((a) => a.id));
      }),
      { numRuns: 300 },
    );
  });
});
