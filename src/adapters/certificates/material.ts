/**
 * Turning what Key Vault returns into TLS material for the BRON client. The provider asks Key Vault
 * for the secret as PEM (`outContentType`, Key Vault converts a PFX itself); a vault that still
 * returns PKCS#12 is handled by handing `{ pfx, passphrase }` to TLS, since Node has no PFX→PEM API.
 * Either way the material must contain the private key of exactly the certificate Key Vault lists.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { TLSSocket, createSecureContext } from "node:tls";

/** What the certificate itself says (from Key Vault's `cer`, the DER of the leaf). */
export interface CertificateFacts {
  leaf: X509Certificate;
  notBefore: Date;
  notAfter: Date;
  /** SHA-1 thumbprint, upper-case hex without colons (as Windows and Key Vault's x5t show it). */
  thumbprint: string;
  /** Subject serialNumber: the OIN in PKI-onderwijs / PKIoverheid certificates, if present. */
  oin: string | null;
}

/** Options to spread into `https.Agent` / `tls.connect`. */
export type TlsMaterial = { cert: string; key: string } | { pfx: Buffer; passphrase: string };

export interface ClientMaterial {
  /** PEM: leaf first, then any chain certificates */
  cert: string;
  /** PEM private key; undefined only when the vault handed out PKCS#12 (then use `tls`) */
  key: string | undefined;
  tls: TlsMaterial;
}

export function factsFromDer(cer: Uint8Array): CertificateFacts {
  const leaf = new X509Certificate(Buffer.from(cer));
  const oin = /(?:^|\n)serialNumber=([^\n]+)/.exec(leaf.subject)?.[1] ?? null;
  return {
    leaf,
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
    thumbprint: leaf.fingerprint.replaceAll(":", "").toUpperCase(),
    oin,
  };
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * The client material in a certificate's secret, or undefined when it is unusable (no key, a key
 * that belongs to another certificate, a PFX that does not load or holds another certificate).
 */
export function materialFromSecret(value: string, leaf: X509Certificate): ClientMaterial | undefined {
  return value.includes("-----BEGIN") ? fromPem(value, leaf) : fromPfx(value, leaf);
}

function fromPem(text: string, leaf: X509Certificate): ClientMaterial | undefined {
  const certs: string[] = [];
  let key: string | undefined;
  for (const m of text.matchAll(BLOCK)) {
    if (m[1] === "CERTIFICATE") certs.push(`${m[0]}\n`);
    else if (m[1]!.endsWith("PRIVATE KEY")) key ??= `${m[0]}\n`;
  }
  const leafIndex = certs.findIndex((c) => new X509Certificate(c).raw.equals(leaf.raw));
  if (!key || leafIndex < 0 || !keyMatches(key, leaf)) return undefined;
  const cert = [certs[leafIndex]!, ...certs.filter((_, i) => i !== leafIndex)].join("");
  return { cert, key, tls: { cert, key } };
}

function keyMatches(keyPem: string, leaf: X509Certificate): boolean {
  try {
    const spki = (k: ReturnType<typeof createPublicKey>) => k.export({ type: "spki", format: "der" });
    return spki(createPublicKey(createPrivateKey(keyPem))).equals(spki(leaf.publicKey));
  } catch {
    return false;
  }
}

function fromPfx(base64: string, leaf: X509Certificate): ClientMaterial | undefined {
  const pfx = Buffer.from(base64, "base64");
  try {
    // createSecureContext fails when the key does not belong to the certificate; the socket shows which certificate it holds.
    const socket = new TLSSocket(null as never, { secureContext: createSecureContext({ pfx, passphrase: "" }) });
    const own = socket.getCertificate();
    socket.destroy();
    if (!own || !("raw" in own) || !own.raw.equals(leaf.raw)) return undefined;
  } catch {
    return undefined;
  }
  return { cert: leaf.toString(), key: undefined, tls: { pfx, passphrase: "" } };
}
