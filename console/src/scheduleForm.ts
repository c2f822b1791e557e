import { api, ApiFailure, type ErrorDetail } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import type { PolicyVersion, SlaPolicy } from './policyContract.js';
import { fieldName } from './policyDiff.js';
import { draftWithSchedule, parseDates, parseScheduleJson } from './schedule.js';

/**
 * Loading a year's official schedule (ops manager): the year, the notice it comes from, its
 * holidays and make-up working days, typed or pasted (or the JSON of a calendar-data file, which
 * fills the fields). It creates a draft: the policy in force with that year's dates and the year
 * covered. The API judges the draft; each reason it gives is shown beside the field it names,
 * and all of them, with their paths, under the form.
 */

type FieldName = 'year' | 'source' | 'holidays' | 'makeUpWorkdays' | 'reason';

/** Which field of this form a refusal's path is about (`policy.calendar.makeUpWorkdays.0` → makeUpWorkdays). */
function fieldOfPath(path: string): FieldName | null {
  if (/makeUpWorkdays/.test(path)) return 'makeUpWorkdays';
  if (/holidays/.test(path)) return 'holidays';
  if (/coveredYears|computedYears|(^|\.)year$/.test(path)) return 'year';
  if (/(^|\.)reason$/.test(path)) return 'reason';
  return null;
}

