import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { outdatedSchemaFiles, schemaFiles } from "../../scripts/gen-schema.js";

describe("docs/schema", () => {
  it("the committed JSON Schema files are what the zod schemas generate (run scripts/gen-schema after changing model.ts)", () => {
    expect(outdatedSchemaFiles("docs/schema")).toEqual([]);
    expect(readdirSync("docs/schema").sort()).toEqual(Object.keys(schemaFiles()).sort());
  });

  it("a changed model would be noticed: a file with other content counts as out of date", () => {
    expect(outdatedSchemaFiles("docs/examples")).toEqual(Object.keys(schemaFiles()));
  });
});
