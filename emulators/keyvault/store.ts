/**
 * DEV/TEST ONLY. The Key Vault stand-in's contents: versioned certificates and secrets, kept in
 * memory and, with a data dir, in `<dataDir>/vault.json` (written atomically on every change) so
 * that a restart keeps them. A certificate import also writes the secret behind it (same name and
 * version, `managed: true`), as Key Vault does.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { CertificateContentType, ImportedMaterial, LeafFacts } from "./material.js";

export interface CertificateVersion extends LeafFacts {
  version: string;
  enabled: boolean;
  created: number;
  updated: number;
  contentType: CertificateContentType;
  tags?: Record<string, string>;
}

export interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  /** true for the secret behind a certificate */
  managed?: boolean;
  tags?: Record<string, string>;
}

const stateSchema = z.object({
  certificates: z.record(z.string(), z.array(z.custom<CertificateVersion>((v) => typeof v === "object" && v !== null))),
  secrets: z.record(z.string(), z.array(z.custom<SecretVersion>((v) => typeof v === "object" && v !== null))),
});
type State = z.infer<typeof stateSchema>;

const nowSeconds = () => Math.floor(Date.now() / 1000);
const newVersion = () => randomBytes(16).toString("hex");

export class VaultStore {
  private state: State = { certificates: {}, secrets: {} };
  private readonly file: string | undefined;

  constructor(dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.file = join(dataDir, "vault.json");
      if (existsSync(this.file)) this.state = stateSchema.parse(JSON.parse(readFileSync(this.file, "utf8")));
    }
  }

  /** The given version, or the latest when `version` is empty. */
  certificate(name: string, version = ""): CertificateVersion | undefined {
    return pick(this.state.certificates[key(name)], version);
  }

  secret(name: string, version = ""): SecretVersion | undefined {
    return pick(this.state.secrets[key(name)], version);
  }

  importCertificate(name: string, m: ImportedMaterial, opts: { enabled?: boolean; tags?: Record<string, string> } = {}): CertificateVersion {
    const t = nowSeconds();
    const version = newVersion();
    const enabled = opts.enabled ?? true;
    const cert: CertificateVersion = { ...m.leaf, version, enabled, created: t, updated: t, contentType: m.contentType, tags: opts.tags };
    const secret: SecretVersion = {
      version, value: m.secretValue, contentType: m.contentType, enabled, nbf: m.leaf.nbf, exp: m.leaf.exp, created: t, updated: t, managed: true,
    };
    (this.state.certificates[key(name)] ??= []).push(cert);
    (this.state.secrets[key(name)] ??= []).push(secret);
    this.save();
    return cert;
  }

  setSecret(name: string, s: { value: string; contentType?: string; enabled?: boolean; nbf?: number; exp?: number; tags?: Record<string, string> }): SecretVersion {
    const t = nowSeconds();
    const secret: SecretVersion = { ...s, version: newVersion(), enabled: s.enabled ?? true, created: t, updated: t };
    (this.state.secrets[key(name)] ??= []).push(secret);
    this.save();
    return secret;
  }

  /** Enables or disables one certificate version and the secret behind it. */
  setCertificateEnabled(name: string, version: string, enabled: boolean): CertificateVersion | undefined {
    const cert = this.certificate(name, version);
    if (!cert) return undefined;
    const secret = this.secret(name, cert.version);
    cert.enabled = enabled;
    cert.updated = nowSeconds();
    if (secret) secret.enabled = enabled;
    this.save();
    return cert;
  }

  /** Removes a certificate (all versions) and the secrets behind it; true if it existed. */
  deleteCertificate(name: string): boolean {
    const existed = key(name) in this.state.certificates;
    delete this.state.certificates[key(name)];
    delete this.state.secrets[key(name)];
    this.save();
    return existed;
  }

  deleteSecret(name: string): boolean {
    const existed = key(name) in this.state.secrets;
    delete this.state.secrets[key(name)];
    this.save();
    return existed;
  }

  private save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }
}

/** Key Vault names are case-insensitive. */
const key = (name: string) => name.toLowerCase();

function pick<T extends { version: string }>(versions: T[] | undefined, version: string): T | undefined {
  if (!versions || versions.length === 0) return undefined;
  return version === "" ? versions[versions.length - 1] : versions.find((v) => v.version === version);
}
