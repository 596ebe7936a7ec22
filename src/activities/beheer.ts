import { isVisible } from "../core/action-lifecycle.js";
import { memoryFrom } from "../core/action-list.js";
import { actionListView, toActionView, type ActionView } from "../core/action-view.js";
import { deadlineOverview, decisionDetail, filterAudit, overzichtView, pupilDetail, type AuditFilter, type AuditRow, type DeadlineRow, type DecisionDetail, type OverzichtView, type PupilDetail } from "../core/beheer-views.js";
import { checkActions } from "../core/check-actions.js";
import { toCsv } from "../core/csv.js";
import { dutchDay } from "../core/dates.js";
import { DEFAULT_INSTELLINGEN, Instellingen } from "../core/instellingen.js";
import { ACTION_LABELS } from "../core/labels.js";
import { createManualAction, type ManualRequest } from "../core/manual-action.js";
import { maskNaam } from "../core/masking.js";
import type { Aanleverpunt, IsoDate, LvsWrite, Signal } from "../core/model.js";
import { withoutOnderwijsSinds, type OnderwijsSindsVoorstel } from "../core/onderwijs-sinds.js";
import { value } from "../core/display-value.js";
import { RelayTooOldError } from "../adapters/lvs/relay-client.js";
import { dutchMoment } from "../adapters/lvs/relay-router.js";
import type { RelayHeartbeat } from "../adapters/state/relay-status.js";
import { isStil, relayAccepted, relayTooOldReason, STIL_ADVIES } from "../core/relay-versie.js";
import type { SyncDeps } from "./deps.js";
import { writeToLvs } from "./lvs-writes.js";

/**
 * What the beheerpagina does beyond the action list (issue 11), each a small composition of stored
 * state, the relay and a pure view from src/core. Opening unmasked data (a decision's details, a pupil's
 * detail view) is recorded in the audit trail as INZAGE: who, which pupil, when. Audit entries carry ids
 * and counts only.
 */

const today = (deps: SyncDeps): IsoDate => dutchDay(deps.now());

export type Refused = { ok: false; status: 400 | 404 | 409; reden: string };

// ── instellingen ─────────────────────────────────────────────────────────────────────────────────────

/** The instellingen of an aanleverpunt: the stored ones, or the defaults (also when the stored row is unreadable). */
export async function loadInstellingen(deps: SyncDeps, ap: Aanleverpunt): Promise<Instellingen> {
  const parsed = Instellingen.safeParse(await deps.state.loadInstellingen(ap));
  return parsed.success ? parsed.data : DEFAULT_INSTELLINGEN;
}

export async function saveInstellingen(deps: SyncDeps, ap: Aanleverpunt, instellingen: Instellingen, door: string): Promise<void> {
  await deps.state.saveInstellingen(ap, instellingen);
  await deps.state.audit(ap, deps.now(), { op: "INSTELLINGEN", door, wat: "instellingen gewijzigd", details: { ...instellingen } });
}

export interface RelayStatusView {
  /** true: answers; false: does not take up or answer requests; null: never contacted yet */
  bereikbaar: boolean | null;
  relayVersion: string | null;
  apiVersion: string | null;
  databaseVersion: string | null;
  /** the last time the relay answered (ISO instant), also when it does not answer now */
  laatsteContact: string | null;
  melding: string | null;
  /** the relay's last heartbeat (ISO), null when it never sent one */
  laatsteHartslag: string | null;
  /** the server it runs on, from its heartbeat */
  hostnaam: string | null;
  /** below the minimum version: refused until updated */
  teOud: boolean;
  /** no heartbeat for several intervals (null: never sent one) */
  stil: boolean | null;
  /** Dutch: what to do, null when all is well */
  advies: string | null;
  /** the last self-update the relay reported in its heartbeat (version, GESLAAGD/GEWEIGERD/TERUGGEZET, its Dutch melding, when) */
  laatsteUpdate: RelayHeartbeat["laatsteUpdate"];
}

/** How long the Instellingen view waits for the relay's health answer before it shows what is recorded. */
const HEALTH_WAIT_MS = 5_000;

/**
 * The relay of the aanleverpunt's school: asked for its health (versions of the relay and of the LVS2000
 * database) for at most a few seconds; its answer is remembered, so the versions and the last contact are
 * known when it is down. Whether it answered lately comes from the relay status the relay client keeps.
 */
