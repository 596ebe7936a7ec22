import { z } from "zod";
import { Aanleverpunt, Inschrijving, Leerling, LvsSnapshot, OnvolledigeLeerling } from "../core/model.js";
import { parseValue, readJsonFile } from "./read-input.js";

const dutch = z.locales.nl().localeError;

/** The file's shape, with each pupil still unread: a pupil that fails is reported, not fatal. */
const LooseSnapshot = z.object({
  aanleverpunt: Aanleverpunt,
  leerlingen: z.array(z.object({ id: z.string().min(1) }).passthrough()),
  inschrijvingen: z.array(Inschrijving),
  onvolledig: z.array(OnvolledigeLeerling).optional(),
  uitgeslotenInschrijvingen: z.array(z.string()).optional(),
});

/**
 * Reads an LVS2000 snapshot file. Rule: incomplete LVS2000 data never blocks the file and never
 * becomes a deletion — a pupil without, say, a geboortedatum is listed as incomplete (field and Dutch
 * reason), so `determine` proposes no deletion for it and `check` gives an AFKEUR naming the field.
 */
export async function readLvsSnapshot(path: string): Promise<LvsSnapshot> {
  const loose = await readJsonFile(path, LooseSnapshot);
  const leerlingen: Leerling[] = [];
  const onvolledig: OnvolledigeLeerling[] = [...(loose.onvolledig ?? [])];
  for (const raw of loose.leerlingen) {
    const r = Leerling.safeParse(raw, { error: dutch });
    if (r.success) leerlingen.push(r.data);
    else onvolledig.push({ id: raw.id, velden: r.error.issues.map((i) => ({ veld: i.path.map(String).join(".") || "leerling", reden: reasonOf(raw, i) })) });
  }
  return parseValue(path, { ...loose, leerlingen, onvolledig }, LvsSnapshot);
}

/** "Geboortedatum ontbreekt" or "Geboortedatum: <zod's Dutch message>" — the field, never its value. */
function reasonOf(raw: Record<string, unknown>, issue: z.core.$ZodIssue): string {
  const veld = issue.path.map(String).join(".") || "leerling";
  const label = veld.charAt(0).toUpperCase() + veld.slice(1);
  const top = issue.path[0];
  return top !== undefined && raw[String(top)] === undefined ? `${label} ontbreekt` : `${label}: ${issue.message}`;
}
