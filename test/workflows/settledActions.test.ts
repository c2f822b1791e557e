import { ApplicationFailure, Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../activities';
import { assignUpdate, caseRepairedSignal } from '../../shared/messages';
import { type CaseWorld, agent, openCase } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import { quiet, timeline, view } from './helpers';

/**
 * A person's action that reaches a case in the same workflow task as something that already moved
 * the case (here a signal: the case doctor's note that it mended the case) is refused for now with
 * `unavailable`, and accepted when sent again; the case's history replays (docs/determinism.md).
 * The worker is stopped while the signal and the action arrive, so both reach the workflow in the
 * one task that follows. On the dev server (real time): the worker's restart needs the server's
 * sticky-queue timeout to pass, which the time-skipping server never lets happen.
 */

let h: Harness;
let client: Client;
let connection: Connection;
let native: NativeConnection;
/** The worker running now: a failed test leaves it to afterEach, which must stop it before closing its connection. */
let running: { stop: () => Promise<void> } | undefined;
beforeEach(async () => {
  h = await startHarness('settled');
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  client = new Client({ connection });
  native = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await native?.close();
  await connection?.close();
  await h?.close();
});

const BUNDLE = { codePath: process.env.WORKFLOW_BUNDLE_PATH ?? '' };

/** A worker of our own on its own queue, so the test can stop it and start another. */
async function ownWorker(taskQueue: string): Promise<{ stop: () => Promise<void> }> {
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: BUNDLE,
    activities: createActivities({
      config: { ...h.config, TEMPORAL_TASK_QUEUE: taskQueue },
      temporal: client,
      mongo: h.mongo,
      logger: pino({ level: 'silent' }),
    }),
  });
  const run = worker.run();
  running = {
    stop: async () => {
      running = undefined;
      worker.shutdown();
      await run;
    },
  };
  return running;
}

const refusedAs = (err: unknown) =>
  err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure
    ? (err.cause.type ?? 'refused')
    : String(err);

it('an action that arrives in the task after a signal moved the case is refused as unavailable, then taken when sent again; the history replays', async () => {
  const taskQueue = `${h.taskQueue}-dev`;
  const world: CaseWorld = {
    env: { client, currentTimeMs: () => Promise.resolve(Date.now()) },
    sandbox: h.sandbox,
    taskQueue,
  };
  let worker = await ownWorker(taskQueue);
  const c = await openCase(world);
  await quiet(c);
  const outcomes: string[] = [];
  // The signal and the action must share a task: the update has to be admitted before the next
  // worker polls. Tried a few times, each waiting longer for the admission, until one was refused.
  for (let attempt = 1; attempt <= 3 && !outcomes.includes('unavailable'); attempt++) {
    await worker.stop();
    await c.handle.signal(caseRepairedSignal, {
      fromRunId: 'r1',
      toRunId: 'r2',
      resetEventId: attempt,
      failure: 'test',
    });
    const sent = c.handle
      .executeUpdate(assignUpdate, { updateId: `assign-${attempt}`, args: [{ agentId: agent.sub, actor: agent }] })
      .then(() => 'accepted', refusedAs);
    await new Promise((r) => setTimeout(r, 1000 * attempt));
    worker = await ownWorker(taskQueue);
    outcomes.push(await sent);
  }
  expect(outcomes).toContain('unavailable');
  expect(outcomes.filter((o) => o !== 'unavailable' && o !== 'accepted')).toEqual([]);
  // Sent again, it is taken.
  await c.handle.executeUpdate(assignUpdate, {
    updateId: 'assign-again',
    args: [{ agentId: agent.sub, actor: agent }],
  });
  expect((await view(c)).owner).toBe(agent.sub);
  // Every signal moved the case: none was lost to the refusals.
  expect((await timeline(c)).filter((e) => e.action === 'case_repaired')).toHaveLength(outcomes.length);
  await quiet(c);
  const history = await c.handle.fetchHistory();
  await c.handle.terminate('test: done');
  await worker.stop();
  await Worker.runReplayHistory({ workflowBundle: BUNDLE }, history, c.input.complaintId);
}, 300_000);
