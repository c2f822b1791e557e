import { condition } from '@temporalio/workflow';
import { durationMs, nextServiceStart } from '../shared/calendar';
import type { ProposeResolutionV1 } from '../shared/commands';
import type { ChoiceOption } from '../shared/domain';
import { type Case, SYSTEM } from './case';
import { awaitDeadline } from './deadlines';
import { notifyStaff, sendCustomer } from './messaging';

/**
 * docs/domain.md §7.8, §7.9: the customer's choice among the merchant's options, a wait on the
 * customer with its own clock (the policy's window, a reminder half way, then the owner is told and
 * proposes), and the 7-day no-reason return. A background wait, so continue-as-new carries it
 * (stages.ts).
 */

/** Cases whose policy predates the window: 2 days (docs/domain.md §7.9). */
const DEFAULT_CHOICE_WINDOW = 'P2D';
/** Cases whose policy predates the figure: the law's 7 days (docs/domain.md §7.8). */
const DEFAULT_NO_REASON_RETURN = 'P7D';

export const CHOICE_STAGE = "waiting for the customer's choice";

export function choiceWindowMs(c: Case): number {
  return durationMs(c.policy.customerChoice ?? DEFAULT_CHOICE_WINDOW);
}

/** Offered, not yet chosen, and its window still runs: staff's proposal waits meanwhile. */
export function choiceOpen(c: Case): boolean {
  const choice = c.view.choice;
  return !!choice && choice.chosen === null && !choice.lapsed && !c.closed;
}

export async function customerChoiceWindow(c: Case): Promise<void> {
  const choice = c.view.choice;
  if (!choice) return;
  const since = Date.parse(choice.offeredAt);
  const dueMs = Date.parse(choice.dueAt);
  const offer = { options: choice.offered, chooseBy: choice.dueAt };
  // A continued run restarts the wait: the offer and the reminder go out once.
  const offered = `choice_offered:${since}`;
  if (!c.state.alertsSent.includes(offered)) {
    c.state.alertsSent.push(offered);
    c.track(sendCustomer(c, 'choice_offered', offer));
  }
  const reminder = remindHalfWay(c, since, dueMs, offer);
  const windowMs = choiceWindowMs(c);
  const outcome = await awaitDeadline(c, (recipient, event, text) => notifyStaff(c, recipient, event, text), {
    kind: 'customer_choice',
    dueMs,
    freshWindow: (from) => from + windowMs,
    windowStart: since,
    met: () => choice.chosen !== null,
    cancelled: () => c.closed || choice.lapsed,
    onMiss: 'expire',
  });
  await reminder;
  if (outcome !== 'missed' || !choiceOpen(c)) return;
  choice.lapsed = true;
  c.setStage('proposing a solution');
  c.audit(SYSTEM, 'choice_lapsed', { dueAt: choice.dueAt });
  await notifyStaff(
    c,
    c.view.owner ?? 'supervisor',
    'choice_lapsed',
    `${c.view.complaintId}: the customer did not choose among the merchant's options by ${choice.dueAt}; propose the solution`,
  );
}

/** Once, at the first service hour past the window's middle, unless the customer chose or a previous run sent it. */
async function remindHalfWay(
  c: Case,
  since: number,
  dueMs: number,
  offer: { options: Array<{ option: ChoiceOption; compensationFen?: number }>; chooseBy: string },
): Promise<void> {
  const key = `choice_reminder:${since}`;
  if (c.state.alertsSent.includes(key)) return;
  const at = nextServiceStart(since + (dueMs - since) / 2, c.policy.calendar);
  if (await condition(() => !choiceOpen(c), Math.max(1, at - Date.now()))) return;
  c.state.alertsSent.push(key);
  await sendCustomer(c, 'choice_offered', offer);
}

/** The proposal the customer's choice becomes; its approval follows the usual rules. */
export function proposalOfChoice(c: Case, option: ChoiceOption): ProposeResolutionV1 {
  const offered = c.view.choice?.offered.find((o) => o.option === option);
  switch (option) {
    case 'return':
      return {
        type: 'refund',
        amountFen: refundableFen(c),
        returnFirst: true,
        note: 'the customer chose to return the goods for a refund',
      };
    case 'exchange':
      return { type: 'exchange', note: 'the customer chose an exchange' };
    case 'repair':
      return { type: 'repair', note: 'the customer chose a repair' };
    case 'keep_with_compensation':
      return {
        type: 'compensation',
        amountFen: offered?.compensationFen,
        note: 'the customer chose to keep the goods with compensation',
      };
  }
}

/** What the order paid and the case has not refunded yet (cases recorded before refundedFen: nothing refunded). */
export function refundableFen(c: Case): number {
  return c.view.order.amountPaidFen - (c.view.resolution.refundedFen ?? 0);
}

/**
 * docs/domain.md §7.8: a return (the goods back, then the refund, no coupon beside it) the customer
 * asked for within the window after delivery, for goods that carry the 7-day no-reason return. The
 * customer asked when choosing the return, or, asking for a refund, when opening the case.
 */
export function isNoReasonReturn(c: Case, p: ProposeResolutionV1): boolean {
  const { deliveredAt, sevenDayReturn } = c.view.order;
  if (p.type !== 'refund' || !p.returnFirst || p.couponFen !== undefined || !sevenDayReturn || !deliveredAt)
    return false;
  const choice = c.view.choice;
  const askedAt =
    choice?.chosen === 'return' && choice.chosenAt
      ? choice.chosenAt
      : c.view.desiredOutcome === 'refund'
        ? c.view.createdAt
        : null;
  if (askedAt === null) return false;
  const delivered = Date.parse(deliveredAt);
  const asked = Date.parse(askedAt);
  return asked >= delivered && asked <= delivered + durationMs(c.policy.noReasonReturn ?? DEFAULT_NO_REASON_RETURN);
}
