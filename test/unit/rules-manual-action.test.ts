import { describe, expect, it } from "vitest";
import { fingerprintOf } from "../../src/core/action-factory.js";
import { createManualAction, type ManualRequest } from "../../src/core/manual-action.js";
import type { Action, ActionMemory, BronMirror, LvsSnapshot } from "../../src/core/model.js";
import { AP, NO_MEMORY, TODAY, bronInschrijvingOf, bronLeerlingOf, inStep, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";

/**
 * Rule (domain.md, manual ch. 5 "Acties handmatig bepalen"): a person can add an action by hand for any
 * enrolment, the identificatieverzoek among them. Its fields are the differences with BRON where there are
 * any, otherwise the LVS2000 data the action would send.
 */

const p = inStep();
const q = inStep("1002");
const lvs: LvsSnapshot = lvsSnapshot([p.l, q.l], [p.i, q.i]);
const mirror: BronMirror = mirrorOf([p.bl], [p.bi]);

function made(req: ManualRequest, l: LvsSnapshot = lvs, m: BronMirror = mirror, memory: ActionMemory = NO_MEMORY, existing: Action[] = []): Action {
  const r = createManualAction(l, m, req, memory, TODAY, existing);
  if (!r.ok) throw new Error(r.reason);
  return r.action;
}
const refused = (req: ManualRequest, l: LvsSnapshot = lvs, m: BronMirror = mirror, existing: Action[] = []) => {
  const r = createManualAction(l, m, req, NO_MEMORY, TODAY, existing);
  return r.ok ? "made" : r.reason;
};

describe("rule: a hand-made action is decided by making it", () => {
  it("it goes ahead by itself, is marked manual and open, on the LVS snapshot's aanleverpunt", () => {
    expect(made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" })).toMatchObject({ needsDecision: false, manual: true, decision: null, status: "OPEN", aanleverpunt: AP, direction: "BRON" });
  });
});

describe("rule: the same open action cannot be added twice", () => {
  const first = made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" });

  it("the same type for the same enrolment, still unsent, is refused naming it", () => {
    expect(refused({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, lvs, mirror, [first])).toBe(`Er staat al een open actie van dit soort voor deze leerling (${first.id}).`);
    expect(refused({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, lvs, mirror, [{ ...first, status: "GECONTROLEERD" }])).toMatch(/^Er staat al een open actie/);
  });

  it("another type, another pupil, another enrolment of the same pupil, or one already sent is no duplicate", () => {
    expect(refused({ type: "CORRECTIE_INSCHRIJFDATUM", inschrijvingId: "I1001" }, lvs, mirror, [first])).toBe("made");
    expect(refused({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1002" }, lvs, mirror, [{ ...first, leerlingId: "1002" }])).toBe("made");
    const second = lvsSnapshot([p.l], [p.i, { ...p.i, id: "I1001b" }]);
    expect(refused({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001b" }, second, mirror, [first])).toBe("made");
    expect(refused({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, lvs, mirror, [{ ...first, status: "IN_BEHANDELING" }])).toBe("made");
  });
});

describe("rule: a hand-made enrolment action carries the differences with BRON, or else the whole enrolment", () => {
  it("a Wijziging onderwijsgegevens where BRON differs carries just the differences (deregistration data first)", () => {
    const l2 = lvsSnapshot([p.l], [{ ...p.i, leerjaar: 7, uitschrijfdatum: "2026-07-31", redenUitschrijving: "VERHUIZING" }]);
    expect(made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, l2).fields.map((f) => f.field)).toEqual(["uitschrijfdatum", "redenUitschrijving", "leerjaar"]);
  });

  it("where BRON holds the same, or nothing, it carries the LVS2000 enrolment", () => {
    const whole = ["inschrijfdatum", "vestiging", "schoolsoort", "leerjaar", "indicaties", "bekostigd", "klassenhistorie", "nnca"];
    expect(made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }).fields.map((f) => f.field)).toEqual(whole);
    expect(made({ type: "NIEUWE_INSCHRIJVING", inschrijvingId: "I1002" }).fields.map((f) => [f.field, f.bron])).toEqual(whole.map((f) => [f, null]));
  });

  it("a Correctie inschrijfdatum always delivers the whole enrolment, also when BRON differs in one field", () => {
    const l2 = lvsSnapshot([p.l], [{ ...p.i, leerjaar: 7 }]);
    expect(made({ type: "CORRECTIE_INSCHRIJFDATUM", inschrijvingId: "I1001" }, l2).fields).toHaveLength(8);
  });

  it("a Nieuwe inschrijving has 7 days from its inschrijfdatum; a change 14 days from today", () => {
    const nieuw = lvsSnapshot([q.l], [{ ...q.i, inschrijfdatum: "2026-11-25" }]);
    expect(made({ type: "NIEUWE_INSCHRIJVING", inschrijvingId: "I1002" }, nieuw).deadline).toEqual({ windowDays: 7, since: "2026-11-25", due: "2026-12-02", daysLeft: 4 });
    expect(made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }).deadline).toEqual({ windowDays: 14, since: TODAY, due: "2026-12-12", daysLeft: 14 });
  });

  it("a change seen before keeps its first day", () => {
    const fp = fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }).fields, true);
    const memory = { ...NO_MEMORY, firstSeen: { [fp]: "2026-11-20" } };
    expect(made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, lvs, mirror, memory).deadline?.since).toBe("2026-11-20");
  });

  it("the enrolment must be one of the LVS snapshot's aanleverpunt", () => {
    const elders = lvsSnapshot([p.l], [{ ...p.i, aanleverpunt: "00AA01" }]);
    expect(refused({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, elders)).toBe("Inschrijving I1001 is niet bekend in LVS2000 op aanleverpunt 00AA00.");
  });
});

describe("rule: a hand-made Uitschrijving", () => {
  it("needs an uitschrijfdatum in LVS2000", () => {
    expect(refused({ type: "UITSCHRIJVING", inschrijvingId: "I1001" })).toBe("Een uitschrijving vraagt om een uitschrijfdatum in LVS2000.");
  });

  it("carries LVS2000's deregistration beside BRON's (none when BRON has none), with 7 days from the uitschrijfdatum", () => {
    const uit = lvsSnapshot([p.l, q.l], [{ ...p.i, uitschrijfdatum: "2026-11-27", redenUitschrijving: "VERHUIZING" }, { ...q.i, uitschrijfdatum: "2026-11-27", redenUitschrijving: "VERHUIZING" }]);
    const m = mirrorOf([p.bl], [bronInschrijvingOf(p.i, { uitschrijfdatum: "2026-11-20", redenUitschrijving: "EMIGRATIE" })]);
    const a = made({ type: "UITSCHRIJVING", inschrijvingId: "I1001" }, uit, m);
    expect(a.fields).toEqual([
      { field: "uitschrijfdatum", lvs: "2026-11-27", bron: "2026-11-20" },
      { field: "redenUitschrijving", lvs: "VERHUIZING", bron: "EMIGRATIE" },
    ]);
    expect(a.deadline).toMatchObject({ windowDays: 7, since: "2026-11-27" });
    expect(a.reason).toBe("Leerling is in LVS2000 uitgeschreven per 2026-11-27 maar staat in BRON nog ingeschreven: uitschrijving doorgeven.");
    expect(made({ type: "UITSCHRIJVING", inschrijvingId: "I1002" }, uit, m).fields).toEqual([
      { field: "uitschrijfdatum", lvs: "2026-11-27", bron: null },
      { field: "redenUitschrijving", lvs: "VERHUIZING", bron: null },
    ]);
  });
});

describe("rule: a hand-made Verwijdering inschrijving removes what BRON holds", () => {
  it("it carries BRON's enrolment, also a historical one", () => {
    const hist = bronInschrijvingOf(q.i, { uitschrijfdatum: "2020-07-31", redenUitschrijving: "VERHUIZING" });
    const a = made({ type: "VERWIJDERING_INSCHRIJVING", inschrijvingId: "I1002" }, lvs, mirrorOf([p.bl], [p.bi], { historisch: [hist] }));
    expect(a).toMatchObject({ leerlingId: "1002", inschrijvingId: "I1002", reason: "Inschrijving staat in BRON maar is niet bekend in LVS2000: verwijdering inschrijving doorgeven aan BRON?" });
    expect(a.fields.map((f) => [f.field, f.lvs])).toContainEqual(["uitschrijfdatum", null]);
    expect(a.fields.find((f) => f.field === "uitschrijfdatum")?.bron).toBe("2020-07-31");
  });

  it("an enrolment BRON holds for another aanleverpunt is not there to remove", () => {
    const elders = mirrorOf([p.bl], [{ ...p.bi, aanleverpunt: "00AA01" }], { historisch: [{ ...p.bi, aanleverpunt: "00AA01" }] });
    expect(refused({ type: "VERWIJDERING_INSCHRIJVING", inschrijvingId: "I1001" }, lvs, elders)).toBe("Inschrijving I1001 staat niet in BRON: er valt niets te verwijderen.");
  });

  it("the current enrolment is used before a historical one with the same reference", () => {
    const hist = { ...p.bi, leerjaar: 2 };
    const a = made({ type: "VERWIJDERING_INSCHRIJVING", inschrijvingId: "I1001" }, lvs, mirrorOf([p.bl], [p.bi], { historisch: [hist] }));
    expect(a.fields.find((f) => f.field === "leerjaar")?.bron).toBe(6);
  });
});

describe("rule: hand-made key data and identificatieverzoek", () => {
  it("a Wijziging sleutelgegevens carries the differences with BRON where BRON knows the pupil", () => {
    const l2 = lvsSnapshot([{ ...p.l, achternaam: "Bakker" }], [p.i]);
    expect(made({ type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: "I1001" }, l2).fields).toEqual([{ field: "achternaam", lvs: "Bakker", bron: "Vries" }]);
  });

  it("else the LVS2000 key data that have a value; an identificatieverzoek always those, without a deadline", () => {
    const zonder = lvsSnapshot([{ ...q.l, pgn: null, voorvoegsels: null }], [q.i]);
    expect(made({ type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: "I1002" }, zonder).fields.map((f) => f.field)).toEqual(["voornamen", "achternaam", "geslacht", "geboortedatum"]);
    const iv = made({ type: "IDENTIFICATIEVERZOEK", inschrijvingId: "I1001" }, lvsSnapshot([{ ...p.l, achternaam: "Bakker" }], [p.i]));
    expect(iv.fields.map((f) => [f.field, f.bron])).toEqual(["pgn", "voornamen", "voorvoegsels", "achternaam", "geslacht", "geboortedatum"].map((f) => [f, null]));
    expect(iv.deadline).toBeNull();
    expect(iv.inschrijvingId).toBeNull();
    expect(made({ type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: "I1001" }).deadline).not.toBeNull();
  });

  it("a pupil missing from LVS2000 cannot get one", () => {
    const weg = lvsSnapshot([], [p.i]);
    expect(refused({ type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: "I1001" }, weg)).toBe("Leerling 1001 van inschrijving I1001 is niet bekend in LVS2000.");
    expect(refused({ type: "IDENTIFICATIEVERZOEK", inschrijvingId: "I1001" }, weg)).toBe("Leerling 1001 van inschrijving I1001 is niet bekend in LVS2000.");
  });
});

describe("rule: a hand-made Overnemen adresgegevens takes the GBA address into LVS2000", () => {
  it("it goes to LVS2000 and carries the differing address parts, or the whole address when they are the same", () => {
    const verhuisd = mirrorOf([bronLeerlingOf(p.l, { gbaAdres: { ...p.l.adres!, huisnummer: 14 } })], [p.bi]);
    const a = made({ type: "OVERNEMEN_ADRES_IN_LVS", inschrijvingId: "I1001" }, lvs, verhuisd);
    expect(a).toMatchObject({ direction: "LVS", inschrijvingId: null, fields: [{ field: "adres.huisnummer", lvs: 12, bron: 14 }] });
    expect(made({ type: "OVERNEMEN_ADRES_IN_LVS", inschrijvingId: "I1001" }).fields).toEqual([{ field: "adres", lvs: p.l.adres, bron: p.l.adres }]);
  });

  it("without a GBA address in BRON, or without the pupil in LVS2000, there is nothing to take over", () => {
    const reason = "BRON heeft voor deze leerling geen adres uit de GBA: er valt niets over te nemen.";
    expect(refused({ type: "OVERNEMEN_ADRES_IN_LVS", inschrijvingId: "I1001" }, lvs, mirrorOf([{ ...p.bl, gbaAdres: null }], [p.bi]))).toBe(reason);
    expect(refused({ type: "OVERNEMEN_ADRES_IN_LVS", inschrijvingId: "I1002" })).toBe(reason);
    expect(refused({ type: "OVERNEMEN_ADRES_IN_LVS", inschrijvingId: "I1001" }, lvsSnapshot([], [p.i]))).toBe(reason);
  });
});

describe("a hand-made action is about the pupil of the enrolment asked for, and explains itself", () => {
  it("key data and identificatieverzoek of the second pupil carry that pupil's data", () => {
    const l2 = lvsSnapshot([p.l, { ...q.l, achternaam: "Bakker", voornamen: "Daan" }], [p.i, q.i]);
    const iv = made({ type: "IDENTIFICATIEVERZOEK", inschrijvingId: "I1002" }, l2);
    expect(iv.leerlingId).toBe("1002");
    expect(iv.fields.find((f) => f.field === "achternaam")?.lvs).toBe("Bakker");
    expect(iv.reason).toBe("Identificatieverzoek: BRON vragen of de leerling bekend is (BSN of onderwijsnummer).");
  });

  it("each carries the reason of its type", () => {
    const l2 = lvsSnapshot([{ ...p.l, achternaam: "Bakker" }], [{ ...p.i, leerjaar: 7 }]);
    const m2 = mirrorOf([bronLeerlingOf(p.l, { gbaAdres: { ...p.l.adres!, huisnummer: 14 } })], [p.bi]);
    expect(made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, l2, m2).reason).toBe("Onderwijsgegevens in LVS2000 wijken af van BRON (leerjaar/groep): wijziging onderwijsgegevens doorgeven aan BRON?");
    expect(made({ type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: "I1001" }, l2, m2).reason).toBe("Sleutel- of persoonsgegevens wijken af (achternaam): doorgeven aan BRON of de gegevens uit BRON overnemen in LVS2000?");
    expect(made({ type: "OVERNEMEN_ADRES_IN_LVS", inschrijvingId: "I1001" }, l2, m2).reason).toBe("Adres volgens de GBA (via BRON) wijkt af van LVS2000 (huisnummer): adresgegevens overnemen in LVS2000?");
  });

  it("key data of another pupil is no duplicate of this pupil's open key-data action", () => {
    const first = made({ type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: "I1001" });
    expect(refused({ type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: "I1002" }, lvs, mirror, [first])).toBe("made");
    expect(refused({ type: "WIJZIGING_SLEUTELGEGEVENS", inschrijvingId: "I1001" }, lvs, mirror, [first])).toMatch(/^Er staat al een open actie/);
  });

  it("a Verwijdering asks for one enrolment: another historical enrolment BRON holds is not it", () => {
    const hist = bronInschrijvingOf(q.i, { uitschrijfdatum: "2020-07-31", redenUitschrijving: "VERHUIZING" });
    expect(refused({ type: "VERWIJDERING_INSCHRIJVING", inschrijvingId: "I9999" }, lvs, mirrorOf([p.bl], [p.bi], { historisch: [hist] }))).toBe("Inschrijving I9999 staat niet in BRON: er valt niets te verwijderen.");
  });
});

describe("a hand-made action's id never collides with a determined one", () => {
  it("made twice from the same data, it gets the same id; that id is not the determined action's", () => {
    const l2 = lvsSnapshot([p.l], [{ ...p.i, leerjaar: 7 }]);
    const a = made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, l2);
    expect(made({ type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }, l2).id).toBe(a.id);
    expect(a.fingerprint).toBe(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", a.fields, true));
    expect(a.fingerprint).not.toBe(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", a.fields));
  });
});
