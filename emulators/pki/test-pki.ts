/**
 * DEV/TEST ONLY — never imported from src/ or functions/. A throw-away PKI made with the openssl
 * CLI: a CA, a server certificate for localhost/127.0.0.1, and one client certificate per
 * aanleverpunt (Subject CN = aanleverpunt, Subject serialNumber = the school's OIN, as in
 * PKI-onderwijs/PKIoverheid certificates). Idempotent: files already in `dir` are reused while valid.
 * Nothing here may be committed: use a tmp dir in tests and `.local/` (git-ignored) in the local stack.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { schoolOin } from "../../src/core/validation.js";
import { withDirLock } from "./lock.js";
import { issueCertificate, makeCa, makePfx, makeSelfSignedClient } from "./openssl.js";

export interface PemPair {
  cert: string;
  key: string;
}
export interface TestClientCertificate extends PemPair {
  /** PKCS#12 of key + cert + CA, no password (as Key Vault stores certificates). */
  pfx: Buffer;
  oin: string;
  /** ISO timestamp */
  notAfter: string;
  paths: { cert: string; key: string; pfx: string };
}
export interface TestPki {
  dir: string;
  ca: PemPair & { path: string };
  server: PemPair & { certPath: string; keyPath: string };
  clients: Record<string, TestClientCertificate>;
}

const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
const SERVER_DAYS = 825;
const CA_CN = "BRON Sync Cloud TEST CA - dev and test only";

/** BRIN = the first 4 characters of an aanleverpunt. */
export const brinOf = (aanleverpunt: string) => aanleverpunt.slice(0, 4);

/**
 * Creates (or reuses) the test PKI in `dir`. `validDays` (default 365) is the client certificates'
 * validity; an existing client certificate is reused only if it was made with the same validity,
 * is signed by the CA in `dir`, and has more than a day left.
 */
export async function createTestPki(dirArg: string, aanleverpunten: string[], opts: { validDays?: number } = {}): Promise<TestPki> {
  const dir = resolve(dirArg);
  const validDays = opts.validDays ?? 365;
  mkdirSync(join(dir, "clients"), { recursive: true });
  return withDirLock(dir, async () => {
    const ca = await ensureCa(dir);
    const server = await ensureServer(dir, ca);
    const clients: Record<string, TestClientCertificate> = {};
    for (const ap of aanleverpunten) clients[ap] = await ensureClient(dir, ca, ap, validDays);
    return { dir, ca, server, clients };
  });
}

/**
 * Issues a fresh client certificate for `aanleverpunt` with exactly the given validity, under
 * `<dir>/extra/<name>.*` (never reused). For tests: expired, not yet valid, or nearly expired.
 * Needs the CA made by createTestPki(dir, …).
 */
export async function issueTestClientCertificate(
  dir: string,
  aanleverpunt: string,
  validity: { notBefore: Date; notAfter: Date; name?: string },
): Promise<TestClientCertificate> {
  mkdirSync(join(dir, "extra"), { recursive: true });
  return withDirLock(dir, async () => {
    const ca = await ensureCa(dir);
    const stem = join(dir, "extra", validity.name ?? `${aanleverpunt}-${validity.notAfter.getTime()}`);
    return issueClient(dir, ca, aanleverpunt, stem, validity.notBefore, validity.notAfter);
  });
}

/** A client certificate for `aanleverpunt` that expired `daysAgo` days ago (default 1). */
export function createExpiredClientCertificate(dir: string, aanleverpunt: string, daysAgo = 1): Promise<TestClientCertificate> {
  const notAfter = new Date(Date.now() - daysAgo * DAY_MS);
  const notBefore = new Date(notAfter.getTime() - 365 * DAY_MS);
  return issueTestClientCertificate(dir, aanleverpunt, { notBefore, notAfter, name: `${aanleverpunt}-expired-${daysAgo}d` });
}

/**
 * A self-made client certificate for `aanleverpunt`: the same subject as the real one (CN, OIN) but
 * self-signed, so no CA vouches for it. Under `<dir>/extra/<aanleverpunt>-self-signed.*`, made anew.
 */
