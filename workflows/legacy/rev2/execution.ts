import { ActivityFailure, ApplicationFailure, condition, metricMeter, proxyActivities } from '@temporalio/workflow';
import { addWorkingDays, durationMs } from './calendar';
import type { ExecutionStepV1 } from '../../../shared/caseView';
import type { DeadlineKind } from '../../../shared/domain';
import { ESCALATION_ROLES } from './escalation';
import type { ComplaintActivities } from '../../../activities';
import { type Case, SYSTEM, nowIso } from './case';
import { awaitDeadline, type Notify } from './deadlines';
import { messaging, sendCustomer } from './messaging';

/**
 * Carrying out an approved resolution (docs/domain.md §8): each step tracked with an owner and
 * a deadline; a step that fails half way undoes what was done before it (saga), tells the
 * customer with a goodwill gesture, and hands the case back for a new plan.
 */

/** Money calls retry transport failures until the refund deadline; the idempotency key makes that safe. */
const payments = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m' },
});

const moneyPaid = metricMeter.createCounter('complaint_money_paid_fen', 'fen', 'refunds and compensations paid, by kind');

class StepFailed extends Error {
  constructor(readonly step: string, readonly reason: string) {
    super(`${step} failed: ${reason}`);
  }
}

interface Deps {
  notifyStaff: Notify;
}

export async function executeResolution(c: Case, deps: Deps): Promise<'done' | 'failed'> {
  const proposal = c.view.resolution.proposal;
  if (!proposal) return 'failed';
  /** What to undo if a later step fails, newest last: the step it belongs to and how. */
  const undo: Array<{ step: string; what: string; run: () => Promise<void> }> = [];
  const key = (step: string) => `${c.view.workflowId}:${step}:plan${c.planSeq}`;

  try {
    if (proposal.couponFen) {
      const couponFen = proposal.couponFen;
      const { couponId } = await step<{ couponId: string }>(c, deps, 'coupon', 'payments', 'credit', Date.now() + durationMs(c.policy.execution.credit), () =>
        payments.issueCoupon({ complaintId: c.view.complaintId, idempotencyKey: key('coupon'), customerId: c.view.customer.id, amountFen: couponFen, validDays: 7 }),
      );
      undo.push({
        step: 'coupon',
        what: `revoke coupon ${couponId}`,
        run: async () => {
          await payments.revokeCoupon({ complaintId: c.view.complaintId, couponId });
          markStep(c, 'coupon', 'compensated', `coupon ${couponId} revoked`);
        },
      });
    }

    switch (proposal.type) {
      case 'refund':
      case 'partial_refund':
      case 'compensation': {
        const kind = proposal.type;
        const deadline: DeadlineKind = kind === 'compensation' ? 'credit' : 'refund';
        const window = kind === 'compensation' ? c.policy.execution.credit : c.policy.execution.refund;
        const { amountFen } = await step(c, deps, kind, 'payments', deadline, Date.now() + durationMs(window), () =>
          payments.payRefund({ complaintId: c.view.complaintId, idempotencyKey: key(kind), orderId: c.view.order.orderId, amountFen: proposal.amountFen ?? 0, kind, reason: proposal.note }),
        );
        if (kind !== 'compensation') c.view.resolution.refundedFen = (c.view.resolution.refundedFen ?? 0) + amountFen;
        moneyPaid.add(amountFen, { kind });
        break;
      }
      case 'exchange':
        await returnAndInspect(c, deps);
        await notifyMerchant(c, 'ship_replacement', key('ship_replacement'), `Ship a replacement for order ${c.view.order.orderId} (${c.view.order.sku})`);
        break;
      case 'repair':
        await notifyMerchant(c, 'repair_request', key('repair_request'), `Repair the item of order ${c.view.order.orderId} within ${c.policy.execution.repairWorkingDays} working days`);
        await waitFor(c, deps, 'repair', 'merchant', 'repair', addWorkingDays(Date.now(), c.policy.execution.repairWorkingDays, c.policy.calendar));
        break;
      case 'resend_parts':
        await notifyMerchant(c, 'resend_parts', key('resend_parts'), `Resend the missing parts of order ${c.view.order.orderId}`);
        break;
      case 'apology':
      case 'referral':
      case 'coupon':
        break;
    }
    return 'done';
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    let compensated = 0;
    for (const action of undo.reverse()) {
      // A refused compensation must not end the case: record it, tell staff to undo it by hand, go on.
      try {
        await action.run();
        compensated++;
      } catch (undoErr) {
        if (!(undoErr instanceof ActivityFailure)) throw undoErr;
        const reason = undoErr.cause instanceof ApplicationFailure ? (undoErr.cause.type ?? undoErr.cause.message) : undoErr.message;
        markStep(c, action.step, 'failed', `${action.what} failed: ${reason}`);
        c.log(SYSTEM, 'compensation_failed', { step: action.step, what: action.what, reason }, 'failed');
        const level = Math.min(2, c.view.escalationLevel + 1);
        await deps.notifyStaff(ESCALATION_ROLES[level], 'compensation_failed', `${c.view.complaintId}: could not ${action.what} (${reason}); undo it by hand`);
      }
    }
    c.log(SYSTEM, 'execution_failed', { step: err.step, reason: err.reason, compensated }, 'failed');
    await goodwill(c, err, key('goodwill'));
    return 'failed';
  }
}

