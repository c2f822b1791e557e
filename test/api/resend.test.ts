import { type Client, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createCaseGateway } from '../../api/cases';
import { toAnswer } from '../../api/errors';
import { assignUpdate } from '../../shared/messages';
import type { Store } from '../../store/connection';
import { caseView } from '../../dev/builders';

/**
 * A case refuses an action with `unavailable` when it moved earlier in the same workflow task
 * (docs/determinism.md): our own race. The API sends the action again by itself, the same update
 * each time, and answers 503 only when the case still refuses after a few sends.
 */

const staff = { sub: 'agent-7', role: 'agent' as const };
const view = caseView({ complaintId: 'cmp-resend-1', owner: staff.sub });
const refusal = (type: string) =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({ type, message: `refused as ${type}`, nonRetryable: true }),
  );

/** Temporal as the gateway sees it: each update is answered by the next of `answers` (the last one repeats), and every send is recorded. */
/** `accept`, or the refusal's code. */
function standIn(answers: string[]) {
  const sent: Array<{ name: string; updateId?: string }> = [];
  const handle = {
    executeUpdate: (update: { name: string }, opts: { updateId?: string }) => {
      sent.push({ name: update.name, updateId: opts.updateId });
      const answer = answers[Math.min(sent.length, answers.length) - 1];
      return answer === 'accept' ? Promise.resolve(view) : Promise.reject(refusal(answer));
    },
    describe: () => Promise.resolve({ raw: {}, type: 'complaintWorkflow', status: { name: 'RUNNING' } }),
  };
  const client = {
    withDeadline: (_: number, call: () => Promise<unknown>) => call(),
    workflow: { getHandle: () => handle },
  } as unknown as Client;
  // Staff actions never read the store: no party check.
  return { cases: createCaseGateway(client, {} as Store), sent };
}

it('an action refused twice as unavailable is sent again, as the same update, and its answer is the view', async () => {
  const { cases, sent } = standIn(['unavailable', 'unavailable', 'accept']);
  await expect(cases.act(view.complaintId, staff, assignUpdate, { agentId: staff.sub })).resolves.toEqual(view);
  expect(sent).toHaveLength(3);
  expect(sent.every((s) => s.name === assignUpdate.name)).toBe(true);
  expect(sent[0].updateId).toEqual(expect.any(String));
  expect(new Set(sent.map((s) => s.updateId)).size).toBe(1);
});

it('a case that keeps refusing is sent a few times, then the caller gets 503 unavailable with Retry-After', async () => {
  const { cases, sent } = standIn(['unavailable']);
  const err: unknown = await cases
    .act(view.complaintId, staff, assignUpdate, { agentId: staff.sub })
    .catch((e: unknown) => e);
  // "A few attempts": more than one, and not so many that the caller waits long.
  expect(sent.length).toBeGreaterThan(1);
  expect(sent.length).toBeLessThanOrEqual(5);
  expect(new Set(sent.map((s) => s.updateId)).size).toBe(1);
  const answer = toAnswer(err);
  expect(answer).toMatchObject({ status: 503, body: { code: 'unavailable' } });
  expect(answer?.retryAfterS).toBeGreaterThan(0);
});

it('any other refusal is answered at once, without a resend', async () => {
  const { cases, sent } = standIn(['wrong_stage', 'accept']);
  const err: unknown = await cases
    .act(view.complaintId, staff, assignUpdate, { agentId: staff.sub })
    .catch((e: unknown) => e);
  expect(sent).toHaveLength(1);
  expect(toAnswer(err)).toMatchObject({ status: 409, body: { code: 'wrong_stage' } });
});

it('an update whose answer timed out may still be taken: its 503 carries no Retry-After', () => {
  const timedOut = new WorkflowUpdateRPCTimeoutOrCancelledError('timed out', { cause: new Error('deadline') });
  const answer = toAnswer(timedOut);
  expect(answer).toMatchObject({ status: 503, body: { code: 'unavailable' } });
  expect(answer?.retryAfterS).toBeUndefined();
});
