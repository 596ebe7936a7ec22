import { describe, expect, it } from "vitest";
import { actionListView } from "../../src/core/action-view.js";
import { deadlineOverview, decisionDetail, filterAudit, overzichtView, pupilDetail, type AuditRow } from "../../src/core/beheer-views.js";
import { csvField, parseCsv, toCsv } from "../../src/core/csv.js";
import { fixHint } from "../../src/core/fix-hints.js";
import { dailyRunDue, dutchHour, Instellingen } from "../../src/core/instellingen.js";
import type { Action, Adres, BronMirror, Inschrijving, Leerling, LvsSnapshot, Signal } from "../../src/core/model.js";
import { entryGroep, fourthBirthday, proposeOnderwijsSinds, schoolYearStart, withoutOnderwijsSinds } from "../../src/core/onderwijs-sinds.js";

const AP = "12AB00";
const action = (over: Partial<Action>): Action =>
  ({
    id: "a1", type: "WIJZIGING_ONDERWIJSGEGEVENS", direction: "BRON", needsDecision: false, decision: null, manual: false, aanleverpunt: AP, leerlingId: "L1", inschrijvingId: "I1",
    fields: [], fingerprint: "f", deadline: null, reason: "r", status: "OPEN", ...over,
  }) as Action;
const enrolment = (over: Partial<Inschrijving>): Inschrijving => ({
  id: "I1", leerlingId: "L1", aanleverpunt: AP, inschrijfdatum: "2020-08-20", uitschrijfdatum: null, redenUitschrijving: null, vestiging: "12AB00", schoolsoort: "BAO",
  onderwijssoort: null, leerjaar: 1, soortVerblijf: null, indicaties: [], ambulanteBegeleiding: null, bekostigd: true,
  klassenhistorie: [], nnca: false, gewicht: null, vve: null, eindtoets: null, schooladvies: null, ...over,
});
const adres = (straat: string, postcode: string): Adres => ({ straat, huisnummer: 12, toevoeging: null, postcode, plaats: "Utrecht", land: "6030" });
const leerling = (over: Partial<Leerling>): Leerling => ({
  id: "L1", pgn: { soort: "BSN", nummer: "123456782" }, voornamen: "Anna", voorvoegsels: "de", achternaam: "Vries", geslacht: "V", geboortedatum: "2016-11-12",
  adres: adres("Dorpsstraat", "3511AB"), nationaliteiten: ["0001"], onderwijsSinds: null, rowVersion: "rv-1", ...over,
});

