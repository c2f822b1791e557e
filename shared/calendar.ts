import { DateTime, Duration } from 'luxon';
import type { CalendarPolicy } from './policy';

/**
 * Service-time and working-day arithmetic for SLA deadlines. Pure and deterministic (workflow
 * code imports it): every instant is epoch milliseconds, and every "day" or "clock time" is
 * read in the policy's time zone, never in the host's.
 */

/** The instant `ms` on the local wall clock of the policy's time zone. */
function localTime(ms: number, cal: CalendarPolicy): DateTime<true> {
  const local = DateTime.fromMillis(ms, { zone: cal.timeZone });
  // An unknown zone would silently turn every deadline into NaN; fail where the cause is visible.
  if (!local.isValid)
    throw new RangeError(`calendar time zone ${cal.timeZone}: ${local.invalidExplanation ?? local.invalidReason}`);
  return local;
}

/** `HH:MM` of the given local day. */
function atClock(day: DateTime<true>, clock: string): DateTime<true> {
  const [hour, minute] = clock.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** Today's service window [start, end) for the local day containing `day`. */
function serviceWindow(day: DateTime<true>, cal: CalendarPolicy): { start: number; end: number } {
  const { start, end } = cal.serviceHours;
  // An overnight or empty window would make addServiceTime loop forever; HH:MM strings compare in clock order.
  if (start >= end) throw new RangeError(`service hours must start before they end, got ${start}-${end}`);
  return { start: atClock(day, start).toMillis(), end: atClock(day, end).toMillis() };
}

/** Customer service runs every calendar day, holidays included: only the clock time matters. */
export function isServiceTime(ms: number, cal: CalendarPolicy): boolean {
  const { start, end } = serviceWindow(localTime(ms, cal), cal);
  return start <= ms && ms < end;
}

/** `ms` when service is open, else the instant it next opens. */
export function nextServiceStart(ms: number, cal: CalendarPolicy): number {
  const local = localTime(ms, cal);
  const today = serviceWindow(local, cal);
  if (ms < today.start) return today.start;
  if (ms < today.end) return ms;
  return serviceWindow(local.plus({ days: 1 }), cal).start;
}

/**
 * The earliest instant by which `durationMs` of service time has elapsed since `ms`: a duration
 * that uses up a window exactly ends at its close (20:45 + 15 min = 21:00), not at the next opening.
 */
export function addServiceTime(ms: number, durationMs: number, cal: CalendarPolicy): number {
  // A negative duration has no meaning here, and an infinite one would never finish the loop.
  if (!Number.isFinite(durationMs) || durationMs < 0)
    throw new RangeError(`service time to add must be non-negative, got ${durationMs}`);
  let cursor = ms;
  let remaining = durationMs;
  while (remaining > 0) {
    cursor = nextServiceStart(cursor, cal);
    const step = Math.min(remaining, serviceWindow(localTime(cursor, cal), cal).end - cursor);
    cursor += step;
    remaining -= step;
  }
  return cursor;
}

/** The service time between two instants (zero when `toMs` is not after `fromMs`). */
export function serviceTimeBetween(fromMs: number, toMs: number, cal: CalendarPolicy): number {
  let total = 0;
  let cursor = nextServiceStart(fromMs, cal);
  while (cursor < toMs) {
    const end = Math.min(toMs, serviceWindow(localTime(cursor, cal), cal).end);
    total += end - cursor;
    cursor = nextServiceStart(end, cal);
  }
  return total;
}

/**
 * Spec §3: inside service hours the first response is due after `firstResponseMs` of service
 * time; outside, it is due `offHoursMs` after service resumes, and the case is flagged off-hours.
 */
export function firstResponseDue(
  openedMs: number,
  firstResponseMs: number,
  offHoursMs: number,
  cal: CalendarPolicy,
): { dueMs: number; offHours: boolean } {
  if (isServiceTime(openedMs, cal)) return { dueMs: addServiceTime(openedMs, firstResponseMs, cal), offHours: false };
  return { dueMs: nextServiceStart(openedMs, cal) + offHoursMs, offHours: true };
}

function isWorkingDate(day: DateTime<true>, cal: CalendarPolicy): boolean {
  const date = day.toISODate();
  // A make-up workday (调休) is worked although it falls on a weekend.
  if (cal.makeUpWorkdays.includes(date)) return true;
  return cal.workingWeekdays.includes(day.weekday) && !cal.holidays.includes(date);
}

/** Whether the local date of `ms` is a working day (back-office work, unlike service hours). */
export function isWorkingDay(ms: number, cal: CalendarPolicy): boolean {
  return isWorkingDate(localTime(ms, cal), cal);
}

/** The same local clock time as `ms`, on the `days`-th working day after its local date. */
function nthWorkingDayAfter(ms: number, days: number, cal: CalendarPolicy): DateTime<true> {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`working days must be a non-negative integer, got ${days}`);
  // Holidays and make-up days are finite lists, so only working weekdays guarantee the search ends.
  if (days > 0 && cal.workingWeekdays.length === 0) throw new RangeError('calendar has no working weekdays');
  let day = localTime(ms, cal);
  for (let counted = 0; counted < days;) {
    day = day.plus({ days: 1 });
    if (isWorkingDate(day, cal)) counted += 1;
  }
  return day;
}

/** The last millisecond (23:59:59.999 local) of the `days`-th working day after the local date of `ms`. */
export function addWorkingDays(ms: number, days: number, cal: CalendarPolicy): number {
  return nthWorkingDayAfter(ms, days, cal).endOf('day').toMillis();
}

/** The local clock time of `ms` on the `days`-th working day after its local date. */
export function sameTimeOnWorkingDay(ms: number, days: number, cal: CalendarPolicy): number {
  return nthWorkingDayAfter(ms, days, cal).toMillis();
}

/** Milliseconds in an ISO-8601 duration the policy has already validated. */
export function durationMs(iso: string): number {
  return Duration.fromISO(iso).toMillis();
}

/**
 * Whether the calendar knows the holidays and make-up days of the local year of `ms`. Past its data
 * working days are counted as plain weekdays, so a deadline there may land on a holiday: the
 * workflow tells ops. Policies resolved before `coveredYears` existed lack it; their holidays' years stand in.
 */
export function calendarCovers(ms: number, cal: CalendarPolicy): boolean {
  const covered: readonly number[] | undefined = cal.coveredYears;
  const years = covered ?? cal.holidays.map((date) => Number(date.slice(0, 4)));
  return years.includes(localTime(ms, cal).year);
}
