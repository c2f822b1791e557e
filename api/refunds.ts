import { z } from 'zod';
import type { Logger } from 'pino';
import { createHttpClient, ProviderRejected, ProviderUnavailable, type ProviderConfig } from '../clients/http';
import type { CaseViewV1 } from '../shared/caseView';
import type { ProposeResolutionV1 } from '../shared/commands';
import { ApiError } from './errors';

/**
 * The refund cap across cases (docs/domain.md §8.4: the money paid back on one order never exceeds
 * what was paid for it, whatever case, round or repeat complaint paid it). The payment gateway is
 * asked, not the projection: the gateway is what moved the money, over every complaint and every
 * refund made outside complaint handling, and it knows a refund the moment it is paid, while the
 * projection's `refundedFen` is a per-case copy written after the workflow hears of the payment.
 * The gateway also refuses an over-refund itself, atomically, and the workflow's payment activity
 * turns that into a failed step: that holds should two cases race past this check, or should the
 * gateway not answer it (the proposal then goes ahead rather than stopping agents during an outage
 * the workflow's retries are made for).
 */

/** The gateway's answer to `GET /payments/orders/:orderId`: what was captured and refunded so far. */
export const OrderPaymentV1 = z.object({
  orderId: z.string(),
  paidFen: z.number().int().nonnegative(),
  refundedFen: z.number().int().nonnegative(),
});
export type OrderPaymentV1 = z.infer<typeof OrderPaymentV1>;

export interface PaymentLedger {
  /** Null when the gateway has no payment for the order. */
  orderPayment(orderId: string): Promise<OrderPaymentV1 | null>;
}

export function createPaymentLedger(cfg: ProviderConfig): PaymentLedger {
  const http = createHttpClient({ timeoutMs: 3_000, ...cfg, name: 'payments' });
  return {
    orderPayment: async (orderId) => {
      try {
        return await http.get(`/payments/orders/${encodeURIComponent(orderId)}`, OrderPaymentV1);
      } catch (err) {
        if (err instanceof ProviderRejected && err.status === 404) return null;
        throw err;
      }
    },
  };
}

const REFUNDS: readonly ProposeResolutionV1['type'][] = ['refund', 'partial_refund'];

/** Refuses (422) a refund proposal that would take the case's order past what was paid for it. */
export async function requireRefundWithinPaid(
  ledger: PaymentLedger,
  view: CaseViewV1,
  proposal: ProposeResolutionV1,
  logger: Logger,
): Promise<void> {
  if (!REFUNDS.includes(proposal.type) || proposal.amountFen === undefined) return;
  const { complaintId, order } = view;
  let payment: OrderPaymentV1 | null;
  try {
    payment = await ledger.orderPayment(order.orderId);
  } catch (err) {
    if (!(err instanceof ProviderUnavailable)) throw err;
    logger.warn(
      { err, complaintId, orderId: order.orderId },
      'refund cap not checked across cases: the payment gateway did not answer; it refuses an over-refund itself',
    );
    return;
  }
  if (!payment)
    throw new ApiError(
      'unknown_order',
      `the payment gateway has no payment for order ${order.orderId}`,
      [],
      complaintId,
    );
  const left = payment.paidFen - payment.refundedFen;
  if (proposal.amountFen > left) {
    throw new ApiError(
      'amount_exceeds_paid',
      `refund ${proposal.amountFen} fen: ${payment.refundedFen} of the ${payment.paidFen} fen paid for order ${order.orderId} is already refunded`,
      [{ path: 'amountFen', message: `at most ${left} fen is left to refund on order ${order.orderId}` }],
      complaintId,
    );
  }
}
