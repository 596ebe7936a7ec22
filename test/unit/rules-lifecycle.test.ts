import { describe, expect, it } from "vitest";
import { evolve, type ActionEvent } from "../../src/core/action-lifecycle.js";
import type { Action, ActionStatus, Keuze } from "../../src/core/model.js";
import { act } from "./rules-fixtures.js";

/**
 * The life of an action (domain.md "Rules", manual ch. 5 and 6): every event from every status, with the
 * Dutch reason the admin API shows when an event does not apply. Forward only.
 */

const ALL: ActionStatus[] = ["OPEN", "GECONTROLEERD", "IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD", "VERWIJDERD"];
const WORD: Record<ActionStatus, string> = {
  OPEN: "open",
  GECONTROLEERD: "gecontroleerd",
  IN_VERZENDING: "wordt verzonden",
  IN_BEHANDELING: "in behandeling bij BRON",
  GEACCEPTEERD: "geaccepteerd",
  AFGEKEURD: "afgekeurd",
  VERWERKT: "verwerkt in LVS2000",
  GENEGEERD: "genegeerd",
  VERWIJDERD: "verwijderd",
};
const BEING_SENT = "Deze actie wordt op dit moment naar BRON verzonden; wacht tot de verzending klaar is.";
const beslissing = (keuze: Keuze) => ({ keuze, door: "j.jansen", op: "2026-11-28T10:00:00Z" });

/** Where an event leaves an action: its new status, "weg" (gone), or the refusal with its reason. */
function outcome(a: Action, e: ActionEvent): string {
  const r = evolve(a, e);
  if (!r.ok) return `${r.refusal}: ${r.reason}`;
  if (r.action === null) return "weg";
  return r.action === a ? `${r.action.status} (ongewijzigd)` : r.action.status;
}
const table = (make: (s: ActionStatus) => Action, e: ActionEvent) => Object.fromEntries(ALL.map((s) => [s, outcome(make(s), e)]));

describe("rule: a person decides only on an action not yet taken by a send", () => {
  it("open or checked: decided (open again, checked anew); being sent: wait; otherwise: too late", () => {
    const t = table((status) => act("WO", { type: "WIJZIGING_ONDERWIJSGEGEVENS", needsDecision: true, status }), { kind: "decided", beslissing: beslissing("NAAR_BRON") });
    expect(t).toEqual({
      OPEN: "OPEN",
      GECONTROLEERD: "OPEN",
      IN_VERZENDING: `BACKWARD: ${BEING_SENT}`,
      ...Object.fromEntries(["IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD", "VERWIJDERD"].map((s) => [s, `BACKWARD: Over deze actie kan niet meer beslist worden: ze is ${WORD[s as ActionStatus]}.`])),
    });
  });
});

describe("rule: three answers to a difference — negeren, naar BRON, naar LVS2000", () => {
  const ws = act("WS", { type: "WIJZIGING_SLEUTELGEGEVENS", needsDecision: true, fields: [{ field: "pgn", lvs: null, bron: null }, { field: "achternaam", lvs: "a", bron: "b" }], reason: "eerder" });
  const adres = act("OA", { type: "OVERNEMEN_ADRES_IN_LVS", needsDecision: true });
  const wo = act("WO", { type: "WIJZIGING_ONDERWIJSGEGEVENS", needsDecision: true });
  const decide = (a: Action, keuze: Keuze) => evolve(a, { kind: "decided", beslissing: beslissing(keuze) });

  it("negeren: GENEGEERD, with who decided", () => {
    expect(decide(wo, "NEGEREN")).toEqual({ ok: true, action: { ...wo, status: "GENEGEERD", decision: beslissing("NEGEREN") } });
  });

  it("naar LVS2000 turns key data around, with its own reason naming the fields; an address is confirmed; other types cannot", () => {
    expect(decide(ws, "NAAR_LVS")).toEqual({ ok: true, action: { ...ws, status: "OPEN", decision: beslissing("NAAR_LVS"), direction: "LVS", reason: "Sleutelgegevens uit BRON overnemen in LVS2000 (PGN, achternaam)." } });
    expect(decide(adres, "NAAR_LVS")).toEqual({ ok: true, action: { ...adres, status: "OPEN", decision: beslissing("NAAR_LVS") } });
    expect(decide(wo, "NAAR_LVS")).toEqual({ ok: false, refusal: "NOT_APPLICABLE", reason: "Alleen sleutelgegevens en adresgegevens kunnen naar LVS2000 worden verwerkt." });
  });

  it("naar BRON: a GBA address cannot go to BRON; key data sent to BRON keeps its reason, turned-around key data gets BRON's reason back", () => {
    expect(decide(adres, "NAAR_BRON")).toEqual({ ok: false, refusal: "NOT_APPLICABLE", reason: "Een adres uit de GBA kan alleen in LVS2000 worden overgenomen, niet naar BRON worden verwerkt." });
    expect(decide(ws, "NAAR_BRON")).toEqual({ ok: true, action: { ...ws, status: "OPEN", decision: beslissing("NAAR_BRON") } });
    expect(decide({ ...ws, direction: "LVS" } as Action, "NAAR_BRON")).toEqual({
      ok: true,
      action: { ...ws, status: "OPEN", decision: beslissing("NAAR_BRON"), direction: "BRON", reason: "Sleutel- of persoonsgegevens wijken af (PGN, achternaam): doorgeven aan BRON of de gegevens uit BRON overnemen in LVS2000?" },
    });
  });
});

