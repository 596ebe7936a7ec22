import { signatureHeaders } from "../../src/contracts/relay/signing.js";
import { send, sendRaw, type Endpoint, type Outcome } from "./wire.js";

/**
 * The hostile requests, per endpoint group: malformed URLs and paths, oversized and truncated
 * bodies, wrong content types, invalid JSON, huge numbers, deep nesting, long ids (10 000
 * characters), and for the relay unsigned, expired, replayed and tampered calls. None of them is a
 * valid write: nothing here changes LVS2000 or BRON. `short` keeps a representative subset (for the
 * vitest e2e test); the full list runs in `npm run hostile`.
 */

export interface HostileTargets {
  /** the Functions host, e.g. http://127.0.0.1:7071 */
  functionsUrl: string;
  /** sent with every request to the app: the principal of a signed-in person, as the platform forwards it */
  appHeaders?: Record<string, string>;
  relay: Endpoint;
  relayKey: Buffer;
  /** an aanleverpunt that exists */
  aanleverpunt: string;
}

export interface Probe {
  group: string;
  name: string;
  /** also in the short run */
  short: boolean;
  run(): Promise<Outcome>;
}

export const GROUPS = {
  api: "beheer-API (functions/api.ts)",
  page: "beheerpagina (functions/admin-page.ts)",
  relay: "relay (src/relay)",
  contact: "relay → cloud (functions/api-relay.ts)",
  host: "Functions-host, voordeur (lokale stand-in)",
} as const;

