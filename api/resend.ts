import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';

/**
 * A case refuses an action with `unavailable` when the case moved earlier in the same workflow task
 * (workflows/guards.ts, `requireSettled`; docs/determinism.md): our own race, which callers should
 * never meet. The refusal writes nothing and the action is taken in the next task, so the API sends
 * it again by itself, after these pauses (four sends in all), before it answers 503.
 */
export const RESEND_PAUSES_MS: readonly number[] = [100, 300, 900];

/** The case's `unavailable` refusal; not Temporal being unreachable, which a resend within a second does not mend. */
export function refusedAsUnsettled(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === 'unavailable'
  );
}

/**
 * Sends an update, and again after each pause while the case refuses it as unsettled. Every send
 * carries the same update id: should an earlier send have been taken after all (its answer lost),
 * Temporal answers the later one with that update's outcome instead of running the action twice.
 */
export async function sendUntilSettled<T>(
  send: (updateId: string) => Promise<T>,
  pausesMs: readonly number[] = RESEND_PAUSES_MS,
): Promise<T> {
  const updateId = randomUUID();
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(updateId);
    } catch (err) {
      if (!refusedAsUnsettled(err) || attempt >= pausesMs.length) throw err;
      await new Promise((r) => setTimeout(r, pausesMs[attempt]));
    }
  }
}
