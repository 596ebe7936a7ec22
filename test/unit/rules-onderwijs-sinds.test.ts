import { describe, expect, it } from "vitest";
import { value } from "../../src/core/display-value.js";
import type { Inschrijving } from "../../src/core/model.js";
import { entryGroep, fourthBirthday, proposeOnderwijsSinds, schoolYearStart, withoutOnderwijsSinds } from "../../src/core/onderwijs-sinds.js";
import { inschrijving, leerling, lvsSnapshot } from "./determine-actions.fixtures.js";

/**
 * Onderwijs Sinds (manual ch. 4, Instellingen; docs/beheerpagina.md): the proposal for a pupil whose
 * field is empty, part by part, with the reason ("grond") the person confirming it reads.
 */

const TODAY = "2026-11-28";
const ins = (over: Partial<Inschrijving>) => inschrijving("I1", "1", { klassenhistorie: [], ...over });
const kind = (geboortedatum: string) => leerling("1", { geboortedatum, onderwijsSinds: null });

describe("rule: a child may go to school from the day it turns 4", () => {
  it("born on 29 February: the 4th birthday is 29 February in a leap year, else 1 March (century years only when divisible by 400)", () => {
    expect(fourthBirthday("2016-02-29")).toBe("2020-02-29");
    expect(fourthBirthday("1996-02-29")).toBe("2000-02-29");
    expect(fourthBirthday("2096-02-29")).toBe("2100-03-01");
    expect(fourthBirthday("2015-03-14")).toBe("2019-03-14");
    expect(fourthBirthday("2015-02-28")).toBe("2019-02-28");
  });

  it("a school year opens on 1 August", () => {
    expect(schoolYearStart("2020-07-31")).toBe("2019-08-01");
    expect(schoolYearStart("2020-08-01")).toBe("2020-08-01");
    expect(schoolYearStart("2020-12-31")).toBe("2020-08-01");
  });
});

describe("rule: the groep the pupil entered the enrolment in", () => {
  it("the first period of the klassenhistorie that names a leerjaar, whatever the order LVS2000 gives", () => {
    const k = [
      { leerjaar: 5, groep: "5A", begindatum: "2021-08-20" },
      { leerjaar: null, groep: "?", begindatum: "2020-08-20" },
      { leerjaar: 4, groep: "4A", begindatum: "2020-09-01" },
    ];
    expect(entryGroep({ inschrijfdatum: "2020-08-20", leerjaar: 6, klassenhistorie: k }, TODAY)).toBe(4);
  });

  it("without history: today's leerjaar counted back one per school year since the inschrijfdatum, never below 1", () => {
    expect(entryGroep({ inschrijfdatum: "2024-09-01", leerjaar: 5, klassenhistorie: [] }, TODAY)).toBe(3);
    expect(entryGroep({ inschrijfdatum: "2018-09-01", leerjaar: 5, klassenhistorie: [] }, TODAY)).toBe(1);
    expect(entryGroep({ inschrijfdatum: "2026-09-01", leerjaar: 5, klassenhistorie: [] }, TODAY)).toBe(5);
    expect(entryGroep({ inschrijfdatum: "2027-09-01", leerjaar: 5, klassenhistorie: [] }, TODAY)).toBe(5);
  });

  it("no leerjaar: unknown; groep 0 (ambulant): 0; a row without a history field counts as none", () => {
    expect(entryGroep({ inschrijfdatum: "2024-09-01", leerjaar: null, klassenhistorie: [] }, TODAY)).toBeNull();
    expect(entryGroep({ inschrijfdatum: "2024-09-01", leerjaar: 0, klassenhistorie: [] }, TODAY)).toBe(0);
    expect(entryGroep({ inschrijfdatum: "2024-09-01", leerjaar: 5, klassenhistorie: undefined as never }, TODAY)).toBe(3);
    expect(entryGroep({ inschrijfdatum: "2024-09-01", leerjaar: 5, klassenhistorie: [{ leerjaar: null, groep: "x", begindatum: "2024-09-01" }] }, TODAY)).toBe(3);
  });
});

