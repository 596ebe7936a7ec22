import { describe, expect, it } from "vitest";
import { afterDelivery, afterLvsWrites, lvsWritesForSend, plannedBatch, takeForSend, type PlannedLvsWrite } from "../../src/core/send-plan.js";
import { indexForSend, toLvsWrites, toMutatie } from "../../src/core/to-mutatie.js";
import type { Action, ActionType, Leerling } from "../../src/core/model.js";
import { bronInschrijvingOf, bronLeerlingOf, inStep, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";
import { act } from "./rules-fixtures.js";

/**
 * Verwerken en verzenden (domain.md "Rules: sending"): what is sent is built from the current data —
 * LVS2000 for what goes to BRON, the mirror for what is taken into LVS2000 — never from the values stored
 * in the action, which may be days old.
 */

const p = inStep();
const lvs = lvsSnapshot([{ ...p.l, rowVersion: "rv1" }], [{ ...p.i, rowVersion: "rv2" }]);
const mirror = mirrorOf([p.bl], [p.bi]);
const ix = indexForSend(lvs, mirror);
const { onderwijsSinds: _o, ...leerlingGegevens } = p.l;
const { aanleverpunt: _a, ...inschrijvingGegevens } = p.i;
const of = (type: ActionType, over: Partial<Action> = {}) => act(`${type}-X`, { type, ...over });
const missing = (what: string) => ({ ok: false, reason: `${what} staat niet (meer) in LVS2000; bepaal de acties opnieuw.` });

describe("rule: the mutation sent to BRON is built from LVS2000's current data, under the action's id", () => {
  it("Nieuwe inschrijving: the pupil's and enrolment's data, without LVS2000's bookkeeping (Onderwijs Sinds, row versions, aanleverpunt)", () => {
    expect(toMutatie(of("NIEUWE_INSCHRIJVING", { fields: [{ field: "leerjaar", lvs: 1, bron: null }] }), ix)).toEqual({
      ok: true,
      value: { soort: "NIEUWE_INSCHRIJVING", mutatieId: "NIEUWE_INSCHRIJVING-X", leerling: leerlingGegevens, inschrijving: inschrijvingGegevens },
    });
  });

  it("Uitschrijving: the whole enrolment with its deregistration, the pupil by reference", () => {
    const uit = { ...p.i, uitschrijfdatum: "2026-11-20", redenUitschrijving: "VERHUIZING" };
    const r = toMutatie(of("UITSCHRIJVING"), indexForSend(lvsSnapshot([p.l], [uit]), mirror));
    expect(r).toEqual({ ok: true, value: { soort: "UITSCHRIJVING", mutatieId: "UITSCHRIJVING-X", leerling: { leerlingId: "1001", pgn: p.l.pgn }, inschrijving: { ...inschrijvingGegevens, uitschrijfdatum: "2026-11-20", redenUitschrijving: "VERHUIZING" } } });
    expect(toMutatie(of("UITSCHRIJVING"), ix)).toEqual({ ok: false, reason: "De inschrijving heeft in LVS2000 geen uitschrijfdatum meer; bepaal de acties opnieuw." });
  });

  it("Wijziging sleutelgegevens and Identificatieverzoek: the pupil's current data", () => {
    const nu = { ...p.l, achternaam: "Bakker" };
    const ix2 = indexForSend(lvsSnapshot([nu], [p.i]), mirror);
    const { onderwijsSinds: _x, ...gegevens } = nu;
    expect(toMutatie(of("WIJZIGING_SLEUTELGEGEVENS", { fields: [{ field: "achternaam", lvs: "Oud", bron: "Vries" }] }), ix2)).toEqual({ ok: true, value: { soort: "WIJZIGING_SLEUTELGEGEVENS", mutatieId: "WIJZIGING_SLEUTELGEGEVENS-X", leerling: gegevens } });
    expect(toMutatie(of("IDENTIFICATIEVERZOEK"), ix2)).toEqual({ ok: true, value: { soort: "IDENTIFICATIEVERZOEK", mutatieId: "IDENTIFICATIEVERZOEK-X", leerling: gegevens } });
  });

  it("Wijziging onderwijsgegevens: the current enrolment, the pupil by reference", () => {
    expect(toMutatie(of("WIJZIGING_ONDERWIJSGEGEVENS"), ix)).toEqual({ ok: true, value: { soort: "WIJZIGING_ONDERWIJSGEGEVENS", mutatieId: "WIJZIGING_ONDERWIJSGEGEVENS-X", leerling: { leerlingId: "1001", pgn: p.l.pgn }, inschrijving: inschrijvingGegevens } });
  });

  it("Verwijdering: only references — it needs nothing from LVS2000, the PGN comes from BRON when LVS2000 no longer has the pupil", () => {
    const weg = indexForSend(lvsSnapshot([], []), mirrorOf([{ ...p.bl, pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } }], [p.bi]));
    expect(toMutatie(of("VERWIJDERING_INSCHRIJVING"), weg)).toEqual({ ok: true, value: { soort: "VERWIJDERING_INSCHRIJVING", mutatieId: "VERWIJDERING_INSCHRIJVING-X", leerling: { leerlingId: "1001", pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } }, inschrijvingId: "I1001" } });
    expect(toMutatie(of("VERWIJDERING_INSCHRIJVING"), indexForSend(lvsSnapshot([], []), mirrorOf([], [])))).toMatchObject({ ok: true, value: { leerling: { leerlingId: "1001", pgn: null } } });
  });

  it("the reference carries LVS2000's PGN before BRON's", () => {
    const ix2 = indexForSend(lvs, mirrorOf([{ ...p.bl, pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } }], [p.bi]));
    expect(toMutatie(of("WIJZIGING_ONDERWIJSGEGEVENS"), ix2)).toMatchObject({ ok: true, value: { leerling: { pgn: p.l.pgn } } });
    const zonder = indexForSend(lvsSnapshot([{ ...p.l, pgn: null }], [p.i]), mirrorOf([{ ...p.bl, pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } }], [p.bi]));
    expect(toMutatie(of("WIJZIGING_ONDERWIJSGEGEVENS"), zonder)).toMatchObject({ ok: true, value: { leerling: { pgn: { soort: "ONDERWIJSNUMMER", nummer: "100310303" } } } });
  });

  it("Correctie inschrijfdatum: the old date as BRON has it (current enrolment before a historical one), the corrected enrolment from LVS2000", () => {
    const m = mirrorOf([p.bl], [bronInschrijvingOf(p.i, { inschrijfdatum: "2019-08-20" })], { historisch: [bronInschrijvingOf(p.i, { inschrijfdatum: "2019-08-01" })] });
    expect(toMutatie(of("CORRECTIE_INSCHRIJFDATUM"), indexForSend(lvs, m))).toEqual({
      ok: true,
      value: { soort: "CORRECTIE_INSCHRIJFDATUM", mutatieId: "CORRECTIE_INSCHRIJFDATUM-X", leerling: { leerlingId: "1001", pgn: p.l.pgn }, oudeInschrijfdatum: "2019-08-20", inschrijving: inschrijvingGegevens },
    });
    const hist = mirrorOf([p.bl], [], { historisch: [bronInschrijvingOf(p.i, { inschrijfdatum: "2019-08-01" })] });
    expect(toMutatie(of("CORRECTIE_INSCHRIJFDATUM"), indexForSend(lvs, hist))).toMatchObject({ ok: true, value: { oudeInschrijfdatum: "2019-08-01" } });
    expect(toMutatie(of("CORRECTIE_INSCHRIJFDATUM"), indexForSend(lvs, mirrorOf([p.bl], [])))).toEqual({ ok: false, reason: "BRON kent deze inschrijving niet (meer); bepaal de acties opnieuw." });
  });

  it("what LVS2000 no longer holds cannot be sent: determine again", () => {
    const leeg = indexForSend(lvsSnapshot([], []), mirror);
    const zonderInschrijving = indexForSend(lvsSnapshot([p.l], []), mirror);
    expect(toMutatie(of("NIEUWE_INSCHRIJVING"), leeg)).toEqual(missing("De leerling"));
    expect(toMutatie(of("NIEUWE_INSCHRIJVING"), zonderInschrijving)).toEqual(missing("De inschrijving"));
    expect(toMutatie(of("UITSCHRIJVING"), zonderInschrijving)).toEqual(missing("De inschrijving"));
    expect(toMutatie(of("WIJZIGING_ONDERWIJSGEGEVENS"), zonderInschrijving)).toEqual(missing("De inschrijving"));
    expect(toMutatie(of("CORRECTIE_INSCHRIJFDATUM"), zonderInschrijving)).toEqual(missing("De inschrijving"));
    expect(toMutatie(of("WIJZIGING_SLEUTELGEGEVENS"), leeg)).toEqual(missing("De leerling"));
    expect(toMutatie(of("IDENTIFICATIEVERZOEK"), leeg)).toEqual(missing("De leerling"));
  });

  it("an address is taken into LVS2000, never sent to BRON", () => {
    expect(toMutatie(of("OVERNEMEN_ADRES_IN_LVS"), ix)).toEqual({ ok: false, reason: "Adresgegevens worden in LVS2000 overgenomen, niet naar BRON gestuurd." });
  });
});

