import { temporal } from '@temporalio/proto';
import type { FloorPlan, FloorStage } from './floorWorkflow';

type History = temporal.api.history.v1.IHistory;

/** What one lifecycle asked of Temporal, read from its history. */
export interface LifecycleCounts {
  events: number;
  /** The history's encoded size: what the server stores and sends to the worker. */
  kilobytes: number;
  workflowTasks: number;
  updates: number;
  activities: number;
  timers: number;
  firedTimers: number;
  searchAttributeUpserts: number;
}

export function countHistory(history: History): LifecycleCounts {
  const kilobytes = Math.round(temporal.api.history.v1.History.encode(history).finish().length / 1024);
  const counts: LifecycleCounts = {
    events: 0,
    kilobytes,
    workflowTasks: 0,
    updates: 0,
    activities: 0,
    timers: 0,
    firedTimers: 0,
    searchAttributeUpserts: 0,
  };
  for (const e of history.events ?? []) {
    counts.events++;
    if (e.workflowTaskCompletedEventAttributes) counts.workflowTasks++;
    if (e.workflowExecutionUpdateAcceptedEventAttributes) counts.updates++;
    if (e.activityTaskScheduledEventAttributes) counts.activities++;
    if (e.timerStartedEventAttributes) counts.timers++;
    if (e.timerFiredEventAttributes) counts.firedTimers++;
    if (e.upsertWorkflowSearchAttributesEventAttributes) counts.searchAttributeUpserts++;
  }
  return counts;
}

/**
 * The floor's plan: per accepted update, the activities (in the batches one workflow task scheduled
 * together) and the timers the real case started before the next one.
 */
export function floorPlan(history: History, firedTimerMs: number): FloorPlan {
  const updates: string[] = [];
  const stages: FloorStage[] = [];
  /** Whether the current workflow task already scheduled an activity of this stage. */
  let batchOpen = false;
  for (const e of history.events ?? []) {
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      updates.push(accepted.acceptedRequest?.input?.name ?? '');
      stages.push({ batches: [], cancelledTimers: 0, firedTimers: 0 });
      batchOpen = false;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    if (e.workflowTaskCompletedEventAttributes) batchOpen = false;
    if (e.activityTaskScheduledEventAttributes) {
      if (!batchOpen) stage.batches.push(0);
      batchOpen = true;
      stage.batches[stage.batches.length - 1]++;
    }
    if (e.timerStartedEventAttributes) stage.cancelledTimers++;
    // A timer that fires was counted as started in the stage it fires in (the callback waits inside one stage).
    if (e.timerFiredEventAttributes) {
      stage.cancelledTimers--;
      stage.firedTimers++;
    }
  }
  return { updates, stages, firedTimerMs };
}
