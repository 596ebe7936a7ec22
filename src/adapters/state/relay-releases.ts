import type { ContainerClient } from "@azure/storage-blob";
import { RelayVersie, SignedManifest, signatureValid, type SignedManifest as SignedManifestT } from "../../contracts/relay/release.js";
import { compareVersies } from "../../core/relay-update.js";

/**
 * The relay releases (docs/relay.md "Update"): blob container `relay-releases` in the app's storage
 * account, per version `<versie>/cli.js` (the one-file bundle) and `<versie>/manifest.json` (its
 * Ed25519-signed manifest, src/contracts/relay/release.ts). `npm run relay:publish` writes them, the
 * heartbeat offers from them (src/core/relay-update.ts), `GET /api/relay/v1/releases/{versie}` serves
 * them. A manifest is re-validated with zod and its signature checked against the release public key
 * each time it is read; one that fails is listed as not signed and never offered or served.
 */

export const RELAY_RELEASES_CONTAINER = "relay-releases";
const bundleName = (versie: string) => `${versie}/cli.js`;
const manifestName = (versie: string) => `${versie}/manifest.json`;

export interface StoredRelease extends SignedManifestT {
  /** the signature verifies with the release public key */
  handtekeningGeldig: true;
}

export class ReleaseExistsError extends Error {
  constructor(readonly versie: string) {
    super(`Versie ${versie} is al gepubliceerd; een gepubliceerde versie wordt nooit vervangen. Geef de relay een nieuw versienummer.`);
    this.name = "ReleaseExistsError";
  }
}

export interface RelayReleases {
  /** stores a release: the bundle first, then its manifest (a release exists only once both are there); never overwrites one */
  publish(bundle: Buffer, manifest: SignedManifestT): Promise<void>;
  /** every release whose manifest is valid and correctly signed, oldest first */
  list(): Promise<StoredRelease[]>;
  latest(): Promise<StoredRelease | null>;
  /** a signed release and its bytes (checked against the manifest's size and hash), or null */
  get(versie: string): Promise<{ manifest: StoredRelease; bundle: Buffer } | null>;
}

export function createRelayReleases(o: { container: ContainerClient; publicKey: string; cacheMs?: number; now?: () => number }): RelayReleases {
  const { container, publicKey } = o;
  const now = o.now ?? Date.now;
  const cacheMs = o.cacheMs ?? 15_000;
  let cache: { at: number; list: StoredRelease[] } | null = null;
  let ensured = false;
  const ensure = async () => {
    if (!ensured) await container.createIfNotExists();
    ensured = true;
  };

  const readManifest = async (name: string): Promise<StoredRelease | null> => {
    try {
      const parsed = SignedManifest.safeParse(JSON.parse((await container.getBlockBlobClient(name).downloadToBuffer()).toString("utf8")));
      if (!parsed.success || name !== manifestName(parsed.data.versie) || !signatureValid(parsed.data, publicKey)) return null;
      return { ...parsed.data, handtekeningGeldig: true };
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404 || e instanceof SyntaxError) return null;
      throw e;
    }
  };

  const list = async (): Promise<StoredRelease[]> => {
    if (cache && now() - cache.at < cacheMs) return cache.list;
    await ensure();
    const found: StoredRelease[] = [];
    for await (const b of container.listBlobsFlat()) {
      if (!b.name.endsWith("/manifest.json")) continue;
      const m = await readManifest(b.name);
      if (m) found.push(m);
    }
    found.sort((a, b) => compareVersies(a.versie, b.versie));
    cache = { at: now(), list: found };
    return found;
  };

  return {
    async publish(bundle, manifest) {
      await ensure();
      const m = SignedManifest.parse(manifest);
      const existing = container.getBlockBlobClient(manifestName(m.versie));
      if (await existing.exists()) throw new ReleaseExistsError(m.versie);
      await container.getBlockBlobClient(bundleName(m.versie)).uploadData(bundle, { blobHTTPHeaders: { blobContentType: "text/javascript" } });
      try {
        await existing.uploadData(Buffer.from(`${JSON.stringify(m, null, 2)}\n`), { conditions: { ifNoneMatch: "*" }, blobHTTPHeaders: { blobContentType: "application/json" } });
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 409) throw new ReleaseExistsError(m.versie);
        throw e;
      }
      cache = null;
    },
    list,
    async latest() {
      return (await list()).at(-1) ?? null;
    },
    async get(versie) {
      if (!RelayVersie.safeParse(versie).success) return null;
      await ensure();
      const manifest = await readManifest(manifestName(versie));
      if (!manifest) return null;
      let bundle: Buffer;
      try {
        bundle = await container.getBlockBlobClient(bundleName(versie)).downloadToBuffer();
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return null;
        throw e;
      }
      return { manifest, bundle };
    },
  };
}
