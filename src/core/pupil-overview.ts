import { maskNaam, maskNummer } from "./masking.js";
import type { BronMirror, DubbeleInschrijving, LvsSnapshot, Pgn } from "./model.js";

/**
 * Overzicht leerlingen (manual ch. 4): every pupil with an enrolment on the aanleverpunt, with the
 * name as LVS2000 holds it (LvsNaam), as BRON holds it (BronNaam) and the Pgn used between them.
 * It is a list, so names and numbers are masked. The 'Toon' filter shows the pupils not yet linked
 * with BRON (BRON holds no person under their leerlingnummer).
 */

export const LEERLING_FILTERS = ["ALLE", "NIET_GEKOPPELD"] as const;
export type LeerlingFilter = (typeof LEERLING_FILTERS)[number];

export interface PupilRow {
  leerlingId: string;
  lvsNaam: string;
  /** null when BRON does not know the pupil (not yet linked) */
  bronNaam: string | null;
  pgn: { soort: Pgn["soort"]; nummer: string } | null;
  gekoppeld: boolean;
}

const fullName = (p: { voornamen: string; voorvoegsels: string | null; achternaam: string }) => [p.voornamen, p.voorvoegsels ?? "", p.achternaam].filter((s) => s !== "").join(" ");
const maskedPgn = (pgn: Pgn | null) => (pgn === null ? null : { soort: pgn.soort, nummer: maskNummer(pgn.nummer) });

/** The overview rows, sorted by leerlingnummer; BRON's Pgn where BRON knows the pupil, else LVS2000's. */
export function pupilOverview(lvs: LvsSnapshot, mirror: BronMirror, toon: LeerlingFilter): PupilRow[] {
  const enrolled = new Set(lvs.inschrijvingen.map((i) => i.leerlingId));
  const bron = new Map(mirror.leerlingen.map((l) => [l.leerlingId, l]));
  return lvs.leerlingen
    .filter((l) => enrolled.has(l.id))
    .map((l): PupilRow => {
      const b = bron.get(l.id);
      return { leerlingId: l.id, lvsNaam: maskNaam(fullName(l)), bronNaam: b ? maskNaam(fullName(b)) : null, pgn: maskedPgn(b?.pgn ?? l.pgn), gekoppeld: b !== undefined };
    })
    .filter((r) => toon === "ALLE" || !r.gekoppeld)
    .sort((a, b) => (a.leerlingId < b.leerlingId ? -1 : a.leerlingId > b.leerlingId ? 1 : 0));
}

/** Tonen Dubbele Inschrijvingen: overlaps with another school, newest report first. Holds no names or numbers. */
export function duplicateEnrolments(mirror: BronMirror): DubbeleInschrijving[] {
  return [...mirror.dubbeleInschrijvingen].sort((a, b) => (a.gemeldOp > b.gemeldOp ? -1 : a.gemeldOp < b.gemeldOp ? 1 : a.inschrijvingId.localeCompare(b.inschrijvingId)));
}
