import { repairCompletedUpdate, returnReceivedUpdate, returnShipmentUpdate } from '../../shared/messages';
import type { CaseViewV1 } from '../../shared/caseView';
import { sandboxRecords } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  alerted,
  breachOf,
  briefed,
  customerTemplates,
  deadline,
  endOfWorkingDays,
  eventually,
  faults,
  hasDeadline,
  policyAt,
  propose,
  settle,
  slaEvents,
  sleepUntil,
  solved,
  staffAlerts,
  timeline,
} from './helpers';

/** docs/domain.md §8 execution: every resolution type, the steps that wait for people, and the saga on a failure. */

const h = useWorkflowHarness('execution');
afterEach(async () => {
  jest.restoreAllMocks();
  await faults(h, null);
});

type Opened = Awaited<ReturnType<typeof briefed>>;
const steps = (v: CaseViewV1) => v.resolution.steps.map((s) => [s.name, s.status]);
const noticeKinds = async (c: Opened) =>
  (await sandboxRecords.notices(h, c.merchant.merchantId!))
    .filter((n) => n.complaintId === c.input.complaintId)
    .map((n) => n.kind);
/** Waits for the customer message `template`: messages go out after the change that causes them is recorded. */
const customerTold = (c: Opened, template: string, what: string) =>
  eventually(
    () => customerTemplates(h, c.input.complaintId),
    (t) => t.includes(template),
    what,
  );
const stepWaiting = (c: Opened, name: string, what: string) =>
  settle(c, (x) => x.resolution.steps.some((s) => s.name === name && s.status === 'waiting'), what);
/** Declines the next `count` payments the moment this plan's coupon exists: the failure falls after the coupon, exactly. */
function declineAfterCoupon(c: Opened, count: number): void {
  const store = h.sandbox.store;
  const issue = store.issueCoupon.bind(store);
  jest.spyOn(store, 'issueCoupon').mockImplementation((key, req) => {
    const issued = issue(key, req);
    if (key === `${c.input.complaintId}:coupon:plan1`)
      h.sandbox.faults.arm({ service: 'payments', mode: 'decline', rate: 1, count });
    return issued;
  });
}

describe('money', () => {
  it("refund: paid once to the original payment method with the plan's idempotency key", async () => {
    const c = await briefed(h);
    await propose(c, { type: 'refund', amountFen: 12_900 });
    const v = await solved(c);
    expect(steps(v)).toEqual([['refund', 'done']]);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
      expect.objectContaining({
        amountFen: 12_900,
        kind: 'refund',
        idempotencyKey: `${c.input.complaintId}:refund:plan1`,
      }),
    ]);
    expect((await slaEvents(c)).filter((e) => e.kind === 'refund').map((e) => e.event)).toEqual(['activated', 'met']);
    expect(v.breaches).toEqual([]);
    await customerTold(c, 'solution', 'the solution message');
  });

  it('partial refund', async () => {
    const c = await briefed(h);
    await propose(c, { type: 'partial_refund', amountFen: 3_000 });
    const v = await solved(c);
    expect(steps(v)).toEqual([['partial_refund', 'done']]);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 3_000, kind: 'partial_refund' }),
    ]);
  });

  it('compensation: credited up to what the order paid, under the 24 h credit deadline', async () => {
    const c = await briefed(h, { amountPaidFen: 20_000 });
    await propose(c, { type: 'compensation', amountFen: 20_000 });
    const v = await solved(c);
    expect(steps(v)).toEqual([['compensation', 'done']]);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 20_000, kind: 'compensation' }),
    ]);
    expect(v.breaches).toEqual([]);
  });

  it('coupon: issued for 7 days, nothing refunded', async () => {
    const c = await briefed(h);
    await propose(c, { type: 'coupon', couponFen: 1_000 });
    const v = await solved(c);
    expect(steps(v)).toEqual([['coupon', 'done']]);
    expect(await sandboxRecords.coupons(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 1_000, status: 'active' }),
    ]);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([]);
  });

  it('a refund whose answer is lost is retried with the same key and paid once', async () => {
    const c = await briefed(h);
    // The gateway pays, then holds its answer past the adapter's deadline; Temporal retries.
    await faults(h, { service: 'payments', mode: 'timeout', rate: 1, count: 1 });
    await propose(c, { type: 'refund', amountFen: 12_900 });
    const v = await settle(c, (x) => x.status === 'awaiting_customer', 'the solution', { timeoutMs: 60_000 });
    expect(steps(v)).toEqual([['refund', 'done']]);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 12_900, idempotencyKey: `${c.input.complaintId}:refund:plan1` }),
    ]);
    expect(await customerTemplates(h, c.input.complaintId)).not.toContain('step_failed');
  });

  it('a gateway down past the refund and credit deadlines escalates; the retried payment lands once', async () => {
    // Opened at 10:00 local: the breaches a day later fall in service hours, so their alerts go out at once.
    const policy = await policyAt(h, 10);
    const refund = await briefed(h, { policy });
    const credit = await briefed(h, { policy });
    await faults(h, { service: 'payments', mode: 'error', rate: 1 });
    await propose(refund, { type: 'refund', amountFen: 12_900 });
    await propose(credit, { type: 'compensation', amountFen: 2_000 });
    const r0 = await settle(refund, hasDeadline('refund'), 'the refund deadline');
    const c0 = await settle(credit, hasDeadline('credit'), 'the credit deadline');
    const due = Date.parse(deadline(r0, 'refund')!.dueAt);
    expect(due - Date.parse(deadline(r0, 'refund')!.since)).toBe(24 * HOUR);
    await sleepUntil(h, Math.max(due, Date.parse(deadline(c0, 'credit')!.dueAt)) + MINUTE);
    const r1 = await settle(refund, (x) => breachOf(x, 'refund').length === 1, 'the refund breach');
    expect(breachOf(r1, 'refund')[0]).toMatchObject({ escalatedTo: 'supervisor', dueAt: new Date(due).toISOString() });
    expect(r1.status).toBe('executing');
    const c1 = await settle(credit, (x) => breachOf(x, 'credit').length === 1, 'the credit breach');
    expect(breachOf(c1, 'credit')[0].escalatedTo).toBe('supervisor');
    await alerted(h, refund.input.complaintId, { to: 'staff:supervisor', template: 'staff:refund_breached' });

    await faults(h, null);
    await h.env.sleep(10 * MINUTE);
    await solved(refund);
    await solved(credit);
    expect(await sandboxRecords.refunds(h, refund.input.complaintId)).toHaveLength(1);
    expect(await sandboxRecords.refunds(h, credit.input.complaintId)).toHaveLength(1);
  });
});

