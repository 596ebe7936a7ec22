import { isVisible, TO_REPORT } from "./action-lifecycle.js";
import { blockedIds, toActionView, type ActionView } from "./action-view.js";
import { daysBetween, dutchDay } from "./dates.js";
import { deadlineStatus, type DeadlineStatus } from "./deadline.js";
import { ACTION_LABELS, STATUS_LABELS } from "./labels.js";
import { maskNaam, maskNummer } from "./masking.js";
import { checkMirrorUsable } from "./mirror-freshness.js";
import type { Action, Adres, BronInschrijving, BronLeerling, BronMirror, FeedbackSoort, Inschrijving, IsoDate, Leerling, LvsSnapshot, Pgn, Signal } from "./model.js";

/**
 * The beheerpagina's views beyond the action list (issue 11), pure: the deadline overview across
 * aanleverpunten, the audit trail with its filters, the registratieoverzicht as stored, and a pupil's
 * detail view. Overviews mask names and numbers (masking.ts); only the pupil detail view — opened by a
 * person who may act for the school, and audited as inzage by the caller — shows them in full.
 */

// ── deadline overview ────────────────────────────────────────────────────────────────────────────────

export interface DeadlineRow {
  aanleverpunt: string;
  actionId: string;
  typeLabel: string;
  statusLabel: string;
  leerlingId: string;
  due: IsoDate;
  daysLeft: number;
  status: DeadlineStatus;
}

/**
 * Every action still to be reported, with a deadline, of every aanleverpunt the person may see: soonest
 * due first (overdue first of all); the backlog of a first delivery (achterstallig) after the dated ones.
 */
export function deadlineOverview(perAp: readonly { aanleverpunt: string; actions: readonly Action[] }[], today: IsoDate): DeadlineRow[] {
  const rows: DeadlineRow[] = [];
  for (const { aanleverpunt, actions } of perAp) {
    for (const a of actions) {
      if (!isVisible(a) || !TO_REPORT.has(a.status) || a.deadline === null) continue;
      rows.push({
        aanleverpunt,
        actionId: a.id,
        typeLabel: ACTION_LABELS[a.type],
        statusLabel: STATUS_LABELS[a.status],
        leerlingId: a.leerlingId,
        due: a.deadline.due,
        daysLeft: daysBetween(today, a.deadline.due),
        status: deadlineStatus(a.deadline, today),
      });
    }
  }
  const backlog = (r: DeadlineRow) => (r.status === "ACHTERSTALLIG" ? 1 : 0);
  return rows.sort((x, y) => backlog(x) - backlog(y) || (x.due < y.due ? -1 : x.due > y.due ? 1 : 0) || x.aanleverpunt.localeCompare(y.aanleverpunt) || x.actionId.localeCompare(y.actionId));
}

// ── audit trail ──────────────────────────────────────────────────────────────────────────────────────

export interface AuditRow {
  aanleverpunt: string;
  /** ISO instant */
  at: string;
  op: string;
  door: string;
  wat: string;
  details: Record<string, string | number | boolean | null>;
}

/** The kinds of audit entries, in Dutch. */
export const AUDIT_SOORTEN: Readonly<Record<string, string>> = {
  RUN: "Synchronisatie",
  BEPALEN: "Acties bepalen",
  BESLISSING: "Beslissing",
  VERWIJDEREN: "Acties verwijderen",
  VERZENDEN: "Verwerken en verzenden",
  TERUGKOPPELING: "Terugkoppeling",
  OVERZICHT: "Registratieoverzicht",
  INZAGE: "Inzage",
  HANDMATIGE_ACTIE: "Handmatige actie",
  ONDERWIJS_SINDS: "Onderwijs Sinds",
  INSTELLINGEN: "Instellingen",
  EXPORT: "Export",
  TOEWIJZING: "Toegang toegewezen of verwijderd",
  GEWEIGERD: "Toegang geweigerd",
};

export interface AuditFilter {
  leerling?: string | undefined;
  door?: string | undefined;
  soort?: string | undefined;
  /** Dutch days, inclusive */
  van?: IsoDate | undefined;
  tot?: IsoDate | undefined;
}

const about = (r: AuditRow, leerling: string) => r.details.leerlingId === leerling || String(r.details.leerlingIds ?? "").split(",").includes(leerling);

/** The entries that match every given filter, newest first. Person: part of the name, any case. */
export function filterAudit(rows: readonly AuditRow[], f: AuditFilter): AuditRow[] {
  const door = f.door?.trim().toLowerCase();
  return rows
    .filter((r) => {
      if (f.soort && r.op !== f.soort) return false;
      if (door && !r.door.toLowerCase().includes(door)) return false;
      if (f.leerling && !about(r, f.leerling)) return false;
      if (f.van || f.tot) {
        const day = dutchDay(new Date(r.at));
        if (f.van && day < f.van) return false;
        if (f.tot && day > f.tot) return false;
      }
      return true;
    })
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.aanleverpunt.localeCompare(b.aanleverpunt)));
}

