/**
 * Function names live in orchestration history: rename one only when no run is in flight.
 */
export const SYNC_ORCHESTRATION = "syncAanleverpunt";
export const DECISIONS_EVENT = "beslissingen";
/** 'Verwerken en verzenden' pressed (verzendwijze NA_BEVESTIGING) */
export const SEND_EVENT = "verzenden";

export const ACTIVITY = {
  fetchFeedback: "ophalenTerugkoppeling",
  refreshOverzicht: "ophalenRegistratieoverzicht",
  determine: "actiesBepalen",
  check: "controleren",
  send: "verwerkenEnVerzenden",
  cleanup: "opruimen",
} as const;

export const SYNC_QUEUE = "sync-requests";

/** One orchestration per aanleverpunt at a time: its instance id is fixed. */
export function syncInstanceId(aanleverpunt: string): string {
  return `sync-${aanleverpunt}`;
}
