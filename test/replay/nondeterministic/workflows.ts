import { sleep } from '@temporalio/workflow';
import { complaintWorkflow as current } from '../../../workflows/complaint';

/** A deliberately unsafe edit, for the replay suite to catch: a new timer before everything else. */
export async function complaintWorkflow(...args: Parameters<typeof current>): ReturnType<typeof current> {
  await sleep('1 minute');
  return current(...args);
}

export { complaintGroupWorkflow } from '../../../workflows/group';
