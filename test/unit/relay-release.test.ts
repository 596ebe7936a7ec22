import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkRelease, SignedManifest, signatureValid, signRelease } from "../../src/contracts/relay/release.js";
import { PRODUCTION_RELEASE_PUBLIC_KEY } from "../../src/contracts/relay/release-key.js";
import { compareVersies, updateOffer } from "../../src/core/relay-update.js";

// Relay updates (docs/relay.md "Update"): the signed manifest of a release, checked as the relay checks a
// download, and which release the cloud offers a relay that reports its version.

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { priv: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), pub: publicKey.export({ type: "spki", format: "pem" }).toString() };
};
const project = pair();
const bundle = Buffer.from("export async function runCli() { return 0; }\n".repeat(100));
const NOW = "2026-11-29T15:00:00.000Z";

describe("a signed release", () => {
  const m = signRelease(bundle, "0.2.0", NOW, project.priv);

  it("carries version, hash, size, time and a signature the zod schema accepts", () => {
    expect(SignedManifest.parse(m)).toEqual(m);
    expect(m).toMatchObject({ versie: "0.2.0", grootte: bundle.length, gemaakt: NOW });
    expect(checkRelease(bundle, m, project.pub)).toEqual({ ok: true });
  });

  it("refuses tampered bytes, even of the same size", () => {
    const tampered = Buffer.from(bundle);
    tampered[10] = tampered[10]! ^ 1;
    expect(checkRelease(tampered, m, project.pub)).toMatchObject({ ok: false, code: "SHA256" });
    expect(checkRelease(bundle.subarray(1), m, project.pub)).toMatchObject({ ok: false, code: "GROOTTE" });
  });

  it("refuses a manifest signed with another key, and a manifest changed after signing", () => {
    const other = pair();
    const forged = signRelease(bundle, "0.2.0", NOW, other.priv);
    expect(checkRelease(bundle, forged, project.pub)).toEqual({ ok: false, code: "HANDTEKENING", reden: expect.stringContaining("handtekening is ongeldig") as string });
    expect(signatureValid({ ...m, versie: "0.3.0" }, project.pub)).toBe(false);
    expect(signatureValid({ ...m, grootte: m.grootte + 1 }, project.pub)).toBe(false);
    expect(signatureValid(m, "geen sleutel")).toBe(false);
  });

  it("cannot be made with a key that is not Ed25519", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => signRelease(bundle, "0.2.0", NOW, rsa)).toThrow("geen Ed25519-sleutel");
  });

  it("the committed public key file is the one the code embeds", () => {
    expect(readFileSync(join(import.meta.dirname, "../../packages/relay/release-key.pub"), "utf8")).toBe(PRODUCTION_RELEASE_PUBLIC_KEY);
  });
});

describe("the update offer", () => {
  const r = (versie: string, handtekeningGeldig = true) => ({ versie, handtekeningGeldig });

  it("orders versions numerically", () => {
    expect(compareVersies("0.10.0", "0.9.9")).toBeGreaterThan(0);
    expect(compareVersies("1.0.0", "1.0.0")).toBe(0);
    expect(() => compareVersies("1.0", "1.0.0")).toThrow();
  });

  it("offers the newest signed release above the relay's version", () => {
    expect(updateOffer("0.1.0", [r("0.1.1"), r("0.3.0"), r("0.2.0")])?.versie).toBe("0.3.0");
  });

  it("never offers a downgrade or the same version", () => {
    expect(updateOffer("0.3.0", [r("0.1.1"), r("0.3.0"), r("0.2.9")])).toBeNull();
  });

  it("offers only signed releases", () => {
    expect(updateOffer("0.1.0", [r("0.2.0"), r("0.4.0", false)])?.versie).toBe("0.2.0");
  });

  it("keeps to the policy: a ceiling, withdrawn versions, not again the version this relay rolled back from", () => {
    const all = [r("0.2.0"), r("0.3.0"), r("0.4.0")];
    expect(updateOffer("0.1.0", all, { hoogsteVersie: "0.3.0" })?.versie).toBe("0.3.0");
    expect(updateOffer("0.1.0", all, { ingetrokken: ["0.4.0"] })?.versie).toBe("0.3.0");
    expect(updateOffer("0.1.0", all, { teruggedraaid: "0.4.0" })?.versie).toBe("0.3.0");
  });

  it("offers nothing to a relay whose version is unreadable, and skips unreadable releases", () => {
    expect(updateOffer("onzin", [r("0.2.0")])).toBeNull();
    expect(updateOffer("0.1.0", [r("9.9"), r("0.2.0")])?.versie).toBe("0.2.0");
  });
});
