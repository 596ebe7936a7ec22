import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyFeedback } from "../../src/core/apply-feedback.js";
import { Action, BronMirror, FeedbackMessage, LvsWrite, type ActionType, type Signal } from "../../src/core/model.js";
import { AP, TODAY, bronInschrijvingOf, inStep, inschrijving, leerling, mirrorOf } from "./determine-actions.fixtures.js";

/** GIVEN a mirror with two pupils in step and actions awaiting feedback. */
/** Where BRON's answers left each action (null: a deleted action's answer applied). */
const updates = (r: ReturnType<typeof applyFeedback>) => r.actionUpdates.map((u) => ({ actionId: u.actionId, status: u.action?.status ?? null, signals: u.signals }));
const a = inStep("1001");
const b = inStep("1002");
const mirror = mirrorOf([a.bl, b.bl], [a.bi, b.bi], { peildatum: "2026-11-01", overzichtDatum: "2026-11-01" });
const at = (n: number) => `2026-11-28T10:${String(n).padStart(2, "0")}:00Z`;

function action(id: string, type: ActionType, leerlingId: string, inschrijvingId: string | null, over: Partial<Action> = {}): Action {
  return Action.parse({ id, type, direction: "BRON", needsDecision: false, decision: null, aanleverpunt: AP, leerlingId, inschrijvingId, fields: [], fingerprint: `fp-${id}`, deadline: null, reason: "r", status: "IN_BEHANDELING", ...over });
}
const attentie: Signal = { code: "460", ernst: "ATTENTIE", tekst: "Gewicht gewijzigd van 0", actionId: null, field: null };
const afkeurSignaal: Signal = { code: "BSN_GESLACHT", ernst: "AFKEUR", tekst: "BSN past niet bij geslacht en geboortedatum", actionId: null, field: "pgn" };

const nieuw = { l: leerling("1003", { pgn: null }), i: inschrijving("I1003", "1003") };
const actions = [
  action("NI-1003", "NIEUWE_INSCHRIJVING", "1003", "I1003"),
  action("WS-1001", "WIJZIGING_SLEUTELGEGEVENS", "1001", null, { needsDecision: true, decision: null }),
  action("VI-1002", "VERWIJDERING_INSCHRIJVING", "1002", "I1002", { needsDecision: true, decision: null }),
  action("UI-1001", "UITSCHRIJVING", "1001", "I1001"),
  action("IV-1004", "IDENTIFICATIEVERZOEK", "1004", null, { needsDecision: true, decision: null, manual: true }),
  action("OA-1001", "OVERNEMEN_ADRES_IN_LVS", "1001", null, { direction: "LVS", needsDecision: true, decision: null, status: "OPEN" }),
];
const base = { aanleverpunt: AP };
const bronLeerling1003 = { leerlingId: "1003", pgn: null, voornamen: nieuw.l.voornamen, voorvoegsels: nieuw.l.voorvoegsels, achternaam: nieuw.l.achternaam, geslacht: nieuw.l.geslacht, geboortedatum: nieuw.l.geboortedatum, gbaAdres: nieuw.l.adres, nationaliteiten: ["0001"] };

const run = (messages: unknown[], over: { mirror?: BronMirror; actions?: Action[] } = {}) =>
  applyFeedback(over.mirror ?? mirror, over.actions ?? actions, messages.map((m) => FeedbackMessage.parse(m)), TODAY);