describe("Onderwijs Sinds: the proposal (docs/beheerpagina.md)", () => {
  it("the 4th birthday, also for a child born on 29 February; the school year opens on 1 August", () => {
    expect(fourthBirthday("2016-11-12")).toBe("2020-11-12");
    expect(fourthBirthday("2016-02-29")).toBe("2020-02-29");
    expect(fourthBirthday("2015-02-28")).toBe("2019-02-28");
    expect(fourthBirthday("2012-02-29")).toBe("2016-02-29");
    expect(fourthBirthday("2019-02-29".replace("2019", "2020"))).toBe("2024-02-29");
    expect(schoolYearStart("2022-08-01")).toBe("2022-08-01");
    expect(schoolYearStart("2023-07-31")).toBe("2022-08-01");
  });

  it("first enrolment in groep 1: its inschrijfdatum", () => {
    const p = proposeOnderwijsSinds(leerling({}), [enrolment({ inschrijfdatum: "2020-11-13", leerjaar: 1 })], "2026-11-28");
    expect(p).toMatchObject({ leerlingId: "L1", rowVersion: "rv-1", voorstel: "2020-11-13", inschrijvingId: "I1" });
    expect(p.grond).toContain("groep 1");
  });

  it("first enrolment in groep 4: groep 1 began three school years earlier on 1 August, not before the 4th birthday", () => {
    // enrolled in groep 4 in school year 2023/24: groep 1 in 2020/21, from 1 August 2020 — but the child turned 4 on 12 November 2020
    expect(proposeOnderwijsSinds(leerling({}), [enrolment({ inschrijfdatum: "2023-09-04", leerjaar: 4 })], "2024-06-01").voorstel).toBe("2020-11-12");
    // born in spring: 4 before 1 August of groep 1's school year → that 1 August
    const p = proposeOnderwijsSinds(leerling({ geboortedatum: "2016-03-01" }), [enrolment({ inschrijfdatum: "2023-09-04", leerjaar: 4 })], "2024-06-01");
    expect(p.voorstel).toBe("2020-08-01");
    expect(p.grond).toBe("Eerste inschrijving in groep 4: groep 1 begon 3 schooljaren eerder, op 1 augustus van dat schooljaar.");
  });

  it("the groep at entry: the first period of the klassenhistorie, else the current leerjaar counted back per school year", () => {
    const history = [{ leerjaar: 3, groep: "3B", begindatum: "2021-09-01" }, { leerjaar: 2, groep: "2A", begindatum: "2020-09-01" }];
    expect(entryGroep({ inschrijfdatum: "2020-09-01", leerjaar: 8, klassenhistorie: history }, "2026-11-28")).toBe(2);
    // enrolled in school year 2022/23, now (2026/27) in groep 7: entered in groep 3
    expect(entryGroep({ inschrijfdatum: "2022-09-05", leerjaar: 7, klassenhistorie: [] }, "2026-11-28")).toBe(3);
    expect(entryGroep({ inschrijfdatum: "2024-09-05", leerjaar: 2, klassenhistorie: [] }, "2026-11-28")).toBe(1);
    // so a pupil who entered groep 1 years ago is proposed its inschrijfdatum, not a date from its current groep
    expect(proposeOnderwijsSinds(leerling({}), [enrolment({ inschrijfdatum: "2020-11-13", leerjaar: 6 })], "2026-11-28").voorstel).toBe("2020-11-13");
  });

  it("the earliest enrolment decides; VSO and ambulante begeleiding use the 4th birthday; never after the first inschrijfdatum nor today", () => {
    const two = [enrolment({ id: "I2", inschrijfdatum: "2024-08-20", leerjaar: 5 }), enrolment({ id: "I1", inschrijfdatum: "2021-01-04", leerjaar: 1, klassenhistorie: [{ leerjaar: 1, groep: null, begindatum: "2021-01-04" }] })];
    expect(proposeOnderwijsSinds(leerling({}), two, "2026-11-28")).toMatchObject({ voorstel: "2021-01-04", inschrijvingId: "I1" });
    expect(proposeOnderwijsSinds(leerling({ geboortedatum: "2010-05-05" }), [enrolment({ schoolsoort: "VSO", leerjaar: 2, inschrijfdatum: "2023-08-20" })], "2026-11-28").voorstel).toBe("2014-05-05");
    expect(proposeOnderwijsSinds(leerling({}), [enrolment({ leerjaar: 0, inschrijfdatum: "2020-09-01" })], "2026-11-28").voorstel).toBe("2020-09-01");
    expect(proposeOnderwijsSinds(leerling({ geboortedatum: "2023-01-01" }), [], "2026-11-28").voorstel).toBe("2026-11-28");
  });

  it("lists only enrolled pupils whose Onderwijs Sinds is empty, by leerlingnummer", () => {
    const lvs: LvsSnapshot = {
      aanleverpunt: AP,
      leerlingen: [leerling({ id: "L3" }), leerling({ id: "L1", onderwijsSinds: "2020-11-12" }), leerling({ id: "L2" }), leerling({ id: "L4" })],
      inschrijvingen: [enrolment({ leerlingId: "L1" }), enrolment({ id: "I2", leerlingId: "L2" }), enrolment({ id: "I3", leerlingId: "L3" })],
    };
    expect(withoutOnderwijsSinds(lvs, "2026-11-28").map((p) => p.leerlingId)).toEqual(["L2", "L3"]);
  });
});