export async function relayStatus(deps: SyncDeps, ap: Aanleverpunt): Promise<RelayStatusView> {
  const school = await deps.schools.byAanleverpunt(ap);
  const none = { laatsteHartslag: null, hostnaam: null, teOud: false, stil: null, advies: null, laatsteUpdate: null };
  if (school === null) return { bereikbaar: null, relayVersion: null, apiVersion: null, databaseVersion: null, laatsteContact: null, melding: `Aanleverpunt ${ap} hoort bij geen aangemelde school.`, ...none };
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), HEALTH_WAIT_MS).unref());
  let tooOldAnswer: string | null = null; // the relay answered, but is below the minimum version (its answer is not used)
  const asked = deps
    .relay(ap)
    .health()
    .catch((e: unknown) => {
      if (e instanceof RelayTooOldError) tooOldAnswer = e.theirs;
      return null;
    });
  const [health, beat] = await Promise.all([Promise.race([asked, timeout]), deps.relayStatus.heartbeat(school.id).catch(() => null)]);
  const now = deps.now();
  const version = health?.relayVersion ?? tooOldAnswer ?? beat?.relayVersie ?? null;
  const teOud = version !== null && !relayAccepted(version);
  const stil = isStil(beat?.op ?? null, now);
  const fromBeat = { laatsteHartslag: beat?.op ?? null, hostnaam: beat?.hostnaam ?? null, teOud, stil, laatsteUpdate: beat?.laatsteUpdate ?? null };
  const tooOld = teOud ? relayTooOldReason(version) : null;
  if (health !== null) {
    const contact = { at: now.toISOString(), relayVersion: health.relayVersion, apiVersion: health.apiVersion, databaseVersion: health.databaseVersion, status: health.status };
    await deps.state.recordRelayContact(school.id, contact);
    const melding = [health.status === "ok" ? null : (health.melding ?? "De relay bereikt de LVS2000-database niet."), tooOld].filter(Boolean).join(" ") || null;
    return { bereikbaar: health.status === "ok", relayVersion: health.relayVersion, apiVersion: health.apiVersion, databaseVersion: health.databaseVersion, laatsteContact: contact.at, melding, ...fromBeat, advies: teOud ? 'Werk de relay bij (docs/relay.md, "Bijwerken").' : null };
  }
  if (tooOldAnswer !== null) {
    return { bereikbaar: true, relayVersion: tooOldAnswer, apiVersion: null, databaseVersion: beat?.lvs2000Versie ?? null, laatsteContact: now.toISOString(), melding: relayTooOldReason(tooOldAnswer), ...fromBeat, advies: 'Werk de relay bij (docs/relay.md, "Bijwerken").' };
  }
  const [last, status] = await Promise.all([deps.state.loadRelayContact(school.id).catch(() => undefined), deps.relayStatus.get(school.id).catch(() => null)]);
  const silent = stil === true && beat ? ` Laatste hartslag ${dutchMoment(beat.op)}.` : beat && stil === false ? ` De relay stuurt wel een hartslag (laatste ${dutchMoment(beat.op)}), maar haalt geen verzoeken op.` : "";
  return {
    bereikbaar: status === null && last === undefined && beat === null ? null : false,
    relayVersion: version,
    apiVersion: last?.apiVersion ?? beat?.apiVersie ?? null,
    databaseVersion: beat?.lvs2000Versie ?? last?.databaseVersion ?? null,
    laatsteContact: [status?.laatsteContact, last?.at, beat?.op].filter((x): x is string => typeof x === "string").sort().at(-1) ?? null,
    melding: [`De relay van school ${school.naam} antwoordt nu niet.${silent}`, tooOld].filter(Boolean).join(" "),
    ...fromBeat,
    advies: STIL_ADVIES,
  };
}

// ── inzage: unmasked data, audited ───────────────────────────────────────────────────────────────────

/** A decision's details in full (both addresses, names, dates): recorded as inzage. */
export async function decisionInzage(deps: SyncDeps, ap: Aanleverpunt, actionId: string, door: string): Promise<{ ok: true; detail: DecisionDetail } | Refused> {
  const [actions, signals, mirror] = await Promise.all([deps.state.loadActions(ap), deps.state.loadSignals(ap), deps.state.loadMirror(ap)]);
  const action = actions.find((a) => a.id === actionId && isVisible(a));
  if (!action) return { ok: false, status: 404, reden: "Deze actie bestaat niet (meer)." };
  const { snapshot } = await deps.relay(ap).snapshot(ap);
  await deps.state.audit(ap, deps.now(), { op: "INZAGE", door, wat: "gegevens bij een beslissing ingezien", details: { leerlingId: action.leerlingId, actionId } });
  return { ok: true, detail: decisionDetail(action, signals, snapshot, mirror, today(deps)) };
}

