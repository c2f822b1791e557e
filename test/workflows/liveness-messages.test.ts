import { agent, openCase } from '../support/cases';
import { type Harness, startHarness } from '../../dev/stack/harness';
import {
  HOUR,
  MINUTE,
  alerted,
  briefed,
  customerTemplates,
  deadline,
  eventually,
  faults,
  policyAt,
  propose,
  settle,
  timeline,
} from './helpers';
import type { OpenedCase } from '../support/cases';

/**
 * docs/domain.md §5.6: "A message or alert that could not be delivered after its retries is itself an alert to a
 * person (the owner, else the supervisor), shown on the case; the case goes on. A receipt that failed
 * is not logged as sent." The SMS gateway is down for longer than a message's retries.
 */

// A harness per test: each time-skipping server and its connection live minutes, not the whole file.
let h: Harness;
beforeEach(async () => {
  h = await startHarness('liveness-messages');
});
afterEach(async () => {
  if (h) await faults(h, null);
  await h?.close();
});

/** Skips server time in short steps (the time-skipping server has lost long skips). */
async function skip(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 10 * MINUTE) await h.env.sleep(Math.min(left, 10 * MINUTE));
}

/** Waits until the workflow gave up on a customer message (its failure is in the timeline). */
async function gaveUp(c: OpenedCase, template: string): Promise<void> {
  await eventually(
    () => timeline(c),
    (t) => t.some((e) => e.action === 'customer_message_failed' && e.detail.template === template),
    `the ${template} message given up`,
  );
}

it('a receipt that could not be delivered is not logged as sent; the supervisor is told (nobody owns the case yet), the case shows it and goes on', async () => {
  await faults(h, { service: 'sms', mode: 'error', rate: 1 });
  // Opened at 10:00 local: no off-hours reply, only the receipt. Low priority: a medium case's
  // supervisor alert at opening (docs/domain.md §2.2) would fail with it and be listed too.
  const c = await openCase(h, { policy: await policyAt(h, 10), priority: 'low', priorityReasons: [] });
  const id = c.input.complaintId;
  // Past every retry of the receipt.
  await skip(20 * MINUTE);
  await gaveUp(c, 'acknowledgement');
  // The gateway is back: the alert about the receipt, retried meanwhile, goes out.
  await faults(h, null);
  await skip(5 * MINUTE);
  await alerted(h, id, { to: 'staff:supervisor', template: 'staff:customer_message_undelivered' });

  expect(await customerTemplates(h, id)).not.toContain('acknowledgement');
  const actions = (await timeline(c)).map((e) => e.action);
  expect(actions).not.toContain('receipt_sent');
  const v = await settle(c, (x) => x.status === 'acknowledged', 'the case moved on');
  expect(v.undeliveredMessages).toEqual([
    expect.objectContaining({ template: 'acknowledgement', alerted: 'supervisor' }),
  ]);
}, 180_000);

it('a solution that could not be delivered alerts its owner and is shown on the case; the objection window still ends 24 h after execution', async () => {
  const c = await briefed(h, { policy: await policyAt(h, 10) });
  const id = c.input.complaintId;
  await eventually(
    () => customerTemplates(h, id),
    (t) => t.includes('first_response'),
    'the first response delivered',
  );
  await faults(h, { service: 'sms', mode: 'error', rate: 1 });
  await propose(c, { type: 'refund', amountFen: 1_000 });
  const executing = await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window');
  const executedAt = Date.parse(executing.resolution.executedAt!);
  await skip(20 * MINUTE);
  await gaveUp(c, 'solution');
  await faults(h, null);
  await skip(5 * MINUTE);
  await alerted(h, id, { to: `staff:${agent.sub}`, template: 'staff:customer_message_undelivered' });

  expect(await customerTemplates(h, id)).not.toContain('solution');
  const v = await settle(c, (x) => (x.undeliveredMessages ?? []).length > 0, 'the undelivered message on the case');
  expect(v.undeliveredMessages).toEqual([expect.objectContaining({ template: 'solution', alerted: agent.sub })]);
  // The case goes on: a person was told and can reach the customer before the window ends.
  expect(v.status).toBe('awaiting_customer');
  expect(Date.parse(deadline(v, 'objection_window')!.dueAt)).toBe(executedAt + 24 * HOUR);
}, 180_000);
