import { describe, expect, it } from "vitest";
import { actionsAfterFeedback, applyFeedback, signalsAfterFeedback, type FeedbackResult } from "../../src/core/apply-feedback.js";
import { MirrorState } from "../../src/core/mirror-state.js";
import { Action, FeedbackMessage, type ActionType, type BronLeerling, type BronMirror, type Signal } from "../../src/core/model.js";
import { AP, TODAY, bronInschrijvingOf, inStep, mirrorOf } from "./determine-actions.fixtures.js";

/**
 * Terugkoppeling verwerken (domain.md "Rules: feedback", manual ch. 2 and 7): what each kind of message
 * does, and the messages that must be refused — kept in `failed` with a Dutch error, changing nothing.
 */

const a = inStep("1001");
const b = inStep("1002");
const mirror = mirrorOf([a.bl, b.bl], [a.bi, b.bi], { peildatum: "2026-11-01", overzichtDatum: "2026-11-01" });
const at = (n: number) => `2026-11-28T10:${String(n).padStart(2, "0")}:00Z`;
const base = { aanleverpunt: AP };
const BSN2 = { soort: "BSN" as const, nummer: "10000008" };
const ON = { soort: "ONDERWIJSNUMMER" as const, nummer: "100729533" };
const afkeurSignaal: Signal = { code: "BSN_GESLACHT", ernst: "AFKEUR", tekst: "BSN past niet bij geslacht en geboortedatum", actionId: null, field: "pgn" };
const attentie: Signal = { code: "460", ernst: "ATTENTIE", tekst: "Gewicht gewijzigd van 0", actionId: null, field: null };

function action(id: string, type: ActionType, leerlingId: string, inschrijvingId: string | null, over: Partial<Action> = {}): Action {
  return Action.parse({ id, type, direction: "BRON", needsDecision: false, decision: null, aanleverpunt: AP, leerlingId, inschrijvingId, fields: [], fingerprint: `fp-${id}`, deadline: null, reason: "r", status: "IN_BEHANDELING", ...over });
}
const actions = [action("UI-1001", "UITSCHRIJVING", "1001", "I1001"), action("VI-1002", "VERWIJDERING_INSCHRIJVING", "1002", "I1002"), action("IV-1001", "IDENTIFICATIEVERZOEK", "1001", null)];

const run = (messages: unknown[], over: { mirror?: BronMirror; actions?: Action[] } = {}) =>
  applyFeedback(over.mirror ?? mirror, over.actions ?? actions, messages.map((m) => FeedbackMessage.parse(m)), TODAY);
const accepted = (n: number, mutatieId: string, leerling: BronLeerling, over: Record<string, unknown> = {}) => ({ ...base, id: `m${n}`, ontvangenOp: at(n), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId, leerling, inschrijving: null, toegekendOnderwijsnummer: null, signalen: [], ...over });

/** A refused message: in failed with exactly this error, and nothing else happened. */
function refusedOnly(r: FeedbackResult, error: string) {
  expect(r.failed).toEqual([{ messageId: "m1", error }]);
  expect(r.mirror).toEqual(mirror);
  expect(r.actionUpdates).toEqual([]);
  expect(r.lvsWrites).toEqual([]);
  expect(r.signals).toEqual([]);
}

const updatesOf = (r: { actionUpdates: { actionId: string; action: { status: string } | null }[] }) => r.actionUpdates.map((u) => [u.actionId, u.action?.status ?? null]);

