import { describe, expect, it } from "vitest";
import { fingerprintOf } from "../../src/core/action-factory.js";
import { FingerprintBuilder } from "../../src/core/fingerprint.js";

const fp = (...values: unknown[]) => values.reduce<FingerprintBuilder>((b, v) => b.value(v), new FingerprintBuilder()).digest();

describe("fingerprint of the data behind a difference", () => {
  it("given the same values, then the same 16-hex fingerprint on every run", () => {
    expect(fp("2019-08-15", 6, true)).toBe(fp("2019-08-15", 6, true));
    expect(fp("x")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("given objects with the same content in another key order, then the same fingerprint", () => {
    expect(fp({ soort: "BSN", nummer: "123456782" })).toBe(fp({ nummer: "123456782", soort: "BSN" }));
  });

  it.each([
    ["null vs the text null", [null], ["null"]],
    ["a number vs its text", [6], ["6"]],
    ["split strings", ["ab", "c"], ["a", "bc"]],
    ["empty array vs null", [[]], [null]],
    ["true vs false", [true], [false]],
    ["nested arrays", [[["a"], "b"]], [["a", ["b"]]]],
  ])("given %s, then different fingerprints", (_, a, b) => {
    expect(fp(...a)).not.toBe(fp(...b));
  });

  it("given a field's LVS and BRON values swapped, or another field name, then a different action fingerprint", () => {
    const base = fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1", "I1", [{ field: "leerjaar", lvs: 7, bron: 6 }]);
    expect(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1", "I1", [{ field: "leerjaar", lvs: 6, bron: 7 }])).not.toBe(base);
    expect(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1", "I1", [{ field: "leerjaar2", lvs: 7, bron: 6 }])).not.toBe(base);
    expect(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1", "I2", [{ field: "leerjaar", lvs: 7, bron: 6 }])).not.toBe(base);
    expect(fingerprintOf("WIJZIGING_ONDERWIJSGEGEVENS", "1", "I1", [{ field: "leerjaar", lvs: 7, bron: 6 }], true)).not.toBe(base);
  });
});
