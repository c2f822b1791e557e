import type { OfficialSchedule, SlaPolicy } from './policyContract.js';

/**
 * Next year's official schedule as people have it to hand: dates typed or pasted from the State
 * Council's notice (one per line, or separated by spaces, commas or 、; a run as 2027-02-06~2027-02-13),
 * or the JSON of a shared/calendar-data file. Pure functions, so the page and its checks agree.
 */

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
/** Range separators people write: 2027-02-06~2027-02-13, ..., 至, or an en dash. */
const RANGE = /^(.+?)\s*(?:~|～|\.\.|至|–|—)\s*(.+)$/;
const MAX_RANGE_DAYS = 31;

export interface ParsedDates {
  dates: string[];
  /** Tokens that are not a date of the year, as typed, for the message beside the field. */
  bad: string[];
  outsideYear: string[];
}

/** YYYY-MM-DD of a real day (2027-02-30 is not one), zero-padded; null otherwise. */
export function normalDate(text: string): string | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The day after a YYYY-MM-DD (calendar arithmetic in UTC, where no day is ever 23 hours long). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** A year's schedule may reach back into late December of the year before (the API allows that too). */
export const belongsTo = (date: string, year: number) =>
  date.startsWith(`${year}-`) || date.startsWith(`${year - 1}-12-`);

export function parseDates(text: string, year: number): ParsedDates {
  const out: ParsedDates = { dates: [], bad: [], outsideYear: [] };
  // A range may be written with spaces round its separator: join those before splitting on spaces.
  const tokens = text
    .replace(/\s*(~|～|\.\.|至|–|—)\s*/g, '$1')
    .split(/[\s,，、;；]+/)
    .filter(Boolean);
  for (const token of tokens) {
    const range = RANGE.exec(token);
    const first = normalDate(range ? range[1] : token);
    const last = range ? normalDate(range[2]) : first;
    if (!first || !last || last < first) {
      out.bad.push(token);
      continue;
    }
    const run: string[] = [];
    for (let d = first; d <= last && run.length <= MAX_RANGE_DAYS; d = nextDay(d)) run.push(d);
    if (run.length > MAX_RANGE_DAYS) {
      out.bad.push(token);
      continue;
    }
    for (const d of run) (belongsTo(d, year) ? out.dates : out.outsideYear).push(d);
  }
  out.dates = [...new Set(out.dates)].sort();
  return out;
}

/**
 * A shared/calendar-data file's JSON: `{year, source, holidays: [...], makeUpWorkdays: [...]}`.
 * Throws with what is wrong; the dates themselves are checked by parseDates like typed ones.
 */
export function parseScheduleJson(text: string): OfficialSchedule {
  const parsed = JSON.parse(text) as unknown;
  const strings = (v: unknown, name: string): string[] => {
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string'))
      throw new Error(`${name}: a list of dates`);
    return v;
  };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('an object');
  const raw = parsed as Record<string, unknown>;
  if (typeof raw.year !== 'number' || !Number.isInteger(raw.year)) throw new Error('year: a whole number');
  return {
    year: raw.year,
    source: typeof raw.source === 'string' ? raw.source : '',
    holidays: strings(raw.holidays ?? [], 'holidays'),
    makeUpWorkdays: strings(raw.makeUpWorkdays ?? [], 'makeUpWorkdays'),
  };
}

/**
 * The draft: the active policy with the year's official dates in place of whatever it held for that
 * year (computed festival days, or an earlier schedule being corrected), and the year covered.
 * Every other field goes back as it came, so the draft's diff shows the calendar alone.
 */
export function draftWithSchedule(active: SlaPolicy, s: OfficialSchedule): Record<string, unknown> {
  const otherYears = (dates: string[]) => dates.filter((d) => !d.startsWith(`${s.year}-`));
  // The version id is the API's to give.
  const rest: Record<string, unknown> = { ...active };
  delete rest.version;
  const cal = active.calendar;
  const computed = cal.computedYears?.filter((y) => y !== s.year);
  return {
    ...rest,
    calendar: {
      ...cal,
      holidays: [...new Set([...otherYears(cal.holidays), ...s.holidays])].sort(),
      makeUpWorkdays: [...new Set([...otherYears(cal.makeUpWorkdays), ...s.makeUpWorkdays])].sort(),
      coveredYears: [...new Set([...cal.coveredYears, s.year])].sort((a, b) => a - b),
      ...(computed && { computedYears: computed }),
    },
  };
}
