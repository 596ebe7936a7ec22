import { describe, expect, it } from "vitest";
import { certificateName } from "../../src/contracts/keyvault/certificate-names.js";
import { daysUntil, stateMessage, validityState } from "../../src/adapters/certificates/status.js";

const at = (iso: string) => new Date(iso);
const validity = { notBefore: at("2026-01-01T00:00:00Z"), notAfter: at("2027-01-01T00:00:00Z") };

describe("certificate naming convention", () => {
  it.each([
    ["00AA00", "bron-00aa00"],
    ["12XY03", "bron-12xy03"],
  ])("aanleverpunt %s is stored in Key Vault as %s", (ap, name) => {
    expect(certificateName(ap)).toBe(name);
  });
});

describe("days until expiry", () => {
  it.each([
    ["2026-12-21T23:00:00Z", 10],
    ["2026-12-31T00:00:00Z", 1],
    ["2026-12-31T00:00:01Z", 0],
    ["2026-12-31T23:59:59Z", 0],
    ["2027-01-01T00:00:00Z", 0],
    ["2027-01-01T00:00:01Z", -1],
    ["2027-01-03T12:00:00Z", -3],
  ])("at %s there are %i whole days left", (now, days) => {
    expect(daysUntil(validity.notAfter, at(now))).toBe(days);
  });
});

describe("validity at a moment (a certificate is usable from notBefore up to, not including, notAfter)", () => {
  it.each([
    ["2025-12-31T23:59:59Z", "notYetValid"],
    ["2026-01-01T00:00:00Z", "valid"],
    ["2026-12-01T00:00:01Z", "expiring"],
    ["2026-12-01T00:00:00Z", "valid"],
    ["2026-12-31T23:59:59Z", "expiring"],
    ["2027-01-01T00:00:00Z", "expired"],
  ])("at %s the state is %s (warn below 31 days)", (now, state) => {
    expect(validityState(validity, at(now), 31)).toBe(state);
  });
});

describe("Dutch messages", () => {
  const f = { aanleverpunt: "00AA00", certificateName: "bron-00aa00", ...validity, daysLeft: 5, oin: "0000000700001BB00000", expectedOin: "0000000700000AA00000" };
  it.each([
    ["missing", /ontbreekt.*geïnstalleerd zijn voordat u kunt verzenden/],
    ["expired", /is verlopen op 2027-01-01/],
    ["notYetValid", /pas geldig vanaf 2026-01-01/],
    ["disabled", /uitgeschakeld/],
    ["unreadable", /privésleutel/],
    ["wrongSchool", /andere school \(OIN 0000000700001BB00000, verwacht 0000000700000AA00000\)/],
    ["expiring", /verloopt over 5 dag\(en\)/],
    ["unknown", /Key Vault is niet bereikbaar/],
  ] as const)("state %s names the aanleverpunt and says what is wrong", (state, text) => {
    const m = stateMessage(state, f);
    expect(m).toMatch(text);
    expect(m).toContain("00AA00");
  });
});
