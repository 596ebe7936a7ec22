import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TYPES } from "tedious";
import { startTdsServer } from "../../emulators/sqlserver/index.js";
import type { Inschrijving, Leerling } from "../../src/core/model.js";
import { createSqlPool, type SqlParam, type SqlPool, type SqlSession, type SqlType } from "../../src/relay/sql/connection.js";
import type { DemoData } from "../demo-data/generate.js";

/**
 * The demo LVS2000 database: the documented DDL (docs/lvs2000.sql) plus the demo data's LVS
 * snapshots, loaded THROUGH tedious (multi-row parameterised INSERTs in one transaction), so the
 * seed exercises the same driver and the same T-SQL subset as the relay.
 */

const here = dirname(fileURLToPath(import.meta.url));
/** docs/lvs2000.sql, found from src (scripts/local-stack) and from dist (dist/scripts/local-stack). */
export function lvsDdlText(): string {
  for (const up of ["../..", "../../.."]) {
    try {
      return readFileSync(join(here, up, "docs", "lvs2000.sql"), "utf8");
    } catch {
      /* try the next place */
    }
  }
  throw new Error("docs/lvs2000.sql not found");
}

/** The DDL's batches (separated by GO lines, as SSMS and sqlcmd read them). */
export function ddlBatches(ddl = lvsDdlText()): string[] {
  return ddl
    .split(/^\s*GO\s*$/im)
    .map((b) => b.replace(/^\s*--.*$/gm, "").trim())
    .filter((b) => b.length > 0);
}

type Cell = { type: SqlType; value: unknown };
type Row = Cell[];
const s = (value: string | null): Cell => ({ type: TYPES.NVarChar, value });
const n = (value: number | null): Cell => ({ type: TYPES.Int, value });
const b = (value: boolean | null): Cell => ({ type: TYPES.Bit, value });
/** A decimal as FLOAT (tedious sends DECIMAL parameters at scale 0 unless told otherwise; SQL Server converts FLOAT to the column's DECIMAL). */
const f = (value: number | null): Cell => ({ type: TYPES.Float, value });
const d = (iso: string | null): Cell => ({ type: TYPES.DateTime, value: iso === null ? null : new Date(`${iso}T00:00:00Z`) });

interface Table {
  name: string;
  columns: string[];
  rows: Row[];
}

function leerlingRows(l: Leerling, aanleverpunt: string): Row {
  const bsn = l.pgn?.soort === "BSN" ? l.pgn.nummer : null;
  const onr = l.pgn?.soort === "ONDERWIJSNUMMER" ? l.pgn.nummer : null;
  return [s(l.id), s(aanleverpunt), s(bsn), s(onr), s(l.voornamen), s(l.voorvoegsels), s(l.achternaam), s(l.geslacht), d(l.geboortedatum), d(l.onderwijsSinds)];
}

function inschrijvingRow(i: Inschrijving): Row {
  return [
    s(i.id), s(i.leerlingId), s(i.aanleverpunt), s(i.vestiging), d(i.inschrijfdatum), d(i.uitschrijfdatum), s(i.redenUitschrijving), s(i.schoolsoort), s(i.onderwijssoort),
    s(i.soortVerblijf), b(i.bekostigd), b(i.nnca), f(i.gewicht), b(i.vve),
  ];
}

