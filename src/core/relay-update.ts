/**
 * Which relay release the cloud offers a relay that reports its version (heartbeat, docs/relay.md
 * "Update"). Pure: the releases come in already read and their signatures checked by the adapter
 * (src/adapters/state/relay-releases.ts); this only decides.
 */

export interface Versioned {
  versie: string;
}

/** A parsed MAJOR.MINOR.PATCH, or null for anything else. */
export function parseVersie(v: string): [number, number, number] | null {
  const m = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Semver order of two plain versions (negative: a is older). Throws on a version that is not MAJOR.MINOR.PATCH. */
export function compareVersies(a: string, b: string): number {
  const pa = parseVersie(a);
  const pb = parseVersie(b);
  if (!pa || !pb) throw new Error(`geen versie MAJOR.MINOR.PATCH: ${pa ? b : a}`);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

export interface UpdatePolicy {
  /** offer no release above this version (a staged roll-out: publish, then raise it); absent: the newest */
  hoogsteVersie?: string;
  /** versions never to offer (a release found bad after publishing) */
  ingetrokken?: readonly string[];
  /** the version this relay just rolled back from: not offered again until a newer one exists */
  teruggedraaid?: string;
}

/**
 * The newest release the relay should move to, or null: only signed releases (`handtekeningGeldig`),
 * only versions above the relay's own (never a downgrade, never the same), within the policy. A relay
 * whose version is unreadable is offered nothing (it is refused elsewhere).
 */
export function updateOffer<R extends Versioned & { handtekeningGeldig: boolean }>(relayVersie: string, releases: readonly R[], policy: UpdatePolicy = {}): R | null {
  if (!parseVersie(relayVersie)) return null;
  let best: R | null = null;
  for (const r of releases) {
    if (!r.handtekeningGeldig || !parseVersie(r.versie)) continue;
    if (compareVersies(r.versie, relayVersie) <= 0) continue;
    if (policy.hoogsteVersie !== undefined && parseVersie(policy.hoogsteVersie) && compareVersies(r.versie, policy.hoogsteVersie) > 0) continue;
    if (policy.ingetrokken?.includes(r.versie)) continue;
    if (policy.teruggedraaid !== undefined && r.versie === policy.teruggedraaid) continue;
    if (!best || compareVersies(r.versie, best.versie) > 0) best = r;
  }
  return best;
}
