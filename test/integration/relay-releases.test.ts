import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync, mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { offerFor } from "../../src/activities/relay-releases-runtime.js";
import { createRelayReleases, ReleaseExistsError } from "../../src/adapters/state/relay-releases.js";
import { signRelease } from "../../src/contracts/relay/release.js";
import { memoryLog } from "../../src/relay/log.js";
import { createReleaseDownload } from "../../src/relay/update/download.js";
import { createUpdater } from "../../src/relay/update/updater.js";
import { publishRelease, PublishError } from "../../scripts/relay-publish/publish.js";

// Relay releases (docs/relay.md "Update"): the releases store in blob storage (Azurite, the real
// @azure/storage-blob SDK), the offer a heartbeat gets from it, publishing, and the relay's updater
// downloading over node http (signed as the cloud expects) and checking what it got.

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { priv: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), pub: publicKey.export({ type: "spki", format: "pem" }).toString() };
};
const project = pair();
const NOW = "2026-11-29T15:00:00.000Z";
const bytes = (n: number) => Buffer.from(`export async function runCli() { return 0; } // ${randomBytes(n).toString("hex")}\n`);

describe("the releases store", () => {
  const container = BlobServiceClient.fromConnectionString(inject("azuriteConnectionString")).getContainerClient(`relay-releases-${randomUUID().slice(0, 8)}`);
  const store = createRelayReleases({ container, publicKey: project.pub, cacheMs: 0 });

  it("publishes a release once, lists only correctly signed manifests, offers the newest above the relay's version", async () => {
    const a = bytes(10);
    await store.publish(a, signRelease(a, "0.2.0", NOW, project.priv));
    const b = bytes(20);
    await store.publish(b, signRelease(b, "0.10.0", NOW, project.priv));
    await expect(store.publish(b, signRelease(b, "0.10.0", NOW, project.priv))).rejects.toBeInstanceOf(ReleaseExistsError);
    // another key, a garbled manifest, a manifest under another version's name: never listed
    const forged = signRelease(b, "0.11.0", NOW, pair().priv);
    await container.getBlockBlobClient("0.11.0/cli.js").uploadData(b);
    await container.getBlockBlobClient("0.11.0/manifest.json").uploadData(Buffer.from(JSON.stringify(forged)));
    await container.getBlockBlobClient("0.12.0/manifest.json").uploadData(Buffer.from("{ kapot"));
    await container.getBlockBlobClient("0.13.0/manifest.json").uploadData(Buffer.from(JSON.stringify(signRelease(b, "0.10.0", NOW, project.priv))));

    expect((await store.list()).map((r) => r.versie)).toEqual(["0.2.0", "0.10.0"]);
    expect((await store.latest())?.versie).toBe("0.10.0");
    expect(await store.get("0.11.0")).toBeNull();
    expect(await store.get("../0.2.0")).toBeNull();
    expect((await store.get("0.2.0"))?.bundle.equals(a)).toBe(true);

    expect(await offerFor(store, "0.1.0")).toEqual({ versie: "0.10.0", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string, grootte: b.length, handtekening: expect.any(String) as string, url: "/api/relay/v1/releases/0.10.0" });
    expect((await offerFor(store, "0.9.0"))?.versie).toBe("0.10.0");
    expect(await offerFor(store, "0.10.0")).toBeNull();
    expect(await offerFor(store, "1.0.0")).toBeNull();
  });

  it("publishing refuses a bundle that does not trust the signing key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "relay-publish-"));
    try {
      const path = join(dir, "cli.js");
      writeFileSync(path, bytes(5));
      await expect(publishRelease({ bundlePath: path, privateKeyPem: project.priv, releases: store, now: new Date(NOW) })).rejects.toThrow(PublishError);
      await expect(publishRelease({ bundlePath: path, privateKeyPem: "geen sleutel", releases: store, now: new Date(NOW) })).rejects.toThrow("geen geldige privésleutel");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the relay's updater", () => {
  let server: Server;
  let base: string;
  const served = new Map<string, Buffer>();
  const seen: { path: string; school: string | undefined; signed: boolean }[] = [];
  let dir: string;
  const key = randomBytes(32);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "relay-updater-"));
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? "", school: req.headers["x-relay-school"] as string | undefined, signed: typeof req.headers["x-relay-signature"] === "string" });
      const body = served.get(req.url ?? "");
      if (!body) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ fout: "ONBEKENDE_VERSIE", melding: "Relay-versie bestaat niet." }));
        return;
      }
      res.writeHead(200).end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const updater = (data: string, o: { publicKey?: string; canSwap?: boolean } = {}) => {
    const { log, lines } = memoryLog();
    const ready: [string, string][] = [];
    const u = createUpdater({
      dataDir: data,
      versie: "0.1.0",
      download: createReleaseDownload({ cloudUrl: base, school: "school-a", key: () => key }),
      log,
      publicKey: o.publicKey ?? project.pub,
      ready: (v, p) => ready.push([v, p]),
      canSwap: () => o.canSwap ?? true,
      now: () => new Date(NOW),
    });
    return { u, lines, ready };
  };
  const offer = (versie: string, body: Buffer, priv = project.priv) => {
    const m = signRelease(body, versie, NOW, priv);
    served.set(`/api/relay/v1/releases/${versie}`, body);
    return { versie, sha256: m.sha256, grootte: m.grootte, handtekening: m.handtekening, url: `/api/relay/v1/releases/${versie}` };
  };
  const freshData = () => {
    const d = join(dir, randomUUID());
    mkdirSync(d);
    return d;
  };

  it("downloads a signed release (signed request, its school), stores it and says it is ready", async () => {
    const data = freshData();
    const { u, ready } = updater(data);
    const body = bytes(1000);
    expect(await u.handleOffer(offer("0.2.0", body))).toBe("KLAAR");
    expect(seen.at(-1)).toEqual({ path: "/api/relay/v1/releases/0.2.0", school: "school-a", signed: true });
    const pad = join(data, "versies", "0.2.0", "cli.js");
    expect(ready).toEqual([["0.2.0", pad]]);
    expect(readFileSync(pad).equals(body)).toBe(true);
    expect(u.unreported()).toBeNull();
    expect(await u.handleOffer(offer("0.2.0", body))).toBe("GENEGEERD"); // already waiting for the swap
  });

  it("refuses a release signed with another key and records why, in Dutch; the same version is not tried again", async () => {
    const data = freshData();
    const { u, lines, ready } = updater(data);
    const o = offer("0.2.0", bytes(100), pair().priv);
    expect(await u.handleOffer(o)).toBe("GEWEIGERD");
    expect(ready).toEqual([]);
    expect(existsSync(join(data, "versies", "0.2.0"))).toBe(false);
    const melding = "Update naar versie 0.2.0 geweigerd: de handtekening is ongeldig (niet gemaakt met de release-sleutel van BRON Sync). Versie 0.1.0 blijft draaien.";
    expect(lines.some((l) => l.includes('"event":"update_geweigerd"') && l.includes(melding))).toBe(true);
    expect(u.unreported()).toEqual({ versie: "0.2.0", resultaat: "GEWEIGERD", melding, op: NOW });
    const before = seen.length;
    expect(await u.handleOffer(o)).toBe("GENEGEERD");
    expect(seen.length).toBe(before);
  });

  it("refuses an answer larger than announced without reading all of it", async () => {
    const data = freshData();
    const { u } = updater(data);
    const o = offer("0.2.0", bytes(50));
    served.set(o.url, Buffer.concat([served.get(o.url)!, randomBytes(4 * 1024 * 1024)]));
    expect(await u.handleOffer(o)).toBe("GEWEIGERD");
    expect(u.unreported()?.melding).toContain("het manifest zegt");
  });

  it("ignores a downgrade, the same version, a garbled offer, and anything when it cannot swap; a failed download is no verdict", async () => {
    const data = freshData();
    const { u, lines } = updater(data);
    const before = seen.length;
    expect(await u.handleOffer(offer("0.0.9", bytes(10)))).toBe("GENEGEERD");
    expect(await u.handleOffer(offer("0.1.0", bytes(10)))).toBe("GENEGEERD");
    expect(await u.handleOffer({ versie: "0.2.0", url: "x" })).toBe("GENEGEERD");
    expect(seen.length).toBe(before);
    const gone = { ...offer("0.3.0", bytes(10)), url: "/api/relay/v1/releases/0.3.1" };
    expect(await u.handleOffer(gone)).toBe("MISLUKT");
    expect(u.unreported()).toBeNull();
    expect(lines.some((l) => l.includes("update_download_mislukt") && l.includes("antwoordde 404: Relay-versie bestaat niet."))).toBe(true);
    expect(await u.handleOffer({ ...gone, url: "https://elders.example/cli.js" })).toBe("MISLUKT");

    const alone = updater(freshData(), { canSwap: false });
    expect(await alone.u.handleOffer(offer("0.2.0", bytes(10)))).toBe("GENEGEERD");
    expect(alone.lines.some((l) => l.includes("update_niet_mogelijk"))).toBe(true);
  });
});
