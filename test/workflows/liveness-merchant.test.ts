import { openCase, sandboxRecords } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  deadline,
  eventually,
  faults,
  hasDeadline,
  policyAt,
  settle,
  sleepUntil,
  staffAlertsTo,
  timeline,
  view,
} from './helpers';

/**
 * docs/domain.md §6.2: a complaint about a third-party merchant is copied to the merchant, who answers within
 * 24 h. The copy goes out when the case opens (not after the first human answer, which for a low
 * case may be a day later); a merchant who never got it owes nothing, and a person is told; a
 * service complaint about platform staff is not the merchant's to answer.
 */

const h = useWorkflowHarness('liveness-merchant', { each: true });

it('the merchant gets its copy at intake, before anyone answers the case, and its 24 h run from then', async () => {
  const policy = await policyAt(h, 10);
  const c = await openCase(h, { policy, priority: 'low' });
  const v = await settle(c, hasDeadline('merchant_reply'), 'the merchant reply deadline');
  expect(v.owner).toBeNull();
  expect(v.firstResponse).toBeNull();
  const copies = (await sandboxRecords.notices(h, c.input.intake.order.merchantId)).filter(
    (n) => n.kind === 'complaint_copy',
  );
  expect(copies).toHaveLength(1);
  const since = Date.parse(deadline(v, 'merchant_reply')!.since);
  expect(Date.parse(deadline(v, 'merchant_reply')!.dueAt) - since).toBe(DAY);
});

it("a copy the merchant portal refuses stops the merchant's clock and tells merchant operations; no miss is held against the merchant", async () => {
  // A refusal (the portal answers 4xx), not an outage: the copy fails without the retries' quarter hour.
  await faults(h, { service: 'merchants', mode: 'decline', rate: 1 });
  const policy = await policyAt(h, 10);
  const c = await openCase(h, { policy });
  await eventually(
    () => timeline(c),
    (t) => t.some((e) => e.action === 'merchant_clock_stopped'),
    'the merchant clock stopped',
  );
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, 'merchant_ops'),
    (a) => a.some((x) => x.template === 'staff:merchant_copy_failed'),
    'merchant operations told',
  );
  await faults(h, null);
  await sleepUntil(h, Date.parse((await view(c)).createdAt) + 2 * DAY);
  const later = await view(c);
  expect(hasDeadline('merchant_reply')(later)).toBe(false);
  expect(later.breaches.filter((b) => b.kind === 'merchant_reply')).toEqual([]);
}, 180_000);

it('a service complaint about platform staff is not copied to the merchant', async () => {
  const policy = await policyAt(h, 10);
  const c = await openCase(h, { policy, category: 'service', subType: 'rude_agent' });
  await eventually(
    () => timeline(c),
    (t) => t.some((e) => e.action === 'merchant_copy_skipped'),
    'the copy skipped',
  );
  expect(
    (await sandboxRecords.notices(h, c.input.intake.order.merchantId)).filter(
      (n) => n.complaintId === c.input.complaintId,
    ),
  ).toEqual([]);
  expect(hasDeadline('merchant_reply')(await view(c))).toBe(false);
});
