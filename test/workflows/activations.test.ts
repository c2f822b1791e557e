import type { ActivateInput, WorkflowInternalsInterceptor } from '@temporalio/workflow';
import { QUERY_RUN_AHEAD_REFUSED } from '../../shared/errors';

/**
 * docs/determinism.md, "How the update comes to follow the results": the activation a worker makes to
 * answer a query on a run it does not hold carries the last completed task's start time with a longer
 * history; every task's own activations carry that task's start time. The activations below are
 * written as core sends them (history length = the task's WorkflowTaskStarted id; a query's run-ahead
 * at the id of the last event it applied). The watch must refuse the run-ahead before the workflow
 * sees its jobs, and nothing else.
 */

type Job = 'resolveActivity' | 'queryWorkflow' | 'removeFromCache';

function freshWatch() {
  let mod!: typeof import('../../workflows/activations');
  jest.isolateModules(() => {
    mod = jest.requireActual<typeof import('../../workflows/activations')>('../../workflows/activations');
  });
  const watcher = mod.interceptors().internals?.[0] as Required<WorkflowInternalsInterceptor>;
  const ran: number[] = [];
  /** Activates the watch; returns whether the workflow ran the jobs. */
  const activate = (length: number, seconds: number, opts: { job?: Job; replaying?: boolean } = {}) => {
    const activation = {
      historyLength: length,
      timestamp: { seconds, nanos: 0 },
      isReplaying: opts.replaying ?? false,
      jobs: [{ [opts.job ?? 'resolveActivity']: {} }],
    };
    watcher.activate({ activation, batchIndex: 0 } as unknown as ActivateInput, () => {
      ran.push(length);
    });
    return ran.at(-1) === length;
  };
  return { activate };
}

it('tasks that each start at their own time all run', () => {
  const w = freshWatch();
  for (const [length, seconds] of [
    [3, 100],
    [9, 105],
    [15, 107],
    [22, 130],
  ])
    expect(w.activate(length, seconds)).toBe(true);
});

it("a query's run-ahead (the last task's time, a longer history) is refused before the workflow runs it", () => {
  const w = freshWatch();
  w.activate(3, 100, { replaying: true });
  w.activate(69, 200, { replaying: true }); // the last completed task, rebuilt from the history
  // The worker answering a query applies the results recorded at 70-78 as new events.
  expect(() => w.activate(78, 200)).toThrow(QUERY_RUN_AHEAD_REFUSED);
});

it("a query's own activation, an eviction and a task's second activation (same time, same length) run", () => {
  const w = freshWatch();
  expect(w.activate(69, 200)).toBe(true);
  expect(w.activate(69, 200, { job: 'queryWorkflow' })).toBe(true);
  expect(w.activate(69, 200)).toBe(true);
  expect(w.activate(75, 200, { job: 'removeFromCache' })).toBe(true);
});

it('a replay is never refused, whatever its activations carry', () => {
  const w = freshWatch();
  w.activate(69, 200, { replaying: true });
  expect(w.activate(78, 200, { replaying: true })).toBe(true);
});
