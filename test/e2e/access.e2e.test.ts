import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadApp } from "../../emulators/functions-host/app-loader.js";
import { startLocalStack, type LocalStack } from "../../scripts/local-stack/index.js";
import { createStateStore, type AuditEntry } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import type { Action } from "../../src/core/model.js";
import { signatureHeaders } from "../../src/contracts/relay/signing.js";

// Who may do what, on the whole local stack (the unchanged app in the local Functions host behind
// the sign-in stand-in, the relay over the TDS test server, Key Vault and BRON stand-ins). Every HTTP
// endpoint the app registers — loaded here exactly as the local host loads them — must have a case
// below: a new endpoint without one fails this suite. For each: a Schooladministratie person of
// school A is refused (403, Dutch) on school B's aanleverpunten and actions and the refusal is
// audited, a Beheerder gets through, and a request without the platform's principal is refused
// (401) by the app itself (as behind App Service Authentication in Azure). Requires `npm run build`.

const repoRoot = join(import.meta.dirname, "..", "..");

interface Req {
  method: string;
  path: string;
  body?: unknown;
}
type Case =
  /** touches one aanleverpunt (route {aanleverpunt}); `destructive`: the Beheerder's check uses an aanleverpunt without data */
  | { kind: "aanleverpunt"; req: (ap: string, actionId: string) => Req; destructive?: boolean }
  /** a list every person with a role may ask for; filtered by their scope */
  | { kind: "lijst"; req: () => Req }
  /** Beheerder only */
  | { kind: "beheerder"; req: () => Req }
  /** any signed-in person (no school involved) */
  | { kind: "aangemeld"; req: () => Req }
  /**
   * The relay → cloud contact API (route prefix relay/v1/): no person at all, the relay authenticates
   * itself (a registration code, or its school's key). The one exception to "401 NIET_AANGEMELD without
   * a principal": it answers 401 with its own Dutch refusal, and a person's principal opens nothing.
   */
  | { kind: "relay"; req: () => Req };