describe("applyFeedback", () => {
  it("rule: afkeur → action Afgekeurd with BRON's reason", () => {
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "AFKEUR", mutatieId: "NI-1003", signalen: [afkeurSignaal] }]);
    expect(r.failed).toEqual([]);
    expect(updates(r)).toEqual([{ actionId: "NI-1003", status: "AFGEKEURD", signals: [{ ...afkeurSignaal, actionId: "NI-1003" }] }]);
    expect(r.signals).toEqual([{ ...afkeurSignaal, actionId: "NI-1003" }]);
    expect(r.mirror).toEqual(mirror);
    expect(r.lvsWrites).toEqual([]);
  });

  it("rule: inschrijving geaccepteerd → mirror updated, action Geaccepteerd, attentiesignaal kept", () => {
    const ins = bronInschrijvingOf(nieuw.i);
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "NI-1003", leerling: { ...bronLeerling1003, pgn: { soort: "BSN", nummer: "111222333" } }, inschrijving: ins, toegekendOnderwijsnummer: null, signalen: [attentie] }]);
    expect(r.failed).toEqual([]);
    expect(updates(r)).toEqual([{ actionId: "NI-1003", status: "GEACCEPTEERD", signals: [{ ...attentie, actionId: "NI-1003" }] }]);
    expect(r.mirror.inschrijvingen.map((i) => i.inschrijvingId)).toEqual(["I1001", "I1002", "I1003"]);
    expect(r.mirror.leerlingen.find((l) => l.leerlingId === "1003")?.pgn).toEqual({ soort: "BSN", nummer: "111222333" });
    expect(r.lvsWrites).toEqual([]);
  });

  it("rule: an onderwijsnummer assigned by BRON is written to LVS2000 as PGN", () => {
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "NI-1003", leerling: bronLeerling1003, inschrijving: bronInschrijvingOf(nieuw.i), toegekendOnderwijsnummer: "100310303", signalen: [] }]);
    const pgn = { soort: "ONDERWIJSNUMMER", nummer: "100310303" };
    expect(r.lvsWrites).toEqual([{ soort: "SET_PGN", leerlingId: "1003", pgn }]);
    expect(r.mirror.leerlingen.find((l) => l.leerlingId === "1003")?.pgn).toEqual(pgn);
  });

  it("rule: an accepted identificatieverzoek writes the returned BSN to LVS2000", () => {
    const bsn = { soort: "BSN" as const, nummer: "111222333" };
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "IV-1004", leerling: { ...bronLeerling1003, leerlingId: "1004", pgn: bsn }, inschrijving: null, toegekendOnderwijsnummer: null, signalen: [] }]);
    expect(r.lvsWrites).toEqual([{ soort: "SET_PGN", leerlingId: "1004", pgn: bsn }]);
    expect(updates(r)[0]?.status).toBe("GEACCEPTEERD");
  });

  it("rule: an accepted verwijdering removes the enrolment from the mirror", () => {
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "VI-1002", leerling: b.bl, inschrijving: null, toegekendOnderwijsnummer: null, signalen: [] }]);
    expect(r.mirror.inschrijvingen.map((i) => i.inschrijvingId)).toEqual(["I1001"]);
  });

  it("rule: an accepted uitschrijving dated before the peildatum moves the enrolment to historisch", () => {
    const uit = { ...a.bi, uitschrijfdatum: "2026-10-31", redenUitschrijving: "VERHUIZING" };
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "UI-1001", leerling: a.bl, inschrijving: uit, toegekendOnderwijsnummer: null, signalen: [] }]);
    expect(r.mirror.inschrijvingen.map((i) => i.inschrijvingId)).toEqual(["I1002"]);
    expect(r.mirror.historisch).toEqual([uit]);
  });

  it("rule: inschrijving geaccepteerd also after a change of onderwijsgegevens or a correctie inschrijfdatum → the enrolment in the mirror is replaced", () => {
    const acts = [action("WO-1001", "WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", { needsDecision: true, decision: null }), action("CI-1002", "CORRECTIE_INSCHRIJFDATUM", "1002", "I1002", { needsDecision: true, decision: null })];
    const wo = { ...a.bi, leerjaar: 7 };
    const ci = { ...b.bi, inschrijfdatum: "2019-09-01" };
    const r = run(
      [
        { ...base, id: "m1", ontvangenOp: at(1), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "WO-1001", leerling: a.bl, inschrijving: wo, toegekendOnderwijsnummer: null, signalen: [] },
        { ...base, id: "m2", ontvangenOp: at(2), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "CI-1002", leerling: b.bl, inschrijving: ci, toegekendOnderwijsnummer: null, signalen: [] },
      ],
      { actions: acts },
    );
    expect(r.mirror.inschrijvingen).toEqual([wo, ci]);
    expect(updates(r).map((u) => u.status)).toEqual(["GEACCEPTEERD", "GEACCEPTEERD"]);
  });

  it("the same answer delivered twice is applied once more without harm (statuses only move forward)", () => {
    const msg = { ...base, id: "m1", ontvangenOp: at(1), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "UI-1001", leerling: a.bl, inschrijving: a.bi, toegekendOnderwijsnummer: null, signalen: [] };
    const r = run([msg, { ...msg, id: "m2", ontvangenOp: at(2) }]);
    expect(r.failed).toEqual([]);
    expect(updates(r)).toEqual([{ actionId: "UI-1001", status: "GEACCEPTEERD", signals: [] }]);
    const late = run([{ ...base, id: "m3", ontvangenOp: at(3), soort: "AFKEUR", mutatieId: "UI-1001", signalen: [afkeurSignaal] }], { actions: actions.map((x) => (x.id === "UI-1001" ? { ...x, status: "GEACCEPTEERD" as const } : x)) });
    expect(late.failed).toEqual([{ messageId: "m3", error: "Actie UI-1001 heeft al status GEACCEPTEERD; AFGEKEURD kan niet meer" }]);
  });

  it("rule: spontane mutatie is taken over into LVS2000 at once (name correction)", () => {
    const nieuweNaam = { ...a.bl, achternaam: "Vries-Jansen" };
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling: nieuweNaam }]);
    expect(r.failed).toEqual([]);
    expect(r.mirror.leerlingen[0]).toEqual(nieuweNaam);
    expect(r.lvsWrites).toEqual([{ soort: "NAAM_CORRECTIE", leerlingId: "1001", achternaam: "Vries-Jansen" }]);
    expect(updates(r)).toEqual([]);
  });

  it("rule: a spontane mutatie is reported to the user and writes to LVS2000 only the fields that changed, never unchanged data (manual: 'wordt gemeld en per direct overgenomen')", () => {
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, voornamen: "Emma Sophie", geboortedatum: "2015-03-15" } }]);
    expect(r.lvsWrites).toEqual([{ soort: "NAAM_CORRECTIE", leerlingId: "1001", voornamen: "Emma Sophie", geboortedatum: "2015-03-15" }]);
    expect(r.signals).toEqual([{ code: "SPONTANE_MUTATIE", ernst: "ATTENTIE", tekst: "Spontane mutatie uit de BRP overgenomen voor leerling 1001: voornamen, geboortedatum", actionId: null, field: "voornamen,geboortedatum" }]);
    const nothing = run([{ ...base, id: "m2", ontvangenOp: at(2), soort: "SPONTANE_MUTATIE", leerling: a.bl }]);
    expect(nothing.lvsWrites).toEqual([]);
    expect(nothing.signals).toEqual([]);
  });

  it("rule: a spontane mutatie that changes the PGN writes it to LVS2000", () => {
    const pgn = { soort: "BSN" as const, nummer: "111222333" };
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, pgn } }]);
    expect(r.lvsWrites).toEqual([{ soort: "SET_PGN", leerlingId: "1001", pgn }]);
  });

  it("rule: spontane mutatie of the GBA address is written to LVS2000 at once", () => {
    const adres = { straat: "Kerkstraat", huisnummer: 3, toevoeging: "A", postcode: "3811AA", plaats: "Amersfoort", land: "6030" };
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, gbaAdres: adres } }]);
    expect(r.lvsWrites).toEqual([{ soort: "GBA_ADRES", leerlingId: "1001", adres }]);
    expect(r.mirror.leerlingen[0]?.gbaAdres).toEqual(adres);
  });

  it("rule: wijziging sleutelgegevens (BSN found) updates the mirror and writes the PGN to LVS2000 at once", () => {
    const on = { soort: "ONDERWIJSNUMMER" as const, nummer: "100729533" };
    const m = mirrorOf([{ ...a.bl, pgn: on }, b.bl], [a.bi, b.bi]);
    const bsn = { soort: "BSN" as const, nummer: "111222333" };
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: on, leerling: { ...a.bl, pgn: bsn } }], { mirror: m });
    expect(r.lvsWrites).toEqual([{ soort: "SET_PGN", leerlingId: "1001", pgn: bsn }]);
    expect(r.mirror.leerlingen[0]?.pgn).toEqual(bsn);
  });

  it("rule: wijziging sleutelgegevens finds the pupil by the old PGN when BRON's reference differs", () => {
    const bsn = { soort: "BSN" as const, nummer: "111222333" };
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "WIJZIGING_SLEUTELGEGEVENS", oudPgn: a.bl.pgn, leerling: { ...a.bl, leerlingId: "ONBEKEND", pgn: bsn } }]);
    expect(r.failed).toEqual([]);
    expect(r.lvsWrites).toEqual([{ soort: "SET_PGN", leerlingId: "1001", pgn: bsn }]);
  });

  it("rule: a dubbele inschrijving is kept and shown; re-reported it is not duplicated", () => {
    const dubbel = { leerlingId: "1001", inschrijvingId: "I1001", andereVestiging: "78GH01", inschrijfdatum: "2026-09-01", uitschrijfdatum: null, gemeldOp: "2026-11-20" };
    const r1 = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "DUBBELE_INSCHRIJVING", dubbel }]);
    expect(r1.mirror.dubbeleInschrijvingen).toEqual([dubbel]);
    expect(r1.signals).toMatchObject([{ code: "DUBBELE_INSCHRIJVING", ernst: "ATTENTIE", field: "inschrijving" }]);
    const again = { ...dubbel, gemeldOp: TODAY };
    const r2 = applyFeedback(r1.mirror, actions, [FeedbackMessage.parse({ ...base, id: "m2", ontvangenOp: at(2), soort: "DUBBELE_INSCHRIJVING", dubbel: again })], TODAY);
    expect(r2.mirror.dubbeleInschrijvingen).toEqual([again]);
  });

  it("rule: a registratieoverzicht replaces the mirror (overzichtDatum = today, peildatum from the message)", () => {
    const dubbel = { leerlingId: "1001", inschrijvingId: "I1001", andereVestiging: "78GH01", inschrijfdatum: "2026-09-01", uitschrijfdatum: null, gemeldOp: TODAY };
    const gone = { ...dubbel, leerlingId: "1002", inschrijvingId: "I1002" };
    const m = mirrorOf([a.bl, b.bl], [a.bi, b.bi], { peildatum: "2026-10-01", overzichtDatum: "2026-10-01", dubbeleInschrijvingen: [dubbel, gone] });
    const r = run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "REGISTRATIEOVERZICHT", peildatum: "2026-11-27", leerlingen: [a.bl], inschrijvingen: [a.bi], historisch: [] }], { mirror: m });
    expect(r.mirror).toEqual({ aanleverpunt: AP, peildatum: "2026-11-27", overzichtDatum: TODAY, leerlingen: [a.bl], inschrijvingen: [a.bi], historisch: [], dubbeleInschrijvingen: [dubbel] });
  });

  it("rule: dubbele inschrijvingen stay listed only until the overlap is gone from BRON's answers (manual: 'blijven net zo lang terugkomen')", () => {
    const reported = (gemeldOp: string) => ({ leerlingId: "1001", inschrijvingId: "I1001", andereVestiging: "78GH01", inschrijfdatum: "2026-09-01", uitschrijfdatum: null, gemeldOp });
    const overzicht = { ...base, id: "o1", ontvangenOp: at(1), soort: "REGISTRATIEOVERZICHT", peildatum: TODAY, leerlingen: [a.bl], inschrijvingen: [a.bi], historisch: [] };
    // yesterday's report, not repeated with today's overzicht: one of the schools corrected it
    const fixed = run([overzicht], { mirror: mirrorOf([a.bl], [a.bi], { peildatum: "2026-11-27", overzichtDatum: "2026-11-27", dubbeleInschrijvingen: [reported("2026-11-27")] }) });
    expect(fixed.mirror.dubbeleInschrijvingen).toEqual([]);
    // reported again with today's overzicht (before or after it): still listed
    const still = run([overzicht, { ...base, id: "d1", ontvangenOp: at(2), soort: "DUBBELE_INSCHRIJVING", dubbel: reported(TODAY) }], { mirror: mirrorOf([a.bl], [a.bi], { peildatum: "2026-11-27", overzichtDatum: "2026-11-27", dubbeleInschrijvingen: [reported("2026-11-27")] }) });
    expect(still.mirror.dubbeleInschrijvingen).toEqual([reported(TODAY)]);
  });

  it("rule: feedback is never lost — an unprocessable message goes to failed with its error, the rest still applies", () => {
    const r = run([
      { ...base, id: "m1", ontvangenOp: at(1), soort: "AFKEUR", mutatieId: "BESTAAT-NIET", signalen: [afkeurSignaal] },
      { ...base, id: "m2", ontvangenOp: at(2), soort: "AFKEUR", mutatieId: "NI-1003", signalen: [afkeurSignaal] },
      { aanleverpunt: "99ZZ00", id: "m3", ontvangenOp: at(3), soort: "SPONTANE_MUTATIE", leerling: a.bl },
      { ...base, id: "m4", ontvangenOp: at(4), soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, leerlingId: "9999" } },
      { ...base, id: "m5", ontvangenOp: at(5), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "NI-1003", leerling: bronLeerling1003, inschrijving: null, toegekendOnderwijsnummer: null, signalen: [] },
      { ...base, id: "m6", ontvangenOp: at(6), soort: "AFKEUR", mutatieId: "OA-1001", signalen: [afkeurSignaal] },
      { ...base, id: "m7", ontvangenOp: at(7), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "UI-1001", leerling: a.bl, inschrijving: null, toegekendOnderwijsnummer: "123456789", signalen: [] },
    ]);
    expect(r.failed.map((f) => f.messageId)).toEqual(["m1", "m3", "m4", "m5", "m6", "m7"]);
    expect(r.failed[0]!.error).toBe("Terugkoppeling verwijst naar onbekende mutatie BESTAAT-NIET");
    expect(r.failed[3]!.error).toMatch(/heeft al status AFGEKEURD/);
    expect(r.failed[5]!.error).toMatch(/onderwijsnummer .* ongeldig/);
    expect(updates(r)).toEqual([{ actionId: "NI-1003", status: "AFGEKEURD", signals: [{ ...afkeurSignaal, actionId: "NI-1003" }] }]);
    expect(r.mirror).toEqual(mirror); // the failed messages changed nothing
    expect(r.lvsWrites).toEqual([]);
  });

  it("applies messages in the order BRON delivered them (ontvangenOp), not the order given", () => {
    const overzicht = { ...base, id: "m1", ontvangenOp: at(1), soort: "REGISTRATIEOVERZICHT", peildatum: "2026-11-27", leerlingen: [a.bl], inschrijvingen: [a.bi], historisch: [] };
    const mutatie = { ...base, id: "m2", ontvangenOp: at(2), soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, voornamen: "Emma Sophie" } };
    const r = run([mutatie, overzicht]);
    expect(r.failed).toEqual([]);
    expect(r.mirror.leerlingen[0]?.voornamen).toBe("Emma Sophie");
  });

  it("is pure: the mirror and actions given are not changed", () => {
    const m = structuredClone(mirror);
    const acts = structuredClone(actions);
    run([{ ...base, id: "m1", ontvangenOp: at(1), soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: "VI-1002", leerling: b.bl, inschrijving: null, toegekendOnderwijsnummer: null, signalen: [] }], { mirror: m, actions: acts });
    expect(m).toEqual(mirror);
    expect(acts).toEqual(actions);
  });

  it("property: whatever mix of good and bad messages arrives, each one is either applied or in failed, and the output is valid", () => {
    const good = [
      { ...base, id: "g1", soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, achternaam: "Anders" } },
      { ...base, id: "g2", soort: "DUBBELE_INSCHRIJVING", dubbel: { leerlingId: "1002", inschrijvingId: "I1002", andereVestiging: "90JK00", inschrijfdatum: "2026-10-01", uitschrijfdatum: null, gemeldOp: TODAY } },
      { ...base, id: "g3", soort: "REGISTRATIEOVERZICHT", peildatum: "2026-11-27", leerlingen: [a.bl, b.bl], inschrijvingen: [a.bi, b.bi], historisch: [] },
    ];
    const bad = [
      { ...base, id: "b1", soort: "AFKEUR", mutatieId: "ONBEKEND", signalen: [afkeurSignaal] },
      { ...base, id: "b2", soort: "SPONTANE_MUTATIE", leerling: { ...a.bl, leerlingId: "0000" } },
      { aanleverpunt: "99ZZ00", id: "b3", soort: "DUBBELE_INSCHRIJVING", dubbel: { leerlingId: "1", inschrijvingId: "I1", andereVestiging: "90JK00", inschrijfdatum: "2026-10-01", uitschrijfdatum: null, gemeldOp: TODAY } },
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray([...good, ...bad]), (msgs) => {
        const r = run(msgs.map((m, i) => ({ ...m, ontvangenOp: at(i) })));
        expect(r.failed.map((f) => f.messageId).sort()).toEqual(msgs.filter((m) => m.id.startsWith("b")).map((m) => m.id).sort());
        expect(BronMirror.safeParse(r.mirror).success).toBe(true);
        for (const w of r.lvsWrites) expect(LvsWrite.safeParse(w).success).toBe(true);
        for (const s of r.signals) expect(s.tekst.length).toBeLessThanOrEqual(100);
      }),
      { numRuns: 200 },
    );
  });
});