describe('goods', () => {
  it('exchange: the customer ships back, the merchant inspects (ok), the replacement ships', async () => {
    const c = await briefed(h);
    await propose(c, { type: 'exchange' });
    let v = await stepWaiting(c, 'return_shipment', 'the return shipment step');
    expect(Date.parse(deadline(v, 'return_shipment')!.dueAt) - Date.parse(deadline(v, 'return_shipment')!.since)).toBe(
      7 * DAY,
    );
    v = await c.handle.executeUpdate(returnShipmentUpdate, {
      args: [{ carrier: 'sf', waybillNo: 'SF100', actor: c.customer }],
    });
    expect(v.resolution.returnShipment).toMatchObject({ carrier: 'sf', waybillNo: 'SF100' });
    v = await stepWaiting(c, 'return_inspection', 'the inspection step');
    expect(v.status).toBe('executing');
    await c.handle.executeUpdate(returnReceivedUpdate, {
      args: [{ inspection: 'ok', note: 'intact', actor: c.merchant }],
    });
    v = await solved(c);
    expect(steps(v)).toEqual([
      ['return_shipment', 'done'],
      ['return_incoming', 'done'],
      ['return_inspection', 'done'],
      ['ship_replacement', 'done'],
    ]);
    expect(await noticeKinds(c)).toEqual(['complaint_copy', 'return_incoming', 'ship_replacement']);
    expect(v.breaches).toEqual([]);
  });

  it('exchange: a rejected inspection fails the step, tells the customer with a coupon, back to the agent one level up', async () => {
    const c = await briefed(h);
    await propose(c, { type: 'exchange' });
    await stepWaiting(c, 'return_shipment', 'the return shipment step');
    await c.handle.executeUpdate(returnShipmentUpdate, {
      args: [{ carrier: 'sf', waybillNo: 'SF101', actor: c.customer }],
    });
    await stepWaiting(c, 'return_inspection', 'the inspection step');
    await c.handle.executeUpdate(returnReceivedUpdate, {
      args: [{ inspection: 'rejected', note: 'water damage from use', actor: c.merchant }],
    });
    const v = await settle(c, (x) => x.status === 'in_progress', 'the re-plan');
    expect(v.resolution.steps.find((s) => s.name === 'return_inspection')).toMatchObject({
      status: 'failed',
      detail: 'water damage from use',
    });
    expect(v.escalationLevel).toBe(1);
    expect(await noticeKinds(c)).not.toContain('ship_replacement');
    await customerTold(c, 'step_failed', 'the failure message');
    expect(await sandboxRecords.coupons(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 500, status: 'active' }),
    ]);
    await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:execution_failed' });
  });

  it('exchange: return shipment (7 days) missed → the customer is reminded; inspection (7 days) missed → its own ladder', async () => {
    const c = await briefed(h, { policy: await policyAt(h, 10), category: 'service', subType: 'rude_agent' });
    await propose(c, { type: 'exchange' });
    await customerTold(c, 'return_instructions', 'the return instructions');
    let v = await settle(c, hasDeadline('return_shipment'), 'the return shipment deadline');
    const shipDue = Date.parse(deadline(v, 'return_shipment')!.dueAt);
    // Calendar time: 7 days from the step's start (10:xx local, so the alert goes out at once).
    expect(shipDue - Date.parse(deadline(v, 'return_shipment')!.since)).toBe(7 * DAY);
    await sleepUntil(h, shipDue + MINUTE);
    // The customer's wait is no staff breach: the customer is reminded, with 2 days' grace on the case.
    await eventually(
      () => customerTemplates(h, c.input.complaintId),
      (t) => t.filter((x) => x === 'return_instructions').length === 2,
      'the reminder',
    );
    v = await settle(c, (x) => Date.parse(deadline(x, 'return_shipment')?.dueAt ?? '0') > shipDue, 'the grace window');
    expect(Date.parse(deadline(v, 'return_shipment')!.dueAt) - shipDue).toBeGreaterThanOrEqual(2 * DAY);
    expect(breachOf(v, 'return_shipment')).toEqual([]);
    expect(v.escalationLevel).toBe(0);

    await c.handle.executeUpdate(returnShipmentUpdate, {
      args: [{ carrier: 'sf', waybillNo: 'SF102', actor: c.customer }],
    });
    v = await settle(c, hasDeadline('return_inspection'), 'the inspection deadline');
    const inspectDue = Date.parse(deadline(v, 'return_inspection')!.dueAt);
    expect(inspectDue - Date.parse(deadline(v, 'return_inspection')!.since)).toBe(7 * DAY);
    await sleepUntil(h, inspectDue + MINUTE);
    v = await settle(c, (x) => breachOf(x, 'return_inspection').length === 1, 'the inspection breach');
    // The inspection starts at the bottom of its own ladder: the supervisor, not the next rung of the shipment's.
    expect(breachOf(v, 'return_inspection')[0]).toMatchObject({
      escalatedTo: 'supervisor',
      dueAt: new Date(inspectDue).toISOString(),
    });
    expect(breachOf(v, 'return_shipment')).toEqual([]);
    expect(v.escalationLevel).toBe(1);
    expect(v.status).toBe('executing');
    await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:return_inspection_breached' });
    await c.handle.executeUpdate(returnReceivedUpdate, { args: [{ inspection: 'ok', note: '', actor: c.merchant }] });
    await solved(c);
    // One fact per deadline: each was breached once, none also met.
    const facts = await slaEvents(c);
    expect(facts.filter((e) => e.kind === 'return_inspection').map((e) => e.event)).toEqual(['activated', 'breached']);
    expect(facts.filter((e) => e.kind === 'return_shipment')).toEqual([]);
  });

  it('repair: the merchant is asked, repairs within 3 working days, the case moves on', async () => {
    const c = await briefed(h);
    await propose(c, { type: 'repair' });
    let v = await stepWaiting(c, 'repair', 'the repair step');
    const since = Date.parse(deadline(v, 'repair')!.since);
    expect(Date.parse(deadline(v, 'repair')!.dueAt)).toBe(endOfWorkingDays(since, 3, c.input.policy.calendar));
    expect(await noticeKinds(c)).toContain('repair_request');
    await h.env.sleep(DAY);
    await c.handle.executeUpdate(repairCompletedUpdate, { args: [{ note: 'new seal fitted', actor: c.merchant }] });
    v = await solved(c);
    expect(steps(v)).toEqual([
      ['repair_request', 'done'],
      ['repair', 'done'],
    ]);
    expect(v.resolution.steps[1].detail).toBe('new seal fitted');
    expect(breachOf(v, 'repair')).toEqual([]);
    expect((await timeline(c)).map((e) => e.action)).toContain('repair_completed');
  });

  it('repair: 3 working days missed → supervisor', async () => {
    const c = await briefed(h, { category: 'service', subType: 'rude_agent' });
    await propose(c, { type: 'repair' });
    let v = await settle(c, hasDeadline('repair'), 'the repair deadline');
    const due = Date.parse(deadline(v, 'repair')!.dueAt);
    await sleepUntil(h, due + MINUTE);
    v = await settle(c, (x) => breachOf(x, 'repair').length === 1, 'the repair breach');
    expect(breachOf(v, 'repair')[0]).toMatchObject({ escalatedTo: 'supervisor', dueAt: new Date(due).toISOString() });
    expect(v.status).toBe('executing');
  });

  it('resend parts: the merchant is told, the case moves on', async () => {
    const c = await briefed(h);
    await propose(c, { type: 'resend_parts' });
    const v = await solved(c);
    expect(steps(v)).toEqual([['resend_parts', 'done']]);
    expect(await noticeKinds(c)).toContain('resend_parts');
  });

  it('referral: nothing to carry out, the customer is told where to go', async () => {
    const c = await briefed(h);
    const proposed = await propose(c, { type: 'referral' });
    expect(proposed.resolution.approval?.required).toBe(false);
    const v = await solved(c);
    expect(v.resolution.steps).toEqual([]);
    await customerTold(c, 'solution', 'the solution message');
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([]);
  });
});

