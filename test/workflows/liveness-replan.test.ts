import {
  customerResponseUpdate,
  returnReceivedUpdate,
  returnShipmentUpdate,
  satisfactionUpdate,
} from '../../shared/messages';
import { type OpenedCase, agent, otherSupervisor, sandboxRecords, supervisor } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import {
  HOUR,
  MINUTE,
  briefed,
  customerTemplates,
  decide,
  faults,
  hasDeadline,
  policyAt,
  propose,
  refusal,
  settle,
  skipTo,
} from './helpers';

/**
 * What a re-plan and a second round owe the people in them (docs/domain.md §8 execution, §9 closing the loop):
 * goods already back are not asked for again; round two is handled one level up; a rating the
 * callback asked for is taken when it comes; money paid never passes what the order paid.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness('liveness-replan');
});
afterEach(async () => {
  await faults(h, null);
  await h?.close();
});

const waiting = (name: string) => (v: Awaited<ReturnType<typeof settle>>) =>
  v.resolution.steps.some((s) => s.name === name && s.status === 'waiting');
const returnRequests = async (c: OpenedCase) =>
  (await customerTemplates(h, c.input.complaintId)).filter((t) => t === 'return_instructions').length;

it('an exchange re-planned after the goods came back and passed inspection does not ask the customer to ship them again', async () => {
  const c = await briefed(h);
  await propose(c, { type: 'exchange' });
  await settle(c, waiting('return_shipment'), 'waiting for the goods');
  await c.handle.executeUpdate(returnShipmentUpdate, {
    args: [{ carrier: 'sf', waybillNo: 'SF200', actor: c.customer }],
  });
  await settle(c, waiting('return_inspection'), 'waiting for the inspection');
  // The merchant portal refuses the notice to ship the replacement: the plan fails and comes back.
  await faults(h, { service: 'merchants', mode: 'decline', rate: 1, count: 1 });
  await c.handle.executeUpdate(returnReceivedUpdate, {
    args: [{ inspection: 'ok', note: 'intact', actor: c.merchant }],
  });
  const back = await settle(c, (x) => x.status === 'in_progress', 'the re-plan');
  expect(back.resolution.steps.find((s) => s.name === 'ship_replacement')?.status).toBe('failed');
  expect(await returnRequests(c)).toBe(1);

  await propose(c, { type: 'exchange' });
  const done = await settle(c, (x) => x.status === 'awaiting_customer', 'the replacement shipped');
  expect(done.resolution.steps.map((s) => [s.name, s.status])).toEqual([['ship_replacement', 'done']]);
  expect(await returnRequests(c)).toBe(1);
}, 120_000);

it('goods shipped back but not yet inspected when the plan failed: the re-plan waits for the inspection, not for another shipment', async () => {
  const c = await briefed(h);
  await propose(c, { type: 'exchange' });
  await settle(c, waiting('return_shipment'), 'waiting for the goods');
  // The notice that the goods are on their way back is refused: the plan fails before the inspection.
  await faults(h, { service: 'merchants', mode: 'decline', rate: 1, count: 1 });
  await c.handle.executeUpdate(returnShipmentUpdate, {
    args: [{ carrier: 'sf', waybillNo: 'SF201', actor: c.customer }],
  });
  await settle(c, (x) => x.status === 'in_progress', 'the re-plan');

  await propose(c, { type: 'exchange' });
  const v = await settle(c, waiting('return_inspection'), 'waiting for the inspection');
  expect(v.resolution.steps.some((s) => s.name === 'return_shipment')).toBe(false);
  expect(await returnRequests(c)).toBe(1);
  await c.handle.executeUpdate(returnReceivedUpdate, {
    args: [{ inspection: 'ok', note: 'intact', actor: c.merchant }],
  });
  await settle(c, (x) => x.status === 'awaiting_customer', 'the replacement shipped');
}, 120_000);

it('round two is handled one level up: the agent of round one may not propose, a supervisor proposes and owns the round', async () => {
  const c = await briefed(h);
  await propose(c, { type: 'refund', amountFen: 5_000 });
  await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window');
  await c.handle.executeUpdate(customerResponseUpdate, {
    args: [{ accept: false, reason: 'The refund does not cover shipping', actor: c.customer }],
  });
  const reopened = await settle(c, (x) => x.round === 2 && hasDeadline('proposal')(x), 'the second round');
  expect(reopened.owner).not.toBe(agent.sub);

  const secondPlan = { type: 'refund' as const, amountFen: 1_000, note: 'Shipping refunded as well' };
  expect(await refusal(propose(c, secondPlan, agent))).toBe('forbidden');
  await propose(c, secondPlan, supervisor);
  const v = await settle(c, (x) => x.status === 'awaiting_customer', 'the second solution');
  expect(v.owner).toBe(supervisor.sub);
  expect(v.resolution.proposal?.proposedBy).toBe(supervisor.sub);
}, 120_000);

it("round two's approval takes a second person: the supervisor who proposed above the threshold may not approve it, another supervisor does", async () => {
  const c = await briefed(h, { amountPaidFen: 100_000 });
  await propose(c, { type: 'refund', amountFen: 5_000 });
  await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window');
  await c.handle.executeUpdate(customerResponseUpdate, {
    args: [{ accept: false, reason: 'Half the parts are missing', actor: c.customer }],
  });
  await settle(c, (x) => x.round === 2 && hasDeadline('proposal')(x), 'the second round');

  // docs/domain.md §7.3, §7.4: above 500 CNY a supervisor approves; 5 000 fen already paid + 60 000 is above it.
  await propose(c, { type: 'refund', amountFen: 60_000, note: 'Refund the rest' }, supervisor);
  await settle(c, (x) => x.status === 'awaiting_approval', 'the approval');
  expect(await refusal(decide(c, supervisor, 'approve', 'Fine by me'))).toBe('forbidden');
  expect((await settle(c, () => true)).status).toBe('awaiting_approval');

  await decide(c, otherSupervisor, 'approve', 'Checked the photos');
  const v = await settle(c, (x) => x.status === 'awaiting_customer', 'the second refund paid');
  expect(v.resolution.approval?.decidedBy).toBe(otherSupervisor.sub);
  const paid = (await sandboxRecords.refunds(h, c.input.complaintId)).map((r) => r.amountFen);
  expect(paid.sort((a, b) => a - b)).toEqual([5_000, 60_000]);
}, 120_000);

it('a high-priority customer who rates after the 12 h callback, while the objection window still runs, is heard: a good rating closes the case', async () => {
  const c = await briefed(h, { policy: await policyAt(h, 10), priority: 'high' });
  const executed = await (async () => {
    await propose(c, { type: 'refund', amountFen: 5_000 });
    const v = await settle(
      c,
      (x) => x.status === 'awaiting_customer' && x.resolution.executedAt !== null,
      'the objection window',
    );
    return Date.parse(v.resolution.executedAt!);
  })();
  // docs/domain.md §9.2: high priority is called back within 24 h (policy: 12 h); the objection window is 24 h.
  await skipTo(h, executed + 12 * HOUR + MINUTE);
  await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the callback');
  expect((await settle(c, () => true)).status).toBe('awaiting_customer');
  await c.handle.executeUpdate(satisfactionUpdate, {
    args: [{ rating: 5, comment: 'Quick, thanks', actor: c.customer }],
  });
  const closed = await settle(c, (x) => x.status === 'closed', 'the case closed');
  expect(closed.closeReason).toBe('resolved');
  expect(closed.satisfaction.rating).toBe(5);
}, 120_000);

it('compensation never passes what the order paid, counting what the case already paid out', async () => {
  const c = await briefed(h, { amountPaidFen: 12_900 });
  expect(await refusal(propose(c, { type: 'compensation', amountFen: 12_901 }))).toBe('amount_exceeds_paid');
  await propose(c, { type: 'refund', amountFen: 10_000 });
  await settle(c, (x) => x.status === 'awaiting_customer', 'the refund paid');
  await c.handle.executeUpdate(customerResponseUpdate, {
    args: [{ accept: false, reason: 'Still unhappy', actor: c.customer }],
  });
  await settle(c, (x) => x.round === 2 && hasDeadline('proposal')(x), 'the second round');
  // 129.00 paid, 100.00 refunded: 29.00 is all a compensation may still pay.
  expect(
    await refusal(propose(c, { type: 'compensation', amountFen: 2_901, note: 'For the trouble' }, supervisor)),
  ).toBe('amount_exceeds_paid');
  await propose(c, { type: 'compensation', amountFen: 2_900, note: 'For the trouble' }, supervisor);
  await settle(c, (x) => x.status === 'awaiting_customer', 'the compensation paid');
  const paid = (await sandboxRecords.refunds(h, c.input.complaintId)).reduce((sum, r) => sum + r.amountFen, 0);
  expect(paid).toBe(12_900);
}, 120_000);
