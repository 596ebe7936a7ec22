/**
 * DEV/TEST ONLY. Validates BRON messages (whole SOAP envelopes) against the contract XSD with
 * libxml2 (xmllint-wasm): soap-envelope.xsd imports ws-addressing.xsd and bron-berichten.xsd, and
 * Header/Body children are validated strictly.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateXML } from "xmllint-wasm";

const here = dirname(fileURLToPath(import.meta.url));
const XSD_FILES = ["soap-envelope.xsd", "ws-addressing.xsd", "bron-berichten.xsd"] as const;

/** Where the XSDs live, from the source tree or from dist/. */
export function contractDir(): string {
  for (const dir of [join(here, "../../src/contracts/bron"), join(here, "../../../src/contracts/bron")]) {
    if (existsSync(join(dir, "bron-berichten.xsd"))) return dir;
  }
  throw new Error("bron-berichten.xsd not found");
}

let schemas: { fileName: string; contents: string }[] | undefined;
function loadSchemas() {
  const dir = contractDir();
  schemas ??= XSD_FILES.map((f) => ({ fileName: f, contents: readFileSync(join(dir, f), "utf8") }));
  return schemas;
}

export interface XsdResult {
  valid: boolean;
  errors: string[];
}

/** Validates one or more XML documents against the contract; errors name the document. */
export async function validateAgainstXsd(documents: { name: string; xml: string }[]): Promise<XsdResult> {
  const [main, ...rest] = loadSchemas();
  const r = await validateXML({
    xml: documents.map((d) => ({ fileName: `${d.name.replace(/[^A-Za-z0-9_.-]/g, "_")}.xml`, contents: d.xml })),
    schema: [main!],
    preload: rest,
  });
  return { valid: r.valid, errors: r.errors.map((e) => e.rawMessage) };
}
