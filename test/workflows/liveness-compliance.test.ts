import { SA } from '../../shared/searchAttributes';
import { assignUpdate, reclassifyUpdate } from '../../shared/messages';
import { agent, openCase, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import { eventually, policyAt, refusal, staffAlertsTo, timeline } from './helpers';

/**
 * docs/domain.md §2.5: a compliance case (counterfeit, false advertising, safety) always opens a compliance
 * review first, and compliance decides it. Compliance hears of it when it opens, whichever way it
 * becomes one; its own agent cannot take it out of compliance (and past compliance's approval).
 */

const h = useWorkflowHarness('liveness-compliance', { each: true });

const reviews = (id: string) =>
  staffAlertsTo(h, id, 'compliance').then((a) => a.filter((x) => x.template === 'staff:compliance_review'));

it('a compliance case tells compliance at intake, and its agent cannot reclassify it away', async () => {
  const policy = await policyAt(h, 10);
  const c = await openCase(h, { policy, category: 'compliance', subType: 'counterfeit' });
  await eventually(
    () => reviews(c.input.complaintId),
    (r) => r.length === 1,
    'compliance told at intake',
  );
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  const away = {
    category: 'product' as const,
    subType: 'quality_defect' as const,
    reason: 'looks like a defect to me',
  };
  expect(await refusal(c.handle.executeUpdate(reclassifyUpdate, { args: [{ ...away, actor: agent }] }))).toBe(
    'forbidden',
  );
  // A supervisor may, with a reason.
  await c.handle.executeUpdate(reclassifyUpdate, { args: [{ ...away, actor: supervisor }] });
  const described = await c.handle.describe();
  expect(described.typedSearchAttributes.get(SA.category)).toBe('product');
});

it('a case reclassified into compliance opens the review then, and ops find it under its new category', async () => {
  const policy = await policyAt(h, 10);
  const c = await openCase(h, { policy, category: 'product', subType: 'quality_defect' });
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  await c.handle.executeUpdate(reclassifyUpdate, {
    args: [{ category: 'compliance', subType: 'counterfeit', reason: 'the seller ships fakes', actor: agent }],
  });
  await eventually(
    () => reviews(c.input.complaintId),
    (r) => r.length === 1,
    'compliance told on reclassification',
  );
  expect((await c.handle.describe()).typedSearchAttributes.get(SA.category)).toBe('compliance');
  expect((await timeline(c)).some((e) => e.action === 'compliance_review_opened')).toBe(true);
});