const ap = (rest: string) => (code: string) => ({ method: "GET", path: `/api/aanleverpunten/${code}/${rest}` });
const CASES: Record<string, Case> = {
  aanleverpunten: { kind: "lijst", req: () => ({ method: "GET", path: "/api/aanleverpunten" }) },
  startSyncHandmatig: { kind: "aanleverpunt", req: (c) => ({ method: "POST", path: `/api/aanleverpunten/${c}/sync` }) },
  syncStatus: { kind: "aanleverpunt", req: ap("status") },
  acties: { kind: "aanleverpunt", req: ap("acties") },
  actielijst: { kind: "aanleverpunt", req: ap("actielijst?toon=ALLE") },
  terugkoppelingMislukt: { kind: "aanleverpunt", req: ap("terugkoppeling/mislukt") },
  lvsProblemen: { kind: "aanleverpunt", req: ap("lvs-problemen") },
  dubbeleInschrijvingen: { kind: "aanleverpunt", req: ap("dubbele-inschrijvingen") },
  leerlingen: { kind: "aanleverpunt", req: ap("leerlingen") },
  beslissing: { kind: "aanleverpunt", req: (c, id) => ({ method: "POST", path: `/api/aanleverpunten/${c}/acties/${encodeURIComponent(id)}/beslissing`, body: { keuze: "NEGEREN" } }), destructive: true },
  verwijderActie: { kind: "aanleverpunt", req: (c, id) => ({ method: "DELETE", path: `/api/aanleverpunten/${c}/acties/${encodeURIComponent(id)}` }), destructive: true },
  verwijderNietUitgevoerd: { kind: "aanleverpunt", req: (c) => ({ method: "POST", path: `/api/aanleverpunten/${c}/acties/verwijder-niet-uitgevoerd` }), destructive: true },
  // the beheerpagina's further endpoints (functions/api-beheer.ts)
  beslissingInzage: { kind: "aanleverpunt", req: (c, id) => ({ method: "GET", path: `/api/aanleverpunten/${c}/acties/${encodeURIComponent(id)}/inzage` }) },
  leerlingDetail: { kind: "aanleverpunt", req: ap("leerlingen/100001") },
  handmatigeActie: { kind: "aanleverpunt", req: (c) => ({ method: "POST", path: `/api/aanleverpunten/${c}/handmatige-acties`, body: { type: "IDENTIFICATIEVERZOEK", inschrijvingId: "bestaat-niet" } }), destructive: true },
  onderwijsSindsLijst: { kind: "aanleverpunt", req: ap("onderwijs-sinds") },
  onderwijsSindsVullen: { kind: "aanleverpunt", req: (c) => ({ method: "POST", path: `/api/aanleverpunten/${c}/onderwijs-sinds`, body: { leerlingen: [{ leerlingId: "bestaat-niet", onderwijsSinds: "2020-08-01", rowVersion: "x" }] } }), destructive: true },
  registratieoverzicht: { kind: "aanleverpunt", req: ap("registratieoverzicht") },
  registratieoverzichtAanvragen: { kind: "aanleverpunt", req: (c) => ({ method: "POST", path: `/api/aanleverpunten/${c}/registratieoverzicht`, body: { peildatum: "2999-01-01" } }), destructive: true },
  instellingen: { kind: "aanleverpunt", req: ap("instellingen") },
  instellingenWijzigen: { kind: "aanleverpunt", req: (c) => ({ method: "PUT", path: `/api/aanleverpunten/${c}/instellingen`, body: { verzendwijze: "AUTOMATISCH", tijdstip: "05:00", wachttijdUren: 20 } }), destructive: true },
  voortgang: { kind: "aanleverpunt", req: ap("voortgang") },
  verzendenNaBevestiging: { kind: "aanleverpunt", req: (c) => ({ method: "POST", path: `/api/aanleverpunten/${c}/verzenden` }), destructive: true },
  beslissingen: { kind: "aanleverpunt", req: (c, id) => ({ method: "POST", path: `/api/aanleverpunten/${c}/beslissingen`, body: { keuze: "NEGEREN", acties: [id] } }), destructive: true },
  export: { kind: "aanleverpunt", req: ap("export/acties") },
  termijnen: { kind: "lijst", req: () => ({ method: "GET", path: "/api/termijnen" }) },
  logboek: { kind: "lijst", req: () => ({ method: "GET", path: "/api/logboek" }) },
  logboekExport: { kind: "lijst", req: () => ({ method: "GET", path: "/api/logboek/export" }) },
  beheerpagina: { kind: "aangemeld", req: () => ({ method: "GET", path: "/api/beheer" }) },
  beheerpaginaBestand: { kind: "aangemeld", req: () => ({ method: "GET", path: "/api/beheer/app.js" }) },
  ik: { kind: "aangemeld", req: () => ({ method: "GET", path: "/api/ik" }) },
  toewijzingen: { kind: "beheerder", req: () => ({ method: "GET", path: "/api/toewijzingen" }) },
  toewijzingToevoegen: { kind: "beheerder", req: () => ({ method: "POST", path: "/api/toewijzingen", body: { soort: "persoon", wie: "nieuw@bronsync.example", school: "onbekende-school" } }) },
  aansluitingen: { kind: "beheerder", req: () => ({ method: "GET", path: "/api/aansluitingen" }) },
  // the Beheerder's call is refused by the input check (400) before anything is written
  schoolAansluiten: { kind: "beheerder", req: () => ({ method: "POST", path: "/api/aansluitingen", body: { id: "x" } }) },
  certificaatImporteren: { kind: "beheerder", req: () => ({ method: "POST", path: "/api/aansluitingen/onbekende-school/certificaat", body: { aanleverpunt: "x" } }) },
  aansluitingControleren: { kind: "beheerder", req: () => ({ method: "POST", path: "/api/aansluitingen/onbekende-school/controle" }) },
  schoolActiveren: { kind: "beheerder", req: () => ({ method: "POST", path: "/api/aansluitingen/onbekende-school/activeren" }) },
  registratiecodeVernieuwen: { kind: "beheerder", req: () => ({ method: "POST", path: "/api/aansluitingen/onbekende-school/registratiecode" }) },
  relaySleutelVervangen: { kind: "beheerder", req: () => ({ method: "POST", path: "/api/aansluitingen/onbekende-school/relay-sleutel" }) },
  // the relay contact API: a code nobody was given, a heartbeat without a signature
  relayAanmelden: { kind: "relay", req: () => ({ method: "POST", path: "/api/relay/v1/aanmelden", body: { code: "ABCD-EFGH-JKMN-PQRS", relayVersie: "0.1.0", hostnaam: "server" } }) },
  relayHartslag: { kind: "relay", req: () => ({ method: "POST", path: "/api/relay/v1/hartslag", body: { relayVersie: "0.1.0" } }) },
  relayRelease: { kind: "relay", req: () => ({ method: "GET", path: "/api/relay/v1/releases/0.1.0" }) },
  toewijzingVerwijderen: { kind: "beheerder", req: () => ({ method: "POST", path: "/api/toewijzingen/verwijderen", body: { soort: "persoon", wie: "niemand@bronsync.example", school: "onbekende-school" } }) },
};

