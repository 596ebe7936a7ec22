import { describe, expect, it } from "vitest";
import { checkMirrorUsable, isNeverFetched } from "../../src/core/mirror-freshness.js";
import { EMPTY_MIRROR, TODAY, inStep, lvsSnapshot, mirrorOf } from "./determine-actions.fixtures.js";

/**
 * Rule (domain.md): actions may only be determined against a registratieoverzicht no older than 4 weeks,
 * counted from its peildatum; a historical overzicht is never used to determine. An empty, never-fetched
 * mirror is the first delivery.
 */

const p = inStep();
const lvs = lvsSnapshot([p.l], [p.i]);
const withData = (peildatum: string | null, overzichtDatum: string | null) => mirrorOf([p.bl], [p.bi], { peildatum, overzichtDatum });

describe("rule: the 4-week rule, to the day", () => {
  it("an overzicht with a peildatum exactly 28 days ago is usable; 29 days is too old", () => {
    expect(checkMirrorUsable(lvs, withData("2026-10-31", "2026-10-31"), TODAY)).toEqual({ ok: true, firstDelivery: false });
    expect(checkMirrorUsable(lvs, withData("2026-10-30", "2026-10-30"), TODAY)).toEqual({
      ok: false,
      reason: "Het registratieoverzicht van BRON heeft peildatum 2026-10-30 en is daarmee ouder dan 4 weken: haal eerst een actueel registratieoverzicht op (liefst van vandaag).",
    });
  });

  it("the limit can be set; the reason says it in weeks when it is whole weeks, else in days", () => {
    const old = withData("2026-11-10", "2026-11-10");
    expect(checkMirrorUsable(lvs, old, TODAY, { maxAgeDays: 7 })).toMatchObject({ ok: false, reason: expect.stringContaining("ouder dan 1 week:") });
    expect(checkMirrorUsable(lvs, old, TODAY, { maxAgeDays: 14 })).toMatchObject({ ok: false, reason: expect.stringContaining("ouder dan 2 weken:") });
    expect(checkMirrorUsable(lvs, old, TODAY, { maxAgeDays: 10 })).toMatchObject({ ok: false, reason: expect.stringContaining("ouder dan 10 dagen:") });
    expect(checkMirrorUsable(lvs, old, TODAY, { maxAgeDays: 18 })).toEqual({ ok: true, firstDelivery: false });
  });

  it("without a peildatum the age counts from the day the overzicht was fetched", () => {
    expect(checkMirrorUsable(lvs, withData(null, "2026-10-31"), TODAY)).toEqual({ ok: true, firstDelivery: false });
    expect(checkMirrorUsable(lvs, withData(null, "2026-10-30"), TODAY)).toMatchObject({ ok: false, reason: expect.stringContaining("peildatum 2026-10-30") });
  });
});

describe("rule: a historical overzicht is for viewing only", () => {
  it("a peildatum one day before the overzicht arrived is still current; two days before is historical", () => {
    expect(checkMirrorUsable(lvs, withData("2026-11-26", "2026-11-27"), TODAY)).toEqual({ ok: true, firstDelivery: false });
    expect(checkMirrorUsable(lvs, withData("2026-11-25", "2026-11-27"), TODAY)).toEqual({
      ok: false,
      reason: "Het registratieoverzicht van BRON is een historisch overzicht (peildatum 2026-11-25): dat is alleen om in te zien. Vraag een actueel registratieoverzicht aan om acties te bepalen.",
    });
  });
});

describe("rule: the first delivery", () => {
  it("an empty mirror never fetched is the first delivery, also with requireOverzicht off by default", () => {
    expect(checkMirrorUsable(lvs, EMPTY_MIRROR, TODAY)).toEqual({ ok: true, firstDelivery: true });
    expect(isNeverFetched(EMPTY_MIRROR)).toBe(true);
  });

  it("an empty overzicht BRON sent (nothing known for this aanleverpunt) is a first delivery too", () => {
    expect(checkMirrorUsable(lvs, { ...EMPTY_MIRROR, peildatum: TODAY, overzichtDatum: TODAY }, TODAY)).toEqual({ ok: true, firstDelivery: true });
    expect(isNeverFetched({ ...EMPTY_MIRROR, overzichtDatum: TODAY })).toBe(false);
  });

  it("a mirror holding pupils, enrolments or only historical enrolments is not empty: without an overzicht it is refused", () => {
    const reason = "Er is nog geen registratieoverzicht van BRON opgehaald, maar er zijn wel BRON-gegevens: haal eerst een actueel registratieoverzicht op.";
    for (const over of [{ leerlingen: [p.bl] }, { inschrijvingen: [p.bi] }, { historisch: [p.bi] }]) {
      const m = { ...EMPTY_MIRROR, ...over };
      expect(checkMirrorUsable(lvs, m, TODAY), Object.keys(over)[0]).toEqual({ ok: false, reason });
      expect(isNeverFetched(m)).toBe(false);
    }
  });

  it("once the service asked for an overzicht, an empty mirror waits for it", () => {
    expect(checkMirrorUsable(lvs, EMPTY_MIRROR, TODAY, { requireOverzicht: true })).toEqual({
      ok: false,
      reason: "Het registratieoverzicht van BRON is aangevraagd maar nog niet ontvangen; de volgende synchronisatie gaat verder.",
    });
    expect(checkMirrorUsable(lvs, withData(TODAY, TODAY), TODAY, { requireOverzicht: true })).toEqual({ ok: true, firstDelivery: false });
  });
});

describe("rule: LVS2000 data and the mirror must be of the same aanleverpunt", () => {
  it("refuses naming both", () => {
    expect(checkMirrorUsable(lvs, { ...withData(TODAY, TODAY), aanleverpunt: "00AA01" }, TODAY)).toEqual({
      ok: false,
      reason: "De LVS2000-gegevens zijn van aanleverpunt 00AA00 en het BRON-registratieoverzicht van 00AA01: acties kunnen niet bepaald worden.",
    });
  });
});
