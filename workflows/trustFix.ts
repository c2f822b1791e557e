import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notifications';
import type { PaymentActivities } from '../activities/payments';
import type { TrustFixActivities } from '../activities/trustFixes';
import { trustCouponKey, type TrustOutcome, type TrustTarget } from '../shared/trust';

/**
 * Trust after a fix (docs/domain.md §9.6): one short workflow per recorded root-cause fix (id
 * `trust-fix.<fixId>`, started by `POST /v1/fixes`) tells the customer of every case the fix caused,
 * open or closed alike, what changed, with the goodwill coupon the policy's terms owe them. Both are
 * best effort: a coupon or a text that cannot go out is an alert to the person on that case, and the
 * fix's record says for each customer whether they were told.
 */

export interface TrustFixInput {
  fixId: string;
}

/** Customers told at once: a fix may concern hundreds of cases. */
const BATCH = 10;

// The record must be written: the store is retried until it answers.
const store = proxyActivities<TrustFixActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});
// A refusing gateway must not hold up the other customers: few tries, then a person is told.
const outside = proxyActivities<
  Pick<NotificationActivities, 'sendCustomerMessage' | 'notifyStaff'> & Pick<PaymentActivities, 'issueCoupon'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export async function trustFixWorkflow({ fixId }: TrustFixInput): Promise<void> {
  const targets = await store.trustTargets({ fixId });
  for (let i = 0; i < targets.length; i += BATCH)
    await Promise.all(targets.slice(i, i + BATCH).map((t) => tell(fixId, t)));
  await store.finishTrustFix({ fixId });
}

async function tell(fixId: string, t: TrustTarget): Promise<void> {
  let couponId: string | null = null;
  let alerted: string | null = null;
  if (t.couponFen > 0) {
    const issued = await attempt(() =>
      outside.issueCoupon({
        complaintId: t.complaintId,
        idempotencyKey: trustCouponKey(fixId, t.complaintId),
        customerId: t.customerId,
        amountFen: t.couponFen,
        validDays: t.validDays,
      }),
    );
    couponId = issued?.couponId ?? null;
    if (!issued) {
      alerted = await tellPerson(
        t,
        'trust_coupon_failed',
        `投诉 ${t.complaintId} 的整改致谢优惠券（${(t.couponFen / 100).toFixed(2)} 元，整改 ${fixId}）未能发放，请人工补发。The goodwill coupon of fix ${fixId} for complaint ${t.complaintId} could not be issued; issue it by hand.`,
      );
    }
  }
  const couponFen = couponId ? t.couponFen : 0;
  const zh = t.locale === 'zh-CN';
  const sent = await attempt(() =>
    outside.sendCustomerMessage({
      complaintId: t.complaintId,
      to: t.to,
      channel: t.channel,
      locale: t.locale,
      template: 'trust_notice',
      vars: {
        whatChanged: zh ? t.whatChanged : (t.whatChangedEn ?? t.whatChanged),
        ...(couponFen > 0 ? { couponFen, validDays: t.validDays } : {}),
      },
    }),
  );
  if (!sent) {
    alerted = await tellPerson(
      t,
      'trust_notice_undelivered',
      `投诉 ${t.complaintId} 的客户未能收到整改通知（整改 ${fixId}），请电话告知：${t.whatChanged}。The customer of complaint ${t.complaintId} could not be told of fix ${fixId}; call them: ${t.whatChangedEn ?? t.whatChanged}`.slice(
        0,
        2000,
      ),
    );
  }
  const outcome: TrustOutcome = {
    status: sent ? 'told' : 'undelivered',
    couponFen,
    couponId,
    couponFailed: t.couponFen > 0 && !couponId,
    alerted,
  };
  await store.recordTrustOutcome({
    fixId,
    complaintId: t.complaintId,
    outcome,
    noCouponBecause: t.noCouponBecause,
    at: new Date().toISOString(),
  });
}

/** null when the outside call failed past its retries. */
async function attempt<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ActivityFailure) return null;
    throw err;
  }
}

/** The person on the case, else its supervisors, else the operations manager: who was told, or null when no alert went out. */
async function tellPerson(t: TrustTarget, event: string, text: string): Promise<string | null> {
  for (const recipient of [...new Set([t.person, 'supervisor', 'ops_manager'])]) {
    if ((await attempt(() => outside.notifyStaff({ complaintId: t.complaintId, recipient, event, text }))) !== null)
      return recipient;
  }
  return null;
}
