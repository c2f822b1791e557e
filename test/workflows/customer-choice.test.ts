import { briefUpdate, customerChoiceUpdate, merchantReplyUpdate } from '../../shared/messages';
import type { MerchantReplyV1 } from '../../shared/commands';
import { type OpenedCase, agent } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import {
  DAY,
  HOUR,
  answered,
  customerTemplates,
  deadline,
  eventually,
  hasDeadline,
  nextServiceOpening,
  policyAt,
  propose,
  refusal,
  settle,
  skipTo,
  staffAlertsTo,
} from './helpers';

/**
 * docs/domain.md §7.8, §7.9: where the merchant offers options the customer chooses, and the choice is
 * the proposal (approval rules unchanged); the choice is a wait on the customer with its clock (2 days,
 * a reminder half way, then the owner is told and proposes). A return asked within 7 days of delivery,
 * for goods that carry the 7-day no-reason return, is granted without approval. The figures are the
 * rules': 500 CNY an agent grants alone, 2 days to choose, 7 days from delivery.
 */

const APPROVAL_THRESHOLD_FEN = 500 * 100;
const CHOICE_WINDOW = 2 * DAY;
const NO_REASON_DAYS = 7;

let h: Harness;
beforeEach(async () => {
  h = await startHarness('customer-choice');
});
afterEach(async () => {
  await h?.close();
});

async function offered(c: OpenedCase, options: NonNullable<MerchantReplyV1['options']>) {
  await c.handle.executeUpdate(merchantReplyUpdate, {
    args: [{ message: 'We accept and offer these', accepts: true, options, actor: c.merchant }],
  });
  await c.handle.executeUpdate(briefUpdate, {
    args: [{ responsibility: 'merchant', findings: 'Defect confirmed from the photos', actor: agent }],
  });
  return settle(c, hasDeadline('customer_choice'), 'the choice offered');
}

const choose = (c: OpenedCase, option: 'return' | 'exchange' | 'repair' | 'keep_with_compensation') =>
  c.handle.executeUpdate(customerChoiceUpdate, { args: [{ option, actor: c.customer }] });

it('the customer chooses among the offered options: the owner cannot propose meanwhile, an option not offered is refused, the choice is the proposal and goes to approval above 500 CNY', async () => {
  const c = await answered(h, { policy: await policyAt(h, 10), amountPaidFen: 100_000 });
  const keepFen = 60_000;
  const v = await offered(c, [{ option: 'exchange' }, { option: 'keep_with_compensation', compensationFen: keepFen }]);
  const offeredAt = Date.parse(v.choice!.offeredAt);
  expect(Date.parse(deadline(v, 'customer_choice')!.dueAt)).toBe(offeredAt + CHOICE_WINDOW);
  expect(deadline(v, 'proposal')?.paused).toBe(true);
  await eventually(
    () => customerTemplates(h, c.input.complaintId),
    (t) => t.includes('choice_offered'),
    'the options sent to the customer',
  );

  expect(await refusal(propose(c, { type: 'exchange' }))).toBe('wrong_stage');
  expect(await refusal(choose(c, 'repair'))).toBe('policy_refused');

  const chosen = await choose(c, 'keep_with_compensation');
  expect(chosen.choice?.chosen).toBe('keep_with_compensation');
  expect(chosen.resolution.proposal).toMatchObject({
    type: 'compensation',
    amountFen: keepFen,
    proposedBy: c.customer.sub,
  });
  // 600 CNY is above what an agent grants alone: the choice waits for a supervisor like any proposal.
  expect(keepFen).toBeGreaterThan(APPROVAL_THRESHOLD_FEN);
  expect(chosen.status).toBe('awaiting_approval');
  expect(chosen.resolution.approval?.approverRole).toBe('supervisor');
  expect(await refusal(choose(c, 'exchange'))).toBe('wrong_stage');
  await settle(c, (x) => !hasDeadline('customer_choice')(x), 'the choice deadline met');
}, 180_000);

it('a customer who does not choose is reminded half way; after 2 days the owner is told and proposes', async () => {
  const policy = await policyAt(h, 10);
  const c = await answered(h, { policy });
  const v = await offered(c, [{ option: 'return' }, { option: 'exchange' }]);
  const offeredAt = Date.parse(v.choice!.offeredAt);
  const due = offeredAt + CHOICE_WINDOW;
  // Half way, at the first service hour from there.
  const reminderAt = nextServiceOpening(offeredAt + CHOICE_WINDOW / 2, policy.calendar.timeZone);
  await skipTo(h, reminderAt + HOUR);
  await eventually(
    () => customerTemplates(h, c.input.complaintId),
    (t) => t.filter((x) => x === 'choice_offered').length === 2,
    'the reminder',
  );
  expect(
    (await staffAlertsTo(h, c.input.complaintId, agent.sub)).some((x) => x.template === 'staff:choice_lapsed'),
  ).toBe(false);

  await skipTo(h, due + HOUR);
  const after = await settle(
    c,
    (x) => x.choice?.lapsed === true && deadline(x, 'proposal')?.paused === false,
    'the window ended',
  );
  expect(deadline(after, 'customer_choice')).toBeUndefined();
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, agent.sub),
    (a) => a.some((x) => x.template === 'staff:choice_lapsed'),
    'the owner told',
  );
  expect(await refusal(choose(c, 'return'))).toBe('wrong_stage');
  const proposed = await propose(c, { type: 'exchange' });
  expect(proposed.status).toBe('executing');
  expect((await customerTemplates(h, c.input.complaintId)).filter((x) => x === 'choice_offered')).toHaveLength(2);
}, 180_000);

describe('the 7-day no-reason return', () => {
  const amountPaidFen = 80_000;

  async function returnChosen(daysSinceDelivery: number, sevenDayReturn: boolean) {
    const now = await h.env.currentTimeMs();
    const deliveredAt = new Date(now - daysSinceDelivery * DAY).toISOString();
    const c = await answered(h, {
      policy: await policyAt(h, 10),
      amountPaidFen,
      delivery: { deliveredAt, sevenDayReturn },
    });
    await offered(c, [{ option: 'return' }, { option: 'repair' }]);
    return choose(c, 'return');
  }

  it('asked 6 days after delivery, for goods that qualify: granted without approval, above 500 CNY', async () => {
    const v = await returnChosen(NO_REASON_DAYS - 1, true);
    expect(amountPaidFen).toBeGreaterThan(APPROVAL_THRESHOLD_FEN);
    expect(v.resolution.proposal).toMatchObject({ type: 'refund', amountFen: amountPaidFen, returnFirst: true });
    expect(v.resolution.approval?.required).toBe(false);
    expect(v.status).toBe('executing');
  }, 180_000);

  it('asked 8 days after delivery: the usual approval', async () => {
    const v = await returnChosen(NO_REASON_DAYS + 1, true);
    expect(v.status).toBe('awaiting_approval');
    expect(v.resolution.approval?.approverRole).toBe('supervisor');
  }, 180_000);

  it('goods that do not carry it (custom-made, perishable): the usual approval', async () => {
    const v = await returnChosen(1, false);
    expect(v.status).toBe('awaiting_approval');
  }, 180_000);
});
