import {
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

/**
 * The SDK's ordering bug, reduced (docs/determinism.md, "A query on a case the worker does not hold").
 * Two activity results move the workflow to "awaiting"; then the driver acts, by an update or by a
 * signal. An update's validator refuses it while the move is recent by one of the rules below, and
 * its answer says at which history length it was taken and at which the move happened. A signal's
 * handler schedules an activity at once, as a handler that reacts to an outside event does.
 */

const { work } = proxyActivities<{ work(n: number): Promise<number> }>({ startToCloseTimeout: '1 minute' });

export const respondUpdate = defineUpdate<string, []>('respond');
export const nudgeSignal = defineSignal('nudge');
export const stateQuery = defineQuery<string>('state');

/** No rule: any update valid at "awaiting" is taken. */
export async function noRule(): Promise<string> {
  return awaitingThenRespond(() => false);
}

/** The rule the complaint workflow kept until 2026-12-07: refuse a move at this very history length. */
export async function sameTaskRule(): Promise<string> {
  return awaitingThenRespond((historyLength, movedAt) => movedAt === historyLength);
}

/** The rule it keeps now: a move fewer than three events back is not written by a completed task yet. */
export async function unwrittenMoveRule(): Promise<string> {
  return awaitingThenRespond((historyLength, movedAt) => historyLength - movedAt < 3);
}

async function awaitingThenRespond(
  movedRecently: (historyLength: number, movedAt: number) => boolean,
): Promise<string> {
  let state = 'executing';
  let movedAt = -1;
  let answer = '';
  setHandler(stateQuery, () => state);
  setHandler(
    respondUpdate,
    () => {
      answer = `taken at history length ${workflowInfo().historyLength}, moved at ${movedAt}`;
      return answer;
    },
    {
      validator: () => {
        if (movedRecently(workflowInfo().historyLength, movedAt)) throw new Error('unavailable');
        if (state !== 'awaiting') throw new Error('wrong_stage');
      },
    },
  );
  await Promise.all([work(1), work(2)]);
  movedAt = workflowInfo().historyLength;
  state = 'awaiting';
  void work(3);
  void work(4);
  await condition(() => answer !== '');
  return answer;
}

/** The same move; a signal's handler schedules its own activity, as soon as the signal arrives. */
export async function signalled(): Promise<string> {
  let state = 'executing';
  let nudged = false;
  setHandler(stateQuery, () => state);
  setHandler(nudgeSignal, () => {
    if (nudged) return;
    nudged = true;
    void work(5);
  });
  await Promise.all([work(1), work(2)]);
  state = 'awaiting';
  void work(3);
  await condition(() => nudged);
  return `nudged at history length ${workflowInfo().historyLength}`;
}
