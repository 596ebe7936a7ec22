import { TYPES } from "tedious";
import type { LvsWrite } from "../../contracts/relay/api.js";
import type { SqlParam, SqlRow, SqlSession } from "./connection.js";

/**
 * ALL SQL the relay runs against LVS2000, in one place, so a site whose schema differs from
 * docs/lvs2000.sql is mapped here and nowhere else. Every statement is static text with typed
 * parameters; no caller ever supplies SQL, table or column names. Plain T-SQL (SQL Server 2005+):
 * no MERGE, no procedures, no CTEs. Functions return raw rows; mapping to the model is elsewhere.
 */

const str = (name: string, value: string | null): SqlParam => ({ name, type: TYPES.NVarChar, value });
const int = (name: string, value: number | null): SqlParam => ({ name, type: TYPES.Int, value });
const dateTime = (name: string, value: Date | null): SqlParam => ({ name, type: TYPES.DateTime, value });
/** A calendar date (YYYY-MM-DD) as a DATETIME at midnight (the connection uses UTC). */
const day = (name: string, iso: string | null): SqlParam => dateTime(name, iso === null ? null : new Date(`${iso}T00:00:00Z`));

/** The highest installed LVS2000 version, e.g. "2.10.1234"; null when the table is empty. */
export async function selectDatabaseVersion(s: SqlSession): Promise<string | null> {
  const { rows } = await s.query("SELECT TOP 1 Versie FROM dbo.DatabaseVersie ORDER BY GeinstalleerdOp DESC");
  const v = rows[0]?.Versie;
  return typeof v === "string" ? v : null;
}

/** Aanleverpunten with their vestigingen (one row per pair; vestiging null when it has none). */
export async function selectAanleverpunten(s: SqlSession): Promise<SqlRow[]> {
  const { rows } = await s.query(
    "SELECT a.AanleverpuntCode, a.Naam, v.VestigingCode FROM dbo.Aanleverpunt a " +
      "LEFT JOIN dbo.Vestiging v ON v.AanleverpuntCode = a.AanleverpuntCode ORDER BY a.AanleverpuntCode, v.VestigingCode",
  );
  return rows;
}

export async function aanleverpuntExists(s: SqlSession, ap: string): Promise<boolean> {
  const { rows } = await s.query("SELECT AanleverpuntCode FROM dbo.Aanleverpunt WHERE AanleverpuntCode = @ap", [str("ap", ap)]);
  return rows.length > 0;
}

const leerlingColumns =
  "l.LeerlingNummer, l.Bsn, l.Onderwijsnummer, l.Voornamen, l.Voorvoegsels, l.Achternaam, l.Geslacht, l.Geboortedatum, " +
  "l.OnderwijsSinds, l.RowVersion AS LeerlingRowVersion, a.LeerlingNummer AS AdresLeerlingNummer, a.Straat, a.Huisnummer, " +
  "a.Toevoeging, a.Postcode, a.Plaats, a.Land, a.RowVersion AS AdresRowVersion";

/**
 * One page of the aanleverpunt's pupils (those in its administratie or with an enrolment on it),
 * after `after` in leerlingnummer order (keyset paging: stable and cheap however deep the page),
 * with their address.
 */
export async function selectLeerlingPage(s: SqlSession, ap: string, after: string, limit: number): Promise<SqlRow[]> {
  const { rows } = await s.query(
    `SELECT TOP (@limit) ${leerlingColumns} FROM dbo.Leerling l ` +
      "LEFT JOIN dbo.Adres a ON a.LeerlingNummer = l.LeerlingNummer " +
      "WHERE l.LeerlingNummer > @after AND (l.AanleverpuntCode = @ap OR EXISTS (SELECT 1 FROM dbo.Inschrijving i " +
      "WHERE i.LeerlingNummer = l.LeerlingNummer AND i.AanleverpuntCode = @ap)) ORDER BY l.LeerlingNummer",
    [int("limit", limit), str("after", after), str("ap", ap)],
  );
  return rows;
}

/** The key range of one page: leerlingnummers in (after, last]. */
export interface PageRange {
  ap: string;
  after: string;
  last: string;
}
const rangeParams = (r: PageRange) => [str("ap", r.ap), str("after", r.after), str("last", r.last)];
const inRange = "i.AanleverpuntCode = @ap AND i.LeerlingNummer > @after AND i.LeerlingNummer <= @last";

export async function selectNationaliteiten(s: SqlSession, r: PageRange): Promise<SqlRow[]> {
  const { rows } = await s.query(
    "SELECT n.LeerlingNummer, n.NationaliteitCode FROM dbo.LeerlingNationaliteit n " +
      "WHERE n.LeerlingNummer > @after AND n.LeerlingNummer <= @last ORDER BY n.LeerlingNummer, n.Volgnummer",
    [str("after", r.after), str("last", r.last)],
  );
  return rows;
}

