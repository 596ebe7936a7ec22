/**
 * DEV/TEST ONLY. What the Key Vault stand-in does with imported certificates, as Key Vault does:
 * accept a PEM bundle (key + certificates) or a PFX (optionally password-protected), find the leaf
 * certificate that belongs to the key, store the secret password-less, and convert a PFX secret to
 * PEM on request (`outContentType=application/x-pem-file`). PFX handling uses the openssl CLI.
 */
import { X509Certificate, createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openssl } from "../pki/openssl.js";

export const PFX = "application/x-pkcs12";
export const PEM = "application/x-pem-file";
export type CertificateContentType = typeof PFX | typeof PEM;

/** The certificate facts Key Vault keeps beside the secret. */
export interface LeafFacts {
  cer: string;
  x5t: string;
  nbf: number;
  exp: number;
  subject: string;
  kty: "EC" | "RSA";
  keySize?: number;
  crv?: string;
}

export interface ImportedMaterial {
  leaf: LeafFacts;
  secretValue: string;
  contentType: CertificateContentType;
}

export class ImportError extends Error {}

const BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

/** Splits PEM text into its private key and certificates. */
export function splitPem(text: string): { key?: string; certs: string[] } {
  const certs: string[] = [];
  let key: string | undefined;
  for (const m of text.matchAll(BLOCK)) {
    if (m[1] === "CERTIFICATE") certs.push(`${m[0]}\n`);
    else if (m[1]!.endsWith("PRIVATE KEY")) key ??= `${m[0]}\n`;
  }
  return { key, certs };
}

/** Parses an import (PEM text or base64 PFX) into the leaf facts and a password-less secret. */
export async function importMaterial(value: string, contentType: CertificateContentType, password = ""): Promise<ImportedMaterial> {
  if (contentType === PEM) return { ...fromPem(value), contentType };
  const pem = await pfxToPem(value, password);
  const { leaf } = fromPem(pem);
  const secretValue = password === "" ? value : await pemToPfx(pem);
  return { leaf, secretValue, contentType };
}

function fromPem(text: string): { leaf: LeafFacts; secretValue: string } {
  const { key, certs } = splitPem(text);
  if (!key) throw new ImportError("The specified PEM X.509 certificate content does not contain a private key.");
  if (certs.length === 0) throw new ImportError("The specified PEM X.509 certificate content is missing a certificate.");
  const publicDer = createPublicKey(createPrivateKey(key)).export({ type: "spki", format: "der" });
  const index = certs.findIndex((c) => new X509Certificate(c).publicKey.export({ type: "spki", format: "der" }).equals(publicDer));
  if (index < 0) throw new ImportError("The private key does not match any certificate in the content.");
  const leafPem = certs[index]!;
  const ordered = [leafPem, ...certs.filter((_, i) => i !== index)];
  return { leaf: leafFacts(new X509Certificate(leafPem)), secretValue: key + ordered.join("") };
}

function leafFacts(x: X509Certificate): LeafFacts {
  const details = x.publicKey.asymmetricKeyDetails ?? {};
  const kty = x.publicKey.asymmetricKeyType === "rsa" ? "RSA" : "EC";
  return {
    cer: x.raw.toString("base64"),
    x5t: createHash("sha1").update(x.raw).digest("base64url"),
    nbf: Math.floor(Date.parse(x.validFrom) / 1000),
    exp: Math.floor(Date.parse(x.validTo) / 1000),
    subject: x.subject.split("\n").join(", "),
    kty,
    ...(kty === "RSA" ? { keySize: details.modulusLength } : { crv: curveName(details.namedCurve) }),
  };
}

const curveName = (c: string | undefined) => (c === "prime256v1" ? "P-256" : c === "secp384r1" ? "P-384" : c);

/** PFX (base64) → PEM with the key first, then the certificates (what Key Vault returns for outContentType PEM). */
export async function pfxToPem(pfxBase64: string, password = ""): Promise<string> {
  return withTmp(async (dir) => {
    const file = join(dir, "in.pfx");
    writeFileSync(file, Buffer.from(pfxBase64, "base64"));
    let out: string;
    try {
      out = await openssl(["pkcs12", "-in", file, "-passin", `pass:${password}`, "-nodes"]);
    } catch (e) {
      throw new ImportError(`The specified PKCS#12 content could not be read (wrong password?): ${(e as Error).message}`);
    }
    const { key, certs } = splitPem(out);
    return (key ?? "") + certs.join("");
  });
}

async function pemToPfx(pem: string): Promise<string> {
  return withTmp(async (dir) => {
    const { key, certs } = splitPem(pem);
    writeFileSync(join(dir, "key.pem"), key ?? "");
    writeFileSync(join(dir, "certs.pem"), certs.join(""));
    const out = join(dir, "out.pfx");
    await openssl(["pkcs12", "-export", "-inkey", join(dir, "key.pem"), "-in", join(dir, "certs.pem"), "-passout", "pass:", "-out", out]);
    return readFileSync(out).toString("base64");
  });
}

async function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "kv-standin-"));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
