import { describe, expect, it } from "vitest";
import { checkAanleverpunt, checkBrin, checkBsn, checkIsoDate, checkOnderwijsnummer, checkPostcode, checkVestiging, elfproefSum, normalizePostcode, schoolOin } from "../../src/core/validation.js";

/**
 * The format rules of bron-interface.md §5 and manual ch. 6 ("Controleren"), one rule per test.
 * Each refusal carries the Dutch reason the administrator sees.
 */

const reason = (r: { ok: true } | { ok: false; reason: string }) => (r.ok ? null : r.reason);

describe("rule: the 11-test (elfproef)", () => {
  it("weighs the digits 9, 8, … 2 and the last one −1 (123456782 gives 154; onderwijsnummer 100310303 gives 38)", () => {
    expect(elfproefSum("123456782")).toBe(154);
    expect(elfproefSum("100310303")).toBe(38);
    expect(elfproefSum("000000009")).toBe(-9);
    expect(elfproefSum("100000000")).toBe(9);
  });
});

describe("rule: a BSN is 8 or 9 digits, not 0, and passes the 11-test", () => {
  it("accepts a 9-digit BSN that passes the 11-test", () => {
    expect(checkBsn("123456782")).toEqual({ ok: true });
  });

  it("accepts an 8-digit BSN: it is padded to 9 with a leading zero before the 11-test", () => {
    expect(checkBsn("10000008")).toEqual({ ok: true });
  });

  it("refuses fewer than 8 or more than 9 digits, letters and surrounding text, with the format reason", () => {
    for (const bad of ["1234567", "1234567820", "12345678a", "x123456782", "123456782 ", " 123456782", "", "12 345 678"]) {
      expect(reason(checkBsn(bad)), bad).toBe("BSN moet uit 8 of 9 cijfers bestaan");
    }
  });

  it("refuses the all-zero BSN although its weighted sum is 0 (8 and 9 zeros)", () => {
    expect(reason(checkBsn("000000000"))).toBe("BSN mag niet 0 zijn");
    expect(reason(checkBsn("00000000"))).toBe("BSN mag niet 0 zijn");
  });

  it("refuses a number that fails the 11-test, also one whose weighted sum is negative", () => {
    expect(reason(checkBsn("123456789"))).toBe("BSN voldoet niet aan de elfproef");
    expect(reason(checkBsn("000000009"))).toBe("BSN voldoet niet aan de elfproef");
    expect(reason(checkBsn("100310303"))).toBe("BSN voldoet niet aan de elfproef");
  });
});

describe("rule: an onderwijsnummer is 9 digits starting with 10, with weighted sum mod 11 = 5", () => {
  it("accepts the test values of the specification", () => {
    for (const ok of ["100310303", "100729533", "101222331"]) expect(checkOnderwijsnummer(ok), ok).toEqual({ ok: true });
  });

  it("refuses anything but exactly 9 digits", () => {
    for (const bad of ["10031030", "1003103030", "10031030a", " 100310303", "100310303 ", ""]) {
      expect(reason(checkOnderwijsnummer(bad)), bad).toBe("Onderwijsnummer moet uit 9 cijfers bestaan");
    }
  });

  it("refuses a number that does not start with 10, even when its sum mod 11 is 5", () => {
    expect(reason(checkOnderwijsnummer("110000001"))).toBe("Onderwijsnummer moet met 10 beginnen");
  });

  it("refuses a number starting with 10 whose sum mod 11 is not 5 (a valid BSN is not an onderwijsnummer)", () => {
    expect(reason(checkOnderwijsnummer("100000009"))).toBe("Onderwijsnummer voldoet niet aan de controle (som mod 11 moet 5 zijn)");
    expect(checkBsn("100000009")).toEqual({ ok: true });
  });
});

