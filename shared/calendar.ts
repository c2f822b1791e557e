import { DateTime, Duration, IANAZone, Info, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import type { CalendarPolicy } from './policy';

/**
 * Service-time and working-day arithmetic for SLA deadlines. Pure and deterministic (workflow
 * code imports it): every instant is epoch milliseconds, and every "day" or "clock time" is
 * read in the policy's time zone, never in the host's.
 */

const QUARTER_HOUR_MS = 15 * 60_000;
/** Enough quarter hours for years of deadlines; past it the memory starts over rather than grow. */
const REMEMBERED_QUARTERS = 50_000;

/**
 * An IANA zone that remembers its UTC offset per quarter hour. luxon asks Intl for the offset on
 * every conversion (`formatToParts`), several times per local clock time it sets, and that was
 * 5–8 % of a workflow thread's CPU in the simulation's profile and most of the API's time to show
 * a deadline's share used. A quarter hour is remembered only when its first and last millisecond
 * agree, so one that holds an offset change is always asked afresh: the answers are Intl's own.
 */
class RememberedZone extends Zone {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly zone: IANAZone<true>) {
    super();
  }

  override get type(): string {
    return this.zone.type;
  }
  override get name(): string {
    return this.zone.name;
  }
  override get isUniversal(): boolean {
    return this.zone.isUniversal;
  }
  override get isValid(): boolean {
    return this.zone.isValid;
  }
  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.zone.offsetName(ts, options);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.zone.formatOffset(ts, format);
  }
  override equals(other: Zone): boolean {
    return this.zone.equals(other);
  }

  override offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_HOUR_MS);
    const known = this.offsets.get(quarter);
    if (known !== undefined) return known;
    const first = this.zone.offset(quarter * QUARTER_HOUR_MS);
    const last = this.zone.offset((quarter + 1) * QUARTER_HOUR_MS - 1);
    if (first !== last || Number.isNaN(first)) return this.zone.offset(ts);
    if (this.offsets.size >= REMEMBERED_QUARTERS) this.offsets.clear();
    this.offsets.set(quarter, first);
    return first;
  }
}

const zones = new Map<string, Zone>();

/**
 * The zone luxon reads the name as, remembering when it is an IANA zone (a fixed offset such as
 * `UTC+8` needs no memory; an unknown name stays luxon's invalid zone, so the error below names it).
 */
function zoneNamed(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    const read: Zone = Info.normalizeZone(name);
    zone = read instanceof IANAZone && read.isValid ? new RememberedZone(read as IANAZone<true>) : read;
    zones.set(name, zone);
  }
  return zone;
}

/** The instant `ms` on the local wall clock of the policy's time zone. */
function localTime(ms: number, cal: CalendarPolicy): DateTime<true> {
  return valid(DateTime.fromMillis(ms, { zone: zoneNamed(cal.timeZone) }), cal);
}

/** An unknown zone would silently turn every deadline into NaN; fail where the cause is visible. */
function valid(local: DateTime<true> | DateTime<false>, cal: CalendarPolicy): DateTime<true> {
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

const DAY_MS = 86_400_000;
/** Enough local days for years of deadlines in a few calendars; past it the memory starts over rather than grow. */
const REMEMBERED_DAYS = 20_000;
const serviceWindows = new Map<string, { start: number; end: number }>();

/**
 * The service window of the local day that holds `ms`, or of the day `daysAfter` later. A day's
 * window depends on nothing but the zone, the service hours and the date, so each is worked out
 * with luxon once and remembered: the deadline waits read due times and window shares in their
 * conditions on every activation, and building a luxon date per window walked was most of that.
 * The local date is the instant plus the zone's offset at it, as luxon reads it.
 */
function serviceWindowAt(ms: number, cal: CalendarPolicy, daysAfter = 0): { start: number; end: number } {
  // An unknown zone's offset is NaN: no window is remembered under that day, and building it fails below.
  const day = Math.floor((ms + zoneNamed(cal.timeZone).offset(ms) * 60_000) / DAY_MS) + daysAfter;
  const key = `${cal.timeZone} ${cal.serviceHours.start}-${cal.serviceHours.end} ${day}`;
  let window = serviceWindows.get(key);
  if (!window) {
    // From the date, not from an instant: the window of a day whose clock repeats an hour must not depend on who asks first.
    const date = DateTime.fromMillis(day * DAY_MS, { zone: 'UTC' });
    window = serviceWindow(
      valid(
        DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone: zoneNamed(cal.timeZone) }),
        cal,
      ),
      cal,
    );
    if (serviceWindows.size >= REMEMBERED_DAYS) serviceWindows.clear();
    serviceWindows.set(key, window);
  }
  return window;
}

