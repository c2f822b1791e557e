import { LunarDay, SolarDay, SolarTerm } from 'tyme4ts';

/**
 * Mainland China's statutory public-holiday days (法定节假日) for any year, computed from their
 * rules, for years the State Council has not yet published (shared/calendar-data/ holds those it has).
 *
 * The rules are those of 全国年节及纪念日放假办法 as revised by State Council Decree No. 795
 * (10 November 2024, in force from 1 January 2025), 13 days a year:
 * New Year's Day 1 January; Spring Festival 4 days, 除夕 (the day before 正月初一, so 腊月廿九 when
 * the twelfth month is short) and 正月初一 to 初三; Qingming 1 day, the day of the 清明 solar term;
 * Labour Day 1 and 2 May; Dragon Boat 1 day, 五月初五; Mid-Autumn 1 day, 八月十五; National Day
 * 1 to 3 October. Years before 2025 followed other rules and are refused.
 *
 * Not here: make-up working days (调休) and the bridges they pay for. The State Council decides
 * them each year by notice, so no rule computes them; a computed year has its festival days only.
 *
 * Workflow-safe: pure and deterministic (no clock, no host time zone, no I/O); dates are ISO
 * `YYYY-MM-DD` days of the Beijing calendar, which is the calendar the lunar library counts in.
 */

export type Festival =
  'new_year' | 'spring_festival' | 'qingming' | 'labour_day' | 'dragon_boat' | 'mid_autumn' | 'national_day';

type StatutoryDay = { date: string; festival: Festival };

/** The first year of the 2024 revision; the library's calendar ends in 9999. */
const FIRST_YEAR = 2025;
const LAST_YEAR = 9999;

const iso = (day: SolarDay): string =>
  `${day.getYear()}-${String(day.getMonth()).padStart(2, '0')}-${String(day.getDay()).padStart(2, '0')}`;

function compute(year: number): StatutoryDay[] {
  const newYear = LunarDay.fromYmd(year, 1, 1).getSolarDay();
  const lunar: StatutoryDay[] = [
    ...[-1, 0, 1, 2].map((offset) => ({ date: iso(newYear.next(offset)), festival: 'spring_festival' as const })),
    { date: iso(SolarTerm.fromName(year, '清明').getSolarDay()), festival: 'qingming' },
    { date: iso(LunarDay.fromYmd(year, 5, 5).getSolarDay()), festival: 'dragon_boat' },
    { date: iso(LunarDay.fromYmd(year, 8, 15).getSolarDay()), festival: 'mid_autumn' },
  ];
  const fixed: StatutoryDay[] = [
    { date: `${year}-01-01`, festival: 'new_year' },
    { date: `${year}-05-01`, festival: 'labour_day' },
    { date: `${year}-05-02`, festival: 'labour_day' },
    { date: `${year}-10-01`, festival: 'national_day' },
    { date: `${year}-10-02`, festival: 'national_day' },
    { date: `${year}-10-03`, festival: 'national_day' },
  ];
  // One entry per date. The only possible clash is Mid-Autumn inside 1–3 October (2028, 2031):
  // the fixed-date festival keeps the day, as the State Council then announces one merged break.
  const byDate = new Map<string, StatutoryDay>();
  for (const day of [...lunar, ...fixed]) byDate.set(day.date, Object.freeze(day));
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

// Callers ask for the same few years on every case opening; a year's answer never changes.
const memo = new Map<number, readonly StatutoryDay[]>();

/** The statutory holiday days of `year` (2025–9999), sorted by date, one entry per date. */
export function statutoryHolidays(year: number): Array<{ date: string; festival: Festival }> {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(
      `statutory holidays are computed for the years ${FIRST_YEAR}–${LAST_YEAR} (the 2024 revision's rules), not ${year}`,
    );
  }
  let days = memo.get(year);
  if (!days) {
    days = compute(year);
    memo.set(year, days);
  }
  return [...days];
}

/** The union of the statutory holiday days of `years`: sorted, unique dates, and the years computed. */
export function computedCalendar(years: number[]): { holidays: string[]; computedYears: number[] } {
  const computedYears = [...new Set(years)].sort((a, b) => a - b);
  // Ascending years, each year's days sorted and inside it: the concatenation is sorted and unique.
  const holidays = computedYears.flatMap((year) => statutoryHolidays(year).map((day) => day.date));
  return { holidays, computedYears };
}
