import { openCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  eventually,
  hasDeadline,
  nextServiceOpening,
  policyAt,
  settle,
  sleepUntil,
  staffAlertsTo,
  timeline,
  skipTo,
} from './helpers';

/**
 * docs/domain.md §5.2: at the top rung a further miss alerts the operations manager again (bounded), and after
 * that burst a miss still open is reported to the operations manager once per service day until
 * someone acts: never silence while the case is open. Expected times are the figures of docs/domain.md
 * (15 service minutes per first-response window, service 09:00–21:00 local), counted here.
 */

const h = useWorkflowHarness('liveness-daily', { each: true });

it('a first response nobody gives is reported to the operations manager every service day after the bounded burst', async () => {
  // Local 10:xx; the handling window is long so that only the first response's ladder speaks.
  const policy = await policyAt(h, 10, {
    escalation: { topRungRealerts: 1, serviceTimeDeadlines: ['first_response', 'handling', 'proposal', 'approval'] },
    handling: { high: 'P30D', medium: 'P30D', low: 'P30D' },
  });
  const c = await openCase(h, { policy, category: 'service', subType: 'rude_agent' });
  const opened = Date.parse((await settle(c, hasDeadline('first_response'), 'the first-response deadline')).createdAt);
  const reports = async () =>
    (await staffAlertsTo(h, c.input.complaintId, 'ops_manager')).filter(
      (a) => a.template === 'staff:first_response_still_missed',
    );

  // Misses at 15, 30 and 45 service minutes: supervisor, operations manager, the manager once more; then the burst is over.
  await sleepUntil(h, opened + 50 * MINUTE);
  await eventually(
    () => staffAlertsTo(h, c.input.complaintId, 'ops_manager'),
    (a) => a.filter((x) => x.template === 'staff:first_response_breached').length === 2,
    'the bounded burst',
  );
  expect(await reports()).toEqual([]);

  // The miss that ends the burst (60 service minutes, still in service hours) is reported at once:
  // that day is not left silent. Then the next day's 09:00 local, and the day after.
  await sleepUntil(h, opened + 65 * MINUTE);
  await eventually(reports, (r) => r.length === 1, 'the report the day the burst ends');
  const tz = policy.calendar.timeZone;
  const day2 = nextServiceOpening(opened + 12 * HOUR, tz);
  await skipTo(h, day2 + 30 * MINUTE);
  await eventually(reports, (r) => r.length === 2, 'the first daily report');
  await skipTo(h, day2 + DAY + 30 * MINUTE);
  await eventually(reports, (r) => r.length === 3, 'the second daily report');
  const entries = (await timeline(c)).filter((e) => e.action === 'deadline_still_missed');
  expect(entries.map((e) => [e.detail.kind, e.detail.day])).toEqual([
    ['first_response', 1],
    ['first_response', 2],
    ['first_response', 3],
  ]);
  // At the miss, then at the start of service (the workflow task that fires the timer takes a moment of server time).
  const expected = [opened + 60 * MINUTE, day2, day2 + DAY];
  entries.forEach((e, i) => expect(Date.parse(e.at) - expected[i]).toBeGreaterThanOrEqual(0));
  entries.forEach((e, i) => expect(Date.parse(e.at) - expected[i]).toBeLessThan(MINUTE));
}, 180_000);
