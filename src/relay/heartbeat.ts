import { hostname } from "node:os";
import { contactRoutes, ContactFout, type Hartslag, HartslagAntwoord, type UpdateResultaat } from "../contracts/relay/contact.js";
import { callCloud, cloudBase, CloudError } from "./cloud-client.js";
import type { Log } from "./log.js";

/**
 * The relay's heartbeat (docs/relay.md "Gezondheid"): at start and every RELAY_HEARTBEAT_SECONDS it
 * tells BRON Sync Cloud its version, API version, the LVS2000 version and whether the database answers,
 * signed with the school's relay key (`POST /api/relay/v1/hartslag`). The answer says whether the cloud
 * accepts this version, may offer an update (handed to `onAnswer`, helper UPDATE), and during a key
 * rotation carries the new key: `rotateKey` stores it (the configuration file) and from then on the
 * relay signs with it; the next heartbeat, sent at once, makes it current in the cloud.
 * A heartbeat that fails is logged and tried again at the next interval; it never stops the relay.
 */

export interface HeartbeatOptions {
  cloudUrl: string;
  school: string;
  ca?: string;
  intervalMs: number;
  relayVersion: string;
  apiVersion: string;
  /** the key to sign with now */
  key(): Buffer;
  /** the database's state now */
  database(): Promise<{ lvs2000Versie: string | null; ok: boolean; melding: string | null }>;
  /** stores and starts using a new key (base64); false when it could not be stored (then the old one stays) */
  rotateKey(key: string): Promise<boolean>;
  /** helper UPDATE: the result of the last update to report (once), and what to do with the answer */
  laatsteUpdate?: () => UpdateResultaat | null;
  onAnswer?: (a: HartslagAntwoord) => void;
  log: Log;
}

export interface RunningHeartbeat {
  /** one heartbeat now; the answer, or null when there was none */
  beat(): Promise<HartslagAntwoord | null>;
  stop(): Promise<void>;
}

export function startHeartbeat(o: HeartbeatOptions): RunningHeartbeat {
  const base = cloudBase(o.cloudUrl);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<HartslagAntwoord | null> | undefined;
  let lastRefusal: string | null = null;

  async function once(): Promise<HartslagAntwoord | null> {
    const db = await o.database().catch(() => ({ lvs2000Versie: null, ok: false, melding: "De LVS2000-database antwoordt niet." }));
    const body: Hartslag = {
      relayVersie: o.relayVersion,
      apiVersie: o.apiVersion,
      lvs2000Versie: db.lvs2000Versie,
      database: { ok: db.ok, melding: db.melding },
      laatsteUpdate: o.laatsteUpdate?.() ?? null,
      hostnaam: hostname().slice(0, 255),
    };
    let reply;
    try {
      reply = await callCloud(base, contactRoutes.hartslag, "POST", body, { ...(o.ca ? { ca: o.ca } : {}), sign: { key: o.key(), school: o.school } });
    } catch (e) {
      o.log("heartbeat_failed", { soort: e instanceof CloudError ? e.soort : "FOUT", code: e instanceof CloudError ? e.code : (e as Error).name, melding: e instanceof CloudError ? e.melding : null });
      return null;
    }
    if (reply.status !== 200) {
      const fout = ContactFout.safeParse(reply.json);
      o.log("heartbeat_refused", { status: reply.status, fout: fout.success ? fout.data.fout : null, melding: fout.success ? fout.data.melding : null });
      return null;
    }
    const answer = HartslagAntwoord.safeParse(reply.json);
    if (!answer.success) {
      o.log("heartbeat_refused", { status: reply.status, fout: "CONTRACT", melding: "Het antwoord op de hartslag is niet van BRON Sync Cloud." });
      return null;
    }
    const a = answer.data;
    if (!a.geaccepteerd && a.melding !== lastRefusal) o.log("relay_version_refused", { relayVersie: o.relayVersion, minimumVersie: a.minimumVersie, melding: a.melding });
    lastRefusal = a.geaccepteerd ? null : a.melding;
    o.log("heartbeat", { geaccepteerd: a.geaccepteerd, update: a.update?.versie ?? null, nieuweSleutel: a.nieuweSleutel !== null });
    o.onAnswer?.(a);
    if (a.nieuweSleutel !== null && !Buffer.from(a.nieuweSleutel, "base64").equals(o.key()) && (await o.rotateKey(a.nieuweSleutel))) {
      o.log("relay_key_rotated", {});
      return (await once()) ?? a; // at once with the new key: that makes it current in the cloud
    }
    return a;
  }

  const beat = () => (running ??= once().finally(() => (running = undefined)));
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void beat().finally(schedule), o.intervalMs);
    timer.unref();
  };
  void beat().finally(schedule);

  return {
    beat,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
