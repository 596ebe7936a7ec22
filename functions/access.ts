import { app, type FunctionInput, type HttpMethod, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { accessDeps, type AccessDeps } from "../src/activities/access-runtime.js";
import { AUDIT_RELAY, findByCode, verifyRelayRequest, type ContactRefusal } from "../src/activities/relay-contact.js";
import { relayContactDeps } from "../src/activities/relay-contact-runtime.js";
import type { School } from "../src/adapters/state/schools.js";
import { AanmeldVerzoek, SCHOOL_HEADER, type AanmeldGegevens } from "../src/contracts/relay/contact.js";
import { headers as signatureHeaderNames } from "../src/contracts/relay/signing.js";
import { authorise, covers, readPrincipal, rolNaam, scopeOf, subjectsOf, type Need, type Person, type Scope } from "../src/core/access.js";
import { Aanleverpunt } from "../src/core/model.js";
import { ensureError, TransientError } from "../src/errors.js";
import { jsonResponse, refuseBadWrite } from "./http-guards.js";

// The one way to register an HTTP endpoint (ESLint refuses `app.http` anywhere else): every request
// is first turned into a person and a scope (src/core/access.ts) and authorised for what the endpoint
// declares it touches, before its handler reads or writes anything. A refusal is audited (who — the
// Entra object id —, what, which school; no personal data) and answered with a Dutch melding.
// No registrations here: the Functions host loads this file and finds nothing to register.
//
//   endpoint("mijnEndpoint", {
//     methods: ["GET"], route: "aanleverpunten/{aanleverpunt}/iets", toegang: "aanleverpunt", wat: "Iets ophalen",
//     handler: async (req, context, access) => jsonResponse(200, await iets(access.aanleverpunt)),
//   });

/**
 * What an endpoint touches, and so who may call it:
 * - `aanleverpunt`: the route has `{aanleverpunt}`; only a person who may touch its school (a Beheerder: every one);
 * - `school`: the route has `{school}` (a school id); only a person assigned to it, or a Beheerder;
 * - `rol`: any person with a BRON Sync role; a list it returns is filtered with `access.zichtbaar`;
 * - `beheerder`: a Beheerder only (onboarding, settings, assignments);
 * - `aangemeld`: any signed-in person, also one without a role (the page itself, "who am I").
 *
 * Two kinds are not for a person but for a school's relay (the relay → cloud contact API, route prefix
 * `relay/v1/`, src/contracts/relay/contact.ts); they need no principal, and are the only ones that don't:
 * - `registratiecode`: the JSON body's one-time registration code is the credential (valid 24 h, used
 *   once); the handler gets the school it belongs to;
 * - `relay`: the request is signed with the school's relay key (src/contracts/relay/signing.ts), the
 *   school named in the `x-relay-school` header; the handler gets that school and the body it checked.
 * Their refusals are audited (which school, which endpoint) and answered with a Dutch melding too.
 */
export type Toegang = "aanleverpunt" | "school" | "rol" | "beheerder" | "aangemeld" | "registratiecode" | "relay";


export interface Access {
  person: Person;
  scope: Scope;
  /** who did it, for the audit trail of what a person changed (their sign-in name) */
  door: string;
  /** the items whose aanleverpunt the person may see (a Beheerder: all; an aanleverpunt of no school: only a Beheerder) */
  zichtbaar<T>(items: readonly T[], aanleverpuntOf: (item: T) => string): Promise<T[]>;
}
export interface AanleverpuntAccess extends Access {
  /** the route's aanleverpunt, validated and authorised */
  aanleverpunt: Aanleverpunt;
}
export interface SchoolAccess extends Access {
  /** the route's school id, authorised */
  school: string;
}
/** A relay's request with a valid registration code. */
export interface RegistratieAccess {
  school: School;
  /** the request body, validated */
  verzoek: AanmeldGegevens;
  door: string;
}
/** A request signed with a school's relay key. */
export interface RelayAccess {
  school: School;
  /** which of the school's keys signed it: the current one, or the next one of a key rotation (now made current) */
  sleutel: "huidig" | "nieuw";
  /** the body as signed (the handler cannot read the request body again) */
  body: Buffer;
  door: string;
}
type AccessFor<T extends Toegang> = T extends "aanleverpunt"
  ? AanleverpuntAccess
  : T extends "school"
    ? SchoolAccess
    : T extends "registratiecode"
      ? RegistratieAccess
      : T extends "relay"
        ? RelayAccess
        : Access;

export interface EndpointSpec<T extends Toegang> {
  methods: HttpMethod[];
  route: string;
  toegang: T;
  /** what it does, in Dutch ("Acties ophalen"): for error meldingen and the audit trail */
  wat: string;
  extraInputs?: FunctionInput[];
  handler: (req: HttpRequest, context: InvocationContext, access: AccessFor<T>) => Promise<HttpResponseInit>;
}

const ROUTE_PARAM = { aanleverpunt: /\{aanleverpunt(?::[^}]*)?\}/, school: /\{school(?::[^}]*)?\}/ } as const;

