import type { HttpRequest } from "@azure/functions";
import { accessDeps } from "../src/activities/access-runtime.js";
import { mayTouchAanleverpunt, scopeOfRequest, visible } from "./access.js";

// Questions a handler may ask beyond what functions/access.ts already authorised for its route (e.g.
// overviews across aanleverpunten). No registrations here (the Functions host loads this file and finds
// nothing to register). An endpoint itself is always registered with endpoint() from ./access.ts, which
// refuses and audits before the handler runs; these helpers only narrow further.

/** May the person who sent this request act for the school of this aanleverpunt? */
export async function mayActFor(req: HttpRequest, aanleverpunt: string): Promise<boolean> {
  const scope = await scopeOfRequest(req);
  return scope !== null && (await mayTouchAanleverpunt(scope, aanleverpunt));
}

/** The aanleverpunten, of those given, the person who sent this request may see. */
export async function visibleAanleverpunten(req: HttpRequest, all: readonly string[]): Promise<string[]> {
  const scope = await scopeOfRequest(req);
  return scope === null ? [] : visible(accessDeps(), scope, all, (ap) => ap);
}
