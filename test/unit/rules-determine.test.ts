import { describe, expect, it } from "vitest";
import { checkActions, checkRound } from "../../src/core/check-actions.js";
import { determineActions } from "../../src/core/determine-actions.js";
import type { Action, LvsSnapshot, Signal } from "../../src/core/model.js";
import { EMPTY_MIRROR, NO_MEMORY, TODAY, bronInschrijvingOf, bronLeerlingOf, inStep, inschrijving, leerling, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";
import { act } from "./rules-fixtures.js";

/** Acties bepalen (domain.md "Rules: determining actions") and Controleren as one step, rule by rule. */

function actions(r: ReturnType<typeof determineActions>): Action[] {
  if (!r.ok) throw new Error(r.reason);
  return r.actions;
}

describe("rule: an action already sent and awaiting feedback is not determined again — matched on type, pupil and enrolment", () => {
  it("a pending Uitschrijving of one enrolment does not hold back the Uitschrijving of the pupil's other enrolment", () => {
    const l = leerling("1001");
    const a = inschrijving("I1", "1001", { uitschrijfdatum: "2026-11-20", redenUitschrijving: "VERHUIZING" });
    const b = inschrijving("I2", "1001", { uitschrijfdatum: "2026-11-20", redenUitschrijving: "VERHUIZING" });
    const mirror = mirrorOf([bronLeerlingOf(l)], [bronInschrijvingOf({ ...a, uitschrijfdatum: null, redenUitschrijving: null }), bronInschrijvingOf({ ...b, uitschrijfdatum: null, redenUitschrijving: null })]);
    const memory = { ...NO_MEMORY, pending: [{ type: "UITSCHRIJVING" as const, leerlingId: "1001", inschrijvingId: "I1" }] };
    expect(actions(determineActions(lvsSnapshot([l], [a, b]), mirror, memory, TODAY)).map((x) => [x.type, x.inschrijvingId])).toEqual([["UITSCHRIJVING", "I2"]]);
  });
});

describe("rule: a first delivery's enrolment whose reporting window already closed is backlog (achterstallig)", () => {
  it("a window closing today is not backlog yet; one that closed yesterday is", () => {
    const p = inStep();
    const q = inStep("1002");
    const lvs = lvsSnapshot([p.l, q.l], [{ ...p.i, inschrijfdatum: "2026-11-21" }, { ...q.i, inschrijfdatum: "2026-11-20" }]);
    expect(actions(determineActions(lvs, EMPTY_MIRROR, NO_MEMORY, TODAY)).map((a) => [a.leerlingId, a.deadline?.due, a.deadline?.achterstallig])).toEqual([
      ["1001", "2026-11-28", undefined],
      ["1002", "2026-11-27", true],
    ]);
  });

  it("beside an existing registration nothing is backlog: a late enrolment is simply late", () => {
    const p = inStep();
    const q = inStep("1002");
    const lvs = lvsSnapshot([p.l, q.l], [p.i, { ...q.i, inschrijfdatum: "2026-11-01" }]);
    const [late] = actions(determineActions(lvs, mirrorOf([p.bl], [p.bi]), NO_MEMORY, TODAY));
    expect(late!.deadline).toEqual({ windowDays: 7, since: "2026-11-01", due: "2026-11-08", daysLeft: -20 });
  });
});

describe("every determined action explains itself in the manual's words", () => {
  it("Correctie inschrijfdatum, Verwijdering, Wijziging sleutelgegevens, Overnemen adres and a corrected Uitschrijving", () => {
    const p = inStep();
    const q = inStep("1002");
    const r = inStep("1003");
    const lvs = lvsSnapshot([{ ...p.l, achternaam: "Bakker" }, r.l], [{ ...p.i, inschrijfdatum: "2019-08-20" }, { ...r.i, uitschrijfdatum: "2026-11-20", redenUitschrijving: "VERHUIZING" }]);
    const mirror = mirrorOf([{ ...p.bl, gbaAdres: { ...p.l.adres!, huisnummer: 14 } }, q.bl, r.bl], [p.bi, q.bi, { ...r.bi, uitschrijfdatum: "2026-11-13", redenUitschrijving: "VERHUIZING" }]);
    expect(actions(determineActions(lvs, mirror, NO_MEMORY, TODAY)).map((a) => [a.type, a.reason])).toEqual([
      ["WIJZIGING_SLEUTELGEGEVENS", "Sleutel- of persoonsgegevens wijken af (achternaam): doorgeven aan BRON of de gegevens uit BRON overnemen in LVS2000?"],
      ["OVERNEMEN_ADRES_IN_LVS", "Adres volgens de GBA (via BRON) wijkt af van LVS2000 (huisnummer): adresgegevens overnemen in LVS2000?"],
      ["CORRECTIE_INSCHRIJFDATUM", "Inschrijfdatum in LVS2000 wijkt af van BRON (inschrijfdatum): de foutieve inschrijving in BRON verwijderen en de juiste aanleveren?"],
      ["VERWIJDERING_INSCHRIJVING", "Inschrijving staat in BRON maar is niet bekend in LVS2000: verwijdering inschrijving doorgeven aan BRON?"],
      ["UITSCHRIJVING", "Uitschrijfgegevens in LVS2000 wijken af van BRON (uitschrijfdatum): de gecorrigeerde uitschrijving doorgeven aan BRON?"],
    ]);
  });

  it("a Verwijdering carries BRON's enrolment on BRON's side", () => {
    const p = inStep();
    const [v] = actions(determineActions(lvsSnapshot([], []), mirrorOf([p.bl], [p.bi]), NO_MEMORY, TODAY));
    expect(v!.fields.every((f) => f.lvs === null && f.bron !== null)).toBe(true);
    expect(v!.fields.map((f) => f.field)).toEqual(["inschrijfdatum", "vestiging", "schoolsoort", "leerjaar", "indicaties", "bekostigd", "klassenhistorie", "nnca"]);
  });
});

describe("rule: incomplete LVS2000 data never becomes a deletion", () => {
  const p = inStep();
  const q = inStep("1002");
  const mirror = mirrorOf([p.bl, q.bl], [p.bi, q.bi]);

  it("BRON's enrolments of an incomplete pupil are not proposed for deletion; a pupil really gone from LVS2000 is", () => {
    const lvs: LvsSnapshot = { ...lvsSnapshot([], []), onvolledig: [{ id: "1001", velden: [{ veld: "achternaam", reden: "Achternaam ontbreekt" }] }] };
    expect(actions(determineActions(lvs, mirror, NO_MEMORY, TODAY)).map((a) => [a.type, a.leerlingId])).toEqual([["VERWIJDERING_INSCHRIJVING", "1002"]]);
  });

  it("an enrolment row LVS2000 could not give whole is not proposed for deletion; the others still are", () => {
    const lvs: LvsSnapshot = { ...lvsSnapshot([p.l, q.l], []), uitgeslotenInschrijvingen: ["I1002"] };
    expect(actions(determineActions(lvs, mirror, NO_MEMORY, TODAY)).map((a) => [a.type, a.inschrijvingId])).toEqual([["VERWIJDERING_INSCHRIJVING", "I1001"]]);
  });

  it("any action for an incomplete pupil is an afkeur per missing field, in LVS2000's words", () => {
    const lvs: LvsSnapshot = {
      ...lvsSnapshot([], [p.i]),
      onvolledig: [{ id: "1001", velden: [{ veld: "achternaam", reden: "Achternaam ontbreekt" }, { veld: "geslacht", reden: "Geslacht onbekend" }] }],
    };
    expect(checkActions([act("NI")], lvs, TODAY)).toEqual([
      { code: "LEERLING_ONVOLLEDIG", ernst: "AFKEUR", tekst: "Achternaam ontbreekt in LVS2000", actionId: "NI", field: "achternaam" },
      { code: "LEERLING_ONVOLLEDIG", ernst: "AFKEUR", tekst: "Geslacht onbekend in LVS2000", actionId: "NI", field: "geslacht" },
    ]);
  });
});

describe("rule: Controleren as one step — this check's signals replace the previous check's on the same actions", () => {
  const p = inStep();
  const q = inStep("1002");
  const lvs = lvsSnapshot([p.l, { ...q.l, pgn: null, adres: null, achternaam: " " }], [p.i, q.i]);
  const ok = act("OK");
  const blocked = act("BLOCKED", { leerlingId: "1002", inschrijvingId: "I1002" });
  const waiting = act("WAIT", { type: "WIJZIGING_ONDERWIJSGEGEVENS", needsDecision: true });
  const sent = act("SENT", { status: "IN_BEHANDELING" });
  const old = (actionId: string | null, code: string): Signal => ({ code, ernst: "AFKEUR", tekst: "vorige keer", actionId, field: null });

  it("moves what goes ahead, counts afkeur and attentie, and keeps BRON's signals and those of actions not checked now", () => {
    const round = checkRound([ok, blocked, waiting, sent], lvs, [old("OK", "OUD"), old("WAIT", "BLIJFT"), old("SENT", "BRON_AFKEUR"), old(null, "CERTIFICAAT")], TODAY);
    expect(round.actions.map((a) => [a.id, a.status])).toEqual([
      ["OK", "GECONTROLEERD"],
      ["BLOCKED", "OPEN"],
      ["WAIT", "OPEN"],
      ["SENT", "IN_BEHANDELING"],
    ]);
    expect(round.signals.map((s) => [s.actionId, s.code])).toEqual([
      ["WAIT", "BLIJFT"],
      ["SENT", "BRON_AFKEUR"],
      [null, "CERTIFICAAT"],
      ["BLOCKED", "PGN_ONTBREEKT"],
      ["BLOCKED", "ACHTERNAAM_ONTBREEKT"],
      ["BLOCKED", "ADRES_ONTBREEKT"],
    ]);
    expect(round).toMatchObject({ gecontroleerd: 1, afkeur: 2, attentie: 1, wachtOpBeslissing: 1 });
  });
});