describe("CSV for Excel (UTF-8 with BOM, ';')", () => {
  it("writes a BOM, ';' separators and CRLF, quotes what needs it, and reads back the same cells", () => {
    const text = toCsv(["naam", "tekst", "aantal"], [["Zoë; Ünal", 'zei "hoi"', 3], ["regel\nnieuw", null, true]]);
    expect(text.startsWith("\uFEFFnaam;tekst;aantal\r\n")).toBe(true);
    expect(parseCsv(text)).toEqual([["naam", "tekst", "aantal"], ["Zoë; Ünal", 'zei "hoi"', "3"], ["regel\nnieuw", "", "ja"]]);
  });

  it("a text that starts like a formula never runs as one; negative numbers stay numbers", () => {
    expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-2")).toBe("-2");
    expect(csvField(-2)).toBe("-2");
  });
});

describe("the action list: blocked actions are seen first", () => {
  const today = "2026-11-28";
  const signals: Signal[] = [{ code: "LEERJAAR_NIET_BEREKENBAAR", ernst: "AFKEUR", tekst: "Onderwijs Sinds ontbreekt: leerjaar niet te berekenen", actionId: "blocked", field: "onderwijsSinds" }];
  const actions = [
    action({ id: "waits", needsDecision: true }),
    action({ id: "blocked" }),
    action({ id: "refused", status: "AFGEKEURD" }),
    action({ id: "fine" }),
    action({ id: "late", deadline: { windowDays: 7, since: "2026-11-01", due: "2026-11-08", daysLeft: 7 } }),
  ];

  it("the default filter (AANDACHT) shows waiting, blocked and afgekeurd actions; a blocked one says what to fix in LVS2000", () => {
    const view = actionListView(actions, signals, today, "AANDACHT");
    expect(view.acties.map((a) => a.id)).toEqual(["waits", "blocked", "refused"]);
    const blocked = view.acties.find((a) => a.id === "blocked")!;
    expect(blocked.geblokkeerd).toBe(true);
    expect(blocked.signalen[0]?.herstel).toContain("Onderwijs Sinds");
    expect(view.telling.GEBLOKKEERD).toBe(1);
  });

  it("TERMIJN shows the actions past or close to their deadline (where the 'verlopen' badge points)", () => {
    expect(actionListView(actions, signals, today, "TERMIJN").acties.map((a) => a.id)).toEqual(["late"]);
    expect(actionListView(actions, signals, today, "TERMIJN").deadlines.VERLOPEN).toBe(1);
  });

  it("a hint for every afkeur names the field, never a value; an attentie needs none", () => {
    expect(fixHint({ ernst: "AFKEUR", field: "adres.postcode" })).toBe("Controleer de postcode in het adres van de leerling in LVS2000.");
    expect(fixHint({ ernst: "AFKEUR", field: "leerjaar" })).toBe("Controleer de leerjaar/groep van de inschrijving in LVS2000.");
    expect(fixHint({ ernst: "AFKEUR", field: null })).toContain("helpdesk van Data Care");
    expect(fixHint({ ernst: "ATTENTIE", field: "pgn" })).toBeNull();
  });
});

describe("deadline overview across aanleverpunten", () => {
  it("soonest due first over every aanleverpunt; sent actions and the backlog of a first delivery after the dated ones", () => {
    const dl = (due: string, achterstallig?: boolean) => ({ windowDays: 7 as const, since: "2026-11-01", due, daysLeft: 0, ...(achterstallig ? { achterstallig } : {}) });
    const rows = deadlineOverview(
      [
        { aanleverpunt: "12AB00", actions: [action({ id: "x", deadline: dl("2026-12-05") }), action({ id: "old", deadline: dl("2020-01-01", true) }), action({ id: "sent", status: "IN_BEHANDELING", deadline: dl("2026-11-01") })] },
        { aanleverpunt: "12AB01", actions: [action({ id: "y", aanleverpunt: "12AB01", deadline: dl("2026-11-20") }), action({ id: "none" })] },
      ],
      "2026-11-28",
    );
    expect(rows.map((r) => [r.aanleverpunt, r.actionId, r.status, r.daysLeft])).toEqual([
      ["12AB01", "y", "VERLOPEN", -8],
      ["12AB00", "x", "OP_TIJD", 7],
      ["12AB00", "old", "ACHTERSTALLIG", daysFrom("2026-11-28", "2020-01-01")],
    ]);
  });
});

