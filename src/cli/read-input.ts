import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { z } from "zod";
import { describeIssue } from "./describe-issue.js";
import { InputError } from "./input-error.js";

const dutch = z.locales.nl().localeError;

/**
 * Reads a JSON file and checks it against a zod schema (the boundary check). Every failure becomes one
 * InputError line naming the file, the record and the field — never a stack trace.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  const name = basename(path);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: bestand niet te lezen${code === "ENOENT" ? " (bestaat niet)" : code ? ` (${code})` : ""}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${name}: geen geldige JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseValue(name, raw, schema);
}

/** Checks an already-parsed value; `name` is how the message refers to where it came from. */
export function parseValue<T>(name: string, raw: unknown, schema: z.ZodType<T>): T {
  const r = schema.safeParse(raw, { error: dutch });
  if (r.success) return r.data;
  const [first, ...others] = r.error.issues;
  // one message per field: a value failing two rules of the same field counts once
  const rest = [...new Set(others.map((i) => i.path.map(String).join("\u0000")))].filter((p) => p !== first?.path.map(String).join("\u0000"));
  const more = rest.length > 0 ? ` (en nog ${rest.length} ${rest.length === 1 ? "fout" : "fouten"})` : "";
  throw new InputError(`${name}: ${first ? describeIssue(raw, first) : "ongeldige invoer"}${more}`);
}
