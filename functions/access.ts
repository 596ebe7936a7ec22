import { app, type FunctionInput, type HttpMethod, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { accessDeps, type AccessDeps } from "../src/activities/access-runtime.js";
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
 */
export type Toegang = "aanleverpunt" | "school" | "rol" | "beheerder" | "aangemeld";

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
type AccessFor<T extends Toegang> = T extends "aanleverpunt" ? AanleverpuntAccess : T extends "school" ? SchoolAccess : Access;

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

/**
 * The scope of the person who sent a request, or null without a valid principal. For a handler that
 * needs to ask about more than the route's own aanleverpunt (its `access` already carries the scope).
 */
export async function scopeOfRequest(req: HttpRequest): Promise<Scope | null> {
  const p = principalOf(req);
  return p.ok ? scopeFor(accessDeps(), p.person) : null;
}

/** Whether a scope covers an aanleverpunt (its school); a Beheerder's covers every one. */
export async function mayTouchAanleverpunt(scope: Scope, aanleverpunt: string): Promise<boolean> {
  if (scope.rol === "Beheerder") return true;
  if (scope.rol === null) return false;
  return covers(scope, (await accessDeps().schools.schoolOf(aanleverpunt))?.id ?? null);
}

function secured<T extends Toegang>(name: string, spec: EndpointSpec<T>) {
  return async (req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    try {
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

async function visible<T>(deps: AccessDeps, scope: Scope, items: readonly T[], apOf: (item: T) => string): Promise<T[]> {
  if (scope.rol === "Beheerder") return [...items];
  if (scope.rol === null || scope.scholen.length === 0) return [];
  const schoolOf = new Map<string, string>();
  for (const s of await deps.schools.list()) for (const ap of s.aanleverpunten) schoolOf.set(ap, s.id);
  return items.filter((i) => covers(scope, schoolOf.get(apOf(i)) ?? null));
}
