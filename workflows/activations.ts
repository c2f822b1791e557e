import type {
  ActivateInput,
  Next,
  WorkflowInterceptorsFactory,
  WorkflowInternalsInterceptor,
} from '@temporalio/workflow';
import { QUERY_RUN_AHEAD_REFUSED } from '../shared/errors';

/**
 * The SDK's ordering bug (docs/determinism.md, "How the update comes to follow the results"): a worker
 * asked a query about a run it does not hold rebuilds it from the history and runs it on the events
 * recorded since its last completed workflow task, in an activation of its own. Whatever comes next
 * (an action, a signal, a timer) then runs in an activation after it, where a replay runs everything
 * in one activation, in another order: the commands the run-ahead made are written where no replay
 * puts them.
 *
 * That activation carries the last completed task's time (core takes the time from the last task
 * start it applied) but a longer history, which no other activation does: each task's activations
 * have its own start time. This module refuses it before the workflow sees its jobs. The activation
 * fails, so the query fails (the caller asks again) and core drops the run from its cache; the next
 * workflow task rebuilds the run from the history and applies those events together with the rest,
 * as every replay will. It decides no command, and a replay never meets a run-ahead.
 *
 * Module state is the workflow run's own (the bundle evaluates it per workflow).
 */

interface Seen {
  length: number;
  time: string;
}

let last: Seen | null = null;

function timeOf(activation: ActivateInput['activation']): string {
  const ts = activation.timestamp;
  return `${String(ts?.seconds ?? '')}.${String(ts?.nanos ?? '')}`;
}

/** Only activations that run the workflow: a query's own or an eviction's do not. */
function runsWorkflow(activation: ActivateInput['activation']): boolean {
  const jobs = activation.jobs ?? [];
  return jobs.some((job) => !job.queryWorkflow && !job.removeFromCache);
}

function refuseRunAhead(activation: ActivateInput['activation']): void {
  const seen = { length: activation.historyLength ?? 0, time: timeOf(activation) };
  if (!activation.isReplaying && last && seen.time === last.time && seen.length !== last.length) {
    throw new Error(
      `${QUERY_RUN_AHEAD_REFUSED}: history length ${seen.length} at the time of the task at ${last.length}; ` +
        'the run is rebuilt by its next workflow task (docs/determinism.md)',
    );
  }
  last = seen;
}

const watcher: WorkflowInternalsInterceptor = {
  activate(input: ActivateInput, next: Next<WorkflowInternalsInterceptor, 'activate'>): void {
    if (input.batchIndex === 0 && runsWorkflow(input.activation)) refuseRunAhead(input.activation);
    next(input);
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({ internals: [watcher] });
