import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { ensureDebianTool, runTool } from "../support/debian-tools.js";

/**
 * The Key Vault stand-in driven by curl (a client nobody here wrote) with the request and answer
 * shapes of the Key Vault REST reference: bearer tokens checked, the app's identity read-only,
 * the api-version checked.
 */
let dir: string;
let curl: string;
let pki: TestPki;
let kv: KeyVaultStandIn;
let n = 0;

beforeAll(async () => {
  curl = ensureDebianTool("curl");
  dir = mkdtempSync(join(tmpdir(), "kv-curl-"));
  pki = await createTestPki(join(dir, "pki"), ["00AA00"]);
  kv = await startKeyVaultStandIn({ tls: pki.server });
  await kv.importCertificate("bron-00aa00", { pfx: pki.clients["00AA00"]!.pfx });
  kv.setSecret("relay-hmac-key", "c2VjcmV0", { contentType: "text/plain" });
}, 600_000);

afterAll(async () => {
  await kv?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: string;
  json: { error?: { code: string; message: string; innererror?: { code: string } }; value?: string; contentType?: string };
}

async function call(method: "GET" | "PUT", path: string, o: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const stem = join(dir, `r${++n}`);
  const args = ["-sS", "-X", method, "--cacert", pki.ca.path, "-D", `${stem}.headers`, "-o", `${stem}.body`, "-w", "%{http_code}"];
  if (o.token !== undefined) args.push("-H", `Authorization: Bearer ${o.token}`);
  if (o.body !== undefined) {
    writeFileSync(`${stem}.json`, JSON.stringify(o.body));
    args.push("-H", "Content-Type: application/json", "--data-binary", `@${stem}.json`);
  }
  args.push(`${kv.url}${path}`);
  const r = await runTool(curl, args);
  expect(r.status, r.stderr).toBe(0);
  return { status: Number(r.stdout), headers: readFileSync(`${stem}.headers`, "utf8"), json: JSON.parse(readFileSync(`${stem}.body`, "utf8") || "{}") };
}

const V = "api-version=2025-07-01";

describe("Key Vault stand-in ← curl", () => {
  it("GET a secret with a valid token of the app's identity: 200 with the SecretBundle", async () => {
    const r = await call("GET", `/secrets/relay-hmac-key/?${V}`, { token: kv.token("app") });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ value: "c2VjcmV0", contentType: "text/plain" });
  });

  it("no token: 401 with the bearer challenge", async () => {
    const r = await call("GET", `/secrets/relay-hmac-key/?${V}`);
    expect(r.status).toBe(401);
    expect(r.headers).toMatch(/^www-authenticate: Bearer authorization="https:\/\/login\.microsoftonline\.com\/[^"]+", resource="https:\/\/vault\.azure\.net"/im);
    expect(r.json.error?.code).toBe("Unauthorized");
  });

  it("a bogus token, a forged signature or an expired token: 401 Unauthorized with the challenge", async () => {
    const forged = kv.token("admin").replace(/\.[^.]+$/, ".c2lnbmF0dXJl");
    for (const token of ["bogus", forged, kv.token("app", { lifetimeSeconds: -60 })]) {
      const r = await call("GET", `/secrets/relay-hmac-key/?${V}`, { token });
      expect(r.status, token).toBe(401);
      expect(r.json.error?.code).toBe("Unauthorized");
      expect(r.headers).toMatch(/^www-authenticate: Bearer /im);
    }
    expect((await call("GET", `/secrets/relay-hmac-key/?${V}`, { token: kv.token("app", { lifetimeSeconds: -60 }) })).json.error?.message).toMatch(/TokenExpired/);
  });

  it("PUT a secret as the app's identity: 403 Forbidden / ForbiddenByRbac, and nothing changes", async () => {
    const r = await call("PUT", `/secrets/relay-hmac-key?${V}`, { token: kv.token("app"), body: { value: "overwritten" } });
    expect(r.status).toBe(403);
    expect(r.json.error).toMatchObject({ code: "Forbidden", innererror: { code: "ForbiddenByRbac" } });
    expect(r.json.error?.message).toMatch(/Caller is not authorized to perform action on resource/);
    expect(r.json.error?.message).toMatch(/Action: 'Microsoft\.KeyVault\/vaults\/secrets\/setSecret\/action'/);
    expect((await call("GET", `/secrets/relay-hmac-key/?${V}`, { token: kv.token("app") })).json.value).toBe("c2VjcmV0");
  });

  it("PUT a secret as the admin identity: 200", async () => {
    const r = await call("PUT", `/secrets/seeded-by-admin?${V}`, { token: kv.token("admin"), body: { value: "x", contentType: "text/plain" } });
    expect(r.status).toBe(200);
    expect(r.json.value).toBe("x");
  });

  it("api-version 1.0 (unknown to Key Vault) or missing: 400 BadParameter", async () => {
    const unknown = await call("GET", "/secrets/relay-hmac-key/?api-version=1.0", { token: kv.token("app") });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error?.code).toBe("BadParameter");
    expect(unknown.json.error?.message).toMatch(/not recognized/);
    const missing = await call("GET", "/secrets/relay-hmac-key/", { token: kv.token("app") });
    expect(missing.status).toBe(400);
    expect(missing.json.error?.code).toBe("BadParameter");
  });

  it("api-version 7.5 with outContentType (a parameter 7.5 does not have): 400 naming the stand-in's gap, no conversion", async () => {
    const r = await call("GET", "/secrets/bron-00aa00/?api-version=7.5&outContentType=application%2Fx-pem-file", { token: kv.token("app") });
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe("BadParameter");
    expect(r.json.error?.message).toMatch(/stand-in.*7\.5/);
  });

  it("api-version 2025-07-01 with outContentType PEM converts the PFX secret; an unknown format is rejected", async () => {
    const pem = await call("GET", `/secrets/bron-00aa00/?${V}&outContentType=application%2Fx-pem-file`, { token: kv.token("app") });
    expect(pem.status).toBe(200);
    expect(pem.json.contentType).toBe("application/x-pem-file");
    expect(pem.json.value).toMatch(/-----BEGIN PRIVATE KEY-----/);
    const bad = await call("GET", `/secrets/bron-00aa00/?${V}&outContentType=text%2Fplain`, { token: kv.token("app") });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe("BadParameter");
  });
});
