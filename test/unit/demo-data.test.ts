import { describe, expect, it } from "vitest";
import { generateDemoData } from "../../scripts/demo-data/generate.js";
import { DemoData } from "../../scripts/demo-data/schema.js";
import { daysBetween } from "../../src/core/dates.js";
import { checkBsn, checkOnderwijsnummer } from "../../src/core/validation.js";

const today = "2026-11-28";
const data = generateDemoData({ seed: 7, leerlingen: 3000, today });
const allLvsLeerlingen = data.lvs.flatMap((s) => s.leerlingen);
const allLvsInschrijvingen = data.lvs.flatMap((s) => s.inschrijvingen);

describe("demo data generator", () => {
  it("rule: the generated data set passes the zod schemas of the domain model", () => {
    const r = DemoData.safeParse(data);
    expect(r.success, r.success ? "" : JSON.stringify(r.error.issues.slice(0, 3))).toBe(true);
  });

  it("rule: the same seed gives the same data set, another seed a different one", () => {
    const again = generateDemoData({ seed: 7, leerlingen: 3000, today });
    expect(JSON.stringify(again)).toBe(JSON.stringify(data));
    const other = generateDemoData({ seed: 8, leerlingen: 3000, today });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(data));
  });

  it("has several aanleverpunten with several vestigingen, an ambulant one among them, mirrors in the same order", () => {
    expect(data.aanleverpunten.map((a) => a.code)).toEqual(["12AB00", "12AB01", "34CD00", "56EF00"]);
    expect(data.lvs.map((s) => s.aanleverpunt)).toEqual(data.aanleverpunten.map((a) => a.code));
    expect(data.bron.map((m) => m.aanleverpunt)).toEqual(data.aanleverpunten.map((a) => a.code));
    expect(data.aanleverpunten.some((a) => a.vestigingen.length > 1)).toBe(true);
    expect(data.lvs[1]!.inschrijvingen.every((i) => i.ambulanteBegeleiding !== null && i.leerjaar === 0)).toBe(true);
    expect(generateDemoData({ seed: 1, leerlingen: 100, today, aanleverpunten: 6 }).aanleverpunten).toHaveLength(6);
  });

  it("rule: the mirror's registratieoverzicht is a few days old, so determination is allowed (4-week rule)", () => {
    for (const m of data.bron) {
      const age = daysBetween(m.overzichtDatum!, today);
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThan(28);
    }
  });

  it("has valid BSNs, onderwijsnummers, some invalid BSNs and some pupils without PGN", () => {
    const pgns = allLvsLeerlingen.map((l) => l.pgn);
    const bsns = pgns.filter((p) => p?.soort === "BSN").map((p) => p!.nummer);
    expect(bsns.filter((b) => checkBsn(b).ok).length).toBeGreaterThan(2500);
    expect(bsns.filter((b) => !checkBsn(b).ok).length).toBeGreaterThan(0);
    const ons = pgns.filter((p) => p?.soort === "ONDERWIJSNUMMER").map((p) => p!.nummer);
    expect(ons.length).toBeGreaterThan(0);
    expect(ons.every((n) => checkOnderwijsnummer(n).ok)).toBe(true);
    expect(pgns.filter((p) => p === null).length).toBeGreaterThan(0);
    expect(data.bevolking.every((p) => checkBsn(p.bsn).ok)).toBe(true);
    expect(new Set(data.bevolking.map((p) => p.bsn)).size).toBe(data.bevolking.length);
  });

  it("has Dutch names with voorvoegsels", () => {
    expect(allLvsLeerlingen.filter((l) => l.voorvoegsels !== null).length).toBeGreaterThan(300);
    expect(allLvsLeerlingen.some((l) => l.voorvoegsels === "van der")).toBe(true);
  });

  it("has future deregistrations and deregistrations before 1 August 2008 (never in the mirror)", () => {
    expect(allLvsInschrijvingen.some((i) => i.uitschrijfdatum !== null && i.uitschrijfdatum > today)).toBe(true);
    const pre2008 = allLvsInschrijvingen.filter((i) => i.uitschrijfdatum !== null && i.uitschrijfdatum < "2008-08-01");
    expect(pre2008.length).toBeGreaterThan(0);
    const inMirror = new Set(data.bron.flatMap((m) => [...m.inschrijvingen, ...m.historisch]).map((i) => i.inschrijvingId));
    expect(pre2008.some((i) => inMirror.has(i.id))).toBe(false);
  });

  it("has key-data, address, enrolment and inschrijfdatum differences, and enrolments only BRON knows", () => {
    const bronLl = new Map(data.bron.flatMap((m) => m.leerlingen).map((l) => [l.leerlingId, l]));
    const keyDiff = allLvsLeerlingen.filter((l) => {
      const b = bronLl.get(l.id);
      return b && (b.voornamen !== l.voornamen || b.achternaam !== l.achternaam || b.voorvoegsels !== l.voorvoegsels || b.geboortedatum !== l.geboortedatum);
    });
    expect(keyDiff.length).toBeGreaterThan(0);
    const adresDiff = allLvsLeerlingen.filter((l) => {
      const b = bronLl.get(l.id);
      return b?.gbaAdres && JSON.stringify(b.gbaAdres) !== JSON.stringify(l.adres);
    });
    expect(adresDiff.length).toBeGreaterThan(0);
    const lvsIns = new Map(allLvsInschrijvingen.map((i) => [i.id, i]));
    const bronIns = data.bron.flatMap((m) => m.inschrijvingen);
    expect(bronIns.some((b) => !lvsIns.has(b.inschrijvingId))).toBe(true);
    expect(bronIns.some((b) => lvsIns.get(b.inschrijvingId) && lvsIns.get(b.inschrijvingId)!.inschrijfdatum !== b.inschrijfdatum)).toBe(true);
    expect(bronIns.some((b) => lvsIns.get(b.inschrijvingId) && lvsIns.get(b.inschrijvingId)!.leerjaar !== b.leerjaar)).toBe(true);
  });

  it("covers every exchanged field (docs/exchanged-fields.md): klassenhistorie with March moves, NNCA, gewicht, VVE, groep 8 with advies and toets, a herzien advies", () => {
    const ins = allLvsInschrijvingen;
    expect(ins.every((i) => i.klassenhistorie.length > 0 && i.klassenhistorie.at(-1)!.leerjaar === i.leerjaar)).toBe(true);
    expect(ins.every((i) => i.klassenhistorie.every((p, n) => p.begindatum >= i.inschrijfdatum && (n === 0 || p.begindatum > i.klassenhistorie[n - 1]!.begindatum)))).toBe(true);
    expect(ins.some((i) => i.klassenhistorie.some((p) => p.begindatum.slice(5, 7) === "03"))).toBe(true);
    expect(ins.some((i) => i.nnca) && ins.some((i) => !i.nnca)).toBe(true);
    expect(new Set(ins.filter((i) => i.gewicht !== null).map((i) => i.gewicht))).toEqual(new Set([0, 0.3, 1.2]));
    expect(ins.every((i) => i.gewicht === null || (i.schoolsoort === "BAO" && i.inschrijfdatum < "2019-08-01"))).toBe(true);
    expect(ins.some((i) => i.vve === true) && ins.some((i) => i.vve === false)).toBe(true);
    const groep8 = ins.filter((i) => i.schooladvies !== null);
    expect(groep8.length).toBeGreaterThan(0);
    expect(groep8.every((i) => i.leerjaar === 8 && i.eindtoets !== null)).toBe(true);
    const herzien = groep8.filter((i) => i.schooladvies!.herzienAdvies !== null);
    expect(herzien.length).toBeGreaterThanOrEqual(2);
    // BRON misses one herzien advies: a Wijziging onderwijsgegevens to show
    const bronIns = new Map(data.bron.flatMap((m) => [...m.inschrijvingen, ...m.historisch]).map((b) => [b.inschrijvingId, b]));
    expect(herzien.some((i) => bronIns.get(i.id)?.schooladvies?.herzienAdvies === null)).toBe(true);
    const bronLl = new Map(data.bron.flatMap((m) => m.leerlingen).map((l) => [l.leerlingId, l]));
    expect(allLvsLeerlingen.some((l) => bronLl.get(l.id) !== undefined && bronLl.get(l.id)!.nationaliteiten.length !== l.nationaliteiten.length)).toBe(true);
  });

  it("has a groep-8 pupil with advies, toets and herzien advies in a small data set too (the local stack's 300 pupils)", () => {
    const small = generateDemoData({ seed: 1, leerlingen: 300, today }).lvs.flatMap((s) => s.inschrijvingen);
    expect(small.filter((i) => (i.schooladvies?.herzienAdvies ?? null) !== null && (i.eindtoets?.toetsadvies ?? null) !== null)).toHaveLength(2);
  });

  it("has WEC enrolments (SO/VSO, soort verblijf, TLV) and other schools' enrolments incl. dubbele inschrijvingen", () => {
    const wec = data.lvs[2]!.inschrijvingen;
    expect(wec.some((i) => i.schoolsoort === "VSO")).toBe(true);
    expect(wec.some((i) => i.soortVerblijf !== null)).toBe(true);
    expect(wec.some((i) => i.indicaties.some((x) => x.soort === "TLV" && x.categorie !== null))).toBe(true);
    expect(data.andereScholen.length).toBeGreaterThan(0);
    expect(data.bron.some((m) => m.dubbeleInschrijvingen.length > 0)).toBe(true);
  });
});