/** A pupil's detail view in full: LVS2000 and BRON side by side, enrolments, actions, signals, feedback; recorded as inzage. */
export async function pupilInzage(deps: SyncDeps, ap: Aanleverpunt, leerlingId: string, door: string): Promise<{ ok: true; detail: PupilDetail } | Refused> {
  const [{ snapshot }, mirror, actions, signals, feedback] = await Promise.all([
    deps.relay(ap).snapshot(ap),
    deps.state.loadMirror(ap),
    deps.state.loadActions(ap),
    deps.state.loadSignals(ap),
    deps.state.listFeedback(ap),
  ]);
  const records = feedback.map((f) => ({ id: f.id, soort: f.soort, ontvangenOp: f.ontvangenOp, status: f.status, fout: f.error, leerlingId: f.leerlingId, mutatieId: f.mutatieId }));
  const detail = pupilDetail(leerlingId, snapshot, mirror, actions, signals, records, today(deps));
  if (detail === null) return { ok: false, status: 404, reden: `Leerling ${leerlingId} is niet bekend in LVS2000 of BRON op aanleverpunt ${ap}.` };
  await deps.state.audit(ap, deps.now(), { op: "INZAGE", door, wat: "leerling ingezien", details: { leerlingId } });
  return { ok: true, detail };
}

// ── handmatige acties ────────────────────────────────────────────────────────────────────────────────

export interface ManualOutcome {
  ok: true;
  actie: ActionView;
  /** what the check says of it now (it is checked again, with the others, before it is sent) */
  controle: Signal[];
}

/**
 * Acties handmatig bepalen (manual ch. 5): the action is built by the core (refusing, in Dutch, one that
 * cannot be made or already stands open), stored OPEN — decided by being made — and goes through the same
 * lifecycle as a determined one: checked, then sent by the next round of a run. Audited with who made it.
 */
export async function createManual(deps: SyncDeps, ap: Aanleverpunt, request: ManualRequest, door: string): Promise<ManualOutcome | Refused> {
  const [{ snapshot }, mirror, stored, decisions, firstSeen] = await Promise.all([
    deps.relay(ap).snapshot(ap),
    deps.state.loadMirror(ap),
    deps.state.loadActions(ap),
    deps.state.loadDecisions(ap),
    deps.state.loadFirstSeen(ap),
  ]);
  const day = today(deps);
  const made = createManualAction(snapshot, mirror, request, memoryFrom(stored, decisions, firstSeen), day, stored);
  if (!made.ok) return { ok: false, status: 409, reden: made.reason };
  if (stored.some((a) => a.id === made.action.id)) return { ok: false, status: 409, reden: `Deze handmatige actie bestaat al (${made.action.id}); verwijder haar eerst om haar opnieuw te maken.` };
  const { conflicts } = await deps.state.updateActions(ap, stored, [...stored, made.action]);
  if (conflicts.length > 0) return { ok: false, status: 409, reden: "De acties zijn intussen gewijzigd; probeer het opnieuw." };
  await deps.state.audit(ap, deps.now(), { op: "HANDMATIGE_ACTIE", door, wat: ACTION_LABELS[made.action.type], details: { actionId: made.action.id, leerlingId: made.action.leerlingId } });
  const controle = checkActions([made.action], snapshot, day);
  return { ok: true, actie: toActionView(made.action, controle, day), controle };
}

// ── Onderwijs Sinds ──────────────────────────────────────────────────────────────────────────────────

export interface OnderwijsSindsRow extends OnderwijsSindsVoorstel {
  /** initials (a list: masked) */
  naam: string;
  /** actions of this pupil an afkeur holds back because Onderwijs Sinds is empty */
  geblokkeerd: number;
}

