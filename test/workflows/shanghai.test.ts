import { policyForNewCase } from '../../shared/caseCalendar';
import { DEFAULT_POLICY, SlaPolicy } from '../../shared/policy';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  answered,
  breachOf,
  deadline,
  endOfWorkingDays,
  localClockMs,
  quiet,
  settle,
  skipTo,
  timeline,
  view,
} from './helpers';

/**
 * The calendar-crossing deadlines in the platform's real zone, Asia/Shanghai, with the calendar data
 * a new case really carries (the published 2026 schedule; for 2027, until its schedule is loaded, the
 * statutory festival days computed from their rules), not the fixed-offset zones policyAt() swaps in.
 *
 * Every expected due time is counted here from the figures of docs/domain.md (investigation: 3 working days,
 * Monday to Friday less the holidays plus the make-up workdays, each day ending at 24:00 local) and
 * the holiday lists written below, with the suite's plain date arithmetic (endOfWorkingDays), never
 * shared/calendar.ts. Each case then runs to its due time: no miss an hour before, a miss after; on
 * the way its progress updates (docs/domain.md §3.1: after 3 days, then every working day) skip the same days.
 *
 * The cases open weeks ahead of the server's start date (the time-skipping server starts at today's
 * date and cannot go back), so their histories are not recorded: see the RECORD_HISTORIES note below.
 */

const SHANGHAI = 'Asia/Shanghai';
const INVESTIGATION_WORKING_DAYS = 3;
const PROGRESS_AFTER = 3 * DAY;

type Calendar = { timeZone: string; holidays: string[]; makeUpWorkdays: string[] };

/**
 * Mainland China's statutory days of 2027 under the holiday rules in force since 2025 (New Year's
 * Day; Spring Festival: the eve of the lunar new year, 6 February 2027, and the first three days),
 * which is all the product may assume of 2027 before the State Council's notice is loaded.
 */
const STATUTORY_2027 = ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'];

/**
 * A 2027 schedule in the State Council's form (holidays with their make-up workdays), written for
 * this test as operations would load it (not the published notice; the repository holds none yet):
 * the Saturday 20 February 2027 is a working day.
 */
const SCHEDULE_2027 = {
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
  ],
  makeUpWorkdays: ['2027-02-20'],
};

/** 10:00 in Shanghai on a local date (UTC+8 all year). */
const tenInShanghai = (date: string) => Date.parse(`${date}T10:00:00+08:00`);
/** The local date in Shanghai of `ms`. */
const shanghaiDate = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);

const YEAR_END_OPENS = tenInShanghai('2026-12-31'); // Thursday
const SPRING_FESTIVAL_OPENS = tenInShanghai('2027-02-03'); // Wednesday
const MAKE_UP_OPENS = tenInShanghai('2027-02-19'); // Friday

// A date already past cannot be staged on a server that starts today: the case is then skipped, not faked.
const stageable = (opensMs: number) => (Date.now() < opensMs - HOUR ? it : it.skip);

// Not recorded into test/histories (`npm run record-histories` runs every workflow suite): these
// cases depend on the day the suite runs, and the replay suite needs none of them.
const recording = process.env.RECORD_HISTORIES;
beforeAll(() => {
  delete process.env.RECORD_HISTORIES;
});
afterAll(() => {
  if (recording !== undefined) process.env.RECORD_HISTORIES = recording;
});

// A harness per test: a time-skipping server's connection that lives minutes is dropped, and a skip in flight with it.
const h = useWorkflowHarness('shanghai', { each: true });

/** The published version 1 of the policy's defaults, as the API gives a case it opens at `openedMs`. */
function publishedPolicy(openedMs: number, calendar: Partial<SlaPolicy['calendar']> = {}): SlaPolicy {
  const policy = SlaPolicy.parse({
    ...DEFAULT_POLICY,
    version: '1',
    calendar: { ...DEFAULT_POLICY.calendar, ...calendar },
  });
  expect(policy.calendar.timeZone).toBe(SHANGHAI);
  return policyForNewCase(policy, openedMs);
}

/**
 * The progress updates a case opened at `openedMs` owes up to `untilMs`: 3 days after opening (10:00
 * local here, in service hours), then at the same clock time on each following working day.
 */
function progressUpdatesDue(openedMs: number, untilMs: number, cal: Calendar): number[] {
  const due: number[] = [];
  for (
    let at = openedMs + PROGRESS_AFTER;
    at <= untilMs;
    at = endOfWorkingDays(at, 1, cal) + 1 - DAY + localClockMs(at, cal.timeZone)
  )
    due.push(at);
  return due;
}

/**
 * Opens an answered case at `opensMs` with `policy`, checks its investigation is due at `expectedDue`,
 * then runs it there: nothing missed an hour before, the miss recorded at that time after it. The
 * progress updates sent meanwhile went out on the days `cal` (the test's list) makes working days.
 */
