import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { startKeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { createCertificateProvider } from "../../src/adapters/certificates/index.js";

/**
 * Certificates: test PKI generation (openssl CLI, cold and reused), then the certificate provider
 * against the Key Vault stand-in with the real SDKs — first fetch of every aanleverpunt (PFX stored,
 * PEM requested: the stand-in converts with openssl) and cached calls. Counts are Key Vault requests
 * seen by the stand-in; they do not depend on machine speed.
 */
const APS = Number(process.env.BENCH_AANLEVERPUNTEN ?? 40);
const CACHED_CALLS = 20_000;
const aanleverpunten = Array.from({ length: APS }, (_, i) => `${String(i % 100).padStart(2, "0")}${String.fromCharCode(65 + Math.floor(i / 26) % 26)}${String.fromCharCode(65 + (i % 26))}00`);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

const dir = mkdtempSync(join(tmpdir(), "bench-certs-"));
try {
  const cold = await timed(() => createTestPki(dir, aanleverpunten));
  const warm = await timed(() => createTestPki(dir, aanleverpunten));
  console.log(`test PKI, ${APS} client certificates: cold ${cold.ms.toFixed(0)} ms, reused ${warm.ms.toFixed(0)} ms`);

  const pki = cold.result;
  const kv = await startKeyVaultStandIn({ tls: pki.server });
  const imp = await timed(async () => {
    for (const ap of aanleverpunten) await kv.importCertificate(`bron-${ap.toLowerCase()}`, { pfx: pki.clients[ap]!.pfx });
  });
  console.log(`stand-in import (PFX): ${APS} certificates in ${imp.ms.toFixed(0)} ms`);

  const provider = createCertificateProvider({ vaultUrl: kv.url, credential: kv.credential("app"), clientOptions: standInClientOptions(pki.ca.cert), now: () => new Date() });
  kv.resetCounts();
  const first = await timed(async () => {
    for (const ap of aanleverpunten) await provider.getClientCertificate(ap);
  });
  const firstCounts = { certificate: kv.countRequests({ operation: "getCertificate" }), secret: kv.countRequests({ operation: "getSecret" }), challenge: kv.countRequests({ operation: "unauthorized" }) };
  console.log(`first fetch: ${APS} aanleverpunten in ${first.ms.toFixed(0)} ms (${(first.ms / APS).toFixed(1)} ms each); Key Vault requests: ${JSON.stringify(firstCounts)}`);

  kv.resetCounts();
  const cached = await timed(async () => {
    for (let i = 0; i < CACHED_CALLS; i++) await provider.getClientCertificate(aanleverpunten[i % APS]!);
  });
  console.log(`cached: ${CACHED_CALLS} calls in ${cached.ms.toFixed(0)} ms (${((cached.ms * 1000) / CACHED_CALLS).toFixed(1)} µs each); Key Vault requests: ${kv.countRequests()}`);

  const status = await timed(() => provider.listStatus(aanleverpunten));
  const states = status.result.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.state]: (acc[s.state] ?? 0) + 1 }), {});
  console.log(`listStatus(${APS}) on a warm cache: ${status.ms.toFixed(1)} ms; states ${JSON.stringify(states)}; Key Vault requests: ${kv.countRequests()}`);
  await kv.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