function daysFrom(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

describe("audit trail filters", () => {
  const rows: AuditRow[] = [
    { aanleverpunt: AP, at: "2026-11-27T23:30:00.000Z", op: "INZAGE", door: "Jan Jansen", wat: "leerling ingezien", details: { leerlingId: "L1" } },
    { aanleverpunt: AP, at: "2026-11-28T08:00:00.000Z", op: "BESLISSING", door: "Piet", wat: "NEGEREN", details: { actionId: "a1" } },
    { aanleverpunt: AP, at: "2026-11-26T08:00:00.000Z", op: "ONDERWIJS_SINDS", door: "jan jansen", wat: "gevuld", details: { leerlingIds: "L2,L1" } },
  ];
  it("by pupil (also in a list of ids), person (part of the name, any case), kind and Dutch day; newest first", () => {
    expect(filterAudit(rows, {}).map((r) => r.op)).toEqual(["BESLISSING", "INZAGE", "ONDERWIJS_SINDS"]);
    expect(filterAudit(rows, { leerling: "L1" }).map((r) => r.op)).toEqual(["INZAGE", "ONDERWIJS_SINDS"]);
    expect(filterAudit(rows, { door: "JANSEN" }).length).toBe(2);
    expect(filterAudit(rows, { soort: "INZAGE" }).length).toBe(1);
    // 23:30 UTC on the 27th is 00:30 on the 28th in the Netherlands
    expect(filterAudit(rows, { van: "2026-11-28", tot: "2026-11-28" }).map((r) => r.op)).toEqual(["BESLISSING", "INZAGE"]);
  });
});

describe("registratieoverzicht and pupil detail", () => {
  const bronL = { leerlingId: "L1", pgn: { soort: "BSN" as const, nummer: "123456782" }, voornamen: "Anna", voorvoegsels: "de", achternaam: "Vries", geslacht: "V" as const, geboortedatum: "2016-11-12", gbaAdres: adres("Kerkstraat", "3512CD"), nationaliteiten: ["0001"] };
  const bronI = { inschrijvingId: "I1", leerlingId: "L1", aanleverpunt: AP, inschrijfdatum: "2020-11-13", uitschrijfdatum: null, redenUitschrijving: null, vestiging: "12AB00", schoolsoort: "BAO" as const, onderwijssoort: null, leerjaar: 6, soortVerblijf: null, indicaties: [], ambulanteBegeleiding: null, bekostigd: true, klassenhistorie: [], nnca: false, gewicht: null, vve: null, eindtoets: null, schooladvies: null };
  const mirror = (peildatum: string, overzichtDatum: string): BronMirror => ({ aanleverpunt: AP, peildatum, overzichtDatum, leerlingen: [bronL], inschrijvingen: [bronI], historisch: [{ ...bronI, inschrijvingId: "I0", uitschrijfdatum: "2019-07-01" }], dubbeleInschrijvingen: [] });

  it("the overzicht view: its age from the peildatum, masked rows, historische inschrijvingen; a historical one is for viewing only and says why", () => {
    const current = overzichtView(mirror("2026-11-20", "2026-11-20"), "2026-11-28", 28);
    expect(current).toMatchObject({ leeftijdDagen: 8, historisch: false, bruikbaar: true, reden: null, leerlingen: 1 });
    expect(current.inschrijvingen[0]).toMatchObject({ naam: "A. d. V.", pgn: { soort: "BSN", nummer: "•••••6782" } });
    expect(current.historischeInschrijvingen.map((i) => i.inschrijvingId)).toEqual(["I0"]);
    expect(JSON.stringify(current)).not.toContain("123456782");
    const historic = overzichtView(mirror("2025-01-01", "2026-11-28"), "2026-11-28", 28);
    expect(historic).toMatchObject({ historisch: true, bruikbaar: false });
    expect(historic.reden).toContain("historisch overzicht");
  });

  it("the pupil detail: LVS2000 and BRON side by side in full, enrolments, actions with full values, signals and feedback history", () => {
    const lvs: LvsSnapshot = { aanleverpunt: AP, leerlingen: [leerling({})], inschrijvingen: [enrolment({ inschrijfdatum: "2020-11-13" })] };
    const addr = action({ id: "OA-1", type: "OVERNEMEN_ADRES_IN_LVS", direction: "LVS", inschrijvingId: null, needsDecision: true, fields: [{ field: "adres.straat", lvs: "Dorpsstraat", bron: "Kerkstraat" }] });
    const feedback = [
      { id: "f1", soort: "INSCHRIJVING_GEACCEPTEERD", ontvangenOp: "2026-11-01T10:00:00Z", status: "VERWERKT", fout: null, leerlingId: "L1", mutatieId: "NI-1" },
      { id: "f2", soort: "AFKEUR", ontvangenOp: "2026-11-02T10:00:00Z", status: "VERWERKT", fout: null, leerlingId: null, mutatieId: "OA-1" },
      { id: "f3", soort: "REGISTRATIEOVERZICHT", ontvangenOp: "2026-11-03T10:00:00Z", status: "VERWERKT", fout: null, leerlingId: null, mutatieId: null },
    ];
    const d = pupilDetail("L1", lvs, mirror("2026-11-20", "2026-11-20"), [addr, action({ id: "other", leerlingId: "L9" })], [], feedback, "2026-11-28")!;
    expect(d).toMatchObject({ lvsNaam: "Anna de Vries", bronNaam: "Anna de Vries", pgn: { soort: "BSN", nummer: "123456782" } });
    expect(d.lvs?.adres?.straat).toBe("Dorpsstraat");
    expect(d.bron?.adres?.straat).toBe("Kerkstraat");
    expect(d.inschrijvingen.map((i) => i.id)).toEqual(["I1"]);
    expect(d.historischeInschrijvingen.map((i) => i.inschrijvingId)).toEqual(["I0"]);
    expect(d.acties.map((a) => a.id)).toEqual(["OA-1"]);
    expect(d.acties[0]?.velden).toEqual([{ field: "adres.straat", lvs: "Dorpsstraat", bron: "Kerkstraat" }]);
    expect(d.terugkoppeling.map((f) => [f.id, f.soortLabel])).toEqual([["f2", "Afkeur"], ["f1", "Inschrijving geaccepteerd"]]);
    expect(pupilDetail("L404", lvs, mirror("2026-11-20", "2026-11-20"), [], [], [], "2026-11-28")).toBeNull();

    const dd = decisionDetail(addr, [], lvs, mirror("2026-11-20", "2026-11-20"), "2026-11-28");
    expect([dd.lvs?.adres?.straat, dd.bron?.adres?.straat, dd.actie.velden[0]?.bron]).toEqual(["Dorpsstraat", "Kerkstraat", "Kerkstraat"]);
  });
});

describe("instellingen", () => {
  it("the daily run starts in the hour of its setting, Dutch time (summer and winter)", () => {
    expect(dutchHour(new Date("2026-01-15T04:10:00Z"))).toBe(5);
    expect(dutchHour(new Date("2026-07-15T03:10:00Z"))).toBe(5);
    expect(dailyRunDue({ tijdstip: "05:00" }, new Date("2026-07-15T03:00:00Z"))).toBe(true);
    expect(dailyRunDue({ tijdstip: "06:00" }, new Date("2026-07-15T03:00:00Z"))).toBe(false);
  });
  it("refuses a time that is not a whole hour and a waiting time over six days, in Dutch", () => {
    const r = Instellingen.safeParse({ verzendwijze: "AUTOMATISCH", tijdstip: "05:30", wachttijdUren: 200 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(["verwacht een heel uur, bijvoorbeeld 05:00", "hooguit 144 uur (6 dagen)"]);
  });
});