describe('a failure half way (saga)', () => {
  it('coupon issued, refund declined → coupon revoked, goodwill coupon, customer told, re-plan one level up', async () => {
    const c = await briefed(h);
    declineAfterCoupon(c, 1);
    await propose(c, { type: 'refund', amountFen: 12_900, couponFen: 1_000 });
    const v = await settle(c, (x) => x.status === 'in_progress', 'the re-plan');
    expect(steps(v)).toEqual([
      ['coupon', 'compensated'],
      ['refund', 'failed'],
    ]);
    expect(v.resolution.steps[1].detail).toMatch(/^declined/);
    expect(v.escalationLevel).toBe(1);

    const coupons = await sandboxRecords.coupons(h, c.input.complaintId);
    expect(coupons).toEqual([
      expect.objectContaining({ amountFen: 1_000, status: 'revoked' }),
      expect.objectContaining({ amountFen: 500, status: 'active' }),
    ]);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([]);
    await customerTold(c, 'step_failed', 'the failure message');
    const failed = (await sandboxRecords.sms(h, c.input.complaintId)).find((m) => m.template === 'step_failed');
    // In the customer's language: Simplified Chinese by default.
    expect(failed?.text).toContain('5.00 元');
    await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:execution_failed' });
    const actions = (await timeline(c)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['coupon_done', 'execution_failed', 'goodwill_coupon_issued']));
    expect((await timeline(c)).find((e) => e.action === 'execution_failed')?.detail).toMatchObject({
      step: 'refund',
      reason: 'declined',
      compensated: 1,
    });

    // The new plan has its own keys and goes through.
    await settle(c, hasDeadline('proposal'), 'the proposal deadline');
    await propose(c, { type: 'refund', amountFen: 12_900 });
    await solved(c);
    expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
      expect.objectContaining({ amountFen: 12_900, idempotencyKey: `${c.input.complaintId}:refund:plan2` }),
    ]);
  });

  it('a compensation the gateway refuses does not end the case: it is recorded and staff are told', async () => {
    const c = await briefed(h);
    // The refund and the revocation are both declined; the goodwill coupon after them goes through.
    declineAfterCoupon(c, 2);
    await propose(c, { type: 'refund', amountFen: 12_900, couponFen: 1_000 });
    const v = await settle(c, (x) => x.status === 'in_progress', 'the re-plan');
    expect(steps(v)).toEqual([
      ['coupon', 'failed'],
      ['refund', 'failed'],
    ]);
    expect(v.resolution.steps[0].detail).toMatch(/revoke/);
    expect(v.escalationLevel).toBe(1);
    const coupons = await sandboxRecords.coupons(h, c.input.complaintId);
    expect(coupons).toEqual([
      expect.objectContaining({ amountFen: 1_000, status: 'active' }),
      expect.objectContaining({ amountFen: 500, status: 'active' }),
    ]);
    const failure = (await timeline(c)).find((e) => e.action === 'compensation_failed');
    expect(failure?.result).toBe('failed');
    expect(failure?.detail).toMatchObject({ step: 'coupon', reason: 'declined' });
    await eventually(
      () => staffAlerts(h, c.input.complaintId),
      (a) => a.some((x) => x.template === 'staff:compensation_failed'),
      'the compensation alert',
    );
    const description = await c.handle.describe();
    expect(description.status.name).toBe('RUNNING');
  });
});
