import { cancelStepUpdate } from '../../shared/messages';
import { agent, otherAgent, sandboxRecords, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  briefed,
  customerTemplates,
  eventually,
  policyAt,
  propose,
  refusal,
  settle,
  staffAlertsTo,
  timeline,
  skipTo,
} from './helpers';

/**
 * docs/domain.md §5.5, §8.2: goods not shipped back in 7 days → the customer is reminded,
 * then the step is cancelled and the case returns to the agent. The figures are the policy's
 * defaults: 7 days to ship, a reminder at the end, 2 days of grace.
 */

const h = useWorkflowHarness('liveness-party', { each: true });

it('a customer who never ships the goods back is reminded once, then the step is cancelled and the case goes back to its agent', async () => {
  const policy = await policyAt(h, 10);
  const c = await briefed(h, { policy });
  await propose(c, { type: 'exchange' });
  const v = await settle(
    c,
    (x) => x.resolution.steps.some((s) => s.name === 'return_shipment' && s.status === 'waiting'),
    'waiting for the goods',
  );
  const shipBy = Date.parse(v.resolution.steps.find((s) => s.name === 'return_shipment')!.dueAt!);
  const returns = async () =>
    (await customerTemplates(h, c.input.complaintId)).filter((t) => t === 'return_instructions');
  expect(await returns()).toHaveLength(1);

  await skipTo(h, shipBy + HOUR);
  await eventually(returns, (r) => r.length === 2, 'the reminder after 7 days');
  expect((await settle(c, () => true)).status).toBe('executing');

  await skipTo(h, shipBy + 2 * DAY + 2 * HOUR);
  const back = await settle(c, (x) => x.status === 'in_progress', 'the case back with its agent');
  expect(back.resolution.steps.find((s) => s.name === 'return_shipment')?.status).toBe('failed');
  await eventually(
    () =>
      staffAlertsTo(h, c.input.complaintId, 'supervisor').then(async (s) => [
        ...s,
        ...(await staffAlertsTo(h, c.input.complaintId, agent.sub)),
      ]),
    (a) => a.some((x) => x.template === 'staff:execution_failed'),
    'staff told to re-plan',
  );
  // The customer's silence owes no goodwill coupon.
  expect(await sandboxRecords.coupons(h, c.input.complaintId)).toEqual([]);
  expect((await timeline(c)).some((e) => e.action === 'return_reminder')).toBe(true);
}, 180_000);

it('a merchant who never reports the repair: after the miss a supervisor calls the step off, with a reason, and the case goes back to be re-planned', async () => {
  const policy = await policyAt(h, 10);
  const c = await briefed(h, { policy });
  await propose(c, { type: 'repair' });
  const v = await settle(
    c,
    (x) => x.resolution.steps.some((s) => s.name === 'repair' && s.status === 'waiting'),
    'waiting for the repair',
  );
  await skipTo(h, Date.parse(v.resolution.steps.find((s) => s.name === 'repair')!.dueAt!) + HOUR);
  await settle(c, (x) => x.breaches.some((b) => b.kind === 'repair'), 'the repair missed');
  const callOff = { step: 'repair' as const, reason: 'The merchant no longer answers; we replace the item instead' };
  // Only the owner or a supervisor and above; a step that does not wait cannot be called off.
  expect(await refusal(c.handle.executeUpdate(cancelStepUpdate, { args: [{ ...callOff, actor: otherAgent }] }))).toBe(
    'not_owner',
  );
  expect(
    await refusal(
      c.handle.executeUpdate(cancelStepUpdate, { args: [{ ...callOff, step: 'return_shipment', actor: supervisor }] }),
    ),
  ).toBe('wrong_stage');
  await c.handle.executeUpdate(cancelStepUpdate, { args: [{ ...callOff, actor: supervisor }] });
  const back = await settle(c, (x) => x.status === 'in_progress', 'the case back to re-plan');
  expect(back.resolution.steps.find((s) => s.name === 'repair')?.status).toBe('failed');
  const entry = (await timeline(c)).find((e) => e.action === 'step_cancelled');
  expect(entry).toMatchObject({ actor: { sub: supervisor.sub }, detail: { step: 'repair', reason: callOff.reason } });
  // The merchant's failure toward the customer is the platform's: the goodwill coupon goes out (docs/domain.md §8.3).
  await eventually(
    () => sandboxRecords.coupons(h, c.input.complaintId),
    (k) => k.length === 1,
    'the goodwill coupon',
  );
}, 180_000);