describe("rule: feedback that cannot be processed is refused and kept with its error", () => {
  it("a message for another aanleverpunt", () => {
    refusedOnly(run([{ aanleverpunt: "99ZZ00", id: "m1", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling: a.bl }]), "Bericht is voor aanleverpunt 99ZZ00, niet voor 00AA00");
  });

  it("a registratieoverzicht holding an enrolment of another aanleverpunt (current or historical)", () => {
    const vreemd = { ...a.bi, inschrijvingId: "X1", aanleverpunt: "99ZZ00" };
    const msg = (over: object) => ({ ...base, id: "m1", ontvangenOp: at(1), soort: "REGISTRATIEOVERZICHT", peildatum: TODAY, leerlingen: [a.bl], inschrijvingen: [a.bi], historisch: [], ...over });
    refusedOnly(run([msg({ inschrijvingen: [a.bi, vreemd] })]), "Registratieoverzicht bevat inschrijving X1 van aanleverpunt 99ZZ00");
    refusedOnly(run([msg({ historisch: [vreemd] })]), "Registratieoverzicht bevat inschrijving X1 van aanleverpunt 99ZZ00");
  });

  it("an acceptance about another pupil than the action it answers", () => {
    refusedOnly(run([accepted(1, "UI-1001", b.bl)]), "Terugkoppeling op mutatie UI-1001 gaat over een andere leerling dan de actie");
  });

  it("an acceptance carrying an enrolment of another aanleverpunt", () => {
    refusedOnly(run([accepted(1, "UI-1001", a.bl, { inschrijving: { ...a.bi, aanleverpunt: "99ZZ00" } })]), "Inschrijving in terugkoppeling hoort bij aanleverpunt 99ZZ00");
  });

  it("an acceptance assigning an invalid onderwijsnummer", () => {
    refusedOnly(run([accepted(1, "UI-1001", a.bl, { toegekendOnderwijsnummer: "100310304" })]), "Toegekend onderwijsnummer in terugkoppeling op mutatie UI-1001 is ongeldig");
  });

  it("an answer to an action that is not a delivery to BRON", () => {
    const oa = action("OA-1001", "OVERNEMEN_ADRES_IN_LVS", "1001", null, { direction: "LVS", status: "GECONTROLEERD" });
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "AFKEUR", mutatieId: "OA-1001", signalen: [afkeurSignaal] }], { actions: [oa] });
    expect(r.failed).toEqual([{ messageId: "m1", error: "Mutatie OA-1001 is geen actie naar BRON" }]);
  });

  it("a Wijziging sleutelgegevens without a new PGN", () => {
    refusedOnly(run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: a.bl.pgn, leerling: { ...a.bl, pgn: null } }]), "Wijziging sleutelgegevens voor leerling 1001 zonder nieuw PGN");
  });

  it("a Wijziging sleutelgegevens for a pupil BRON's overzicht does not hold, by leerling id nor by old PGN", () => {
    const onbekend = { ...a.bl, leerlingId: "9999", pgn: BSN2 };
    refusedOnly(run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: ON, leerling: onbekend }]), "Wijziging sleutelgegevens voor leerling 9999, die niet in het BRON-overzicht staat");
    refusedOnly(run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: null, leerling: onbekend }]), "Wijziging sleutelgegevens voor leerling 9999, die niet in het BRON-overzicht staat");
  });

  it("a spontane mutatie for a pupil BRON's overzicht does not hold", () => {
    refusedOnly(run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, leerlingId: "9999" } }]), "Spontane mutatie voor leerling 9999, die niet in het BRON-overzicht staat");
  });
});

