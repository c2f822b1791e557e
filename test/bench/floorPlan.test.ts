import type { temporal } from '@temporalio/proto';
import { floorPlan } from '../../dev/bench/history';

/** The floor repeats our activities in the batches one workflow task scheduled, so it pays the same workflow tasks. */

type Event = temporal.api.history.v1.IHistoryEvent;
const task: Event = { workflowTaskCompletedEventAttributes: {} };
const activity: Event = { activityTaskScheduledEventAttributes: {} };
const update = (name: string): Event => ({
  workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { input: { name } } },
});
const timer: Event = { timerStartedEventAttributes: {} };
const fired: Event = { timerFiredEventAttributes: {} };

it('groups the activities of each stage by the workflow task that scheduled them', () => {
  const events = [
    task,
    update('submit.v1'),
    activity,
    activity,
    task,
    activity,
    timer,
    task,
    update('assign.v1'),
    activity,
    task,
    timer,
    fired,
    task,
    activity,
  ];
  expect(floorPlan({ events }, 1000)).toEqual({
    updates: ['submit.v1', 'assign.v1'],
    stages: [
      { batches: [2, 1], cancelledTimers: 1, firedTimers: 0 },
      { batches: [1, 1], cancelledTimers: 0, firedTimers: 1 },
    ],
    firedTimerMs: 1000,
  });
});

it('starts a new batch where an update arrives within one workflow task', () => {
  const events = [task, update('submit.v1'), activity, update('assign.v1'), activity, activity];
  expect(floorPlan({ events }, 0).stages.map((s) => s.batches)).toEqual([[1], [2]]);
});
