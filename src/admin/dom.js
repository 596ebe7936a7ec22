/* global document */
// Small DOM and text helpers for the beheerpagina. Everything shown goes in as text nodes or
// attributes: no markup is ever built from data (no innerHTML).

/**
 * An element with attributes and children; strings and numbers become text nodes.
 * @param {string} tag
 * @param {Record<string, string | boolean | undefined>} [attrs]
 * @param {...(Node | string | number | null | undefined | false)} children
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === "text") node.textContent = String(v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return node;
}

/** Replaces the rows of a table body; shows the "leeg" paragraph after the table when there are none. */
export function fillTable(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren(...rows);
  const leeg = table.parentElement?.querySelector(":scope > .leeg") ?? table.closest("section, details")?.querySelector(".leeg");
  if (leeg) leeg.hidden = rows.length > 0;
}

/** "2026-11-28T16:50:00Z" → "28-11-2026 17:50" (local time, as the user reads it). */
export function dateTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, "0");
  return `${p(d.getDate())}-${p(d.getMonth() + 1)}-${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "2026-11-28" → "28-11-2026" */
export function date(iso) {
  if (!iso) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : String(iso);
}

/** A field value in a difference as short text (values arrive already masked). */
export function value(v) {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "ja" : "nee";
  if (typeof v === "object" && !Array.isArray(v) && "soort" in v && "nummer" in v) return `${v.soort} ${v.nummer}`;
  if (Array.isArray(v)) return v.length === 0 ? "geen" : v.map(value).join("; ");
  if (typeof v === "object") return Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => `${k}: ${value(x)}`).join(", ");
  return String(v);
}
