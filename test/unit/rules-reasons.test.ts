import { describe, expect, it } from "vitest";
import { fieldList, reasonFor } from "../../src/core/action-reasons.js";
import { determineActions } from "../../src/core/determine-actions.js";
import type { FieldDiff } from "../../src/core/model.js";
import { EMPTY_MIRROR, NO_MEMORY, TODAY, inStep, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";

/**
 * Each action is explained to the administrator in Dutch, in the words of the manual (ch. 5), naming the
 * differing fields and the dates that matter — never a BSN or a name, because reasons reach logs.
 */

const f = (...names: string[]): FieldDiff[] => names.map((field) => ({ field, lvs: "geheim-lvs", bron: "geheim-bron" }));

describe("rule: the differing fields are named in Dutch, in the order found", () => {
  it("known fields by their Dutch name, unknown ones as they are", () => {
    expect(fieldList(f("leerjaar", "redenUitschrijving", "soortVerblijf", "ambulanteBegeleiding", "bekostigd", "pgn"))).toBe("leerjaar/groep, reden uitschrijving, soort verblijf, ambulante begeleiding, bekostiging, PGN");
    expect(fieldList(f("adres.straat", "adres.postcode", "iets"))).toBe("straat, postcode, iets");
    expect(fieldList([])).toBe("");
  });
});

describe("rule: every action type has its reason in the manual's words", () => {
  it("Nieuwe melding inschrijving: enrolled in LVS2000 but not in BRON, with the inschrijfdatum", () => {
    expect(reasonFor({ type: "NIEUWE_INSCHRIJVING", fields: [], today: TODAY, inschrijfdatum: "2026-11-20" })).toBe(
      "Leerling staat ingeschreven in LVS2000 (per 2026-11-20) maar niet in BRON: nieuwe melding inschrijving.",
    );
    expect(reasonFor({ type: "NIEUWE_INSCHRIJVING", fields: [], today: TODAY })).toBe("Leerling staat ingeschreven in LVS2000 (per ?) maar niet in BRON: nieuwe melding inschrijving.");
  });

  it("a past deregistration BRON does not know is delivered whole, the uitschrijving included", () => {
    expect(reasonFor({ type: "NIEUWE_INSCHRIJVING", fields: [], today: TODAY, inschrijfdatum: "2012-08-01", uitschrijfdatum: "2016-07-31" })).toBe(
      "Inschrijving (uitgeschreven per 2016-07-31) is niet bekend in BRON: de volledige inschrijving inclusief uitschrijving wordt aangeleverd.",
    );
  });

  it("Uitschrijving: past or today 'is uitgeschreven', in the future 'wordt uitgeschreven'", () => {
    expect(reasonFor({ type: "UITSCHRIJVING", fields: [], today: TODAY, uitschrijfdatum: "2026-11-29" })).toBe(
      "Leerling wordt in LVS2000 uitgeschreven per 2026-11-29 en staat in BRON nog ingeschreven: uitschrijving doorgeven.",
    );
    expect(reasonFor({ type: "UITSCHRIJVING", fields: [], today: TODAY, uitschrijfdatum: TODAY })).toBe(
      "Leerling is in LVS2000 uitgeschreven per 2026-11-28 maar staat in BRON nog ingeschreven: uitschrijving doorgeven.",
    );
    expect(reasonFor({ type: "UITSCHRIJVING", fields: [], today: TODAY, uitschrijfdatum: "2026-11-01" })).toBe(
      "Leerling is in LVS2000 uitgeschreven per 2026-11-01 maar staat in BRON nog ingeschreven: uitschrijving doorgeven.",
    );
    expect(reasonFor({ type: "UITSCHRIJVING", fields: [], today: TODAY })).toBe("Leerling is in LVS2000 uitgeschreven per ? maar staat in BRON nog ingeschreven: uitschrijving doorgeven.");
  });

  it("Uitschrijving BRON already has with other data: a corrected uitschrijving, asked", () => {
    expect(reasonFor({ type: "UITSCHRIJVING", fields: f("uitschrijfdatum"), today: TODAY, uitschrijfdatum: "2026-12-31", bronUitgeschreven: true })).toBe(
      "Uitschrijfgegevens in LVS2000 wijken af van BRON (uitschrijfdatum): de gecorrigeerde uitschrijving doorgeven aan BRON?",
    );
  });

  it("the other types, naming their differing fields", () => {
    expect(reasonFor({ type: "VERWIJDERING_INSCHRIJVING", fields: f("vestiging"), today: TODAY })).toBe("Inschrijving staat in BRON maar is niet bekend in LVS2000: verwijdering inschrijving doorgeven aan BRON?");
    expect(reasonFor({ type: "CORRECTIE_INSCHRIJFDATUM", fields: f("inschrijfdatum", "leerjaar"), today: TODAY })).toBe(
      "Inschrijfdatum in LVS2000 wijkt af van BRON (inschrijfdatum, leerjaar/groep): de foutieve inschrijving in BRON verwijderen en de juiste aanleveren?",
    );
    expect(reasonFor({ type: "WIJZIGING_SLEUTELGEGEVENS", fields: f("pgn", "achternaam"), today: TODAY })).toBe(
      "Sleutel- of persoonsgegevens wijken af (PGN, achternaam): doorgeven aan BRON of de gegevens uit BRON overnemen in LVS2000?",
    );
    expect(reasonFor({ type: "WIJZIGING_ONDERWIJSGEGEVENS", fields: f("vestiging"), today: TODAY })).toBe(
      "Onderwijsgegevens in LVS2000 wijken af van BRON (vestiging): wijziging onderwijsgegevens doorgeven aan BRON?",
    );
    expect(reasonFor({ type: "OVERNEMEN_ADRES_IN_LVS", fields: f("adres.plaats"), today: TODAY })).toBe(
      "Adres volgens de GBA (via BRON) wijkt af van LVS2000 (plaats): adresgegevens overnemen in LVS2000?",
    );
    expect(reasonFor({ type: "IDENTIFICATIEVERZOEK", fields: [], today: TODAY })).toBe("Identificatieverzoek: BRON vragen of de leerling bekend is (BSN of onderwijsnummer).");
  });

  it("no reason ever holds a value of a field", () => {
    for (const type of ["NIEUWE_INSCHRIJVING", "UITSCHRIJVING", "VERWIJDERING_INSCHRIJVING", "CORRECTIE_INSCHRIJFDATUM", "WIJZIGING_SLEUTELGEGEVENS", "WIJZIGING_ONDERWIJSGEGEVENS", "OVERNEMEN_ADRES_IN_LVS", "IDENTIFICATIEVERZOEK"] as const) {
      expect(reasonFor({ type, fields: f("pgn", "achternaam"), today: TODAY })).not.toMatch(/geheim/);
    }
  });
});

describe("determined actions carry their reason", () => {
  it("a first delivery of a deregistered pupil says it is delivered with its uitschrijving; an active one gives its inschrijfdatum", () => {
    const p = inStep();
    const q = inStep("1002");
    const lvs = lvsSnapshot([p.l, q.l], [{ ...p.i, uitschrijfdatum: "2016-07-31", redenUitschrijving: "VERHUIZING" }, q.i]);
    const r = determineActions(lvs, EMPTY_MIRROR, NO_MEMORY, TODAY);
    expect(r.ok && r.actions.map((a) => a.reason)).toEqual([
      "Inschrijving (uitgeschreven per 2016-07-31) is niet bekend in BRON: de volledige inschrijving inclusief uitschrijving wordt aangeleverd.",
      "Leerling staat ingeschreven in LVS2000 (per 2019-08-15) maar niet in BRON: nieuwe melding inschrijving.",
    ]);
  });

  it("an uitschrijving in the future says 'wordt uitgeschreven'", () => {
    const p = inStep();
    const r = determineActions(lvsSnapshot([p.l], [{ ...p.i, uitschrijfdatum: "2026-12-31", redenUitschrijving: "VERHUIZING" }]), mirrorOf([p.bl], [p.bi]), NO_MEMORY, TODAY);
    expect(r.ok && r.actions.map((a) => [a.type, a.reason])).toEqual([
      ["UITSCHRIJVING", "Leerling wordt in LVS2000 uitgeschreven per 2026-12-31 en staat in BRON nog ingeschreven: uitschrijving doorgeven."],
    ]);
  });
});
