import { describe, expect, it } from "vitest";
import { maskAction, maskNaam, maskNummer } from "../../src/core/masking.js";
import type { Action } from "../../src/core/model.js";

describe("privacy: personal data is masked in lists", () => {
  it("a BSN keeps only its last four digits", () => expect(maskNummer("123456782")).toBe("•••••6782"));
  it("a name keeps only its initials", () => expect(maskNaam("Jan  Pieter")).toBe("J. P."));
  it("an action's personal fields are masked, its other fields are not", () => {
    const action: Action = {
      id: "a", type: "WIJZIGING_SLEUTELGEGEVENS", direction: "BRON", needsDecision: true, decision: null, manual: false, aanleverpunt: "12AB00", leerlingId: "L1", inschrijvingId: null,
      fields: [
        { field: "pgn", lvs: { soort: "BSN", nummer: "123456782" }, bron: null },
        { field: "achternaam", lvs: "Vries", bron: "Vriens" },
        { field: "geboortedatum", lvs: "2015-01-01", bron: "2015-01-02" },
        { field: "leerjaar", lvs: 3, bron: 4 },
        { field: "adres.straat", lvs: "Dorpsstraat", bron: "Kerkstraat" },
        { field: "adres.postcode", lvs: "1234AB", bron: "1234AC" },
        { field: "adres.land", lvs: "6030", bron: "5010" },
      ],
      fingerprint: "f", deadline: null, reason: "r", status: "OPEN",
    };
    const masked = JSON.stringify(maskAction(action));
    expect(masked).not.toContain("123456782");
    expect(masked).not.toContain("Vries");
    expect(masked).not.toContain("2015-01-0");
    expect(masked).not.toContain("Dorpsstraat");
    expect(masked).not.toContain("Kerkstraat");
    expect(masked).not.toContain("1234A");
    expect(maskAction(action).fields[3]).toEqual({ field: "leerjaar", lvs: 3, bron: 4 });
    expect(maskAction(action).fields[6]).toEqual({ field: "adres.land", lvs: "6030", bron: "5010" });
  });

  it("nationalities and the culturele achtergrond (NNCA) speak of origin: lists mask them; the other exchanged fields show", () => {
    const base = { id: "b", direction: "BRON" as const, needsDecision: true, decision: null, manual: false, aanleverpunt: "12AB00", leerlingId: "L1", fingerprint: "f", deadline: null, reason: "r", status: "OPEN" as const };
    const sleutel: Action = { ...base, type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: null, fields: [{ field: "nationaliteiten", lvs: ["0001", "0052"], bron: ["0001"] }] };
    const onderwijs: Action = {
      ...base, type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1",
      fields: [{ field: "nnca", lvs: true, bron: false }, { field: "schooladvies", lvs: { advies: "HAVO", datum: "2027-01-20", herzienAdvies: null, herzienDatum: null }, bron: null }],
    };
    expect(maskAction(sleutel).fields).toEqual([{ field: "nationaliteiten", lvs: "•••", bron: "•••" }]);
    expect(maskAction(onderwijs).fields[0]).toEqual({ field: "nnca", lvs: "•••", bron: "•••" });
    expect(maskAction(onderwijs).fields[1]).toEqual(onderwijs.fields[1]);
  });
});
