import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PaymentActivities } from '../../../activities/payments';

/**
 * Test-only: one refund, retried by Temporal the way the complaint workflow retries its steps.
 * The idempotency key is derived from the workflow id and the step, as in production.
 */

const { payRefund } = proxyActivities<Pick<PaymentActivities, 'payRefund'>>({
  startToCloseTimeout: '3s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 5 },
});

export interface RefundOnceInput {
  complaintId: string;
  orderId: string;
  amountFen: number;
}

export async function refundOnce(
  input: RefundOnceInput,
): Promise<{ refundId: string; amountFen: number; idempotencyKey: string }> {
  const idempotencyKey = `${workflowInfo().workflowId}:refund`;
  const paid = await payRefund({ ...input, idempotencyKey, kind: 'refund', reason: 'test refund' });
  return { ...paid, idempotencyKey };
}
