import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { TEST_SERVER_BIN } from '../../dev/paths';
import type { looksAtTheFlag } from './settle/workflows';

/**
 * docs/determinism.md, "A task without commands": a replay folds a workflow task that issued no command
 * into the next, so jobs the run handled in two activations reach the replay in one. The projection
 * therefore looks at the case only once every continuation its activation woke has run
 * (`taskSettled` in workflows/projection.ts). This holds the SDK to what that relies on: a look at once
 * sees a chain of awaits woken by the same activation unfinished, a look after `taskSettled` sees it
 * done.
 */

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

it('a look after taskSettled sees every continuation of its activation; a look at once does not', async () => {
  const taskQueue = `task-settled-${Date.now()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./settle/workflows'),
  });
  const seen = await worker.runUntil(
    env.client.workflow.execute<typeof looksAtTheFlag>('looksAtTheFlag', {
      workflowId: taskQueue,
      taskQueue,
    }),
  );
  expect(seen).toEqual({ atOnce: false, afterSettle: true });
}, 120_000);
