import { evolve, isUnsent, isVisible, TO_REPORT, waitsForDecision } from "./action-lifecycle.js";
import { deadlineStatus, refreshDeadline, summarizeDeadlines, type DeadlineStatus, type DeadlineSummary } from "./deadline.js";
import { fixHint } from "./fix-hints.js";
import { ACTION_LABELS, STATUS_LABELS } from "./labels.js";
import { maskAction } from "./masking.js";
import { Keuze, type Action, type ActionStatus, type ActionType, type Direction, type FieldDiff, type IsoDate, type Signal } from "./model.js";

/**
 * The action list as the beheerpagina shows it (manual ch. 5/6): every action with the manual's
 * words for its type and status, where its reporting deadline stands, its signals, the decisions
 * that apply, and its differing fields with personal data masked (lists never show it whole).
 */

/**
 * The 'Toon' filter of the action list. AANDACHT (the default) shows what needs a person: actions that
 * wait for a decision, actions blocked by an afkeur of the check (not sent until LVS2000 is fixed) and
 * actions BRON afgekeurd. TERMIJN shows the actions past or close to their reporting deadline.
 */
export const ACTIE_FILTERS = ["AANDACHT", "WACHT_OP_BESLISSING", "GEBLOKKEERD", "AFGEKEURD", "TERMIJN", "IN_BEHANDELING", "ALLE"] as const;
export type ActieFilter = (typeof ACTIE_FILTERS)[number];
export const DEFAULT_ACTIE_FILTER: ActieFilter = "AANDACHT";

export interface ActionView {
  id: string;
  type: ActionType;
  typeLabel: string;
  direction: Direction;
  status: ActionStatus;
  statusLabel: string;
  wachtOpBeslissing: boolean;
  handmatig: boolean;
  leerlingId: string;
  inschrijvingId: string | null;
  reden: string;
  /** null when there is none, or the action no longer has to be reported */
  deadline: { due: IsoDate; daysLeft: number; status: DeadlineStatus } | null;
  velden: FieldDiff[];
  /** with `herstel`: what to fix in LVS2000 for an afkeur */
  signalen: (Pick<Signal, "code" | "ernst" | "tekst" | "field"> & { herstel: string | null })[];
  /** not yet sent and held back by an afkeur of the check: fix LVS2000 first */
  geblokkeerd: boolean;
  /** the decisions a person can make on this action now (empty unless it waits for one) */
  keuzes: Keuze[];
}

export interface ActionListView {
  vandaag: IsoDate;
  toon: ActieFilter;
  /** the filtered actions, or the requested part of them (`vanaf`, `aantal`) */
  acties: ActionView[];
  /** how many actions the filter shows in all */
  totaal: number;
  vanaf: number;
  /** how many actions each filter shows */
  telling: Record<ActieFilter, number>;
  /** how many actions stand where in their life (the run's progress shows them) */
  tellingen: ActionCounts;
  deadlines: DeadlineSummary;
}

export interface ActionCounts {
  acties: number;
  wachtOpBeslissing: number;
  geblokkeerd: number;
  gecontroleerd: number;
  inVerzending: number;
  inBehandeling: number;
  geaccepteerd: number;
  afgekeurd: number;
  verwerkt: number;
  genegeerd: number;
}

/** The visible actions counted by where they stand; `blocked` from blockedIds. */
export function actionCounts(visible: readonly Action[], blocked: ReadonlySet<string>): ActionCounts {
  const c: ActionCounts = { acties: visible.length, wachtOpBeslissing: 0, geblokkeerd: blocked.size, gecontroleerd: 0, inVerzending: 0, inBehandeling: 0, geaccepteerd: 0, afgekeurd: 0, verwerkt: 0, genegeerd: 0 };
  const key: Partial<Record<ActionStatus, keyof ActionCounts>> = { GECONTROLEERD: "gecontroleerd", IN_VERZENDING: "inVerzending", IN_BEHANDELING: "inBehandeling", GEACCEPTEERD: "geaccepteerd", AFGEKEURD: "afgekeurd", VERWERKT: "verwerkt", GENEGEERD: "genegeerd" };
  for (const a of visible) {
    if (waitsForDecision(a)) c.wachtOpBeslissing++;
    const k = key[a.status];
    if (k !== undefined) c[k]++;
  }
  return c;
}

export { waitsForDecision };

/** Rule: only a waiting action is offered decisions, and only those the lifecycle accepts for it. */
export function applicableKeuzes(action: Action): Keuze[] {
  if (!waitsForDecision(action)) return [];
  return Keuze.options.filter((keuze) => evolve(action, { kind: "decided", beslissing: { keuze, door: "-", op: "1970-01-01T00:00:00Z" } }).ok);
}

