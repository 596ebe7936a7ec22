import { describe, expect, it } from "vitest";
import { actionListView, matchesFilter, toActionView } from "../../src/core/action-view.js";
import type { ActionStatus, DubbeleInschrijving, Signal } from "../../src/core/model.js";
import { duplicateEnrolments, pupilOverview } from "../../src/core/pupil-overview.js";
import { EMPTY_MIRROR, bronLeerlingOf, inschrijving, leerling, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";
import { act, deadline } from "./rules-fixtures.js";

/** The beheerpagina's views (manual ch. 4/5): the action list with its 'Toon' filter, the pupil overview, the duplicates. */

const TODAY = "2026-11-28";

describe("rule: the 'Toon' filter of the action list", () => {
  const waiting = act("w", { type: "WIJZIGING_ONDERWIJSGEGEVENS", needsDecision: true });

  it("WACHT_OP_BESLISSING shows exactly the open actions that need a decision not yet taken", () => {
    expect(matchesFilter(waiting, "WACHT_OP_BESLISSING")).toBe(true);
    expect(matchesFilter(act("a"), "WACHT_OP_BESLISSING")).toBe(false);
    expect(matchesFilter({ ...waiting, status: "AFGEKEURD" }, "WACHT_OP_BESLISSING")).toBe(false);
  });

  it("AFGEKEURD and IN_BEHANDELING show their status only; ALLE shows everything", () => {
    const statuses: ActionStatus[] = ["OPEN", "GECONTROLEERD", "IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD"];
    for (const status of statuses) {
      const a = act("a", { status });
      expect(matchesFilter(a, "AFGEKEURD"), status).toBe(status === "AFGEKEURD");
      expect(matchesFilter(a, "IN_BEHANDELING"), status).toBe(status === "IN_BEHANDELING");
      expect(matchesFilter(a, "ALLE"), status).toBe(true);
    }
  });

  it("a deleted sent action (hidden tombstone) is never shown or counted", () => {
    const view = actionListView([act("a"), act("t", { status: "VERWIJDERD", deadline: deadline("2026-11-01") })], [], TODAY, "ALLE");
    expect(view.acties.map((a) => a.id)).toEqual(["a"]);
    expect(view.telling.ALLE).toBe(1);
    expect(view.deadlines.VERLOPEN).toBe(0);
  });

  it("the view of one action: labels in the manual's words, its own signals only, whether it waits, and its reason", () => {
    const signals: Signal[] = [
      { code: "A", ernst: "AFKEUR", tekst: "eigen", actionId: "w", field: "leerjaar" },
      { code: "B", ernst: "ATTENTIE", tekst: "ander", actionId: "x", field: null },
      { code: "C", ernst: "ATTENTIE", tekst: "zonder actie", actionId: null, field: null },
    ];
    const v = toActionView(waiting, signals, TODAY);
    expect(v).toMatchObject({ id: "w", typeLabel: "Wijziging onderwijsgegevens", statusLabel: "Open", wachtOpBeslissing: true, handmatig: false, reden: "r", deadline: null, keuzes: ["NEGEREN", "NAAR_BRON"] });
    expect(v.signalen).toEqual([{ code: "A", ernst: "AFKEUR", tekst: "eigen", field: "leerjaar", herstel: "Controleer de leerjaar/groep van de inschrijving in LVS2000." }]);
  });
});

describe("rule: Overzicht leerlingen — every pupil with an enrolment, names masked", () => {
  it("a pupil without voorvoegsel shows first name and surname initials only", () => {
    const lvs = lvsSnapshot([leerling("1", { voorvoegsels: null, voornamen: "Emma Sophie" })], [inschrijving("I1", "1")]);
    expect(pupilOverview(lvs, EMPTY_MIRROR, "ALLE")).toEqual([{ leerlingId: "1", lvsNaam: "E. S. V.", bronNaam: null, pgn: { soort: "BSN", nummer: "•••••6782" }, gekoppeld: false }]);
  });

  it("BRON's name and PGN where BRON knows the pupil, LVS2000's PGN otherwise; sorted by leerlingnummer whatever the input order", () => {
    const l1 = leerling("1");
    const lvs = lvsSnapshot([leerling("3"), l1, leerling("2", { pgn: null })], [inschrijving("I3", "3"), inschrijving("I1", "1"), inschrijving("I2", "2")]);
    const mirror = mirrorOf([bronLeerlingOf(l1, { voornamen: "Eva", pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } })], []);
    expect(pupilOverview(lvs, mirror, "ALLE")).toEqual([
      { leerlingId: "1", lvsNaam: "E. d. V.", bronNaam: "E. d. V.", pgn: { soort: "ONDERWIJSNUMMER", nummer: "•••••0303" }, gekoppeld: true },
      { leerlingId: "2", lvsNaam: "E. d. V.", bronNaam: null, pgn: null, gekoppeld: false },
      { leerlingId: "3", lvsNaam: "E. d. V.", bronNaam: null, pgn: { soort: "BSN", nummer: "•••••6782" }, gekoppeld: false },
    ]);
  });
});

describe("rule: Tonen dubbele inschrijvingen — newest report first", () => {
  it("by the day BRON reported them, newest first; on the same day by enrolment", () => {
    const d = (inschrijvingId: string, gemeldOp: string): DubbeleInschrijving => ({ leerlingId: "1", inschrijvingId, andereVestiging: "78GH01", inschrijfdatum: "2026-09-01", uitschrijfdatum: null, gemeldOp });
    const list = [d("I2", "2026-11-20"), d("I3", "2026-11-27"), d("I1", "2026-11-20"), d("I4", "2026-11-01")];
    const m = { ...EMPTY_MIRROR, dubbeleInschrijvingen: list };
    expect(duplicateEnrolments(m).map((x) => x.inschrijvingId)).toEqual(["I3", "I1", "I2", "I4"]);
    expect(duplicateEnrolments({ ...m, dubbeleInschrijvingen: [...list].reverse() }).map((x) => x.inschrijvingId)).toEqual(["I3", "I1", "I2", "I4"]);
    expect(m.dubbeleInschrijvingen).toEqual(list);
  });
});
