import { z } from "zod";

/**
 * Who may do what (architecture.md "Access"). A person signs in with Entra ID; in Azure, App Service
 * Authentication sets the principal headers (x-ms-client-principal: base64 JSON with the token's
 * claims, x-ms-client-principal-name / -id) and strips any a client sends; locally the sign-in
 * stand-in (emulators/signin) sets the same headers. Two app roles:
 *
 * - *Beheerder*: the IT team — every school, onboarding, settings, the assignment table;
 * - *Schooladministratie*: only the schools assigned to that person, directly (by e-mail address or
 *   Entra object id) or through an Entra group, in the `assignments` table the Beheerder keeps.
 *
 * Pure: the shell reads the headers and the assignments, this module turns them into a scope and
 * decides. Every refusal carries a Dutch melding.
 */

export const ROLLEN = ["Beheerder", "Schooladministratie"] as const;
export type Rol = (typeof ROLLEN)[number];

/** A signed-in person as the platform describes them. `naam` is the sign-in name (UPN / e-mail). */
export interface Person {
  /** Entra object id (x-ms-client-principal-id / the oid claim) */
  id: string;
  /** sign-in name (x-ms-client-principal-name), e.g. an e-mail address */
  naam: string;
  /** the BRON Sync app roles among the token's role claims */
  rollen: Rol[];
  /** Entra group object ids from the token's groups claims */
  groepen: string[];
}

/** The headers App Service Authentication sets (lower-case names), as the shell read them. */
export interface PrincipalHeaders {
  principal: string | null;
  name: string | null;
  id: string | null;
}

const Claim = z.object({ typ: z.string(), val: z.string() });
/** x-ms-client-principal, decoded: the shape App Service Authentication sends. */
export const ClientPrincipal = z.object({
  auth_typ: z.string().optional(),
  claims: z.array(Claim).max(2000),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
});
export type ClientPrincipal = z.infer<typeof ClientPrincipal>;

const OID_CLAIMS = new Set(["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"]);
const NAME_CLAIMS = ["preferred_username", "upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"];
const ROLE_CLAIMS = new Set(["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"]);
const GROUP_CLAIMS = new Set(["groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"]);

export type PrincipalResult = { ok: true; person: Person } | { ok: false; status: 401; fout: "NIET_AANGEMELD"; melding: string };

const NIET_AANGEMELD = "U bent niet aangemeld. Open de beheerpagina om u aan te melden en probeer het opnieuw.";
const ONLEESBAAR = "Uw aanmelding kon niet worden gelezen. Meld u af en opnieuw aan, en probeer het opnieuw.";
/** An identifier from a header: printable, no separators an id never has, of sane length. */
const ID = /^[^\s\p{Cc}]{1,256}$/u;

/**
 * The signed-in person from the platform's headers; a request without them is refused (401). The
 * principal's claims give the roles and groups; the -id and -name headers, when present, win for
 * the id and the name (they are what the platform itself derived).
 */
export function readPrincipal(h: PrincipalHeaders): PrincipalResult {
  const refuse = (melding: string): PrincipalResult => ({ ok: false, status: 401, fout: "NIET_AANGEMELD", melding });
  if (h.principal === null || h.principal.trim() === "") return refuse(NIET_AANGEMELD);
  if (h.principal.length > 64_000 || !/^[A-Za-z0-9+/=\s_-]+$/.test(h.principal)) return refuse(ONLEESBAAR);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(h.principal, "base64").toString("utf8"));
  } catch {
    return refuse(ONLEESBAAR);
  }
  const parsed = ClientPrincipal.safeParse(decoded);
  if (!parsed.success) return refuse(ONLEESBAAR);
  const p = parsed.data;
  const values = (types: Set<string>) => p.claims.filter((c) => types.has(c.typ)).map((c) => c.val);
  const roleTypes = new Set([...ROLE_CLAIMS, ...(p.role_typ ? [p.role_typ] : [])]);
  const nameTypes = [...(p.name_typ ? [p.name_typ] : []), ...NAME_CLAIMS];
  const id = h.id?.trim() || values(OID_CLAIMS)[0] || "";
  const naam = h.name?.trim() || nameTypes.map((t) => values(new Set([t]))[0]).find((v) => v !== undefined && v !== "") || "";
  if (!ID.test(id) || !ID.test(naam)) return refuse(ONLEESBAAR);
  const rollen = ROLLEN.filter((r) => values(roleTypes).includes(r));
  const groepen = [...new Set(values(GROUP_CLAIMS).map((g) => g.trim().toLowerCase()).filter((g) => ID.test(g)))];
  return { ok: true, person: { id, naam, rollen, groepen } };
}