/** Registers an HTTP endpoint behind authentication and authorisation; a route that does not fit its `toegang` fails at load. */
export function endpoint<T extends Toegang>(name: string, spec: EndpointSpec<T>): void {
  for (const [param, re] of Object.entries(ROUTE_PARAM)) {
    if (re.test(spec.route) && spec.toegang !== param) throw new Error(`endpoint ${name}: route ${spec.route} names {${param}}, so its toegang must be "${param}"`);
    if (!re.test(spec.route) && spec.toegang === param) throw new Error(`endpoint ${name}: toegang "${param}" needs {${param}} in its route`);
  }
  app.http(name, {
    methods: spec.methods,
    route: spec.route,
    authLevel: "anonymous",
    ...(spec.extraInputs ? { extraInputs: spec.extraInputs } : {}),
    handler: secured(name, spec),
  });
}

const AUDIT_ALGEMEEN = "toegang";

const principalOf = (req: HttpRequest) => readPrincipal({ principal: req.headers.get("x-ms-client-principal"), name: req.headers.get("x-ms-client-principal-name"), id: req.headers.get("x-ms-client-principal-id") });

/** A person's scope: their assignments are read only when they are Schooladministratie (not Beheerder). */
async function scopeFor(deps: AccessDeps, person: Person): Promise<Scope> {
  const needsAssignments = person.rollen.includes("Schooladministratie") && !person.rollen.includes("Beheerder");
  return scopeOf(person, needsAssignments ? await deps.assignments.forSubjects(subjectsOf(person)) : []);
}

function secured<T extends Toegang>(name: string, spec: EndpointSpec<T>) {
  return async (req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    try {
      if (spec.toegang === "registratiecode" || spec.toegang === "relay") return await relayEntry(name, spec, req, context);
      const deps = accessDeps();
      const principal = principalOf(req);
      if (!principal.ok) {
        await record(deps, context, AUDIT_ALGEMEEN, { name, spec, req, status: 401, door: "onbekend", rol: null, school: null, aanleverpunt: null });
        return jsonResponse(401, { fout: principal.fout, melding: principal.melding });
      }
      const bad = refuseBadWrite(req);
      if (bad) return bad;
      const person = principal.person;
      const scope = await scopeFor(deps, person);
      const base: Access = { person, scope, door: person.naam, zichtbaar: (items, apOf) => visible(deps, scope, items, apOf) };

      let need: Need;
      let access: Access = base;
      let aanleverpunt: string | null = null;
      if (spec.toegang === "aanleverpunt") {
        const ap = Aanleverpunt.safeParse(req.params.aanleverpunt);
        if (!ap.success) return jsonResponse(400, { fout: "ONGELDIGE_INVOER", melding: "Ongeldig aanleverpunt: verwacht het BRIN-nummer gevolgd door twee cijfers, bijvoorbeeld 00AA00.", meldingen: [`aanleverpunt: ${ap.error.issues[0]?.message ?? "ongeldig"}`] });
        aanleverpunt = ap.data;
        const school = scope.rol === "Beheerder" ? null : await deps.schools.schoolOf(ap.data);
        need = { soort: "school", school: school?.id ?? null, aanleverpunt: ap.data };
        access = { ...base, aanleverpunt: ap.data } as AanleverpuntAccess;
      } else if (spec.toegang === "school") {
        const school = req.params.school ?? "";
        need = { soort: "school", school };
        access = { ...base, school } as SchoolAccess;
      } else if (spec.toegang === "beheerder") need = { soort: "beheerder", wat: spec.wat };
      else if (spec.toegang === "rol") need = { soort: "rol" };
      else need = { soort: "aangemeld" };

      const decision = authorise(scope, need);
      if (!decision.ok) {
        const school = need.soort === "school" ? (need.school ?? (aanleverpunt === null ? null : ((await deps.schools.schoolOf(aanleverpunt))?.id ?? null))) : null;
        await record(deps, context, aanleverpunt ?? AUDIT_ALGEMEEN, { name, spec, req, status: 403, door: person.id, rol: rolNaam(scope), school, aanleverpunt });
        return jsonResponse(decision.status, { fout: decision.fout, melding: decision.melding });
      }
      return await spec.handler(req, context, access as AccessFor<T>);
    } catch (e) {
      const err = ensureError(e);
      context.error(`${spec.wat} mislukt: ${err.name}`);
      if (err instanceof TransientError) return jsonResponse(503, { fout: "NIET_BEREIKBAAR", melding: `${spec.wat} lukt nu niet: een gekoppelde dienst (LVS2000-relay, BRON of Key Vault) is niet bereikbaar. Probeer het zo opnieuw.` });
      return jsonResponse(500, { fout: "INTERNE_FOUT", melding: `${spec.wat} is mislukt door een fout in de dienst. Probeer het later opnieuw of neem contact op met de beheerder.` });
    }
  };
}