describe("rule: what is taken into LVS2000 comes from the mirror, and only what differs is written", () => {
  const bsn2 = { soort: "BSN" as const, nummer: "10000008" };

  it("the GBA address BRON holds", () => {
    const adres = { ...p.l.adres!, huisnummer: 14 };
    const ix2 = indexForSend(lvs, mirrorOf([{ ...p.bl, gbaAdres: adres }], [p.bi]));
    expect(toLvsWrites(of("OVERNEMEN_ADRES_IN_LVS"), ix2)).toEqual({ ok: true, value: [{ soort: "GBA_ADRES", leerlingId: "1001", adres }] });
    expect(toLvsWrites(of("OVERNEMEN_ADRES_IN_LVS"), indexForSend(lvs, mirrorOf([{ ...p.bl, gbaAdres: null }], [])))).toEqual({ ok: false, reason: "BRON heeft geen GBA-adres voor deze leerling." });
  });

  it("BRON's key data: the changed name fields and a changed PGN", () => {
    const ix2 = indexForSend(lvs, mirrorOf([{ ...p.bl, achternaam: "Dijk", pgn: bsn2 }], []));
    expect(toLvsWrites(of("WIJZIGING_SLEUTELGEGEVENS", { direction: "LVS" }), ix2)).toEqual({
      ok: true,
      value: [
        { soort: "NAAM_CORRECTIE", leerlingId: "1001", achternaam: "Dijk" },
        { soort: "SET_PGN", leerlingId: "1001", pgn: bsn2 },
      ],
    });
  });

  it("a PGN BRON does not have is not written; the same PGN neither", () => {
    const geenPgn = indexForSend(lvs, mirrorOf([{ ...p.bl, pgn: null, voornamen: "Eva" }], []));
    expect(toLvsWrites(of("WIJZIGING_SLEUTELGEGEVENS", { direction: "LVS" }), geenPgn)).toEqual({ ok: true, value: [{ soort: "NAAM_CORRECTIE", leerlingId: "1001", voornamen: "Eva" }] });
    const alleenPgn = indexForSend(lvs, mirrorOf([{ ...p.bl, pgn: bsn2 }], []));
    expect(toLvsWrites(of("WIJZIGING_SLEUTELGEGEVENS", { direction: "LVS" }), alleenPgn)).toEqual({ ok: true, value: [{ soort: "SET_PGN", leerlingId: "1001", pgn: bsn2 }] });
  });

  it("nothing to write when LVS2000 already has BRON's key data, or when BRON or LVS2000 no longer knows the pupil", () => {
    expect(toLvsWrites(of("WIJZIGING_SLEUTELGEGEVENS", { direction: "LVS" }), ix)).toEqual({ ok: false, reason: "LVS2000 heeft de sleutelgegevens van BRON al; bepaal de acties opnieuw." });
    expect(toLvsWrites(of("WIJZIGING_SLEUTELGEGEVENS", { direction: "LVS" }), indexForSend(lvs, mirrorOf([], [])))).toEqual({ ok: false, reason: "BRON kent deze leerling niet (meer); bepaal de acties opnieuw." });
    expect(toLvsWrites(of("WIJZIGING_SLEUTELGEGEVENS", { direction: "LVS" }), indexForSend(lvsSnapshot([], []), mirror))).toEqual({ ok: false, reason: "De leerling staat niet (meer) in LVS2000; bepaal de acties opnieuw." });
  });

  it("other action types have nothing to write into LVS2000", () => {
    expect(toLvsWrites(of("WIJZIGING_ONDERWIJSGEGEVENS"), ix)).toEqual({ ok: false, reason: "Een actie WIJZIGING_ONDERWIJSGEGEVENS kan niet naar LVS2000 worden verwerkt." });
  });
});

