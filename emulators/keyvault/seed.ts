/**
 * DEV/TEST ONLY. Seeding the Key Vault stand-in from a JSON file, and with test certificates for
 * aanleverpunten (named by the provider's convention, `bron-<aanleverpunt lower case>`). A seed
 * entry is applied only when the name does not exist yet, so restarts with a data dir are idempotent.
 *
 * Seed file: `{ "certificates": [{ "name", "pemFile" | "pfxFile", "password"? }],
 *               "secrets": [{ "name", "value" | "valueFile", "contentType"? }] }` (paths relative to the file).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { certificateName } from "../../src/contracts/keyvault/certificate-names.js";
import type { TestPki } from "../pki/test-pki.js";
import type { KeyVaultStandIn } from "./server.js";

export const seedFileSchema = z.object({
  certificates: z
    .array(z.object({ name: z.string(), pemFile: z.string().optional(), pfxFile: z.string().optional(), password: z.string().optional() }))
    .default([]),
  secrets: z
    .array(z.object({ name: z.string(), value: z.string().optional(), valueFile: z.string().optional(), contentType: z.string().optional() }))
    .default([]),
});

/** Applies a seed file; returns the names it added. */
export async function applySeedFile(kv: KeyVaultStandIn, file: string): Promise<string[]> {
  const seed = seedFileSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const at = (p: string) => resolve(dirname(file), p);
  const added: string[] = [];
  for (const c of seed.certificates) {
    if (kv.hasCertificate(c.name)) continue;
    if (c.pemFile) await kv.importCertificate(c.name, { pem: readFileSync(at(c.pemFile), "utf8") });
    else if (c.pfxFile) await kv.importCertificate(c.name, { pfx: readFileSync(at(c.pfxFile)), password: c.password });
    else throw new Error(`seed certificate ${c.name}: pemFile or pfxFile is required`);
    added.push(c.name);
  }
  for (const s of seed.secrets) {
    if (kv.hasSecret(s.name)) continue;
    const value = s.value ?? (s.valueFile ? readFileSync(at(s.valueFile), "utf8") : undefined);
    if (value === undefined) throw new Error(`seed secret ${s.name}: value or valueFile is required`);
    kv.setSecret(s.name, value, { contentType: s.contentType });
    added.push(s.name);
  }
  return added;
}

/** Imports each test client certificate (PFX, as Key Vault stores them) under `bron-<aanleverpunt>` if missing. */
export async function seedTestCertificates(kv: KeyVaultStandIn, pki: TestPki): Promise<string[]> {
  const added: string[] = [];
  for (const [aanleverpunt, client] of Object.entries(pki.clients)) {
    const name = certificateName(aanleverpunt);
    if (kv.hasCertificate(name)) continue;
    await kv.importCertificate(name, { pfx: client.pfx });
    added.push(name);
  }
  return added;
}
