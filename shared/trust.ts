import type { Channel, CustomerLocale, Responsibility } from './domain';
import type { SlaPolicy } from './policy';

/**
 * Trust after a fix (docs/domain.md §9.6): the shapes the fix workflow (workflows/trustFix.ts), its
 * activities and the API share, and the rule of the goodwill coupon.
 */

export const FIX_KINDS = ['merchant_process', 'product_batch', 'carrier_route'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/** One customer to tell of a fix: everything the workflow needs, read from the case's projection. */
export interface TrustTarget {
  complaintId: string;
  customerId: string;
  /** The customer's contact on the case's intake channel. */
  to: string;
  channel: Channel;
  locale: CustomerLocale;
  /** The person on the case an undelivered notice is alerted to: its owner, else its supervisors. */
  person: string;
  /** The goodwill coupon owed (0: none), its validity, and why when none. */
  couponFen: number;
  validDays: number;
  noCouponBecause: NoCouponReason | null;
  whatChanged: string;
  whatChangedEn: string | null;
}

export type NoCouponReason = 'policy_none' | 'customer_at_fault' | 'order_paid_back';

/** What became of one customer's notice, as the fix's record keeps it. */
export interface TrustOutcome {
  status: 'told' | 'undelivered';
  couponFen: number;
  couponId: string | null;
  /** The coupon policy owed but the gateway refused: a person was alerted. */
  couponFailed: boolean;
  alerted: string | null;
}

/**
 * The coupon a case's customer is owed: the policy's amount, for a responsibility the policy names (a case
 * not yet investigated counts as undetermined), and never more than what the order paid less what the
 * case already paid out (docs/domain.md §8.4: money never beyond the order).
 */
export function goodwillOf(
  policy: Pick<SlaPolicy, 'trustNotice'>,
  c: { responsibility: Responsibility | null; amountPaidFen: number; paidOutFen: number },
): { couponFen: number; noCouponBecause: NoCouponReason | null } {
  const { couponFen, forResponsibility } = policy.trustNotice;
  if (couponFen === 0) return { couponFen: 0, noCouponBecause: 'policy_none' };
  if (!forResponsibility.includes(c.responsibility ?? 'undetermined'))
    return { couponFen: 0, noCouponBecause: 'customer_at_fault' };
  const room = Math.max(0, c.amountPaidFen - c.paidOutFen);
  if (room === 0) return { couponFen: 0, noCouponBecause: 'order_paid_back' };
  return { couponFen: Math.min(couponFen, room), noCouponBecause: null };
}

/** The idempotency key of a case's coupon for a fix: the gateway pays it once, however often it is asked. */
export const trustCouponKey = (fixId: string, complaintId: string) => `trust-fix:${fixId}:${complaintId}`;

/** The workflow id of a fix's notices. */
export const trustFixWorkflowId = (fixId: string) => `trust-fix.${fixId}`;
