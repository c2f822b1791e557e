import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';

/**
 * A workflow left stuck the way the SDK ordering bug (docs/determinism.md) leaves a case: its first
 * run recorded a command its own replay does not make, so once it leaves the worker's cache every
 * workflow task fails with "[TMPRL1100] Nondeterminism error". The SDK's race (a cold worker given
 * an activity completion, an update and a query in one task) did not happen on demand here (see
 * test/doctor/doctor.test.ts), so the first run forces the same divergence: once, in the task that
 * takes an activity's result, as the bug does. A run started by a reset behaves.
 *
 * Its update is taken only once the activity's result is in, as the customer's acceptance of a plan
 * is taken only once the payment's result is: reapplied into the task that takes that result, the
 * update would come first (core sorts updates before activity results) and be refused.
 */

const { gate } = proxyActivities<{ gate(): Promise<void> }>({ startToCloseTimeout: '5 minutes' });

export const bumpUpdate = defineUpdate<number, []>('bump');
export const gatedQuery = defineQuery<boolean>('gated');
export const finishSignal = defineSignal('finish');

export async function divergingWorkflow(): Promise<number> {
  let count = 0;
  let finished = false;
  let gated = false;
  setHandler(gatedQuery, () => gated);
  setHandler(finishSignal, () => void (finished = true));
  setHandler(bumpUpdate, () => ++count, {
    validator: () => {
      if (!gated) throw ApplicationFailure.create({ type: 'wrong_stage', message: 'the gate is not passed yet' });
    },
  });
  await gate();
  gated = true;
  const info = workflowInfo();
  if (!info.unsafe.isReplaying && info.runId === info.firstExecutionRunId) await sleep(3);
  await condition(() => finished && count > 0);
  return count;
}

export { caseDoctorWorkflow } from '../../workflows/doctor';