// ── registratieoverzicht ─────────────────────────────────────────────────────────────────────────────

export interface OverzichtInschrijving {
  inschrijvingId: string;
  leerlingId: string;
  /** masked: initials */
  naam: string | null;
  pgn: { soort: Pgn["soort"]; nummer: string } | null;
  vestiging: string;
  schoolsoort: string;
  leerjaar: number | null;
  inschrijfdatum: IsoDate;
  uitschrijfdatum: IsoDate | null;
}

export interface OverzichtView {
  aanleverpunt: string;
  peildatum: IsoDate | null;
  /** the day the overzicht arrived */
  overzichtDatum: IsoDate | null;
  /** days since the peildatum (the 4-week rule counts from it); null when none was fetched */
  leeftijdDagen: number | null;
  /** asked with a peildatum in the past: for viewing only */
  historisch: boolean;
  /** may actions be determined against it today; if not, why (Dutch) */
  bruikbaar: boolean;
  reden: string | null;
  leerlingen: number;
  dubbeleInschrijvingen: number;
  inschrijvingen: OverzichtInschrijving[];
  historischeInschrijvingen: OverzichtInschrijving[];
}

const fullName = (p: { voornamen: string; voorvoegsels: string | null; achternaam: string }) => [p.voornamen, p.voorvoegsels ?? "", p.achternaam].filter((s) => s !== "").join(" ");

/** The stored mirror as 'Tonen Registratieoverzicht BRON' and 'Tonen Historische Inschrijvingen BRON' show it, masked. */
export function overzichtView(mirror: BronMirror, today: IsoDate, maxAgeDays: number): OverzichtView {
  const people = new Map(mirror.leerlingen.map((l) => [l.leerlingId, l]));
  const row = (i: BronInschrijving): OverzichtInschrijving => {
    const p = people.get(i.leerlingId);
    return {
      inschrijvingId: i.inschrijvingId,
      leerlingId: i.leerlingId,
      naam: p ? maskNaam(fullName(p)) : null,
      pgn: p?.pgn ? { soort: p.pgn.soort, nummer: maskNummer(p.pgn.nummer) } : null,
      vestiging: i.vestiging,
      schoolsoort: i.schoolsoort,
      leerjaar: i.leerjaar,
      inschrijfdatum: i.inschrijfdatum,
      uitschrijfdatum: i.uitschrijfdatum,
    };
  };
  const byPupil = (a: OverzichtInschrijving, b: OverzichtInschrijving) => a.leerlingId.localeCompare(b.leerlingId) || a.inschrijvingId.localeCompare(b.inschrijvingId);
  const usable = checkMirrorUsable({ aanleverpunt: mirror.aanleverpunt, leerlingen: [], inschrijvingen: [] }, mirror, today, { maxAgeDays, requireOverzicht: true });
  const peildatum = mirror.peildatum ?? mirror.overzichtDatum;
  return {
    aanleverpunt: mirror.aanleverpunt,
    peildatum: mirror.peildatum,
    overzichtDatum: mirror.overzichtDatum,
    leeftijdDagen: peildatum === null ? null : daysBetween(peildatum, today),
    historisch: peildatum !== null && mirror.overzichtDatum !== null && daysBetween(peildatum, mirror.overzichtDatum) > 1,
    bruikbaar: usable.ok,
    reden: usable.ok ? null : usable.reason,
    leerlingen: mirror.leerlingen.length,
    dubbeleInschrijvingen: mirror.dubbeleInschrijvingen.length,
    inschrijvingen: mirror.inschrijvingen.map(row).sort(byPupil),
    historischeInschrijvingen: mirror.historisch.map(row).sort(byPupil),
  };
}

// ── pupil detail ─────────────────────────────────────────────────────────────────────────────────────

export interface PersoonView {
  naam: string;
  voornamen: string;
  voorvoegsels: string | null;
  achternaam: string;
  geslacht: string;
  geboortedatum: IsoDate;
  pgn: Pgn | null;
  adres: Adres | null;
  nationaliteiten: string[];
}

export interface FeedbackRecord {
  id: string;
  soort: string | null;
  ontvangenOp: string;
  status: string;
  fout: string | null;
  leerlingId: string | null;
  mutatieId: string | null;
}

export const FEEDBACK_LABELS: Readonly<Record<FeedbackSoort, string>> = {
  AFKEUR: "Afkeur",
  INSCHRIJVING_GEACCEPTEERD: "Inschrijving geaccepteerd",
  SPONTANE_MUTATIE: "Spontane mutatie",
  WIJZIGING_SLEUTELGEGEVENS: "Wijziging sleutelgegevens",
  DUBBELE_INSCHRIJVING: "Dubbele inschrijving",
  REGISTRATIEOVERZICHT: "Registratieoverzicht",
};