const LONG = "A".repeat(10_000);
const MB2 = Buffer.alloc(2 * 1024 * 1024, 0x7b); // "{{{{…"
const DEEP = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`;
const HUGE_NUMBERS = '{"keuze": 1e309, "n": 123456789012345678901234567890123456789012345678901234567890, "m": -1e-400}';

const BAD_AP = [
  ["te kort", "x"],
  ["10 000 tekens", LONG],
  ["%-teken zonder hex", "%zz"],
  ["pad omhoog", "..%2F..%2Fhost.json"],
  ["nul-byte", "12AB00%00"],
  ["CRLF-injectie", "12AB00%0d%0aX-Kop:%20ja"],
  ["script", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"],
  ["emoji", "%F0%9F%98%80%F0%9F%98%80"],
  ["ongeldige UTF-8", "%C3%28%FF"],
] as const;

const READ_ROUTES = ["status", "acties", "actielijst", "terugkoppeling/mislukt", "dubbele-inschrijvingen", "leerlingen"] as const;

export function buildProbes(t: HostileTargets): Probe[] {
  const app: Endpoint = { base: t.functionsUrl, ...(t.appHeaders ? { headers: t.appHeaders } : {}) };
  const ap = t.aanleverpunt;
  const apPath = (rest: string, code = ap) => `/api/aanleverpunten/${code}/${rest}`;
  const probes: Probe[] = [];
  const add = (group: string, name: string, short: boolean, run: () => Promise<Outcome>) => probes.push({ group, name, short, run });

  // ---- admin API: reads ----
  for (const route of READ_ROUTES) {
    for (const [what, code] of BAD_AP) add(GROUPS.api, `GET ${route} met aanleverpunt: ${what}`, route === "status" || what === "10 000 tekens", () => send(app, { path: apPath(route, code) }));
  }
  for (const route of ["actielijst", "leerlingen"]) {
    add(GROUPS.api, `GET ${route}?toon= 10 000 tekens`, route === "actielijst", () => send(app, { path: `${apPath(route)}?toon=${LONG}` }));
    add(GROUPS.api, `GET ${route}?toon=ONBEKEND`, false, () => send(app, { path: `${apPath(route)}?toon=ONBEKEND` }));
    add(GROUPS.api, `GET ${route}?toon=%zz`, false, () => send(app, { path: `${apPath(route)}?toon=%zz` }));
    add(GROUPS.api, `GET ${route} met toon twee keer`, false, () => send(app, { path: `${apPath(route)}?toon=ALLE&toon=%00` }));
  }
  add(GROUPS.api, "GET aanleverpunten met rare query", false, () => send(app, { path: `/api/aanleverpunten?${"a=1&".repeat(2000)}` }));

  // ---- admin API: writes ----
  const beslissing = (id = "ACTIE-1") => apPath(`acties/${id}/beslissing`);
  const json = { "content-type": "application/json" };
  add(GROUPS.api, "POST beslissing als text/plain (geldige JSON)", true, () => send(app, { method: "POST", path: beslissing(), headers: { "content-type": "text/plain" }, body: '{"keuze":"NEGEREN"}' }));
  add(GROUPS.api, "POST beslissing als formulier", false, () => send(app, { method: "POST", path: beslissing(), headers: { "content-type": "application/x-www-form-urlencoded" }, body: "keuze=NEGEREN" }));
  add(GROUPS.api, "POST beslissing zonder type", false, () => send(app, { method: "POST", path: beslissing(), body: '{"keuze":"NEGEREN"}' }));
  add(GROUPS.api, "POST beslissing met ongeldige JSON", true, () => send(app, { method: "POST", path: beslissing(), headers: json, body: '{"keuze": NEGEREN' }));
  add(GROUPS.api, "POST beslissing met lege body", false, () => send(app, { method: "POST", path: beslissing(), headers: json, body: "" }));
  add(GROUPS.api, "POST beslissing met enorme getallen", true, () => send(app, { method: "POST", path: beslissing(), headers: json, body: HUGE_NUMBERS }));
  add(GROUPS.api, "POST beslissing met diep geneste JSON (array)", false, () => send(app, { method: "POST", path: beslissing(), headers: json, body: DEEP }));
  add(GROUPS.api, "POST beslissing met diep geneste JSON (object)", true, () => send(app, { method: "POST", path: beslissing(), headers: json, body: DEEP_OBJECT }));
  add(GROUPS.api, "POST beslissing met __proto__", false, () => send(app, { method: "POST", path: beslissing(), headers: json, body: '{"__proto__":{"keuze":"NEGEREN"},"constructor":{"prototype":{"x":1}}}' }));
  add(GROUPS.api, "POST beslissing met 2 MB body", true, () => send(app, { method: "POST", path: beslissing(), headers: json, body: MB2 }));
  add(GROUPS.api, "POST beslissing met actie-id van 10 000 tekens", true, () => send(app, { method: "POST", path: beslissing(LONG), headers: json, body: '{"keuze":"NEGEREN"}' }));
  add(GROUPS.api, "POST beslissing met actie-id %zz", false, () => send(app, { method: "POST", path: beslissing("%zz"), headers: json, body: '{"keuze":"NEGEREN"}' }));
  add(GROUPS.api, "POST beslissing met ander Origin (zonder Sec-Fetch-Site)", true, () => send(app, { method: "POST", path: beslissing(), headers: { ...json, origin: "https://evil.example" }, body: '{"keuze":"NEGEREN"}' }));
  add(GROUPS.api, "POST beslissing met Origin null", false, () => send(app, { method: "POST", path: beslissing(), headers: { ...json, origin: "null" }, body: '{"keuze":"NEGEREN"}' }));
  add(GROUPS.api, "POST beslissing, afgekapte body", true, () =>
    sendRaw(app, `POST ${beslissing()} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"keuze":`, { waitMs: 3_000 }).then(truncatedIsFine));
  add(GROUPS.api, "DELETE actie met id van 10 000 tekens", true, () => send(app, { method: "DELETE", path: apPath(`acties/${LONG}`) }));
  add(GROUPS.api, "DELETE actie met text/plain body", false, () => send(app, { method: "DELETE", path: apPath("acties/ACTIE-1"), headers: { "content-type": "text/plain" }, body: "x" }));
  add(GROUPS.api, "POST verwijder-niet-uitgevoerd als formulier", false, () => send(app, { method: "POST", path: apPath("acties/verwijder-niet-uitgevoerd"), headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" }));
  add(GROUPS.api, "POST verwijder-niet-uitgevoerd vanaf andere site", false, () => send(app, { method: "POST", path: apPath("acties/verwijder-niet-uitgevoerd"), headers: { "sec-fetch-site": "cross-site" } }));
  add(GROUPS.api, "POST verwijder-niet-uitgevoerd met ongeldig aanleverpunt", false, () => send(app, { method: "POST", path: apPath("acties/verwijder-niet-uitgevoerd", LONG), headers: json, body: "{}" }));
  add(GROUPS.api, "POST sync met ongeldig aanleverpunt", false, () => send(app, { method: "POST", path: apPath("sync", "%zz") }));
  add(GROUPS.api, "POST sync als text/plain met ongeldig aanleverpunt", false, () => send(app, { method: "POST", path: apPath("sync", "ZZ%2F.."), headers: { "content-type": "text/plain" }, body: "x" }));

  // ---- admin API: the beheerpagina's further endpoints (functions/api-beheer.ts) ----
  add(GROUPS.api, "GET actielijst?vanaf=-1&aantal=1e9", true, () => send(app, { path: `${apPath("actielijst")}?vanaf=-1&aantal=1e9` }));
  add(GROUPS.api, "GET leerling met nummer van 10 000 tekens", true, () => send(app, { path: apPath(`leerlingen/${LONG}`) }));
  add(GROUPS.api, "GET leerling met pad omhoog", false, () => send(app, { path: apPath("leerlingen/..%2F..%2Fhost.json") }));
  add(GROUPS.api, "GET inzage van actie %zz", false, () => send(app, { path: apPath("acties/%zz/inzage") }));
  add(GROUPS.api, "GET export van onbekende soort", false, () => send(app, { path: apPath("export/%3Cscript%3E") }));
  add(GROUPS.api, "GET logboek met ongeldige datum en soort", true, () => send(app, { path: "/api/logboek?van=2026-02-30&soort=ONBEKEND" }));
  add(GROUPS.api, "GET logboek met leerling van 10 000 tekens", false, () => send(app, { path: `/api/logboek?leerling=${LONG}` }));
  add(GROUPS.api, "GET logboek/export met aanleverpunt %zz", false, () => send(app, { path: "/api/logboek/export?aanleverpunt=%zz" }));
  add(GROUPS.api, "POST onderwijs-sinds met ongeldige JSON", true, () => send(app, { method: "POST", path: apPath("onderwijs-sinds"), headers: json, body: '{"leerlingen": [' }));
  add(GROUPS.api, "POST onderwijs-sinds met 2 MB body", false, () => send(app, { method: "POST", path: apPath("onderwijs-sinds"), headers: json, body: MB2 }));
  add(GROUPS.api, "POST onderwijs-sinds met 5000 leerlingen", false, () =>
    send(app, { method: "POST", path: apPath("onderwijs-sinds"), headers: json, body: JSON.stringify({ leerlingen: Array.from({ length: 5000 }, (_, i) => ({ leerlingId: `L${i}`, onderwijsSinds: "2020-08-01", rowVersion: "x" })) }) }),
  );
  add(GROUPS.api, "POST onderwijs-sinds met datum 30 februari", false, () => send(app, { method: "POST", path: apPath("onderwijs-sinds"), headers: json, body: '{"leerlingen":[{"leerlingId":"L1","onderwijsSinds":"2020-02-30","rowVersion":"x"}]}' }));
  add(GROUPS.api, "POST handmatige actie van onbekende soort", true, () => send(app, { method: "POST", path: apPath("handmatige-acties"), headers: json, body: '{"type":"ALLES_WISSEN","inschrijvingId":"I1"}' }));
  add(GROUPS.api, "POST handmatige actie als formulier", false, () => send(app, { method: "POST", path: apPath("handmatige-acties"), headers: { "content-type": "application/x-www-form-urlencoded" }, body: "type=IDENTIFICATIEVERZOEK" }));
  add(GROUPS.api, "POST registratieoverzicht met peildatum %00", false, () => send(app, { method: "POST", path: apPath("registratieoverzicht"), headers: json, body: '{"peildatum":"\u0000"}' }));
  add(GROUPS.api, "PUT instellingen met enorme getallen", true, () => send(app, { method: "PUT", path: apPath("instellingen"), headers: json, body: '{"verzendwijze":"AUTOMATISCH","tijdstip":"05:00","wachttijdUren":1e309}' }));
  add(GROUPS.api, "POST beslissingen met 100 000 acties", false, () => send(app, { method: "POST", path: apPath("beslissingen"), headers: json, body: JSON.stringify({ keuze: "NEGEREN", acties: Array.from({ length: 100_000 }, (_, i) => `A${i}`) }) }));
  add(GROUPS.api, "POST verzenden vanaf andere site", false, () => send(app, { method: "POST", path: apPath("verzenden"), headers: { "sec-fetch-site": "cross-site" } }));

  // ---- relay releases (functions/api-relay-releases.ts): no signature, hostile versions ----
  for (const [what, versie] of [["pad omhoog", "..%2F..%2Fhost.json"], ["10 000 tekens", LONG], ["nul-byte", "0.1.0%00"], ["ongeldige UTF-8", "%C3%28"]] as const) {
    add(GROUPS.api, `GET relay-release zonder handtekening, versie: ${what}`, what === "pad omhoog", () => send(app, { path: `/api/relay/v1/releases/${versie}` }));
  }
  add(GROUPS.api, "GET relay-release met kapotte handtekening en onbekende school", false, () =>
    // 2 × 4,000 characters: under the front door's 16 KB header limit, so the app's own check is what answers
    send(app, { path: "/api/relay/v1/releases/0.1.0", headers: { "x-relay-school": "s".repeat(4000), "x-relay-timestamp": "1e309", "x-relay-nonce": "%00", "x-relay-signature": "x".repeat(4000) } }),
  );

  // ---- beheerpagina ----
  for (const [what, file] of [
    ["pad omhoog", "..%2F..%2Fpackage.json"],
    ["pad omhoog (dubbel gecodeerd)", "%252e%252e%252fhost.json"],
    ["nul-byte", "index.html%00.js"],
    ["10 000 tekens", `${LONG}.js`],
    ["onbekend type", "app.exe"],
    ["hoofdletters", "INDEX.HTML"],
    ["bestaat niet", "bestaat-niet.js"],
    ["ongeldige UTF-8", "%C3%28.js"],
    ["backslash", "..%5C..%5Cpackage.json"],
  ] as const) {
    add(GROUPS.page, `GET beheer/${what}`, what === "pad omhoog" || what === "10 000 tekens", () => send(app, { path: `/api/beheer/${file}` }));
  }

  // ---- relay ----
  const r = t.relay;
  const signed = (method: string, path: string, body = "", headers: Record<string, string> = {}, at = Date.now()) =>
    send(r, { method, path, body, headers: { ...signatureHeaders(t.relayKey, { method, pathAndQuery: path, body: Buffer.from(body) }, at), ...headers } });
  const rawTarget = (target: string) => sendRaw(r, `GET ${target} HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n`);
  add(GROUPS.relay, "GET http://[/v1/health (kapotte URL)", true, () => rawTarget("http://[/v1/health"));
  add(GROUPS.relay, "GET http://relay:99999/v1/health", false, () => rawTarget("http://relay:99999/v1/health"));
  add(GROUPS.relay, "GET /v1/%zz", false, () => rawTarget("/v1/%zz"));
  add(GROUPS.relay, "GET * ", false, () => rawTarget("*"));
  add(GROUPS.relay, "GET pad van 10 000 tekens", true, () => rawTarget(`/v1/aanleverpunten/${LONG}/snapshot`));
  add(GROUPS.relay, "kopregel van 20 000 tekens", true, () => sendRaw(r, `GET /v1/health HTTP/1.1\r\nHost: relay\r\nX-Lang: ${"a".repeat(20_000)}\r\nConnection: close\r\n\r\n`));
  add(GROUPS.relay, "bytes die geen HTTP zijn", false, () => sendRaw(r, "HALLO DAAR\r\n\r\n"));
  add(GROUPS.relay, "Content-Length negatief", false, () => sendRaw(r, "POST /v1/writes HTTP/1.1\r\nHost: relay\r\nContent-Length: -5\r\n\r\n"));
  add(GROUPS.relay, "onondertekend GET /v1/health", true, () => send(r, { path: "/v1/health" }));
  add(GROUPS.relay, "onondertekend POST /v1/writes", false, () => send(r, { method: "POST", path: "/v1/writes", headers: { "content-type": "application/json" }, body: "{}" }));
  add(GROUPS.relay, "verlopen handtekening", true, () => signed("GET", "/v1/aanleverpunten", "", {}, Date.now() - 3_600_000));
  add(GROUPS.relay, "handtekening uit de toekomst", false, () => signed("GET", "/v1/aanleverpunten", "", {}, Date.now() + 3_600_000));
  add(GROUPS.relay, "herhaald verzoek (zelfde nonce)", true, async () => {
    const h = signatureHeaders(t.relayKey, { method: "GET", pathAndQuery: "/v1/aanleverpunten", body: Buffer.alloc(0) }, Date.now());
    await send(r, { path: "/v1/aanleverpunten", headers: h });
    return send(r, { path: "/v1/aanleverpunten", headers: h });
  });
  add(GROUPS.relay, "gewijzigde body na ondertekenen", true, () => {
    const body = '{"requestId":"abcdefgh-1","rowVersion":"1","write":{}}';
    const h = signatureHeaders(t.relayKey, { method: "POST", pathAndQuery: "/v1/writes", body: Buffer.from(body) }, Date.now());
    return send(r, { method: "POST", path: "/v1/writes", headers: { ...h, "content-type": "application/json" }, body: body.replace("abcdefgh", "zzzzzzzz") });
  });
  add(GROUPS.relay, "gewijzigd pad na ondertekenen", false, () => {
    const h = signatureHeaders(t.relayKey, { method: "GET", pathAndQuery: "/v1/health", body: Buffer.alloc(0) }, Date.now());
    return send(r, { path: "/v1/aanleverpunten", headers: h });
  });
  add(GROUPS.relay, "handtekening van 10 000 tekens", false, () => send(r, { path: "/v1/health", headers: { "x-relay-timestamp": String(Date.now()), "x-relay-nonce": "abcdefghijklmnop", "x-relay-signature": LONG } }));
  add(GROUPS.relay, "tijdstempel 1e309", false, () => send(r, { path: "/v1/health", headers: { "x-relay-timestamp": "1e309", "x-relay-nonce": "abcdefghijklmnop", "x-relay-signature": "AAAA" } }));
  add(GROUPS.relay, "ondertekend: ongeldige JSON", true, () => signed("POST", "/v1/writes", '{"requestId": ', { "content-type": "application/json" }));
  add(GROUPS.relay, "ondertekend: enorme getallen", true, () => signed("POST", "/v1/writes", `{"requestId":"abcdefgh-2","rowVersion":1e309,"write":{"soort":"SET_PGN","leerlingId":123456789012345678901234567890}}`, { "content-type": "application/json" }));
  add(GROUPS.relay, "ondertekend: diep genest", false, () => signed("POST", "/v1/writes", DEEP_OBJECT, { "content-type": "application/json" }));
  add(GROUPS.relay, "ondertekend: onbekende schrijfsoort", false, () => signed("POST", "/v1/writes", '{"requestId":"abcdefgh-3","rowVersion":"1","write":{"soort":"DROP_TABLE"}}', { "content-type": "application/json" }));
  add(GROUPS.relay, "ondertekend: requestId van 10 000 tekens", false, () => signed("POST", "/v1/writes", JSON.stringify({ requestId: LONG, rowVersion: "1", write: { soort: "SET_PGN" } }), { "content-type": "application/json" }));
  add(GROUPS.relay, "ondertekend: 2 MB body", true, () => {
    const h = signatureHeaders(t.relayKey, { method: "POST", pathAndQuery: "/v1/writes", body: MB2 }, Date.now());
    return send(r, { method: "POST", path: "/v1/writes", headers: { ...h, "content-type": "application/json" }, body: MB2 });
  });
  add(GROUPS.relay, "onondertekend: 2 MB body", false, () => send(r, { method: "POST", path: "/v1/writes", headers: { "content-type": "application/json" }, body: MB2 }));
  add(GROUPS.relay, "afgekapte body", true, () =>
    sendRaw(r, "POST /v1/writes HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"requestId\":", { waitMs: 3_000 }).then(truncatedIsFine));
  add(GROUPS.relay, "ondertekend: snapshot van aanleverpunt met 10 000 tekens", false, () => signed("GET", `/v1/aanleverpunten/${LONG}/snapshot`));
  add(GROUPS.relay, "ondertekend: snapshot limit=1e309", true, () => signed("GET", `/v1/aanleverpunten/${ap}/snapshot?limit=1e309`));
  add(GROUPS.relay, "ondertekend: snapshot limit=-1", false, () => signed("GET", `/v1/aanleverpunten/${ap}/snapshot?limit=-1`));
  add(GROUPS.relay, "ondertekend: snapshot cursor van 10 000 tekens", false, () => signed("GET", `/v1/aanleverpunten/${ap}/snapshot?cursor=${LONG}`));
  add(GROUPS.relay, "ondertekend: snapshot.ndjson van onbekend aanleverpunt", false, () => signed("GET", "/v1/aanleverpunten/99ZZ99/snapshot.ndjson"));
  add(GROUPS.relay, "ondertekend: onbekende route", false, () => signed("GET", "/v1/../../etc/passwd"));
  add(GROUPS.relay, "ondertekend: DELETE /v1/writes", false, () => signed("DELETE", "/v1/writes"));

  // ---- the relay → cloud contact API (no person: a registration code, or the school's relay key) ----
  const cloud: Endpoint = { base: t.functionsUrl };
  const hartslag = (headers: Record<string, string>, body = '{"relayVersie":"0.1.0"}') => send(cloud, { method: "POST", path: "/api/relay/v1/hartslag", headers: { ...json, ...headers }, body });
  const nonce = { "x-relay-nonce": "abcdefghijklmnop" };
  add(GROUPS.contact, "POST aanmelden met ongeldige JSON", true, () => send(cloud, { method: "POST", path: "/api/relay/v1/aanmelden", headers: json, body: '{"code": ' }));
  add(GROUPS.contact, "POST aanmelden met code van 10 000 tekens", true, () => send(cloud, { method: "POST", path: "/api/relay/v1/aanmelden", headers: json, body: JSON.stringify({ code: LONG, relayVersie: "0.1.0", hostnaam: "x" }) }));
  add(GROUPS.contact, "POST aanmelden met diep geneste JSON", false, () => send(cloud, { method: "POST", path: "/api/relay/v1/aanmelden", headers: json, body: DEEP_OBJECT }));
  add(GROUPS.contact, "POST aanmelden met 2 MB body", true, () => send(cloud, { method: "POST", path: "/api/relay/v1/aanmelden", headers: json, body: MB2 }));
  add(GROUPS.contact, "POST aanmelden als formulier", false, () => send(cloud, { method: "POST", path: "/api/relay/v1/aanmelden", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "code=ABCD" }));
  add(GROUPS.contact, "POST hartslag onondertekend", true, () => hartslag({}));
  add(GROUPS.contact, "POST hartslag met school van 10 000 tekens", true, () => hartslag({ ...signatureHeaders(t.relayKey, { method: "POST", pathAndQuery: "/api/relay/v1/hartslag", body: Buffer.from('{"relayVersie":"0.1.0"}') }), "x-relay-school": LONG }));
  add(GROUPS.contact, "POST hartslag met handtekening van 10 000 tekens", false, () => hartslag({ "x-relay-timestamp": String(Date.now()), ...nonce, "x-relay-signature": LONG, "x-relay-school": "school-a" }));
  add(GROUPS.contact, "POST hartslag met tijdstempel 1e309", false, () => hartslag({ "x-relay-timestamp": "1e309", ...nonce, "x-relay-signature": "AAAA", "x-relay-school": "school-a" }));
  add(GROUPS.contact, "POST hartslag uit de toekomst", true, () => hartslag({ ...signatureHeaders(t.relayKey, { method: "POST", pathAndQuery: "/api/relay/v1/hartslag", body: Buffer.from('{"relayVersie":"0.1.0"}') }, Date.now() + 3_600_000), "x-relay-school": "school-a" }));
  add(GROUPS.contact, "POST hartslag met 2 MB body", false, () => hartslag({ "x-relay-school": "school-a" }, MB2.toString()));

  // ---- Functions host front door (the local stand-in for the Azure front end) ----
  const hostRaw = (target: string) => sendRaw(app, `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  add(GROUPS.host, "GET http://[/api/aanleverpunten (kapotte URL)", true, () => hostRaw("http://[/api/aanleverpunten"));
  add(GROUPS.host, "GET /api/%zz", false, () => hostRaw("/api/%zz"));
  add(GROUPS.host, "GET met Host-kop vol rommel", false, () => sendRaw(app, "GET /api/aanleverpunten HTTP/1.1\r\nHost: [::zz\r\nConnection: close\r\n\r\n"));

  return probes;
}

/**
 * A body shorter than announced, from a client that then waits: the server rightly waits for the
 * rest, so no answer within the wait is the expected behaviour (counted as answered, not as a
 * crash); whether the server survived is what the liveness check after each group shows.
 */
function truncatedIsFine(o: Outcome): Outcome {
  if (o.status === null) return { status: 204, contentType: "", body: "", error: null };
  return o;
}
