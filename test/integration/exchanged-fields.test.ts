import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TYPES } from "tedious";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validBsns } from "../../emulators/bron/samples.js";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import type { DemoData } from "../../scripts/demo-data/generate.js";
import { createBronClient, type BronClient } from "../../src/adapters/bron/client.js";
import { evolve, type ActionEvent } from "../../src/core/action-lifecycle.js";
import { actionsAfterFeedback, applyFeedback } from "../../src/core/apply-feedback.js";
import { checkActions } from "../../src/core/check-actions.js";
import { determineActions } from "../../src/core/determine-actions.js";
import type { Action, ActionMemory, BronMirror, FeedbackMessage, Inschrijving, Leerling, LvsSnapshot, Signal } from "../../src/core/model.js";
import { indexForSend, toMutatie } from "../../src/core/to-mutatie.js";
import type { Mutatie } from "../../src/contracts/bron/messages.js";
import type { SqlParam } from "../../src/relay/sql/connection.js";
import { startRelayFixture, type RelayFixture } from "./relay-fixture.js";

/**
 * Every field the manual says is exchanged beyond the basics (docs/exchanged-fields.md), end to end:
 * LVS2000 (the TDS test server holding docs/lvs2000.sql) → the relay over HTTPS → the cloud's relay client
 * → acties bepalen → controleren → the BRON client over mutual TLS → the BRON simulator → terugkoppeling
 * → registratieoverzicht → the mirror, after which determining again finds nothing. A change of each field
 * in LVS2000 yields the action the docs table names.
 */

const AP = "12AB00";
/** In school year 2026-27, after the herzien advies: every date below lies before it. */
const TODAY = "2027-04-20";
const NO_MEMORY: ActionMemory = { ignored: [], pending: [], firstSeen: {} };
const [bsn8, bsn5, bsn9] = validBsns(3) as [string, string, string];
const BSN = { groep8: bsn8, groep5: bsn5, nieuw: bsn9 };

const adres = { straat: "Dorpsstraat", huisnummer: 12, toevoeging: null, postcode: "3511AB", plaats: "Utrecht", land: "6030" };
const persoon = (id: string, bsn: string, voornamen: string, achternaam: string, geboortedatum: string, nationaliteiten: string[]): Leerling => ({
  id, pgn: { soort: "BSN", nummer: bsn }, voornamen, voorvoegsels: null, achternaam, geslacht: "V", geboortedatum, adres, nationaliteiten, onderwijsSinds: "2019-06-03",
});
const yearly = (from: number, first: number, last: number, start: string) =>
  Array.from({ length: last - first + 1 }, (_, k) => ({ leerjaar: first + k, groep: `${first + k}A`, begindatum: k === 0 ? start : `${from + k}-08-17` }));

/** Groep 8: gewicht 0.3 (enrolled before the regeling ended), VVE, NNCA, the doorstroomtoets and the schooladvies. */
const groep8: Inschrijving = {
  id: "I8", leerlingId: "L8", aanleverpunt: AP, inschrijfdatum: "2019-06-03", uitschrijfdatum: null, redenUitschrijving: null, vestiging: "12AB00", schoolsoort: "BAO",
  onderwijssoort: null, leerjaar: 8, soortVerblijf: null, indicaties: [], ambulanteBegeleiding: null, bekostigd: true,
  klassenhistorie: yearly(2019, 1, 8, "2019-06-03"), nnca: true, gewicht: 0.3, vve: true,
  eindtoets: { afnamedatum: "2027-02-08", toetsadvies: "HAVO", score: 540, redenGeenToets: null },
  schooladvies: { advies: "VMBO_GLTL_HAVO", datum: "2027-01-20", herzienAdvies: null, herzienDatum: null },
};
/** Groep 5, enrolled after the regeling ended: no gewicht. */
const groep5: Inschrijving = {
  ...groep8, id: "I5", leerlingId: "L5", inschrijfdatum: "2022-08-22", leerjaar: 5, klassenhistorie: yearly(2022, 1, 5, "2022-08-22"),
  nnca: false, gewicht: null, vve: false, eindtoets: null, schooladvies: null,
};