/** The pupils LVS2000 holds without Onderwijs Sinds, each with the proposed value and its ground. */
export async function listOnderwijsSinds(deps: SyncDeps, ap: Aanleverpunt): Promise<OnderwijsSindsRow[]> {
  const [{ snapshot }, signals, actions] = await Promise.all([deps.relay(ap).snapshot(ap), deps.state.loadSignals(ap), deps.state.loadActions(ap)]);
  const byAction = new Map(actions.map((a) => [a.id, a.leerlingId]));
  const blocked = new Map<string, number>();
  for (const s of signals) {
    if (s.code !== "LEERJAAR_NIET_BEREKENBAAR" || s.actionId === null) continue;
    const l = byAction.get(s.actionId);
    if (l !== undefined) blocked.set(l, (blocked.get(l) ?? 0) + 1);
  }
  const people = new Map(snapshot.leerlingen.map((l) => [l.id, l]));
  return withoutOnderwijsSinds(snapshot, today(deps)).map((p) => {
    const l = people.get(p.leerlingId)!;
    return { ...p, naam: maskNaam([l.voornamen, l.voorvoegsels ?? "", l.achternaam].filter((x) => x !== "").join(" ")), geblokkeerd: blocked.get(p.leerlingId) ?? 0 };
  });
}

export const OnderwijsSindsResultaat = ["TOEGEPAST", "CONFLICT", "AL_GEVULD", "ONBEKEND", "ONGELDIG"] as const;
export interface OnderwijsSindsUitkomst {
  leerlingId: string;
  resultaat: (typeof OnderwijsSindsResultaat)[number];
  melding: string;
}

const GEWIJZIGD = "De leerling is in LVS2000 gewijzigd sinds de lijst werd getoond; er is niets geschreven. Vernieuw de lijst.";
const NIET_IN_LVS = "Deze leerling staat niet (meer) in LVS2000.";

/**
 * Writes Onderwijs Sinds to LVS2000 through the relay (outbox, row version), after a person confirmed it.
 * Each write is based on the row version the person saw: a pupil changed in LVS2000 since then is a
 * conflict and is not written; one whose Onderwijs Sinds was filled meanwhile is never overwritten.
 */
export async function fillOnderwijsSinds(deps: SyncDeps, ap: Aanleverpunt, items: readonly { leerlingId: string; onderwijsSinds: IsoDate; rowVersion: string }[], door: string): Promise<OnderwijsSindsUitkomst[]> {
  const day = today(deps);
  const { snapshot } = await deps.relay(ap).snapshot(ap);
  const people = new Map(snapshot.leerlingen.map((l) => [l.id, l]));
  const out = new Map<string, OnderwijsSindsUitkomst>();
  const writes: LvsWrite[] = [];
  const basis = new Map<string, string>();
  for (const item of items) {
    const l = people.get(item.leerlingId);
    const refuse = (resultaat: OnderwijsSindsUitkomst["resultaat"], melding: string) => out.set(item.leerlingId, { leerlingId: item.leerlingId, resultaat, melding });
    if (l === undefined) refuse("ONBEKEND", NIET_IN_LVS);
    else if (l.onderwijsSinds !== null) refuse("AL_GEVULD", "Onderwijs Sinds is intussen in LVS2000 gevuld; die waarde blijft staan.");
    else if (item.onderwijsSinds < l.geboortedatum) refuse("ONGELDIG", "Onderwijs Sinds mag niet voor de geboortedatum liggen.");
    else if (item.onderwijsSinds > day) refuse("ONGELDIG", "Onderwijs Sinds mag niet in de toekomst liggen.");
    else if ((l.rowVersion ?? "") !== item.rowVersion) refuse("CONFLICT", GEWIJZIGD);
    else {
      writes.push({ soort: "ONDERWIJS_SINDS", leerlingId: l.id, onderwijsSinds: item.onderwijsSinds });
      basis.set(l.id, item.rowVersion);
    }
  }
  if (writes.length > 0) {
    const result = await writeToLvs(deps, ap, day, writes, { basis });
    const conflicts = new Set(result.conflicten);
    const unknown = new Set(result.onbekend);
    for (const w of writes) {
      const id = w.leerlingId;
      if (conflicts.has(id)) out.set(id, { leerlingId: id, resultaat: "CONFLICT", melding: GEWIJZIGD });
      else if (unknown.has(id)) out.set(id, { leerlingId: id, resultaat: "ONBEKEND", melding: NIET_IN_LVS });
      else out.set(id, { leerlingId: id, resultaat: "TOEGEPAST", melding: `Onderwijs Sinds is in LVS2000 gevuld met ${w.soort === "ONDERWIJS_SINDS" ? w.onderwijsSinds : ""}.` });
    }
  }
  const results = items.map((i) => out.get(i.leerlingId)!);
  const applied = results.filter((r) => r.resultaat === "TOEGEPAST");
  await deps.state.audit(ap, deps.now(), {
    op: "ONDERWIJS_SINDS",
    door,
    wat: "Onderwijs Sinds in LVS2000 gevuld",
    details: { leerlingIds: applied.map((r) => r.leerlingId).join(","), toegepast: applied.length, nietGeschreven: results.length - applied.length },
  });
  return results;
}