export function scheduleForm(defaultYear: number, onCreated: (v: PolicyVersion, year: number) => void): HTMLElement {
  const control = (name: FieldName, el: HTMLInputElement | HTMLTextAreaElement, required: boolean, hint?: string) => {
    el.id = `schedule-${name}`;
    el.name = name;
    el.setAttribute('aria-describedby', `schedule-${name}-error${hint ? ` schedule-${name}-hint` : ''}`);
    if (required) el.required = true;
    const error = h('p', { class: 'field-error', id: `schedule-${name}-error`, 'aria-live': 'polite' });
    const field = h(
      'div',
      { class: 'field', 'data-field': name },
      h(
        'label',
        { for: el.id },
        t(`schedule.${name}`),
        required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
      ),
      hint ? h('p', { class: 'muted hint', id: `schedule-${name}-hint` }, hint) : null,
      el,
      error,
    );
    return { el, error, field };
  };
  const year = control('year', h('input', { type: 'number', min: 2000, max: 2100, step: 1, value: defaultYear }), true);
  const source = control('source', h('input', { type: 'text', maxlength: 300 }), false, t('schedule.sourceHint'));
  const holidays = control('holidays', h('textarea', { rows: 4 }), true, t('schedule.datesHint'));
  const makeUp = control('makeUpWorkdays', h('textarea', { rows: 2 }), false, t('schedule.datesHint'));
  const reason = control('reason', h('input', { type: 'text', maxlength: 500 }), false);
  const fields = { year, source, holidays, makeUpWorkdays: makeUp, reason };

  const json = h('textarea', {
    id: 'schedule-json',
    rows: 5,
    spellcheck: false,
    'aria-describedby': 'schedule-json-error',
  });
  const jsonError = h('p', { class: 'field-error', id: 'schedule-json-error', 'aria-live': 'polite' });
  const fill = h('button', { type: 'button', class: 'btn', id: 'schedule-json-fill' }, t('schedule.jsonFill'));
  fill.addEventListener('click', () => {
    jsonError.textContent = '';
    try {
      const s = parseScheduleJson(json.value);
      year.el.value = String(s.year);
      source.el.value = s.source;
      holidays.el.value = s.holidays.join('\n');
      makeUp.el.value = s.makeUpWorkdays.join('\n');
      holidays.el.focus();
    } catch (err) {
      jsonError.textContent = t('schedule.jsonBad', { message: (err as Error).message });
    }
  });
  const paste = h(
    'details',
    { class: 'paste-json' },
    h('summary', {}, t('schedule.json')),
    h('label', { for: 'schedule-json' }, t('schedule.jsonLabel')),
    json,
    jsonError,
    fill,
  );

  const refusal = h('div', { class: 'form-error refusal', id: 'schedule-refusal', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('schedule.submit'));
  const form = h(
    'form',
    {
      class: 'action-form schedule-form',
      'data-action': 'load-schedule',
      'aria-label': t('schedule.title'),
      novalidate: true,
    },
    paste,
    h('div', { class: 'schedule-fields' }, year.field, source.field),
    h('div', { class: 'schedule-fields' }, holidays.field, makeUp.field),
    reason.field,
    h('div', { class: 'buttons' }, submit),
    refusal,
  );

  const clear = () => {
    for (const f of Object.values(fields)) f.error.textContent = '';
    refusal.replaceChildren();
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear();
    const y = Number(year.el.value);
    if (!Number.isInteger(y) || y < 2000 || y > 2100) {
      year.error.textContent = t('schedule.badYear');
      year.el.focus();
      return;
    }
    // What is not a date of the year is said here, in words, before anything is sent.
    const parsed = { holidays: parseDates(holidays.el.value, y), makeUpWorkdays: parseDates(makeUp.el.value, y) };
    let firstBad: HTMLElement | null = null;
    for (const name of ['holidays', 'makeUpWorkdays'] as const) {
      const p = parsed[name];
      const reasons = [
        p.bad.length ? t('schedule.notDates', { dates: p.bad.join('、') }) : '',
        p.outsideYear.length ? t('schedule.outsideYear', { year: y, dates: p.outsideYear.join('、') }) : '',
      ].filter(Boolean);
      if (reasons.length) {
        fields[name].error.textContent = reasons.join('；');
        firstBad ??= fields[name].el;
      }
    }
    if (!firstBad && parsed.holidays.dates.length === 0) {
      holidays.error.textContent = t('schedule.noHolidays');
      firstBad = holidays.el;
    }
    if (firstBad) {
      firstBad.focus();
      return;
    }
    const schedule = {
      year: y,
      source: source.el.value.trim(),
      holidays: parsed.holidays.dates,
      makeUpWorkdays: parsed.makeUpWorkdays.dates,
    };
    const why = reason.el.value.trim() || t('schedule.defaultReason', { year: y, source: schedule.source || '—' });
    submit.disabled = true;
    // The policy in force read again now: the API bases the draft on the version active at this moment,
    // and a copy from when the page was drawn could quietly undo another manager's publish since.
    api<SlaPolicy>('/v1/policy')
      .then((active) =>
        api<PolicyVersion>('/v1/policy/versions', {
          method: 'POST',
          body: { policy: draftWithSchedule(active, schedule), reason: why },
        }),
      )
      .then((v) => onCreated(v, y))
      .catch((err: unknown) => showRefusal(err, fields, refusal))
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

/** Each reason beside its field, and every reason with its path under the form (some name no field of ours). */
function showRefusal(
  err: unknown,
  fields: Record<FieldName, { el: HTMLElement; error: HTMLElement }>,
  refusal: HTMLElement,
): void {
  if (!(err instanceof ApiFailure)) {
    refusal.replaceChildren(h('p', {}, t('error.generic', { message: (err as Error).message })));
    return;
  }
  const details: ErrorDetail[] = err.details.length ? err.details : [{ path: '', message: err.message }];
  const byField = new Map<FieldName, string[]>();
  for (const d of details) {
    const f = fieldOfPath(d.path);
    if (f) byField.set(f, [...(byField.get(f) ?? []), d.message]);
  }
  for (const [f, messages] of byField) fields[f].error.textContent = messages.join('；');
  refusal.replaceChildren(
    h('p', {}, t('schedule.refused', { status: err.status, code: err.code })),
    h(
      'ul',
      { id: 'schedule-refusal-details' },
      ...details.map((d) =>
        h(
          'li',
          { 'data-path': d.path },
          d.path ? h('strong', {}, fieldName(d.path)) : null,
          d.path ? h('code', { class: 'path' }, ` ${d.path}`) : null,
          d.path ? '：' : '',
          d.message,
        ),
      ),
    ),
  );
  const first = [...byField.keys()][0];
  if (first) fields[first].el.focus();
}
