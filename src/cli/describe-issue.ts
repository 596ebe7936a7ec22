import type { z } from "zod";

/**
 * One line for a schema failure that names the record (the outermost list element, by index and id) and
 * the field inside it, e.g. `record leerlingen[3] (id 100004), veld adres.postcode: …`.
 */
export function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  const recordAt = path.findIndex((p) => typeof p === "number");
  let record = "";
  let fieldPath = path;
  if (recordAt >= 0) {
    const recordPath = path.slice(0, recordAt + 1);
    const element = valueAt(raw, recordPath);
    const id = idOf(element);
    record = `record ${formatPath(recordPath)}${id === null ? "" : ` (id ${id})`}`;
    fieldPath = path.slice(recordAt + 1);
  }
  const field = fieldPath.length > 0 ? `veld ${formatPath(fieldPath)}` : "";
  const where = [record, field].filter((s) => s !== "").join(", ");
  const absent = path.length > 0 && valueAt(raw, path) === undefined;
  let message = issue.message;
  if (issue.code === "invalid_type" && absent) message = `ontbreekt (verwacht ${issue.expected})`;
  else if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) {
    // a union told apart by this field (e.g. an action's type): missing, or not one of the kinds
    const kinds = issue.options.map(String).join(", ");
    message = absent ? `ontbreekt (verwacht een van: ${kinds})` : `onbekende waarde (verwacht een van: ${kinds})`;
  }
  return where === "" ? message : `${where}: ${message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** The id a person recognises a record by: id, inschrijvingId or leerlingId. */
function idOf(element: unknown): string | null {
  if (element === null || typeof element !== "object") return null;
  const o = element as Record<string, unknown>;
  for (const key of ["id", "inschrijvingId", "leerlingId"]) {
    const v = o[key];
    if (typeof v === "string" || typeof v === "number") return String(v);
  }
  return null;
}
