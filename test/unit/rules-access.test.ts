import { describe, expect, it } from "vitest";
import { authorise, covers, encodePrincipal, readPrincipal, rolNaam, scopeOf, Toewijzing, type ClientPrincipal, type Person } from "../../src/core/access.js";

/**
 * Who may do what (architecture.md "Access"): the platform's principal is hostile input until read — it is
 * refused cleanly when it is not what App Service Authentication sends — and a scope decides the rest.
 */

const OID = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const enc = (claims: [string, string][], extra: Partial<ClientPrincipal> = {}) => encodePrincipal({ claims: claims.map(([typ, val]) => ({ typ, val })), ...extra });
const read = (principal: string, name: string | null = null, id: string | null = null) => readPrincipal({ principal, name, id });
const ONLEESBAAR = { ok: false, status: 401, fout: "NIET_AANGEMELD", melding: "Uw aanmelding kon niet worden gelezen. Meld u af en opnieuw aan, en probeer het opnieuw." };
const person = (p: Partial<Person>): Person => ({ id: "oid-1", naam: "a@school.example", rollen: [], groepen: [], ...p });

/** A well-formed principal whose header is exactly `length` characters long (a multiple of 4). */
function principalOfLength(length: number): string {
  for (let pad = 0; pad < length; pad++) {
    const p = enc([[OID, "oid-1"], ["preferred_username", "a@b"], ["opvulling", "x".repeat(pad)]]);
    if (p.length === length) return p;
    if (p.length > length) break;
  }
  throw new Error(`no principal of length ${length}`);
}

describe("rule: hostile input — a principal is read only when it is what the platform sends", () => {
  it("a principal of 64 000 characters is read; a longer one is refused unread", () => {
    expect(read(principalOfLength(64_000))).toMatchObject({ ok: true, person: { id: "oid-1", naam: "a@b" } });
    expect(read(principalOfLength(64_004))).toEqual(ONLEESBAAR);
  });

  it("only base64 characters: anything before or after them is refused, line breaks inside are allowed", () => {
    const p = enc([[OID, "oid-1"], ["preferred_username", "a@b"]]);
    expect(read(`${p}!`)).toEqual(ONLEESBAAR);
    expect(read(`*${p}`)).toEqual(ONLEESBAAR);
    const wrapped = p.replace(/(.{20})/g, "$1\r\n");
    expect(read(wrapped)).toMatchObject({ ok: true, person: { id: "oid-1", naam: "a@b" } });
  });
});

describe("rule: the id, name, roles and groups come from the platform's claims", () => {
  it("the claim types the principal names for names and roles are read", () => {
    const r = read(enc([[OID, "oid-1"], ["naam", "eigen@naam"], ["rol", "Beheerder"]], { name_typ: "naam", role_typ: "rol" }));
    expect(r).toEqual({ ok: true, person: { id: "oid-1", naam: "eigen@naam", rollen: ["Beheerder"], groepen: [] } });
  });

  it("a name claim type that is absent or empty is passed over for the next one", () => {
    expect(read(enc([[OID, "oid-1"], ["upn", "upn@school"]], { name_typ: "naam" }))).toMatchObject({ ok: true, person: { naam: "upn@school" } });
    expect(read(enc([[OID, "oid-1"], ["preferred_username", ""], ["upn", "upn@school"]]))).toMatchObject({ ok: true, person: { naam: "upn@school" } });
  });

  it("a group id with a space or a control character inside is no group id and is dropped", () => {
    expect(read(enc([[OID, "oid-1"], ["preferred_username", "a@b"], ["groups", "g 1"], ["groups", "g\u00072"], ["groups", "G-3"]]))).toMatchObject({ ok: true, person: { groepen: ["g-3"] } });
  });

  it("the -id and -name headers are trimmed; group ids are trimmed and lower case", () => {
    const r = read(enc([[OID, "claim-oid"], ["groups", "  G-1 "]]), " Piet@School ", " oid-h ");
    expect(r).toEqual({ ok: true, person: { id: "oid-h", naam: "Piet@School", rollen: [], groepen: ["g-1"] } });
  });
});

describe("rule: assignments compare case-insensitively, and a person's schools are listed in order", () => {
  it("an assignment is kept in lower case", () => {
    expect(Toewijzing.parse({ soort: "persoon", wie: " A@School.Example ", school: "s" })).toEqual({ soort: "persoon", wie: "a@school.example", school: "s" });
  });

  it("the schools of a Schooladministratie person are sorted and listed once", () => {
    const t = (school: string) => Toewijzing.parse({ soort: "persoon", wie: "a@school.example", school });
    expect(scopeOf(person({ rollen: ["Schooladministratie"] }), [t("school-c"), t("school-a"), t("school-b"), t("school-a")])).toEqual({ rol: "Schooladministratie", scholen: ["school-a", "school-b", "school-c"] });
  });
});

describe("rule: a refusal names nothing of another school", () => {
  const scope = { rol: "Schooladministratie" as const, scholen: ["school-a"] };

  it("without an aanleverpunt it says only that this school is not yours", () => {
    expect(authorise(scope, { soort: "school", school: "school-b" })).toEqual({ ok: false, status: 403, fout: "GEEN_TOEGANG", melding: "U heeft geen toegang tot deze school." });
  });

  it("which schools a scope covers: a Beheerder's every school, a Schooladministratie person's own, no role none", () => {
    expect(covers({ rol: "Beheerder" }, "school-x")).toBe(true);
    expect(covers({ rol: "Beheerder" }, null)).toBe(true);
    expect(covers(scope, "school-a")).toBe(true);
    expect(covers({ rol: null }, "school-a")).toBe(false);
  });

  it("the page names the role, or says there is none", () => {
    expect(rolNaam({ rol: null })).toBe("geen rol");
    expect(rolNaam(scope)).toBe("Schooladministratie");
    expect(rolNaam({ rol: "Beheerder" })).toBe("Beheerder");
  });
});
