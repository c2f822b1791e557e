import { openCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  HOUR,
  MINUTE,
  breachOf,
  customerTemplates,
  deadline,
  eventually,
  hasDeadline,
  policyAt,
  settle,
  sleepUntil,
  staffAlerts,
} from './helpers';

/**
 * docs/domain.md §5.4 "A crisis runs on the clock, day and night": a high-priority case for personal safety
 * (or media / regulator involvement) opened at 22:00 local has its 2 h window on the wall clock from
 * intake, and its alerts go at once to the on-call operations manager (the policy's rota), legal and
 * PR. The figures are those of docs/domain.md §3: 2 h for high priority, 15 min first response.
 */

const h = useWorkflowHarness('liveness-crisis', { each: true });

it('a food-safety case opened at 22:00 is due within 2 h on the wall clock; on-call, legal and PR hear at once, and the miss reaches on-call that night', async () => {
  const now = await h.env.currentTimeMs();
  const onCall = [
    { from: new Date(now - HOUR).toISOString(), to: new Date(now + 12 * HOUR).toISOString(), person: 'ops-night-duty' },
  ];
  const policy = await policyAt(h, 22, { crisis: { alsoTell: ['legal', 'pr'], onCall } });
  const c = await openCase(h, {
    policy,
    priority: 'high',
    priorityReasons: ['personal_safety:burn'],
    category: 'product',
    subType: 'quality_defect',
  });
  const v = await settle(
    c,
    (x) => hasDeadline('handling')(x) && hasDeadline('first_response')(x),
    'the crisis deadlines',
  );
  const opened = Date.parse(v.createdAt);
  expect(Date.parse(deadline(v, 'handling')!.dueAt)).toBe(opened + 2 * HOUR);
  expect(Date.parse(deadline(v, 'first_response')!.dueAt)).toBe(opened + 15 * MINUTE);

  const crisisAlerts = async () =>
    (await staffAlerts(h, c.input.complaintId))
      .filter((a) => a.template === 'staff:crisis_opened')
      .map((a) => a.to)
      .sort();
  await eventually(crisisAlerts, (to) => to.length === 3, 'the crisis alerts');
  expect(await crisisAlerts()).toEqual(['staff:legal', 'staff:ops-night-duty', 'staff:pr']);
  // No "we will handle it tomorrow" to a customer whose safety is at stake.
  expect(await customerTemplates(h, c.input.complaintId)).not.toContain('off_hours_reply');

  // Nobody takes it: the misses climb that night, the top rung reaching the manager on call.
  await sleepUntil(h, opened + 2 * HOUR + MINUTE);
  await settle(c, (x) => breachOf(x, 'handling').length === 1, 'the handling window missed');
  await eventually(
    () => staffAlerts(h, c.input.complaintId),
    (a) => a.some((x) => x.to === 'staff:ops-night-duty' && x.template === 'staff:first_response_breached'),
    'the first-response miss at the top rung reaching on-call',
  );
  expect(await h.env.currentTimeMs()).toBeLessThan(opened + 3 * HOUR);
}, 120_000);