export async function createSelfSignedClientCertificate(dir: string, aanleverpunt: string): Promise<TestClientCertificate> {
  mkdirSync(join(dir, "extra"), { recursive: true });
  return withDirLock(dir, async () => {
    const stem = join(dir, "extra", `${aanleverpunt}-self-signed`);
    const oin = schoolOin(brinOf(aanleverpunt));
    await makeSelfSignedClient(`${stem}.key`, `${stem}.pem`, 30, `/CN=${aanleverpunt}/serialNumber=${oin}`);
    await makePfx(`${stem}.key`, `${stem}.pem`, `${stem}.pem`, `${stem}.pfx`);
    return loadClient(stem, aanleverpunt);
  });
}

type Ca = TestPki["ca"] & { keyPath: string; x509: X509Certificate };

async function ensureCa(dir: string): Promise<Ca> {
  const path = join(dir, "ca.pem");
  const keyPath = join(dir, "ca.key");
  let x509 = readValid(path, keyPath);
  if (!x509 || daysLeft(x509) < 30) {
    await makeCa(keyPath, path, CA_DAYS, CA_CN);
    x509 = new X509Certificate(readFileSync(path));
  }
  return { path, keyPath, x509, cert: readFileSync(path, "utf8"), key: readFileSync(keyPath, "utf8") };
}

async function ensureServer(dir: string, ca: Ca): Promise<TestPki["server"]> {
  const certPath = join(dir, "server.pem");
  const keyPath = join(dir, "server.key");
  const x509 = readValid(certPath, keyPath);
  if (!x509 || !signedBy(x509, ca) || daysLeft(x509) < 30) {
    const now = Date.now();
    await issueCertificate({
      dir, caCert: ca.path, caKey: ca.keyPath, keyPath, certPath, subject: "/CN=localhost", extensions: "ext_server",
      notBefore: new Date(now - 3600_000), notAfter: new Date(now + SERVER_DAYS * DAY_MS),
    });
  }
  return { certPath, keyPath, cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
}

async function ensureClient(dir: string, ca: Ca, ap: string, validDays: number): Promise<TestClientCertificate> {
  const stem = join(dir, "clients", ap);
  const x509 = readValid(`${stem}.pem`, `${stem}.key`);
  const reusable =
    x509 && existsSync(`${stem}.pfx`) && signedBy(x509, ca) && daysLeft(x509) > 1 &&
    x509.subject.includes(`CN=${ap}`) && x509.subject.includes(schoolOin(brinOf(ap))) &&
    Math.round((Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / DAY_MS) === validDays;
  if (reusable) return loadClient(stem, ap);
  const now = Date.now();
  return issueClient(dir, ca, ap, stem, new Date(now - 3600_000), new Date(now - 3600_000 + validDays * DAY_MS));
}

async function issueClient(dir: string, ca: Ca, ap: string, stem: string, notBefore: Date, notAfter: Date): Promise<TestClientCertificate> {
  const oin = schoolOin(brinOf(ap));
  const paths = { cert: `${stem}.pem`, key: `${stem}.key`, pfx: `${stem}.pfx` };
  await issueCertificate({
    dir, caCert: ca.path, caKey: ca.keyPath, keyPath: paths.key, certPath: paths.cert,
    subject: `/CN=${ap}/serialNumber=${oin}`, extensions: "ext_client", notBefore, notAfter,
  });
  await makePfx(paths.key, paths.cert, ca.path, paths.pfx);
  return loadClient(stem, ap);
}

function loadClient(stem: string, ap: string): TestClientCertificate {
  const paths = { cert: `${stem}.pem`, key: `${stem}.key`, pfx: `${stem}.pfx` };
  const cert = readFileSync(paths.cert, "utf8");
  const notAfter = new Date(new X509Certificate(cert).validTo).toISOString();
  return { cert, key: readFileSync(paths.key, "utf8"), pfx: readFileSync(paths.pfx), oin: schoolOin(brinOf(ap)), notAfter, paths };
}

/** The certificate at `certPath` if it and its key exist and it is valid now; else undefined. */
function readValid(certPath: string, keyPath: string): X509Certificate | undefined {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    const x = new X509Certificate(readFileSync(certPath));
    return Date.parse(x.validFrom) <= Date.now() && daysLeft(x) > 0 ? x : undefined;
  } catch {
    return undefined;
  }
}

const daysLeft = (x: X509Certificate) => (Date.parse(x.validTo) - Date.now()) / DAY_MS;
const signedBy = (x: X509Certificate, ca: Ca) => x.checkIssued(ca.x509) && x.verify(ca.x509.publicKey);
