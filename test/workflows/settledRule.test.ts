import { moveUnwritten } from '../../workflows/case';

/**
 * docs/determinism.md, "The rule the workflow keeps now": an action is refused while the case's last
 * move is not written by a completed workflow task. Each history below is written as Temporal writes
 * one (event ids from 1); the activation's history length is the id of the task's WorkflowTaskStarted,
 * or, for a worker answering a query on a run it did not hold, the id of the last event it applied.
 */
type EventType =
  | 'WorkflowExecutionStarted'
  | 'WorkflowTaskScheduled'
  | 'WorkflowTaskStarted'
  | 'WorkflowTaskCompleted'
  | 'ActivityTaskScheduled'
  | 'ActivityTaskStarted'
  | 'ActivityTaskCompleted'
  | 'WorkflowExecutionSignaled';

/** The id of the `nth` (from the end, 1 = last) event of a type. */
function idOf(history: EventType[], type: EventType, nth = 1): number {
  const ids = history.flatMap((t, i) => (t === type ? [i + 1] : []));
  return ids[ids.length - nth];
}

const opened: EventType[] = [
  'WorkflowExecutionStarted',
  'WorkflowTaskScheduled',
  'WorkflowTaskStarted',
  'WorkflowTaskCompleted',
  'ActivityTaskScheduled',
  'ActivityTaskScheduled',
];
/** Both results recorded (a retried activity's start is written with its completion), then their task. */
const resultsThenTask: EventType[] = [
  ...opened,
  'ActivityTaskStarted',
  'ActivityTaskCompleted',
  'WorkflowTaskScheduled',
  'ActivityTaskStarted',
  'ActivityTaskCompleted',
  'WorkflowTaskStarted',
];

it('a move in the task the action arrives in is unwritten', () => {
  const task = idOf(resultsThenTask, 'WorkflowTaskStarted');
  expect(moveUnwritten(task, task)).toBe(true);
});

it("a move a worker made answering a query before the task started (at the last result's id) is unwritten", () => {
  const task = idOf(resultsThenTask, 'WorkflowTaskStarted');
  const queryMove = idOf(resultsThenTask, 'ActivityTaskCompleted');
  expect(queryMove).toBeLessThan(task);
  expect(moveUnwritten(task, queryMove)).toBe(true);
});

it("reliability run 12's case: moved at 101 by the query, the update taken in the task started at 102", () => {
  expect(moveUnwritten(102, 101)).toBe(true);
});

it('a move a completed task wrote is written, for the soonest next task: an update alone (speculative task)', () => {
  const history: EventType[] = [
    ...resultsThenTask,
    'WorkflowTaskCompleted',
    'WorkflowTaskScheduled',
    'WorkflowTaskStarted',
  ];
  const moved = idOf(history, 'WorkflowTaskStarted', 2);
  expect(moveUnwritten(idOf(history, 'WorkflowTaskStarted'), moved)).toBe(false);
});

it('a move a completed task wrote is written when a signal starts the next task', () => {
  const history: EventType[] = [
    ...resultsThenTask,
    'WorkflowTaskCompleted',
    'WorkflowExecutionSignaled',
    'WorkflowTaskScheduled',
    'WorkflowTaskStarted',
  ];
  const moved = idOf(history, 'WorkflowTaskStarted', 2);
  expect(moveUnwritten(idOf(history, 'WorkflowTaskStarted'), moved)).toBe(false);
});