/** The ids of unsent actions an afkeur holds back (rule: an afkeur blocks only its own action). */
export function blockedIds(actions: readonly Action[], signals: readonly Signal[]): Set<string> {
  const afkeur = new Set(signals.filter((s) => s.ernst === "AFKEUR" && s.actionId !== null).map((s) => s.actionId as string));
  return new Set(actions.filter((a) => isUnsent(a) && afkeur.has(a.id)).map((a) => a.id));
}

const late = (a: Action, today: IsoDate) => TO_REPORT.has(a.status) && ["VERLOPEN", "BIJNA_VERLOPEN"].includes(deadlineStatus(a.deadline, today));

/** Whether an action shows under a 'Toon' filter (`blocked`: blockedIds of the list). */
export function matchesFilter(a: Action, toon: ActieFilter, blocked: ReadonlySet<string> = new Set(), today: IsoDate = "9999-12-31"): boolean {
  switch (toon) {
    case "AANDACHT":
      return waitsForDecision(a) || blocked.has(a.id) || a.status === "AFGEKEURD";
    case "WACHT_OP_BESLISSING":
      return waitsForDecision(a);
    case "GEBLOKKEERD":
      return blocked.has(a.id);
    case "AFGEKEURD":
      return a.status === "AFGEKEURD";
    case "TERMIJN":
      return late(a, today);
    case "IN_BEHANDELING":
      return a.status === "IN_BEHANDELING";
    case "ALLE":
      return true;
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustive switch — the compiler proves every case is handled, so this branch never runs
    default: {
      const never: never = toon;
      return never;
    }
  }
}

/**
 * One action as the list shows it, seen from `today`. `volledig`: the differing values in full (only for
 * a person who may act for the school, in a detail view whose opening is audited as inzage).
 */
export function toActionView(action: Action, signals: readonly Signal[], today: IsoDate, opts: { volledig?: boolean; geblokkeerd?: boolean } = {}): ActionView {
  const shown = opts.volledig === true ? action : maskAction(action);
  const own = signals.filter((s) => s.actionId === action.id);
  return {
    id: action.id,
    type: action.type,
    typeLabel: ACTION_LABELS[action.type],
    direction: action.direction,
    status: action.status,
    statusLabel: STATUS_LABELS[action.status],
    wachtOpBeslissing: waitsForDecision(action),
    handmatig: action.manual,
    leerlingId: action.leerlingId,
    inschrijvingId: action.inschrijvingId,
    reden: action.reason,
    deadline: action.deadline && TO_REPORT.has(action.status) ? { due: action.deadline.due, daysLeft: refreshDeadline(action.deadline, today).daysLeft, status: deadlineStatus(action.deadline, today) } : null,
    velden: shown.fields,
    signalen: own.map((s) => ({ code: s.code, ernst: s.ernst, tekst: s.tekst, field: s.field, herstel: fixHint(s) })),
    geblokkeerd: opts.geblokkeerd ?? (isUnsent(action) && own.some((s) => s.ernst === "AFKEUR")),
    keuzes: applicableKeuzes(action),
  };
}

/** The filtered list (in stored order; optionally a part of it) with the count per filter and the deadline summary. */
export function actionListView(all: readonly Action[], signals: readonly Signal[], today: IsoDate, toon: ActieFilter, deel: { vanaf?: number | undefined; aantal?: number | undefined } = {}): ActionListView {
  const actions = all.filter(isVisible);
  const blocked = blockedIds(actions, signals);
  const bySignal = new Map<string, Signal[]>();
  for (const s of signals) if (s.actionId !== null) bySignal.set(s.actionId, [...(bySignal.get(s.actionId) ?? []), s]);
  const telling = Object.fromEntries(ACTIE_FILTERS.map((f) => [f, actions.filter((a) => matchesFilter(a, f, blocked, today)).length])) as Record<ActieFilter, number>;
  const shown = actions.filter((a) => matchesFilter(a, toon, blocked, today));
  const vanaf = deel.vanaf ?? 0;
  const part = shown.slice(vanaf, deel.aantal === undefined ? undefined : vanaf + deel.aantal);
  return {
    vandaag: today,
    toon,
    acties: part.map((a) => toActionView(a, bySignal.get(a.id) ?? [], today, { geblokkeerd: blocked.has(a.id) })),
    totaal: shown.length,
    vanaf,
    tellingen: actionCounts(actions, blocked),
    telling,
    deadlines: summarizeDeadlines(actions, today),
  };
}
