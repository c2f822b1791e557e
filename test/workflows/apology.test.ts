import { approvalUpdate } from '../../shared/messages';
import { sandboxRecords, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import { briefed, eventually, policyAt, propose, settle } from './helpers';

/**
 * docs/domain.md §7.1 and §7.4: a public apology for service attitude has reputation impact, so a supervisor
 * approves it; once approved it reaches the customer, in the words staff wrote with the proposal (Chinese
 * by default), or as the formal apology when they wrote none. The solution message names it as well.
 */

const h = useWorkflowHarness('apology', { each: true });

const customerSms = async (complaintId: string) =>
  (await sandboxRecords.sms(h, complaintId)).filter((m) => !m.to.startsWith('staff:'));

async function approvedApology(words?: string) {
  const c = await briefed(h, { policy: await policyAt(h, 10), category: 'service', subType: 'rude_agent' });
  const proposed = await propose(c, { type: 'apology', ...(words ? { apology: words } : {}) });
  expect(proposed.status).toBe('awaiting_approval');
  expect(proposed.resolution.approval?.approverRole).toBe('supervisor');
  // Nothing reaches the customer before the supervisor has approved the words.
  expect((await customerSms(c.input.complaintId)).map((m) => m.template)).not.toContain('apology');
  await c.handle.executeUpdate(approvalUpdate, {
    args: [{ decision: 'approve', reason: 'the words are right', actor: supervisor }],
  });
  await settle(c, (v) => v.status === 'awaiting_customer', 'the objection window');
  return c;
}

it('an approved apology reaches the customer in the words staff wrote, before the solution message', async () => {
  const words = '客服人员在电话中对您态度恶劣，这是我们的错。该员工已停岗培训，我们向您诚恳道歉。';
  const c = await approvedApology(words);
  const sms = await eventually(
    () => customerSms(c.input.complaintId),
    (all) => all.some((m) => m.template === 'solution'),
    'the solution message',
  );
  const apologies = sms.filter((m) => m.template === 'apology');
  expect(apologies).toHaveLength(1);
  expect(apologies[0].text).toContain(words);
  expect(apologies[0].text).toContain(c.input.complaintId);
  const templates = sms.map((m) => m.template);
  expect(templates.indexOf('apology')).toBeLessThan(templates.indexOf('solution'));
});

it('an apology approved without words is sent as the formal apology, in Chinese', async () => {
  const c = await approvedApology();
  const sms = await eventually(
    () => customerSms(c.input.complaintId),
    (all) => all.some((m) => m.template === 'apology'),
    'the apology',
  );
  const [apology] = sms.filter((m) => m.template === 'apology');
  expect(apology.text).toMatch(/致歉|道歉/);
  expect(apology.text).toContain(c.input.complaintId);
});
