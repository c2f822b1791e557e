import { ActivityFailure, continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import { DateTime } from 'luxon';
import type { CalendarWatchActivities } from '../activities/calendarWatch';
import type { NotificationActivities } from '../activities/notifications';
import { nextServiceStart } from '../shared/calendar';

/**
 * The calendar watch: one long-running workflow (id `calendar-watch`, started by every worker process
 * unless it runs: workers/calendarWatch.ts) that reminds operations once a day, at the start of service,
 * from `remindFromDays` before the official holiday data ends, until next year's schedule is
 * published (docs/domain.md §4.3). Once a day for the platform, never once per case: at thousands of cases a day
 * a per-case alert is a storm. A reminder that cannot be delivered goes to the supervisor instead.
 */

export interface CalendarWatchInput {
  /** Days before the last official day of data when the daily reminder starts. */
  remindFromDays: number;
}

export const CALENDAR_WATCH_ID = 'calendar-watch';

const DAYS_PER_RUN = 60;
const DAY_MS = 86_400_000;

const store = proxyActivities<CalendarWatchActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '1 minute', maximumAttempts: 10 },
});
// A refusing gateway must not stop tomorrow's reminder: few tries, then the fallback recipient.
const alerts = proxyActivities<Pick<NotificationActivities, 'notifyStaff'>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export async function calendarWatchWorkflow(input: CalendarWatchInput): Promise<void> {
  for (let day = 0; day < DAYS_PER_RUN; day++) {
    const active = await readCalendar();
    if (active) await remindIfEnding(active.policyVersion, active.calendar, input.remindFromDays);
    await sleep(untilTomorrowsService(active?.calendar));
  }
  await continueAsNew<typeof calendarWatchWorkflow>(input);
}

type Active = Awaited<ReturnType<CalendarWatchActivities['activeCalendar']>>;

async function readCalendar(): Promise<Active> {
  try {
    return await store.activeCalendar();
  } catch (err) {
    // The store is down for longer than the retries: tomorrow's round reads it again.
    if (err instanceof ActivityFailure) return null;
    throw err;
  }
}

async function remindIfEnding(
  policyVersion: number,
  calendar: NonNullable<Active>['calendar'],
  remindFromDays: number,
): Promise<void> {
  const lastYear = Math.max(...calendar.coveredYears);
  const dataEnds = DateTime.fromObject(
    { year: lastYear + 1, month: 1, day: 1 },
    { zone: calendar.timeZone },
  ).toMillis();
  const daysLeft = Math.ceil((dataEnds - Date.now()) / DAY_MS);
  if (daysLeft > remindFromDays) return;
  const next = lastYear + 1;
  const text =
    daysLeft > 0
      ? `The official holiday schedule ends with ${lastYear} (${daysLeft} day(s) left, policy version ${policyVersion}): publish ${next}'s holidays and make-up workdays (docs/policy.md). Until then ${next}'s festival days are computed and its make-up workdays are unknown.`
      : `No official holiday schedule is loaded for ${next} (policy version ${policyVersion}): festival days are computed and make-up workdays are unknown; publish the schedule (docs/policy.md).`;
  for (const recipient of ['ops_manager', 'supervisor']) {
    try {
      await alerts.notifyStaff({ complaintId: CALENDAR_WATCH_ID, recipient, event: 'calendar_data_ending', text });
      return;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
    }
  }
}

/** From now to the start of service on the next local day (the first working hour people read alerts). */
function untilTomorrowsService(calendar: NonNullable<Active>['calendar'] | undefined): number {
  const now = Date.now();
  if (!calendar) return DAY_MS;
  const tomorrow = DateTime.fromMillis(now, { zone: calendar.timeZone }).plus({ days: 1 }).startOf('day').toMillis();
  return Math.max(60_000, nextServiceStart(tomorrow, calendar) - now);
}
