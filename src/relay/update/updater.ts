import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { checkRelease, Handtekening, MAX_RELEASE_BYTES, RelayVersie, type SignedManifest } from "../../contracts/relay/release.js";
import { UpdateAanbod } from "../../contracts/relay/contact.js";
import { PRODUCTION_RELEASE_PUBLIC_KEY } from "../../contracts/relay/release-key.js";
import { compareVersies } from "../../core/relay-update.js";
import type { Log } from "../log.js";
import { tellSupervisor, underSupervisor } from "./supervisor-ipc.js";
import { readUpdateResult, rolledBack, versionDir, writeAtomic, writeUpdateResult, type UpdateResultaatBestand } from "./state.js";

/**
 * The relay's side of an update offer (docs/relay.md "Update"): download the bundle, check its size,
 * SHA-256 and Ed25519 signature against the public key embedded in this build, store it under
 * `<data>/versies/<versie>/cli.js` and tell the supervisor it is ready. A refused download is logged
 * and recorded in Dutch for the next heartbeat; the running version simply keeps running.
 */

/** An offer as the heartbeat answer carries it (`UpdateAanbod`), held to the release's own stricter bounds (release.ts). */
export const Aanbod = UpdateAanbod.extend({
  versie: RelayVersie,
  grootte: z.number().int().positive().max(MAX_RELEASE_BYTES),
  handtekening: Handtekening,
});
export type Aanbod = z.infer<typeof Aanbod>;

export type OfferOutcome = "GENEGEERD" | "GEWEIGERD" | "KLAAR" | "MISLUKT";

export interface UpdaterDeps {
  dataDir: string;
  /** the running relay's version (RELAY_VERSION) */
  versie: string;
  /** downloads `url` (signed like the heartbeat); must refuse more than `maxBytes` */
  download: (url: string, maxBytes: number) => Promise<Buffer>;
  log: Log;
  now?: () => Date;
  /** the public key to check against; default the one embedded at build time */
  publicKey?: string;
  /** what to do with a verified, stored bundle; default: tell the supervisor */
  ready?: (versie: string, pad: string) => void;
  /** whether a swap is possible at all; default: running under the supervisor */
  canSwap?: () => boolean;
}

export interface Updater {
  handleOffer(offer: unknown): Promise<OfferOutcome>;
  /** the last update's outcome not yet reported to the cloud (heartbeat `laatsteUpdate`), or null */
  unreported(): Omit<UpdateResultaatBestand, "gemeld"> | null;
}

export function createUpdater(d: UpdaterDeps): Updater {
  const now = d.now ?? (() => new Date());
  const publicKey = d.publicKey ?? PRODUCTION_RELEASE_PUBLIC_KEY;
  const ready = d.ready ?? ((versie: string, pad: string) => tellSupervisor({ soort: "update-klaar", versie, pad }));
  const canSwap = d.canSwap ?? underSupervisor;
  let busy = false;
  let waiting: string | null = null;
  let saidNoSwap = false;

  const refuse = (versie: string, code: string, reden: string): OfferOutcome => {
    const melding = `Update naar versie ${versie} geweigerd: ${reden}. Versie ${d.versie} blijft draaien.`;
    writeUpdateResult(d.dataDir, { versie, resultaat: "GEWEIGERD", melding, op: now().toISOString() });
    d.log("update_geweigerd", { versie, code, melding });
    return "GEWEIGERD";
  };

  return {
    async handleOffer(raw) {
      const parsed = Aanbod.safeParse(raw);
      if (!parsed.success) {
        d.log("update_aanbod_ongeldig", { melding: "Het update-aanbod van BRON Sync Cloud is onleesbaar; het wordt genegeerd." });
        return "GENEGEERD";
      }
      const offer = parsed.data;
      if (compareVersies(offer.versie, d.versie) <= 0) return "GENEGEERD";
      if (!canSwap()) {
        if (!saidNoSwap) d.log("update_niet_mogelijk", { versie: offer.versie, melding: `Versie ${offer.versie} is beschikbaar, maar deze relay draait niet onder bronsync-relay start (de supervisor) en kan zichzelf niet bijwerken.` });
        saidNoSwap = true;
        return "GENEGEERD";
      }
      if (busy || waiting === offer.versie) return "GENEGEERD";
      // a version that was refused or rolled back here is not tried again (a newer one is)
      const last = readUpdateResult(d.dataDir);
      if ((last && last.versie === offer.versie && last.resultaat !== "GESLAAGD") || rolledBack(d.dataDir).includes(offer.versie)) return "GENEGEERD";
      busy = true;
      try {
        d.log("update_downloaden", { versie: offer.versie, grootte: offer.grootte });
        let bytes: Buffer;
        try {
          bytes = await d.download(offer.url, offer.grootte);
        } catch (e) {
          // a network failure is not a verdict on the release: the next heartbeat offers it again
          d.log("update_download_mislukt", { versie: offer.versie, melding: `Downloaden van versie ${offer.versie} mislukt (${e instanceof Error ? e.message : String(e)}); volgende hartslag opnieuw.` });
          return "MISLUKT";
        }
        const check = checkRelease(bytes, offer, publicKey);
        if (!check.ok) return refuse(offer.versie, check.code, check.reden);
        const dir = versionDir(d.dataDir, offer.versie);
        mkdirSync(dir, { recursive: true });
        const pad = join(dir, "cli.js");
        writeAtomic(pad, bytes);
        const manifest: Omit<SignedManifest, "gemaakt"> = { versie: offer.versie, sha256: offer.sha256, grootte: offer.grootte, handtekening: offer.handtekening };
        writeAtomic(join(dir, "manifest.json"), `${JSON.stringify(manifest)}\n`);
        d.log("update_klaar", { versie: offer.versie, melding: `Versie ${offer.versie} gedownload en gecontroleerd (handtekening geldig); de relay schakelt over.` });
        waiting = offer.versie;
        ready(offer.versie, pad);
        return "KLAAR";
      } finally {
        busy = false;
      }
    },
    unreported() {
      const r = readUpdateResult(d.dataDir);
      if (!r || r.gemeld) return null;
      const { gemeld: _, ...rest } = r;
      return rest;
    },
  };
}