const data: DemoData = {
  today: TODAY,
  aanleverpunten: [{ code: AP, naam: "De Regenboog", brin: "12AB", vestigingen: ["12AB00", "12AB02"] }],
  lvs: [{ aanleverpunt: AP, leerlingen: [persoon("L8", BSN.groep8, "Fatma", "Yilmaz", "2015-02-11", ["0001", "0052"]), persoon("L5", BSN.groep5, "Sara", "Jansen", "2018-04-02", ["0001"])], inschrijvingen: [groep8, groep5] }],
  bron: [{ aanleverpunt: AP, peildatum: null, overzichtDatum: null, leerlingen: [], inschrijvingen: [], historisch: [], dubbeleInschrijvingen: [] }],
  bevolking: [],
  andereScholen: [],
};

let fx: RelayFixture;
let sim: BronSimulator;
let bron: BronClient;
let dir: string;
/** The BRON mirror as the cloud keeps it: empty until the first delivery. */
let mirror: BronMirror = data.bron[0]!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "exchanged-fields-"));
  const pki = await createTestPki(join(dir, "pki"), [AP]);
  const brp = (l: Leerling, nationaliteiten: string[]) => ({ bsn: l.pgn!.nummer, voornamen: l.voornamen, voorvoegsels: l.voorvoegsels, achternaam: l.achternaam, geslacht: l.geslacht, geboortedatum: l.geboortedatum, adres, nationaliteiten });
  const [l8, l5] = data.lvs[0]!.leerlingen as [Leerling, Leerling];
  sim = await startBronSimulator({
    dataDir: join(dir, "bron"),
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
    // the BRP knows L8's nationalities; L5's are not in the BRP, so BRON takes the school's (WPO art. 178a lid 7)
    seed: { bevolking: [brp(l8, ["0001", "0052"]), brp(l5, []), { ...brp(l5, []), bsn: BSN.nieuw, achternaam: "Nieuw", geboortedatum: "2020-05-05" }] },
  });
  const c = pki.clients[AP]!;
  bron = createBronClient({ endpoint: sim.url, aanleverpunt: AP, certificate: { cert: c.cert, key: c.key, ca: pki.ca.cert }, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 }, timeoutMs: 10_000 });
  fx = await startRelayFixture({ data });
});