/** A refusal in the audit trail: ids and the endpoint only. A failing audit write does not turn the refusal into a 500. */
async function record(
  deps: AccessDeps,
  context: InvocationContext,
  partition: string,
  r: { name: string; spec: { wat: string }; req: HttpRequest; status: 401 | 403; door: string; rol: string | null; school: string | null; aanleverpunt: string | null },
): Promise<void> {
  context.warn(`toegang geweigerd (${r.status}): ${r.name}`);
  try {
    await deps.audit(partition, deps.now(), {
      op: "GEWEIGERD",
      door: r.door,
      wat: `${r.spec.wat}: ${r.status === 401 ? "niet aangemeld" : "geen toegang"}`,
      details: { endpoint: r.name, methode: r.req.method.toUpperCase(), status: r.status, rol: r.rol, school: r.school, aanleverpunt: r.aanleverpunt },
    });
  } catch (e) {
    context.error(`weigering niet in het auditlog vastgelegd: ${ensureError(e).name}`);
  }
}

/** The largest body a relay sends the cloud (a heartbeat, a registration). */
const MAX_RELAY_BODY = 64 * 1024;

/** The relay kinds: a registration code or a relay's signature instead of a person. */
async function relayEntry<T extends Toegang>(name: string, spec: EndpointSpec<T>, req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const bad = refuseBadWrite(req);
  if (bad) return bad;
  const tooLarge = () => jsonResponse(413, { fout: "TE_GROOT", melding: "Dit verzoek is te groot." });
  if (Number(req.headers.get("content-length") ?? "0") > MAX_RELAY_BODY) return tooLarge();
  const body = Buffer.from(await req.arrayBuffer());
  if (body.length > MAX_RELAY_BODY) return tooLarge();
  const deps = relayContactDeps();
  const refuse = async (r: ContactRefusal, school: string | null) => {
    context.warn(`relay-toegang geweigerd (${r.status} ${r.fout}): ${name}`);
    try {
      await deps.audit(AUDIT_RELAY, deps.now(), { op: "GEWEIGERD", door: school ? `relay:${school}` : "onbekend", wat: `${spec.wat}: ${r.fout}`, details: { endpoint: name, methode: req.method.toUpperCase(), status: r.status, school } });
    } catch (e) {
      context.error(`weigering niet in het auditlog vastgelegd: ${ensureError(e).name}`);
    }
    return jsonResponse(r.status, { fout: r.fout, melding: r.melding });
  };

  if (spec.toegang === "registratiecode") {
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      json = undefined;
    }
    const parsed = AanmeldVerzoek.safeParse(json);
    if (!parsed.success) {
      return jsonResponse(400, { fout: "ONGELDIGE_INVOER", melding: "Het aanmeldverzoek klopt niet: verwacht code, relayVersie en hostnaam.", meldingen: parsed.error.issues.map((i) => `${i.path.join(".") || "invoer"}: ${i.message}`) });
    }
    const found = await findByCode(deps, parsed.data.code);
    if (!found.ok) return refuse(found, null);
    const access: RegistratieAccess = { school: found.school, verzoek: parsed.data, door: `relay:${found.school.id}` };
    return spec.handler(req, context, access as unknown as AccessFor<T>);
  }

  let pathAndQuery: string;
  try {
    const u = new URL(req.url);
    pathAndQuery = u.pathname + u.search;
  } catch {
    return jsonResponse(400, { fout: "ONGELDIGE_INVOER", melding: "Ongeldig adres." });
  }
  const school = req.headers.get(SCHOOL_HEADER);
  const verdict = await verifyRelayRequest(deps, {
    school,
    method: req.method,
    pathAndQuery,
    body,
    timestamp: req.headers.get(signatureHeaderNames.timestamp),
    nonce: req.headers.get(signatureHeaderNames.nonce),
    signature: req.headers.get(signatureHeaderNames.signature),
  });
  if (!verdict.ok) return refuse(verdict, school !== null && /^[a-z0-9-]{2,40}$/.test(school) ? school : null);
  const access: RelayAccess = { school: verdict.school, sleutel: verdict.sleutel, body, door: `relay:${verdict.school.id}` };
  return spec.handler(req, context, access as unknown as AccessFor<T>);
}

/** This site's own URL as the caller reached it (behind App Service: the forwarded host and scheme). */
export function siteUrl(req: HttpRequest): string {
  const u = new URL(req.url);
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || u.host;
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || u.protocol.replace(/:$/, "");
  return `${proto}://${host}`;
}

/** The items (each on an aanleverpunt) a scope may see: a Beheerder all, Schooladministratie those of their schools. */
async function visible<T>(deps: AccessDeps, scope: Scope, items: readonly T[], apOf: (item: T) => string): Promise<T[]> {
  if (scope.rol === "Beheerder") return [...items];
  if (scope.rol === null || scope.scholen.length === 0) return [];
  const schoolOf = new Map<string, string>();
  for (const s of await deps.schools.list()) for (const ap of s.aanleverpunten) schoolOf.set(ap, s.id);
  return items.filter((i) => covers(scope, schoolOf.get(apOf(i)) ?? null));
}
