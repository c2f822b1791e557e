import { changePriorityUpdate } from '../../shared/messages';
import { openCase, supervisor } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  deadline,
  eventually,
  hasDeadline,
  policyAt,
  settle,
  skipTo,
  staffAlertsTo,
  timeline,
} from './helpers';

/**
 * docs/domain.md §5.3: a wait whose due time comes to lie in the past climbs one rung, not the whole
 * ladder at once. A supervisor who raises a low case to medium a day after it opened makes its
 * handling window (low 24 service hours, medium 4) long gone: that is one miss, told to the next
 * rung, with a fresh window of medium's 4 service hours from the raise. Service hours 09:00–21:00
 * local, every day (docs/domain.md §4), counted here.
 */

const h = useWorkflowHarness('liveness-priority-raise', { each: true });

it('a priority raise that puts the handling window in the past is one miss for the supervisor, with a fresh window from the raise', async () => {
  // Opened at local 10:xx, low, nobody takes it.
  const policy = await policyAt(h, 10);
  const c = await openCase(h, { policy, priority: 'low', category: 'service', subType: 'rude_agent' });
  const opened = Date.parse((await settle(c, hasDeadline('handling'), 'the handling deadline')).createdAt);
  // Medium's 4 service hours end at 14:xx on the first day; its fresh windows would end at 18:xx,
  // then 10:xx and 14:xx the next day. The raise comes the next day at 15:xx, still inside low's 24
  // service hours (11 the first day, 12 the second), so nothing of handling has been missed before it.
  const raisedAt = opened + DAY + 5 * HOUR;
  await skipTo(h, raisedAt);
  const before = await settle(c, () => true);
  expect(before.breaches.filter((b) => b.kind === 'handling')).toEqual([]);

  await c.handle.executeUpdate(changePriorityUpdate, {
    args: [{ priority: 'medium', reason: '顾客第二次来电，情绪激动', actor: supervisor }],
  });
  const raised = await settle(
    c,
    (v) =>
      v.breaches.some((b) => b.kind === 'handling') && Date.parse(deadline(v, 'handling')?.dueAt ?? '0') > raisedAt,
    'the miss and its fresh window',
  );

  const misses = (await timeline(c)).filter(
    (e) => e.detail.kind === 'handling' && ['deadline_breached', 'deadline_missed_again'].includes(e.action),
  );
  expect(misses.map((e) => e.action)).toEqual(['deadline_breached']);
  expect(raised.breaches.filter((b) => b.kind === 'handling')).toMatchObject([
    { escalatedTo: 'supervisor', dueAt: new Date(opened + 4 * HOUR).toISOString() },
  ]);
  // The fresh window: 4 service hours from the raise (15:xx + 4 h, before service closes at 21:00).
  const due = Date.parse(deadline(raised, 'handling')!.dueAt);
  expect(due - (raisedAt + 4 * HOUR)).toBeGreaterThanOrEqual(0);
  expect(due - (raisedAt + 4 * HOUR)).toBeLessThan(MINUTE);
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, 'supervisor'),
    (a) => a.some((x) => x.template === 'staff:handling_breached'),
    'the supervisor told',
  );
  expect(
    (await staffAlertsTo(h, c.input.complaintId, 'ops_manager')).filter(
      (a) => a.template === 'staff:handling_breached',
    ),
  ).toEqual([]);
}, 180_000);
