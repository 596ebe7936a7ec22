/** A field value as short Dutch text (exports; the beheerpagina has the same rules in src/admin/dom.js). */
export function value(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "ja" : "nee";
  if (Array.isArray(v)) return v.length === 0 ? "geen" : v.map(value).join("; ");
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("soort" in o && "nummer" in o) return `${String(o.soort)} ${String(o.nummer)}`;
    return Object.entries(o).filter(([, x]) => x !== null).map(([k, x]) => `${k}: ${value(x)}`).join(", ");
  }
  return String(v);
}
