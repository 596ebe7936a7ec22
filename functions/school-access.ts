import type { HttpRequest } from "@azure/functions";

// Who may see what in the beheerpagina: the one place the admin API asks. No registrations here (the
// Functions host loads this file and finds nothing to register).
//
// Until the authorisation of issue 10 lands, every signed-in administrator (App Service Authentication
// lets only those through in Azure; locally: everyone) may act for every school. That work replaces
// the bodies below; the callers stay as they are.

/**
 * May this person act for the school of this aanleverpunt? Only such a person sees personal data in
 * full (a decision's details, a pupil's detail view); every such opening is audited as inzage.
 */
export async function mayActFor(_req: HttpRequest, _aanleverpunt: string): Promise<boolean> {
  return true;
}

/** The aanleverpunten this person may see (overviews across aanleverpunten: deadlines, audit trail). */
export async function visibleAanleverpunten(_req: HttpRequest, all: readonly string[]): Promise<string[]> {
  return [...all];
}
