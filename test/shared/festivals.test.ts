import fc from 'fast-check';
import { DateTime } from 'luxon';
import cn2026 from '../../shared/calendar-data/cn-2026.json';
import { computedCalendar, Festival, statutoryHolidays } from '../../shared/festivals';
import { propertyRuns } from '../support/propertyRuns';

/**
 * The computed statutory days against dates written by hand from published calendars (never from
 * the library under test): lunar New Year, Qingming, Dragon Boat and Mid-Autumn as almanacs and the
 * State Council's notices give them, the rest fixed by the 2024 revision of the holiday rules.
 */

type Day = { date: string; festival: Festival };
const days = (festival: Festival, ...dates: string[]): Day[] => dates.map((date) => ({ date, festival }));

const PUBLISHED: Record<number, Day[]> = {
  // The State Council's 2025 notice: 除夕 28 January (腊月廿九, a short twelfth month), Qingming 4 April,
  // Dragon Boat 31 May, Mid-Autumn 6 October.
  2025: [
    ...days('new_year', '2025-01-01'),
    ...days('spring_festival', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'),
    ...days('qingming', '2025-04-04'),
    ...days('labour_day', '2025-05-01', '2025-05-02'),
    ...days('dragon_boat', '2025-05-31'),
    ...days('national_day', '2025-10-01', '2025-10-02', '2025-10-03'),
    ...days('mid_autumn', '2025-10-06'),
  ],
  // 正月初一 6 February (除夕 is 腊月廿九), Qingming 5 April, Dragon Boat 9 June, Mid-Autumn 15 September.
  2027: [
    ...days('new_year', '2027-01-01'),
    ...days('spring_festival', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'),
    ...days('qingming', '2027-04-05'),
    ...days('labour_day', '2027-05-01', '2027-05-02'),
    ...days('dragon_boat', '2027-06-09'),
    ...days('mid_autumn', '2027-09-15'),
    ...days('national_day', '2027-10-01', '2027-10-02', '2027-10-03'),
  ],
  // 正月初一 26 January, Qingming 4 April, Dragon Boat 28 May (not the leap fifth month's 27 June),
  // Mid-Autumn 3 October: a National Day, so 12 entries.
  2028: [
    ...days('new_year', '2028-01-01'),
    ...days('spring_festival', '2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28'),
    ...days('qingming', '2028-04-04'),
    ...days('labour_day', '2028-05-01', '2028-05-02'),
    ...days('dragon_boat', '2028-05-28'),
    ...days('national_day', '2028-10-01', '2028-10-02', '2028-10-03'),
  ],
  // 正月初一 13 February, Qingming 4 April, Dragon Boat 16 June, Mid-Autumn 22 September.
  2029: [
    ...days('new_year', '2029-01-01'),
    ...days('spring_festival', '2029-02-12', '2029-02-13', '2029-02-14', '2029-02-15'),
    ...days('qingming', '2029-04-04'),
    ...days('labour_day', '2029-05-01', '2029-05-02'),
    ...days('dragon_boat', '2029-06-16'),
    ...days('mid_autumn', '2029-09-22'),
    ...days('national_day', '2029-10-01', '2029-10-02', '2029-10-03'),
  ],
  // 正月初一 3 February (除夕 is 腊月三十), Qingming 5 April, Dragon Boat 5 June, Mid-Autumn 12 September.
  2030: [
    ...days('new_year', '2030-01-01'),
    ...days('spring_festival', '2030-02-02', '2030-02-03', '2030-02-04', '2030-02-05'),
    ...days('qingming', '2030-04-05'),
    ...days('labour_day', '2030-05-01', '2030-05-02'),
    ...days('dragon_boat', '2030-06-05'),
    ...days('mid_autumn', '2030-09-12'),
    ...days('national_day', '2030-10-01', '2030-10-02', '2030-10-03'),
  ],
};

/** Years of 2026–2035 whose Mid-Autumn falls on 1–3 October (2028-10-03, 2031-10-01). */
const MID_AUTUMN_ON_NATIONAL_DAY = [2028, 2031];

const DAYS_PER_FESTIVAL: Record<Festival, number> = {
  new_year: 1,
  spring_festival: 4,
  qingming: 1,
  labour_day: 2,
  dragon_boat: 1,
  mid_autumn: 1,
  national_day: 3,
};

const byDate = (a: Day, b: Day) => (a.date < b.date ? -1 : 1);

function countByFestival(list: Day[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { festival } of list) counts[festival] = (counts[festival] ?? 0) + 1;
  return counts;
}

describe('statutoryHolidays', () => {
  it.each(Object.keys(PUBLISHED).map(Number))('%i: every festival on its published dates', (year) => {
    expect(statutoryHolidays(year)).toEqual([...PUBLISHED[year]].sort(byDate));
  });

  it.each([2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035])(
    '%i: 13 days, less one where two festivals share a date',
    (year) => {
      const shared = MID_AUTUMN_ON_NATIONAL_DAY.includes(year);
      const list = statutoryHolidays(year);
      expect(list).toHaveLength(shared ? 12 : 13);
      expect(countByFestival(list)).toEqual(
        shared ? { ...DAYS_PER_FESTIVAL, mid_autumn: undefined } : DAYS_PER_FESTIVAL,
      );
    },
  );

  it('2026: every festival day lies inside the State Council’s published holiday periods', () => {
    const official = new Set(cn2026.holidays);
    for (const { date } of statutoryHolidays(2026)) expect(official).toContain(date);
  });

  it('2026: every published holiday period holds a festival day (the library and the notice agree)', () => {
    const festivalDates = new Set(statutoryHolidays(2026).map((d) => d.date));
    const periods: string[][] = [];
    for (const date of [...cn2026.holidays].sort()) {
      const last = periods.at(-1);
      const next =
        last &&
        DateTime.fromISO(last[last.length - 1])
          .plus({ days: 1 })
          .toISODate();
      if (last && next === date) last.push(date);
      else periods.push([date]);
    }
    expect(periods).toHaveLength(7);
    for (const period of periods) expect(period.some((date) => festivalDates.has(date))).toBe(true);
  });

  it('any year: sorted, one entry per date, real dates inside the year, every festival present', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2025, max: 9999 }), (year) => {
        const list = statutoryHolidays(year);
        for (let i = 1; i < list.length; i++) expect(list[i - 1].date < list[i].date).toBe(true);
        for (const { date } of list) {
          expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(DateTime.fromISO(date).toISODate()).toBe(date);
          expect(date.startsWith(`${year}-`)).toBe(true);
        }
        const counts = countByFestival(list);
        expect(list.length === 13 || (list.length === 12 && counts.mid_autumn === undefined)).toBe(true);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('gives each caller its own array: changing one does not change the next answer', () => {
    const first = statutoryHolidays(2027);
    first.pop();
    expect(statutoryHolidays(2027)).toHaveLength(13);
  });

  it.each([2024, 2027.5, 10000, Number.NaN])('refuses %p: the 2024 revision has no rules for it', (year) => {
    expect(() => statutoryHolidays(year)).toThrow(RangeError);
  });
});

describe('computedCalendar', () => {
  it('is the sorted union of the years asked for, each year once', () => {
    const { holidays, computedYears } = computedCalendar([2028, 2027, 2028]);
    expect(computedYears).toEqual([2027, 2028]);
    expect(holidays).toEqual([...PUBLISHED[2027], ...PUBLISHED[2028]].map((d) => d.date).sort());
  });

  it('is empty for no years', () => {
    expect(computedCalendar([])).toEqual({ holidays: [], computedYears: [] });
  });
});
