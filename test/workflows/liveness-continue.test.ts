import type { UpdateDefinition } from '@temporalio/client';
import { Duration } from 'luxon';
import type { CaseViewV1 } from '../../shared/caseView';
import {
  type CarriedState,
  assignUpdate,
  briefUpdate,
  cancelStepUpdate,
  customerResponseUpdate,
  firstResponseUpdate,
  proposeResolutionUpdate,
  returnReceivedUpdate,
  returnShipmentUpdate,
  satisfactionUpdate,
} from '../../shared/messages';
import type { SlaPolicy } from '../../shared/policy';
import { type OpenedCase, agent, openCase, sandboxRecords, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  type Proposal,
  continuedAsNew,
  customerTemplates,
  deadline,
  eventually,
  policyAt,
  quiet,
  quietView,
  settle,
  skipTo,
  timeline,
} from './helpers';

/**
 * docs/domain.md §5.5 "Every wait has a clock" and §8: a step of the execution that waits on a
 * party (the customer ships the goods back, the merchant inspects or repairs) may wait for days, so
 * the case's history must be able to continue as new meanwhile, and the next run must resume the plan exactly where it stood: the same step waiting under the same
 * deadline, no reminder sent twice, no money moved twice (docs/liveness.md).
 *
 * A small `continueAsNewAtEvents` makes every case continue as new every few days of waiting. The
 * time-skipping server loses an update, and stops skipping time after a query, that meets a
 * continue-as-new, so every action and every read below reaches a case with nothing in flight
 * (`quiet`, `settle` with `quiet`).
 */

const h = useWorkflowHarness('liveness-continue', { each: true });

const CONTINUE_AT_EVENTS = 60;
const ms = (iso: string) => Duration.fromISO(iso).toMillis();

/** An action on a case that has nothing in flight. */
async function act<T>(c: OpenedCase, update: UpdateDefinition<CaseViewV1, [T]>, arg: T): Promise<CaseViewV1> {
  await quiet(c);
  return c.handle.executeUpdate(update, { args: [arg] });
}

/** Opened, taken, answered and briefed, each action on a quiet case; the owner proposes `plan`. */
async function proposed(policy: SlaPolicy, plan: Proposal, amountPaidFen?: number): Promise<OpenedCase> {
  const c = await openCase(h, { policy, ...(amountPaidFen ? { amountPaidFen } : {}) });
  await act(c, assignUpdate, { agentId: agent.sub, actor: agent });
  await act(c, firstResponseUpdate, { message: 'We are looking into it.', requestEvidence: false, actor: agent });
  await settle(c, (v) => v.investigation.dueAt !== null, 'the investigation', { quiet: true });
  await act(c, briefUpdate, { responsibility: 'merchant', findings: 'Defect confirmed from the photos', actor: agent });
  await act(c, proposeResolutionUpdate, { note: 'Our proposal after the investigation', ...plan, actor: agent });
  return c;
}

/** The runs that began while the plan's `step` waited on its party. */
const waitingOn =
  (step: string, also: (s: CarriedState) => boolean = () => true) =>
  (s: CarriedState) =>
    s.view.status === 'executing' &&
    s.view.resolution.steps.some((x) => x.name === step && x.status === 'waiting') &&
    also(s);

/** Continues the case as new until a run begins with `step` still waiting. */
const continuedWhileWaiting = (c: OpenedCase, step: string, also?: (s: CarriedState) => boolean) =>
  continuedAsNew(h, c, waitingOn(step, also), CONTINUE_AT_EVENTS);

async function quietTimeline(c: OpenedCase) {
  await quiet(c);
  return timeline(c);
}

const waitingFor = (name: string) => (v: CaseViewV1) =>
  v.resolution.steps.some((s) => s.name === name && s.status === 'waiting');
const stepOf = (v: CaseViewV1, name: string) => v.resolution.steps.find((s) => s.name === name);

