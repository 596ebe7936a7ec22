import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RELAY_API_VERSION } from "../../src/contracts/relay/api.js";
import { relayApiDocument, type RelayApiDocument } from "../../src/contracts/relay/json-schema.js";

// The relay API is what the program installed at every school speaks. Its wire shape may change only
// together with RELAY_API_VERSION: a released version's shape is pinned here by its fingerprint.

/** Fingerprint (SHA-256 of routes + body schemas) of every released relay API version. Never edit a line; add one. */
const RELEASED: Readonly<Record<string, string>> = {
  "1": "db659a526827da4990d197619fb5e1ef41d48fe799628bf60a3f5005d8b8042c",
  "2": "470bb2f6001155e819eacaa41f282e3cb7c7b4081d7e88b1dabde85a15383866", // NAAM_CORRECTIE carries only the changed fields
  "3": "7e698c3b4e867d2c16a77bd77dcc6786a2e0d041e91b19b2f96f48a38f344c7d", // enrolments carry klassenhistorie, NNCA, gewicht, VVE, eindtoets, schooladvies; NATIONALITEITEN write
};

function fingerprint(doc: RelayApiDocument): string {
  return createHash("sha256").update(JSON.stringify({ routes: doc.routes, $defs: doc.$defs })).digest("hex");
}

describe("relay API contract (src/contracts/relay/api.ts)", () => {
  it("the wire shape is the one released under RELAY_API_VERSION", () => {
    const now = fingerprint(relayApiDocument());
    const released = RELEASED[RELAY_API_VERSION];
    expect(released, `relay API version ${RELAY_API_VERSION} has no pinned fingerprint: add "${RELAY_API_VERSION}": "${now}" to RELEASED`).toBeDefined();
    expect(
      now,
      `The relay wire schema changed under API version ${RELAY_API_VERSION}. Schools run the relay: raise RELAY_API_VERSION in src/contracts/relay/api.ts, ` +
        `add its fingerprint to RELEASED, and regenerate docs/schema/relay-api.json (npm run build && node dist/scripts/gen-schema.js).`,
    ).toBe(released);
  });

  it("docs/schema/relay-api.json is the committed form of the current wire schema", () => {
    const committed = JSON.parse(readFileSync("docs/schema/relay-api.json", "utf8")) as RelayApiDocument;
    expect(committed, "regenerate docs/schema/relay-api.json (npm run build && node dist/scripts/gen-schema.js)").toEqual(relayApiDocument());
    expect(committed.apiVersion).toBe(RELAY_API_VERSION);
  });

  it("the document covers every route and every body", () => {
    const doc = relayApiDocument();
    expect(Object.keys(doc.routes).sort()).toEqual(["aanleverpunten", "health", "snapshot", "snapshotStream", "writes"]);
    expect(Object.keys(doc.$defs).sort()).toEqual(["AanleverpuntenResponse", "ErrorResponse", "HealthResponse", "SnapshotLine", "SnapshotPage", "SnapshotQuery", "WriteRequest", "WriteResult"]);
  });
});