export async function selectInschrijvingen(s: SqlSession, r: PageRange): Promise<SqlRow[]> {
  const { rows } = await s.query(
    "SELECT i.InschrijvingId, i.LeerlingNummer, i.AanleverpuntCode, i.VestigingCode, i.Inschrijfdatum, i.Uitschrijfdatum, " +
      "i.RedenUitschrijving, i.Schoolsoort, i.Onderwijssoort, i.SoortVerblijf, i.Bekostigd, i.Nnca, i.Gewicht, i.Vve, i.RowVersion, " +
      "b.InschrijvingId AS AbInschrijvingId, b.OndersteunendeVestiging, b.OntvangendeVestiging, b.Begindatum AS AbBegindatum, " +
      "t.InschrijvingId AS EtInschrijvingId, t.Afnamedatum AS EtAfnamedatum, t.Toetsadvies AS EtToetsadvies, t.Score AS EtScore, " +
      "t.RedenGeenToets AS EtRedenGeenToets, " +
      "a.InschrijvingId AS SaInschrijvingId, a.Advies AS SaAdvies, a.AdviesDatum AS SaAdviesDatum, a.HerzienAdvies AS SaHerzienAdvies, " +
      "a.HerzienDatum AS SaHerzienDatum " +
      "FROM dbo.Inschrijving i LEFT JOIN dbo.AmbulanteBegeleiding b ON b.InschrijvingId = i.InschrijvingId " +
      "LEFT JOIN dbo.Eindtoets t ON t.InschrijvingId = i.InschrijvingId " +
      "LEFT JOIN dbo.Schooladvies a ON a.InschrijvingId = i.InschrijvingId " +
      `WHERE ${inRange} ORDER BY i.LeerlingNummer, i.InschrijvingId`,
    rangeParams(r),
  );
  return rows;
}

/** Group history rows (klassenhistorie) of the page's enrolments, oldest first per enrolment. */
export async function selectGroepHistorie(s: SqlSession, r: PageRange): Promise<SqlRow[]> {
  const { rows } = await s.query(
    "SELECT g.GroepHistorieId, g.InschrijvingId, g.Leerjaar, g.Groep, g.Begindatum FROM dbo.GroepHistorie g " +
      `INNER JOIN dbo.Inschrijving i ON i.InschrijvingId = g.InschrijvingId WHERE ${inRange} ` +
      "ORDER BY g.InschrijvingId, g.Begindatum, g.GroepHistorieId",
    rangeParams(r),
  );
  return rows;
}

export async function selectIndicaties(s: SqlSession, r: PageRange): Promise<SqlRow[]> {
  const { rows } = await s.query(
    "SELECT x.IndicatieId, x.InschrijvingId, x.Soort, x.Begindatum, x.Einddatum, x.Categorie FROM dbo.Indicatie x " +
      `INNER JOIN dbo.Inschrijving i ON i.InschrijvingId = x.InschrijvingId WHERE ${inRange} ` +
      "ORDER BY x.InschrijvingId, x.Begindatum, x.IndicatieId",
    rangeParams(r),
  );
  return rows;
}

/**
 * The current row versions of a pupil and its address; undefined when the pupil does not exist.
 * Inside a write transaction: UPDLOCK + HOLDLOCK keep both rows (or the address gap) locked until
 * commit, so two writers for one pupil queue up instead of both passing the version check.
 */
export async function selectRowVersions(s: SqlSession, leerlingId: string): Promise<SqlRow | undefined> {
  const { rows } = await s.query(
    "SELECT l.RowVersion AS LeerlingRowVersion, a.LeerlingNummer AS AdresLeerlingNummer, a.RowVersion AS AdresRowVersion " +
      "FROM dbo.Leerling l WITH (UPDLOCK, HOLDLOCK) LEFT JOIN dbo.Adres a WITH (UPDLOCK, HOLDLOCK) ON a.LeerlingNummer = l.LeerlingNummer " +
      "WHERE l.LeerlingNummer = @id",
    [str("id", leerlingId)],
  );
  return rows[0];
}

