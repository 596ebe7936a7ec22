import { z } from "zod";
import {
  AanleverpuntenResponse,
  ErrorResponse,
  HealthResponse,
  RELAY_API_VERSION,
  routes,
  SnapshotLine,
  SnapshotPage,
  SnapshotQuery,
  WriteRequest,
  WriteResult,
} from "./api.js";

/**
 * The relay API as one JSON document: its version, its routes and the JSON Schema (draft 2020-12) of
 * every body, generated from the zod wire schemas in api.ts. Committed as docs/schema/relay-api.json
 * (scripts/gen-schema.ts writes it); test/unit/relay-api-contract.test.ts fails when the wire shape
 * changes without a new RELAY_API_VERSION. Shapes only: refinements such as "a real calendar date"
 * are not expressible in JSON Schema.
 */

const BODIES: Readonly<Record<string, { schema: z.ZodType; io: "input" | "output"; description: string }>> = {
  HealthResponse: { schema: HealthResponse, io: "output", description: `GET ${routes.health}` },
  AanleverpuntenResponse: { schema: AanleverpuntenResponse, io: "output", description: `GET ${routes.aanleverpunten}` },
  SnapshotQuery: { schema: SnapshotQuery, io: "input", description: "query string of both snapshot routes" },
  SnapshotPage: { schema: SnapshotPage, io: "output", description: `GET ${routes.snapshot("{aanleverpunt}")}` },
  SnapshotLine: { schema: SnapshotLine, io: "output", description: `one line of GET ${routes.snapshotStream("{aanleverpunt}")} (NDJSON)` },
  WriteRequest: { schema: WriteRequest, io: "input", description: `body of POST ${routes.writes}` },
  WriteResult: { schema: WriteResult, io: "output", description: `answer to POST ${routes.writes} (200, 409, 404)` },
  ErrorResponse: { schema: ErrorResponse, io: "output", description: "body of every 4xx/5xx answer" },
};

export interface RelayApiDocument {
  $schema: string;
  $id: string;
  title: string;
  apiVersion: string;
  routes: Record<string, string>;
  $defs: Record<string, unknown>;
}

export function relayApiDocument(): RelayApiDocument {
  const $defs: Record<string, unknown> = {};
  for (const [name, b] of Object.entries(BODIES)) {
    const { $schema: _s, ...json } = z.toJSONSchema(b.schema, { io: b.io, unrepresentable: "any" });
    $defs[name] = { description: b.description, ...json };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://bron-sync.example/schema/relay-api.json",
    title: "Relay-API (LVS2000-relay op school)",
    apiVersion: RELAY_API_VERSION,
    routes: {
      health: `GET ${routes.health}`,
      aanleverpunten: `GET ${routes.aanleverpunten}`,
      snapshot: `GET ${routes.snapshot("{aanleverpunt}")}`,
      snapshotStream: `GET ${routes.snapshotStream("{aanleverpunt}")}`,
      writes: `POST ${routes.writes}`,
    },
    $defs,
  };
}