interface Status {
  runtimeStatus: string;
  customStatus: { fase: string } | null;
}

describe("who may do what, on every endpoint", () => {
  let stack: LocalStack;
  let dir: string;
  let endpoints: { name: string; route: string; methods: string[] }[];
  /** school A, its person, one of its aanleverpunten; school B likewise; C: an aanleverpunt nobody synchronised */
  let A: { school: string; person: string; ap: string };
  let B: { school: string; person: string; ap: string; actionId: string };
  let apC: string;
  let state: ReturnType<typeof createStateStore>;

  const call = (r: Req, personId?: string) =>
    stack.api(r.path, { method: r.method, ...(r.body === undefined ? {} : { body: JSON.stringify(r.body), headers: { "content-type": "application/json" } }) }, personId);
  const direct = (r: Req, headers: Record<string, string> = {}) =>
    fetch(`${stack.hostUrl}${r.path}`, { method: r.method, headers: { ...headers, ...(r.body === undefined ? {} : { "content-type": "application/json" }) }, ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }) });
  const actionsOf = async (code: string) => ((await (await stack.api(`/api/aanleverpunten/${code}/acties`)).json()) as { acties: Action[] }).acties;

  async function syncUntilWaiting(code: string): Promise<void> {
    expect((await stack.api(`/api/aanleverpunten/${code}/sync`, { method: "POST" })).status).toBe(202);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await stack.api(`/api/aanleverpunten/${code}/status`);
      const s = r.status === 200 ? ((await r.json()) as Status) : undefined;
      if (s?.customStatus?.fase === "WACHT_OP_BESLISSING") return;
      if (s?.runtimeStatus === "Failed" || Date.now() > deadline) throw new Error(`sync of ${code} did not reach WACHT_OP_BESLISSING: ${JSON.stringify(s)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bronsync-access-"));
    stack = await startLocalStack({ dataDir: dir, today: new Date().toISOString().slice(0, 10), hostPort: 0, persistent: false, leerlingen: 40 });
    const { registry } = await loadApp(repoRoot);
    endpoints = [...registry.functions.values()]
      .filter((f) => String(f.trigger.type) === "httpTrigger")
      .map((f) => ({ name: f.name, route: String(f.trigger.route ?? f.name), methods: (f.trigger.methods as string[] | undefined) ?? ["GET", "POST"] }));
    const [a, b, c] = stack.access.schools;
    A = { school: a!.id, person: stack.access.administratie(a!.id).id, ap: a!.aanleverpunten[0]!.code };
    apC = c!.aanleverpunten[0]!.code;
    const bAp = b!.aanleverpunten[0]!.code;
    await syncUntilWaiting(bAp);
    const waiting = (await actionsOf(bAp)).find((x) => x.status === "OPEN" && x.needsDecision && x.decision === null);
    B = { school: b!.id, person: stack.access.administratie(b!.id).id, ap: bAp, actionId: waiting!.id };
    state = createStateStore({ tables: tablesFromConnectionString(stack.azurite.connectionString), blobs: BlobServiceClient.fromConnectionString(stack.azurite.connectionString).getContainerClient("state-blobs") });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every HTTP endpoint the app registers has an authorisation case here (and every case an endpoint)", () => {
    expect(endpoints.length).toBeGreaterThan(10);
    const missing = endpoints.filter((e) => !(e.name in CASES)).map((e) => `${e.name} (${e.methods.join(",")} ${e.route})`);
    expect(missing, "endpoints without an authorisation test case").toEqual([]);
    expect(Object.keys(CASES).filter((n) => !endpoints.some((e) => e.name === n)), "cases of endpoints that do not exist").toEqual([]);
    for (const e of endpoints) expect(CASES[e.name]!.kind === "aanleverpunt", `${e.name}: {aanleverpunt} in the route iff an aanleverpunt case`).toBe(e.route.includes("{aanleverpunt}"));
    // the exception to "a person is needed" is narrow: exactly the relay/v1/ routes, and only those
    for (const e of endpoints) expect(CASES[e.name]!.kind === "relay", `${e.name}: relay/v1/ in the route iff a relay case`).toBe(e.route.startsWith("relay/v1/"));
  });

  it("without the platform's principal the app refuses every endpoint: 401 with a Dutch melding", async () => {
    for (const [name, c] of Object.entries(CASES)) {
      const r = await direct(c.kind === "aanleverpunt" ? c.req(B.ap, B.actionId) : c.req());
      expect(r.status, name).toBe(401);
      // the relay endpoints (the one exception, see Case): refused by their own check, in Dutch
      if (c.kind === "relay") expect(await r.json(), name).toMatchObject({ fout: expect.stringMatching(/^(CODE_ONBEKEND|NIET_ONDERTEKEND)$/), melding: expect.stringMatching(/registratiecode is onbekend|niet ondertekend/) });
      else expect(await r.json(), name).toMatchObject({ fout: "NIET_AANGEMELD", melding: expect.stringContaining("niet aangemeld") });
    }
    // a principal the platform never made (not base64 JSON of its shape) is no principal either
    const forged = await direct(CASES.acties!.kind === "aanleverpunt" ? ap("acties")(B.ap) : { method: "GET", path: "/" }, { "x-ms-client-principal": "bm90IGpzb24=", "x-ms-client-principal-name": "x" });
    expect(forged.status).toBe(401);
  });

  it("Schooladministratie of school A is refused on every endpoint for school B's aanleverpunt and actions (403, Dutch), and nothing of B changes", async () => {
    const before = await actionsOf(B.ap);
    for (const [name, c] of Object.entries(CASES)) {
      if (c.kind !== "aanleverpunt") continue;
      const r = await call(c.req(B.ap, B.actionId), A.person);
      expect(r.status, name).toBe(403);
      const body = (await r.json()) as { fout: string; melding: string };
      expect(body, name).toMatchObject({ fout: "GEEN_TOEGANG", melding: `U heeft geen toegang tot aanleverpunt ${B.ap}: het hoort niet bij een school die aan u is toegewezen.` });
      expect(body.melding, name).not.toContain(B.school);
    }
    expect(await actionsOf(B.ap)).toEqual(before);
  });

  it("an action id of school B under school A's own aanleverpunt is not found: B's action stays as it was", async () => {
    const before = (await actionsOf(B.ap)).find((a) => a.id === B.actionId);
    for (const name of ["beslissing", "verwijderActie"] as const) {
      const c = CASES[name]!;
      if (c.kind !== "aanleverpunt") throw new Error("aanleverpunt case expected");
      const r = await call(c.req(A.ap, B.actionId), A.person);
      expect(r.status, name).toBe(404);
      expect(((await r.json()) as { melding: string }).melding, name).toMatch(/bestaat niet/);
    }
    expect((await actionsOf(B.ap)).find((a) => a.id === B.actionId)).toEqual(before);
  });

  it("the Beheerder gets through on every endpoint, for every school", async () => {
    for (const [name, c] of Object.entries(CASES)) {
      if (c.kind === "relay") continue; // a person's principal opens no relay endpoint: next test
      const req = c.kind === "aanleverpunt" ? (c.destructive ? c.req(apC, "bestaat-niet") : c.req(B.ap, B.actionId)) : c.req();
      const r = await call(req);
      expect([401, 403], `${name}: ${r.status} ${await r.clone().text()}`).not.toContain(r.status);
      expect(r.status, name).toBeLessThan(500);
    }
    expect((await actionsOf(B.ap)).length).toBeGreaterThan(0);
    const all = ((await (await call({ method: "GET", path: "/api/aanleverpunten" })).json()) as { aanleverpunten: { code: string }[] }).aanleverpunten.map((a) => a.code);
    expect(all).toEqual(stack.demo.aanleverpunten.map((a) => a.code));
  });

  it("school B's own person (assigned through an Entra group) works on B: reads its actions and may decide", async () => {
    const r = await stack.api(`/api/aanleverpunten/${B.ap}/actielijst?toon=ALLE`, {}, B.person);
    expect(r.status).toBe(200);
    const decided = await stack.api(`/api/aanleverpunten/${B.ap}/acties/${encodeURIComponent(B.actionId)}/beslissing`, { method: "POST", body: JSON.stringify({ keuze: "NEGEREN" }), headers: { "content-type": "application/json" } }, B.person);
    expect(decided.status).toBe(200);
    expect((await actionsOf(B.ap)).find((a) => a.id === B.actionId)?.decision).toMatchObject({ keuze: "NEGEREN", door: stack.access.administratie(B.school).email });
    expect(await (await stack.api(`/api/aanleverpunten/${A.ap}/acties`, {}, B.person)).json()).toMatchObject({ fout: "GEEN_TOEGANG" });
  });

  it("lists are filtered: each school's person sees only their school's aanleverpunten; a person without a role is refused", async () => {
    for (const s of stack.access.schools) {
      const r = await stack.api("/api/aanleverpunten", {}, stack.access.administratie(s.id).id);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { aanleverpunten: { code: string }[] }).aanleverpunten.map((a) => a.code)).toEqual(s.aanleverpunten.map((a) => a.code));
    }
    const gast = await stack.api("/api/aanleverpunten", {}, stack.access.gast.id);
    expect(gast.status).toBe(403);
    expect(await gast.json()).toMatchObject({ fout: "GEEN_TOEGANG", melding: expect.stringContaining("geen rol") });
    const ik = (await (await stack.api("/api/ik", {}, A.person)).json()) as { rol: string; scholen: { id: string }[] };
    expect(ik).toMatchObject({ rol: "Schooladministratie", scholen: [{ id: A.school }] });
  });

  it("the relay endpoints take no person: a Beheerder's principal opens nothing, another school's relay key is refused, the school's own key works", async () => {
    for (const [name, c] of Object.entries(CASES)) {
      if (c.kind !== "relay") continue;
      const r = await call(c.req());
      expect(r.status, name).toBe(401);
    }
    const [a, b] = stack.schools;
    const heartbeat = (school: string, key: Buffer) => {
      const body = JSON.stringify({ relayVersie: "0.1.0", apiVersie: "3", lvs2000Versie: "2.10.0001", database: { ok: true, melding: null } });
      const signed = signatureHeaders(key, { method: "POST", pathAndQuery: "/api/relay/v1/hartslag", body });
      return fetch(`${stack.hostUrl}/api/relay/v1/hartslag`, { method: "POST", headers: { ...signed, "x-relay-school": school, "content-type": "application/json" }, body });
    };
    const other = await heartbeat(a!.id, b!.key);
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({ fout: "ONGELDIGE_HANDTEKENING", melding: expect.stringContaining("klopt niet voor deze school") });
    const own = await heartbeat(a!.id, a!.key);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ geaccepteerd: true, nieuweSleutel: null });
    const refusals = (await state.listAudit("toegang")).filter((e) => e.op === "GEWEIGERD" && e.details.endpoint === "relayHartslag");
    expect(refusals.some((e) => e.details.school === a!.id && e.door === `relay:${a!.id}`)).toBe(true);
  });

  it("Beheerder-only endpoints refuse a Schooladministratie person (403, Dutch)", async () => {
    for (const [name, c] of Object.entries(CASES)) {
      if (c.kind !== "beheerder") continue;
      const r = await call(c.req(), A.person);
      expect(r.status, name).toBe(403);
      expect(((await r.json()) as { melding: string }).melding, name).toMatch(/^Alleen een Beheerder mag dit/);
    }
  });

  it("every refusal is in the audit trail: who (object id), what, which school — no name or e-mail address", async () => {
    const entries: AuditEntry[] = (await state.listAudit(B.ap)).filter((e) => e.op === "GEWEIGERD");
    const fromA = entries.filter((e) => e.door === A.person);
    for (const [name, c] of Object.entries(CASES)) {
      if (c.kind !== "aanleverpunt") continue;
      expect(fromA.find((e) => e.details.endpoint === name), name).toMatchObject({ details: { status: 403, school: B.school, aanleverpunt: B.ap, rol: "Schooladministratie" } });
    }
    const unauthenticated = entries.filter((e) => e.door === "onbekend");
    expect(unauthenticated.length).toBe(0); // 401s have no aanleverpunt partition: they are under "toegang"
    expect((await state.listAudit("toegang")).filter((e) => e.op === "GEWEIGERD" && e.details.status === 401).length).toBeGreaterThanOrEqual(Object.keys(CASES).length);
    const text = JSON.stringify(entries);
    for (const p of stack.access.people) {
      expect(text).not.toContain(p.email);
      expect(text).not.toContain(p.naam);
    }
  });

  it("the Beheerder keeps the assignment table: assigning school B to A's person opens B to them, removing closes it again", async () => {
    const email = stack.access.administratie(A.school).email;
    const t = { soort: "persoon", wie: email.toUpperCase(), school: B.school };
    expect((await stack.api("/api/toewijzingen", { method: "POST", body: JSON.stringify(t), headers: { "content-type": "application/json" } })).status).toBe(201);
    expect((await stack.api(`/api/aanleverpunten/${B.ap}/acties`, {}, A.person)).status).toBe(200);
    const listed = ((await (await stack.api("/api/toewijzingen")).json()) as { toewijzingen: { wie: string; school: string; door: string }[] }).toewijzingen;
    expect(listed).toContainEqual(expect.objectContaining({ wie: email, school: B.school, door: stack.access.beheerder.email }));
    expect((await stack.api("/api/toewijzingen/verwijderen", { method: "POST", body: JSON.stringify(t), headers: { "content-type": "application/json" } })).status).toBe(200);
    expect((await stack.api(`/api/aanleverpunten/${B.ap}/acties`, {}, A.person)).status).toBe(403);
    const unknown = await stack.api("/api/toewijzingen", { method: "POST", body: JSON.stringify({ ...t, school: "bestaat-niet" }), headers: { "content-type": "application/json" } });
    expect(await unknown.json()).toMatchObject({ fout: "ONBEKENDE_SCHOOL", melding: "School bestaat-niet bestaat niet." });
  });

  it("the sign-in stand-in: a browser without a session goes to the login page, a script gets 401, and a principal header a client sends is dropped", async () => {
    const page = await fetch(`${stack.functionsUrl}/api/beheer`, { redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fbeheer");
    const xhr = await fetch(`${stack.functionsUrl}/api/aanleverpunten`, { headers: { "x-requested-with": "XMLHttpRequest" } });
    expect(xhr.status).toBe(401);
    const forged = await fetch(`${stack.functionsUrl}/api/aanleverpunten`, { redirect: "manual", headers: stack.signIn.principalHeaders(stack.access.beheerder.id) });
    expect(forged.status).toBe(302);
    // a session cookie as a browser gets it; the principal the app then sees is the chosen person's
    const login = await fetch(`${stack.functionsUrl}/.auth/login/aad/callback`, { method: "POST", redirect: "manual", body: new URLSearchParams({ persoon: A.person, post_login_redirect_uri: "/api/ik" }) });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const ik = await fetch(`${stack.functionsUrl}/api/ik`, { headers: { cookie, ...stack.signIn.principalHeaders(stack.access.beheerder.id) } });
    expect(await ik.json()).toMatchObject({ naam: stack.access.administratie(A.school).email, rol: "Schooladministratie" });
    const out = await fetch(`${stack.functionsUrl}/.auth/logout?post_logout_redirect_uri=/api/beheer`, { redirect: "manual", headers: { cookie } });
    expect(out.status).toBe(302);
    expect((await fetch(`${stack.functionsUrl}/api/ik`, { redirect: "manual", headers: { cookie } })).status).toBe(302);
  });
});
