import { api, ApiFailure } from './api.js';
import { barChart, columnChart, type Bar } from './charts.js';
import { h } from './dom.js';
import { hasText, t } from './i18n.js';
import { dayOf, formatTime, midnightOf } from './time.js';
import { caseLink, table } from './ui.js';
import { readWhatIf, type Histogram, type WhatIfView } from './whatIfReport.js';

/**
 * The what-if of a draft over a past period (ops manager): the API replays the period's recorded
 * stage times under the draft; here its answer becomes charts (breaches per deadline kind as recorded
 * and under the draft, the outcomes that flip, the first-response and handling times in the draft's
 * service hours) and the cases whose outcome changes. A report is kept per version and period, so the page drawn again (language switch,
 * another year) shows it without running it again.
 */

const reports = new Map<string, unknown>();
const keyOf = (version: string, from: string, to: string) => `${version}|${from}|${to}`;

/** The last 30 days to today by default, as the API's own default: a month of recorded cases. */
export function defaultPeriod(): { from: string; to: string } {
  const today = dayOf(Date.now());
  return { from: dayOf(Date.parse(midnightOf(today)) - 30 * 86_400_000 + 43_200_000), to: today };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function whatIfSection(
  version: string,
  period: { from?: string | null; to?: string | null },
  remember: (from: string, to: string) => void,
): HTMLElement {
  const fallback = defaultPeriod();
  const from = period.from && DAY.test(period.from) ? period.from : fallback.from;
  const to = period.to && DAY.test(period.to) ? period.to : fallback.to;
  const fromInput = h('input', { type: 'date', id: 'whatif-from', name: 'from', value: from, required: true });
  const toInput = h('input', { type: 'date', id: 'whatif-to', name: 'to', value: to, required: true });
  const formError = h('p', { class: 'form-error', role: 'alert', id: 'whatif-error' });
  const run = h('button', { type: 'submit', class: 'btn btn-primary' }, t('whatif.run'));
  const result = h('div', { id: 'whatif-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'period', 'data-action': 'what-if', 'aria-label': t('whatif.title') },
    h('div', { class: 'field' }, h('label', { for: 'whatif-from' }, t('field.from')), fromInput),
    h('div', { class: 'field' }, h('label', { for: 'whatif-to' }, t('field.to')), toInput),
    run,
  );
  const cached = reports.get(keyOf(version, from, to));
  if (cached !== undefined) result.replaceChildren(whatIfResult(cached, from, to));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    formError.textContent = '';
    const [f, tt] = [fromInput.value, toInput.value];
    if (!DAY.test(f) || !DAY.test(tt) || tt < f) {
      formError.textContent = t('whatif.badPeriod');
      return;
    }
    // The period in platform days, `to` inclusive: midnight of `from` to midnight after `to`.
    const query = new URLSearchParams({
      from: midnightOf(f),
      to: midnightOf(dayOf(Date.parse(midnightOf(tt)) + 36 * 3_600_000)),
    });
    run.disabled = true;
    result.replaceChildren(h('p', { class: 'notice info', role: 'status' }, t('whatif.running')));
    api<unknown>(`/v1/policy/versions/${encodeURIComponent(version)}/what-if?${query.toString()}`, { method: 'POST' })
      .then((report) => {
        reports.set(keyOf(version, f, tt), report);
        remember(f, tt);
        result.replaceChildren(whatIfResult(report, f, tt));
      })
      .catch((err: unknown) => {
        result.replaceChildren();
        formError.textContent =
          err instanceof ApiFailure
            ? `${err.status} ${err.code}: ${[err.message, ...err.details.map((d) => `${d.path}: ${d.message}`)].join('；')}`
            : t('error.generic', { message: (err as Error).message });
      })
      .finally(() => {
        run.disabled = false;
      });
  });
  return h('div', { class: 'whatif' }, h('p', { class: 'muted' }, t('whatif.hint')), form, formError, result);
}

/** Two bars per deadline kind: what the cases recorded, then the draft's figure; "2 / 40" when the kind's deadline count is known. */
function paired(
  rows: Array<{ label: string; now: number; draft: number; of?: number }>,
  tones: [string, string],
  words: [string, string],
): Bar[] {
  // Written out even when 0: no breach among 40 deadlines is a finding, not a missing chart.
  const text = (n: number, of?: number) => (of === undefined ? String(n) : `${n} / ${of}`);
  return rows.flatMap((r) => [
    { label: `${r.label} · ${words[0]}`, value: r.now, tone: tones[0], text: text(r.now, r.of) },
    { label: `${r.label} · ${words[1]}`, value: r.draft, tone: tones[1], text: text(r.draft, r.of) },
  ]);
}

/** An outcome (met, breached, cancelled, open, none) and the due time it was judged against. */
const outcomeCell = (outcome: string, dueAt: string | null) =>
  h(
    'span',
    { class: `outcome outcome-${outcome}` },
    hasText(`outcome.${outcome}`) ? t(`outcome.${outcome}`) : outcome,
    dueAt ? h('div', { class: 'muted' }, `${t('col.due')} ${formatTime(dueAt)}`) : null,
  );