describe("rule: a spontane mutatie is taken over into LVS2000 at once — only what changed", () => {
  const spontaan = (leerling: BronLeerling, m: BronMirror = mirror) => run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling }], { mirror: m });

  it("a changed PGN is written to LVS2000, and only that when nothing else changed; the person is told", () => {
    const r = spontaan({ ...a.bl, pgn: BSN2 });
    expect(r.lvsWrites).toEqual([{ soort: "SET_PGN", leerlingId: "1001", pgn: BSN2 }]);
    expect(r.mirror.leerlingen[0]).toEqual({ ...a.bl, pgn: BSN2 });
    expect(r.signals).toEqual([{ code: "SPONTANE_MUTATIE", ernst: "ATTENTIE", tekst: "Spontane mutatie uit de BRP overgenomen voor leerling 1001: pgn", actionId: null, field: "pgn" }]);
  });

  it("a PGN BRON no longer has is not written (nothing to write)", () => {
    const r = spontaan({ ...a.bl, pgn: null });
    expect(r.lvsWrites).toEqual([]);
    expect(r.signals).toEqual([]);
    expect(r.mirror.leerlingen[0]!.pgn).toBeNull();
  });

  it("each of voornamen, voorvoegsels, achternaam, geslacht and geboortedatum is written on its own; an empty voorvoegsel equals none", () => {
    const m = mirrorOf([{ ...a.bl, voorvoegsels: null }, b.bl], [a.bi, b.bi]);
    for (const over of [{ voornamen: "Eva" }, { voorvoegsels: "van" }, { achternaam: "Dijk" }, { geslacht: "O" as const }, { geboortedatum: "2015-03-15" }]) {
      const r = spontaan({ ...a.bl, voorvoegsels: null, ...over }, m);
      expect(r.lvsWrites, JSON.stringify(over)).toEqual([{ soort: "NAAM_CORRECTIE", leerlingId: "1001", ...over }]);
      expect(r.signals.map((x) => x.field)).toEqual(Object.keys(over));
    }
    expect(spontaan({ ...a.bl, voorvoegsels: "" }, m).lvsWrites).toEqual([]);
  });

  it("name, address and PGN changed together: all three are written, and named in one attentie", () => {
    const adres = { ...a.l.adres!, huisnummer: 99 };
    const r = spontaan({ ...a.bl, achternaam: "Dijk", gbaAdres: adres, pgn: BSN2 });
    expect(r.lvsWrites).toEqual([
      { soort: "NAAM_CORRECTIE", leerlingId: "1001", achternaam: "Dijk" },
      { soort: "GBA_ADRES", leerlingId: "1001", adres },
      { soort: "SET_PGN", leerlingId: "1001", pgn: BSN2 },
    ]);
    expect(r.signals.map((x) => [x.tekst, x.field])).toEqual([["Spontane mutatie uit de BRP overgenomen voor leerling 1001: achternaam, adres, pgn", "achternaam,adres,pgn"]]);
  });

  it("nothing changed: nothing is rewritten and nobody is bothered", () => {
    const r = spontaan(a.bl);
    expect(r.lvsWrites).toEqual([]);
    expect(r.signals).toEqual([]);
    expect(r.failed).toEqual([]);
  });

  it("BRON dropping the GBA address writes no address", () => {
    expect(spontaan({ ...a.bl, gbaAdres: null, achternaam: "Dijk" }).lvsWrites).toEqual([{ soort: "NAAM_CORRECTIE", leerlingId: "1001", achternaam: "Dijk" }]);
  });

  it("a GBA address for a pupil without one is written whole", () => {
    const zonder = mirrorOf([{ ...a.bl, gbaAdres: null }, b.bl], [a.bi, b.bi]);
    expect(spontaan(a.bl, zonder).lvsWrites).toEqual([{ soort: "GBA_ADRES", leerlingId: "1001", adres: a.bl.gbaAdres }]);
  });
});

describe("rule: a Wijziging sleutelgegevens is written to LVS2000 at once", () => {
  it("the new PGN only, when the name did not change", () => {
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: a.bl.pgn, leerling: { ...a.bl, pgn: BSN2 } }]);
    expect(r.failed).toEqual([]);
    expect(r.lvsWrites).toEqual([{ soort: "SET_PGN", leerlingId: "1001", pgn: BSN2 }]);
  });

  it("the new PGN and the name, when the name changed too; the mirror keeps the pupil under its own leerling id", () => {
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: a.bl.pgn, leerling: { ...a.bl, leerlingId: "BRON-REF", pgn: BSN2, achternaam: "Dijk" } }]);
    expect(r.lvsWrites).toEqual([
      { soort: "SET_PGN", leerlingId: "1001", pgn: BSN2 },
      { soort: "NAAM_CORRECTIE", leerlingId: "1001", achternaam: "Dijk" },
    ]);
    expect(r.mirror.leerlingen.map((l) => [l.leerlingId, l.pgn, l.achternaam])).toEqual([
      ["1001", BSN2, "Dijk"],
      ["1002", b.bl.pgn, "Vries"],
    ]);
  });

  it("found by leerling id first, even when the old PGN belongs to someone else", () => {
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: ON, leerling: { ...b.bl, pgn: BSN2 } }], {
      mirror: mirrorOf([{ ...a.bl, pgn: ON }, b.bl], [a.bi, b.bi]),
    });
    expect(r.lvsWrites).toEqual([{ soort: "SET_PGN", leerlingId: "1002", pgn: BSN2 }]);
  });
});