function addStep(c: Case, name: string, owner: string, dueMs: number, status: ExecutionStepV1['status']): void {
  c.view.resolution.steps.push({ name, status, owner, dueAt: new Date(dueMs).toISOString(), updatedAt: nowIso() });
  c.touch();
}

function markStep(c: Case, name: string, status: ExecutionStepV1['status'], detail?: string): void {
  const s = [...c.view.resolution.steps].reverse().find((x) => x.name === name);
  if (s) Object.assign(s, { status, updatedAt: nowIso(), ...(detail ? { detail } : {}) });
  c.touch();
}

/** Runs one activity step under its deadline; a business refusal becomes a StepFailed. */
async function step<T>(c: Case, deps: Deps, name: string, owner: string, kind: DeadlineKind, dueMs: number, run: () => Promise<T>): Promise<T> {
  addStep(c, name, owner, dueMs, 'pending');
  let finished = false;
  const clock = awaitDeadline(c, deps.notifyStaff, { kind, dueMs, met: () => finished || c.closed, onMiss: 'escalate' });
  try {
    const result = await run();
    markStep(c, name, 'done');
    c.log(SYSTEM, `${name}_done`, { result: result as unknown as Record<string, unknown> });
    return result;
  } catch (err) {
    const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
    if (!cause?.nonRetryable) throw err;
    markStep(c, name, 'failed', `${cause.type ?? 'refused'}: ${cause.message}`);
    throw new StepFailed(name, cause.type ?? cause.message);
  } finally {
    finished = true;
    await clock;
  }
}

/** A step that waits for a person (customer ships back, merchant inspects or repairs). */
async function waitFor(c: Case, deps: Deps, name: string, owner: string, kind: DeadlineKind, dueMs: number): Promise<void> {
  addStep(c, name, owner, dueMs, 'waiting');
  const current = () => [...c.view.resolution.steps].reverse().find((s) => s.name === name);
  await awaitDeadline(c, deps.notifyStaff, { kind, dueMs, met: () => current()?.status !== 'waiting' || c.closed, onMiss: 'escalate' });
  await condition(() => current()?.status !== 'waiting' || c.closed);
  if (current()?.status === 'failed') throw new StepFailed(name, current()?.detail ?? 'refused');
}

/** docs/domain.md §8.2 return / exchange: the customer ships back within 7 days, the merchant inspects within 7. */
async function returnAndInspect(c: Case, deps: Deps): Promise<void> {
  await waitFor(c, deps, 'return_shipment', 'customer', 'return_shipment', Date.now() + durationMs(c.policy.execution.returnShipment));
  await notifyMerchant(c, 'return_incoming', `${c.view.workflowId}:return_incoming:plan${c.planSeq}`, `Goods of order ${c.view.order.orderId} are on the way back: ${c.view.resolution.returnShipment?.carrier ?? ''} ${c.view.resolution.returnShipment?.waybillNo ?? ''}`);
  await waitFor(c, deps, 'return_inspection', 'merchant', 'return_inspection', Date.now() + durationMs(c.policy.execution.returnInspection));
}

async function notifyMerchant(c: Case, kind: 'ship_replacement' | 'repair_request' | 'resend_parts' | 'return_incoming', idempotencyKey: string, text: string): Promise<void> {
  await messaging.sendMerchantNotice({ complaintId: c.view.complaintId, merchantId: c.view.order.merchantId, kind, text, idempotencyKey });
  addStep(c, kind, 'merchant', Date.now(), 'done');
  c.log(SYSTEM, 'merchant_notified', { kind });
}

/** docs/domain.md §8.3: a failed step is reported at once, with a goodwill coupon where policy gives one. */
async function goodwill(c: Case, failure: StepFailed, idempotencyKey: string): Promise<void> {
  const couponFen = c.policy.execution.failureGoodwillCouponFen;
  if (couponFen > 0) {
    try {
      await payments.issueCoupon({ complaintId: c.view.complaintId, idempotencyKey, customerId: c.view.customer.id, amountFen: couponFen, validDays: 7 });
      c.log(SYSTEM, 'goodwill_coupon_issued', { couponFen });
    } catch (err) {
      c.log(SYSTEM, 'goodwill_coupon_failed', { error: (err as Error).message }, 'failed');
    }
  }
  await sendCustomer(c, 'step_failed', {
    step: failure.step,
    reason: failure.reason,
    nextAction: 'your case owner is preparing another solution',
    ...(couponFen > 0 ? { goodwillCouponFen: couponFen } : {}),
  });
}
