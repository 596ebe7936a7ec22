import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { relayApiDocument } from "../src/contracts/relay/json-schema.js";
import { Action, ActionMemory, BronMirror, FeedbackMessage, LvsSnapshot, LvsWrite, Signal } from "../src/core/model.js";

/**
 * docs/schema/*.json: JSON Schema (draft 2020-12) generated from the zod schemas of the domain model, so
 * the documented formats cannot drift from the checks the code does, plus relay-api.json: the relay
 * API's wire schemas (src/contracts/relay/). Run after changing model.ts or the relay contract:
 *   npm run build && node dist/scripts/gen-schema.js
 * (test/unit/cli-schema.test.ts fails while the committed files are out of date.)
 * Shapes only: refinements (e.g. "a real calendar date") are not expressible and are listed in docs/formats.md.
 */

const FILES: Readonly<Record<string, { title: string; description: string; schema: z.ZodType; io: "input" | "output" }>> = {
  "lvs-snapshot": { title: "LVS2000-snapshot", description: "Invoer --lvs: alles wat LVS2000 voor één aanleverpunt heeft.", schema: LvsSnapshot, io: "input" },
  "bron-mirror": { title: "BRON-overzicht (mirror)", description: "Invoer --bron: wat BRON voor één aanleverpunt heeft (registratieoverzicht + verwerkte terugkoppeling).", schema: BronMirror, io: "input" },
  "action-memory": { title: "Geheugen van acties bepalen", description: "Invoer --memory: genegeerde verschillen, acties in behandeling, eerste keer gezien.", schema: ActionMemory, io: "input" },
  actions: { title: "Acties", description: "Uitvoer van determine, invoer --actions van check en feedback.", schema: z.array(Action), io: "input" },
  signals: { title: "Signalen", description: "Uitvoer van check: afkeur- en attentiesignalen.", schema: z.array(Signal), io: "output" },
  "feedback-messages": { title: "Terugkoppelberichten", description: "Invoer --messages van feedback: berichten van BRON.", schema: z.array(FeedbackMessage), io: "input" },
  "lvs-writes": { title: "Schrijfacties naar LVS2000", description: "Deel van de uitvoer van feedback (lvsWrites).", schema: z.array(LvsWrite), io: "output" },
};

/** The generated files, name → JSON text. */
export function schemaFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(FILES)) {
    const json = z.toJSONSchema(f.schema, { io: f.io, unrepresentable: "any" });
    const { $schema, ...rest } = json;
    const doc = { $schema, $id: `https://bron-sync.example/schema/${name}.schema.json`, title: f.title, description: f.description, ...rest };
    out[`${name}.schema.json`] = `${JSON.stringify(doc, null, 2)}\n`;
  }
  out["relay-api.json"] = `${JSON.stringify(relayApiDocument(), null, 2)}\n`;
  return out;
}

/** Names of committed files that differ from what the zod schemas generate (empty: up to date). */
export function outdatedSchemaFiles(dir: string): string[] {
  return Object.entries(schemaFiles())
    .filter(([name, text]) => {
      try {
        return readFileSync(join(dir, name), "utf8") !== text;
      } catch {
        return true;
      }
    })
    .map(([name]) => name);
}

function writeAll(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(schemaFiles())) writeFileSync(join(dir, name), text);
  console.log(`JSON Schema geschreven naar ${dir}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // run from the repository root: writes docs/schema (or the folder given)
  writeAll(process.argv[2] ?? resolve(process.cwd(), "docs", "schema"));
}
