import type { ActivateInput, WorkflowInternalsInterceptor } from '@temporalio/workflow';

/**
 * docs/determinism.md, "How the update comes to follow the results": the activation a worker makes to
 * answer a query on a run it does not hold carries the last completed task's start time with a longer
 * history; every task's own activations carry that task's start time. The activations below are
 * written as core sends them (history length = the task's WorkflowTaskStarted id; a query's run-ahead
 * at the id of the last event it applied).
 */

type Watch = {
  activate: (length: number, seconds: number, job?: 'resolveActivity' | 'queryWorkflow') => void;
  unwritten: (length: number) => boolean;
};

function freshWatch(): Watch {
  let mod!: typeof import('../../workflows/activations');
  jest.isolateModules(() => {
    mod = jest.requireActual<typeof import('../../workflows/activations')>('../../workflows/activations');
  });
  const watcher = mod.interceptors().internals?.[0] as Required<WorkflowInternalsInterceptor>;
  return {
    activate: (length, seconds, job = 'resolveActivity') => {
      const activation = { historyLength: length, timestamp: { seconds, nanos: 0 }, jobs: [{ [job]: {} }] };
      watcher.activate({ activation, batchIndex: 0 } as unknown as ActivateInput, () => undefined);
    },
    unwritten: mod.ranAheadUnwritten,
  };
}

it('tasks that each start at their own time are never taken for a run-ahead', () => {
  const w = freshWatch();
  for (const [length, seconds] of [
    [3, 100],
    [9, 105],
    [15, 107],
    [22, 130],
  ])
    w.activate(length, seconds);
  expect(w.unwritten(22)).toBe(false);
  expect(w.unwritten(25)).toBe(false);
});

it("a query's run-ahead (the last task's time, a longer history) is unwritten through the task that writes it, however many events came between", () => {
  const w = freshWatch();
  w.activate(3, 100);
  w.activate(69, 200); // the last completed task
  w.activate(78, 200); // a worker answering a query applies the results recorded at 70-78
  expect(w.unwritten(78)).toBe(true);
  // The task times out (79, 80) and starts again at 81: the writer.
  w.activate(81, 215);
  expect(w.unwritten(81)).toBe(true);
  // A later task: the run-ahead's commands were written by task 81.
  w.activate(90, 230);
  expect(w.unwritten(90)).toBe(false);
});

it("a query's own activation and a task's second activation (same time, same length) are not a run-ahead", () => {
  const w = freshWatch();
  w.activate(69, 200);
  w.activate(69, 200, 'queryWorkflow');
  w.activate(69, 200);
  expect(w.unwritten(69)).toBe(false);
});
