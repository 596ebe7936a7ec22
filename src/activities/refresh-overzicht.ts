import { daysBetween } from "../core/dates.js";
import type { ActivityInput, SyncDeps } from "./deps.js";

export interface RefreshResult {
  aangevraagd: boolean;
  /** age of the stored overzicht in days, null when none was ever fetched */
  leeftijdDagen: number | null;
}

/** Good practice (manual ch. 2): refresh monthly — a week before the 4-week limit, so determination never stalls. */
const REFRESH_MARGIN_DAYS = 7;

/**
 * Ophalen registratieoverzicht when the stored one is older than the limit minus a margin, or was
 * never fetched. The request is keyed by aanleverpunt and day, so a retried activity asks once; the
 * overzicht itself arrives as feedback and replaces the mirror.
 */
export function makeRefreshOverzicht(deps: SyncDeps) {
  return async (input: ActivityInput & { force?: boolean; peildatum?: string; aanvraag?: string }): Promise<RefreshResult> => {
    const mirror = await deps.state.loadMirror(input.aanleverpunt);
    const age = mirror.overzichtDatum === null ? null : daysBetween(mirror.overzichtDatum, input.today);
    const stale = age === null || age >= deps.maxOverzichtAgeDays - REFRESH_MARGIN_DAYS;
    // asked on demand (a peildatum chosen by a person): always, keyed by that request
    const onDemand = input.peildatum !== undefined;
    if (!stale && !input.force && !onDemand) return { aangevraagd: false, leeftijdDagen: age };
    const peildatum = input.peildatum ?? input.today;
    const key = onDemand ? `${input.aanleverpunt}:${input.today}:${input.aanvraag ?? ""}` : `${input.aanleverpunt}:${input.today}`;
    const bron = deps.bron(input.aanleverpunt);
    try {
      await bron.requestRegistratieoverzicht(peildatum, key);
    } finally {
      bron.close();
    }
    await deps.state.audit(input.aanleverpunt, deps.now(), { op: "OVERZICHT", door: "systeem", wat: "registratieoverzicht aangevraagd", details: { peildatum } });
    return { aangevraagd: true, leeftijdDagen: age };
  };
}
