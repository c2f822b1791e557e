import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addServiceTime,
  addWorkingDays,
  calendarCovers,
  firstResponseDue,
  isServiceTime,
  isWorkingDay,
  nextServiceDayStart,
  nextServiceStart,
  sameTimeOnWorkingDay,
  serviceTimeBetween,
} from '../../shared/calendar';
import { DEFAULT_POLICY } from '../../shared/policy';
import { propertyRuns } from '../support/propertyRuns';

const cal = DEFAULT_POLICY.calendar;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** An instant given as Shanghai wall-clock time. */
function at(local: string): number {
  return DateTime.fromISO(local, { zone: 'Asia/Shanghai' }).toMillis();
}

/** An instant shown as Shanghai wall-clock time, to the millisecond. */
function local(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'Asia/Shanghai' }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
}

describe('isServiceTime', () => {
  it.each([
    ['2026-11-20T08:59:59.999', false],
    ['2026-11-20T09:00', true],
    ['2026-11-20T20:59', true],
    ['2026-11-20T20:59:59.999', true],
    ['2026-11-20T21:00', false],
    ['2026-11-20T03:00', false],
  ])('%s is in service: %s', (when, expected) => {
    expect(isServiceTime(at(when), cal)).toBe(expected);
  });

  it('holds on weekends and holidays, since customer service runs every day', () => {
    expect(isServiceTime(at('2026-11-22T12:00'), cal)).toBe(true); // Sunday
    expect(isServiceTime(at('2026-10-01T12:00'), cal)).toBe(true); // National Day
  });

  it("reads the clock in the calendar's time zone", () => {
    // 10:00 in Shanghai is 02:00 UTC, before a UTC calendar opens.
    expect(isServiceTime(at('2026-11-20T10:00'), { ...cal, timeZone: 'UTC' })).toBe(false);
  });
});

describe('nextServiceStart', () => {
  it.each([
    ['2026-11-20T09:00', '2026-11-20T09:00:00.000'],
    ['2026-11-20T14:37:12.345', '2026-11-20T14:37:12.345'],
    ['2026-11-20T20:59', '2026-11-20T20:59:00.000'],
    ['2026-11-20T08:59', '2026-11-20T09:00:00.000'],
    ['2026-11-20T03:00', '2026-11-20T09:00:00.000'],
    ['2026-11-20T21:00', '2026-11-21T09:00:00.000'],
    ['2026-11-20T23:59', '2026-11-21T09:00:00.000'],
    ['2026-11-30T21:00', '2026-12-01T09:00:00.000'],
  ])('from %s is %s', (when, expected) => {
    expect(local(nextServiceStart(at(when), cal))).toBe(expected);
  });
});

describe('nextServiceDayStart', () => {
  // docs/domain.md §5.2: told of a miss during service, a person hears again when service opens the
  // next day; told before it opens, when it opens that day; told after it closes, the next morning.
  it.each([
    ['2026-11-20T10:00', '2026-11-21T09:00:00.000'],
    ['2026-11-20T09:00', '2026-11-21T09:00:00.000'],
    ['2026-11-20T20:59:59.999', '2026-11-21T09:00:00.000'],
    ['2026-11-20T08:59', '2026-11-20T09:00:00.000'],
    ['2026-11-20T00:00', '2026-11-20T09:00:00.000'],
    ['2026-11-20T21:00', '2026-11-21T09:00:00.000'],
    ['2026-11-20T23:30', '2026-11-21T09:00:00.000'],
    ['2026-12-31T12:00', '2027-01-01T09:00:00.000'],
  ])('told at %s: next at %s', (when, expected) => {
    expect(local(nextServiceDayStart(at(when), cal))).toBe(expected);
  });
});

