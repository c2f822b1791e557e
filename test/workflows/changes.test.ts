import { assignUpdate, customerResponseUpdate, firstResponseUpdate } from '../../shared/messages';
import { agent, openCase, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  alerted,
  briefed,
  customerTemplates,
  eventually,
  faults,
  hasDeadline,
  localClockMs,
  policyAt,
  propose,
  refusal,
  settle,
  sleepUntil,
  slaEvents,
  escalationAlerts,
  timeline,
  view,
} from './helpers';

/**
 * Policies and changes made to running logic: each new behaviour here is taken by new runs, while the recorded
 * histories of older runs (test/replay) still replay without it.
 */

const h = useWorkflowHarness('changes');

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
  expect((await escalationAlerts(h, c.input.complaintId)).filter((a) => a.to === `staff:${agent.sub}`)).toEqual([]);
});

it('caps a second-round refund at what was paid minus what was already refunded', async () => {
  const c = await briefed(h, { amountPaidFen: 12_900 });
  await propose(c, { type: 'partial_refund', amountFen: 10_000 });
  await settle(c, (v) => v.status === 'awaiting_customer', 'the objection window');
  await c.handle.executeUpdate(customerResponseUpdate, {
    args: [{ accept: false, reason: 'not enough', actor: c.customer }],
  });
  const reopened = await settle(c, (v) => v.round === 2 && v.status === 'in_progress', 'the second round');
  expect(reopened.resolution.refundedFen).toBe(10_000);
  expect(await refusal(propose(c, { type: 'refund', amountFen: 3_000 }, supervisor))).toBe('amount_exceeds_paid');
  const v = await propose(c, { type: 'refund', amountFen: 2_900 }, supervisor);
  expect(v.status).toBe('executing');
});

it('keeps a customer within the daily message cap: what it holds back is logged and sent at 09:00 the next day, not dropped', async () => {
  const policy = await policyAt(h, 10, { smsPerCasePerDay: 1 });
  const c = await openCase(h, { policy });
  await alertedCustomer(c.input.complaintId, 'acknowledgement');
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  await c.handle.executeUpdate(firstResponseUpdate, {
    args: [{ message: 'Please send photos.', requestEvidence: true, actor: agent }],
  });
  const delayed = (t: Awaited<ReturnType<typeof timeline>>) => t.filter((e) => e.action === 'customer_message_delayed');
  const entries = await eventually(
    () => timeline(c),
    (t) => delayed(t).length === 2,
    'the delayed messages',
  );
  // Opened 10:xx local: the next allowed time is 09:00 local the next day.
  const opened = Date.parse((await view(c)).createdAt);
  const nine = opened - localClockMs(opened, policy.calendar.timeZone) + DAY + 9 * HOUR;
  expect(delayed(entries).map((e) => e.detail)).toEqual([
    { template: 'first_response', reason: 'daily_cap', until: new Date(nine).toISOString() },
    { template: 'evidence_request', reason: 'daily_cap', until: new Date(nine).toISOString() },
  ]);
  expect(entries.map((e) => e.action)).not.toContain('customer_message_suppressed');
  expect(await customerTemplates(h, c.input.complaintId)).toEqual(['acknowledgement']);
  // The evidence pause waits for the request to reach the customer.
  expect((await view(c)).awaitingEvidence).toBe(false);

  await sleepUntil(h, nine - MINUTE);
  await new Promise((r) => setTimeout(r, 300));
  expect(await customerTemplates(h, c.input.complaintId)).toEqual(['acknowledgement']);
  // One a day: one of the two held messages at 09:00, the other at 09:00 the day after (both wait for the
  // same opening, so which goes first is not fixed); the evidence pause begins once its request went out.
  await sleepUntil(h, nine + MINUTE);
  const day1 = await eventually(
    () => customerTemplates(h, c.input.complaintId),
    (t) => t.length === 2,
    'one held message the next day',
  );
  await new Promise((r) => setTimeout(r, 300));
  expect(await customerTemplates(h, c.input.complaintId)).toHaveLength(2);
  if (day1[1] === 'evidence_request') await settle(c, (x) => x.awaitingEvidence, 'the evidence pause');
  else expect((await view(c)).awaitingEvidence).toBe(false);
  await sleepUntil(h, nine + DAY + MINUTE);
  const day2 = await eventually(
    () => customerTemplates(h, c.input.complaintId),
    (t) => t.length === 3,
    'the other held message the day after',
  );
  expect([...day2].sort()).toEqual(['acknowledgement', 'evidence_request', 'first_response']);
  await settle(c, (x) => x.awaitingEvidence, 'the evidence pause');
});

async function alertedCustomer(complaintId: string, template: string): Promise<void> {
  await eventually(
    () => customerTemplates(h, complaintId),
    (t) => t.includes(template),
    template,
  );
}

it('starts the second-round proposal clock at once, even while the staff alert cannot go out (patched: proposal-clock-before-alert)', async () => {
  const c = await briefed(h, { amountPaidFen: 12_900 });
  await propose(c, { type: 'partial_refund', amountFen: 5_000 });
  await settle(c, hasDeadline('objection_window'), 'the objection window');
  await faults(h, { service: 'sms', mode: 'error', rate: 1 });
  try {
    await c.handle.executeUpdate(customerResponseUpdate, {
      args: [{ accept: false, reason: 'not enough', actor: c.customer }],
    });
    const v = await settle(c, (x) => x.round === 2 && hasDeadline('proposal')(x), 'the second-round proposal deadline');
    expect(v.status).toBe('in_progress');
    expect((await slaEvents(c)).filter((e) => e.kind === 'proposal' && e.event === 'activated')).toHaveLength(2);
  } finally {
    await faults(h, null);
  }
});

it('upserts only the search attributes that changed (patched: search-attributes-on-change)', async () => {
  const c = await openCase(h, { policy: await policyAt(h, 10) });
  await settle(c, (v) => v.status === 'acknowledged', 'the receipt');
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  const projected = () =>
    h.mongo.collection<{ _id: string; view: { owner: string | null } }>('cases').findOne({ _id: c.input.complaintId });
  await eventually(projected, (doc) => doc?.view.owner === agent.sub, 'the projection of the assignment');
  const events = (await c.handle.fetchHistory()).events ?? [];
  const upserted = events.flatMap((e) => {
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
    return fields && !('TemporalChangeVersion' in fields) ? [Object.keys(fields).sort()] : [];
  });
  // The first names every attribute; the assignment only what it changed.
  expect(upserted[0]).toEqual(['ComplaintStatus', 'EscalationLevel', 'Priority', 'SlaBreached']);
  expect(upserted.slice(1)).toContainEqual(['ComplaintStatus', 'OwnerId']);
  expect(upserted.slice(1).every((keys) => !keys.includes('Priority'))).toBe(true);
});
