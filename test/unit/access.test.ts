import { describe, expect, it } from "vitest";
import { authorise, covers, encodePrincipal, readPrincipal, scopeOf, subjectsOf, Toewijzing, type ClientPrincipal, type Person } from "../../src/core/access.js";

// Who may do what (src/core/access.ts): the principal App Service Authentication sends, turned into a
// scope, and the one decision every endpoint asks.

const OID = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const ROLE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
const principal = (claims: [string, string][], extra: Partial<ClientPrincipal> = {}) =>
  encodePrincipal({ auth_typ: "aad", claims: claims.map(([typ, val]) => ({ typ, val })), name_typ: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", role_typ: ROLE, ...extra });
const person = (p: Partial<Person>): Person => ({ id: "oid-1", naam: "a@school.example", rollen: [], groepen: [], ...p });

describe("reading the platform's principal", () => {
  it("takes id and name from the -id/-name headers, roles and groups from the claims", () => {
    const r = readPrincipal({
      principal: principal([[OID, "oid-1"], ["preferred_username", "x@y"], ["roles", "Schooladministratie"], [ROLE, "Onbekend"], ["groups", "G-1"], ["groups", "g-1"]]),
      name: "Piet@School.example",
      id: "oid-from-header",
    });
    expect(r).toEqual({ ok: true, person: { id: "oid-from-header", naam: "Piet@School.example", rollen: ["Schooladministratie"], groepen: ["g-1"] } });
  });

  it("falls back to the claims for id and name, and reads the role claim type the principal names", () => {
    const r = readPrincipal({ principal: principal([[OID, "oid-2"], ["preferred_username", "bea@it.example"], [ROLE, "Beheerder"]]), name: null, id: null });
    expect(r).toMatchObject({ ok: true, person: { id: "oid-2", naam: "bea@it.example", rollen: ["Beheerder"] } });
  });

  it("refuses a request without the principal with 401 and a Dutch melding", () => {
    for (const principalHeader of [null, "", "   "]) {
      const r = readPrincipal({ principal: principalHeader, name: "x", id: "y" });
      expect(r).toMatchObject({ ok: false, status: 401, fout: "NIET_AANGEMELD", melding: expect.stringContaining("niet aangemeld") });
    }
  });

  it("refuses a principal that is not base64 JSON of the platform's shape, or lacks an id or name", () => {
    const bad = ["%%%", Buffer.from("not json").toString("base64"), Buffer.from('{"claims": "x"}').toString("base64"), "A".repeat(70_000), principal([["roles", "Beheerder"]])];
    for (const p of bad) expect(readPrincipal({ principal: p, name: null, id: null })).toMatchObject({ ok: false, status: 401, melding: expect.stringContaining("niet worden gelezen") });
    expect(readPrincipal({ principal: principal([[OID, "o"]]), name: "a b", id: null })).toMatchObject({ ok: false, status: 401 });
  });
});

describe("the scope of a person", () => {
  const toewijzingen = [
    Toewijzing.parse({ soort: "persoon", wie: "A@School.example", school: "school-a" }),
    Toewijzing.parse({ soort: "groep", wie: "GROEP-B", school: "school-b" }),
    Toewijzing.parse({ soort: "persoon", wie: "oid-9", school: "school-c" }),
    Toewijzing.parse({ soort: "persoon", wie: "someone@else", school: "school-d" }),
  ];

  it("a Beheerder may touch every school, also one no assignment names", () => {
    const scope = scopeOf(person({ rollen: ["Beheerder", "Schooladministratie"] }), []);
    expect(scope).toEqual({ rol: "Beheerder" });
    expect(authorise(scope, { soort: "school", school: "school-z", aanleverpunt: "99ZZ00" })).toEqual({ ok: true });
    expect(authorise(scope, { soort: "school", school: null, aanleverpunt: "99ZZ00" })).toEqual({ ok: true });
    expect(authorise(scope, { soort: "beheerder", wat: "Toewijzingen wijzigen" })).toEqual({ ok: true });
  });

  it("Schooladministratie: the schools assigned to the person (name or id, any case) or to one of their groups, nothing else", () => {
    const scope = scopeOf(person({ id: "OID-9", naam: "a@school.example", rollen: ["Schooladministratie"], groepen: ["groep-b"] }), toewijzingen);
    expect(scope).toEqual({ rol: "Schooladministratie", scholen: ["school-a", "school-b", "school-c"] });
    expect(authorise(scope, { soort: "school", school: "school-b", aanleverpunt: "34CD00" })).toEqual({ ok: true });
    const refused = authorise(scope, { soort: "school", school: "school-d", aanleverpunt: "56EF00" });
    expect(refused).toMatchObject({ ok: false, status: 403, fout: "GEEN_TOEGANG", melding: expect.stringContaining("geen toegang tot aanleverpunt 56EF00") });
    expect(JSON.stringify(refused)).not.toContain("school-d");
    expect(authorise(scope, { soort: "school", school: null, aanleverpunt: "99ZZ00" }).ok).toBe(false);
    expect(authorise(scope, { soort: "beheerder", wat: "Toewijzingen wijzigen" })).toMatchObject({ ok: false, melding: "Alleen een Beheerder mag dit: toewijzingen wijzigen." });
    expect(covers(scope, "school-a")).toBe(true);
    expect(covers(scope, "school-d")).toBe(false);
    expect(covers(scope, null)).toBe(false);
  });

  it("a Schooladministratie person without assignments is told so", () => {
    const scope = scopeOf(person({ rollen: ["Schooladministratie"] }), toewijzingen.slice(3));
    expect(scope).toEqual({ rol: "Schooladministratie", scholen: [] });
    expect(authorise(scope, { soort: "school", school: "school-a", aanleverpunt: "12AB00" })).toMatchObject({ ok: false, melding: expect.stringContaining("nog geen school") });
    expect(authorise(scope, { soort: "rol" })).toEqual({ ok: true });
  });

  it("a person without a BRON Sync role may only see who they are", () => {
    const scope = scopeOf(person({ naam: "a@school.example" }), toewijzingen);
    expect(scope).toEqual({ rol: null });
    expect(authorise(scope, { soort: "aangemeld" })).toEqual({ ok: true });
    expect(authorise(scope, { soort: "rol" })).toMatchObject({ ok: false, status: 403, melding: expect.stringContaining("geen rol") });
    expect(authorise(scope, { soort: "school", school: "school-a" }).ok).toBe(false);
  });

  it("subjects: name, id and groups, lower case", () => {
    expect(subjectsOf(person({ id: "OID", naam: "A@B", groepen: ["g1"] }))).toEqual(["persoon:a@b", "persoon:oid", "groep:g1"]);
  });

  it("an assignment names someone without spaces or control characters", () => {
    expect(Toewijzing.safeParse({ soort: "persoon", wie: "a b", school: "s" }).success).toBe(false);
    expect(Toewijzing.safeParse({ soort: "iedereen", wie: "a", school: "s" }).success).toBe(false);
    expect(Toewijzing.safeParse({ soort: "groep", wie: "x\u0000", school: "s" }).success).toBe(false);
  });
});
