/** DTFx history event types (numbers as the SDK's HistoryEventType). */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

export const eventTypeName: Record<number, string> = Object.fromEntries(Object.entries(EventType).map(([k, v]) => [v, k]));

/**
 * One history event in DTFx PascalCase JSON, as the SDK reads it. `MessageId` (not in DTFx) records
 * which queue message delivered the event, so a redelivered message is recognised and dropped.
 */
export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  Name?: string;
  Input?: string;
  Version?: string;
  Result?: string;
  Reason?: string;
  Details?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  ParentInstanceId?: string;
  MessageId?: string;
}

export type RuntimeStatus = "Pending" | "Running" | "Completed" | "ContinuedAsNew" | "Failed" | "Terminated" | "Suspended";

/** Builds an event with the common fields filled (EventId -1 unless it names a task). */
export function historyEvent(type: number, timestamp: Date, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return { EventType: type, EventId: -1, IsPlayed: false, Timestamp: timestamp.toISOString(), ...fields };
}

/** The id a completion event refers to (TaskScheduledId or TimerId), or undefined. */
export function completionId(e: HistoryEvent): number | undefined {
  if (e.EventType === EventType.TimerFired) return e.TimerId;
  if (
    e.EventType === EventType.TaskCompleted ||
    e.EventType === EventType.TaskFailed ||
    e.EventType === EventType.SubOrchestrationInstanceCompleted ||
    e.EventType === EventType.SubOrchestrationInstanceFailed
  )
    return e.TaskScheduledId;
  return undefined;
}

/** True for TaskScheduled, TimerCreated and SubOrchestrationInstanceCreated. */
export function isCreatedEvent(e: HistoryEvent): boolean {
  return e.EventType === EventType.TaskScheduled || e.EventType === EventType.TimerCreated || e.EventType === EventType.SubOrchestrationInstanceCreated;
}
