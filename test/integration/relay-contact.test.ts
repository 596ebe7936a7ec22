import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretClient } from "@azure/keyvault-secrets";
import { QueueClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { startKeyVaultStandIn, type KeyVaultStandIn } from "../../emulators/keyvault/server.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { codeSha256, nextKeySecretName, nieuweRegistratiecode, relaySleutelVervangen, type OnboardingDeps } from "../../src/activities/onboarding.js";
import { aanmelden, findByCode, hartslag, verifyRelayRequest, type RelayContactDeps, type SignedRequest } from "../../src/activities/relay-contact.js";
import { createNonceStore } from "../../src/adapters/state/relay-nonces.js";
import { createRelayStatusStore } from "../../src/adapters/state/relay-status.js";
import { createSchoolStore, defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import type { AuditEntry } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { contactRoutes } from "../../src/contracts/relay/contact.js";
import { signatureHeaders, headers as sigHeaders } from "../../src/contracts/relay/signing.js";
import { MINIMUM_RELAY_VERSIE } from "../../src/core/relay-versie.js";

// The cloud's end of the relay → cloud contact API (src/activities/relay-contact.ts) against Azurite
// (school registry with ETags, nonces, heartbeats) and the Key Vault stand-in (keys read with the app's
// read-only identity, written by a Beheerder's identity): the one-time code, the signature per school,
// replay, and key rotation without a visit.

const connection = inject("azuriteConnectionString");

describe("the relay contact API, cloud side", () => {
  const prefix = `rc${randomBytes(3).toString("hex")}`;
  const tables = tablesFromConnectionString(connection);
  const t = (name: string) => tables(`${prefix}${name}`);
  const schools = createSchoolStore({ tables: t });
  let dir: string;
  let kv: KeyVaultStandIn;
  let ca: string;
  let admin: SecretClient;
  const audit: AuditEntry[] = [];
  let now = new Date("2026-11-29T10:00:00Z");
  let deps: RelayContactDeps;
  const keys: Record<string, string> = {};

  const school = (id: string, brin: string): School => ({
    id,
    naam: `School ${id}`,
    brins: [brin],
    aanleverpunten: [{ code: `${brin}00`, naam: "" }],
    relay: { ...defaultRelayChannel(`${prefix}-${id}`), wachtrij: `relay-${prefix}-${id}` },
    contact: { emails: [] },
    instellingen: { dagelijkseSync: false },
  });
  const A = school("school-a", "12AB");
  const B = school("school-b", "34CD");

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "relay-contact-"));
    const pki = await createTestPki(join(dir, "pki"), []);
    ca = pki.ca.cert;
    kv = await startKeyVaultStandIn({ tls: pki.server, dataDir: join(dir, "vault") });
    admin = new SecretClient(kv.url, kv.credential("admin"), standInClientOptions(ca));
    const app = new SecretClient(kv.url, kv.credential("app"), standInClientOptions(ca));
    for (const s of [A, B]) {
      keys[s.id] = randomBytes(32).toString("base64");
      await admin.setSecret(s.relay.sleutelSecret, keys[s.id]!);
      await schools.put(s);
    }
    deps = {
      schools,
      relayStatus: createRelayStatusStore({ tables: t }),
      nonces: createNonceStore({ tables: t }),
      secret: async (name) => {
        try {
          return (await app.getSecret(name)).value ?? null;
        } catch (e) {
          if ((e as { statusCode?: number }).statusCode === 404) return null;
          throw e;
        }
      },
      channelConnection: async () => connection,
      updateOffer: async () => null,
      audit: async (_p, _at, e) => void audit.push(e),
      now: () => now,
    };
  }, 120_000);

  afterAll(async () => {
    await kv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const onboarding = (): OnboardingDeps =>
    ({
      schools,
      asPerson: () => ({ secrets: new SecretClient(kv.url, kv.credential("beheerder"), standInClientOptions(ca)) }),
      now: () => now,
    }) as unknown as OnboardingDeps;

  const signed = (school: string, key: string, body: unknown, o: { header?: string; at?: number } = {}): SignedRequest => {
    const payload = Buffer.from(JSON.stringify(body));
    const h = signatureHeaders(Buffer.from(key, "base64"), { method: "POST", pathAndQuery: contactRoutes.hartslag, body: payload }, o.at ?? now.getTime());
    return { school: o.header ?? school, method: "POST", pathAndQuery: contactRoutes.hartslag, body: payload, timestamp: h[sigHeaders.timestamp]!, nonce: h[sigHeaders.nonce]!, signature: h[sigHeaders.signature]! };
  };
  const beat = (versie = "0.1.0") => ({ relayVersie: versie, apiVersie: "3", lvs2000Versie: "2.10.0001", database: { ok: true, melding: null } });

  it("a new code (24 h) registers the relay once: its settings come back, a second use and an expired code are refused in Dutch", async () => {
    const { registratiecode } = await nieuweRegistratiecode(onboarding(), A.id, { door: "beheerder@x" });
    expect((await schools.get(A.id))?.registratie).toMatchObject({ codeSha256: codeSha256(registratiecode), geldigTot: "2026-11-30T10:00:00.000Z" });

    expect(await findByCode(deps, "ABCD-EFGH-JKMN-PQRS")).toMatchObject({ ok: false, status: 401, fout: "CODE_ONBEKEND", melding: expect.stringContaining("onbekend") });
    const found = await findByCode(deps, registratiecode.toLowerCase().replaceAll("-", " "));
    expect(found).toMatchObject({ ok: true, school: { id: A.id } });
    if (!found.ok) throw new Error("not found");

    // two relays with the same code at once: one gets the settings, the other the refusal
    const verzoek = { code: registratiecode, relayVersie: "0.1.0", hostnaam: "server-1" };
    const both = await Promise.all([aanmelden(deps, found.school, verzoek, "https://bronsync.example"), aanmelden(deps, found.school, { ...verzoek, hostnaam: "server-2" }, "https://bronsync.example")]);
    const ok = both.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toMatchObject({ fout: "CODE_GEBRUIKT" });
    const settings = ok[0]!.ok ? ok[0]!.antwoord.instellingen : null;
    expect(settings).toMatchObject({ RELAY_SCHOOL: A.id, RELAY_TRANSPORT: "queue", RELAY_HMAC_KEY: keys[A.id], RELAY_CLOUD_URL: "https://bronsync.example", RELAY_QUEUE_URL: expect.stringContaining(`${A.relay.wachtrij}?`) });
    // the SAS it got works on the school's queue (read), as the relay will use it
    await new QueueClient(settings!.RELAY_QUEUE_URL).receiveMessages();
    expect(await findByCode(deps, registratiecode)).toMatchObject({ ok: false, fout: "CODE_GEBRUIKT", melding: expect.stringMatching(/al gebruikt door server server-[12]/) });
    expect(audit.filter((e) => e.op === "REGISTRATIE")).toHaveLength(1);

    const second = await nieuweRegistratiecode(onboarding(), A.id, { door: "beheerder@x" });
    now = new Date(now.getTime() + 24 * 3_600_000 + 1000);
    expect(await findByCode(deps, second.registratiecode)).toMatchObject({ ok: false, fout: "CODE_VERLOPEN", melding: expect.stringContaining("24 uur") });
  });

  it("a relay's request is checked with the key of the school it names: school B's key never acts for school A; replays and a wrong clock are refused", async () => {
    expect(await verifyRelayRequest(deps, signed(A.id, keys[A.id]!, beat()))).toMatchObject({ ok: true, school: { id: A.id }, sleutel: "huidig" });
    expect(await verifyRelayRequest(deps, signed(B.id, keys[B.id]!, beat(), { header: A.id }))).toMatchObject({ ok: false, status: 401, fout: "ONGELDIGE_HANDTEKENING" });
    expect(await verifyRelayRequest(deps, signed(A.id, keys[A.id]!, beat(), { header: "bestaat-niet" }))).toMatchObject({ ok: false, fout: "ONGELDIGE_HANDTEKENING" });
    expect(await verifyRelayRequest(deps, { ...signed(A.id, keys[A.id]!, beat()), signature: null })).toMatchObject({ ok: false, fout: "NIET_ONDERTEKEND" });
    const once = signed(A.id, keys[A.id]!, beat());
    expect((await verifyRelayRequest(deps, once)).ok).toBe(true);
    expect(await verifyRelayRequest(deps, once)).toMatchObject({ ok: false, fout: "HERHAALD" });
    expect(await verifyRelayRequest(deps, signed(A.id, keys[A.id]!, beat(), { at: now.getTime() - 6 * 60_000 }))).toMatchObject({ ok: false, fout: "KLOK_AFWIJKING", melding: expect.stringContaining("NTP") });
    const tampered = signed(A.id, keys[A.id]!, beat());
    expect(await verifyRelayRequest(deps, { ...tampered, body: Buffer.from(JSON.stringify(beat("9.9.9"))) })).toMatchObject({ ok: false, fout: "ONGELDIGE_HANDTEKENING" });
  });

  it("the heartbeat is recorded and answered: accepted at the minimum version, refused below it with a Dutch reason", async () => {
    const a = await hartslag(deps, A, "huidig", beat(MINIMUM_RELAY_VERSIE));
    expect(a).toMatchObject({ ok: true, antwoord: { geaccepteerd: true, minimumVersie: MINIMUM_RELAY_VERSIE, nieuweSleutel: null, update: null } });
    expect(await deps.relayStatus.heartbeat(A.id)).toMatchObject({ relayVersie: MINIMUM_RELAY_VERSIE, lvs2000Versie: "2.10.0001", databaseOk: true, geaccepteerd: true, op: now.toISOString() });
    const old = await hartslag(deps, A, "huidig", beat("0.0.9"));
    expect(old).toMatchObject({ ok: true, antwoord: { geaccepteerd: false, melding: expect.stringContaining(`ten minste versie ${MINIMUM_RELAY_VERSIE}`) } });
    expect(await hartslag(deps, A, "huidig", { relayVersie: "x" })).toMatchObject({ ok: false, status: 400, fout: "ONGELDIGE_HARTSLAG" });
  });

  it("key rotation: a Beheerder writes the next key; the heartbeat signed with the current key gets it; the first one signed with it makes it current", async () => {
    const before = (await schools.get(B.id))!;
    const { secret } = await relaySleutelVervangen(onboarding(), B.id, { token: "x", door: "beheerder@x" });
    expect(secret).toBe(nextKeySecretName(B.id, now));
    expect((await schools.get(B.id))?.relay).toMatchObject({ sleutelSecret: before.relay.sleutelSecret, nieuweSleutelSecret: secret });
    const next = (await admin.getSecret(secret)).value!;

    const v1 = await verifyRelayRequest(deps, signed(B.id, keys[B.id]!, beat()));
    if (!v1.ok) throw new Error(v1.melding);
    expect(v1.sleutel).toBe("huidig");
    expect(await hartslag(deps, v1.school, v1.sleutel, beat())).toMatchObject({ ok: true, antwoord: { nieuweSleutel: next } });
    // still the old key for the cloud's queue requests
    expect((await schools.get(B.id))?.relay.sleutelSecret).toBe(before.relay.sleutelSecret);

    const v2 = await verifyRelayRequest(deps, signed(B.id, next, beat()));
    expect(v2).toMatchObject({ ok: true, sleutel: "nieuw", school: { relay: { sleutelSecret: secret } } });
    if (!v2.ok) throw new Error(v2.melding);
    expect(await hartslag(deps, v2.school, v2.sleutel, beat())).toMatchObject({ ok: true, antwoord: { nieuweSleutel: null } });
    const after = (await schools.get(B.id))!.relay;
    expect(after).toEqual({ kanaal: "wachtrij", wachtrij: before.relay.wachtrij, sleutelSecret: secret });
    expect(audit.some((e) => e.op === "RELAY_SLEUTEL")).toBe(true);
    // from now on the old key is refused
    expect(await verifyRelayRequest(deps, signed(B.id, keys[B.id]!, beat()))).toMatchObject({ ok: false, fout: "ONGELDIGE_HANDTEKENING" });
  });

  it("after a stolen server: a new relay key and a new code — the new registration gets the new key, current at once, and a new queue SAS; the old key and the old SAS are refused", async () => {
    now = new Date(); // storage checks the SAS's start against its own clock
    const code1 = await nieuweRegistratiecode(onboarding(), A.id, { door: "beheerder@x" });
    const found1 = await findByCode(deps, code1.registratiecode);
    if (!found1.ok) throw new Error(found1.melding);
    const stolen = await aanmelden(deps, found1.school, { code: code1.registratiecode, relayVersie: "0.1.0", hostnaam: "gestolen" }, "https://bronsync.example");
    if (!stolen.ok) throw new Error(stolen.melding);

    now = new Date(now.getTime() + 60_000); // a minute later
    const { secret } = await relaySleutelVervangen(onboarding(), A.id, { token: "x", door: "beheerder@x" });
    const next = (await admin.getSecret(secret)).value!;
    const code2 = await nieuweRegistratiecode(onboarding(), A.id, { door: "beheerder@x" });
    const found2 = await findByCode(deps, code2.registratiecode);
    if (!found2.ok) throw new Error(found2.melding);
    const fresh = await aanmelden(deps, found2.school, { code: code2.registratiecode, relayVersie: "0.1.0", hostnaam: "nieuw" }, "https://bronsync.example");
    if (!fresh.ok) throw new Error(fresh.melding);

    expect(fresh.antwoord.instellingen.RELAY_HMAC_KEY).toBe(next);
    expect((await schools.get(A.id))?.relay).toMatchObject({ sleutelSecret: secret });
    expect((await schools.get(A.id))?.relay.nieuweSleutelSecret).toBeUndefined();
    // the stolen server's key no longer signs for the school, and its queue SAS no longer reads the queue
    expect(await verifyRelayRequest(deps, signed(A.id, stolen.antwoord.instellingen.RELAY_HMAC_KEY, beat()))).toMatchObject({ ok: false, fout: "ONGELDIGE_HANDTEKENING" });
    await expect(new QueueClient(stolen.antwoord.instellingen.RELAY_QUEUE_URL).receiveMessages()).rejects.toMatchObject({ statusCode: 403 });
    await expect(new QueueClient(fresh.antwoord.instellingen.RELAY_QUEUE_URL).receiveMessages()).resolves.toBeTruthy();
    expect((await verifyRelayRequest(deps, signed(A.id, next, beat()))).ok).toBe(true);
  });
});