/** Customer service runs every calendar day, holidays included: only the clock time matters. */
export function isServiceTime(ms: number, cal: CalendarPolicy): boolean {
  const { start, end } = serviceWindowAt(ms, cal);
  return start <= ms && ms < end;
}

/** `ms` when service is open, else the instant it next opens. */
export function nextServiceStart(ms: number, cal: CalendarPolicy): number {
  const today = serviceWindowAt(ms, cal);
  if (ms < today.start) return today.start;
  if (ms < today.end) return ms;
  return serviceWindowAt(ms, cal, 1).start;
}

/**
 * When a person told at `ms` of a miss still open hears of it again: the start of service on the
 * next day, or today's when `ms` falls before service opens (docs/domain.md §5.2).
 */
export function nextServiceDayStart(ms: number, cal: CalendarPolicy): number {
  if (!isServiceTime(ms, cal)) return nextServiceStart(ms, cal);
  const tomorrow = DateTime.fromMillis(ms, { zone: cal.timeZone }).plus({ days: 1 }).startOf('day').toMillis();
  return nextServiceStart(tomorrow, cal);
}

/** Enough deadlines for every case a worker holds; past it the memory starts over rather than grow. */
const REMEMBERED_DEADLINES = 20_000;
const serviceTimeEnds = new Map<string, number>();

/**
 * The earliest instant by which `durationMs` of service time has elapsed since `ms`: a duration
 * that uses up a window exactly ends at its close (20:45 + 15 min = 21:00), not at the next opening.
 * Remembered: a deadline's due time is read in its wait's condition on every activation of the
 * case, and walking the service windows with luxon was 57 % of the workflow thread in the storm's
 * profile. The answer depends only on the arguments, so a remembered one is the computed one.
 */
export function addServiceTime(ms: number, durationMs: number, cal: CalendarPolicy): number {
  // A negative duration has no meaning here, and an infinite one would never finish the loop.
  if (!Number.isFinite(durationMs) || durationMs < 0)
    throw new RangeError(`service time to add must be non-negative, got ${durationMs}`);
  const key = `${cal.timeZone} ${cal.serviceHours.start}-${cal.serviceHours.end} ${ms} ${durationMs}`;
  const known = serviceTimeEnds.get(key);
  if (known !== undefined) return known;
  const end = walkServiceTime(ms, durationMs, cal);
  if (serviceTimeEnds.size >= REMEMBERED_DEADLINES) serviceTimeEnds.clear();
  serviceTimeEnds.set(key, end);
  return end;
}

function walkServiceTime(ms: number, durationMs: number, cal: CalendarPolicy): number {
  let cursor = ms;
  let remaining = durationMs;
  while (remaining > 0) {
    cursor = nextServiceStart(cursor, cal);
    const step = Math.min(remaining, serviceWindowAt(cursor, cal).end - cursor);
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
    const end = Math.min(toMs, serviceWindowAt(cursor, cal).end);
    total += end - cursor;
    cursor = nextServiceStart(end, cal);
  }
  return total;
}

/**
 * docs/domain.md §3: inside service hours the first response is due after `firstResponseMs` of service
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
 * Years whose festival days were computed (`computedYears`) count as known.
 */
export function calendarCovers(ms: number, cal: CalendarPolicy): boolean {
  const covered: readonly number[] | undefined = cal.coveredYears;
  const years = covered ?? cal.holidays.map((date) => Number(date.slice(0, 4)));
  // A computed year knows its festival days, not its make-up days: operations hear of that once a day, not per case.
  const year = localTime(ms, cal).year;
  return years.includes(year) || (cal.computedYears ?? []).includes(year);
}
