/**
 * Which relay versions the cloud accepts (issue 13, docs/relay.md "Bijwerken"). One constant for every
 * school — no setting per school: raise it together with a change the older relays cannot follow, after
 * the signed update that brings them there has been offered for a while. A relay below it is refused
 * on every contact (heartbeat, every queue answer, the version check before a run) with a Dutch reason.
 */
export const MINIMUM_RELAY_VERSIE = "0.1.0";

/** How often the cloud would like a heartbeat (seconds); the relay's RELAY_HEARTBEAT_SECONDS is its own setting. */
export const HARTSLAG_SECONDEN = 300;

/** A heartbeat this many intervals late makes a relay "stil" (silent) on the admin page. */
export const STIL_NA_INTERVALLEN = 3;

export function relayAccepted(relayVersie: string, minimum: string = MINIMUM_RELAY_VERSIE): boolean {
  return compareVersie(relayVersie, minimum) >= 0;
}

/** The Dutch reason a relay below the minimum version is refused (the run's reden, the admin page). */
export function relayTooOldReason(relayVersie: string | null, minimum: string = MINIMUM_RELAY_VERSIE): string {
  return relayVersie === null
    ? `De relay op school meldt geen versie; BRON Sync Cloud vraagt ten minste relay-versie ${minimum}. Werk de relay bij (docs/relay.md, "Bijwerken").`
    : `De relay op school is versie ${relayVersie}; BRON Sync Cloud vraagt ten minste versie ${minimum}. Werk de relay bij (docs/relay.md, "Bijwerken"): tot dan wordt er niets uitgewisseld.`;
}

/**
 * Whether a relay is silent: no heartbeat for STIL_NA_INTERVALLEN heartbeat intervals. `laatsteHartslag`
 * null (it never sent one — an older relay, or one without RELAY_CLOUD_URL) is not silent but unknown.
 */
export function isStil(laatsteHartslag: string | null, now: Date, intervalSeconden: number = HARTSLAG_SECONDEN): boolean | null {
  if (laatsteHartslag === null) return null;
  return now.getTime() - Date.parse(laatsteHartslag) > STIL_NA_INTERVALLEN * intervalSeconden * 1000;
}

/** What school IT should do when the relay is silent (docs/relay.md "Problemen oplossen"). */
export const STIL_ADVIES =
  "Controleer op de server van de school of de service BRON Sync Relay draait (Windows: services.msc; Linux: systemctl status bronsync-relay), " +
  "of de server uitgaand HTTPS (poort 443) naar Azure mag, en lees het logboek van de relay (Windows: Logboeken; Linux: journalctl -u bronsync-relay).";

/** Compares two relay versions (semver precedence, without build metadata): negative, 0, positive. */
export function compareVersie(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split(/-(.*)/s, 2) as [string, string | undefined];
    return { nums: core.split(".").map(Number), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  const xs = x.pre.split(".");
  const ys = y.pre.split(".");
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const p = xs[i];
    const q = ys[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}
