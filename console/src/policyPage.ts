import { api, session } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import type { PolicyVersion, SlaPolicy, YearCalendar } from './policyContract.js';
import { versionsList } from './policyVersions.js';
import { scheduleForm } from './scheduleForm.js';
import { dayOf } from './time.js';
import { message, section } from './ui.js';
import { whatIfSection } from './whatIf.js';
import { yearCalendar } from './yearCalendar.js';

/**
 * The policy page (docs/console.md): versions with their diffs, a year's calendar, and for the ops manager
 * loading next year's official schedule as a draft, its what-if, and publishing it. Other staff read
 * the same page without the controls. What is looked at (version, year, what-if period) lives in the
 * address: `#/policy?v=3&year=2027&from=…&to=…`.
 */

/** A line shown once, on the page drawn after an action (the draft created, the version published). */
let flash: string | null = null;

/** The State Council publishes next year's schedule in November: from then on, next year is the one being worked on. */
function defaultYear(): number {
  const [y, m] = dayOf(Date.now()).split('-').map(Number);
  return m >= 11 ? y + 1 : y;
}

export async function policyPage(query: URLSearchParams, go: (hash: string) => void): Promise<HTMLElement> {
  const manager = session()?.role === 'ops_manager';
  const [active, { items: versions }] = await Promise.all([
    api<SlaPolicy>('/v1/policy'),
    api<{ items: PolicyVersion[] }>('/v1/policy/versions'),
  ]);
  const activeId = String(active.version);
  const newestDraft = versions.find((v) => v.status === 'draft');
  // The ops manager lands on the draft in hand; everyone else on the policy in force.
  const wanted = query.get('v') ?? (manager && newestDraft ? String(newestDraft.id) : activeId);
  const selected =
    versions.find((v) => String(v.id) === wanted) ?? versions.find((v) => String(v.id) === activeId) ?? versions[0];
  const selectedId = selected ? String(selected.id) : activeId;
  const yearText = query.get('year') ?? '';
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : defaultYear();

  const hrefFor = (params: Record<string, string | number>) => {
    const q = new URLSearchParams({
      v: selectedId,
      year: String(year),
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
    });
    return `#/policy?${q.toString()}`;
  };
  const shown = flash;
  flash = null;

  const calendarPolicy = selected?.policy.calendar ?? active.calendar;
  const calendar = await api<YearCalendar>(
    `/v1/policy/versions/${encodeURIComponent(selectedId)}/calendar?year=${year}`,
  )
    .then((cal) => yearCalendar(cal, calendarPolicy.workingWeekdays))
    .catch((err: Error) => message(t('error.generic', { message: err.message }), 'error'));

  return h(
    'div',
    { class: 'page policy-page', 'data-refresh': 'off' },
    h('h1', { tabindex: '-1' }, t('policy.title')),
    shown ? message(shown) : null,
    h(
      'p',
      { id: 'active-policy' },
      t('policy.active', {
        id: activeId,
        covered: active.calendar.coveredYears.join('、') || '—',
        computed: active.calendar.computedYears?.join('、') || '—',
      }),
    ),
    manager ? null : message(t('policy.readOnly')),
    manager
      ? section(
          t('schedule.title'),
          h('p', { class: 'muted' }, t('schedule.hint')),
          scheduleForm(year, (v, y) => {
            flash = t('schedule.created', { id: String(v.id), year: y });
            go(`#/policy?${new URLSearchParams({ v: String(v.id), year: String(y) }).toString()}`);
          }),
        )
      : null,
    section(
      `${t('policy.versions')} (${versions.length})`,
      versionsList({
        versions,
        activeId,
        selectedId,
        manager,
        hrefFor: (id) => `#/policy?${new URLSearchParams({ v: id, year: String(year) }).toString()}`,
        onPublished: (v) => {
          flash =
            t('version.publishedNotice', { id: String(v.id) }) +
            (v.rollout?.workflowId ? t('version.rollout', { workflowId: v.rollout.workflowId }) : '');
          go(`#/policy?${new URLSearchParams({ v: String(v.id), year: String(year) }).toString()}`);
        },
      }),
    ),
    section(t('calendar.title', { id: selectedId, year }), viewChooser(versions, selectedId, year, go), calendar),
    manager && selected?.status === 'draft'
      ? section(
          t('whatif.title') + ` — ${t('version.name', { id: selectedId })}`,
          whatIfSection(selectedId, { from: query.get('from'), to: query.get('to') }, (from, to) =>
            history.replaceState(null, '', hrefFor({ from, to })),
          ),
        )
      : null,
  );
}

/** Which version and year the calendar (and what-if) show. */
function viewChooser(
  versions: PolicyVersion[],
  selectedId: string,
  year: number,
  go: (hash: string) => void,
): HTMLElement {
  const versionSelect = h(
    'select',
    { id: 'view-version', name: 'v' },
    ...versions.map((v) =>
      h(
        'option',
        { value: String(v.id), selected: String(v.id) === selectedId },
        `${t('version.name', { id: String(v.id) })}（${t(`version.${v.status}`)}）`,
      ),
    ),
  );
  const yearInput = h('input', {
    type: 'number',
    id: 'view-year',
    name: 'year',
    min: 2000,
    max: 2100,
    step: 1,
    value: year,
    required: true,
  });
  const form = h(
    'form',
    { class: 'period', 'aria-label': t('calendar.choose') },
    h('div', { class: 'field' }, h('label', { for: 'view-version' }, t('calendar.version')), versionSelect),
    h('div', { class: 'field' }, h('label', { for: 'view-year' }, t('calendar.year')), yearInput),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('calendar.show')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go(`#/policy?${new URLSearchParams({ v: versionSelect.value, year: yearInput.value }).toString()}`);
  });
  return form;
}
