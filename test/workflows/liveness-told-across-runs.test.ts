import { openCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  continuedAsNew,
  eventually,
  hasDeadline,
  nextServiceOpening,
  policyAt,
  quiet,
  settle,
  skipTo,
  staffAlertsTo,
  timeline,
} from './helpers';

/**
 * docs/domain.md §5.2 across a continue-as-new: a miss still open is reported to the operations
 * manager once per service day, and a case that continues as new meanwhile (a case left for weeks
 * does, every few days) neither reports the day again nor starts counting from one. Expected times
 * are the figures of docs/domain.md (15 service minutes per first-response window, service
 * 09:00–21:00 local), counted here.
 */

const h = useWorkflowHarness('liveness-told-across-runs', { each: true });

const CONTINUE_AT_EVENTS = 60;

/** Local 10:xx; the handling window is long so that only the first response's ladder speaks. */
const burstPolicy = () =>
  policyAt(h, 10, {
    continueAsNewAtEvents: CONTINUE_AT_EVENTS,
    escalation: { topRungRealerts: 1, serviceTimeDeadlines: ['first_response', 'handling', 'proposal', 'approval'] },
    handling: { high: 'P30D', medium: 'P30D', low: 'P30D' },
  });

const firstResponseMisses = async (c: Awaited<ReturnType<typeof openCase>>) =>
  (await timeline(c)).filter((e) => e.action === 'deadline_missed_again' && e.detail.kind === 'first_response');

it('a daily report made before a continue-as-new is not made again by the next run, which goes on with the next day', async () => {
  const policy = await burstPolicy();
  const c = await openCase(h, { policy, category: 'service', subType: 'rude_agent' });
  const opened = Date.parse(
    (await settle(c, hasDeadline('first_response'), 'the first-response deadline', { quiet: true })).createdAt,
  );
  const reports = async () =>
    (await staffAlertsTo(h, c.input.complaintId, 'ops_manager')).filter(
      (a) => a.template === 'staff:first_response_still_missed',
    );
  const dailyEntries = async () => {
    await quiet(c);
    return (await timeline(c)).filter(
      (e) => e.action === 'deadline_still_missed' && e.detail.kind === 'first_response',
    );
  };

  // Misses at 15, 30, 45 service minutes (supervisor, manager, manager again); the miss at 60 ends
  // the burst and is reported at once, in service hours.
  await skipTo(h, opened + 65 * MINUTE);
  await eventually(reports, (r) => r.length === 1, 'the report the day the burst ends');

  // The case continues as new while the miss stays open: the new run reports nothing at once.
  await continuedAsNew(h, c, (s) => s.view.deadlines.some((d) => d.kind === 'first_response'), CONTINUE_AT_EVENTS);
  expect((await dailyEntries()).map((e) => e.detail.day)).toEqual([1]);
  expect(await reports()).toHaveLength(1);
  expect(await firstResponseMisses(c)).toHaveLength(3);

  // The next service day's opening: report 2, from the new run.
  const tz = policy.calendar.timeZone;
  const day2 = nextServiceOpening(opened + 12 * HOUR, tz);
  await skipTo(h, day2 + 30 * MINUTE);
  await eventually(reports, (r) => r.length === 2, 'the next day report');
  // And again across a second continue-as-new.
  await continuedAsNew(h, c, (s) => s.view.deadlines.some((d) => d.kind === 'first_response'), CONTINUE_AT_EVENTS);
  await skipTo(h, day2 + DAY + 30 * MINUTE);
  await eventually(reports, (r) => r.length === 3, 'the day after');
  const entries = await dailyEntries();
  expect(entries.map((e) => e.detail.day)).toEqual([1, 2, 3]);
  const expected = [opened + 60 * MINUTE, day2, day2 + DAY];
  entries.forEach((e, i) => expect(Date.parse(e.at) - expected[i]).toBeGreaterThanOrEqual(0));
  entries.forEach((e, i) => expect(Date.parse(e.at) - expected[i]).toBeLessThan(MINUTE));
  expect(await reports()).toHaveLength(3);
}, 240_000);

it('a run that continues as new between the last re-alert and the miss that ends the burst waits for that miss', async () => {
  const c = await openCase(h, { policy: await burstPolicy(), category: 'service', subType: 'rude_agent' });
  const opened = Date.parse(
    (await settle(c, hasDeadline('first_response'), 'the first-response deadline', { quiet: true })).createdAt,
  );
  // Past the re-alert at 45 service minutes, before the miss at 60 that ends the burst.
  await skipTo(h, opened + 50 * MINUTE);
  await continuedAsNew(h, c, (s) => s.view.deadlines.some((d) => d.kind === 'first_response'), CONTINUE_AT_EVENTS);
  const reports = async () =>
    (await staffAlertsTo(h, c.input.complaintId, 'ops_manager')).filter(
      (a) => a.template === 'staff:first_response_still_missed',
    );
  expect(await reports()).toEqual([]);

  await skipTo(h, opened + 65 * MINUTE);
  await eventually(reports, (r) => r.length === 1, 'the report the day the burst ends');
  await quiet(c);
  // The three misses at 30, 45 and 60 service minutes; the day's report with the last, not before it.
  const misses = await firstResponseMisses(c);
  expect(misses.map((e) => Date.parse(e.detail.dueAt as string) - opened)).toEqual([30, 45, 60].map((m) => m * MINUTE));
  const daily = (await timeline(c)).filter(
    (e) => e.action === 'deadline_still_missed' && e.detail.kind === 'first_response',
  );
  expect(daily.map((e) => e.detail.day)).toEqual([1]);
  expect(Date.parse(daily[0].at) - opened).toBeGreaterThanOrEqual(60 * MINUTE);
  expect(Date.parse(daily[0].at) - opened).toBeLessThan(61 * MINUTE);
}, 240_000);
