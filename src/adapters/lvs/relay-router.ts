import type { RelayStatusStore } from "../state/relay-status.js";
import type { School, SchoolStore } from "../state/schools.js";
import { ExternalRejection, RelayUnreachableError, ServiceError, TransientError } from "../../errors.js";
import type { RelayChannel } from "./http.js";
import { createRelayClient, type RelayClient } from "./relay-client.js";

/**
 * The relay of the school an aanleverpunt belongs to. Looks the school up in the registry, reaches its
 * relay over the school's own channel (its queue and key), and keeps the registry's view of the relay
 * up to date: every answer marks it reachable, every request it does not take up or answer in time
 * marks it unreachable and fails at once with a RelayUnreachableError carrying the Dutch reason. Other
 * schools' relays are other clients: nothing here is shared between schools but the lookups' cache.
 */

export interface RelayRouterDeps {
  schools: SchoolStore;
  status: RelayStatusStore;
  /** the channel to a school's relay (its queue, its key from Key Vault) */
  channelFor(school: School): Promise<RelayChannel>;
  now(): Date;
  /** how long a school lookup and a channel (with its key) are reused; default 60 s */
  cacheMs?: number;
}

/** Codes of the channel that mean "this relay does not take up or answer its requests". */
const UNREACHABLE = new Set(["RELAY_NOT_PICKED_UP", "RELAY_TIMEOUT"]);
/** Failures on the cloud's side of the channel: they say nothing about the relay. */
const OURS = new Set(["RELAY_QUEUE_MISSING", "TOO_LARGE"]);

const WHEN = new Intl.DateTimeFormat("nl-NL", { timeZone: "Europe/Amsterdam", dateStyle: "long", timeStyle: "short" });
/** A moment as the admin reads it: "29 november 2026 om 13:05" (Dutch time). */
export const dutchMoment = (iso: string) => WHEN.format(new Date(iso));

/** The Dutch reason a school's relay is unreachable. */
export function unreachableReason(schoolNaam: string, sinds: string, code: string): string {
  const why =
    code === "RELAY_TIMEOUT"
      ? "hij nam een verzoek aan maar antwoordde niet op tijd. Controleer of de LVS2000-database bereikbaar is en niet overbelast."
      : "hij haalt geen verzoeken op. Controleer of de relay op school draait en uitgaand verbinding kan maken met Azure (HTTPS, poort 443).";
  return `De relay van school ${schoolNaam} is niet bereikbaar sinds ${dutchMoment(sinds)}: ${why}`;
}

export function createRelayRouter(d: RelayRouterDeps): (aanleverpunt: string) => RelayClient {
  const cacheMs = d.cacheMs ?? 60_000;
  const schoolCache = new Map<string, { at: number; school: Promise<School> }>();
  const clientCache = new Map<string, { at: number; client: Promise<RelayClient> }>();

  const fresh = (at: number) => Date.now() - at < cacheMs;

  function schoolOf(ap: string): Promise<School> {
    const hit = schoolCache.get(ap);
    if (hit && fresh(hit.at)) return hit.school;
    const school = d.schools.byAanleverpunt(ap).then((s) => {
      if (!s) throw new ExternalRejection(`aanleverpunt ${ap} belongs to no school in the registry`, "SCHOOL_ONBEKEND");
      return s;
    });
    schoolCache.set(ap, { at: Date.now(), school });
    school.catch(() => schoolCache.delete(ap));
    return school;
  }

  function clientOf(school: School): Promise<RelayClient> {
    const hit = clientCache.get(school.id);
    if (hit && fresh(hit.at)) return hit.client;
    const client = d.channelFor(school).then((channel) => createRelayClient({ channel }));
    clientCache.set(school.id, { at: Date.now(), client });
    client.catch(() => clientCache.delete(school.id));
    return client;
  }

  async function observed<T>(school: School, call: () => Promise<T>): Promise<T> {
    try {
      const out = await call();
      await d.status.recordSuccess(school.id, d.now()).catch(() => undefined);
      return out;
    } catch (e) {
      if (e instanceof TransientError && e.code !== null && UNREACHABLE.has(e.code)) {
        const at = d.now();
        const s = await d.status.recordFailure(school.id, at, e.code).catch(() => ({ onbereikbaarSinds: at.toISOString() }));
        const sinds = s.onbereikbaarSinds ?? at.toISOString();
        throw new RelayUnreachableError(unreachableReason(school.naam, sinds, e.code), school.id, sinds, { cause: e });
      }
      // any answer at all (a refusal, a contract breach) means the relay is there
      const code = (e as { code?: unknown }).code;
      if (e instanceof ServiceError && !(e instanceof TransientError) && !(typeof code === "string" && OURS.has(code))) {
        await d.status.recordSuccess(school.id, d.now()).catch(() => undefined);
      }
      throw e;
    }
  }

  return (aanleverpunt) => {
    const on = async <T>(use: (c: RelayClient) => Promise<T>): Promise<T> => {
      const school = await schoolOf(aanleverpunt);
      const client = await clientOf(school);
      return observed(school, () => use(client));
    };
    return {
      health: () => on((c) => c.health()),
      requireCompatibleVersion: () => on((c) => c.requireCompatibleVersion()),
      aanleverpunten: () => on((c) => c.aanleverpunten()),
      snapshotPage: (ap, cursor, limit) => on((c) => c.snapshotPage(ap, cursor, limit)),
      snapshot: (ap, pageSize) => on((c) => c.snapshot(ap, pageSize)),
      streamSnapshot: async function* (ap, pageSize) {
        const school = await schoolOf(aanleverpunt);
        const client = await clientOf(school);
        const lines = client.streamSnapshot(ap, pageSize);
        for (;;) {
          const next = await observed(school, () => lines.next());
          if (next.done) return;
          yield next.value;
        }
      },
      snapshotViaStream: (ap, pageSize) => on((c) => c.snapshotViaStream(ap, pageSize)),
      write: (request) => on((c) => c.write(request)),
    };
  };
}