describe("rule: inschrijving geaccepteerd", () => {
  it("an accepted Verwijdering removes the enrolment even when the message carries it", () => {
    const r = run([accepted(1, "VI-1002", b.bl, { inschrijving: b.bi })]);
    expect(r.mirror.inschrijvingen.map((i) => i.inschrijvingId)).toEqual(["I1001"]);
  });

  it("an accepted Verwijdering of a historical enrolment removes it from the history", () => {
    const hist = { ...b.bi, uitschrijfdatum: "2020-07-31", redenUitschrijving: "VERHUIZING" };
    const r = run([accepted(1, "VI-1002", b.bl)], { mirror: mirrorOf([a.bl, b.bl], [a.bi], { historisch: [hist] }) });
    expect(r.mirror.historisch).toEqual([]);
    expect(r.mirror.inschrijvingen).toEqual([a.bi]);
  });

  it("an accepted identificatieverzoek that found no PGN writes nothing to LVS2000", () => {
    const r = run([accepted(1, "IV-1001", { ...a.bl, pgn: null })]);
    expect(r.failed).toEqual([]);
    expect(r.lvsWrites).toEqual([]);
    expect(r.actionUpdates.map((u) => u.action?.status)).toEqual(["GEACCEPTEERD"]);
  });

  it("an acceptance without PGN or onderwijsnummer of another action writes nothing", () => {
    expect(run([accepted(1, "UI-1001", a.bl)]).lvsWrites).toEqual([]);
  });

  it("the signals of several answers to one action are all kept, in order", () => {
    const r = run([accepted(1, "UI-1001", a.bl, { signalen: [attentie] }), accepted(2, "UI-1001", a.bl, { signalen: [{ ...attentie, code: "461" }] })]);
    expect(r.actionUpdates).toHaveLength(1);
    expect(r.actionUpdates[0]!.signals.map((s) => [s.code, s.actionId])).toEqual([
      ["460", "UI-1001"],
      ["461", "UI-1001"],
    ]);
  });
});

describe("rule: a deleted sent action — BRON's later answer still reaches the mirror; the hidden tombstone stays, so its mutatieId is never sent again", () => {
  it("its update keeps the hidden tombstone and carries no signals: there is nothing shown to put them on", () => {
    const deleted = action("UI-1001", "UITSCHRIJVING", "1001", "I1001", { status: "VERWIJDERD" });
    const uit = { ...a.bi, uitschrijfdatum: "2026-11-20", redenUitschrijving: "VERHUIZING" };
    const r = run([accepted(1, "UI-1001", a.bl, { inschrijving: uit, signalen: [attentie] })], { actions: [deleted] });
    expect(r.failed).toEqual([]);
    expect(r.actionUpdates).toEqual([{ actionId: "UI-1001", action: deleted, signals: [] }]);
    expect(r.signals).toEqual([]);
    expect(r.mirror.inschrijvingen[0]).toEqual(uit);
    expect(actionsAfterFeedback([deleted, actions[1]!], r)).toEqual([deleted, actions[1]]);
  });

  it("a second answer to the deleted action changes nothing (BRON answering twice)", () => {
    const deleted = action("UI-1001", "UITSCHRIJVING", "1001", "I1001", { status: "VERWIJDERD" });
    const r = run([accepted(1, "UI-1001", a.bl), accepted(2, "UI-1001", a.bl)], { actions: [deleted] });
    expect(r.failed).toEqual([]);
    expect(updatesOf(r)).toEqual([["UI-1001", "VERWIJDERD"]]);
  });
});