// ── registratieoverzicht, deadlines, audit ───────────────────────────────────────────────────────────

export async function loadOverzicht(deps: SyncDeps, ap: Aanleverpunt): Promise<OverzichtView> {
  return overzichtView(await deps.state.loadMirror(ap), today(deps), deps.maxOverzichtAgeDays);
}

/** Deadlines of every listed aanleverpunt, soonest first. */
export async function loadDeadlines(deps: SyncDeps, aps: readonly Aanleverpunt[]): Promise<DeadlineRow[]> {
  const perAp = await Promise.all(aps.map(async (aanleverpunt) => ({ aanleverpunt, actions: await deps.state.loadActions(aanleverpunt) })));
  return deadlineOverview(perAp, today(deps));
}

export async function loadAuditRows(deps: SyncDeps, aps: readonly Aanleverpunt[], filter: AuditFilter): Promise<AuditRow[]> {
  const rows = (await Promise.all(aps.map(async (aanleverpunt) => (await deps.state.loadAudit(aanleverpunt)).map((e) => ({ aanleverpunt, ...e }))))).flat();
  return filterAudit(rows, filter);
}

// ── exports (CSV for Excel) ──────────────────────────────────────────────────────────────────────────

const detailsText = (d: AuditRow["details"]) => Object.entries(d).map(([k, v]) => `${k}=${v === null ? "" : String(v)}`).join(", ");

export function auditCsv(rows: readonly AuditRow[]): string {
  return toCsv(["Tijdstip", "Aanleverpunt", "Soort", "Door", "Wat", "Details"], rows.map((r) => [r.at, r.aanleverpunt, r.op, r.door, r.wat, detailsText(r.details)]));
}

/** Every visible action, masked as in the list (an export is an overview). */
export async function actionsCsv(deps: SyncDeps, ap: Aanleverpunt): Promise<string> {
  const [actions, signals] = await Promise.all([deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
  const view = actionListView(actions, signals, today(deps), "ALLE");
  return toCsv(
    ["Actie-id", "Actie", "Richting", "Status", "Wacht op beslissing", "Geblokkeerd", "Handmatig", "Leerling", "Inschrijving", "Reden", "Uiterlijk", "Dagen over", "Termijn", "Verschillen", "Afkeur"],
    view.acties.map((a) => [
      a.id,
      a.typeLabel,
      a.direction === "BRON" ? "BRON" : "LVS2000",
      a.statusLabel,
      a.wachtOpBeslissing,
      a.geblokkeerd,
      a.handmatig,
      a.leerlingId,
      a.inschrijvingId,
      a.reden,
      a.deadline?.due ?? null,
      a.deadline?.daysLeft ?? null,
      a.deadline?.status ?? null,
      a.velden.map((f) => `${f.field}: LVS2000 ${value(f.lvs)} / BRON ${value(f.bron)}`).join(" | "),
      a.signalen.filter((s) => s.ernst === "AFKEUR").map((s) => `${s.code}: ${s.tekst}`).join(" | "),
    ]),
  );
}

export async function signalsCsv(deps: SyncDeps, ap: Aanleverpunt): Promise<string> {
  const [actions, signals] = await Promise.all([deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
  const leerling = new Map(actions.map((a) => [a.id, a.leerlingId]));
  const label = new Map(actions.map((a) => [a.id, ACTION_LABELS[a.type]]));
  return toCsv(
    ["Ernst", "Code", "Tekst", "Veld", "Actie-id", "Actie", "Leerling"],
    signals.map((s) => [s.ernst === "AFKEUR" ? "Afkeur" : "Attentie", s.code, s.tekst, s.field, s.actionId, s.actionId ? (label.get(s.actionId) ?? null) : null, s.actionId ? (leerling.get(s.actionId) ?? null) : null]),
  );
}