describe("rule: controleren — only what goes ahead is checked", () => {
  it("passed: GECONTROLEERD; blocked by an afkeur: open; a checked action checked again stays as it is", () => {
    expect(outcome(act("A"), { kind: "checked", passed: true })).toBe("GECONTROLEERD");
    expect(outcome(act("A", { status: "GECONTROLEERD" }), { kind: "checked", passed: true })).toBe("GECONTROLEERD (ongewijzigd)");
    expect(outcome(act("A", { status: "GECONTROLEERD" }), { kind: "checked", passed: false })).toBe("OPEN");
    expect(outcome(act("A"), { kind: "checked", passed: false })).toBe("OPEN (ongewijzigd)");
  });

  it("a waiting action, or one already taken by a send, is not checked", () => {
    expect(outcome(act("A", { needsDecision: true }), { kind: "checked", passed: true })).toBe("NOT_APPLICABLE: Deze actie wacht op een beslissing.");
    for (const s of ["IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD", "VERWIJDERD"] as const) {
      expect(outcome(act("A", { status: s }), { kind: "checked", passed: true })).toBe(`NOT_APPLICABLE: Deze actie is ${WORD[s]} en wordt niet meer gecontroleerd.`);
    }
  });
});

describe("rule: verzenden — a checked action to BRON is taken into a recorded batch, then delivered", () => {
  it("batched: only a checked action; one already being sent stays; an action to LVS2000 never goes to BRON", () => {
    const t = table((status) => act("A", { status }), { kind: "batched" });
    expect(t.GECONTROLEERD).toBe("IN_VERZENDING");
    expect(t.IN_VERZENDING).toBe("IN_VERZENDING (ongewijzigd)");
    for (const s of ["OPEN", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD", "VERWIJDERD"] as const) {
      expect(t[s]).toBe(`BACKWARD: Alleen een gecontroleerde actie kan verzonden worden; deze is ${WORD[s]}.`);
    }
    expect(outcome(act("OA", { type: "OVERNEMEN_ADRES_IN_LVS", status: "GECONTROLEERD" }), { kind: "batched" })).toBe("NOT_APPLICABLE: Een actie naar LVS2000 wordt niet naar BRON verzonden.");
  });

  it("sent: in behandeling; a confirmation after BRON's answer (or after deletion) changes nothing; otherwise it was in no send", () => {
    const t = table((status) => act("A", { status }), { kind: "sent" });
    expect(t).toEqual({
      IN_VERZENDING: "IN_BEHANDELING",
      IN_BEHANDELING: "IN_BEHANDELING (ongewijzigd)",
      GEACCEPTEERD: "GEACCEPTEERD (ongewijzigd)",
      AFGEKEURD: "AFGEKEURD (ongewijzigd)",
      VERWIJDERD: "VERWIJDERD (ongewijzigd)",
      ...Object.fromEntries(["OPEN", "GECONTROLEERD", "VERWERKT", "GENEGEERD"].map((s) => [s, `BACKWARD: Deze actie zat niet in een verzending; ze is ${WORD[s as ActionStatus]}.`])),
    });
  });

  it("refused at once by BRON: afgekeurd; twice changes nothing; otherwise it does not fit", () => {
    const t = table((status) => act("A", { status }), { kind: "refused" });
    expect(t.IN_VERZENDING).toBe("AFGEKEURD");
    expect(t.AFGEKEURD).toBe("AFGEKEURD (ongewijzigd)");
    for (const s of ["OPEN", "GECONTROLEERD", "IN_BEHANDELING", "GEACCEPTEERD", "VERWERKT", "GENEGEERD", "VERWIJDERD"] as const) {
      expect(t[s]).toBe(`BACKWARD: Een weigering van BRON past niet bij deze actie; ze is ${WORD[s]}.`);
    }
  });
});

describe("rule: verwerken in LVS2000 — a checked action to LVS2000 is VERWERKT once written", () => {
  it("only a checked LVS-direction action; written twice changes nothing", () => {
    const t = table((status) => act("OA", { type: "OVERNEMEN_ADRES_IN_LVS", status }), { kind: "written" });
    expect(t.GECONTROLEERD).toBe("VERWERKT");
    expect(t.VERWERKT).toBe("VERWERKT (ongewijzigd)");
    for (const s of ["OPEN", "IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "GENEGEERD", "VERWIJDERD"] as const) {
      expect(t[s]).toBe(`BACKWARD: Alleen een gecontroleerde actie naar LVS2000 kan verwerkt worden; deze is ${WORD[s]}.`);
    }
    expect(outcome(act("A", { status: "GECONTROLEERD" }), { kind: "written" })).toBe("BACKWARD: Alleen een gecontroleerde actie naar LVS2000 kan verwerkt worden; deze is gecontroleerd.");
  });
});

describe("rule: BRON's feedback moves a delivered action on, forward only", () => {
  it("accepted: from any status not yet final; twice changes nothing; a deleted one's answer is applied and its tombstone stays", () => {
    const t = table((status) => act("A", { status }), { kind: "accepted" });
    expect(t).toEqual({
      OPEN: "GEACCEPTEERD",
      GECONTROLEERD: "GEACCEPTEERD",
      IN_VERZENDING: "GEACCEPTEERD",
      IN_BEHANDELING: "GEACCEPTEERD",
      GEACCEPTEERD: "GEACCEPTEERD (ongewijzigd)",
      AFGEKEURD: "BACKWARD: Actie A heeft al status AFGEKEURD; GEACCEPTEERD kan niet meer",
      VERWERKT: "BACKWARD: Actie A heeft al status VERWERKT; GEACCEPTEERD kan niet meer",
      GENEGEERD: "BACKWARD: Actie A heeft al status GENEGEERD; GEACCEPTEERD kan niet meer",
      VERWIJDERD: "VERWIJDERD (ongewijzigd)",
    });
  });

  it("afgekeurd likewise; an answer to an action towards LVS2000 does not apply", () => {
    expect(outcome(act("A", { status: "IN_BEHANDELING" }), { kind: "afgekeurd" })).toBe("AFGEKEURD");
    expect(outcome(act("A", { status: "AFGEKEURD" }), { kind: "afgekeurd" })).toBe("AFGEKEURD (ongewijzigd)");
    expect(outcome(act("A", { status: "GEACCEPTEERD" }), { kind: "afgekeurd" })).toBe("BACKWARD: Actie A heeft al status GEACCEPTEERD; AFGEKEURD kan niet meer");
    expect(outcome(act("OA", { type: "OVERNEMEN_ADRES_IN_LVS", status: "GECONTROLEERD" }), { kind: "accepted" })).toBe("NOT_APPLICABLE: Mutatie OA is geen actie naar BRON");
  });
});

describe("rule: deleting an action", () => {
  it("being sent: refused; received by BRON (in behandeling, geaccepteerd, afgekeurd): a hidden tombstone; otherwise gone", () => {
    expect(table((status) => act("A", { status }), { kind: "deleted" })).toEqual({
      OPEN: "weg",
      GECONTROLEERD: "weg",
      IN_VERZENDING: `BACKWARD: ${BEING_SENT}`,
      IN_BEHANDELING: "VERWIJDERD",
      GEACCEPTEERD: "VERWIJDERD",
      AFGEKEURD: "VERWIJDERD",
      VERWERKT: "weg",
      GENEGEERD: "weg",
      VERWIJDERD: "weg",
    });
  });

  it("the same difference determined again keeps the stored action (its decision with it); a tombstone stays (the re-send gets a new mutatieId)", () => {
    const fresh = act("A", { reason: "vers" });
    expect(evolve(act("A", { status: "GECONTROLEERD" }), { kind: "determined", fresh })).toEqual({ ok: true, action: act("A", { status: "GECONTROLEERD" }) });
    expect(evolve(act("A", { status: "VERWIJDERD" }), { kind: "determined", fresh })).toEqual({ ok: true, action: act("A", { status: "VERWIJDERD" }) });
  });
});

