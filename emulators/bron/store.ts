/**
 * DEV/TEST ONLY. The simulator's durable state in one SQLite file (better-sqlite3): the register per
 * aanleverpunt, the simulated BRP, other schools' enrolments, the feedback queue, the MessageID
 * duplicate store, and counters. A restart on the same file keeps everything.
 */
import Database from "better-sqlite3";
import type { BronInschrijving, BronLeerling, FeedbackMessage } from "../../src/contracts/bron/messages.js";
import { checkOnderwijsnummer, normalizePostcode } from "../../src/core/validation.js";
import type { AndereInschrijving, BrpPersoon } from "./seed.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS leerling (aanleverpunt TEXT, leerling_id TEXT, json TEXT, PRIMARY KEY (aanleverpunt, leerling_id));
CREATE TABLE IF NOT EXISTS inschrijving (aanleverpunt TEXT, inschrijving_id TEXT, leerling_id TEXT, json TEXT, PRIMARY KEY (aanleverpunt, inschrijving_id));
CREATE INDEX IF NOT EXISTS inschrijving_leerling ON inschrijving (aanleverpunt, leerling_id);
CREATE TABLE IF NOT EXISTS persoon (bsn TEXT PRIMARY KEY, json TEXT);
CREATE TABLE IF NOT EXISTS postcode (postcode TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS andere_inschrijving (id TEXT PRIMARY KEY, json TEXT);
CREATE TABLE IF NOT EXISTS terugkoppeling (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, aanleverpunt TEXT, beschikbaar_vanaf INTEGER, bevestigd INTEGER DEFAULT 0, json TEXT);
CREATE INDEX IF NOT EXISTS terugkoppeling_open ON terugkoppeling (aanleverpunt, bevestigd, seq);
CREATE TABLE IF NOT EXISTS bericht (message_id TEXT PRIMARY KEY, aanleverpunt TEXT, operation TEXT, response TEXT);
CREATE TABLE IF NOT EXISTS mutatie (aanleverpunt TEXT, mutatie_id TEXT, message_id TEXT, PRIMARY KEY (aanleverpunt, mutatie_id));
CREATE TABLE IF NOT EXISTS teller (naam TEXT PRIMARY KEY, waarde INTEGER NOT NULL);
`;

export type Counters = Record<string, number>;

export class SimulatorStore {
  readonly db: Database.Database;
  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` in one transaction: a request is processed entirely or not at all. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- register ----
  leerling(ap: string, id: string): BronLeerling | undefined {
    return json(this.db.prepare("SELECT json FROM leerling WHERE aanleverpunt = ? AND leerling_id = ?").get(ap, id));
  }
  putLeerling(ap: string, l: BronLeerling): void {
    this.db.prepare("INSERT OR REPLACE INTO leerling VALUES (?, ?, ?)").run(ap, l.leerlingId, JSON.stringify(l));
  }
  deleteLeerling(ap: string, id: string): void {
    this.db.prepare("DELETE FROM leerling WHERE aanleverpunt = ? AND leerling_id = ?").run(ap, id);
  }
  leerlingen(ap: string): BronLeerling[] {
    return jsonAll(this.db.prepare("SELECT json FROM leerling WHERE aanleverpunt = ? ORDER BY leerling_id").all(ap));
  }
  /** Every pupil (any aanleverpunt) BRON knows by this PGN number. */
  leerlingenMetPgn(nummer: string): { aanleverpunt: string; leerling: BronLeerling }[] {
    const rows = this.db.prepare("SELECT aanleverpunt, json FROM leerling WHERE json_extract(json, '$.pgn.nummer') = ?").all(nummer) as { aanleverpunt: string; json: string }[];
    return rows.map((r) => ({ aanleverpunt: r.aanleverpunt, leerling: JSON.parse(r.json) as BronLeerling }));
  }

  inschrijving(ap: string, id: string): BronInschrijving | undefined {
    return json(this.db.prepare("SELECT json FROM inschrijving WHERE aanleverpunt = ? AND inschrijving_id = ?").get(ap, id));
  }
  putInschrijving(i: BronInschrijving): void {
    this.db.prepare("INSERT OR REPLACE INTO inschrijving VALUES (?, ?, ?, ?)").run(i.aanleverpunt, i.inschrijvingId, i.leerlingId, JSON.stringify(i));
  }
  deleteInschrijving(ap: string, id: string): void {
    this.db.prepare("DELETE FROM inschrijving WHERE aanleverpunt = ? AND inschrijving_id = ?").run(ap, id);
  }
  inschrijvingenVan(ap: string, leerlingId: string): BronInschrijving[] {
    return jsonAll(this.db.prepare("SELECT json FROM inschrijving WHERE aanleverpunt = ? AND leerling_id = ? ORDER BY inschrijving_id").all(ap, leerlingId));
  }
  inschrijvingen(ap: string): BronInschrijving[] {
    return jsonAll(this.db.prepare("SELECT json FROM inschrijving WHERE aanleverpunt = ? ORDER BY inschrijving_id").all(ap));
  }

  // ---- BRP, postcodes, other schools ----
  persoon(bsn: string): BrpPersoon | undefined {
    return json(this.db.prepare("SELECT json FROM persoon WHERE bsn = ?").get(bsn.padStart(9, "0")));
  }
  putPersoon(p: BrpPersoon): void {
    this.db.prepare("INSERT OR REPLACE INTO persoon VALUES (?, ?)").run(p.bsn.padStart(9, "0"), JSON.stringify(p));
    if (p.adres?.postcode) this.addPostcode(p.adres.postcode);
  }
  /** Whether a BRP was seeded at all (without one, BSNs are only 11-tested). */
  hasBrp(): boolean {
    return !!this.db.prepare("SELECT 1 FROM persoon LIMIT 1").get();
  }
  /** People in the BRP with these key data (for identificatieverzoeken without a BSN). */
  zoekPersonen(achternaam: string, geboortedatum: string, geslacht: string): BrpPersoon[] {
    return jsonAll<BrpPersoon>(
      this.db.prepare("SELECT json FROM persoon WHERE json_extract(json, '$.geboortedatum') = ? AND json_extract(json, '$.geslacht') = ?").all(geboortedatum, geslacht),
    ).filter((p) => p.achternaam.toLowerCase() === achternaam.toLowerCase());
  }
  addPostcode(pc: string): void {
    this.db.prepare("INSERT OR IGNORE INTO postcode VALUES (?)").run(normalizePostcode(pc));
  }
  /** true/false, or null when the simulator knows no postcodes at all (then nothing is checked). */
  postcodeBekend(pc: string): boolean | null {
    if (!this.db.prepare("SELECT 1 FROM postcode LIMIT 1").get()) return null;
    return !!this.db.prepare("SELECT 1 FROM postcode WHERE postcode = ?").get(normalizePostcode(pc));
  }
  andereInschrijvingen(): AndereInschrijving[] {
    return jsonAll(this.db.prepare("SELECT json FROM andere_inschrijving ORDER BY id").all());
  }
  replaceAndereInschrijvingen(list: AndereInschrijving[]): void {
    this.db.prepare("DELETE FROM andere_inschrijving").run();
    const ins = this.db.prepare("INSERT OR REPLACE INTO andere_inschrijving VALUES (?, ?)");
    for (const a of list) ins.run(`${a.aanleverpunt}/${a.inschrijvingId}`, JSON.stringify(a));
  }

  // ---- feedback queue ----
  queueFeedback(ap: string, make: (id: string, ontvangenOp: string) => FeedbackMessage, delayMs: number): void {
    const id = `TK-${String(this.next("terugkoppeling")).padStart(8, "0")}`;
    const f = make(id, new Date().toISOString());
    this.db.prepare("INSERT INTO terugkoppeling (id, aanleverpunt, beschikbaar_vanaf, json) VALUES (?, ?, ?, ?)").run(id, ap, Date.now() + delayMs, JSON.stringify(f));
  }
  /**
   * Fault injection: queues a message exactly as given, its id included — also an id the contract
   * does not allow (longer than 80, blank) or none at all (null: the message goes out without
   * terugkoppelingId). Such a message cannot be acknowledged by its id, as with a real queue.
   */
  injectFeedback(ap: string, id: string | null, message: Omit<FeedbackMessage, "id">): void {
    const f = { ...message, ...(id === null ? {} : { id }), aanleverpunt: ap };
    this.db.prepare("INSERT INTO terugkoppeling (id, aanleverpunt, beschikbaar_vanaf, json) VALUES (?, ?, ?, ?)").run(id, ap, Date.now(), JSON.stringify(f));
  }
  /** Available, unacknowledged feedback in queue order, plus whether more is waiting. */
  openFeedback(ap: string, max: number): { berichten: FeedbackMessage[]; meer: boolean } {
    const rows = this.db
      .prepare("SELECT json FROM terugkoppeling WHERE aanleverpunt = ? AND bevestigd = 0 AND beschikbaar_vanaf <= ? ORDER BY seq LIMIT ?")
      .all(ap, Date.now(), max + 1) as { json: string }[];
    return { berichten: rows.slice(0, max).map((r) => JSON.parse(r.json) as FeedbackMessage), meer: rows.length > max };
  }
  acknowledge(ap: string, ids: string[]): number {
    const upd = this.db.prepare("UPDATE terugkoppeling SET bevestigd = 1 WHERE aanleverpunt = ? AND id = ? AND bevestigd = 0");
    return ids.reduce((n, id) => n + upd.run(ap, id).changes, 0);
  }
  allFeedback(ap: string): (FeedbackMessage & { bevestigd: boolean })[] {
    const rows = this.db.prepare("SELECT json, bevestigd FROM terugkoppeling WHERE aanleverpunt = ? ORDER BY seq").all(ap) as { json: string; bevestigd: number }[];
    return rows.map((r) => ({ ...(JSON.parse(r.json) as FeedbackMessage), bevestigd: r.bevestigd === 1 }));
  }

  // ---- duplicates and counters ----
  storedResponse(messageId: string): string | undefined {
    const row = this.db.prepare("SELECT response FROM bericht WHERE message_id = ?").get(messageId) as { response: string } | undefined;
    return row?.response;
  }
  storeResponse(messageId: string, ap: string, operation: string, response: string): void {
    this.db.prepare("INSERT INTO bericht VALUES (?, ?, ?, ?)").run(messageId, ap, operation, response);
  }
  /** Records that `mutatieId` was registered by `messageId`; false when it was already registered before. */
  registerMutatie(ap: string, mutatieId: string, messageId: string): boolean {
    return this.db.prepare("INSERT OR IGNORE INTO mutatie VALUES (?, ?, ?)").run(ap, mutatieId, messageId).changes === 1;
  }
  count(naam: string, by = 1): void {
    this.db.prepare("INSERT INTO teller VALUES (?, ?) ON CONFLICT (naam) DO UPDATE SET waarde = waarde + excluded.waarde").run(naam, by);
  }
  counters(): Counters {
    const rows = this.db.prepare("SELECT naam, waarde FROM teller WHERE naam NOT LIKE 'seq:%' ORDER BY naam").all() as { naam: string; waarde: number }[];
    return Object.fromEntries(rows.map((r) => [r.naam, r.waarde]));
  }
  /** Next value of a named sequence (1, 2, …), durable. */
  next(naam: string): number {
    this.count(`seq:${naam}`);
    return (this.db.prepare("SELECT waarde FROM teller WHERE naam = ?").get(`seq:${naam}`) as { waarde: number }).waarde;
  }

  /** A fresh, valid onderwijsnummer: 9 digits, starts with 10, 11-test sum mod 11 = 5. */
  nieuwOnderwijsnummer(): string {
    for (;;) {
      const candidate = `10${String(1_000_000 + this.next("onderwijsnummer")).padStart(7, "0")}`;
      if (checkOnderwijsnummer(candidate).ok) return candidate;
    }
  }
}

function json<T>(row: unknown): T | undefined {
  return row ? (JSON.parse((row as { json: string }).json) as T) : undefined;
}
function jsonAll<T>(rows: unknown[]): T[] {
  return rows.map((r) => JSON.parse((r as { json: string }).json) as T);
}
