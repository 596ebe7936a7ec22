import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { RelayReleases } from "../../src/adapters/state/relay-releases.js";
import { signRelease, type SignedManifest } from "../../src/contracts/relay/release.js";

/**
 * Publishing a relay release (docs/relay.md "Update"): the one-file bundle packages/relay/dist/cli.js,
 * its version asked from the bundle itself (so the manifest cannot claim another), signed with the
 * release private key, stored in the releases container. Refuses a bundle that does not trust the key it
 * is signed with (its successors could then never be installed) and a version already published.
 */
export class PublishError extends Error {}

/** The version a bundle reports (`bronsync-relay versie`), by running it. */
function bundleVersion(bundlePath: string): string {
  const code = `const { runCli } = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
process.exitCode = await runCli(["versie"], { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: {}, platform: process.platform });`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  const v = r.stdout.trim();
  if (r.status !== 0 || !/^\d+\.\d+\.\d+$/.test(v)) throw new PublishError(`${bundlePath} geeft geen versie (${r.stderr.trim() || v || `code ${r.status}`}): is het een relay-bundel?`);
  return v;
}

export async function publishRelease(o: { bundlePath: string; privateKeyPem: string; releases: RelayReleases; now: Date }): Promise<SignedManifest> {
  const bundle = readFileSync(o.bundlePath);
  let publicPem: string;
  try {
    publicPem = createPublicKey(createPrivateKey(o.privateKeyPem)).export({ type: "spki", format: "pem" }).toString();
  } catch {
    throw new PublishError("De sleutel is geen geldige privésleutel (PEM).");
  }
  const body = publicPem.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
  if (!bundle.includes(body)) {
    throw new PublishError("De bundel vertrouwt een andere publieke sleutel dan die bij deze privésleutel hoort: relays met deze versie zouden geen volgende update meer accepteren. Bouw het pakket met de juiste sleutel (packages/relay/build.mjs --publieke-sleutel).");
  }
  const versie = bundleVersion(o.bundlePath);
  const manifest = signRelease(bundle, versie, o.now.toISOString(), o.privateKeyPem);
  await o.releases.publish(bundle, manifest);
  return manifest;
}
