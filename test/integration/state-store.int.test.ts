import { BlobServiceClient } from "@azure/storage-blob";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createStateStore, type StateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import type { Action, BronMirror } from "../../src/core/model.js";
import { AUDIT_DAYS, FINAL_ACTION_DETAIL_DAYS, RETENTION_REASON, retentionCutoff } from "../../src/core/retention.js";
import { generateDemoData } from "../../scripts/demo-data/generate.js";

// Each test file gets its own tables through a prefix, so files can share one Azurite.
function storeFor(prefix: string): StateStore {
  const cs = inject("azuriteConnectionString");
  const tables = tablesFromConnectionString(cs);
  const blobs = BlobServiceClient.fromConnectionString(cs).getContainerClient(`${prefix}-blobs`.toLowerCase());
  return createStateStore({ tables: (name) => tables(`${prefix}${name}`), blobs });
}

describe("state store (Table Storage via Azurite)", () => {
  let store: StateStore;
  let mirror: BronMirror;
  beforeAll(() => {
    store = storeFor("st1");
    const demo = generateDemoData({ seed: 7, leerlingen: 150, today: "2026-11-28" });
    mirror = demo.bron[0]!;
  });

  it("a never-stored aanleverpunt has an empty, never-fetched mirror", async () => {
    const m = await store.loadMirror("99ZZ00");
    expect(m).toMatchObject({ aanleverpunt: "99ZZ00", overzichtDatum: null, leerlingen: [], inschrijvingen: [] });
  });

  it("the mirror round-trips, in more rows than one transaction holds", async () => {
    await store.saveMirror(mirror);
    const back = await store.loadMirror(mirror.aanleverpunt);
    const byId = <T extends { inschrijvingId?: string; leerlingId: string }>(xs: T[]) => [...xs].sort((a, b) => (a.inschrijvingId ?? a.leerlingId).localeCompare(b.inschrijvingId ?? b.leerlingId));
    expect(byId(back.inschrijvingen)).toEqual(byId(mirror.inschrijvingen));
    expect(byId(back.leerlingen)).toEqual(byId(mirror.leerlingen));
    expect(back.overzichtDatum).toBe(mirror.overzichtDatum);
  });

  it("a registratieoverzicht that no longer lists an enrolment removes it from the stored mirror", async () => {
    const smaller = { ...mirror, inschrijvingen: mirror.inschrijvingen.slice(1) };
    await store.saveMirror(smaller);
    const back = await store.loadMirror(mirror.aanleverpunt);
    expect(back.inschrijvingen).toHaveLength(mirror.inschrijvingen.length - 1);
    expect(back.inschrijvingen.map((i) => i.inschrijvingId)).not.toContain(mirror.inschrijvingen[0]!.inschrijvingId);
  });

  it("actions are replaced as a list and validated when read", async () => {
    const a: Action = {
      id: "NIEUWE_INSCHRIJVING/L1/I1/abc", type: "NIEUWE_INSCHRIJVING", direction: "BRON", needsDecision: false, decision: null, manual: false,
      aanleverpunt: "12AB00", leerlingId: "L1", inschrijvingId: "I1", fields: [], fingerprint: "abc", deadline: null, reason: "Nieuw", status: "OPEN",
    };
    const two = [a, { ...a, id: "x#2", fingerprint: "def" }];
    await store.updateActions("12AB00", [], two);
    await store.updateActions("12AB00", two, [{ ...a, status: "IN_BEHANDELING" }]);
    const back = await store.loadActions("12AB00");
    expect(back).toEqual([{ ...a, status: "IN_BEHANDELING" }]);
  });

  it("a writer never overwrites an action someone else changed after it read the list (lost update)", async () => {
    const ap = "12AB02";
    const a: Action = {
      id: "WS-1", type: "WIJZIGING_SLEUTELGEGEVENS", direction: "BRON", needsDecision: true, decision: null, manual: false,
      aanleverpunt: ap, leerlingId: "L1", inschrijvingId: null, fields: [], fingerprint: "f1", deadline: null, reason: "r", status: "OPEN",
    };
    const b: Action = { ...a, id: "NI-2", type: "NIEUWE_INSCHRIJVING", direction: "BRON", inschrijvingId: "I2", needsDecision: false, decision: null, fingerprint: "f2" };
    await store.updateActions(ap, [], [a, b]);
    const sendersView = await store.loadActions(ap);
    // a person ignores `a` while the send activity works on its own copy of the list
    await store.updateActions(ap, [a], [{ ...a, status: "GENEGEERD" }]);
    const { conflicts } = await store.updateActions(ap, sendersView, sendersView.map((x) => ({ ...x, status: "IN_BEHANDELING" as const })));
    expect(conflicts).toEqual(["WS-1"]);
    const now = new Map((await store.loadActions(ap)).map((x) => [x.id, x.status]));
    expect(now.get("WS-1")).toBe("GENEGEERD");
    expect(now.get("NI-2")).toBe("IN_BEHANDELING");
  });

  it("rule: feedback is kept as received before it is processed, also when too large for a table row", async () => {
    const big = `<bericht>${"x".repeat(100_000)}</bericht>`;
    const entry = await store.storeFeedback("12AB00", "msg-1", big, "2026-11-28T10:00:00Z");
    expect(entry.rawBlob).not.toBeNull();
    expect(await store.readFeedbackRaw(entry)).toBe(big);
    await store.markFeedback("12AB00", "msg-1", "MISLUKT", "onbekende mutatie");
    const again = await store.storeFeedback("12AB00", "msg-1", "other", "2026-11-28T11:00:00Z");
    expect(again).toMatchObject({ status: "MISLUKT", error: "onbekende mutatie" });
  });

  it("the audit trail keeps entries in time order", async () => {
    await store.audit("12AB00", new Date("2026-11-28T10:00:00Z"), { op: "BESLISSING", door: "admin", wat: "negeren", details: { actionId: "a1" } });
    await store.audit("12AB00", new Date("2026-11-28T09:00:00Z"), { op: "RUN", door: "timer", wat: "sync", details: { acties: 3 } });
    expect((await store.listAudit("12AB00")).map((e) => e.op)).toEqual(["RUN", "BESLISSING"]);
  });

  it("rule: retention — a final action's field values go 13 months after its last change (by the row's own Timestamp); open ones stay", async () => {
    const ap = "12AB03";
    const base: Action = {
      id: "WS-9", type: "WIJZIGING_SLEUTELGEGEVENS", direction: "BRON", needsDecision: true, decision: null, manual: false, aanleverpunt: ap, leerlingId: "L9",
      inschrijvingId: null, fields: [{ field: "achternaam", lvs: "Jansen", bron: "Janssen" }], fingerprint: "f9", deadline: null, reason: "Achternaam verschilt", status: "GEACCEPTEERD",
    };
    const open: Action = { ...base, id: "WS-10", fingerprint: "f10", status: "OPEN" };
    await store.updateActions(ap, [], [base, open]);
    expect(await store.forgetExpiredActionDetail(ap, new Date())).toBe(0);
    const later = new Date(Date.now() + (FINAL_ACTION_DETAIL_DAYS + 1) * 86_400_000);
    expect(await store.forgetExpiredActionDetail(ap, later)).toBe(1);
    const back = new Map((await store.loadActions(ap)).map((a) => [a.id, a]));
    expect(back.get("WS-9")).toMatchObject({ status: "GEACCEPTEERD", leerlingId: "L9", fields: [], reason: RETENTION_REASON });
    expect(back.get("WS-10")).toEqual(open);
    expect(await store.forgetExpiredActionDetail(ap, later)).toBe(0);
  });

  it("rule: retention — audit entries older than 2 years are deleted, newer ones stay", async () => {
    const ap = "12AB04";
    await store.audit(ap, new Date("2023-05-01T08:00:00Z"), { op: "INZAGE", door: "admin", wat: "leerling ingezien", details: { leerlingId: "L1" } });
    await store.audit(ap, new Date("2026-11-28T08:00:00Z"), { op: "RUN", door: "timer", wat: "sync", details: {} });
    expect(await store.forgetAuditBefore(ap, retentionCutoff(new Date("2026-11-29T00:00:00Z"), AUDIT_DAYS))).toBe(1);
    expect((await store.listAudit(ap)).map((e) => e.op)).toEqual(["RUN"]);
  });
});