export interface PupilDetail {
  leerlingId: string;
  /** LvsNaam / BronNaam / Pgn as the manual's Overzicht leerlingen, in full */
  lvsNaam: string | null;
  bronNaam: string | null;
  pgn: Pgn | null;
  lvs: (PersoonView & { onderwijsSinds: IsoDate | null }) | null;
  bron: PersoonView | null;
  inschrijvingen: Inschrijving[];
  bronInschrijvingen: BronInschrijving[];
  historischeInschrijvingen: BronInschrijving[];
  acties: ActionView[];
  signalen: Signal[];
  terugkoppeling: (FeedbackRecord & { soortLabel: string })[];
}

const persoon = (p: Omit<PersoonView, "naam" | "adres">, adres: Adres | null): PersoonView => ({
  naam: fullName(p),
  voornamen: p.voornamen,
  voorvoegsels: p.voorvoegsels,
  achternaam: p.achternaam,
  geslacht: p.geslacht,
  geboortedatum: p.geboortedatum,
  pgn: p.pgn,
  adres,
  nationaliteiten: p.nationaliteiten,
});
const lvsPersoon = (l: Leerling) => ({ ...persoon(l, l.adres), onderwijsSinds: l.onderwijsSinds });
const bronPersoon = (b: BronLeerling) => persoon(b, b.gbaAdres);

export interface DecisionDetail {
  actie: ActionView;
  /** the pupil as LVS2000 holds it now, and as BRON holds it (with the GBA address) */
  lvs: (PersoonView & { onderwijsSinds: IsoDate | null }) | null;
  bron: PersoonView | null;
}

/** What a person needs to decide one action: its differences in full and both sides of the pupil (inzage). */
export function decisionDetail(action: Action, signals: readonly Signal[], lvs: LvsSnapshot, mirror: BronMirror, today: IsoDate): DecisionDetail {
  const l = lvs.leerlingen.find((x) => x.id === action.leerlingId);
  const b = mirror.leerlingen.find((x) => x.leerlingId === action.leerlingId);
  return { actie: toActionView(action, signals, today, { volledig: true }), lvs: l ? lvsPersoon(l) : null, bron: b ? bronPersoon(b) : null };
}

/** Everything known about one pupil, in full; null when neither LVS2000 nor BRON nor any action knows it. */
export function pupilDetail(
  leerlingId: string,
  lvs: LvsSnapshot,
  mirror: BronMirror,
  actions: readonly Action[],
  signals: readonly Signal[],
  feedback: readonly FeedbackRecord[],
  today: IsoDate,
): PupilDetail | null {
  const l = lvs.leerlingen.find((x) => x.id === leerlingId) ?? null;
  const b = mirror.leerlingen.find((x) => x.leerlingId === leerlingId) ?? null;
  const own = actions.filter((a) => a.leerlingId === leerlingId && isVisible(a));
  if (l === null && b === null && own.length === 0) return null;
  const ownIds = new Set(own.map((a) => a.id));
  const ownSignals = signals.filter((s) => s.actionId !== null && ownIds.has(s.actionId));
  const blocked = blockedIds(own, ownSignals);
  const byDate = <T extends { inschrijfdatum: IsoDate }>(xs: T[]) => xs.sort((x, y) => (x.inschrijfdatum < y.inschrijfdatum ? 1 : x.inschrijfdatum > y.inschrijfdatum ? -1 : 0));
  return {
    leerlingId,
    lvsNaam: l ? fullName(l) : null,
    bronNaam: b ? fullName(b) : null,
    pgn: b?.pgn ?? l?.pgn ?? null,
    lvs: l ? lvsPersoon(l) : null,
    bron: b ? bronPersoon(b) : null,
    inschrijvingen: byDate(lvs.inschrijvingen.filter((i) => i.leerlingId === leerlingId).map((i) => ({ ...i }))),
    bronInschrijvingen: byDate(mirror.inschrijvingen.filter((i) => i.leerlingId === leerlingId)),
    historischeInschrijvingen: byDate(mirror.historisch.filter((i) => i.leerlingId === leerlingId)),
    acties: own.map((a) => toActionView(a, ownSignals, today, { volledig: true, geblokkeerd: blocked.has(a.id) })),
    signalen: ownSignals,
    terugkoppeling: feedback
      .filter((f) => f.leerlingId === leerlingId || (f.mutatieId !== null && ownIds.has(f.mutatieId)))
      .map((f) => ({ ...f, soortLabel: f.soort !== null && f.soort in FEEDBACK_LABELS ? FEEDBACK_LABELS[f.soort as FeedbackSoort] : "Onleesbaar bericht" }))
      .sort((x, y) => (x.ontvangenOp < y.ontvangenOp ? 1 : x.ontvangenOp > y.ontvangenOp ? -1 : 0)),
  };
}
