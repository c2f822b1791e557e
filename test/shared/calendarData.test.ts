import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { CALENDAR_YEARS } from '../../shared/calendar-data';
import { CalendarYear, DEFAULT_POLICY } from '../../shared/policy';

/** The holiday data of shared/calendar-data/: one well-formed file per year, every file in use. */

const dir = path.join(__dirname, '../../shared/calendar-data');
const years = CALENDAR_YEARS.map((data) => CalendarYear.parse(data));

describe('calendar data', () => {
  it('lists every file of the folder, each named after its year', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(years.map((y) => `cn-${y.year}.json`).sort()).toEqual(files);
  });

  it.each(years.map((y) => [y.year, y] as const))(
    '%i: real dates, each once, none both a holiday and a workday',
    (_year, y) => {
      const all = [...y.holidays, ...y.makeUpWorkdays];
      for (const date of all) expect(DateTime.fromISO(date).isValid).toBe(true);
      expect(new Set(all).size).toBe(all.length);
    },
  );

  it.each(years.map((y) => [y.year, y] as const))(
    '%i: make-up workdays fall on weekends, and dates in or next to the year',
    (year, y) => {
      for (const date of y.makeUpWorkdays) expect(DateTime.fromISO(date).weekday).toBeGreaterThanOrEqual(6);
      // A New Year bridge may begin in late December of the year before.
      for (const date of [...y.holidays, ...y.makeUpWorkdays])
        expect([year - 1, year]).toContain(DateTime.fromISO(date).year);
    },
  );

  it('is what the default policy counts with', () => {
    expect(DEFAULT_POLICY.calendar.coveredYears).toEqual(years.map((y) => y.year));
    expect(DEFAULT_POLICY.calendar.holidays).toEqual(years.flatMap((y) => y.holidays));
    expect(DEFAULT_POLICY.calendar.makeUpWorkdays).toEqual(years.flatMap((y) => y.makeUpWorkdays));
  });
});
