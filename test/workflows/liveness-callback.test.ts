import { customerResponseUpdate, satisfactionUpdate } from '../../shared/messages';
import { useWorkflowHarness } from '../support/workflowHarness';
import { HOUR, MINUTE, briefed, customerTemplates, deadline, policyAt, propose, settle, sleepUntil } from './helpers';

/**
 * docs/domain.md §9.2: the satisfaction callback comes after execution, high priority within 24 h
 * (policy satisfaction.callbackAfter.high: 12 h), while the customer has 24 h from the execution to
 * object. The high-priority callback must not wait for the objection window to end.
 */

// A harness per test: each time-skipping server and its connection live seconds, not minutes.
const h = useWorkflowHarness('liveness-callback', { each: true });

const at = (iso: string | null | undefined) => Date.parse(iso ?? '');

it('a high-priority callback goes out 12 h after execution, while the 24 h objection window still runs; it is sent once', async () => {
  const c = await briefed(h, { policy: await policyAt(h, 10), priority: 'high' });
  const id = c.input.complaintId;
  await propose(c, { type: 'refund', amountFen: 1_000 });
  const v0 = await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window');
  const executed = at(v0.resolution.executedAt);

  await sleepUntil(h, executed + 12 * HOUR + MINUTE);
  const v1 = await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the callback 12 h after execution');
  expect(at(v1.satisfaction.callbackSentAt) - executed).toBeGreaterThanOrEqual(12 * HOUR);
  expect(at(v1.satisfaction.callbackSentAt) - executed).toBeLessThan(12 * HOUR + MINUTE);
  expect(await customerTemplates(h, id)).toContain('satisfaction_callback');
  // The customer may still object until 24 h after the execution.
  expect(v1.status).toBe('awaiting_customer');
  expect(at(deadline(v1, 'objection_window')?.dueAt)).toBe(executed + 24 * HOUR);

  await sleepUntil(h, executed + 24 * HOUR + MINUTE);
  await settle(c, (x) => x.status === 'awaiting_feedback', 'the window over');
  await c.handle.executeUpdate(satisfactionUpdate, { args: [{ rating: 5, actor: c.customer }] });
  await settle(c, (x) => x.status === 'closed', 'closed on the rating');
  expect((await customerTemplates(h, id)).filter((t) => t === 'satisfaction_callback')).toHaveLength(1);
});

it('a high-priority customer who accepts early is called back 12 h after execution, not at once', async () => {
  const c = await briefed(h, { policy: await policyAt(h, 10), priority: 'high' });
  const id = c.input.complaintId;
  await propose(c, { type: 'refund', amountFen: 1_000 });
  const v0 = await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window');
  const executed = at(v0.resolution.executedAt);
  await c.handle.executeUpdate(customerResponseUpdate, { args: [{ accept: true, actor: c.customer }] });
  await settle(c, (x) => x.status === 'awaiting_feedback', 'the solution accepted');
  expect(await customerTemplates(h, id)).not.toContain('satisfaction_callback');

  await sleepUntil(h, executed + 12 * HOUR + MINUTE);
  const v1 = await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the callback 12 h after execution');
  expect(at(v1.satisfaction.callbackSentAt) - executed).toBeGreaterThanOrEqual(12 * HOUR);
  expect(at(v1.satisfaction.callbackSentAt) - executed).toBeLessThan(12 * HOUR + MINUTE);
  expect((await customerTemplates(h, id)).filter((t) => t === 'satisfaction_callback')).toHaveLength(1);
});
