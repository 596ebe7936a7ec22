import { describe, expect, it } from "vitest";
import { Action, IsoDate } from "../../src/core/model.js";

/** The boundary schemas: bad input is refused cleanly (a result, never an exception), old rows still read. */

describe("rule: a date is an ISO calendar date that exists", () => {
  it("an existing date, a leap day in a leap year among them, is accepted", () => {
    expect(IsoDate.safeParse("2024-02-29").success).toBe(true);
  });

  it("29 February of a common year is refused as a date that does not exist", () => {
    const r = IsoDate.safeParse("2023-02-29");
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(["deze datum bestaat niet"]);
  });

  it("hostile input — month 13, day 00 — is refused without an exception", () => {
    for (const bad of ["2024-13-01", "2024-00-10", "2024-01-00", "9999-99-99"]) {
      expect(() => IsoDate.safeParse(bad), bad).not.toThrow();
      expect(IsoDate.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe("rule: action rows stored before the lifecycle had its own home still read", () => {
  const row = { id: "WO-1", type: "WIJZIGING_ONDERWIJSGEGEVENS", direction: "BRON", manual: false, aanleverpunt: "00AA00", leerlingId: "1001", inschrijvingId: "I1001", fields: [], fingerprint: "fp", deadline: null, reason: "r", status: "OPEN" };

  it("'automatic' becomes 'needs no decision'; not automatic means it waits for one, none taken yet", () => {
    expect(Action.parse({ ...row, automatic: true })).toMatchObject({ needsDecision: false, decision: null });
    expect(Action.parse({ ...row, automatic: false })).toMatchObject({ needsDecision: true, decision: null });
    expect(Action.parse({ ...row, automatic: true })).not.toHaveProperty("automatic");
  });

  it("a row that already has needsDecision is read as it is", () => {
    const beslissing = { keuze: "NAAR_BRON", door: "j.jansen", op: "2026-11-28T10:00:00Z" };
    expect(Action.parse({ ...row, automatic: true, needsDecision: true, decision: beslissing })).toMatchObject({ needsDecision: true, decision: beslissing });
  });

  it("a row without either is refused; so is anything that is not an object — without an exception", () => {
    expect(Action.safeParse(row).success).toBe(false);
    for (const bad of [null, "row", 12, undefined]) {
      expect(() => Action.safeParse(bad)).not.toThrow();
      expect(Action.safeParse(bad).success).toBe(false);
    }
  });
});
