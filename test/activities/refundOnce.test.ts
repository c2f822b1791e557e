import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { createPaymentActivities, type PayRefundInput } from '../../activities/payments';
import { TEST_SERVER_BIN } from '../../dev/paths';
import type { Refund } from '../../shared/providers';
import { startTestSandbox, uid, type TestSandbox } from '../sandbox/testSandbox';
import type { refundOnce } from './workflows/refund-once';

/**
 * The promise the idempotency key makes, end to end: the gateway pays, its answer is lost, the
 * attempt times out, Temporal retries with the same key, and the customer is refunded once.
 */

let t: TestSandbox;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  // The first attempt fails on purpose; its warning would only be noise.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  [t, env] = await Promise.all([
    startTestSandbox(),
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: TEST_SERVER_BIN } },
    }),
  ]);
});

afterAll(async () => {
  await env?.teardown();
  await t?.close();
});

it('refunds once although the lost answer made Temporal run the activity twice', async () => {
  const taskQueue = uid('refund-once');
  const complaintId = uid('C');
  const orderId = uid('o');
  await t.putOrder(orderId, { amountPaidFen: 12_900 });
  await t.arm({ service: 'payments', mode: 'timeout', rate: 1, count: 1 });

  // The adapter gives up well before startToClose, as in production.
  const { payRefund } = createPaymentActivities({ ...t.provider, timeoutMs: 1_000 });
  const attempts: { attempt: number; startedAt: number }[] = [];
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./workflows/refund-once'),
    activities: {
      payRefund: (input: PayRefundInput) => {
        attempts.push({ attempt: Context.current().info.attempt, startedAt: Date.now() });
        return payRefund(input);
      },
    },
  });

  const workflowId = `refund-once-${complaintId}`;
  const result = await worker.runUntil(
    env.client.workflow.execute<typeof refundOnce>('refundOnce', {
      workflowId,
      taskQueue,
      args: [{ complaintId, orderId, amountFen: 4_900 }],
    }),
  );

  expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
  const refunds = await t.inspect<Refund[]>(`/payments/refunds?complaintId=${complaintId}`);
  // The gateway paid during the first attempt; the second was answered with that same refund.
  expect(Date.parse(refunds[0].createdAt)).toBeLessThan(attempts[1].startedAt);
  expect(refunds).toEqual([
    expect.objectContaining({ refundId: result.refundId, amountFen: 4_900, idempotencyKey: `${workflowId}:refund` }),
  ]);
  expect(result.idempotencyKey).toBe(`${workflowId}:refund`);
});
