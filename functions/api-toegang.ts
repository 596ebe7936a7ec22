import type { HttpRequest } from "@azure/functions";
import { accessDeps } from "../src/activities/access-runtime.js";
import { Toewijzing } from "../src/core/access.js";
import { endpoint } from "./access.js";
import { parse, readBody } from "./api.js";
import { jsonResponse as json } from "./http-guards.js";

// Who is signed in, and the assignment table the Beheerder keeps on the page (docs/access.md).

/** Where the platform signs a person out (App Service Authentication; locally the sign-in stand-in), back to the page. */
const AFMELDEN = "/.auth/logout?post_logout_redirect_uri=/api/beheer";

endpoint("ik", {
  methods: ["GET"],
  route: "ik",
  toegang: "aangemeld",
  wat: "Aanmelding ophalen",
  handler: async (_req, _context, { person, scope }) => {
    const scholen = scope.rol === "Schooladministratie" ? (await accessDeps().schools.list()).filter((s) => scope.scholen.includes(s.id)).map(({ id, naam }) => ({ id, naam })) : scope.rol === null ? [] : null;
    return json(200, { naam: person.naam, rol: scope.rol, scholen, afmelden: AFMELDEN });
  },
});

endpoint("toewijzingen", {
  methods: ["GET"],
  route: "toewijzingen",
  toegang: "beheerder",
  wat: "Toewijzingen ophalen",
  handler: async () => {
    const deps = accessDeps();
    const [toewijzingen, scholen] = await Promise.all([deps.assignments.list(), deps.schools.list()]);
    return json(200, { toewijzingen, scholen: scholen.map(({ id, naam, aanleverpunten }) => ({ id, naam, aanleverpunten })) });
  },
});

const body = async (req: HttpRequest) => parse(Toewijzing, await readBody(req), "Geef soort (persoon of groep), wie (e-mailadres of object-id) en school op.");

endpoint("toewijzingToevoegen", {
  methods: ["POST"],
  route: "toewijzingen",
  toegang: "beheerder",
  wat: "Toewijzing toevoegen",
  handler: async (req, _context, access) => {
    const t = await body(req);
    if (!t.ok) return t.response;
    const deps = accessDeps();
    if (!(await deps.schools.list()).some((s) => s.id === t.value.school)) return json(400, { fout: "ONBEKENDE_SCHOOL", melding: `School ${t.value.school} bestaat niet.` });
    const added = await deps.assignments.add(t.value, access.door, deps.now());
    if (added) await deps.audit("toegang", deps.now(), { op: "TOEWIJZING", door: access.door, wat: "toewijzing toegevoegd", details: { soort: t.value.soort, wie: t.value.wie, school: t.value.school } });
    return json(added ? 201 : 200, { toewijzing: t.value, nieuw: added });
  },
});

endpoint("toewijzingVerwijderen", {
  methods: ["POST"],
  route: "toewijzingen/verwijderen",
  toegang: "beheerder",
  wat: "Toewijzing verwijderen",
  handler: async (req, _context, access) => {
    const t = await body(req);
    if (!t.ok) return t.response;
    const deps = accessDeps();
    if (!(await deps.assignments.remove(t.value))) return json(404, { fout: "ONBEKENDE_TOEWIJZING", melding: "Deze toewijzing bestaat niet (meer)." });
    await deps.audit("toegang", deps.now(), { op: "TOEWIJZING", door: access.door, wat: "toewijzing verwijderd", details: { soort: t.value.soort, wie: t.value.wie, school: t.value.school } });
    return json(200, { verwijderd: true });
  },
});