describe("rule: messages are applied in the order BRON delivered them", () => {
  it("messages delivered at the same moment keep the order given", () => {
    const one = { ...base, id: "m1", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, achternaam: "Een" } };
    const two = { ...base, id: "m2", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, achternaam: "Twee" } };
    expect(run([one, two]).mirror.leerlingen[0]!.achternaam).toBe("Twee");
    expect(run([two, one]).mirror.leerlingen[0]!.achternaam).toBe("Een");
  });
});

describe("rule: after feedback, the stored actions and signals", () => {
  it("answered actions move on, the others stay as they were", () => {
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "AFKEUR", mutatieId: "UI-1001", signalen: [afkeurSignaal] }]);
    expect(actionsAfterFeedback(actions, r).map((x) => [x.id, x.status])).toEqual([
      ["UI-1001", "AFGEKEURD"],
      ["VI-1002", "IN_BEHANDELING"],
      ["IV-1001", "IN_BEHANDELING"],
    ]);
  });

  it("BRON's answer replaces the earlier signals of the actions it answers; dubbele inschrijvingen are the current ones only, each once", () => {
    const oud = (actionId: string | null, code: string): Signal => ({ code, ernst: "ATTENTIE", tekst: "eerder", actionId, field: null });
    const previous = [oud("UI-1001", "OUD"), oud("VI-1002", "BLIJFT"), oud(null, "DUBBELE_INSCHRIJVING")];
    const dubbel = { leerlingId: "1001", inschrijvingId: "I1001", andereVestiging: "78GH01", inschrijfdatum: "2026-09-01", uitschrijfdatum: null, gemeldOp: TODAY };
    const r = run([
      { ...base, id: "m1", ontvangenOp: at(1), soort: "AFKEUR", mutatieId: "UI-1001", signalen: [afkeurSignaal] },
      { ...base, id: "m2", ontvangenOp: at(2), soort: "DUBBELE_INSCHRIJVING", dubbel },
      { ...base, id: "m3", ontvangenOp: at(3), soort: "DUBBELE_INSCHRIJVING", dubbel },
    ]);
    const after = signalsAfterFeedback(previous, r);
    expect(after.map((s) => [s.actionId, s.code])).toEqual([
      ["VI-1002", "BLIJFT"],
      ["UI-1001", "BSN_GESLACHT"],
      [null, "DUBBELE_INSCHRIJVING"],
    ]);
    expect(after[2]!.tekst).toBe("Dubbele inschrijving: leerling 1001 staat ook ingeschreven op vestiging 78GH01 sinds 2026-09-01");
  });
});

describe("rule: BRON's answers to different actions are each kept", () => {
  it("the same signal on two actions shows on both", () => {
    const r = run([
      { ...base, id: "m1", ontvangenOp: at(1), soort: "AFKEUR", mutatieId: "UI-1001", signalen: [afkeurSignaal] },
      { ...base, id: "m2", ontvangenOp: at(2), soort: "AFKEUR", mutatieId: "VI-1002", signalen: [afkeurSignaal] },
    ]);
    expect(signalsAfterFeedback([], r).map((s) => [s.actionId, s.code])).toEqual([
      ["UI-1001", "BSN_GESLACHT"],
      ["VI-1002", "BSN_GESLACHT"],
    ]);
  });
});

