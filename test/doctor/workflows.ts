import {
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
 * A workflow left stuck the way the SDK ordering bug (README, "Reliability, measured") leaves a
 * case: its first run recorded a command its own replay does not make, so once it leaves the
 * worker's cache every workflow task fails with "[TMPRL1100] Nondeterminism error". The SDK's race
 * (a cold worker given an activity completion, an update and a query in one task) did not happen
 * on demand here (see test/doctor/doctor.test.ts), so the first run forces the same divergence:
 * once, right after an activity completes, as the bug does. A run started by a reset behaves.
 */

const { gate } = proxyActivities<{ gate(): Promise<void> }>({ startToCloseTimeout: '5 minutes' });

export const bumpUpdate = defineUpdate<number, []>('bump');
export const countQuery = defineQuery<number>('count');
export const finishSignal = defineSignal('finish');

export async function divergingWorkflow(): Promise<number> {
  let count = 0;
  let finished = false;
  setHandler(countQuery, () => count);
  setHandler(finishSignal, () => void (finished = true));
  setHandler(bumpUpdate, async () => {
    await sleep(1);
    return ++count;
  });
  await gate();
  const info = workflowInfo();
  if (!info.unsafe.isReplaying && info.runId === info.firstExecutionRunId) await sleep(3);
  await sleep(2);
  await condition(() => finished);
  return count;
}

export { caseDoctorWorkflow } from '../../workflows/doctor';