describe("rule: a send takes checked actions to BRON into a batch recorded before delivery", () => {
  it("a planned batch is recorded as GEPLAND with its actions in order", () => {
    expect(plannedBatch("urn:uuid:1", 2, ["A", "B"])).toEqual({ messageId: "urn:uuid:1", volgorde: 2, actionIds: ["A", "B"], status: "GEPLAND" });
  });

  it("only checked actions to BRON are taken; open, LVS-direction and settled ones stay as they are", () => {
    const actions = [act("NI", { status: "GECONTROLEERD" }), act("OPEN"), act("OA", { type: "OVERNEMEN_ADRES_IN_LVS", status: "GECONTROLEERD" }), act("DONE", { status: "GEACCEPTEERD" })];
    const taken = takeForSend(actions, [], ix);
    expect(taken.actions.map((a) => [a.id, a.status])).toEqual([
      ["NI", "IN_VERZENDING"],
      ["OPEN", "OPEN"],
      ["OA", "GECONTROLEERD"],
      ["DONE", "GEACCEPTEERD"],
    ]);
    expect(taken.mutaties.map((m) => m.mutatieId)).toEqual(["NI"]);
    expect(taken.signals).toEqual([]);
  });

  it("a left-over of an earlier attempt that cannot be built any more is afgekeurd with the reason; a fresh one stays checked with it", () => {
    const gone = (id: string, status: "GECONTROLEERD" | "IN_VERZENDING") => act(id, { status, leerlingId: "9", inschrijvingId: "I9" });
    const taken = takeForSend([gone("LEFT", "IN_VERZENDING"), gone("FRESH", "GECONTROLEERD")], [], ix);
    expect(taken.actions.map((a) => [a.id, a.status])).toEqual([
      ["LEFT", "AFGEKEURD"],
      ["FRESH", "GECONTROLEERD"],
    ]);
    expect(taken.signals).toEqual(["LEFT", "FRESH"].map((id) => ({ code: "VERZENDEN", ernst: "AFKEUR", tekst: "De leerling staat niet (meer) in LVS2000; bepaal de acties opnieuw.", actionId: id, field: null })));
    expect(taken.mutaties).toEqual([]);
  });

  it("BRON refusing a batch without a code: afgekeurd under code BRON with its melding; actions outside the batch are untouched", () => {
    const batch = plannedBatch("m", 0, ["A"]);
    const r = afterDelivery([act("A", { status: "IN_VERZENDING" }), act("B", { status: "IN_VERZENDING" })], batch, { kind: "refused", code: null, melding: "XML ongeldig" });
    expect(r.actions.map((a) => a.status)).toEqual(["AFGEKEURD", "IN_VERZENDING"]);
    expect(r.signals).toEqual([{ code: "BRON", ernst: "AFKEUR", tekst: "BRON weigerde de levering: XML ongeldig", actionId: "A", field: null }]);
    expect(afterDelivery([act("A", { status: "IN_VERZENDING" })], batch, { kind: "sent" }).signals).toEqual([]);
  });

  it("the send's bookkeeping never forces an event the lifecycle refuses: it stops with an error", () => {
    expect(() => afterDelivery([act("A", { status: "OPEN" })], plannedBatch("m", 0, ["A"]), { kind: "sent" })).toThrow("send bookkeeping: sent refused for A: Deze actie zat niet in een verzending; ze is open.");
  });
});