describe("rule: the proposal and its reason", () => {
  it("no enrolment: the 4th birthday", () => {
    expect(proposeOnderwijsSinds(kind("2016-05-05"), [], TODAY)).toEqual({ leerlingId: "1", rowVersion: null, voorstel: "2020-05-05", grond: "Geen inschrijving in LVS2000: de dag waarop de leerling 4 jaar werd.", inschrijvingId: null });
  });

  it("the first enrolment of this pupil decides: the earliest, on the same day the lowest id; other pupils' enrolments do not count", () => {
    const mine = [ins({ id: "I9", inschrijfdatum: "2021-08-20", leerjaar: 1 }), ins({ id: "I2", inschrijfdatum: "2020-08-20", leerjaar: 1 }), ins({ id: "I1", inschrijfdatum: "2020-08-20", leerjaar: 1 })];
    const other = inschrijving("X", "2", { inschrijfdatum: "2019-08-20", leerjaar: 1, klassenhistorie: [] });
    expect(proposeOnderwijsSinds(kind("2016-05-05"), [other, ...mine], TODAY)).toMatchObject({ voorstel: "2020-08-20", inschrijvingId: "I1" });
  });

  it("entered in groep 1: the inschrijfdatum", () => {
    expect(proposeOnderwijsSinds(kind("2016-05-05"), [ins({ inschrijfdatum: "2020-09-01", leerjaar: 1, klassenhistorie: [{ leerjaar: 1, groep: null, begindatum: "2020-09-01" }] })], TODAY)).toMatchObject({
      voorstel: "2020-09-01",
      grond: "Eerste inschrijving in groep 1: de inschrijfdatum van die inschrijving.",
    });
  });

  it("entered in groep 2: groep 1 began one school year earlier on 1 August; in groep 3: two school years", () => {
    const k = (leerjaar: number) => [{ leerjaar, groep: null, begindatum: "2022-09-01" }];
    expect(proposeOnderwijsSinds(kind("2016-05-05"), [ins({ inschrijfdatum: "2022-09-01", leerjaar: 2, klassenhistorie: k(2) })], TODAY)).toMatchObject({
      voorstel: "2021-08-01",
      grond: "Eerste inschrijving in groep 2: groep 1 begon 1 schooljaar eerder, op 1 augustus van dat schooljaar.",
    });
    expect(proposeOnderwijsSinds(kind("2016-05-05"), [ins({ inschrijfdatum: "2022-09-01", leerjaar: 3, klassenhistorie: k(3) })], TODAY)).toMatchObject({
      voorstel: "2020-08-01",
      grond: "Eerste inschrijving in groep 3: groep 1 begon 2 schooljaren eerder, op 1 augustus van dat schooljaar.",
    });
  });

  it("when the 4th birthday is later than that 1 August, the 4th birthday, and the reason says so", () => {
    expect(proposeOnderwijsSinds(kind("2017-10-01"), [ins({ inschrijfdatum: "2022-09-01", leerjaar: 2, klassenhistorie: [{ leerjaar: 2, groep: null, begindatum: "2022-09-01" }] })], TODAY)).toMatchObject({
      voorstel: "2021-10-01",
      grond: "Eerste inschrijving in groep 2: groep 1 begon 1 schooljaar eerder, op de dag waarop de leerling 4 jaar werd (later dan 1 augustus van dat schooljaar).",
    });
  });

  it("VSO or ambulante begeleiding: the 4th birthday, and the reason names which", () => {
    expect(proposeOnderwijsSinds(kind("2010-05-05"), [ins({ schoolsoort: "VSO", inschrijfdatum: "2023-08-20", leerjaar: 2, klassenhistorie: [{ leerjaar: 2, groep: null, begindatum: "2023-08-20" }] })], TODAY)).toMatchObject({
      voorstel: "2014-05-05",
      grond: "Eerste inschrijving in het voortgezet speciaal onderwijs: de dag waarop de leerling 4 jaar werd.",
    });
    expect(proposeOnderwijsSinds(kind("2010-05-05"), [ins({ inschrijfdatum: "2020-09-01", leerjaar: 0 })], TODAY)).toMatchObject({
      voorstel: "2014-05-05",
      grond: "Eerste inschrijving in ambulante begeleiding: de dag waarop de leerling 4 jaar werd.",
    });
  });

  it("never after the first inschrijfdatum, never after today, never before the birth date", () => {
    expect(proposeOnderwijsSinds(kind("2019-05-05"), [ins({ schoolsoort: "VSO", inschrijfdatum: "2022-09-01", leerjaar: 1 })], TODAY).voorstel).toBe("2022-09-01");
    expect(proposeOnderwijsSinds(kind("2024-05-05"), [], TODAY).voorstel).toBe(TODAY);
  });

  it("carries the row version LVS2000 gave, so a write over a changed row is refused", () => {
    expect(proposeOnderwijsSinds({ ...kind("2016-05-05"), rowVersion: "rv-9" }, [], TODAY).rowVersion).toBe("rv-9");
  });
});

describe("rule: the list of pupils without Onderwijs Sinds", () => {
  it("every enrolled pupil with an empty field, by leerlingnummer, each judged on all of its own enrolments", () => {
    const lvs = lvsSnapshot(
      [leerling("3", { onderwijsSinds: null }), leerling("1", { onderwijsSinds: null }), leerling("2", { onderwijsSinds: "2019-08-15" }), leerling("4", { onderwijsSinds: null })],
      [inschrijving("I3b", "3", { inschrijfdatum: "2021-08-20", leerjaar: 1, klassenhistorie: [] }), inschrijving("I1", "1", { inschrijfdatum: "2020-08-20", leerjaar: 1, klassenhistorie: [] }), inschrijving("I3a", "3", { inschrijfdatum: "2020-08-20", leerjaar: 1, klassenhistorie: [] }), inschrijving("I2", "2")],
    );
    expect(withoutOnderwijsSinds(lvs, TODAY).map((p) => [p.leerlingId, p.inschrijvingId])).toEqual([
      ["1", "I1"],
      ["3", "I3a"],
    ]);
  });
});

describe("rule: a field value as short Dutch text (exports)", () => {
  it("nothing is a dash; yes/no in Dutch; an empty list is 'geen'; a list joined by semicolons", () => {
    expect([value(null), value(undefined), value("")]).toEqual(["—", "—", "—"]);
    expect([value(true), value(false)]).toEqual(["ja", "nee"]);
    expect(value([])).toBe("geen");
    expect(value(["0001", "0052"])).toBe("0001; 0052");
    expect(value(6)).toBe("6");
    expect(value("5B")).toBe("5B");
  });

  it("a PGN as its kind and number; another object as its filled parts", () => {
    expect(value({ soort: "BSN", nummer: "123456782" })).toBe("BSN 123456782");
    expect(value({ leerjaar: 5, groep: null, begindatum: "2020-08-20" })).toBe("leerjaar: 5, begindatum: 2020-08-20");
    expect(value([{ leerjaar: 5, groep: "5A" }, { leerjaar: 6, groep: "6A" }])).toBe("leerjaar: 5, groep: 5A; leerjaar: 6, groep: 6A");
    expect(value({ soort: "TLV", categorie: "LAAG" })).toBe("soort: TLV, categorie: LAAG");
  });
});
