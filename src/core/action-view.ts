import { evolve, isVisible, TO_REPORT, waitsForDecision } from "./action-lifecycle.js";
import { deadlineStatus, refreshDeadline, summarizeDeadlines, type DeadlineStatus, type DeadlineSummary } from "./deadline.js";
import { ACTION_LABELS, STATUS_LABELS } from "./labels.js";
import { maskAction } from "./masking.js";
import { Keuze, type Action, type ActionStatus, type ActionType, type Direction, type FieldDiff, type IsoDate, type Signal } from "./model.js";

/**
 * The action list as the beheerpagina shows it (manual ch. 5/6): every action with the manual's
 * words for its type and status, where its reporting deadline stands, its signals, the decisions
 * that apply, and its differing fields with personal data masked (lists never show it whole).
 */

/** The 'Toon' filter of the action list. */
export const ACTIE_FILTERS = ["WACHT_OP_BESLISSING", "AFGEKEURD", "IN_BEHANDELING", "ALLE"] as const;
export type ActieFilter = (typeof ACTIE_FILTERS)[number];

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
  signalen: Pick<Signal, "code" | "ernst" | "tekst" | "field">[];
  /** the decisions a person can make on this action now (empty unless it waits for one) */
  keuzes: Keuze[];
}

export interface ActionListView {
  vandaag: IsoDate;
  toon: ActieFilter;
  acties: ActionView[];
  /** how many actions each filter shows */
  telling: Record<ActieFilter, number>;
  deadlines: DeadlineSummary;
}

export { waitsForDecision };

/** Rule: only a waiting action is offered decisions, and only those the lifecycle accepts for it. */
export function applicableKeuzes(action: Action): Keuze[] {
  if (!waitsForDecision(action)) return [];
  return Keuze.options.filter((keuze) => evolve(action, { kind: "decided", beslissing: { keuze, door: "-", op: "1970-01-01T00:00:00Z" } }).ok);
}

/** Whether an action shows under a 'Toon' filter. */
export function matchesFilter(a: Action, toon: ActieFilter): boolean {
  switch (toon) {
    case "WACHT_OP_BESLISSING":
      return waitsForDecision(a);
    case "AFGEKEURD":
      return a.status === "AFGEKEURD";
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

/** One action as the list shows it, seen from `today`. */
export function toActionView(action: Action, signals: readonly Signal[], today: IsoDate): ActionView {
  const masked = maskAction(action);
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
    velden: masked.fields,
    signalen: signals.filter((s) => s.actionId === action.id).map((s) => ({ code: s.code, ernst: s.ernst, tekst: s.tekst, field: s.field })),
    keuzes: applicableKeuzes(action),
  };
}

/** The filtered list (in stored order) with the count per filter and the deadline summary. */
export function actionListView(all: readonly Action[], signals: readonly Signal[], today: IsoDate, toon: ActieFilter): ActionListView {
  const actions = all.filter(isVisible);
  const telling = Object.fromEntries(ACTIE_FILTERS.map((f) => [f, actions.filter((a) => matchesFilter(a, f)).length])) as Record<ActieFilter, number>;
  return {
    vandaag: today,
    toon,
    acties: actions.filter((a) => matchesFilter(a, toon)).map((a) => toActionView(a, signals, today)),
    telling,
    deadlines: summarizeDeadlines(actions, today),
  };
}