afterAll(async () => {
  bron?.close();
  await sim?.stop();
  await fx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// ── the cycle, with the product's own core steps and real adapters ─────────────────────────────────────

async function lvsNow(): Promise<LvsSnapshot> {
  const { snapshot, problems } = await fx.client.snapshot(AP);
  expect(problems).toEqual([]);
  return snapshot;
}

function must(a: Action, event: ActionEvent): Action {
  const r = evolve(a, event);
  if (!r.ok || r.action === null) throw new Error(`lifecycle refused ${event.kind} for ${a.type}: ${r.ok ? "gone" : r.reason}`);
  return r.action;
}

async function drain(): Promise<FeedbackMessage[]> {
  const { terugkoppelingen, onleesbaar } = await bron.fetchFeedback(1000);
  expect(onleesbaar).toEqual([]);
  if (terugkoppelingen.length > 0) await bron.acknowledge(terugkoppelingen.map((f) => f.id));
  return terugkoppelingen;
}

/** BRON's feedback applied to the mirror; returns the actions as BRON's answer left them. */
function applyToMirror(actions: Action[], messages: FeedbackMessage[]): { actions: Action[]; signals: Signal[]; lvsWrites: ReturnType<typeof applyFeedback>["lvsWrites"] } {
  const r = applyFeedback(mirror, actions, messages, TODAY);
  expect(r.failed).toEqual([]);
  mirror = r.mirror;
  return { actions: actionsAfterFeedback(actions, r), signals: r.signals, lvsWrites: r.lvsWrites };
}

/** Asks BRON for the registratieoverzicht and lets it replace the mirror (manual ch. 2). */
async function refreshOverzicht(): Promise<void> {
  await bron.requestRegistratieoverzicht(TODAY);
  const overzicht = (await drain()).filter((f) => f.soort === "REGISTRATIEOVERZICHT");
  expect(overzicht).toHaveLength(1);
  applyToMirror([], overzicht);
}

type Determined = { lvs: LvsSnapshot; actions: Action[] };

function determine(lvs: LvsSnapshot): Action[] {
  const r = determineActions(lvs, mirror, NO_MEMORY, TODAY);
  if (!r.ok) throw new Error(r.reason);
  return r.actions;
}

/** Decides every difference "naar BRON" and checks: the signals Controleren gives. */
function decideAndCheck({ lvs, actions }: Determined): { actions: Action[]; signals: Signal[] } {
  const decided = actions.map((a) => (a.needsDecision ? must(a, { kind: "decided", beslissing: { keuze: "NAAR_BRON", door: "test", op: `${TODAY}T09:00:00Z` } }) : a));
  return { actions: decided, signals: checkActions(decided, lvs, TODAY) };
}

/** Sends checked actions to the simulator, applies BRON's answer, and refreshes the overzicht. */
async function send(lvs: LvsSnapshot, actions: Action[]): Promise<Action[]> {
  const sent = actions.map((a) => must(must(must(a, { kind: "checked", passed: true }), { kind: "batched" }), { kind: "sent" }));
  const ix = indexForSend(lvs, mirror);
  const mutaties: Mutatie[] = sent.map((a) => {
    const m = toMutatie(a, ix);
    if (!m.ok) throw new Error(m.reason);
    return m.value;
  });
  await bron.deliver(mutaties);
  const answered = applyToMirror(sent, await drain()).actions;
  await refreshOverzicht();
  return answered;
}

/** One whole round: determine (expecting `expected`), check (no afkeur), send, feedback, overzicht; then nothing is left. */
async function round(expected: [Action["type"], string[]][]): Promise<Action[]> {
  const lvs = await lvsNow();
  const actions = determine(lvs);
  expect(actions.map((a) => [a.type, a.fields.map((f) => f.field)])).toEqual(expected);
  const checked = decideAndCheck({ lvs, actions });
  expect(checked.signals.filter((s) => s.ernst === "AFKEUR")).toEqual([]);
  const answered = await send(lvs, checked.actions);
  expect(answered.map((a) => a.status)).toEqual(answered.map(() => "GEACCEPTEERD"));
  expect(determine(await lvsNow())).toEqual([]);
  return answered;
}

const mirrorIns = (id: string) => [...mirror.inschrijvingen, ...mirror.historisch].find((i) => i.inschrijvingId === id)!;
const exec = (sql: string, params: SqlParam[]) => fx.sql.query(sql, params);
const str = (name: string, value: string | null): SqlParam => ({ name, type: TYPES.NVarChar, value });
const day = (name: string, iso: string): SqlParam => ({ name, type: TYPES.DateTime, value: new Date(`${iso}T00:00:00Z`) });

// ── the tests ──────────────────────────────────────────────────────────────────────────────────────────

describe("exchanged fields: LVS2000 → relay → determination → BRON simulator → registratieoverzicht → mirror", () => {
  it("first delivery: every field arrives in BRON, comes back in the registratieoverzicht, and nothing differs afterwards", async () => {
    await round([
      ["NIEUWE_INSCHRIJVING", ["inschrijfdatum", "vestiging", "schoolsoort", "leerjaar", "indicaties", "bekostigd", "klassenhistorie", "nnca", "vve"]],
      ["NIEUWE_INSCHRIJVING", ["inschrijfdatum", "vestiging", "schoolsoort", "leerjaar", "indicaties", "bekostigd", "klassenhistorie", "nnca", "gewicht", "vve", "eindtoets", "schooladvies"]],
    ]);
    const lvs = await lvsNow();
    for (const ins of lvs.inschrijvingen) {
      const b = mirrorIns(ins.id);
      for (const f of ["klassenhistorie", "nnca", "gewicht", "vve", "eindtoets", "schooladvies", "leerjaar"] as const) expect(b[f], `${ins.id}.${f}`).toEqual(ins[f]);
    }
    expect(mirrorIns("I8").gewicht).toBe(0.3);
    expect(mirrorIns("I8").klassenhistorie).toHaveLength(8);
    expect(mirror.leerlingen.find((l) => l.leerlingId === "L8")!.nationaliteiten).toEqual(["0001", "0052"]);
  });

  it("klassenhistorie: a group change in March is delivered with its date (Wijziging onderwijsgegevens) and BRON holds the history in order", async () => {
    await exec("INSERT INTO dbo.GroepHistorie (InschrijvingId, Leerjaar, Groep, Begindatum) VALUES (@id, 5, @groep, @begin)", [str("id", "I5"), str("groep", "5B"), day("begin", "2027-03-08")]);
    const [answered] = await round([["WIJZIGING_ONDERWIJSGEGEVENS", ["klassenhistorie"]]]);
    expect(answered!.fields[0]!.lvs).toContainEqual({ leerjaar: 5, groep: "5B", begindatum: "2027-03-08" });
    const historie = mirrorIns("I5").klassenhistorie;
    expect(historie.at(-1)).toEqual({ leerjaar: 5, groep: "5B", begindatum: "2027-03-08" });
    expect(historie.map((p) => p.begindatum)).toEqual([...historie.map((p) => p.begindatum)].sort());
    expect(mirrorIns("I5").leerjaar).toBe(5);
  });

  it.each<[string, string, SqlParam[], string, unknown]>([
    ["nnca", "UPDATE dbo.Inschrijving SET Nnca = 1 WHERE InschrijvingId = @id", [str("id", "I5")], "I5", true],
    ["vve", "UPDATE dbo.Inschrijving SET Vve = 1 WHERE InschrijvingId = @id", [str("id", "I5")], "I5", true],
    ["eindtoets", "UPDATE dbo.Eindtoets SET Score = 547 WHERE InschrijvingId = @id", [str("id", "I8")], "I8", { afnamedatum: "2027-02-08", toetsadvies: "HAVO", score: 547, redenGeenToets: null }],
  ])("%s: a change in LVS2000 is a Wijziging onderwijsgegevens, accepted by BRON and back in the overzicht", async (field, sql, params, id, value) => {
    await exec(sql, params);
    await round([["WIJZIGING_ONDERWIJSGEGEVENS", [field]]]);
    expect(mirrorIns(id)[field as "nnca"]).toEqual(value);
  });

  it("herzien advies: raised after the toets result, sent once as a Wijziging onderwijsgegevens and accepted by the simulator", async () => {
    await exec("UPDATE dbo.Schooladvies SET HerzienAdvies = @advies, HerzienDatum = @datum WHERE InschrijvingId = @id", [str("advies", "HAVO"), day("datum", "2027-03-20"), str("id", "I8")]);
    const before = sim.counters();
    const [answered] = await round([["WIJZIGING_ONDERWIJSGEGEVENS", ["schooladvies"]]]);
    expect(answered!.status).toBe("GEACCEPTEERD");
    const after = sim.counters();
    expect((after.mutaties ?? 0) - (before.mutaties ?? 0)).toBe(1);
    expect((after.geaccepteerd ?? 0) - (before.geaccepteerd ?? 0)).toBe(1);
    expect(after.dubbeleMutaties ?? 0).toBe(before.dubbeleMutaties ?? 0);
    expect(mirrorIns("I8").schooladvies).toEqual({ advies: "VMBO_GLTL_HAVO", datum: "2027-01-20", herzienAdvies: "HAVO", herzienDatum: "2027-03-20" });
  });

  it("nationaliteiten: a change in LVS2000 is compared (not only sent with a Nieuwe inschrijving) and is a Wijziging sleutelgegevens", async () => {
    await exec("INSERT INTO dbo.LeerlingNationaliteit (LeerlingNummer, Volgnummer, NationaliteitCode) VALUES (@id, 2, @code)", [str("id", "L5"), str("code", "0331")]);
    await round([["WIJZIGING_SLEUTELGEGEVENS", ["nationaliteiten"]]]);
    expect(mirror.leerlingen.find((l) => l.leerlingId === "L5")!.nationaliteiten).toEqual(["0001", "0331"]);
  });

  it("nationaliteiten: a BRP change reaches LVS2000 at once through a spontane mutatie (NATIONALITEITEN written by the relay)", async () => {
    const res = await fetch(`${sim.adminUrl}/brp-wijziging`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bsn: BSN.groep8, voornamen: "Fatma", voorvoegsels: null, achternaam: "Yilmaz", geslacht: "V", geboortedatum: "2015-02-11", adres, nationaliteiten: ["0052"] }),
    });
    expect(res.status).toBe(200);
    const { lvsWrites, signals } = applyToMirror([], await drain());
    expect(lvsWrites).toEqual([{ soort: "NATIONALITEITEN", leerlingId: "L8", nationaliteiten: ["0052"] }]);
    expect(signals.map((s) => s.tekst)).toEqual([expect.stringContaining("nationaliteiten")]);
    const l8 = (await lvsNow()).leerlingen.find((l) => l.id === "L8")!;
    const written = await fx.client.write({ requestId: "test-nationaliteiten-1", rowVersion: l8.rowVersion!, write: lvsWrites[0]! });
    expect(written.status).toBe("TOEGEPAST");
    const lvs = await lvsNow();
    expect(lvs.leerlingen.find((l) => l.id === "L8")!.nationaliteiten).toEqual(["0052"]);
    expect(determine(lvs)).toEqual([]);
  });

  it("gewicht: changing it since the regeling ended is a Wijziging onderwijsgegevens that Controleren refuses (AFKEUR)", async () => {
    await exec("UPDATE dbo.Inschrijving SET Gewicht = @g WHERE InschrijvingId = @id", [{ name: "g", type: TYPES.Float, value: 1.2 }, str("id", "I8")]);
    const lvs = await lvsNow();
    const actions = determine(lvs);
    expect(actions.map((a) => [a.type, a.fields])).toEqual([["WIJZIGING_ONDERWIJSGEGEVENS", [{ field: "gewicht", lvs: 1.2, bron: 0.3 }]]]);
    const { signals } = decideAndCheck({ lvs, actions });
    expect(signals.map((s) => `${s.ernst}:${s.code}`)).toEqual(["AFKEUR:GEWICHT_GEWIJZIGD_NA_EINDE"]);
    await exec("UPDATE dbo.Inschrijving SET Gewicht = @g WHERE InschrijvingId = @id", [{ name: "g", type: TYPES.Float, value: 0.3 }, str("id", "I8")]);
    expect(determine(await lvsNow())).toEqual([]);
  });

  it("gewicht: 0.3 on an enrolment starting after 1 August 2019 is an AFKEUR — in Controleren and, sent anyway, from BRON", async () => {
    await exec(
      "INSERT INTO dbo.Leerling (LeerlingNummer, AanleverpuntCode, Bsn, Voornamen, Achternaam, Geslacht, Geboortedatum, OnderwijsSinds) VALUES (@id, @ap, @bsn, @vn, @an, @g, @geb, @sinds)",
      [str("id", "L9"), str("ap", AP), str("bsn", BSN.nieuw), str("vn", "Sara"), str("an", "Nieuw"), str("g", "V"), day("geb", "2020-05-05"), day("sinds", "2024-08-19")],
    );
    await exec("INSERT INTO dbo.Adres (LeerlingNummer, Straat, Huisnummer, Postcode, Plaats, Land) VALUES (@id, 'Dorpsstraat', 12, '3511AB', 'Utrecht', '6030')", [str("id", "L9")]);
    await exec(
      "INSERT INTO dbo.Inschrijving (InschrijvingId, LeerlingNummer, AanleverpuntCode, VestigingCode, Inschrijfdatum, Schoolsoort, Bekostigd, Nnca, Gewicht) VALUES (@id, @l, @ap, @ap, @in, 'BAO', 1, 0, @g)",
      [str("id", "I9"), str("l", "L9"), str("ap", AP), day("in", "2024-08-19"), { name: "g", type: TYPES.Float, value: 0.3 }],
    );
    await exec("INSERT INTO dbo.GroepHistorie (InschrijvingId, Leerjaar, Groep, Begindatum) VALUES (@id, 1, '1/2A', @begin)", [str("id", "I9"), day("begin", "2024-08-19")]);
    const lvs = await lvsNow();
    const actions = determine(lvs);
    expect(actions.map((a) => a.type)).toEqual(["NIEUWE_INSCHRIJVING"]);
    const checked = decideAndCheck({ lvs, actions });
    expect(checked.signals.map((s) => `${s.ernst}:${s.code}:${s.field}`)).toEqual(["AFKEUR:GEWICHT_NA_EINDE_REGELING:gewicht"]);

    // BRON's own rule, when the delivery is made regardless (the simulator answers it with an afkeur)
    const ix = indexForSend(lvs, mirror);
    const sent = must(must(must(checked.actions[0]!, { kind: "checked", passed: true }), { kind: "batched" }), { kind: "sent" });
    const m = toMutatie(sent, ix);
    if (!m.ok) throw new Error(m.reason);
    await bron.deliver([m.value]);
    const { actions: answered } = applyToMirror([sent], await drain());
    expect(answered[0]!.status).toBe("AFGEKEURD");
    await refreshOverzicht();
    expect(mirror.inschrijvingen.some((i) => i.inschrijvingId === "I9")).toBe(false);
  });
});
