import { TableClient } from "@azure/data-tables";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createAssignmentStore, createSchoolDirectory, type AssignmentStore, type SchoolDirectory } from "../../src/adapters/state/access-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import { scopeOf, subjectsOf, Toewijzing, type Person } from "../../src/core/access.js";

// What access control reads from Table Storage (src/adapters/state/access-store.ts), with the real
// @azure/data-tables client against Azurite. Tables get a per-run prefix so files can share Azurite.

const prefix = `acc${Date.now() % 1_000_000}`;
let assignments: AssignmentStore;
let schools: SchoolDirectory;
let raw: TableClient;

beforeAll(async () => {
  const cs = inject("azuriteConnectionString");
  const tables = tablesFromConnectionString(cs);
  const prefixed = (name: string) => tables(`${prefix}${name}`);
  assignments = createAssignmentStore({ tables: prefixed });
  schools = createSchoolDirectory({ tables: prefixed });
  raw = prefixed("schools");
  await raw.createTable();
  // one school in the registry's full shape (aanleverpunten as objects), one with plain codes
  await raw.createEntity({ partitionKey: "school", rowKey: "school-a", data: JSON.stringify({ id: "school-a", naam: "School A", brins: ["12AB"], aanleverpunten: [{ code: "12AB00", naam: "A" }, { code: "12AB01", naam: "A2" }], relay: {}, contact: { emails: [] } }) });
  await raw.createEntity({ partitionKey: "school", rowKey: "school-b", data: JSON.stringify({ naam: "School B", aanleverpunten: ["34CD00"] }) });
  for (const [code, school] of [["12AB00", "school-a"], ["12AB01", "school-a"], ["34CD00", "school-b"], ["56EF00", "school-b"], ["78GH00", "weg"]]) {
    await raw.createEntity({ partitionKey: "aanleverpunt", rowKey: code!, school: school! });
  }
});

describe("the school of an aanleverpunt", () => {
  it("one index read confirmed by the school row", async () => {
    expect(await schools.schoolOf("12AB01")).toEqual({ id: "school-a", naam: "School A" });
    expect(await schools.schoolOf("34CD00")).toEqual({ id: "school-b", naam: "School B" });
  });

  it("an index row the school does not confirm, of a school that is gone, or no index row: no school", async () => {
    expect(await schools.schoolOf("56EF00")).toBeNull();
    expect(await schools.schoolOf("78GH00")).toBeNull();
    expect(await schools.schoolOf("99ZZ00")).toBeNull();
  });

  it("lists every school with its aanleverpunten", async () => {
    expect(await schools.list()).toEqual([
      { id: "school-a", naam: "School A", aanleverpunten: ["12AB00", "12AB01"] },
      { id: "school-b", naam: "School B", aanleverpunten: ["34CD00"] },
    ]);
  });
});

describe("assignments", () => {
  const person: Person = { id: "0b1c-OID", naam: "Jan#Jansen/x@school.example", rollen: ["Schooladministratie"], groepen: Array.from({ length: 40 }, (_, i) => `groep-${i}`) };

  it("a person's assignments are found under their name, id and any of many groups (more than one query's worth), and only theirs", async () => {
    const at = new Date("2026-11-28T10:00:00Z");
    const add = (t: unknown) => assignments.add(Toewijzing.parse(t), "beheerder@it.example", at);
    expect(await add({ soort: "persoon", wie: "JAN#JANSEN/X@school.example", school: "school-a" })).toBe(true);
    expect(await add({ soort: "persoon", wie: "JAN#JANSEN/X@school.example", school: "school-a" })).toBe(false);
    expect(await add({ soort: "groep", wie: "groep-37", school: "school-b" })).toBe(true);
    expect(await add({ soort: "persoon", wie: "0b1c-oid", school: "school-c" })).toBe(true);
    expect(await add({ soort: "persoon", wie: "iemand@anders.example", school: "school-d" })).toBe(true);
    const found = await assignments.forSubjects(subjectsOf(person));
    expect(scopeOf(person, found)).toEqual({ rol: "Schooladministratie", scholen: ["school-a", "school-b", "school-c"] });
    expect((await assignments.list()).map((r) => `${r.soort}:${r.wie}>${r.school}:${r.door}`)).toEqual([
      "persoon:jan#jansen/x@school.example>school-a:beheerder@it.example",
      "groep:groep-37>school-b:beheerder@it.example",
      "persoon:0b1c-oid>school-c:beheerder@it.example",
      "persoon:iemand@anders.example>school-d:beheerder@it.example",
    ]);
  });

  it("removing an assignment closes it; removing one that is not there says so", async () => {
    const t = Toewijzing.parse({ soort: "groep", wie: "GROEP-37", school: "school-b" });
    expect(await assignments.remove(t)).toBe(true);
    expect(await assignments.remove(t)).toBe(false);
    expect(scopeOf(person, await assignments.forSubjects(subjectsOf(person)))).toEqual({ rol: "Schooladministratie", scholen: ["school-a", "school-c"] });
  });
});
