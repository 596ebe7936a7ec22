import { describe, expect, it } from "vitest";
import { actionIdOf, compareActions, fingerprintOf } from "../../src/core/action-factory.js";
import { FingerprintBuilder } from "../../src/core/fingerprint.js";
import type { ActionType } from "../../src/core/model.js";
import { act } from "./rules-fixtures.js";

/**
 * Rule (domain.md): an ignored difference is not asked again until the data behind it change. Decisions
 * are stored with the fingerprint of their difference, so a fingerprint must be the same on every run,
 * machine and release: these values are pinned. A change here brings every ignored difference back.
 */

const fb = () => new FingerprintBuilder();

describe("rule: the fingerprint of a difference never changes between releases", () => {
  it("the values of each kind hash to their pinned digests", () => {
    expect(fb().digest()).toBe("811c9dc59747b28c");
    expect(fb().text("abc").digest()).toBe("7333ea7c87b332e9");
    expect(fb().symbol(0x100).digest()).toBe("050aca1fa870bc9f");
    expect(fb().value(null).digest()).toBe("150c764f93a7d781");
    expect(fb().value("null").digest()).toBe("83b33952c5ced550");
    expect(fb().value(12).digest()).toBe("3c05da5f31b2e4cc");
    expect(fb().value(true).digest()).toBe("160c77e2a71de3b2");
    expect(fb().value(false).digest()).toBe("110c7003245f02c6");
    expect(fb().value(["a", 1]).digest()).toBe("80f5a36c43c17145");
    expect(fb().value({ b: 1, a: "x" }).digest()).toBe("64cbebe11320af05");
  });

  it("a difference's fingerprint is pinned, for known fields, unknown fields and pupil-level actions", () => {
    expect(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", [{ field: "leerjaar", lvs: 6, bron: 5 }])).toBe("29ada0ef0735e97a");
    expect(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", [{ field: "nieuwVeld", lvs: 6, bron: 5 }])).toBe("a02b566db90f8247");
    expect(fingerprintOf("WIJZIGING_SLEUTELGEGEVENS", "1001", null, [{ field: "pgn", lvs: { soort: "BSN", nummer: "123456782" }, bron: null }])).toBe("9a7f9be139431edb");
  });

  it("a hand-made action's fingerprint differs from a determined one with the same data, so their ids never collide", () => {
    expect(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1001", "I1001", [{ field: "leerjaar", lvs: 6, bron: 5 }], true)).toBe("7bf3992134c36978");
  });

  it("a missing value and an undefined one are the same (a stored row drops undefined); key order never matters", () => {
    expect(fb().value(undefined).digest()).toBe(fb().value(null).digest());
    expect(fb().value({ a: "x", b: 1, c: undefined }).digest()).toBe(fb().value({ b: 1, a: "x" }).digest());
    expect(fb().value({ a: "x", b: null }).digest()).not.toBe(fb().value({ a: "x" }).digest());
  });

  it("values that print alike never hash alike: text and number, array and separate values, null and 'null'", () => {
    expect(fb().value("12").digest()).not.toBe(fb().value(12).digest());
    expect(fb().value(["ab", "c"]).digest()).not.toBe(fb().value(["a", "bc"]).digest());
    expect(fb().value([]).digest()).not.toBe(fb().value({}).digest());
    expect(fb().value(null).digest()).not.toBe(fb().value("null").digest());
  });
});

describe("rule: the same difference always gets the same action id", () => {
  it("type code, pupil, enrolment (0 for a pupil-level action) and fingerprint", () => {
    const codes: [ActionType, string][] = [
      ["NIEUWE_INSCHRIJVING", "NI"],
      ["UITSCHRIJVING", "UI"],
      ["VERWIJDERING_INSCHRIJVING", "VI"],
      ["CORRECTIE_INSCHRIJFDATUM", "CI"],
      ["WIJZIGING_SLEUTELGEGEVENS", "WS"],
      ["WIJZIGING_ONDERWIJSGEGEVENS", "WO"],
      ["IDENTIFICATIEVERZOEK", "IV"],
      ["OVERNEMEN_ADRES_IN_LVS", "OA"],
    ];
    for (const [type, code] of codes) expect(actionIdOf(type, "1001", "I1001", "fp")).toBe(`${code}-1001-I1001-fp`);
    expect(actionIdOf("WIJZIGING_SLEUTELGEGEVENS", "1001", null, "fp")).toBe("WS-1001-0-fp");
  });
});

describe("rule: actions are listed in a fixed order", () => {
  it("by pupil; per pupil the pupil-level actions first, then per enrolment; then in the manual's order of types; then by id", () => {
    const ordered = [
      act("WS-1001-b", { type: "WIJZIGING_SLEUTELGEGEVENS" }),
      act("OA-1001", { type: "OVERNEMEN_ADRES_IN_LVS" }),
      act("IV-1001", { type: "IDENTIFICATIEVERZOEK" }),
      act("NI-1001", { type: "NIEUWE_INSCHRIJVING", inschrijvingId: "I1001" }),
      act("CI-1001", { type: "CORRECTIE_INSCHRIJFDATUM", inschrijvingId: "I1001" }),
      act("WO-1001", { type: "WIJZIGING_ONDERWIJSGEGEVENS", inschrijvingId: "I1001" }),
      act("UI-1001-a", { type: "UITSCHRIJVING", inschrijvingId: "I1001" }),
      act("UI-1001-b", { type: "UITSCHRIJVING", inschrijvingId: "I1001" }),
      act("VI-1001", { type: "VERWIJDERING_INSCHRIJVING", inschrijvingId: "I1001" }),
      act("NI-1001-2", { type: "NIEUWE_INSCHRIJVING", inschrijvingId: "I1002" }),
      act("NI-1002", { type: "NIEUWE_INSCHRIJVING", leerlingId: "1002", inschrijvingId: "I0001" }),
    ];
    // the pupil-level key-data action sorts before the address by type, not by id
    const withWs = [act("WS-1001-a", { type: "WIJZIGING_SLEUTELGEGEVENS" }), ...ordered];
    expect([...withWs].reverse().sort(compareActions).map((a) => a.id)).toEqual(withWs.map((a) => a.id));
    const shuffled = [withWs[5]!, withWs[0]!, withWs[11]!, withWs[8]!, withWs[2]!, withWs[7]!, withWs[1]!, withWs[10]!, withWs[3]!, withWs[9]!, withWs[4]!, withWs[6]!];
    expect(shuffled.sort(compareActions).map((a) => a.id)).toEqual(withWs.map((a) => a.id));
  });

  it("an action compares equal only to itself", () => {
    const a = act("NI-1001");
    expect(compareActions(a, a)).toBe(0);
    expect(compareActions(a, act("NI-1001-x"))).toBe(-1);
    expect(compareActions(act("NI-1001-x"), a)).toBe(1);
  });
});