describe("rule: actions to LVS2000 are written by the relay, then VERWERKT", () => {
  const adres = { ...p.l.adres!, huisnummer: 14 };
  const ix2 = indexForSend(lvs, mirrorOf([{ ...p.bl, gbaAdres: adres, achternaam: "Dijk", pgn: { soort: "BSN", nummer: "10000008" } }], []));

  it("every checked action to LVS2000 gives its writes; one without writes gets an afkeur; others are not written", () => {
    const actions = [
      act("OA", { type: "OVERNEMEN_ADRES_IN_LVS", status: "GECONTROLEERD" }),
      act("WS", { type: "WIJZIGING_SLEUTELGEGEVENS", direction: "LVS", status: "GECONTROLEERD" }),
      act("WS-open", { type: "WIJZIGING_SLEUTELGEGEVENS", direction: "LVS" }),
      act("NI", { status: "GECONTROLEERD" }),
      act("OA-weg", { type: "OVERNEMEN_ADRES_IN_LVS", status: "GECONTROLEERD", leerlingId: "9" }),
    ];
    const r = lvsWritesForSend(actions, ix2);
    expect(r.writes.map((w) => [w.actionId, w.write.soort])).toEqual([
      ["OA", "GBA_ADRES"],
      ["WS", "NAAM_CORRECTIE"],
      ["WS", "SET_PGN"],
    ]);
    expect(r.signals).toEqual([{ code: "VERWERKEN_LVS", ernst: "AFKEUR", tekst: "BRON kent deze leerling niet (meer); bepaal de acties opnieuw.", actionId: "OA-weg", field: null }]);
  });

  it("an action is VERWERKT only when all its writes were applied; one refused write keeps it checked with an attentie", () => {
    const actions = [act("OA", { type: "OVERNEMEN_ADRES_IN_LVS", status: "GECONTROLEERD" }), act("WS", { type: "WIJZIGING_SLEUTELGEGEVENS", direction: "LVS", status: "GECONTROLEERD" }), act("X", { status: "GECONTROLEERD" })];
    const writes: (PlannedLvsWrite & { ok: boolean })[] = [
      { actionId: "OA", write: { soort: "GBA_ADRES", leerlingId: "1001", adres }, ok: true },
      { actionId: "WS", write: { soort: "NAAM_CORRECTIE", leerlingId: "1001", achternaam: "Dijk" }, ok: true },
      { actionId: "WS", write: { soort: "SET_PGN", leerlingId: "1001", pgn: { soort: "BSN", nummer: "10000008" } }, ok: false },
    ];
    const r = afterLvsWrites(actions, writes, (w) => w.ok);
    expect(r.actions.map((a) => [a.id, a.status])).toEqual([
      ["OA", "VERWERKT"],
      ["WS", "GECONTROLEERD"],
      ["X", "GECONTROLEERD"],
    ]);
    expect(r.signals).toEqual([{ code: "LVS_GEWIJZIGD", ernst: "ATTENTIE", tekst: "LVS2000 is intussen gewijzigd of kent de leerling niet; bepaal de acties opnieuw.", actionId: "WS", field: null }]);
    expect([r.verwerkt, r.conflicten]).toEqual([1, 1]);
  });
});

describe("the send index", () => {
  it("BRON's current enrolment wins over a historical one with the same reference", () => {
    const m = mirrorOf([p.bl], [p.bi], { historisch: [{ ...p.bi, leerjaar: 1 }] });
    expect(indexForSend(lvs, m).bronInschrijvingen.get("I1001")?.leerjaar).toBe(6);
    const l: Leerling = p.l;
    expect(indexForSend(lvs, m).leerlingen.get("1001")?.id).toBe(l.id);
    expect(indexForSend(lvs, m).bronLeerlingen.get("1001")).toEqual(bronLeerlingOf(p.l));
  });
});
