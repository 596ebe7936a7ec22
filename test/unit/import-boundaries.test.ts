import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The import boundaries in eslint.config.js: wire contracts stand on their own, stand-ins speak the
// contracts instead of reusing the app's adapters. Checked with the project's own ESLint configuration.

const eslint = new ESLint();
async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import boundaries", () => {
  it("src/contracts may not import the domain model or an adapter", async () => {
    expect(await refusals("src/contracts/relay/x.ts", 'import { Leerling } from "../../core/model.js";\nexport const x = Leerling;\n')).toEqual([expect.stringContaining("src/contracts may not import src/core")]);
    expect(await refusals("src/contracts/bron/x.ts", 'import { planDeliveries } from "../../adapters/bron/batches.js";\nexport const x = planDeliveries;\n')).toEqual([expect.stringContaining("src/contracts may not import src/adapters")]);
    expect(await refusals("src/contracts/bron/x.ts", 'import { ValidationError } from "../../errors.js";\nimport { BRON_NAMESPACE } from "./constants.js";\nexport const x = [ValidationError, BRON_NAMESPACE];\n')).toEqual([]);
  });

  it("emulators may not import src/adapters, but may use src/contracts", async () => {
    expect(await refusals("emulators/bron/x.ts", 'import { buildRequest } from "../../src/adapters/bron/client.js";\nexport const x = buildRequest;\n')).toEqual([expect.stringContaining("emulators/ may not import src/adapters")]);
    expect(await refusals("emulators/bron/x.ts", 'import { buildRequest } from "../../src/contracts/bron/codec.js";\nexport const x = buildRequest;\n')).toEqual([]);
  });
});