/** The principal header App Service Authentication would send for these claims (used by the stand-in and tests). */
export function encodePrincipal(p: ClientPrincipal): string {
  return Buffer.from(JSON.stringify(p), "utf8").toString("base64");
}

// ---- assignments -------------------------------------------------------------------------------

export const SOORTEN = ["persoon", "groep"] as const;
/**
 * A school assigned to a person (by sign-in name / e-mail address, or Entra object id) or to an Entra
 * group (its object id). Kept by the Beheerder on the page (table `assignments`).
 */
export const Toewijzing = z.object({
  soort: z.enum(SOORTEN),
  /** e-mail address / sign-in name or object id of a person; object id of a group; compared case-insensitively */
  wie: z.string().trim().min(1).max(256).regex(ID, "geen spaties of stuurtekens").transform((s) => s.toLowerCase()),
  school: z.string().trim().min(1).max(64),
});
export type Toewijzing = z.infer<typeof Toewijzing>;

/** The keys under which a person's assignments are stored: their name, their id, each of their groups. */
export function subjectsOf(person: Person): string[] {
  const keys = [subjectKey("persoon", person.naam), subjectKey("persoon", person.id), ...person.groepen.map((g) => subjectKey("groep", g))];
  return [...new Set(keys)];
}

export const subjectKey = (soort: Toewijzing["soort"], wie: string): string => `${soort}:${wie.trim().toLowerCase()}`;

// ---- scope -------------------------------------------------------------------------------------

/** What a person may touch: every school, the listed schools, or nothing (no BRON Sync role). */
export type Scope = { rol: "Beheerder" } | { rol: "Schooladministratie"; scholen: string[] } | { rol: null };

/**
 * The one place that decides a person's scope. A Beheerder may touch every school; a
 * Schooladministratie person only the schools assigned to them or to one of their groups; a person
 * with neither role nothing. Assignments of other people are ignored, whatever the caller passed.
 */
export function scopeOf(person: Person, toewijzingen: readonly Toewijzing[]): Scope {
  if (person.rollen.includes("Beheerder")) return { rol: "Beheerder" };
  if (!person.rollen.includes("Schooladministratie")) return { rol: null };
  const mine = new Set(subjectsOf(person));
  const scholen = [...new Set(toewijzingen.filter((t) => mine.has(subjectKey(t.soort, t.wie))).map((t) => t.school))].sort();
  return { rol: "Schooladministratie", scholen };
}

/** What an endpoint needs (functions/access.ts declares it per endpoint). */
export type Need =
  /** any signed-in person, also one without a role (the page itself, "who am I") */
  | { soort: "aangemeld" }
  /** a person with a BRON Sync role; lists are then filtered by the scope */
  | { soort: "rol" }
  /** a Beheerder */
  | { soort: "beheerder"; wat: string }
  /** a person who may touch this school (`school` null: the aanleverpunt belongs to no known school) */
  | { soort: "school"; school: string | null; aanleverpunt?: string };

export type Decision = { ok: true } | { ok: false; status: 403; fout: "GEEN_TOEGANG"; melding: string };

const GEEN_ROL = "U heeft geen rol in BRON Sync (Beheerder of Schooladministratie). Vraag de beheerder om toegang.";

/** Whether a scope may do what is needed; a refusal carries a Dutch melding that names nothing of another school. */
export function authorise(scope: Scope, need: Need): Decision {
  const refuse = (melding: string): Decision => ({ ok: false, status: 403, fout: "GEEN_TOEGANG", melding });
  if (need.soort === "aangemeld") return { ok: true };
  if (scope.rol === null) return refuse(GEEN_ROL);
  if (need.soort === "rol") return { ok: true };
  if (need.soort === "beheerder") return scope.rol === "Beheerder" ? { ok: true } : refuse(`Alleen een Beheerder mag dit: ${need.wat.toLowerCase()}.`);
  if (scope.rol === "Beheerder") return { ok: true };
  if (need.school !== null && scope.scholen.includes(need.school)) return { ok: true };
  if (scope.scholen.length === 0) return refuse("Er is nog geen school aan u toegewezen. Vraag de beheerder om toegang.");
  return refuse(need.aanleverpunt === undefined ? "U heeft geen toegang tot deze school." : `U heeft geen toegang tot aanleverpunt ${need.aanleverpunt}: het hoort niet bij een school die aan u is toegewezen.`);
}

/** Whether the scope covers a school (for filtering lists); a Beheerder's covers every school and aanleverpunten of none. */
export function covers(scope: Scope, school: string | null): boolean {
  if (scope.rol === "Beheerder") return true;
  return scope.rol === "Schooladministratie" && school !== null && scope.scholen.includes(school);
}

/** The Dutch name of a role as the page shows it. */
export const rolNaam = (scope: Scope): string => (scope.rol === null ? "geen rol" : scope.rol);
