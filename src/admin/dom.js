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

/**
 * Replaces the rows of a table body; shows the "leeg" paragraph after the table when there are none.
 * Each cell gets the text of its column header as data-label, shown in front of it on a narrow screen.
 */
export function fillTable(table, rows) {
  const body = table.tBodies[0];
  const labels = [...(table.tHead?.rows[0]?.cells ?? [])].map((th) => th.textContent?.trim() ?? "");
  for (const row of rows) [...row.cells].forEach((cell, i) => labels[i] && !cell.hasAttribute("data-label") && cell.setAttribute("data-label", labels[i]));
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

/** Today in the Netherlands as YYYY-MM-DD. */
export function todayIso() {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Amsterdam" }).format(new Date());
}

/** An address in one line: "Dorpsstraat 12a, 1234 AB Utrecht" (land other than Nederland named by code). */
export function address(a) {
  if (!a) return "—";
  const nr = [a.huisnummer ?? "", a.toevoeging ?? ""].join("");
  const street = [a.straat, nr].filter((x) => x !== "").join(" ");
  const place = [a.postcode ?? "", a.plaats].filter((x) => x !== "").join(" ");
  return [street, place, a.land && a.land !== "6030" ? `land ${a.land}` : ""].filter((x) => x !== "").join(", ");
}

/** A field value in a difference as short text. */
export function value(v) {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "ja" : "nee";
  if (typeof v === "object" && !Array.isArray(v) && "soort" in v && "nummer" in v) return `${v.soort} ${v.nummer}`;
  if (typeof v === "object" && !Array.isArray(v) && "straat" in v && "plaats" in v) return address(v);
  if (Array.isArray(v)) return v.length === 0 ? "geen" : v.map(value).join("; ");
  if (typeof v === "object") return Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => `${k}: ${value(x)}`).join(", ");
  return String(v);
}