it('a return whose goods-back wait spans a continue-as-new: goods back, inspection, one refund of the agreed amount, and the case closes', async () => {
  const policy = await policyAt(h, 10, { continueAsNewAtEvents: CONTINUE_AT_EVENTS });
  const refundFen = 9_900;
  const c = await proposed(policy, { type: 'refund', amountFen: refundFen, returnFirst: true });
  const waiting = await settle(c, waitingFor('return_shipment'), 'waiting for the goods', { quiet: true });
  const shipBy = Date.parse(stepOf(waiting, 'return_shipment')!.dueAt!);
  await continuedWhileWaiting(c, 'return_shipment');
  const resumed = await quietView(c);
  expect(resumed.status).toBe('executing');
  expect(stepOf(resumed, 'return_shipment')).toMatchObject({
    status: 'waiting',
    dueAt: new Date(shipBy).toISOString(),
  });
  expect(deadline(resumed, 'return_shipment')?.dueAt).toBe(new Date(shipBy).toISOString());
  // docs/domain.md §8.2: the customer has 7 days; a day before they end the new run still waits for the goods.
  await skipTo(h, shipBy - DAY);
  await quiet(c);
  expect(stepOf(await quietView(c), 'return_shipment')?.status).toBe('waiting');

  await act(c, returnShipmentUpdate, { carrier: 'sf', waybillNo: 'SF300', actor: c.customer });
  await settle(c, waitingFor('return_inspection'), 'waiting for the inspection', { quiet: true });
  await act(c, returnReceivedUpdate, { inspection: 'ok', note: 'intact', actor: c.merchant });
  const solved = await settle(c, (v) => v.status === 'awaiting_customer', 'the refund paid and the solution sent', {
    quiet: true,
  });
  expect(solved.resolution.steps.map((s) => [s.name, s.status])).toEqual([
    ['return_shipment', 'done'],
    ['return_incoming', 'done'],
    ['return_inspection', 'done'],
    ['refund', 'done'],
  ]);
  // docs/domain.md §8.4: money moved once, under the key of the plan (the one a run that never continued would use).
  expect(await sandboxRecords.refunds(h, c.input.complaintId)).toEqual([
    expect.objectContaining({
      amountFen: refundFen,
      kind: 'refund',
      idempotencyKey: `${c.input.complaintId}:refund:plan1`,
    }),
  ]);
  expect(solved.resolution.refundedFen).toBe(refundFen);
  expect((await customerTemplates(h, c.input.complaintId)).filter((t) => t === 'return_instructions')).toHaveLength(1);
  const notices = (await sandboxRecords.notices(h, c.merchant.merchantId!))
    .filter((n) => n.complaintId === c.input.complaintId)
    .map((n) => n.kind);
  expect(notices.filter((k) => k === 'return_incoming')).toHaveLength(1);

  await act(c, customerResponseUpdate, { accept: true, actor: c.customer });
  const executedAt = Date.parse(solved.resolution.executedAt!);
  await skipTo(h, executedAt + ms(policy.satisfaction.callbackAfter.medium) + HOUR);
  await settle(c, (v) => v.satisfaction.callbackSentAt !== null, 'the satisfaction callback', { quiet: true });
  await act(c, satisfactionUpdate, { rating: 5, comment: 'Refund received', actor: c.customer });
  const closed = await settle(c, (v) => v.status === 'closed', 'the case closed', { quiet: true });
  expect(closed.closeReason).toBe('resolved');

  // The timeline is whole across the runs: every entry once, in order, from opening to close.
  const t = await quietTimeline(c);
  expect(t.map((e) => e.seq)).toEqual(t.map((_, i) => i + 1));
  expect(t[0].action).toBe('complaint_opened');
  const once = [
    'resolution_proposed',
    'return_shipped',
    'return_inspected',
    'refund_done',
    'solution_accepted',
    'satisfaction_rated',
    'case_closed',
  ];
  for (const action of once) expect([action, t.filter((e) => e.action === action).length]).toEqual([action, 1]);
  expect(await sandboxRecords.refunds(h, c.input.complaintId)).toHaveLength(1);
}, 300_000);

