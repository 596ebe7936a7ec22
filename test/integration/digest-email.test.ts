import { EmailClient } from "@azure/communication-email";
import { BlobServiceClient } from "@azure/storage-blob";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmailStandIn, type EmailStandIn } from "../../emulators/email/server.js";
import { standInClientOptions } from "../../emulators/keyvault/client-options.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";
import { digestFor, sendDailyDigests, type DigestDeps } from "../../src/activities/digest.js";
import type { CertificateProvider, CertificateStatus } from "../../src/adapters/certificates/index.js";
import { createEmailSender, EmailRefusedError } from "../../src/adapters/email/sender.js";
import { createRelayStatusStore } from "../../src/adapters/state/relay-status.js";
import { createSchoolStore, defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import { createStateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import type { Action } from "../../src/core/model.js";

// The daily digest through the real @azure/communication-email SDK, talking to the ACS Email stand-in
// (HMAC-signed requests, operation-location polling), with the state in Azurite.

const NOW = new Date("2026-11-29T07:00:00.000Z");
const school = (id: string, brin: string, emails: string[]): School => ({
  id, naam: `School ${id}`, brins: [brin], aanleverpunten: [{ code: `${brin}00`, naam: "hoofdvestiging" }],
  relay: defaultRelayChannel(id), contact: { emails }, instellingen: { dagelijkseSync: true },
});
const action = (over: Partial<Action>): Action =>
  ({
    id: "a1", type: "WIJZIGING_ONDERWIJSGEGEVENS", direction: "BRON", needsDecision: false, decision: null, manual: false, aanleverpunt: "12AB00", leerlingId: "L1", inschrijvingId: "I1",
    fields: [{ field: "achternaam", lvs: "Pietersen", bron: "Pieterse" }, { field: "pgn", lvs: { soort: "BSN", nummer: "123456782" }, bron: null }], fingerprint: "f", deadline: null, reason: "r", status: "OPEN", ...over,
  }) as Action;

/** Certificates: every aanleverpunt's is valid for `days[ap] ?? 300` more days (the provider's own status shape). */
const certificates = (days: Record<string, number>): CertificateProvider =>
  ({ status: async (ap: string): Promise<CertificateStatus> => ({ aanleverpunt: ap, certificateName: `bron-${ap}`, state: (days[ap] ?? 300) < 30 ? "expiring" : "valid", daysUntilExpiry: days[ap] ?? 300, notAfter: null, thumbprint: null, melding: "" }) }) as unknown as CertificateProvider;

describe("daily digest e-mail through ACS Email (stand-in)", () => {
  const cs = inject("azuriteConnectionString");
  const prefix = `dg${randomBytes(3).toString("hex")}`;
  const tables = (t: string) => tablesFromConnectionString(cs)(`${prefix}${t}`);
  let mail: EmailStandIn;
  let deps: DigestDeps;
  let dir: string;
  let ca: string;
  /** the real SDK, trusting the test CA */
  let sender: (senderAddress: string, connectionString?: string) => ReturnType<typeof createEmailSender>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-digest-"));
    const pki = await createTestPki(dir, []);
    ca = pki.ca.cert;
    mail = await startEmailStandIn({ accessKey: randomBytes(32).toString("base64"), senderDomains: ["bronsync.example"], tls: pki.server });
    const { additionalPolicies } = standInClientOptions(pki.ca.cert);
    sender = (senderAddress, connectionString = mail.connectionString) => createEmailSender({ connectionString, senderAddress, pollIntervalMs: 10, clientOptions: { additionalPolicies } });
    const state = createStateStore({ tables, blobs: BlobServiceClient.fromConnectionString(cs).getContainerClient(`${prefix}-blobs`) });
    const schools = createSchoolStore({ tables });
    await schools.put(school("school-a", "12AB", ["administratie@school-a.example", "directie@school-a.example"]));
    await schools.put(school("school-b", "34CD", ["administratie@school-b.example"]));
    await schools.put(school("school-c", "56EF", ["administratie@school-c.example"]));
    // being onboarded (not in the daily run yet): its missing relay is no news
    await schools.put({ ...school("school-d", "78GH", ["administratie@school-d.example"]), instellingen: { dagelijkseSync: false } });
    const late = { windowDays: 7 as const, since: "2026-11-01", due: "2026-11-08", daysLeft: 0 };
    await state.updateActions("12AB00", [], [action({ id: "x1", status: "AFGEKEURD" }), action({ id: "x2", status: "AFGEKEURD", leerlingId: "L2" }), action({ id: "x3", deadline: late })]);
    const relayStatus = createRelayStatusStore({ tables });
    await relayStatus.recordFailure("school-b", new Date("2026-11-27T22:00:00.000Z"), "RELAY_NOT_PICKED_UP");
    await relayStatus.recordFailure("school-d", new Date("2026-11-01T22:00:00.000Z"), "RELAY_NOT_PICKED_UP");
    deps = {
      schools, relayStatus, state, tables,
      certificates: certificates({ "56EF00": 400 }),
      mail: sender("DoNotReply@bronsync.example"),
      runFailed: async () => false,
      beheerUrl: "http://localhost:7071/beheer/",
      now: () => NOW,
    };
  });
  afterAll(async () => {
    await mail?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends each school with something to report one digest, to its own contact addresses, with counts and no personal data; nothing to a school where all is well or that is not in the daily run", async () => {
    expect(await sendDailyDigests(deps)).toEqual([
      { school: "school-a", uitkomst: "VERZONDEN" },
      { school: "school-b", uitkomst: "VERZONDEN" },
      { school: "school-c", uitkomst: "NIETS_TE_MELDEN" },
    ]);
    const got = mail.messages();
    expect(got).toHaveLength(2);
    const a = got.find((m) => m.aan.includes("administratie@school-a.example"))!;
    expect(a.aan).toEqual(["administratie@school-a.example", "directie@school-a.example"]);
    expect(a.van).toBe("DoNotReply@bronsync.example");
    expect(a.onderwerp).toBe("BRON Sync: 2 aandachtspunten voor School school-a (2026-11-29)");
    expect(a.tekst).toContain("Aanleverpunt 12AB00: 2 meldingen zijn afgekeurd door BRON.");
    expect(a.tekst).toContain("Aanleverpunt 12AB00: 1 melding is over de termijn.");
    expect(a.html).toContain('href="http://localhost:7071/beheer/"');
    const b = got.find((m) => m.aan.includes("administratie@school-b.example"))!;
    expect(b.aan).toEqual(["administratie@school-b.example"]);
    expect(b.tekst).toContain("De relay van de school is al 1 dag niet bereikbaar");
    for (const m of got) for (const secret of ["Pietersen", "Pieterse", "123456782", "L1", "L2"]) expect(`${m.onderwerp}${m.tekst}${m.html}`).not.toContain(secret);

    const audit = await deps.state.listAudit("12AB00");
    expect(audit.filter((e) => e.op === "DIGEST_VERZONDEN")).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toMatch(/Pietersen|123456782|@school-a/);
  });

  it("a second run the same day sends nothing, also after a crash between claiming and sending", async () => {
    expect((await sendDailyDigests(deps)).map((r) => r.uitkomst)).toEqual(["AL_VERZONDEN", "AL_VERZONDEN", "NIETS_TE_MELDEN"]);
    expect(mail.messages()).toHaveLength(2);
    // an attempt that claimed the day and then died: unknown whether ACS got it, so not sent again
    await tables("digests").createEntity({ partitionKey: "school-c", rowKey: "2026-11-30", data: JSON.stringify({ stand: "VERZENDEN", at: "2026-11-30T07:00:00.000Z", operatie: null }) });
    const c = (await deps.schools.get("school-c"))!;
    expect(await digestFor({ ...deps, certificates: certificates({ "56EF00": 3 }), now: () => new Date("2026-11-30T07:00:00.000Z") }, c)).toBe("ONZEKER");
    expect(mail.messages()).toHaveLength(2);
  });

  it("a refusal by ACS (unlinked sender domain) releases the day for a retry", async () => {
    const c = (await deps.schools.get("school-c"))!;
    const day = () => new Date("2026-12-01T07:00:00.000Z");
    const bad = sender("noreply@elders.example");
    const expiring = certificates({ "56EF00": 5 });
    expect(await digestFor({ ...deps, certificates: expiring, mail: bad, now: day }, c)).toBe("GEWEIGERD");
    expect(await digestFor({ ...deps, certificates: expiring, now: day }, c)).toBe("VERZONDEN");
    const last = mail.messages().at(-1)!;
    expect(last.aan).toEqual(["administratie@school-c.example"]);
    expect(last.tekst).toContain("Het certificaat verloopt over 5 dagen");
    await expect(bad.send({ to: ["x@y.example"], onderwerp: "s", tekst: "t", html: "<p>t</p>" })).rejects.toBeInstanceOf(EmailRefusedError);
  });

  it("refuses a request signed with the wrong key, and an unsigned one", async () => {
    const wrong = sender("DoNotReply@bronsync.example", `endpoint=${mail.url}/;accesskey=${randomBytes(32).toString("base64")}`);
    await expect(wrong.send({ to: ["x@y.example"], onderwerp: "s", tekst: "t", html: "t" })).rejects.toThrow(/HMAC signature does not match/);
    const unsigned = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest(`${mail.url}/emails:send?api-version=2025-09-01`, { method: "POST", ca, headers: { "content-type": "application/json" } }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end("{}");
    });
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(unsigned.body)).toEqual({ error: { code: "Unauthorized", message: "missing or malformed HMAC-SHA256 Authorization header" } });
  });

  it("refuses, naming the gap, what it does not model: attachments, a repeated Operation-Id, Entra ID bearer tokens", async () => {
    const client = new EmailClient(mail.connectionString, { additionalPolicies: standInClientOptions(ca).additionalPolicies });
    const message = { senderAddress: "DoNotReply@bronsync.example", content: { subject: "s", plainText: "t" }, recipients: { to: [{ address: "x@y.example" }] } };
    await expect(client.beginSend({ ...message, attachments: [{ name: "a.txt", contentType: "text/plain", contentInBase64: "YQ==" }] })).rejects.toThrow(/attachments are not modelled/);
    const operationId = "0b8f3a52-7c1e-4d6a-9f1e-5b2a1c3d4e5f";
    await (await client.beginSend(message, { operationId, updateIntervalInMs: 10 })).pollUntilDone();
    await expect(client.beginSend(message, { operationId })).rejects.toThrow(/repeated Operation-Id is not modelled/);
    const bearer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest(`${mail.url}/emails:send?api-version=2025-09-01`, { method: "POST", ca, headers: { "content-type": "application/json", authorization: "Bearer abc" } }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end("{}");
    });
    expect(bearer.status).toBe(401);
    expect(bearer.body).toMatch(/NotImplementedByStandIn.*bearer tokens are not verified/);
  });
});
