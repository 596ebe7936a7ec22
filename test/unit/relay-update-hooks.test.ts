import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { HartslagAntwoord } from "../../src/contracts/relay/contact.js";
import { signRelease } from "../../src/contracts/relay/release.js";
import { memoryLog } from "../../src/relay/log.js";
import { heartbeatHooks } from "../../src/relay/update/index.js";
import { writeUpdateResult } from "../../src/relay/update/state.js";

// How the heartbeat and the update parts meet (src/relay/update/index.ts): an offer is taken also when
// the cloud refuses this version as too old (that is how such a relay gets back in), a result is
// reported once, and health counts only an accepted heartbeat.

const dir = mkdtempSync(join(tmpdir(), "relay-hooks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const answer = (a: Partial<HartslagAntwoord>): HartslagAntwoord => ({ geaccepteerd: true, melding: null, minimumVersie: "0.1.0", update: null, nieuweSleutel: null, volgendeSeconden: 300, ...a });

describe("the heartbeat's update hooks", () => {
  it("take an offer when this version is refused, report a result once, count only an accepted heartbeat as healthy", async () => {
    const data = mkdtempSync(join(dir, "d-"));
    const healthy: string[] = [];
    const downloads: string[] = [];
    const { log } = memoryLog();
    const hooks = heartbeatHooks(
      { health: { databaseReached: () => healthy.push("db"), heartbeatAccepted: () => healthy.push("hartslag") }, dataDir: data, enabled: true },
      { cloudUrl: "http://127.0.0.1:1", school: "school-a", key: () => Buffer.alloc(32), relayVersion: "0.1.0", log, download: async (url) => (downloads.push(url), Buffer.from("x")), canSwap: () => true },
    );
    writeUpdateResult(data, { versie: "0.0.9", resultaat: "TERUGGEZET", melding: "Update naar versie 0.0.9 teruggedraaid: test.", op: "2026-11-29T15:00:00.000Z" });
    expect(hooks.laatsteUpdate()).toMatchObject({ versie: "0.0.9", resultaat: "TERUGGEZET" });
    const { privateKey } = generateKeyPairSync("ed25519");
    const m = signRelease(Buffer.from("x"), "0.2.0", "2026-11-29T15:00:00.000Z", privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    hooks.onAnswer(answer({ geaccepteerd: false, melding: "te oud", minimumVersie: "0.2.0", update: { versie: "0.2.0", sha256: m.sha256, grootte: m.grootte, handtekening: m.handtekening, url: "/api/relay/v1/releases/0.2.0" } }));
    // the refused heartbeat was still recorded by the cloud: the result it carried is not sent again
    expect(JSON.parse(readFileSync(join(data, "update-resultaat.json"), "utf8"))).toMatchObject({ versie: "0.0.9", gemeld: true });
    await expect.poll(() => downloads).toEqual(["/api/relay/v1/releases/0.2.0"]);
    // (signed with a key this build does not trust: refused, and that is the next result to report)
    await expect.poll(() => hooks.laatsteUpdate()).toMatchObject({ versie: "0.2.0", resultaat: "GEWEIGERD" });
    expect(healthy).toEqual([]);
    hooks.onAnswer(answer({}));
    expect(healthy).toEqual(["hartslag"]);
  });

  it("an update that cannot be stored is logged in Dutch and does not stop the relay", async () => {
    const { log, lines } = memoryLog();
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const m = signRelease(Buffer.from("x"), "0.2.0", "2026-11-29T15:00:00.000Z", privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    const hooks = heartbeatHooks(
      { health: { databaseReached: () => undefined, heartbeatAccepted: () => undefined }, dataDir: "/dev/null/relay", enabled: true },
      { cloudUrl: "http://127.0.0.1:1", school: "school-a", key: () => Buffer.alloc(32), relayVersion: "0.1.0", log, download: async () => Buffer.from("x"), canSwap: () => true, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() },
    );
    hooks.onAnswer(answer({ update: { versie: "0.2.0", sha256: m.sha256, grootte: m.grootte, handtekening: m.handtekening, url: "/x" } }));
    await expect.poll(() => lines.find((l) => l.includes('"event":"update_mislukt"'))).toContain("kon niet worden opgeslagen in /dev/null/relay; de huidige versie blijft draaien.");
  });
});