it('the reminder sent before a continue-as-new is not sent again after it, and the grace period ends when it was due', async () => {
  const policy = await policyAt(h, 10, { continueAsNewAtEvents: CONTINUE_AT_EVENTS });
  const c = await proposed(policy, { type: 'exchange' });
  const waiting = await settle(c, waitingFor('return_shipment'), 'waiting for the goods', { quiet: true });
  const shipBy = Date.parse(stepOf(waiting, 'return_shipment')!.dueAt!);
  const returnRequests = async () =>
    (await customerTemplates(h, c.input.complaintId)).filter((t) => t === 'return_instructions').length;

  // docs/domain.md §8.2: past the 7 days the customer is reminded once and has the policy's grace (2 days) to ship.
  await skipTo(h, shipBy + MINUTE);
  await eventually(returnRequests, (n) => n === 2, 'the reminder');
  const graceEnds = Date.parse(
    deadline(
      await settle(
        c,
        (v) =>
          deadline(v, 'return_shipment') !== undefined && Date.parse(deadline(v, 'return_shipment')!.dueAt) > shipBy,
        'the grace period',
        { quiet: true },
      ),
      'return_shipment',
    )!.dueAt,
  );
  // The grace runs from the missed window (the timer fires at its end, give or take the worker's turn).
  expect(graceEnds - shipBy).toBeGreaterThanOrEqual(ms(policy.execution.returnReminderGrace));
  expect(graceEnds - shipBy).toBeLessThan(ms(policy.execution.returnReminderGrace) + MINUTE);

  const remindedBefore = (s: CarriedState) => (s.timeline ?? []).some((e) => e.action === 'return_reminder');
  await continuedWhileWaiting(c, 'return_shipment', remindedBefore);
  const resumed = await quietView(c);
  expect(deadline(resumed, 'return_shipment')?.dueAt).toBe(new Date(graceEnds).toISOString());
  expect(await returnRequests()).toBe(2);

  // Still waiting just before the carried end, cancelled just after it (not a fresh window from the new run).
  await skipTo(h, graceEnds - HOUR);
  await quiet(c);
  expect((await quietView(c)).status).toBe('executing');
  await skipTo(h, graceEnds + HOUR);
  const back = await settle(c, (v) => v.status === 'in_progress', 'the step cancelled at the end of the grace', {
    quiet: true,
  });
  expect(stepOf(back, 'return_shipment')?.status).toBe('failed');
  expect(await returnRequests()).toBe(2);
  expect((await quietTimeline(c)).filter((e) => e.action === 'return_reminder')).toHaveLength(1);
  // The customer's silence owes no goodwill coupon.
  expect(await sandboxRecords.coupons(h, c.input.complaintId)).toEqual([]);
}, 300_000);

it('a supervisor calls off a repair that waits after a continue-as-new: the coupon the plan issued is revoked and the goodwill coupon goes out once', async () => {
  const policy = await policyAt(h, 10, { continueAsNewAtEvents: CONTINUE_AT_EVENTS });
  const couponFen = 1_000;
  const c = await proposed(policy, { type: 'repair', couponFen });
  const waiting = await settle(c, waitingFor('repair'), 'waiting for the repair', { quiet: true });
  const repairDue = Date.parse(stepOf(waiting, 'repair')!.dueAt!);
  await continuedWhileWaiting(c, 'repair');
  expect(deadline(await quietView(c), 'repair')?.dueAt).toBe(new Date(repairDue).toISOString());

  const callOff = {
    step: 'repair' as const,
    reason: 'The merchant no longer answers; we replace the item instead',
    actor: supervisor,
  };
  await act(c, cancelStepUpdate, callOff);
  const back = await settle(c, (v) => v.status === 'in_progress', 'the case back to re-plan', { quiet: true });
  expect(stepOf(back, 'repair')?.status).toBe('failed');
  expect((await quietTimeline(c)).find((e) => e.action === 'step_cancelled')).toMatchObject({
    actor: { sub: supervisor.sub },
    detail: { step: 'repair', reason: callOff.reason },
  });
  // docs/domain.md §8.3, §8.5: what the plan did is undone (its coupon, issued by an earlier run), and the failure owes a goodwill coupon.
  const coupons = await eventually(
    () => sandboxRecords.coupons(h, c.input.complaintId),
    (k) => k.length === 2 && k.some((x) => x.status === 'revoked'),
    'the plan coupon revoked and the goodwill coupon',
  );
  expect(coupons.map((k) => [k.amountFen, k.status]).sort()).toEqual(
    [
      [couponFen, 'revoked'],
      [policy.execution.failureGoodwillCouponFen, 'active'],
    ].sort(),
  );
  const notices = (await sandboxRecords.notices(h, c.merchant.merchantId!))
    .filter((n) => n.complaintId === c.input.complaintId)
    .map((n) => n.kind);
  expect(notices.filter((k) => k === 'repair_request')).toHaveLength(1);
}, 300_000);
