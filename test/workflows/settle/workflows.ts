import { sleep } from '@temporalio/workflow';
import { taskSettled } from '../../../workflows/projection';

/**
 * In the activation a timer wakes, a chain of a hundred awaits ends by setting a flag (as a result's
 * continuation ends by changing the case), and two looks read the flag: one after a single await, one
 * after `taskSettled()`.
 */
export async function looksAtTheFlag(): Promise<{ atOnce: boolean; afterSettle: boolean }> {
  await sleep(1_000);
  let set = false;
  const chain = (async () => {
    for (let i = 0; i < 100; i++) await Promise.resolve();
    set = true;
  })();
  const atOnce = (async () => {
    await Promise.resolve();
    return set;
  })();
  const afterSettle = (async () => {
    await taskSettled();
    return set;
  })();
  const [once, settled] = await Promise.all([atOnce, afterSettle, chain]);
  return { atOnce: once, afterSettle: settled };
}
