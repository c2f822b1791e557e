import { assignUpdate, customerResponseUpdate } from '../../shared/messages';
import { agent, openCase } from '../support/cases';
import { type Harness, startHarness } from '../support/harness';
import { MINUTE, alerted, briefed, hasDeadline, policyAt, propose, refusal, settle, staffAlerts } from './helpers';

/**
 * Changes made to running logic: each new behaviour here is taken by new runs, while the recorded
 * histories of older runs (test/replay) still replay without it.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness('changes');
});
afterAll(async () => {
  await h?.close();
});

it('texts the owner of a high-priority case that misses a deadline (patched: owner-sms-on-high-priority-breach)', async () => {
  const c = await openCase(h, { priority: 'high', policy: await policyAt(h, 10) });
  await settle(c, hasDeadline('first_response'), 'the first-response deadline');
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  await h.env.sleep(16 * MINUTE);
  await alerted(h, c.input.complaintId, { to: `staff:${agent.sub}`, template: 'staff:first_response_breached' });
  await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:first_response_breached' });
});

it('does not text an owner when a medium-priority case misses a deadline', async () => {
  const c = await openCase(h, { priority: 'medium', policy: await policyAt(h, 10) });
  await settle(c, hasDeadline('first_response'), 'the first-response deadline');
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  await h.env.sleep(16 * MINUTE);
  await alerted(h, c.input.complaintId, { to: 'staff:supervisor', template: 'staff:first_response_breached' });
  expect((await staffAlerts(h, c.input.complaintId)).filter((a) => a.to === `staff:${agent.sub}`)).toEqual([]);
});

it('caps a second-round refund at what was paid minus what was already refunded', async () => {
  const c = await briefed(h, { amountPaidFen: 12_900 });
  await propose(c, { type: 'partial_refund', amountFen: 10_000 });
  await settle(c, (v) => v.status === 'awaiting_customer', 'the objection window');
  await c.handle.executeUpdate(customerResponseUpdate, { args: [{ accept: false, reason: 'not enough', actor: c.customer }] });
  const reopened = await settle(c, (v) => v.round === 2 && v.status === 'in_progress', 'the second round');
  expect(reopened.resolution.refundedFen).toBe(10_000);
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  expect(await refusal(propose(c, { type: 'refund', amountFen: 3_000 }))).toBe('amount_exceeds_paid');
  const v = await propose(c, { type: 'refund', amountFen: 2_900 });
  expect(v.status).toBe('executing');
});
