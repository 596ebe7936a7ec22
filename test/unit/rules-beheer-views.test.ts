import { describe, expect, it } from "vitest";
import { deadlineOverview, filterAudit, overzichtView, pupilDetail, type AuditRow, type FeedbackRecord } from "../../src/core/beheer-views.js";
import type { Signal } from "../../src/core/model.js";
import { AP, EMPTY_MIRROR, bronInschrijvingOf, bronLeerlingOf, inschrijving, leerling, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";
import { act, deadline } from "./rules-fixtures.js";

/** The beheerpagina's views beyond the action list (issue 11): deadlines, audit trail, overzicht, pupil detail. */

const TODAY = "2026-11-28";

describe("rule: the deadline overview — soonest due first over every aanleverpunt", () => {
  it("by due day, then aanleverpunt, then action; the backlog of a first delivery last", () => {
    const rows = deadlineOverview(
      [
        { aanleverpunt: "00BB00", actions: [act("B1", { deadline: deadline("2026-11-20") }), act("B2", { deadline: deadline("2026-12-05") }), act("B0", { deadline: deadline("2010-01-01", { achterstallig: true }) })] },
        { aanleverpunt: "00AA00", actions: [act("A2", { deadline: deadline("2026-12-05") }), act("A1", { deadline: deadline("2026-12-05") }), act("A3", { deadline: deadline("2026-12-10") })] },
      ],
      TODAY,
    );
    expect(rows.map((r) => [r.aanleverpunt, r.actionId, r.daysLeft, r.status])).toEqual([
      ["00BB00", "B1", -8, "VERLOPEN"],
      ["00AA00", "A1", 7, "OP_TIJD"],
      ["00AA00", "A2", 7, "OP_TIJD"],
      ["00BB00", "B2", 7, "OP_TIJD"],
      ["00AA00", "A3", 12, "OP_TIJD"],
      ["00BB00", "B0", -6175, "ACHTERSTALLIG"],
    ]);
  });
});

describe("rule: the audit trail — filtered, newest first", () => {
  const row = (at: string, aanleverpunt: string, op = "BESLISSING"): AuditRow => ({ aanleverpunt, at, op, door: "j.jansen@school", wat: "w", details: {} });

  it("from a Dutch day on, or up to one, each on its own", () => {
    const rows = [row("2026-11-26T10:00:00Z", AP), row("2026-11-27T23:30:00Z", AP), row("2026-11-28T10:00:00Z", AP)];
    // 23:30 UTC on the 27th is the 28th in the Netherlands
    expect(filterAudit(rows, { van: "2026-11-28" }).map((r) => r.at)).toEqual(["2026-11-28T10:00:00Z", "2026-11-27T23:30:00Z"]);
    expect(filterAudit(rows, { tot: "2026-11-27" }).map((r) => r.at)).toEqual(["2026-11-26T10:00:00Z"]);
  });

  it("entries of the same moment by aanleverpunt", () => {
    const rows = [row("2026-11-28T10:00:00Z", "00BB00"), row("2026-11-28T10:00:00Z", "00AA00"), row("2026-11-28T11:00:00Z", "00CC00")];
    expect(filterAudit(rows, {}).map((r) => r.aanleverpunt)).toEqual(["00CC00", "00AA00", "00BB00"]);
  });
});

describe("rule: the registratieoverzicht as stored, masked", () => {
  it("rows by pupil and enrolment; a pupil BRON does not hold shows without name or number; a name without voorvoegsel", () => {
    const l1 = leerling("1", { voorvoegsels: null });
    const m = mirrorOf([bronLeerlingOf(l1)], [bronInschrijvingOf(inschrijving("I2", "1")), bronInschrijvingOf(inschrijving("I9", "9")), bronInschrijvingOf(inschrijving("I1", "1"))], {
      historisch: [bronInschrijvingOf(inschrijving("H2", "2")), bronInschrijvingOf(inschrijving("H1", "1"))],
    });
    const v = overzichtView(m, TODAY, 28);
    expect(v.inschrijvingen.map((r) => [r.leerlingId, r.inschrijvingId, r.naam, r.pgn])).toEqual([
      ["1", "I1", "E. V.", { soort: "BSN", nummer: "•••••6782" }],
      ["1", "I2", "E. V.", { soort: "BSN", nummer: "•••••6782" }],
      ["9", "I9", null, null],
    ]);
    expect(v.historischeInschrijvingen.map((r) => r.inschrijvingId)).toEqual(["H1", "H2"]);
    expect(v.bruikbaar).toBe(true);
  });

  it("a pupil BRON holds without a PGN shows no number", () => {
    const m = mirrorOf([bronLeerlingOf(leerling("1"), { pgn: null })], [bronInschrijvingOf(inschrijving("I1", "1"))]);
    expect(overzichtView(m, TODAY, 28).inschrijvingen[0]?.pgn).toBeNull();
  });

  it("none fetched yet: no age, not historical, not usable — it was asked and has not arrived", () => {
    expect(overzichtView(EMPTY_MIRROR, TODAY, 28)).toMatchObject({
      leeftijdDagen: null,
      historisch: false,
      bruikbaar: false,
      reden: "Het registratieoverzicht van BRON is aangevraagd maar nog niet ontvangen; de volgende synchronisatie gaat verder.",
    });
  });

  it("historical when the peildatum lies more than a day before it arrived; without a peildatum, its day of arrival counts", () => {
    expect(overzichtView(mirrorOf([], [], { peildatum: "2026-11-26", overzichtDatum: "2026-11-27" }), TODAY, 28)).toMatchObject({ historisch: false, leeftijdDagen: 2, bruikbaar: true });
    expect(overzichtView(mirrorOf([], [], { peildatum: "2026-11-25", overzichtDatum: "2026-11-27" }), TODAY, 28)).toMatchObject({ historisch: true, leeftijdDagen: 3, bruikbaar: false });
    expect(overzichtView(mirrorOf([], [], { peildatum: null, overzichtDatum: "2026-11-20" }), TODAY, 28)).toMatchObject({ historisch: false, leeftijdDagen: 8, peildatum: null });
  });
});

describe("rule: the pupil detail — everything about one pupil, in full", () => {
  const l1 = leerling("1");
  const l2 = leerling("2", { achternaam: "Bakker", pgn: { soort: "BSN", nummer: "10000008" } });
  const lvs = lvsSnapshot([l1, l2], [inschrijving("I2a", "2", { inschrijfdatum: "2019-08-15" }), inschrijving("I1", "1"), inschrijving("I2b", "2", { inschrijfdatum: "2022-08-15" })]);
  const mirror = mirrorOf([bronLeerlingOf(l1), bronLeerlingOf(l2, { pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } })], [bronInschrijvingOf(inschrijving("I2a", "2")), bronInschrijvingOf(inschrijving("I1", "1"))], {
    historisch: [bronInschrijvingOf(inschrijving("H2", "2")), bronInschrijvingOf(inschrijving("H1", "1"))],
  });
  const actions = [act("A1"), act("A2", { leerlingId: "2" }), act("A2x", { leerlingId: "2", status: "VERWIJDERD" })];
  const signals: Signal[] = [
    { code: "S1", ernst: "AFKEUR", tekst: "t", actionId: "A1", field: null },
    { code: "S2", ernst: "AFKEUR", tekst: "t", actionId: "A2", field: null },
    { code: "S0", ernst: "ATTENTIE", tekst: "t", actionId: null, field: null },
  ];
  const fb = (id: string, ontvangenOp: string, over: Partial<FeedbackRecord> = {}): FeedbackRecord => ({ id, soort: "AFKEUR", ontvangenOp, status: "VERWERKT", fout: null, leerlingId: null, mutatieId: null, ...over });
  const feedback = [
    fb("f1", "2026-11-20T10:00:00Z", { leerlingId: "2", soort: "SPONTANE_MUTATIE" }),
    fb("f2", "2026-11-22T10:00:00Z", { mutatieId: "A2" }),
    fb("f3", "2026-11-21T10:00:00Z", { leerlingId: "1", mutatieId: "A1" }),
    fb("f4", "2026-11-23T10:00:00Z", { soort: null, leerlingId: "2" }),
    fb("f5", "2026-11-24T10:00:00Z", { soort: "ONBEKEND", leerlingId: "2" }),
    fb("f6", "2026-11-25T10:00:00Z"),
  ];

  it("the pupil asked for, not another: both sides, BRON's PGN first, enrolments newest first, own actions, signals and feedback newest first", () => {
    const d = pupilDetail("2", lvs, mirror, actions, signals, feedback, TODAY)!;
    expect([d.lvsNaam, d.bronNaam, d.pgn]).toEqual(["Emma de Bakker", "Emma de Bakker", { soort: "ONDERWIJSNUMMER", nummer: "100310303" }]);
    expect(d.lvs?.pgn).toEqual({ soort: "BSN", nummer: "10000008" });
    expect(d.inschrijvingen.map((i) => i.id)).toEqual(["I2b", "I2a"]);
    expect(d.bronInschrijvingen.map((i) => i.inschrijvingId)).toEqual(["I2a"]);
    expect(d.historischeInschrijvingen.map((i) => i.inschrijvingId)).toEqual(["H2"]);
    expect(d.acties.map((a) => [a.id, a.geblokkeerd])).toEqual([["A2", true]]);
    expect(d.signalen.map((s) => s.code)).toEqual(["S2"]);
    expect(d.terugkoppeling.map((f) => [f.id, f.soortLabel])).toEqual([
      ["f5", "Onleesbaar bericht"],
      ["f4", "Onleesbaar bericht"],
      ["f2", "Afkeur"],
      ["f1", "Spontane mutatie"],
    ]);
  });

  it("a pupil only LVS2000 knows shows LVS2000's PGN; one only an action knows still shows; one nobody knows is not there", () => {
    const alleenLvs = pupilDetail("1", lvs, EMPTY_MIRROR, [], [], [], TODAY)!;
    expect([alleenLvs.pgn, alleenLvs.bron, alleenLvs.bronNaam]).toEqual([l1.pgn, null, null]);
    expect(pupilDetail("7", lvsSnapshot([], []), EMPTY_MIRROR, [act("A7", { leerlingId: "7" })], [], [], TODAY)).toMatchObject({ leerlingId: "7", lvs: null, bron: null, pgn: null });
    expect(pupilDetail("7", lvsSnapshot([], []), mirrorOf([bronLeerlingOf(leerling("7"))], []), [], [], [], TODAY)).toMatchObject({ leerlingId: "7", lvs: null });
    expect(pupilDetail("7", lvs, mirror, actions, signals, feedback, TODAY)).toBeNull();
    expect(pupilDetail("7", lvs, mirror, [act("X", { leerlingId: "7", status: "VERWIJDERD" })], [], [], TODAY)).toBeNull();
  });
});
