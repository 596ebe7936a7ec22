import type { CertificateStatus } from "../adapters/certificates/index.js";
import { dutchMoment, unreachableReason } from "../adapters/lvs/relay-router.js";
import type { RelayStatus } from "../adapters/state/relay-status.js";
import type { School } from "../adapters/state/schools.js";
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

export interface RelayView {
  /** true: answered lately; false: does not take up or answer requests; null: never contacted yet */
  bereikbaar: boolean | null;
  laatsteContact: string | null;
  onbereikbaarSinds: string | null;
  /** Dutch, for the page */
  melding: string;
}

export interface AanleverpuntView {
  code: string;
  naam: string;
  school: { id: string; naam: string };
  relay: RelayView;
  certificaat: Pick<CertificateStatus, "state" | "daysUntilExpiry" | "notAfter" | "melding">;
}

function relayView(school: School, s: RelayStatus | undefined): RelayView {
  if (s?.onbereikbaarSinds) {
    return { bereikbaar: false, laatsteContact: s.laatsteContact, onbereikbaarSinds: s.onbereikbaarSinds, melding: unreachableReason(school.naam, s.onbereikbaarSinds, s.fout ?? "RELAY_NOT_PICKED_UP") };
  }
  if (s?.laatsteContact) return { bereikbaar: true, laatsteContact: s.laatsteContact, onbereikbaarSinds: null, melding: `De relay van school ${school.naam} is bereikbaar (laatste contact ${dutchMoment(s.laatsteContact)}).` };
  return { bereikbaar: null, laatsteContact: null, onbereikbaarSinds: null, melding: `Nog geen contact gehad met de relay van school ${school.naam}.` };
}

/**
 * Every aanleverpunt of every school in the registry (by code), with its school, whether that school's relay
 * answered lately (from the relay status the relay client keeps; no relay is asked here, so a relay
 * that is down never slows this list) and the status of its certificate in Key Vault.
 */
export async function listAanleverpunten(deps: SyncDeps): Promise<AanleverpuntView[]> {
  const [schools, statuses] = await Promise.all([deps.schools.list(), deps.relayStatus.list()]);
  const aps = schools.flatMap((school) => school.aanleverpunten.map((a) => ({ ...a, school }))).sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  const certificates = await deps.certificates.listStatus(aps.map((a) => a.code));
  return aps.map((a, i) => {
    const s = certificates[i];
    const certificaat = s
      ? { state: s.state, daysUntilExpiry: s.daysUntilExpiry, notAfter: s.notAfter, melding: s.melding }
      : { state: "unknown" as const, daysUntilExpiry: null, notAfter: null, melding: "De status van het certificaat is onbekend." };
    return { code: a.code, naam: a.naam, school: { id: a.school.id, naam: a.school.naam }, relay: relayView(a.school, statuses.get(a.school.id)), certificaat };
  });
}

const today = (deps: SyncDeps) => dutchDay(deps.now());

/** The action list under a 'Toon' filter, with signals, deadlines and applicable decisions. */
export async function loadActionList(deps: SyncDeps, ap: Aanleverpunt, toon: ActieFilter, deel: { vanaf?: number | undefined; aantal?: number | undefined } = {}): Promise<ActionListView> {
  const [actions, signals] = await Promise.all([deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
  return actionListView(actions, signals, today(deps), toon, deel);
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
  const [{ snapshot }, mirror] = await Promise.all([deps.relay(ap).snapshot(ap), deps.state.loadMirror(ap)]);
  return pupilOverview(snapshot, mirror, toon);
}
