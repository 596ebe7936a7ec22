/**
 * DEV/TEST ONLY. Thin wrappers around the openssl CLI for the test PKI: key + CSR, signing by the
 * test CA with explicit validity dates (`openssl ca`, so expired certificates can be made too), PFX.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const OPENSSL = "/usr/bin/openssl";

/** Runs openssl and returns its stdout; on failure the error carries openssl's stderr. */
export async function openssl(args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await exec(OPENSSL, args, { cwd, maxBuffer: 4 << 20, encoding: "utf8" });
    return stdout;
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`openssl ${args[0]} failed: ${err.stderr ?? err.message}`, { cause: e });
  }
}

/** X.509 extension sections used when signing; written to the CA config. */
const extensionSections = `
[ext_server]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
[ext_client]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
`;

/** Prepares the minimal `openssl ca` database (index, config) under `<dir>/ca-db`; returns the config path. */
export function ensureCaDatabase(dir: string): string {
  const db = join(dir, "ca-db");
  mkdirSync(join(db, "newcerts"), { recursive: true });
  if (!existsSync(join(db, "index.txt"))) writeFileSync(join(db, "index.txt"), "");
  const cnf = join(db, "ca.cnf");
  writeFileSync(
    cnf,
    `[ca]\ndefault_ca = testca\n[testca]\ndatabase = ${join(db, "index.txt")}\nnew_certs_dir = ${join(db, "newcerts")}\n` +
      `rand_serial = yes\ndefault_md = sha256\nunique_subject = no\npolicy = anything\nemail_in_dn = no\n` +
      `copy_extensions = none\n[anything]\ncommonName = supplied\nserialNumber = optional\n${extensionSections}`,
  );
  return cnf;
}

/** A self-signed CA (EC P-256). */
export async function makeCa(keyPath: string, certPath: string, days: number, cn: string): Promise<void> {
  await openssl([
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", keyPath, "-out", certPath, "-days", String(days), "-subj", `/CN=${cn}`,
    "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
}

/** A self-signed end-entity certificate (EC P-256) for client authentication, with the given subject. */
export async function makeSelfSignedClient(keyPath: string, certPath: string, days: number, subject: string): Promise<void> {
  await openssl([
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", keyPath, "-out", certPath, "-days", String(days), "-subj", subject,
    "-addext", "basicConstraints=critical,CA:false", "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
    "-addext", "extendedKeyUsage=clientAuth",
  ]);
}

/** `openssl ca` wants dates as YYYYMMDDHHMMSSZ. */
const caDate = (d: Date) => d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";

export interface SignRequest {
  dir: string;
  caCert: string;
  caKey: string;
  keyPath: string;
  certPath: string;
  subject: string;
  extensions: "ext_server" | "ext_client";
  notBefore: Date;
  notAfter: Date;
}

/** New EC P-256 key + CSR, signed by the test CA for exactly [notBefore, notAfter]. */
export async function issueCertificate(r: SignRequest): Promise<void> {
  const cnf = ensureCaDatabase(r.dir);
  const csr = `${r.certPath}.csr`;
  await openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", r.keyPath, "-out", csr, "-subj", r.subject]);
  await openssl([
    "ca", "-batch", "-config", cnf, "-cert", r.caCert, "-keyfile", r.caKey, "-in", csr, "-out", r.certPath,
    "-startdate", caDate(r.notBefore), "-enddate", caDate(r.notAfter), "-notext", "-preserveDN", "-extensions", r.extensions,
  ]);
  rmSync(csr, { force: true });
}

/** PKCS#12 (PFX) of key + cert + CA chain, with the given password ("" = none, as Key Vault stores them). */
export async function makePfx(keyPath: string, certPath: string, caCert: string, pfxPath: string, password = ""): Promise<void> {
  await openssl(["pkcs12", "-export", "-inkey", keyPath, "-in", certPath, "-certfile", caCert, "-passout", `pass:${password}`, "-out", pfxPath]);
}
