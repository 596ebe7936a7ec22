import type { CertificateStatus } from "../adapters/certificates/index.js";
import { dutchMoment, unreachableReason } from "../adapters/lvs/relay-router.js";
import type { RelayHeartbeat, RelayStatus } from "../adapters/state/relay-status.js";
import { isStil, MINIMUM_RELAY_VERSIE, relayAccepted, relayTooOldReason, STIL_ADVIES } from "../core/relay-versie.js";
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
  /** from the relay's last heartbeat (null: none yet) */
  relayVersie: string | null;
  lvs2000Versie: string | null;
  laatsteHartslag: string | null;
  /** below the minimum version the cloud accepts: refused until updated */
  teOud: boolean;
  /** no heartbeat for several intervals (null: it never sent one) */
  stil: boolean | null;
  /** Dutch: what to do (when silent, too old or unreachable), null when all is well */
  advies: string | null;
}

export interface AanleverpuntView {
  code: string;
  naam: string;
  school: { id: string; naam: string };
  relay: RelayView;
  certificaat: Pick<CertificateStatus, "state" | "daysUntilExpiry" | "notAfter" | "melding">;
}

/** The relay's health as the page shows it: reachability from the relay status, versions and silence from its heartbeat. */
export function relayView(school: School, s: RelayStatus | undefined, h: RelayHeartbeat | undefined, now: Date): RelayView {
  const teOud = h !== undefined && !relayAccepted(h.relayVersie);
  const stil = isStil(h?.op ?? null, now);
  const health = {
    relayVersie: h?.relayVersie ?? null,
    lvs2000Versie: h?.lvs2000Versie ?? null,
    laatsteHartslag: h?.op ?? null,
    teOud,
    stil,
  };
  const remarks = [
    teOud ? relayTooOldReason(h!.relayVersie, MINIMUM_RELAY_VERSIE) : null,
    stil ? `De relay stuurt sinds ${dutchMoment(h!.op)} geen hartslag meer.` : null,
    h && !h.databaseOk ? `De relay meldt: ${h.databaseMelding ?? "de LVS2000-database antwoordt niet."}` : null,
  ].filter((x): x is string => x !== null);
  const advies = (extra: boolean) => (stil || extra ? STIL_ADVIES : teOud ? 'Werk de relay bij (docs/relay.md, "Bijwerken").' : null);
  const withRemarks = (m: string) => [m, ...remarks].join(" ");
  if (s?.onbereikbaarSinds) {
    return { bereikbaar: false, laatsteContact: s.laatsteContact, onbereikbaarSinds: s.onbereikbaarSinds, melding: withRemarks(unreachableReason(school.naam, s.onbereikbaarSinds, s.fout ?? "RELAY_NOT_PICKED_UP")), ...health, advies: advies(true) };
  }
  const last = [s?.laatsteContact, h?.op].filter((x): x is string => typeof x === "string").sort().at(-1) ?? null;
  if (last) {
    const ok = !teOud && !stil && h?.databaseOk !== false;
    return { bereikbaar: true, laatsteContact: last, onbereikbaarSinds: null, melding: withRemarks(`De relay van school ${school.naam} ${ok ? "is bereikbaar" : "heeft contact gehad"} (laatste contact ${dutchMoment(last)}).`), ...health, advies: advies(false) };
  }
  return { bereikbaar: null, laatsteContact: null, onbereikbaarSinds: null, melding: `Nog geen contact gehad met de relay van school ${school.naam}.`, ...health, advies: null };
}

/**
 * Every aanleverpunt of every school in the registry (by code), with its school, whether that school's relay
 * answered lately (from the relay status the relay client keeps; no relay is asked here, so a relay
 * that is down never slows this list) and the status of its certificate in Key Vault.
 */
export async function listAanleverpunten(deps: SyncDeps): Promise<AanleverpuntView[]> {
  const [schools, statuses, heartbeats] = await Promise.all([deps.schools.list(), deps.relayStatus.list(), deps.relayStatus.heartbeats().catch(() => new Map<string, RelayHeartbeat>())]);
  const aps = schools.flatMap((school) => school.aanleverpunten.map((a) => ({ ...a, school }))).sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  const certificates = await deps.certificates.listStatus(aps.map((a) => a.code));
  return aps.map((a, i) => ({ code: a.code, naam: a.naam, school: { id: a.school.id, naam: a.school.naam }, relay: relayView(a.school, statuses.get(a.school.id), heartbeats.get(a.school.id), deps.now()), certificaat: certificaatView(certificates[i]) }));
}

function certificaatView(s: CertificateStatus | undefined): AanleverpuntView["certificaat"] {
  return s
    ? { state: s.state, daysUntilExpiry: s.daysUntilExpiry, notAfter: s.notAfter, melding: s.melding }
    : { state: "unknown" as const, daysUntilExpiry: null, notAfter: null, melding: "De status van het certificaat is onbekend." };
}

/** One aanleverpunt's certificate as listAanleverpunten shows it (one Key Vault look-up, not one per aanleverpunt); null when no school has the aanleverpunt. */
export async function loadCertificaat(deps: SyncDeps, ap: Aanleverpunt): Promise<AanleverpuntView["certificaat"] | null> {
  if ((await deps.schools.byAanleverpunt(ap)) === null) return null;
  return certificaatView((await deps.certificates.listStatus([ap]))[0]);
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
