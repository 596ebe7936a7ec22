import { describe, expect, it } from "vitest";
import { actionCounts, actionListView, blockedIds, matchesFilter, toActionView } from "../../src/core/action-view.js";
import type { ActionStatus, Signal } from "../../src/core/model.js";
import { act, deadline } from "./rules-fixtures.js";

/**
 * The beheerpagina's action list (manual ch. 5/6): what needs a person, what an afkeur holds back, how far
 * each action got, and the list in parts.
 */

const TODAY = "2026-11-28";
const afkeur = (actionId: string | null, code = "X"): Signal => ({ code, ernst: "AFKEUR", tekst: "t", actionId, field: null });
const attentie = (actionId: string | null): Signal => ({ code: "A", ernst: "ATTENTIE", tekst: "t", actionId, field: null });

describe("rule: an afkeur of the check holds back only its own unsent action", () => {
  it("open or checked actions with an afkeur are blocked; an attentie, a signal without action, or an action already sent is not", () => {
    const actions = [act("OPEN"), act("CHECKED", { status: "GECONTROLEERD" }), act("SENT", { status: "IN_BEHANDELING" }), act("ATT"), act("FREE")];
    expect([...blockedIds(actions, [afkeur("OPEN"), afkeur("CHECKED"), afkeur("SENT"), attentie("ATT"), afkeur(null)])]).toEqual(["OPEN", "CHECKED"]);
  });

  it("one action's view says it is blocked when it is unsent and has an afkeur of its own, unless the list says otherwise", () => {
    expect(toActionView(act("A"), [afkeur("A")], TODAY).geblokkeerd).toBe(true);
    expect(toActionView(act("A"), [attentie("A")], TODAY).geblokkeerd).toBe(false);
    expect(toActionView(act("A", { status: "AFGEKEURD" }), [afkeur("A")], TODAY).geblokkeerd).toBe(false);
    expect(toActionView(act("A"), [afkeur("B")], TODAY).geblokkeerd).toBe(false);
    expect(toActionView(act("A"), [afkeur("A")], TODAY, { geblokkeerd: false }).geblokkeerd).toBe(false);
  });

  it("an afkeur comes with what to fix in LVS2000; an attentie with nothing", () => {
    expect(toActionView(act("A"), [{ ...afkeur("A"), field: "leerjaar" }, attentie("A")], TODAY).signalen).toEqual([
      { code: "X", ernst: "AFKEUR", tekst: "t", field: "leerjaar", herstel: "Controleer de leerjaar/groep van de inschrijving in LVS2000." },
      { code: "A", ernst: "ATTENTIE", tekst: "t", field: null, herstel: null },
    ]);
  });
});

describe("rule: the 'Toon' filters", () => {
  const blocked = new Set(["B"]);
  it("AANDACHT: waiting for a decision, blocked by an afkeur, or afgekeurd by BRON — nothing else", () => {
    expect(matchesFilter(act("W", { needsDecision: true }), "AANDACHT", blocked)).toBe(true);
    expect(matchesFilter(act("B"), "AANDACHT", blocked)).toBe(true);
    expect(matchesFilter(act("R", { status: "AFGEKEURD" }), "AANDACHT", blocked)).toBe(true);
    expect(matchesFilter(act("N"), "AANDACHT", blocked)).toBe(false);
    expect(matchesFilter(act("B"), "GEBLOKKEERD", blocked)).toBe(true);
    expect(matchesFilter(act("N"), "GEBLOKKEERD", blocked)).toBe(false);
  });

  it("TERMIJN: still to report and past or within 3 days of its deadline", () => {
    expect(matchesFilter(act("L", { deadline: deadline("2026-11-27") }), "TERMIJN", blocked, TODAY)).toBe(true);
    expect(matchesFilter(act("S", { deadline: deadline("2026-12-01") }), "TERMIJN", blocked, TODAY)).toBe(true);
    expect(matchesFilter(act("T", { deadline: deadline("2026-12-02") }), "TERMIJN", blocked, TODAY)).toBe(false);
    expect(matchesFilter(act("D", { deadline: deadline("2026-11-27"), status: "IN_BEHANDELING" }), "TERMIJN", blocked, TODAY)).toBe(false);
    expect(matchesFilter(act("G", { type: "IDENTIFICATIEVERZOEK" }), "TERMIJN", blocked, TODAY)).toBe(false);
  });
});

describe("rule: how far each action got", () => {
  it("counted by status, waiting ones apart, blocked ones as given; an open action without decision to take counts only as an action", () => {
    const statuses: ActionStatus[] = ["GECONTROLEERD", "IN_VERZENDING", "IN_BEHANDELING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD"];
    const actions = [...statuses.map((status, n) => act(`A${n}`, { status })), act("W", { needsDecision: true }), act("O")];
    expect(actionCounts(actions, new Set(["O"]))).toEqual({ acties: 10, wachtOpBeslissing: 1, geblokkeerd: 1, gecontroleerd: 1, inVerzending: 1, inBehandeling: 2, geaccepteerd: 1, afgekeurd: 1, verwerkt: 1, genegeerd: 1 });
  });
});

describe("rule: the list shows personal data masked, and in parts", () => {
  const fields = [{ field: "achternaam", lvs: "Jansen", bron: "Janssen" }];

  it("masked in the list; whole only when asked for (a detail view whose opening is audited)", () => {
    expect(toActionView(act("A", { fields }), [], TODAY).velden).toEqual([{ field: "achternaam", lvs: "J.", bron: "J." }]);
    expect(toActionView(act("A", { fields }), [], TODAY, { volledig: true }).velden).toEqual(fields);
  });

  it("a part of the filtered list from `vanaf`, `aantal` long; the total is of the whole filter; each action with all of its own signals", () => {
    const actions = ["A", "B", "C", "D", "E"].map((id) => act(id, { needsDecision: true }));
    const signals = [attentie("B"), { ...attentie("B"), code: "B2" }, attentie("D")];
    const v = actionListView(actions, signals, TODAY, "WACHT_OP_BESLISSING", { vanaf: 1, aantal: 2 });
    expect(v.acties.map((a) => [a.id, a.signalen.map((s) => s.code)])).toEqual([
      ["B", ["A", "B2"]],
      ["C", []],
    ]);
    expect([v.totaal, v.vanaf]).toEqual([5, 1]);
    expect(actionListView(actions, signals, TODAY, "WACHT_OP_BESLISSING", { vanaf: 3 }).acties.map((a) => a.id)).toEqual(["D", "E"]);
    expect(actionListView(actions, signals, TODAY, "WACHT_OP_BESLISSING", { aantal: 1 }).acties.map((a) => a.id)).toEqual(["A"]);
    expect(actionListView(actions, signals, TODAY, "WACHT_OP_BESLISSING").vanaf).toBe(0);
  });

  it("the list says which of its actions an afkeur blocks, and counts them", () => {
    const v = actionListView([act("A"), act("B")], [afkeur("A")], TODAY, "ALLE");
    expect(v.acties.map((a) => [a.id, a.geblokkeerd])).toEqual([
      ["A", true],
      ["B", false],
    ]);
    expect(v.tellingen.geblokkeerd).toBe(1);
    expect(v.telling.GEBLOKKEERD).toBe(1);
  });
});
