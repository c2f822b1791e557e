import { ProposeResolutionV1 } from '../../shared/commands';
import { proposeResolutionUpdate } from '../../shared/messages';
import { agent, sandboxRecords } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import { briefed, eventually, policyAt, settle } from './helpers';

/**
 * docs/domain.md §7.3: the amount a proposal moves is the amount it announces, by its type. A coupon's value is
 * what it is worth (a 10 CNY coupon is within the agent's 500 CNY and is announced as 10 CNY); an
 * exchange moves no money, so a routine exchange needs no approval; a field that does not fit the
 * type is refused at the API.
 */

const note = 'Our proposal after the investigation';

describe('the API refuses an amount that does not fit the type', () => {
  const issues = (body: unknown) => {
    const parsed = ProposeResolutionV1.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
  };

  it('a coupon with an amount, an exchange or a repair with an amount', () => {
    expect(issues({ type: 'coupon', couponFen: 1_000, amountFen: 40_000, note })).toEqual(['amountFen']);
    expect(issues({ type: 'exchange', amountFen: 60_000, note })).toEqual(['amountFen']);
    expect(issues({ type: 'repair', amountFen: 5_000, note })).toEqual(['amountFen']);
  });

  it('still takes each type with its own amount, and a goodwill coupon beside any type', () => {
    expect(issues({ type: 'coupon', couponFen: 1_000, note })).toEqual([]);
    expect(issues({ type: 'refund', amountFen: 40_000, couponFen: 500, note })).toEqual([]);
    expect(issues({ type: 'exchange', note })).toEqual([]);
    expect(issues({ type: 'exchange', couponFen: 500, note })).toEqual([]);
  });
});

describe('the workflow counts and announces what the proposal moves', () => {
  // A harness per test: each time-skipping server and its connection live seconds, not minutes.
  const h = useWorkflowHarness('liveness-money', { each: true });

  it('a 10 CNY coupon sent with a stray 400 CNY amount needs no approval, issues 10 CNY and texts 10 CNY', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10), amountPaidFen: 50_000 });
    // Straight to the workflow, as a client past the API could: the stray amount must not count anywhere.
    const v = await c.handle.executeUpdate(proposeResolutionUpdate, {
      args: [{ type: 'coupon', couponFen: 1_000, amountFen: 40_000, note, actor: agent }],
    });
    expect(v.status).toBe('executing');
    await settle(c, (x) => x.status === 'awaiting_customer', 'the solution');
    expect((await sandboxRecords.coupons(h, c.input.complaintId)).map((x) => x.amountFen)).toEqual([1_000]);
    const sms = await eventually(
      () => sandboxRecords.sms(h, c.input.complaintId),
      (m) => m.some((x) => x.template === 'solution'),
      'the solution message',
    );
    const text = sms.find((x) => x.template === 'solution')?.text ?? '';
    expect(text).toContain('10.00 元');
    expect(text).not.toContain('400.00');
  });

  it("a routine exchange is the agent's own, whatever amount came with it", async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10), amountPaidFen: 80_000 });
    const v = await c.handle.executeUpdate(proposeResolutionUpdate, {
      args: [{ type: 'exchange', amountFen: 60_000, note, actor: agent }],
    });
    expect(v.resolution.approval?.required).toBe(false);
    expect(v.status).toBe('executing');
  });
});