/** The demo data as rows per table, in insertion (foreign key) order. */
export function demoTables(data: DemoData, version = "2.10.5012"): Table[] {
  const t = (name: string, columns: string[]): Table => ({ name, columns, rows: [] });
  const versie = t("DatabaseVersie", ["Versie", "GeinstalleerdOp"]);
  const ap = t("Aanleverpunt", ["AanleverpuntCode", "Brin", "Naam"]);
  const vest = t("Vestiging", ["VestigingCode", "AanleverpuntCode", "Naam"]);
  const leer = t("Leerling", ["LeerlingNummer", "AanleverpuntCode", "Bsn", "Onderwijsnummer", "Voornamen", "Voorvoegsels", "Achternaam", "Geslacht", "Geboortedatum", "OnderwijsSinds"]);
  const adres = t("Adres", ["LeerlingNummer", "Straat", "Huisnummer", "Toevoeging", "Postcode", "Plaats", "Land"]);
  const nat = t("LeerlingNationaliteit", ["LeerlingNummer", "Volgnummer", "NationaliteitCode"]);
  const ins = t("Inschrijving", ["InschrijvingId", "LeerlingNummer", "AanleverpuntCode", "VestigingCode", "Inschrijfdatum", "Uitschrijfdatum", "RedenUitschrijving", "Schoolsoort", "Onderwijssoort", "SoortVerblijf", "Bekostigd", "Nnca", "Gewicht", "Vve"]);
  const groep = t("GroepHistorie", ["InschrijvingId", "Leerjaar", "Groep", "Begindatum"]);
  const toets = t("Eindtoets", ["InschrijvingId", "Afnamedatum", "Toetsadvies", "Score", "RedenGeenToets"]);
  const advies = t("Schooladvies", ["InschrijvingId", "Advies", "AdviesDatum", "HerzienAdvies", "HerzienDatum"]);
  const ind = t("Indicatie", ["InschrijvingId", "Soort", "Begindatum", "Einddatum", "Categorie"]);
  const ab = t("AmbulanteBegeleiding", ["InschrijvingId", "OndersteunendeVestiging", "OntvangendeVestiging", "Begindatum"]);
  versie.rows.push([s(version), d(data.today)]);
  const seenVestiging = new Set<string>();
  for (const a of data.aanleverpunten) {
    ap.rows.push([s(a.code), s(a.brin), s(a.naam)]);
    for (const v of a.vestigingen) if (!seenVestiging.has(v) && seenVestiging.add(v)) vest.rows.push([s(v), s(a.code), s(`${a.naam} (${v})`)]);
  }
  const seenLeerling = new Set<string>();
  for (const snap of data.lvs) {
    for (const l of snap.leerlingen) {
      if (seenLeerling.has(l.id)) continue;
      seenLeerling.add(l.id);
      leer.rows.push(leerlingRows(l, snap.aanleverpunt));
      if (l.adres) adres.rows.push([s(l.id), s(l.adres.straat), n(l.adres.huisnummer), s(l.adres.toevoeging), s(l.adres.postcode), s(l.adres.plaats), s(l.adres.land)]);
      l.nationaliteiten.forEach((code, i) => nat.rows.push([s(l.id), n(i + 1), s(code)]));
    }
    for (const i of snap.inschrijvingen) {
      ins.rows.push(inschrijvingRow(i));
      for (const p of i.klassenhistorie) groep.rows.push([s(i.id), n(p.leerjaar), s(p.groep), d(p.begindatum)]);
      if (i.klassenhistorie.length === 0 && i.leerjaar !== null) groep.rows.push([s(i.id), n(i.leerjaar), s(null), d(i.inschrijfdatum)]);
      const e = i.eindtoets;
      if (e) toets.rows.push([s(i.id), d(e.afnamedatum), s(e.toetsadvies), n(e.score), s(e.redenGeenToets)]);
      const sa = i.schooladvies;
      if (sa) advies.rows.push([s(i.id), s(sa.advies), d(sa.datum), s(sa.herzienAdvies), d(sa.herzienDatum)]);
      for (const x of i.indicaties) ind.rows.push([s(i.id), s(x.soort), d(x.begindatum), d(x.einddatum), s(x.categorie)]);
      const a = i.ambulanteBegeleiding;
      if (a) ab.rows.push([s(i.id), s(a.ondersteunendeVestiging), s(a.ontvangendeVestiging), d(a.begindatum)]);
    }
  }
  return [versie, ap, vest, leer, adres, nat, ins, groep, ind, ab, toets, advies];
}

/** Inserts a table's rows with multi-row INSERTs of at most ~2000 parameters each (SQL Server's limit is 2100). */
export async function insertRows(session: SqlSession, table: Table): Promise<void> {
  const per = Math.max(1, Math.min(500, Math.floor(2000 / table.columns.length)));
  for (let start = 0; start < table.rows.length; start += per) {
    const chunk = table.rows.slice(start, start + per);
    const params: SqlParam[] = [];
    const tuples = chunk.map((row, r) => `(${row.map((cell, c) => {
      const name = `p${r}_${c}`;
      params.push({ name, type: cell.type, value: cell.value });
      return `@${name}`;
    }).join(", ")})`);
    await session.query(`INSERT INTO dbo.${table.name} (${table.columns.join(", ")}) VALUES ${tuples.join(", ")}`, params);
  }
}

/** Creates the schema (docs/lvs2000.sql) and loads the demo data through an open tedious pool. */
export async function loadDemoLvsDatabase(pool: SqlPool, data: DemoData, opts: { version?: string } = {}): Promise<Record<string, number>> {
  for (const batch of ddlBatches()) await pool.query(batch);
  const tables = demoTables(data, opts.version);
  await pool.transaction(async (session) => {
    for (const table of tables) await insertRows(session, table);
  });
  return Object.fromEntries(tables.map((t) => [t.name, t.rows.length]));
}

/**
 * `createDemoLvsDatabase({ sqlitePath, data })`: makes the demo LVS2000 database in a SQLite file
 * for the TDS test server (dev/test only): starts that server on the file for the duration, creates
 * the schema and loads the data through tedious, then stops it. Start the server on the same file
 * again to serve it (relay, local stack, bench).
 */
export async function createDemoLvsDatabase(o: { sqlitePath: string; data: DemoData; version?: string }): Promise<Record<string, number>> {
  const login = { user: "lvs-seed", password: randomBytes(12).toString("base64url") };
  const tds = await startTdsServer({ database: o.sqlitePath, logins: { [login.user]: login.password } });
  const pool = createSqlPool({
    server: "127.0.0.1", port: tds.port, database: "LVS2000", auth: { type: "sql", userName: login.user, password: login.password },
    encrypt: false, trustServerCertificate: true, size: 1,
  });
  try {
    return await loadDemoLvsDatabase(pool, o.data, o.version ? { version: o.version } : {});
  } finally {
    await pool.close();
    await tds.stop();
  }
}
