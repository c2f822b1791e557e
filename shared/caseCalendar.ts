import { DateTime } from 'luxon';
import { computedCalendar, statutoryHolidays } from './festivals';
import type { SlaPolicy } from './policy';

/**
 * The policy a new case carries (docs/domain.md §4.2: the calendar is live data). Where no official schedule is
 * loaded for the year the case opens in or the next (its deadlines can cross New Year), that year's
 * statutory festival days are computed from their rules and added, so a case opened on 29 December
 * does not count 1 January as a working day. Make-up workdays cannot be computed: a computed year
 * has none until operations publish the official schedule, which then reaches running cases too.
 * Outside workflow code: the lunar library stays out of the workflow bundle.
 */
export function policyForNewCase(policy: SlaPolicy, openedMs: number): SlaPolicy {
  const { calendar } = policy;
  const year = DateTime.fromMillis(openedMs, { zone: calendar.timeZone }).year;
  const missing = [year, year + 1].filter((y) => !calendar.coveredYears.includes(y) && computable(y));
  const published = /^\d+$/.test(policy.version) ? { policyVersion: Number(policy.version) } : {};
  if (missing.length === 0) return { ...policy, calendar: { ...calendar, ...published } };
  const computed = computedCalendar(missing);
  const makeUp = new Set(calendar.makeUpWorkdays);
  const holidays = [...new Set([...calendar.holidays, ...computed.holidays.filter((d) => !makeUp.has(d))])].sort();
  return { ...policy, calendar: { ...calendar, ...published, holidays, computedYears: computed.computedYears } };
}

/** The rules in force are those of the 2025 revision; earlier years are never computed. */
function computable(year: number): boolean {
  try {
    statutoryHolidays(year);
    return true;
  } catch {
    return false;
  }
}