describe("the nonces of signed relay requests", () => {
  it("a nonce is taken once; rows older than the window are cleaned up as new ones come, per school", async () => {
    const prefix = `rn${randomBytes(3).toString("hex")}`;
    const tables = tablesFromConnectionString(connection);
    const nonces = createNonceStore({ tables: (n) => tables(`${prefix}${n}`), keepMs: 15 * 60_000, cleanEveryMs: 10 * 60_000 });
    const t0 = new Date("2026-11-29T10:00:00Z");
    const n = (i: number) => `nonce-${String(i).padStart(12, "0")}`;
    expect(await nonces.remember("school-a", n(1), t0)).toBe(true);
    expect(await nonces.remember("school-a", n(1), t0)).toBe(false);
    expect(await nonces.remember("school-b", n(1), t0)).toBe(true); // another school's nonce space
    expect(await nonces.remember("school-a", n(2), new Date(t0.getTime() + 5 * 60_000))).toBe(true);
    const rows = async (school: string) => {
      const out: string[] = [];
      for await (const e of tables(`${prefix}relayNonces`).listEntities({ queryOptions: { filter: `PartitionKey eq '${school}'` } })) out.push(String(e.rowKey));
      return out.sort();
    };
    expect(await rows("school-a")).toEqual([n(1), n(2)]);
    // an hour later: the next one cleans up school A's old rows (not B's, whose turn comes with its own next one)
    expect(await nonces.remember("school-a", n(3), new Date(t0.getTime() + 60 * 60_000))).toBe(true);
    expect(await rows("school-a")).toEqual([n(3)]);
    expect(await rows("school-b")).toEqual([n(1)]);
  });
});