describe('addServiceTime', () => {
  it.each([
    ['2026-11-20T09:00', 15 * MINUTE, '2026-11-20T09:15:00.000'],
    ['2026-11-20T08:59', 15 * MINUTE, '2026-11-20T09:15:00.000'],
    ['2026-11-20T20:59', 15 * MINUTE, '2026-11-21T09:14:00.000'],
    ['2026-11-20T21:00', 15 * MINUTE, '2026-11-21T09:15:00.000'],
    ['2026-11-20T22:00', 15 * MINUTE, '2026-11-21T09:15:00.000'],
  ])('%s + %d ms is %s', (when, duration, expected) => {
    expect(local(addServiceTime(at(when), duration, cal))).toBe(expected);
  });

  it('ends at the close, not the next opening, when the duration uses up the window exactly', () => {
    expect(local(addServiceTime(at('2026-11-20T20:45'), 15 * MINUTE, cal))).toBe('2026-11-20T21:00:00.000');
    expect(local(addServiceTime(at('2026-11-20T09:00'), 12 * HOUR, cal))).toBe('2026-11-20T21:00:00.000');
  });

  it('spreads 25 hours of service time over three days, weekend included', () => {
    // Friday 11 h to the close, Saturday 12 h, Sunday the last 2 h.
    expect(local(addServiceTime(at('2026-11-20T10:00'), 25 * HOUR, cal))).toBe('2026-11-22T11:00:00.000');
    // From the close: Saturday 12 h, Sunday 12 h, Monday 1 h.
    expect(local(addServiceTime(at('2026-11-20T21:00'), 25 * HOUR, cal))).toBe('2026-11-23T10:00:00.000');
  });

  it('counts service time on a holiday', () => {
    expect(local(addServiceTime(at('2026-10-01T20:00'), 2 * HOUR, cal))).toBe('2026-10-02T10:00:00.000');
  });

  it('answers the same instant again for another calendar by that calendar', () => {
    // Remembered answers must not leak between calendars: 20:50 + 15 min is 09:05 the next day
    // in 09:00–21:00 service, 21:05 the same day in 08:00–22:00, in either order and twice.
    const longer = { ...cal, serviceHours: { start: '08:00', end: '22:00' } };
    const utc = { ...cal, timeZone: 'UTC' };
    for (let round = 0; round < 2; round++) {
      expect(local(addServiceTime(at('2026-11-20T20:50'), 15 * MINUTE, cal))).toBe('2026-11-21T09:05:00.000');
      expect(local(addServiceTime(at('2026-11-20T20:50'), 15 * MINUTE, longer))).toBe('2026-11-20T21:05:00.000');
      // 20:50 Shanghai is 12:50 UTC, inside UTC's 09:00–21:00.
      expect(local(addServiceTime(at('2026-11-20T20:50'), 15 * MINUTE, utc))).toBe('2026-11-20T21:05:00.000');
    }
  });

  it('adds nothing for a zero duration, even off hours', () => {
    expect(local(addServiceTime(at('2026-11-20T22:00'), 0, cal))).toBe('2026-11-20T22:00:00.000');
  });

  it('refuses a negative or infinite duration', () => {
    expect(() => addServiceTime(at('2026-11-20T10:00'), -MINUTE, cal)).toThrow(RangeError);
    expect(() => addServiceTime(at('2026-11-20T10:00'), Infinity, cal)).toThrow(RangeError);
  });

  it('refuses service hours that do not start before they end', () => {
    const overnight = { ...cal, serviceHours: { start: '21:00', end: '09:00' } };
    expect(() => addServiceTime(at('2026-11-20T10:00'), MINUTE, overnight)).toThrow(/service hours/);
  });
});