const minutes = (m: number | null) =>
  m === null ? '—' : m < 60 ? t('whatif.minutes', { m: Math.round(m) }) : t('whatif.hours', { h: (m / 60).toFixed(1) });

/** Service time to the step, in hour columns, under the draft's service hours; empty hours past the last case left out. */
function histogramChart(d: Histogram): HTMLElement {
  const key = `whatif.dist.${d.key}`;
  const title = `${hasText(key) ? t(key) : d.key} — ${t('whatif.percentiles', { p50: minutes(d.p50), p90: minutes(d.p90), p99: minutes(d.p99), measured: d.measured ?? '—', pending: d.pending ?? '—' })}`;
  const last = d.buckets.reduce((at, b, i) => (b.count > 0 ? i : at), 0);
  const bars = d.buckets
    .slice(0, Math.max(last + 1, 4))
    .map((b) => ({ label: b.toHours === null ? `≥${b.fromHours}h` : `${b.fromHours}–${b.toHours}h`, value: b.count }));
  return columnChart(title, d.measured ? bars : [], `chart-whatif-${d.key.replace(/[^\w-]/g, '_')}`);
}

export function whatIfResult(report: unknown, from: string, to: string): HTMLElement {
  const v: WhatIfView = readWhatIf(report);
  const kpi = (label: string, value: number | null | undefined, id: string) =>
    h(
      'div',
      { class: 'kpi', id },
      h('div', { class: 'kpi-value' }, value === null || value === undefined ? '—' : String(value)),
      h('div', { class: 'kpi-label' }, label),
    );
  const swatch = (cls: string, key: string) =>
    h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), t(key));
  const label = (kind: string) => t(`deadline.${kind}`);
  return h(
    'div',
    { class: 'whatif-report', 'data-from': from, 'data-to': to },
    h('p', { class: 'muted', id: 'whatif-period' }, `${t('reports.period')}: ${from} — ${to}`),
    h(
      'div',
      { class: 'kpis' },
      kpi(t('whatif.cases'), v.cases, 'whatif-cases'),
      kpi(t('whatif.breachesNow'), v.totals?.breachedRecorded, 'whatif-breaches-now'),
      kpi(t('whatif.breachesDraft'), v.totals?.breachedUnderDraft, 'whatif-breaches-draft'),
      kpi(t('whatif.changedCount'), v.changedTotal, 'whatif-changed-count'),
    ),
    v.totals?.assumed
      ? h('p', { class: 'muted', id: 'whatif-assumed' }, t('whatif.assumed', { n: v.totals.assumed }))
      : null,
    h('ul', { class: 'legend' }, swatch('bar-now', 'whatif.now'), swatch('bar-draft', 'whatif.draft')),
    h(
      'div',
      { class: 'charts' },
      barChart(
        t('whatif.breaches'),
        paired(
          v.kinds.map((k) => ({
            label: label(k.kind),
            now: k.breachedRecorded,
            draft: k.breachedUnderDraft,
            of: k.deadlines,
          })),
          ['', 'warn'],
          [t('whatif.now'), t('whatif.draft')],
        ),
        { id: 'chart-whatif-breaches', max: Math.max(1, ...v.kinds.map((k) => k.deadlines)) },
      ),
      // Drawn only when something flips; "no outcome changes" is said by the figure and the table.
      v.kinds.some((k) => k.nowMet + k.nowBreached > 0)
        ? barChart(
            t('whatif.flips'),
            paired(
              v.kinds
                .filter((k) => k.nowMet + k.nowBreached > 0)
                .map((k) => ({ label: label(k.kind), now: k.nowMet, draft: k.nowBreached })),
              ['good', 'warn'],
              [t('whatif.nowMet'), t('whatif.nowBreached')],
            ),
            { id: 'chart-whatif-changes' },
          )
        : null,
      ...v.distributions.map(histogramChart),
    ),
    h(
      'h3',
      {},
      `${t('whatif.changed')}${v.changedTotal !== null && v.changedTotal > new Set(v.changed.map((c) => c.complaintId)).size ? ` ${t('whatif.firstShown', { n: new Set(v.changed.map((c) => c.complaintId)).size, total: v.changedTotal })}` : ''}`,
    ),
    table(
      [t('col.case'), t('col.kind'), t('whatif.recorded'), t('whatif.underDraft')],
      v.changed.map((c) => [
        c.complaintId === '—' ? '—' : caseLink(c.complaintId),
        label(c.kind),
        outcomeCell(c.recorded, c.recordedDueAt),
        outcomeCell(c.underDraft, c.draftDueAt),
      ]),
      t('whatif.noChanges'),
      { id: 'whatif-changed' },
    ),
    h('details', { class: 'raw' }, h('summary', {}, t('whatif.raw')), h('pre', {}, JSON.stringify(report, null, 2))),
  );
}