async function investigationRunsTo(
  opensMs: number,
  policy: SlaPolicy,
  expectedDue: number,
  cal: Calendar,
): Promise<number[]> {
  await skipTo(h, opensMs);
  const c = await answered(h, { policy, category: 'service', subType: 'rude_agent' });
  const v = await view(c);
  const opened = Date.parse(v.createdAt);
  expect(opened).toBeGreaterThanOrEqual(opensMs);
  expect(opened).toBeLessThan(opensMs + HOUR);
  expect(v.investigation.dueAt).toBe(new Date(expectedDue).toISOString());
  expect(deadline(v, 'investigation')?.dueAt).toBe(new Date(expectedDue).toISOString());

  await skipTo(h, expectedDue - HOUR);
  await quiet(c);
  expect(breachOf(await view(c), 'investigation')).toEqual([]);
  await skipTo(h, expectedDue + HOUR);
  const missed = await settle(c, (x) => breachOf(x, 'investigation').length === 1, 'the investigation missed');
  expect(breachOf(missed, 'investigation')[0].dueAt).toBe(new Date(expectedDue).toISOString());

  await quiet(c);
  const sent = (await timeline(c))
    .filter((e) => e.action === 'customer_message_sent' && e.detail.template === 'progress_update')
    .map((e) => Date.parse(e.at));
  const expected = progressUpdatesDue(opened, expectedDue + HOUR, cal);
  // Each to the minute (its timer fires on the millisecond; the send is stamped when the workflow runs).
  expect(sent.map((at) => Math.floor(at / MINUTE))).toEqual(expected.map((at) => Math.floor(at / MINUTE)));
  return sent;
}

stageable(YEAR_END_OPENS)(
  "across the year end: opened on 31 December, New Year's Day and the weekend are not working days",
  async () => {
    const policy = publishedPolicy(YEAR_END_OPENS);
    // Fri 1 Jan 2027 (New Year's Day), Sat 2, Sun 3; Mon 4 (1), Tue 5 (2), Wed 6 (3), to 24:00 in Shanghai.
    const cal = { timeZone: SHANGHAI, holidays: STATUTORY_2027, makeUpWorkdays: [] };
    const due = endOfWorkingDays(YEAR_END_OPENS, INVESTIGATION_WORKING_DAYS, cal);
    expect(new Date(due).toISOString()).toBe('2027-01-06T15:59:59.999Z');
    const updates = await investigationRunsTo(YEAR_END_OPENS, policy, due, cal);
    // Sun 3 Jan (3 days after opening), then Mon 4, Tue 5, Wed 6, each at 10:00.
    expect(updates.map(shanghaiDate)).toEqual(['2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06']);
  },
  300_000,
);

stageable(SPRING_FESTIVAL_OPENS)(
  'across Spring Festival: the statutory days of 2027 hold the investigation',
  async () => {
    const policy = publishedPolicy(SPRING_FESTIVAL_OPENS);
    // Thu 4 Feb (1); Fri 5 (the eve), Sat 6 to Mon 8 (the new year's first three days); Tue 9 (2), Wed 10 (3).
    const cal = { timeZone: SHANGHAI, holidays: STATUTORY_2027, makeUpWorkdays: [] };
    const due = endOfWorkingDays(SPRING_FESTIVAL_OPENS, INVESTIGATION_WORKING_DAYS, cal);
    expect(new Date(due).toISOString()).toBe('2027-02-10T15:59:59.999Z');
    const updates = await investigationRunsTo(SPRING_FESTIVAL_OPENS, policy, due, cal);
    // Sat 6 Feb (3 days after opening), then not Mon 8 (a festival day): Tue 9, Wed 10.
    expect(updates.map(shanghaiDate)).toEqual(['2027-02-06', '2027-02-09', '2027-02-10']);
  },
  300_000,
);

stageable(MAKE_UP_OPENS)(
  'across a make-up Saturday: with the 2027 schedule loaded, Saturday 20 February is a working day',
  async () => {
    const base = DEFAULT_POLICY.calendar;
    const policy = publishedPolicy(MAKE_UP_OPENS, {
      holidays: [...base.holidays, ...SCHEDULE_2027.holidays],
      makeUpWorkdays: [...base.makeUpWorkdays, ...SCHEDULE_2027.makeUpWorkdays],
      coveredYears: [...base.coveredYears, 2027],
    });
    // Sat 20 Feb, a make-up workday (1); Sun 21; Mon 22 (2), Tue 23 (3). Without it: Wed 24.
    const cal = { timeZone: SHANGHAI, ...SCHEDULE_2027 };
    const due = endOfWorkingDays(MAKE_UP_OPENS, INVESTIGATION_WORKING_DAYS, cal);
    expect(new Date(due).toISOString()).toBe('2027-02-23T15:59:59.999Z');
    const updates = await investigationRunsTo(MAKE_UP_OPENS, policy, due, cal);
    // Mon 22 Feb (3 days after opening), Tue 23.
    expect(updates.map(shanghaiDate)).toEqual(['2027-02-22', '2027-02-23']);
  },
  300_000,
);
