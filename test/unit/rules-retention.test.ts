import { describe, expect, it } from "vitest";
import { evolve } from "../../src/core/action-lifecycle.js";
import type { ActionStatus } from "../../src/core/model.js";
import { AUDIT_DAYS, detailExpired, FINAL_ACTION_DETAIL_DAYS, RETENTION_REASON, retentionCutoff, withoutDetail } from "../../src/core/retention.js";
import { act } from "./rules-fixtures.js";

const NOW = new Date("2027-12-01T10:00:00Z");
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const withValues = (status: ActionStatus) =>
  act("A1", { status, type: "WIJZIGING_SLEUTELGEGEVENS", fields: [{ field: "achternaam", lvs: "Jansen", bron: "Janssen" }], reason: "Achternaam verschilt: Jansen / Janssen" });

describe("rule: a final action keeps its field values 13 months after its last change, then only its ids and status stay", () => {
  it.each(["GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD"] as const)("%s: kept until the term, past it the values go", (status) => {
    const a = withValues(status);
    expect(FINAL_ACTION_DETAIL_DAYS).toBe(395);
    expect(detailExpired(a, daysBefore(FINAL_ACTION_DETAIL_DAYS - 1), NOW)).toBe(false);
    expect(detailExpired(a, daysBefore(FINAL_ACTION_DETAIL_DAYS + 1), NOW)).toBe(true);
    const stripped = withoutDetail(a);
    expect(stripped).toMatchObject({ id: "A1", type: "WIJZIGING_SLEUTELGEGEVENS", leerlingId: "1001", status, fields: [], reason: RETENTION_REASON });
    expect(JSON.stringify(stripped)).not.toMatch(/Jansen|Janssen/);
  });

  it.each(["OPEN", "GECONTROLEERD", "IN_VERZENDING", "IN_BEHANDELING"] as const)("%s (not final): keeps its values however old", (status) => {
    expect(detailExpired(withValues(status), daysBefore(5 * 365), NOW)).toBe(false);
  });

  it("an action whose values are gone is not stripped again (the row is not rewritten every run)", () => {
    const stripped = withoutDetail(withValues("GEACCEPTEERD"));
    expect(detailExpired(stripped, daysBefore(FINAL_ACTION_DETAIL_DAYS + 1), NOW)).toBe(false);
  });

  it("an afgekeurd action past its term still cannot be sent again: determined again it stays as it is; deleted by a person it leaves a tombstone", () => {
    const stripped = withoutDetail(withValues("AFGEKEURD"));
    const again = evolve(stripped, { kind: "determined", fresh: withValues("OPEN") });
    expect(again).toEqual({ ok: true, action: stripped });
    const deleted = evolve(stripped, { kind: "deleted" });
    expect(deleted.ok && deleted.action?.status).toBe("VERWIJDERD");
  });
});

describe("rule: the audit trail is kept 2 years", () => {
  it("entries from before the cutoff go", () => {
    expect(AUDIT_DAYS).toBe(730);
    expect(retentionCutoff(NOW, AUDIT_DAYS)).toBe("2025-12-01T10:00:00.000Z");
  });
});
