import { calendarUpdatedSignal } from '../../shared/messages';
import { policyForNewCase } from '../../shared/caseCalendar';
import { DEFAULT_POLICY, SlaPolicy } from '../../shared/policy';
import { useWorkflowHarness } from '../support/workflowHarness';
import { answered, breachOf, quiet, settle, skipTo, timeline, view } from './helpers';

/**
 * The calendar as live data (docs/domain.md §4.2), in the real zone, Asia/Shanghai (UTC+8 all year, so a local
 * day ends at 15:59:59.999Z). Every expected due time is counted here by hand from the
 * figures of docs/domain.md (investigation: 3 working days, Monday to Friday less holidays plus make-up workdays) and
 * the calendars below; none comes from shared/calendar.ts.
 */

// A time-skipping server starts at today's date and cannot go back: past these dates the suite cannot stage them.
const NEW_YEAR_CASE_OPENS = Date.parse('2026-12-29T02:00:00Z'); // Tuesday 10:00 in Shanghai
const MAKE_UP_CASE_OPENS = Date.parse('2027-02-17T02:00:00Z'); // Wednesday 10:00 in Shanghai
const stageable = Date.now() < NEW_YEAR_CASE_OPENS;
const itWhileStageable = stageable ? it : it.skip;

/** A schedule written for this test in the State Council's form (not the published 2027 notice). */
const OFFICIAL_2027 = {
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-02-12',
  ],
  makeUpWorkdays: ['2027-02-20'],
};

// A harness per test: a time-skipping server's connection that lives minutes is dropped, and a skip in flight with it.
const h = useWorkflowHarness('calendar', { each: true });

/** The published version 1 of the policy's defaults, in Shanghai, as the API gives a new case at `openedMs`. */
function publishedPolicy(openedMs: number): SlaPolicy {
  return policyForNewCase(SlaPolicy.parse({ ...DEFAULT_POLICY, version: '1' }), openedMs);
}

itWhileStageable("a case opened on 29 December with no 2027 schedule loaded skips New Year's Day", async () => {
  await skipTo(h, NEW_YEAR_CASE_OPENS);
  const c = await answered(h, { policy: publishedPolicy(NEW_YEAR_CASE_OPENS) });
  // Wed 30 Dec (1), Thu 31 Dec (2), Fri 1 Jan a festival day, the weekend, Mon 4 Jan (3).
  expect((await view(c)).investigation.dueAt).toBe('2027-01-04T15:59:59.999Z');
});

itWhileStageable(
  'a running case takes the official 2027 schedule: its make-up Saturday brings the investigation forward',
  async () => {
    await skipTo(h, MAKE_UP_CASE_OPENS);
    const c = await answered(h, { policy: publishedPolicy(MAKE_UP_CASE_OPENS) });
    // Computed 2027 only (no make-up days): Thu 18 (1), Fri 19 (2), the weekend, Mon 22 (3).
    expect((await view(c)).investigation.dueAt).toBe('2027-02-22T15:59:59.999Z');

    // The version the case opened with, sent again (a rollout retried): nothing changes.
    await c.handle.signal(calendarUpdatedSignal, {
      policyVersion: 1,
      calendar: { ...OFFICIAL_2027, coveredYears: [2026, 2027] },
    });
    await quiet(c);
    expect((await view(c)).investigation.dueAt).toBe('2027-02-22T15:59:59.999Z');
    expect((await timeline(c)).some((e) => e.action === 'calendar_updated')).toBe(false);

    const calendar = {
      holidays: [...DEFAULT_POLICY.calendar.holidays, ...OFFICIAL_2027.holidays],
      makeUpWorkdays: [...DEFAULT_POLICY.calendar.makeUpWorkdays, ...OFFICIAL_2027.makeUpWorkdays],
      coveredYears: [2026, 2027],
    };
    await c.handle.signal(calendarUpdatedSignal, { policyVersion: 2, calendar });
    // Thu 18 (1), Fri 19 (2), Sat 20 a make-up workday (3).
    await settle(
      c,
      (v) => v.investigation.dueAt === '2027-02-20T15:59:59.999Z',
      'the investigation due on the make-up Saturday',
    );
    const entry = (await timeline(c)).find((e) => e.action === 'calendar_updated');
    expect(entry?.detail).toMatchObject({
      toPolicyVersion: 2,
      investigationDueAt: { from: '2027-02-22T15:59:59.999Z', to: '2027-02-20T15:59:59.999Z' },
    });

    // The wait re-armed on the new due time: the miss comes at the end of the Saturday, not of the Monday.
    await skipTo(h, Date.parse('2027-02-20T16:30:00Z'));
    const v = await settle(c, (x) => breachOf(x, 'investigation').length === 1, 'the investigation missed');
    expect(breachOf(v, 'investigation')[0].dueAt).toBe('2027-02-20T15:59:59.999Z');
  },
  240_000,
);
