import { describe, expect, it } from "vitest";
import { judgeDatabaseVersion } from "../../src/relay/db-version.js";

describe("LVS2000 database version (manual: at least 2.10.xxxx)", () => {
  it.each(["2.10.0000", "2.10", "2.11.1", "3.0.0", "10.1"])("accepts %s", (v) => {
    expect(judgeDatabaseVersion(v).ok).toBe(true);
  });

  it.each(["2.9.9999", "2.1.5", "1.99", "2"])("refuses %s, comparing parts as numbers (2.9 < 2.10)", (v) => {
    const verdict = judgeDatabaseVersion(v);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.melding).toContain("minimaal versie 2.10");
  });

  it("refuses an empty version table and unreadable text with a clear message", () => {
    expect(judgeDatabaseVersion(null)).toMatchObject({ ok: false, version: null });
    expect(judgeDatabaseVersion("twee.tien")).toMatchObject({ ok: false, version: "twee.tien" });
  });
});
