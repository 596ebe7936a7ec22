import { TableClient } from "@azure/data-tables";
import { ASSIGNMENTS_TABLE, SCHOOLS_TABLE } from "../../src/adapters/state/access-store.js";
import { safeRowKey } from "../../src/adapters/state/tables.js";
import { subjectKey, type Toewijzing } from "../../src/core/access.js";
import type { DemoPerson } from "../../emulators/signin/server.js";
import type { DemoData } from "../demo-data/schema.js";

/**
 * Who is who on the local stack (dev/test only): the demo schools in the school registry (table
 * `schools`), one demo person per role and school for the sign-in stand-in, and their assignments
 * (table `assignments`). School A and C are assigned to their person by e-mail address, school B
 * through an Entra group, so both ways are seen. Seeding only adds what is missing.
 */

export interface DemoSchool {
  id: string;
  naam: string;
  brins: string[];
  aanleverpunten: { code: string; naam: string }[];
}

export interface DemoAccess {
  schools: DemoSchool[];
  people: DemoPerson[];
  /** the Beheerder */
  beheerder: DemoPerson;
  /** a signed-in person without a BRON Sync role */
  gast: DemoPerson;
  /** the Schooladministratie person of a school */
  administratie(schoolId: string): DemoPerson;
  toewijzingen: Toewijzing[];
}

const slug = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40)
    .replace(/-$/, "");

const guid = (group: string, n: number) => `00000000-0000-4000-${group}-${String(n).padStart(12, "0")}`;
const DOMEIN = "bronsync.example";

/** The demo schools: one per BRIN of the demo aanleverpunten, named after its first aanleverpunt. */
export function demoSchools(demo: Pick<DemoData, "aanleverpunten">): DemoSchool[] {
  const byBrin = new Map<string, DemoSchool>();
  for (const ap of demo.aanleverpunten) {
    const s = byBrin.get(ap.brin);
    if (s) s.aanleverpunten.push({ code: ap.code, naam: ap.naam });
    else byBrin.set(ap.brin, { id: slug(ap.naam), naam: ap.naam, brins: [ap.brin], aanleverpunten: [{ code: ap.code, naam: ap.naam }] });
  }
  return [...byBrin.values()];
}

export function demoAccess(demo: Pick<DemoData, "aanleverpunten">): DemoAccess {
  const schools = demoSchools(demo);
  const beheerder: DemoPerson = { id: guid("8000", 1), naam: "Bea Beheerder (IT)", email: `beheerder@${DOMEIN}`, rollen: ["Beheerder"], groepen: [], omschrijving: "alle scholen" };
  const gast: DemoPerson = { id: guid("8000", 99), naam: "Gijs Gast", email: `gast@${DOMEIN}`, rollen: [], groepen: [], omschrijving: "aangemeld, maar zonder rol in BRON Sync" };
  const administratie = new Map<string, DemoPerson>();
  const toewijzingen: Toewijzing[] = [];
  schools.forEach((s, i) => {
    const viaGroep = i % 2 === 1;
    const groep = guid("9000", 100 + i);
    const person: DemoPerson = {
      id: guid("8000", 100 + i),
      naam: `Administratie ${s.naam}`,
      email: `administratie.${s.id}@${DOMEIN}`,
      rollen: ["Schooladministratie"],
      groepen: viaGroep ? [groep] : [],
      omschrijving: `${s.naam} (${viaGroep ? "via Entra-groep" : "via toewijzing"})`,
    };
    administratie.set(s.id, person);
    toewijzingen.push(viaGroep ? { soort: "groep", wie: groep, school: s.id } : { soort: "persoon", wie: person.email, school: s.id });
  });
  return {
    schools,
    people: [beheerder, ...administratie.values(), gast],
    beheerder,
    gast,
    administratie: (id) => {
      const p = administratie.get(id);
      if (!p) throw new Error(`no demo school ${id}`);
      return p;
    },
    toewijzingen,
  };
}

async function createIfMissing(client: TableClient, entity: { partitionKey: string; rowKey: string } & Record<string, unknown>): Promise<void> {
  try {
    await client.createEntity(entity);
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 409) throw e;
  }
}

/**
 * Writes the demo schools (in the registry's shape: name, BRINs, aanleverpunten, relay channel,
 * contacts, settings, and the aanleverpunt index) and the demo assignments into Azurite, unless there.
 */
export async function seedDemoAccess(connectionString: string, access: DemoAccess, at: Date, notYetConnected: ReadonlySet<string> = new Set()): Promise<void> {
  const open = async (name: string) => {
    const c = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    await c.createTable();
    return c;
  };
  const schools = await open(SCHOOLS_TABLE);
  for (const s of access.schools) {
    if (notYetConnected.has(s.id)) continue; // onboarded through the page (docs/onboarding.md)
    const record = { ...s, relay: { kanaal: "wachtrij", wachtrij: `relay-${s.id}`, sleutelSecret: `relay-${s.id}-sleutel` }, contact: { emails: [] }, instellingen: { dagelijkseSync: true } };
    for (const ap of s.aanleverpunten) await createIfMissing(schools, { partitionKey: "aanleverpunt", rowKey: ap.code, school: s.id });
    await createIfMissing(schools, { partitionKey: "school", rowKey: s.id, data: JSON.stringify(record) });
  }
  const assignments = await open(ASSIGNMENTS_TABLE);
  for (const t of access.toewijzingen) {
    await createIfMissing(assignments, { partitionKey: safeRowKey(subjectKey(t.soort, t.wie)), rowKey: safeRowKey(t.school), data: JSON.stringify({ ...t, door: "lokale omgeving", op: at.toISOString() }) });
  }
}
