import type {
  ActivateInput,
  Next,
  WorkflowInterceptorsFactory,
  WorkflowInternalsInterceptor,
} from '@temporalio/workflow';

/**
 * The SDK's ordering bug (docs/determinism.md, "How the update comes to follow the results"): a worker
 * asked a query about a run it does not hold rebuilds it from the history and runs it on the events
 * recorded since its last completed workflow task, in an activation of its own. That activation
 * carries the last completed task's time (core takes the time from the last task start it applied)
 * but a longer history, which no other activation does: each task's activations have its own start
 * time. Its commands are written by the next task the run completes, behind whatever that task
 * takes; an action accepted there would be written behind them, where no replay puts it.
 *
 * So this module watches every activation and remembers such a run-ahead until the task that writes
 * it has passed. It decides no command: only action validators read it (guards.ts), and they do not
 * run in a replay. Module state is the workflow run's own (the bundle evaluates it per workflow).
 */

interface Seen {
  length: number;
  time: string;
}

let last: Seen | null = null;
/** A query's run-ahead not yet behind us, and the history length of the task that writes it (once seen). */
let ranAhead: { writtenAt: number | null } | null = null;

function timeOf(activation: ActivateInput['activation']): string {
  const ts = activation.timestamp;
  return `${String(ts?.seconds ?? '')}.${String(ts?.nanos ?? '')}`;
}

/** Only activations that run the workflow: a query's own or an eviction's do not. */
function runsWorkflow(activation: ActivateInput['activation']): boolean {
  const jobs = activation.jobs ?? [];
  return jobs.some((job) => !job.queryWorkflow && !job.removeFromCache);
}

function observe(activation: ActivateInput['activation']): void {
  const seen = { length: activation.historyLength ?? 0, time: timeOf(activation) };
  if (last && seen.time === last.time && seen.length !== last.length) ranAhead = { writtenAt: null };
  else if (ranAhead && seen.time !== last?.time) {
    if (ranAhead.writtenAt === null) ranAhead.writtenAt = seen.length;
    else if (ranAhead.writtenAt !== seen.length) ranAhead = null;
  }
  last = seen;
}

/**
 * Whether, at this history length, the run moved ahead for a query and no completed task has written
 * that yet: true from the run-ahead through the next task that runs the workflow.
 */
export function ranAheadUnwritten(historyLength: number): boolean {
  return ranAhead !== null && (ranAhead.writtenAt === null || ranAhead.writtenAt === historyLength);
}

const watcher: WorkflowInternalsInterceptor = {
  activate(input: ActivateInput, next: Next<WorkflowInternalsInterceptor, 'activate'>): void {
    if (input.batchIndex === 0 && runsWorkflow(input.activation)) observe(input.activation);
    next(input);
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({ internals: [watcher] });