/** Applies one write; the row-version check happened before, in the same transaction. */
export async function applyWrite(s: SqlSession, w: LvsWrite, now: Date): Promise<void> {
  const id = str("id", w.leerlingId);
  const at = dateTime("nu", now);
  switch (w.soort) {
    case "SET_PGN":
      await s.query(
        w.pgn.soort === "BSN"
          ? "UPDATE dbo.Leerling SET Bsn = @nummer, GewijzigdOp = @nu WHERE LeerlingNummer = @id"
          : "UPDATE dbo.Leerling SET Onderwijsnummer = @nummer, GewijzigdOp = @nu WHERE LeerlingNummer = @id",
        [id, at, str("nummer", w.pgn.nummer)],
      );
      return;
    case "NAAM_CORRECTIE": {
      // only the fields the write carries: unchanged data is never rewritten (fixed column names, values as parameters)
      const columns: [string, SqlParam | null][] = [
        ["Voornamen", w.voornamen === undefined ? null : str("voornamen", w.voornamen)],
        ["Voorvoegsels", w.voorvoegsels === undefined ? null : str("voorvoegsels", w.voorvoegsels)],
        ["Achternaam", w.achternaam === undefined ? null : str("achternaam", w.achternaam)],
        ["Geslacht", w.geslacht === undefined ? null : str("geslacht", w.geslacht)],
        ["Geboortedatum", w.geboortedatum === undefined ? null : day("geboortedatum", w.geboortedatum)],
      ];
      const present = columns.filter((c): c is [string, SqlParam] => c[1] !== null);
      const set = present.map(([column, p]) => `${column} = @${p.name}`);
      await s.query(`UPDATE dbo.Leerling SET ${[...set, "GewijzigdOp = @nu"].join(", ")} WHERE LeerlingNummer = @id`, [id, at, ...present.map(([, p]) => p)]);
      return;
    }
    case "GBA_ADRES": {
      const a = w.adres;
      const values = [id, str("straat", a.straat), int("huisnummer", a.huisnummer), str("toevoeging", a.toevoeging), str("postcode", a.postcode), str("plaats", a.plaats), str("land", a.land)];
      const updated = await s.query(
        "UPDATE dbo.Adres SET Straat = @straat, Huisnummer = @huisnummer, Toevoeging = @toevoeging, Postcode = @postcode, " +
          "Plaats = @plaats, Land = @land WHERE LeerlingNummer = @id",
        values,
      );
      if (updated.rowCount === 0) {
        await s.query(
          "INSERT INTO dbo.Adres (LeerlingNummer, Straat, Huisnummer, Toevoeging, Postcode, Plaats, Land) " +
            "VALUES (@id, @straat, @huisnummer, @toevoeging, @postcode, @plaats, @land)",
          values,
        );
      }
      await s.query("UPDATE dbo.Leerling SET GewijzigdOp = @nu WHERE LeerlingNummer = @id", [id, at]);
      return;
    }
    case "ONDERWIJS_SINDS":
      await s.query("UPDATE dbo.Leerling SET OnderwijsSinds = @sinds, GewijzigdOp = @nu WHERE LeerlingNummer = @id", [id, at, day("sinds", w.onderwijsSinds)]);
      return;
    case "NATIONALITEITEN": {
      // the whole list is replaced; the pupil row is touched so its row version moves with it
      await s.query("DELETE FROM dbo.LeerlingNationaliteit WHERE LeerlingNummer = @id", [id]);
      if (w.nationaliteiten.length > 0) {
        const tuples = w.nationaliteiten.map((_, i) => `(@id, @v${i}, @n${i})`);
        const params = w.nationaliteiten.flatMap((code, i) => [int(`v${i}`, i + 1), str(`n${i}`, code)]);
        await s.query(`INSERT INTO dbo.LeerlingNationaliteit (LeerlingNummer, Volgnummer, NationaliteitCode) VALUES ${tuples.join(", ")}`, [id, ...params]);
      }
      await s.query("UPDATE dbo.Leerling SET GewijzigdOp = @nu WHERE LeerlingNummer = @id", [id, at]);
      return;
    }
    default: {
      const never: never = w;
      throw new Error(`unknown write ${(never as { soort: string }).soort}`);
    }
  }
}

export interface AuditEntry {
  requestId: string;
  soort: string;
  leerlingId: string;
  resultaat: string;
  /** names of the fields written, never their values */
  velden: string;
}

export async function insertAudit(s: SqlSession, e: AuditEntry, now: Date): Promise<void> {
  await s.query(
    "INSERT INTO dbo.RelayAudit (RequestId, Soort, LeerlingNummer, Resultaat, Velden, Tijdstip) VALUES (@rid, @soort, @id, @res, @velden, @nu)",
    [str("rid", e.requestId), str("soort", e.soort), str("id", e.leerlingId), str("res", e.resultaat), str("velden", e.velden), dateTime("nu", now)],
  );
}

export async function selectVerzoek(s: SqlSession, requestId: string): Promise<SqlRow | undefined> {
  const { rows } = await s.query("SELECT VerzoekHash, HttpStatus, Antwoord FROM dbo.RelayVerzoek WHERE RequestId = @rid", [str("rid", requestId)]);
  return rows[0];
}

/** Claims a request id before writing: a second, concurrent request with the same id fails on the key. */
export async function insertVerzoek(s: SqlSession, requestId: string, hash: string, now: Date): Promise<void> {
  await s.query(
    "INSERT INTO dbo.RelayVerzoek (RequestId, VerzoekHash, HttpStatus, Antwoord, Tijdstip) VALUES (@rid, @hash, 0, @leeg, @nu)",
    [str("rid", requestId), str("hash", hash), str("leeg", ""), dateTime("nu", now)],
  );
}

export async function updateVerzoekAntwoord(s: SqlSession, requestId: string, httpStatus: number, antwoord: string): Promise<void> {
  await s.query("UPDATE dbo.RelayVerzoek SET HttpStatus = @status, Antwoord = @antwoord WHERE RequestId = @rid", [
    str("rid", requestId),
    int("status", httpStatus),
    str("antwoord", antwoord),
  ]);
}