describe('firstResponseDue', () => {
  const due = (opened: string) => {
    const { dueMs, offHours } = firstResponseDue(at(opened), 15 * MINUTE, HOUR, cal);
    return { due: local(dueMs), offHours };
  };

  it.each([
    ['2026-11-20T09:00', '2026-11-20T09:15:00.000'],
    ['2026-11-20T14:00', '2026-11-20T14:15:00.000'],
    ['2026-11-20T20:59', '2026-11-21T09:14:00.000'],
  ])('opened in service hours at %s is due at %s after 15 min of service time', (opened, expected) => {
    expect(due(opened)).toEqual({ due: expected, offHours: false });
  });

  it.each([
    ['2026-11-20T21:00', '2026-11-21T10:00:00.000'],
    ['2026-11-20T23:30', '2026-11-21T10:00:00.000'],
    ['2026-11-20T03:00', '2026-11-20T10:00:00.000'],
    ['2026-11-20T08:59', '2026-11-20T10:00:00.000'],
  ])('opened off hours at %s is due 1 h after service resumes, at %s', (opened, expected) => {
    expect(due(opened)).toEqual({ due: expected, offHours: true });
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-11-20T10:00', true], // Friday
    ['2026-11-21T10:00', false], // Saturday
    ['2026-11-22T10:00', false], // Sunday
    ['2026-10-01T10:00', false], // Thursday, National Day
    ['2026-10-07T10:00', false], // Wednesday, National Day
    ['2026-09-27T10:00', false], // Sunday, holiday
    ['2026-10-10T10:00', true], // Saturday, make-up workday
    ['2026-09-20T10:00', true], // Sunday, make-up workday
  ])('%s: %s', (when, expected) => {
    expect(isWorkingDay(at(when), cal)).toBe(expected);
  });

  it('takes the date in Shanghai, not in UTC', () => {
    // UTC dates: Wednesday 2026-09-30 (working) and 2026-10-07 (holiday).
    expect(isWorkingDay(at('2026-10-01T00:30'), cal)).toBe(false);
    expect(isWorkingDay(at('2026-10-08T07:00'), cal)).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['Monday + 3', '2026-11-16T10:00', 3, '2026-11-19T23:59:59.999'],
    ['Friday night + 3', '2026-11-20T22:00', 3, '2026-11-25T23:59:59.999'],
    ['Friday just before midnight + 1', '2026-11-20T23:59', 1, '2026-11-23T23:59:59.999'],
    ['the eve of National Day + 1', '2026-09-30T10:00', 1, '2026-10-08T23:59:59.999'],
    ['the eve of National Day + 3, make-up Saturday counted', '2026-09-30T10:00', 3, '2026-10-10T23:59:59.999'],
    ['the eve of National Day + 4', '2026-09-30T10:00', 4, '2026-10-12T23:59:59.999'],
    ['a holiday + 1', '2026-10-03T10:00', 1, '2026-10-08T23:59:59.999'],
    ['Thursday before the Sunday holiday + 1', '2026-09-24T10:00', 1, '2026-09-28T23:59:59.999'],
    ['Friday + 1, make-up Sunday counted', '2026-09-18T10:00', 1, '2026-09-20T23:59:59.999'],
    ['Saturday + 0 (the end of that same day)', '2026-11-21T10:00', 0, '2026-11-21T23:59:59.999'],
  ])('%s: from %s + %d is %s', (_case, when, days, expected) => {
    expect(local(addWorkingDays(at(when), days, cal))).toBe(expected);
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => addWorkingDays(at('2026-11-20T10:00'), -1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2026-11-20T10:00'), 1.5, cal)).toThrow(RangeError);
  });

  it('refuses a calendar without working weekdays rather than search forever', () => {
    expect(() => addWorkingDays(at('2026-11-20T10:00'), 1, { ...cal, workingWeekdays: [] })).toThrow(
      /no working weekdays/,
    );
  });
});

describe('sameTimeOnWorkingDay', () => {
  it.each([
    ['Friday + 1 skips the weekend', '2026-11-20T14:30', 1, '2026-11-23T14:30:00.000'],
    ['Monday + 2 keeps seconds and milliseconds', '2026-11-16T09:05:07.123', 2, '2026-11-18T09:05:07.123'],
    ['the eve of National Day + 1 skips the holiday', '2026-09-30T16:00', 1, '2026-10-08T16:00:00.000'],
    ['Friday + 1 lands on the make-up Saturday', '2026-10-09T16:00', 1, '2026-10-10T16:00:00.000'],
    ['an off-hours time is kept as is', '2026-11-20T23:30', 1, '2026-11-23T23:30:00.000'],
  ])('%s: from %s + %d is %s', (_case, when, days, expected) => {
    expect(local(sameTimeOnWorkingDay(at(when), days, cal))).toBe(expected);
  });
});

describe('time zone', () => {
  it('refuses an unknown time zone instead of returning NaN', () => {
    expect(() => nextServiceStart(at('2026-11-20T10:00'), { ...cal, timeZone: 'Mars/Olympus' })).toThrow(
      /Mars\/Olympus/,
    );
  });

  // The calendar remembers each zone's offsets; the wall clock it reads must stay Intl's own,
  // also across offset changes (summer time, Lord Howe's half hour, St John's -3:30).
  const ZONES = [
    'Asia/Shanghai',
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'America/St_Johns',
    'Asia/Kathmandu',
  ];
  /** 2026's offset changes in those zones (UTC), where a remembered offset would first go wrong. */
  const CHANGES = [
    '2026-03-08T07:00Z',
    '2026-11-01T06:00Z',
    '2026-03-29T01:00Z',
    '2026-10-25T01:00Z',
    '2026-04-04T15:00Z',
    '2026-10-03T15:30Z',
    '2026-03-08T05:30Z',
    '2026-11-01T04:30Z',
  ].map(Date.parse);
  const wallClock = (ms: number, timeZone: string) => {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(ms));
    const part = (type: string) => parts.find((p) => p.type === type)!.value;
    return {
      date: `${part('year')}-${part('month')}-${part('day')}`,
      hour: Number(part('hour')),
      time: `${part('hour')}:${part('minute')}:${part('second')}`,
    };
  };
  const instant = fc.oneof(
    fc.integer({ min: Date.parse('1971-01-01'), max: Date.parse('2040-01-01') }),
    fc
      .tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -30 * HOUR, max: 30 * HOUR }))
      .map(([change, d]) => change + d),
  );

  /**
   * The instant service opens on `local`'s date: where the clock goes back and the opening time
   * comes twice, its first reading (a day has one window, whichever instant asks for it).
   */
  const firstReading = (local: DateTime, open: { hour: number; minute: number }) => {
    const asked = local.set({ ...open, second: 0, millisecond: 0 }).toMillis();
    const reads = (ms: number) => {
      const w = wallClock(ms, local.zoneName!);
      return (
        w.date === local.toISODate() &&
        w.time === `${String(open.hour).padStart(2, '0')}:${String(open.minute).padStart(2, '0')}:00`
      );
    };
    const earlier = [HOUR, HOUR / 2].map((d) => asked - d).filter(reads);
    return Math.min(asked, ...earlier);
  };

  it('answers as luxon does asking Intl every time, also where service opens across an offset change', () => {
    // Hours that open around the changes (00:00-03:45 local), so a wrong remembered offset shows;
    // the reference reads the zone by name, which luxon does not remember.
    const opening = fc.integer({ min: 0, max: 15 }).map((q) => ({ hour: Math.floor(q / 4), minute: (q % 4) * 15 }));
    const clock = ({ hour, minute }: { hour: number; minute: number }) =>
      `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), opening, (ms, timeZone, open) => {
        const local = DateTime.fromMillis(ms, { zone: timeZone });
        const opens = firstReading(local, open);
        const closes = local.set({ hour: 21, minute: 0, second: 0, millisecond: 0 }).toMillis();
        expect(isServiceTime(ms, { ...cal, timeZone, serviceHours: { start: clock(open), end: '21:00' } })).toBe(
          opens <= ms && ms < closes,
        );
      }),
      { numRuns: propertyRuns(5_000) },
    );
  });

  it('adds service time that the time between gives back, its last millisecond inside service hours on the wall clock', () => {
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1, max: 120 * HOUR }),
        (ms, timeZone, duration) => {
          const end = addServiceTime(ms, duration, { ...cal, timeZone });
          expect(serviceTimeBetween(ms, end, { ...cal, timeZone })).toBe(duration);
          const last = wallClock(end - 1, timeZone);
          expect(last.hour >= 9 && last.hour < 21).toBe(true);
        },
      ),
      { numRuns: propertyRuns(2_000) },
    );
  });

  it("opens service at 09:00 on the zone's wall clock, the same day before it and the next day after 21:00", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, timeZone) => {
        const opens = nextServiceStart(ms, { ...cal, timeZone });
        const now = wallClock(ms, timeZone);
        if (now.hour >= 9 && now.hour < 21) return expect(opens).toBe(ms);
        const then = wallClock(opens, timeZone);
        expect(then.time).toBe('09:00:00');
        expect(opens).toBeGreaterThan(ms);
        if (now.hour < 9) expect(then.date).toBe(now.date);
        else expect(opens - ms).toBeLessThanOrEqual(13 * HOUR);
      }),
      { numRuns: propertyRuns(3_000) },
    );
  });
});

describe('calendarCovers', () => {
  it.each([
    ['2026-01-01T00:00', true],
    ['2026-12-31T23:59:59.999', true],
    ['2027-01-01T00:00', false],
    ['2025-12-31T23:59', false],
  ])('at %s (Shanghai) is %s with the shipped data (2026)', (time, covered) => {
    expect(calendarCovers(at(time), cal)).toBe(covered);
  });

  it('takes the year in the calendar time zone: 16:30 UTC on 31 December is already next year in Shanghai', () => {
    expect(calendarCovers(Date.parse('2026-12-31T16:30:00Z'), cal)).toBe(false);
    expect(calendarCovers(Date.parse('2026-12-31T15:59:00Z'), cal)).toBe(true);
  });

  it('covers every year the calendar lists', () => {
    expect(calendarCovers(at('2027-06-01T12:00'), { ...cal, coveredYears: [2026, 2027] })).toBe(true);
  });

  it("reads a policy from before coveredYears by its holidays' years", () => {
    const legacy = { ...cal, coveredYears: undefined } as unknown as typeof cal;
    expect(calendarCovers(at('2026-03-01T12:00'), legacy)).toBe(true);
    expect(calendarCovers(at('2027-03-01T12:00'), legacy)).toBe(false);
  });
});