describe("rule: a registratieoverzicht keeps a dubbele inschrijving only while BRON still reports it", () => {
  const dubbel = (inschrijvingId: string, gemeldOp: string) => ({ leerlingId: "1001", inschrijvingId, andereVestiging: "78GH01", inschrijfdatum: "2026-09-01", uitschrijfdatum: null, gemeldOp });
  const overzicht = (ontvangenOp: string) => ({ ...base, id: "o1", ontvangenOp, soort: "REGISTRATIEOVERZICHT", peildatum: TODAY, leerlingen: [a.bl, b.bl], inschrijvingen: [a.bi], historisch: [bronInschrijvingOf(b.i, { uitschrijfdatum: "2026-07-31", redenUitschrijving: "VERHUIZING" })] });

  it("reported on the overzicht's Dutch day: kept; the day before: gone; its enrolment no longer in the overzicht: gone", () => {
    const m = mirrorOf([a.bl, b.bl], [a.bi, b.bi], { dubbeleInschrijvingen: [dubbel("I1001", "2026-11-28"), dubbel("I1001", "2026-11-27"), dubbel("I1002", "2026-11-28")] });
    // 23:30 UTC on the 27th is already the 28th in the Netherlands
    const r = run([overzicht("2026-11-27T23:30:00Z")], { mirror: { ...m, dubbeleInschrijvingen: [dubbel("I1001", "2026-11-28"), { ...dubbel("I1001", "2026-11-27"), andereVestiging: "78GH02" }, dubbel("I1002", "2026-11-28")] } });
    expect(r.failed).toEqual([]);
    expect(r.mirror.dubbeleInschrijvingen).toEqual([dubbel("I1001", "2026-11-28")]);
    expect(r.mirror.historisch.map((i) => i.inschrijvingId)).toEqual(["I1002"]);
    expect(r.mirror.peildatum).toBe(TODAY);
    expect(r.mirror.overzichtDatum).toBe(TODAY);
  });
});

describe("rule: BRON's enrolment deregistered before the peildatum is historical", () => {
  it("an uitschrijfdatum on the peildatum stays current; a day before moves it to the history, and back when corrected", () => {
    const st = new MirrorState(mirrorOf([a.bl], [a.bi], { peildatum: "2026-11-01" }));
    st.upsertInschrijving({ ...a.bi, uitschrijfdatum: "2026-11-01" });
    expect([...st.inschrijvingen.keys()]).toEqual(["I1001"]);
    st.upsertInschrijving({ ...a.bi, uitschrijfdatum: "2026-10-31" });
    expect([...st.inschrijvingen.keys()]).toEqual([]);
    expect([...st.historisch.keys()]).toEqual(["I1001"]);
    st.upsertInschrijving(a.bi);
    expect([...st.inschrijvingen.keys()]).toEqual(["I1001"]);
    expect([...st.historisch.keys()]).toEqual([]);
  });

  it("without a peildatum nothing is historical", () => {
    const st = new MirrorState(mirrorOf([a.bl], [], { peildatum: null }));
    st.upsertInschrijving({ ...a.bi, uitschrijfdatum: "2010-07-31" });
    expect([...st.inschrijvingen.keys()]).toEqual(["I1001"]);
  });

  it("removing an enrolment says whether BRON held it", () => {
    const st = new MirrorState(mirrorOf([a.bl], [a.bi], { historisch: [b.bi] }));
    expect(st.removeInschrijving("I1002")).toBe(true);
    expect(st.removeInschrijving("I1001")).toBe(true);
    expect(st.removeInschrijving("I1001")).toBe(false);
  });

  it("searching by PGN passes over pupils BRON knows without a PGN", () => {
    const st = new MirrorState(mirrorOf([{ ...a.bl, pgn: null }, { ...b.bl, pgn: BSN2 }], []));
    expect(st.findLeerling("X", "10000008")?.leerlingId).toBe("1002");
  });

  it("a pupil is found by leerling id, else by PGN number; not at all when neither matches", () => {
    const st = new MirrorState(mirror);
    expect(st.findLeerling("1002", "123456782")?.leerlingId).toBe("1002");
    expect(st.findLeerling("X", null)).toBeUndefined();
    expect(st.findLeerling("X", "123456782")?.leerlingId).toBe("1001");
    expect(st.findLeerling("X", "999999999")).toBeUndefined();
  });
});
