import { randomUUID } from 'node:crypto';
import { CancelledFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { TEST_SERVER_BIN } from '../../dev/paths';
import { type GroupMemberV1, groupMemberSignal } from '../../shared/messages';
import type { complaintGroupWorkflow } from '../../workflows/group';

/**
 * The group counter (docs/domain.md §2.4) on its own, on a time-skipping server: it ends when its
 * window is empty, and a cancellation still ends it while it waits for members, though its waits
 * run where a cancellation does not reach them (docs/versioning.md, `group-one-clock`).
 */

const HOUR = 60 * 60_000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER_BIN } },
  });
});

afterAll(async () => {
  await env?.teardown();
});

const member = async () => ({
  complaintId: `C-${randomUUID()}`,
  openedAt: new Date(await env.currentTimeMs()).toISOString(),
  threshold: 5,
  windowMs: 24 * HOUR,
});

/** A counter that has heard of `members` complaints (fewer than the 5 that flag a group). */
async function counter(taskQueue: string, members: number) {
  const handle = await env.client.workflow.signalWithStart<typeof complaintGroupWorkflow, [GroupMemberV1]>(
    'complaintGroupWorkflow',
    {
      workflowId: `group-${randomUUID()}`,
      taskQueue,
      args: [{ groupKey: 'merchant:m-clock' }],
      signal: groupMemberSignal,
      signalArgs: [await member()],
    },
  );
  for (let i = 1; i < members; i++) await handle.signal(groupMemberSignal, await member());
  return handle;
}

function workerOn(taskQueue: string) {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../../workflows/group'),
    activities: { notifyStaff: () => Promise.resolve() },
  });
}

it('ends once the last of its members left the 24 h window', async () => {
  const taskQueue = `group-clock-${randomUUID()}`;
  const worker = await workerOn(taskQueue);
  await worker.runUntil(async () => {
    const handle = await counter(taskQueue, 3);
    const started = await env.currentTimeMs();
    await handle.result();
    expect((await env.currentTimeMs()) - started).toBeGreaterThanOrEqual(24 * HOUR - 60_000);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
});

it('a cancellation ends a counter that waits for members', async () => {
  const taskQueue = `group-clock-${randomUUID()}`;
  const worker = await workerOn(taskQueue);
  await worker.runUntil(async () => {
    const handle = await counter(taskQueue, 2);
    // Waiting: its clock for the oldest member's expiry is running.
    for (let i = 0; i < 100 && !(await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await handle.cancel();
    const failure = await handle.result().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });
});