describe("rule: a Dutch postcode is 4 digits (not starting with 0) and 2 capitals; SA, SD and SS are not issued", () => {
  it("accepts 1234AB and 1234 AB (one optional space)", () => {
    expect(checkPostcode("3511AB")).toEqual({ ok: true });
    expect(checkPostcode("3511 AB")).toEqual({ ok: true });
    expect(checkPostcode("9999ZZ")).toEqual({ ok: true });
    expect(checkPostcode("1000AA")).toEqual({ ok: true });
  });

  it("refuses a leading 0, lower case, wrong lengths, two spaces and surrounding text", () => {
    for (const bad of ["0511AB", "3511ab", "351AB", "35111AB", "3511A", "3511ABC", "3511  AB", " 3511AB", "3511AB ", "AB3511", ""]) {
      expect(reason(checkPostcode(bad)), bad).toBe("Postcode moet de vorm 1234 AB hebben");
    }
  });

  it("refuses the letter combinations SA, SD and SS, naming them; other S-combinations are issued", () => {
    expect(reason(checkPostcode("3511SA"))).toBe("Postcode met letters SA wordt niet uitgegeven");
    expect(reason(checkPostcode("3511 SD"))).toBe("Postcode met letters SD wordt niet uitgegeven");
    expect(reason(checkPostcode("3511SS"))).toBe("Postcode met letters SS wordt niet uitgegeven");
    expect(checkPostcode("3511SB")).toEqual({ ok: true });
    expect(checkPostcode("3511AS")).toEqual({ ok: true });
  });

  it("compares postcodes in normal form: no spaces, capitals", () => {
    expect(normalizePostcode("3511 ab")).toBe("3511AB");
    expect(normalizePostcode(" 3511  AB ")).toBe("3511AB");
    expect(normalizePostcode("3511\tAB")).toBe("3511AB");
  });
});

describe("rule: BRIN, vestiging and aanleverpunt codes", () => {
  it("a BRIN is 2 digits and 2 capitals", () => {
    expect(checkBrin("00AA")).toEqual({ ok: true });
    for (const bad of ["00aa", "0AAA", "000A", "00AA0", " 00AA", "00AA ", "00A"]) {
      expect(reason(checkBrin(bad)), bad).toBe("BRIN moet uit 2 cijfers en 2 hoofdletters bestaan, bijv. 00AA");
    }
  });

  it("a vestiging is the BRIN and a 2-digit volgnummer", () => {
    expect(checkVestiging("00AA01")).toEqual({ ok: true });
    for (const bad of ["00AA1", "00AA011", "00aa01", "0AAA01", "00AAA1", " 00AA01", "00AA01 "]) {
      expect(reason(checkVestiging(bad)), bad).toBe("Vestiging moet BRIN + 2 cijfers zijn, bijv. 00AA01");
    }
  });

  it("an aanleverpunt is the BRIN and a 2-digit aanleverpuntnummer", () => {
    expect(checkAanleverpunt("00AA00")).toEqual({ ok: true });
    for (const bad of ["00AA0", "00AA000", "00aa00", "0AAA00", "00AAA0", " 00AA00", "00AA00 "]) {
      expect(reason(checkAanleverpunt(bad)), bad).toBe("Aanleverpunt moet BRIN + 2 cijfers zijn, bijv. 00AA00");
    }
  });

  it("the school's OIN for DUO's services is 00000007000 + BRIN + 00000", () => {
    expect(schoolOin("00AA")).toBe("0000000700000AA00000");
  });
});

describe("rule: dates are ISO calendar dates (JJJJ-MM-DD) that exist", () => {
  it("accepts an existing date, a leap day in a leap year among them", () => {
    expect(checkIsoDate("2024-02-29")).toEqual({ ok: true });
    expect(checkIsoDate("2026-12-31")).toEqual({ ok: true });
  });

  it("refuses another format", () => {
    for (const bad of ["2024-2-29", "24-02-29", "2024/02/29", "29-02-2024", "2024-02-29T00:00", " 2024-02-29", "2024-02-290", ""]) {
      expect(reason(checkIsoDate(bad)), bad).toBe("Datum moet de vorm JJJJ-MM-DD hebben");
    }
  });

  it("refuses a date that does not exist: 29 February of a common year, month 13, day 32", () => {
    for (const bad of ["2023-02-29", "2024-13-01", "2024-01-32", "2024-04-31", "2024-00-10"]) {
      expect(reason(checkIsoDate(bad)), bad).toBe("Datum bestaat niet");
    }
  });
});
