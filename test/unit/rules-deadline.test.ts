import { describe, expect, it } from "vitest";
import { computeDeadline, deadlineStatus, refreshDeadline, summarizeDeadlines, urgentActions } from "../../src/core/deadline.js";
import type { ActionStatus } from "../../src/core/model.js";
import { act, deadline } from "./rules-fixtures.js";

/**
 * Rule (domain.md): every change is reported within two weeks, in/uitschrijvingen within 7 days; the
 * product shows what is close to or past that deadline.
 */

const TODAY = "2026-11-28";

describe("rule: a reporting window opens on its start day and is due that many days later", () => {
  it("7 days for an enrolment, 14 for another change; daysLeft counts from today, negative when overdue", () => {
    expect(computeDeadline(7, "2026-11-25", TODAY)).toEqual({ windowDays: 7, since: "2026-11-25", due: "2026-12-02", daysLeft: 4 });
    expect(computeDeadline(14, "2026-11-01", TODAY)).toEqual({ windowDays: 14, since: "2026-11-01", due: "2026-11-15", daysLeft: -13 });
  });

  it("a stored deadline seen from another day keeps its due date and counts the days left from that day", () => {
    const d = computeDeadline(14, "2026-11-20", "2026-11-20");
    expect(refreshDeadline(d, TODAY)).toEqual({ ...d, daysLeft: 6 });
    expect(refreshDeadline(d, "2026-12-05")).toEqual({ ...d, daysLeft: -1 });
  });
});

describe("rule: where a deadline stands today", () => {
  it("no deadline: GEEN; a first delivery's backlog: ACHTERSTALLIG, however late", () => {
    expect(deadlineStatus(null, TODAY)).toBe("GEEN");
    expect(deadlineStatus(deadline("2010-01-01", { achterstallig: true }), TODAY)).toBe("ACHTERSTALLIG");
    expect(deadlineStatus(deadline("2010-01-01", { achterstallig: false }), TODAY)).toBe("VERLOPEN");
  });

  it("past the due day: VERLOPEN; due today up to 3 days left: BIJNA_VERLOPEN; more: OP_TIJD", () => {
    expect(deadlineStatus(deadline("2026-11-27"), TODAY)).toBe("VERLOPEN");
    expect(deadlineStatus(deadline("2026-11-28"), TODAY)).toBe("BIJNA_VERLOPEN");
    expect(deadlineStatus(deadline("2026-12-01"), TODAY)).toBe("BIJNA_VERLOPEN");
    expect(deadlineStatus(deadline("2026-12-02"), TODAY)).toBe("OP_TIJD");
  });

  it("'close' can be set to another number of days", () => {
    expect(deadlineStatus(deadline("2026-12-02"), TODAY, 4)).toBe("BIJNA_VERLOPEN");
    expect(deadlineStatus(deadline("2026-11-29"), TODAY, 0)).toBe("OP_TIJD");
    expect(deadlineStatus(deadline("2026-11-28"), TODAY, 0)).toBe("BIJNA_VERLOPEN");
  });
});

const ALL_STATUSES: ActionStatus[] = ["OPEN", "GECONTROLEERD", "IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD", "VERWIJDERD"];

describe("rule: the summary counts only what is still to be reported", () => {
  it("sent and awaiting BRON, accepted, written, ignored or deleted actions are left out; open, checked, being sent and refused ones count", () => {
    const actions = ALL_STATUSES.map((status, n) => act(`A${n}`, { status, deadline: deadline("2026-11-27") }));
    expect(summarizeDeadlines(actions, TODAY)).toEqual({ VERLOPEN: 4, ACHTERSTALLIG: 0, BIJNA_VERLOPEN: 0, OP_TIJD: 0, GEEN: 0 });
  });

  it("each outstanding action counts under its own status, with the 'close' days given", () => {
    const actions = [
      act("A1", { deadline: deadline("2026-11-27") }),
      act("A2", { deadline: deadline("2026-11-30") }),
      act("A3", { deadline: deadline("2026-12-20") }),
      act("A4", { deadline: deadline("2010-01-01", { achterstallig: true }) }),
      act("A5", { deadline: null, type: "IDENTIFICATIEVERZOEK" }),
      act("A6", { deadline: deadline("2026-12-20") }),
    ];
    expect(summarizeDeadlines(actions, TODAY)).toEqual({ VERLOPEN: 1, ACHTERSTALLIG: 1, BIJNA_VERLOPEN: 1, OP_TIJD: 2, GEEN: 1 });
    expect(summarizeDeadlines(actions, TODAY, 30)).toEqual({ VERLOPEN: 1, ACHTERSTALLIG: 1, BIJNA_VERLOPEN: 3, OP_TIJD: 0, GEEN: 1 });
  });
});

describe("rule: the urgent list — outstanding actions past or close to their deadline, most urgent first", () => {
  it("orders by due day (earliest first), then by id; leaves out actions in time, without deadline, backlog, or no longer to report", () => {
    const actions = [
      act("C", { deadline: deadline("2026-11-30") }),
      act("B", { deadline: deadline("2026-11-20") }),
      act("A", { deadline: deadline("2026-11-30") }),
      act("D", { deadline: deadline("2026-11-25") }),
      act("E", { deadline: deadline("2026-12-02") }),
      act("F", { deadline: deadline("2010-01-01", { achterstallig: true }) }),
      act("G", { deadline: null, type: "IDENTIFICATIEVERZOEK" }),
      act("H", { deadline: deadline("2026-11-01"), status: "IN_BEHANDELING" }),
      act("I", { deadline: deadline("2026-12-01") }),
      act("J", { deadline: deadline("2026-11-01"), status: "AFGEKEURD" }),
    ];
    expect(urgentActions(actions, TODAY).map((a) => a.id)).toEqual(["J", "B", "D", "A", "C", "I"]);
    expect(urgentActions([...actions].reverse(), TODAY).map((a) => a.id)).toEqual(["J", "B", "D", "A", "C", "I"]);
  });

  it("'close' can be set to another number of days", () => {
    const actions = [act("A", { deadline: deadline("2026-12-02") }), act("B", { deadline: deadline("2026-11-29") })];
    expect(urgentActions(actions, TODAY, 4).map((a) => a.id)).toEqual(["B", "A"]);
    expect(urgentActions(actions, TODAY, 0).map((a) => a.id)).toEqual([]);
  });
});
