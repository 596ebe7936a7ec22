import { createHash, createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { z } from "zod";

/**
 * A relay release (docs/relay.md "Update"): the relay bundle as one file (`cli.js`) and a manifest
 * {versie, sha256, grootte, gemaakt} signed with the project's Ed25519 release key. The signature covers
 * the version, the bundle's SHA-256 and its size (the bytes that are run, and which version they claim
 * to be, so an old signed bundle cannot be offered under a new number); `gemaakt` is information only.
 * Shared by the cloud (publishing, offering, serving) and the relay (verifying before it swaps).
 */

/** A relay version: plain MAJOR.MINOR.PATCH (no pre-release or build suffix). */
export const RelayVersie = z.string().regex(/^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/, "verwacht een versie als 1.2.3");
/** The largest bundle accepted (the package's target is < 30 MB; the bundle is a few MB). */
export const MAX_RELEASE_BYTES = 30 * 1024 * 1024;

export const ReleaseManifest = z
  .object({
    versie: RelayVersie,
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "verwacht 64 hexadecimale tekens"),
    grootte: z.number().int().positive().max(MAX_RELEASE_BYTES),
    gemaakt: z.string().datetime(),
  })
  .strict();
export type ReleaseManifest = z.infer<typeof ReleaseManifest>;

/** An Ed25519 signature: 64 bytes, base64. */
export const Handtekening = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, "verwacht een Ed25519-handtekening (base64)");
export const SignedManifest = ReleaseManifest.extend({ handtekening: Handtekening }).strict();
export type SignedManifest = z.infer<typeof SignedManifest>;

/** What the relay needs to verify a download (the heartbeat's offer carries this plus the url). */
export type SignedRelease = Pick<SignedManifest, "versie" | "sha256" | "grootte" | "handtekening">;

/** The signed bytes: a fixed prefix (domain separation) and the three fields, one per line. */
function manifestSigningBytes(m: Pick<ReleaseManifest, "versie" | "sha256" | "grootte">): Buffer {
  return Buffer.from(`BRONSYNC-RELAY-RELEASE-V1\n${m.versie}\n${m.sha256}\n${m.grootte}\n`, "utf8");
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The manifest for a bundle, signed with the private key (PEM, Ed25519). */
export function signRelease(bundle: Uint8Array, versie: string, gemaakt: string, privateKeyPem: string): SignedManifest {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== "ed25519") throw new Error("de release-sleutel is geen Ed25519-sleutel");
  const manifest = ReleaseManifest.parse({ versie, sha256: sha256Hex(bundle), grootte: bundle.length, gemaakt });
  return { ...manifest, handtekening: sign(null, manifestSigningBytes(manifest), key).toString("base64") };
}

/** Whether the release's signature is valid for this public key (PEM, Ed25519). A malformed key or signature is just "no". */
export function signatureValid(r: SignedRelease, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== "ed25519") return false;
    return verify(null, manifestSigningBytes(r), key, Buffer.from(r.handtekening, "base64"));
  } catch {
    return false;
  }
}

export type ReleaseCheck = { ok: true } | { ok: false; code: "GROOTTE" | "SHA256" | "HANDTEKENING"; reden: string };

/**
 * Checks downloaded bytes against a signed release, in Dutch: the size, then the SHA-256, then the
 * signature over version + hash + size with the relay's embedded public key.
 */
export function checkRelease(bytes: Uint8Array, r: SignedRelease, publicKeyPem: string): ReleaseCheck {
  if (bytes.length !== r.grootte) return { ok: false, code: "GROOTTE", reden: `het pakket is ${bytes.length} bytes, het manifest zegt ${r.grootte}` };
  if (sha256Hex(bytes) !== r.sha256) return { ok: false, code: "SHA256", reden: "de SHA-256 van het pakket klopt niet met het manifest" };
  if (!signatureValid(r, publicKeyPem)) return { ok: false, code: "HANDTEKENING", reden: "de handtekening is ongeldig (niet gemaakt met de release-sleutel van BRON Sync)" };
  return { ok: true };
}
