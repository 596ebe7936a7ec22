import { BlobServiceClient } from "@azure/storage-blob";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createStateStore, type StateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import type { Action, BronMirror } from "../../src/core/model.js";
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
      id: "NIEUWE_INSCHRIJVING/L1/I1/abc", type: "NIEUWE_INSCHRIJVING", direction: "BRON", automatic: true, manual: false,
      aanleverpunt: "12AB00", leerlingId: "L1", inschrijvingId: "I1", fields: [], fingerprint: "abc", deadline: null, reason: "Nieuw", status: "OPEN",
    };
    await store.saveActions("12AB00", [a, { ...a, id: "x#2", fingerprint: "def" }]);
    await store.saveActions("12AB00", [{ ...a, status: "IN_BEHANDELING" }]);
    const back = await store.loadActions("12AB00");
    expect(back).toEqual([{ ...a, status: "IN_BEHANDELING" }]);
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
});
