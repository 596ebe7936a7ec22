import type { Ernst, Signal } from "./model.js";

/** BRON's omschrijving holds at most 100 characters; our own signal texts keep to the same limit. */
export const MAX_SIGNAL_TEXT = 100;

/** A signal with its text cut to 100 characters (with "…" when cut). Texts never hold a BSN or name. */
export function signal(code: string, ernst: Ernst, tekst: string, actionId: string | null, field: string | null): Signal {
  const t = tekst.length <= MAX_SIGNAL_TEXT ? tekst : `${tekst.slice(0, MAX_SIGNAL_TEXT - 1)}…`;
  return { code, ernst, tekst: t, actionId, field };
}
