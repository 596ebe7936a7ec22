/**
 * CSV as Excel opens it in the Netherlands: UTF-8 with a byte order mark (else Excel reads the file as
 * Windows-1252 and "é" becomes "Ã©"), ';' between fields (Dutch Excel reads ',' as the decimal comma),
 * CRLF between rows, fields quoted when they hold ';', '"', a line break or edge spaces. A text that
 * starts like a formula (=, +, -, @, tab) gets a leading apostrophe, so a cell never runs as a formula
 * (CSV injection); plain numbers stay numbers.
 */

export const CSV_BOM = "\uFEFF";
export const CSV_SEPARATOR = ";";

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+([.,]\d+)?$/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "ja" : "nee";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value;
  if (FORMULA_START.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[";\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: BOM, header row, data rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const line = (cells: readonly CsvValue[]) => cells.map(csvField).join(CSV_SEPARATOR);
  return `${CSV_BOM}${[line(header), ...rows.map(line)].join("\r\n")}\r\n`;
}

/** Reads a file written by toCsv back into rows (tests, and anyone checking an export). */
export function parseCsv(text: string): string[][] {
  const body = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === CSV_SEPARATOR) {
      row.push(field);
      field = "";
    } else if (c === "\r" && body[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
