import { Coupon, PaymentRefusal, Refund, type RefundKind } from '../shared/providers';
import { createHttpClient, toActivityError, type ProviderConfig } from '../clients/http';

/**
 * The payment gateway: refunds and compensations to the original payment method, goodwill
 * coupons and their revocation (a saga's compensation). Every money-moving call carries an
 * idempotency key the workflow derives from its id and step, so a retried attempt after a lost
 * answer never pays twice.
 */

export interface PayRefundInput {
  complaintId: string;
  idempotencyKey: string;
  orderId: string;
  amountFen: number;
  kind: RefundKind;
  reason: string;
}

export interface IssueCouponInput {
  complaintId: string;
  idempotencyKey: string;
  customerId: string;
  amountFen: number;
  validDays: number;
}

export interface RevokeCouponInput {
  complaintId: string;
  couponId: string;
}

const REFUSALS = PaymentRefusal.options;

export function createPaymentActivities(cfg: ProviderConfig) {
  const http = createHttpClient({ timeoutMs: 10_000, ...cfg, name: 'payments' });

  return {
    payRefund: async (input: PayRefundInput): Promise<{ refundId: string; amountFen: number }> => {
      const { complaintId, idempotencyKey, orderId, amountFen, kind, reason } = input;
      try {
        const refund = await http.post('/payments/refunds', { complaintId, orderId, amountFen, kind, reason }, Refund, {
          complaintId,
          idempotencyKey,
        });
        return { refundId: refund.refundId, amountFen: refund.amountFen };
      } catch (err) {
        throw toActivityError(err, REFUSALS, { complaintId, orderId, amountFen, kind, idempotencyKey });
      }
    },

    issueCoupon: async (input: IssueCouponInput): Promise<{ couponId: string }> => {
      const { complaintId, idempotencyKey, customerId, amountFen, validDays } = input;
      try {
        const coupon = await http.post('/payments/coupons', { complaintId, customerId, amountFen, validDays }, Coupon, {
          complaintId,
          idempotencyKey,
        });
        return { couponId: coupon.couponId };
      } catch (err) {
        throw toActivityError(err, REFUSALS, { complaintId, customerId, amountFen, idempotencyKey });
      }
    },

    /** Revoking twice is fine: the gateway answers 200 for a coupon already revoked. */
    revokeCoupon: async ({ complaintId, couponId }: RevokeCouponInput): Promise<void> => {
      try {
        await http.delete(`/payments/coupons/${encodeURIComponent(couponId)}`, Coupon, { complaintId });
      } catch (err) {
        throw toActivityError(err, REFUSALS, { complaintId, couponId });
      }
    },
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
