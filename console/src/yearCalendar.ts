import { h } from './dom.js';
import { hasText, lang, t } from './i18n.js';
import type { CalendarDay, YearCalendar } from './policyContract.js';
import { nextDay } from './schedule.js';

/**
 * A year as twelve month grids (weeks from Monday, as Chinese calendars print them): holidays
 * marked 休 and make-up working days 班, official days filled, computed ones dashed, so the marks
 * read without colour. Below it, the same days as text: each holiday run and each make-up day.
 */

/** ISO weekday, 1 = Monday … 7 = Sunday, of a YYYY-MM-DD. */
const weekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const pad = (n: number) => String(n).padStart(2, '0');

export function dayLabel(day: CalendarDay | undefined, working: boolean): string {
  if (day) return t(`calendar.${day.kind}.${day.source}`);
  return working ? t('calendar.workday') : t('calendar.weekend');
}

function monthGrid(
  year: number,
  month: number,
  days: Map<string, CalendarDay>,
  workingWeekdays: Set<number>,
): HTMLElement {
  const first = `${year}-${pad(month)}-01`;
  const cells: Array<HTMLElement> = [];
  for (let i = 1; i < weekday(first); i++) cells.push(h('td', { class: 'pad' }));
  for (let d = first; d.slice(0, 7) === first.slice(0, 7); d = nextDay(d)) {
    const day = days.get(d);
    const working = workingWeekdays.has(weekday(d));
    const label = `${d} ${t(`weekday.${weekday(d)}`)} · ${dayLabel(day, working)}${day?.festival ? ` · ${festivalName(day.festival)}` : ''}`;
    cells.push(
      h(
        'td',
        {
          class: ['day', day ? `${day.kind} ${day.source}` : working ? '' : 'weekend'].join(' ').trim(),
          'data-date': d,
          title: label,
          'aria-label': label,
        },
        h('span', { class: 'num' }, String(Number(d.slice(8)))),
        day
          ? h(
              'span',
              { class: 'mark', 'aria-hidden': 'true' },
              day.kind === 'holiday' ? t('calendar.markHoliday') : t('calendar.markWork'),
            )
          : null,
      ),
    );
  }
  const rows: HTMLElement[] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', {}, ...cells.slice(i, i + 7)));
  const monthName =
    lang() === 'zh'
      ? `${month}月`
      : new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(
          new Date(Date.UTC(year, month - 1, 1)),
        );
  return h(
    'table',
    { class: 'month', 'data-month': `${year}-${pad(month)}` },
    h('caption', {}, monthName),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[1, 2, 3, 4, 5, 6, 7].map((w) =>
          h('th', { scope: 'col', abbr: t(`weekday.${w}`) }, t(`weekday.short.${w}`)),
        ),
      ),
    ),
    h('tbody', {}, ...rows),
  );
}

/** A festival as the API names it (a key such as spring_festival, or already a name). */
export function festivalName(festival: string): string {
  const key = `festival.${festival}`;
  return hasText(key) ? t(key) : festival;
}

function legend(): HTMLElement {
  const item = (cls: string, mark: string, key: string) =>
    h('li', {}, h('span', { class: `swatch day ${cls}`, 'aria-hidden': 'true' }, mark), t(key));
  return h(
    'ul',
    { class: 'legend', 'aria-label': t('calendar.legend') },
    item('holiday official', t('calendar.markHoliday'), 'calendar.holiday.official'),
    item('holiday computed', t('calendar.markHoliday'), 'calendar.holiday.computed'),
    item('make_up_workday official', t('calendar.markWork'), 'calendar.make_up_workday.official'),
    item('make_up_workday computed', t('calendar.markWork'), 'calendar.make_up_workday.computed'),
    item('weekend', '', 'calendar.weekend'),
  );
}

/** Consecutive holidays of one festival and source become one line: "春节 02-06 – 02-13（8 天，官方）". */
function runs(days: CalendarDay[]): HTMLElement {
  const holidays = days.filter((d) => d.kind === 'holiday').sort((a, b) => a.date.localeCompare(b.date));
  const groups: CalendarDay[][] = [];
  for (const d of holidays) {
    const last = groups.at(-1)?.at(-1);
    if (
      last &&
      nextDay(last.date) === d.date &&
      last.source === d.source &&
      (last.festival ?? '') === (d.festival ?? '')
    )
      groups.at(-1)!.push(d);
    else groups.push([d]);
  }
  const makeUp = days.filter((d) => d.kind === 'make_up_workday').sort((a, b) => a.date.localeCompare(b.date));
  const source = (d: CalendarDay) => t(`calendar.source.${d.source}`);
  return h(
    'ul',
    { class: 'day-runs', id: 'calendar-runs' },
    ...groups.map((g) => {
      const [a, b] = [g[0], g[g.length - 1]];
      const span = a.date === b.date ? a.date : `${a.date} – ${b.date}`;
      return h(
        'li',
        { class: `${a.kind} ${a.source}` },
        `${a.festival ? festivalName(a.festival) : t('calendar.holiday')}: ${span}（${t('calendar.days', { n: g.length })}，${source(a)}）`,
      );
    }),
    ...makeUp.map((d) =>
      h(
        'li',
        { class: `${d.kind} ${d.source}` },
        `${t('calendar.make_up_workday')}: ${d.date} ${t(`weekday.${weekday(d.date)}`)}（${source(d)}）`,
      ),
    ),
  );
}

export function yearCalendar(cal: YearCalendar, workingWeekdays: number[]): HTMLElement {
  const days = new Map(cal.days.map((d) => [d.date, d]));
  const working = new Set(workingWeekdays);
  return h(
    'div',
    { class: 'year-calendar', id: 'year-calendar', 'data-year': cal.year, 'data-official': String(cal.official) },
    h(
      'p',
      { class: `notice ${cal.official ? 'info' : 'warn'}`, id: 'calendar-status' },
      t(cal.official ? 'calendar.official' : 'calendar.computedOnly', { year: cal.year }),
    ),
    legend(),
    h('div', { class: 'months' }, ...Array.from({ length: 12 }, (_, i) => monthGrid(cal.year, i + 1, days, working))),
    cal.days.length ? runs(cal.days) : h('p', { class: 'empty' }, t('calendar.none')),
  );
}
