import type { CertificateStatus } from "../adapters/certificates/index.js";
import { actionListView, type ActieFilter, type ActionListView } from "../core/action-view.js";
import { dutchDay } from "../core/dates.js";
import type { Aanleverpunt, DubbeleInschrijving } from "../core/model.js";
import { duplicateEnrolments, pupilOverview, type LeerlingFilter, type PupilRow } from "../core/pupil-overview.js";
import type { LvsProblem } from "../adapters/state/state-store.js";
import type { SyncDeps } from "./deps.js";

/**
 * What the beheerpagina reads: each a small composition of stored state (and, for the pupil
 * overview, the live LVS2000 snapshot through the relay) with a pure view from src/core. Lists
 * carry ids, labels and masked personal data only.
 */

export interface AanleverpuntView {
  code: string;
  naam: string;
  certificaat: Pick<CertificateStatus, "state" | "daysUntilExpiry" | "notAfter" | "melding">;
}

/** The aanleverpunten the relay reports, each with the status of its certificate in Key Vault. */
export async function listAanleverpunten(deps: SyncDeps): Promise<AanleverpuntView[]> {
  const aps = await deps.relay.aanleverpunten();
  const statuses = await deps.certificates.listStatus(aps.map((a) => a.code));
  return aps.map((a, i) => {
    const s = statuses[i];
    const certificaat = s
      ? { state: s.state, daysUntilExpiry: s.daysUntilExpiry, notAfter: s.notAfter, melding: s.melding }
      : { state: "unknown" as const, daysUntilExpiry: null, notAfter: null, melding: "De status van het certificaat is onbekend." };
    return { code: a.code, naam: a.naam, certificaat };
  });
}

const today = (deps: SyncDeps) => dutchDay(deps.now());

/** The action list under a 'Toon' filter, with signals, deadlines and applicable decisions. */
export async function loadActionList(deps: SyncDeps, ap: Aanleverpunt, toon: ActieFilter): Promise<ActionListView> {
  const [actions, signals] = await Promise.all([deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
  return actionListView(actions, signals, today(deps), toon);
}

export interface InboxView {
  id: string;
  ontvangenOp: string;
  fout: string | null;
}

/** Feedback messages that could not be read or processed, kept in the inbox with their error (never their content). */
export async function loadFailedFeedback(deps: SyncDeps, ap: Aanleverpunt): Promise<InboxView[]> {
  const entries = await deps.state.listFeedback(ap);
  return entries
    .filter((e) => e.status === "MISLUKT")
    .map((e) => ({ id: e.id, ontvangenOp: e.ontvangenOp, fout: e.error }))
    .sort((a, b) => (a.ontvangenOp > b.ontvangenOp ? -1 : a.ontvangenOp < b.ontvangenOp ? 1 : 0));
}

/** The LVS2000 rows the relay could not read cleanly at the last determination: left out first, then flagged. */
export async function loadLvsProblems(deps: SyncDeps, ap: Aanleverpunt): Promise<LvsProblem[]> {
  const rows = await deps.state.loadLvsProblems(ap);
  return [...rows].sort((a, b) => Number(b.uitgesloten) - Number(a.uitgesloten));
}

/** Dubbele inschrijvingen from the mirror. */
export async function loadDuplicateEnrolments(deps: SyncDeps, ap: Aanleverpunt): Promise<DubbeleInschrijving[]> {
  return duplicateEnrolments(await deps.state.loadMirror(ap));
}

/** Overzicht leerlingen: LVS2000 as it is now (through the relay) beside the BRON mirror, masked. */
export async function loadPupilOverview(deps: SyncDeps, ap: Aanleverpunt, toon: LeerlingFilter): Promise<PupilRow[]> {
  const [{ snapshot }, mirror] = await Promise.all([deps.relay.snapshot(ap), deps.state.loadMirror(ap)]);
  return pupilOverview(snapshot, mirror, toon);
}
