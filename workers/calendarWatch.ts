import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { CALENDAR_WATCH_ID, type calendarWatchWorkflow } from '../workflows/calendarWatch';

/** Days before the official holiday data ends when operations start hearing of it daily (docs/domain.md §4.3). */
const REMIND_FROM_DAYS = 60;

/** Starts the calendar watch (workflows/calendarWatch.ts) unless it runs already: one per namespace, like the case doctor. */
export async function ensureCalendarWatch(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.start<typeof calendarWatchWorkflow>('calendarWatchWorkflow', {
    workflowId: CALENDAR_WATCH_ID,
    taskQueue,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ remindFromDays: REMIND_FROM_DAYS }],
  });
}
