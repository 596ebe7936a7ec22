import { describe, expect, it } from "vitest";
import { actionListView, applicableKeuzes, toActionView } from "../../src/core/action-view.js";
import type { Action, BronMirror, LvsSnapshot, Signal } from "../../src/core/model.js";
import { pupilOverview } from "../../src/core/pupil-overview.js";

const action = (over: Partial<Action>): Action => ({
  id: "a1", type: "WIJZIGING_ONDERWIJSGEGEVENS", direction: "BRON", needsDecision: true, decision: null, manual: false, aanleverpunt: "12AB00", leerlingId: "L1", inschrijvingId: "I1",
  fields: [], fingerprint: "f", deadline: null, reason: "r", status: "OPEN", ...over,
}) as Action;

describe("beheerpagina: the action list", () => {
  it.each([
    ["WIJZIGING_ONDERWIJSGEGEVENS", ["NEGEREN", "NAAR_BRON"]],
    ["WIJZIGING_SLEUTELGEGEVENS", ["NEGEREN", "NAAR_BRON", "NAAR_LVS"]],
    ["OVERNEMEN_ADRES_IN_LVS", ["NEGEREN", "NAAR_LVS"]],
  ] as const)("a waiting %s is offered only the decisions that apply: %j", (type, keuzes) => {
    expect(applicableKeuzes(action({ type }))).toEqual(keuzes);
  });

  it("an action that goes ahead by itself, or was sent, is offered no decision", () => {
    expect(applicableKeuzes(action({ needsDecision: false, decision: null }))).toEqual([]);
    expect(applicableKeuzes(action({ status: "IN_BEHANDELING" }))).toEqual([]);
  });

  it("the deadline is seen from today: past due is 'verlopen', and a sent action has none left to meet", () => {
    const deadline = { windowDays: 7 as const, since: "2026-11-01", due: "2026-11-08", daysLeft: 7 };
    expect(toActionView(action({ deadline }), [], "2026-11-10").deadline).toEqual({ due: "2026-11-08", daysLeft: -2, status: "VERLOPEN" });
    expect(toActionView(action({ deadline }), [], "2026-11-06").deadline?.status).toBe("BIJNA_VERLOPEN");
    expect(toActionView(action({ deadline, status: "IN_BEHANDELING" }), [], "2026-11-10").deadline).toBeNull();
  });

  it("privacy: numbers, names and address parts in the differences are masked; the country is not", () => {
    const fields = [
      { field: "pgn", lvs: { soort: "BSN", nummer: "123456782" }, bron: null },
      { field: "achternaam", lvs: "Jansen", bron: "Janssen" },
      { field: "adres.straat", lvs: "Dorpsstraat", bron: "Kerkstraat" },
      { field: "adres.postcode", lvs: "1234AB", bron: null },
      { field: "adres.land", lvs: "6030", bron: "5010" },
    ];
    const text = JSON.stringify(toActionView(action({ fields }), [], "2026-11-10"));
    for (const secret of ["123456782", "Jansen", "Dorpsstraat", "Kerkstraat", "1234AB"]) expect(text).not.toContain(secret);
    expect(text).toContain("6030");
  });

  it("the 'Toon' filter shows waiting, afgekeurd or in behandeling actions, with the count of each; signals go with their action", () => {
    const actions = [action({ id: "w" }), action({ id: "x", status: "AFGEKEURD" }), action({ id: "y", status: "IN_BEHANDELING" }), action({ id: "z", needsDecision: false, decision: null })];
    const signals: Signal[] = [{ code: "C1", ernst: "AFKEUR", tekst: "BRON weigerde", actionId: "x", field: null }];
    const view = actionListView(actions, signals, "2026-11-10", "AFGEKEURD");
    expect(view.acties.map((a) => a.id)).toEqual(["x"]);
    expect(view.acties[0]?.signalen).toEqual([{ code: "C1", ernst: "AFKEUR", tekst: "BRON weigerde", field: null, herstel: expect.stringContaining("LVS2000") }]);
    expect(view.telling).toEqual({ AANDACHT: 2, WACHT_OP_BESLISSING: 1, GEBLOKKEERD: 0, AFGEKEURD: 1, TERMIJN: 0, IN_BEHANDELING: 1, ALLE: 4 });
  });
});

describe("beheerpagina: Overzicht leerlingen", () => {
  const persoon = { voornamen: "Anna", voorvoegsels: "de", achternaam: "Vries", geslacht: "V" as const, geboortedatum: "2015-03-01" };
  const lvs: LvsSnapshot = {
    aanleverpunt: "12AB00",
    leerlingen: [
      { id: "L2", ...persoon, pgn: null, adres: null, nationaliteiten: [], onderwijsSinds: null },
      { id: "L1", ...persoon, pgn: { soort: "BSN", nummer: "123456782" }, adres: null, nationaliteiten: [], onderwijsSinds: null },
      { id: "L3", ...persoon, pgn: null, adres: null, nationaliteiten: [], onderwijsSinds: null },
    ],
    inschrijvingen: ["L1", "L2"].map((l) => ({
      id: `I-${l}`, leerlingId: l, aanleverpunt: "12AB00", inschrijfdatum: "2020-08-20", uitschrijfdatum: null, redenUitschrijving: null, vestiging: "12AB00", schoolsoort: "BAO" as const,
      onderwijssoort: null, leerjaar: 4, soortVerblijf: null, indicaties: [], ambulanteBegeleiding: null, bekostigd: true,
      klassenhistorie: [{ leerjaar: 4, groep: "4A", begindatum: "2020-08-20" }], nnca: false, gewicht: null, vve: null, eindtoets: null, schooladvies: null,
    })),
  };
  const mirror: BronMirror = {
    aanleverpunt: "12AB00", peildatum: null, overzichtDatum: null, historisch: [], inschrijvingen: [], dubbeleInschrijvingen: [],
    leerlingen: [{ leerlingId: "L1", ...persoon, pgn: { soort: "BSN", nummer: "123456782" }, gbaAdres: null, nationaliteiten: [] }],
  };

  it("lists enrolled pupils with LvsNaam, BronNaam and Pgn masked, sorted by leerlingnummer", () => {
    const rows = pupilOverview(lvs, mirror, "ALLE");
    expect(rows).toEqual([
      { leerlingId: "L1", lvsNaam: "A. d. V.", bronNaam: "A. d. V.", pgn: { soort: "BSN", nummer: "•••••6782" }, gekoppeld: true },
      { leerlingId: "L2", lvsNaam: "A. d. V.", bronNaam: null, pgn: null, gekoppeld: false },
    ]);
  });

  it("'Toon: nog niet gekoppeld met BRON' shows only pupils BRON does not know", () => {
    expect(pupilOverview(lvs, mirror, "NIET_GEKOPPELD").map((r) => r.leerlingId)).toEqual(["L2"]);
  });
});
