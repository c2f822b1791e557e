import { api, listAll } from './api.js';
import type { CaseView, SummaryReport } from './contract.js';
import { barChart, columnChart } from './charts.js';
import { temporalLink } from './casePage.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { dayOf, formatTime, midnightOf } from './time.js';
import { badge, caseLink, departmentText, section, table } from './ui.js';

/** How long the first human answer took (docs/domain.md §3: 15 min in service hours), in bands an ops manager reads at a glance. */
const FIRST_RESPONSE_BANDS: Array<[number, string]> = [
  [5, '< 5 min'],
  [15, '5–15 min'],
  [30, '15–30 min'],
  [60, '30–60 min'],
  [240, '1–4 h'],
  [Infinity, '> 4 h'],
];

/** Cases listed at first, and added by each press of "more". */
const CASES_PAGE = 30;
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const num = (n: number | null, digits = 1) => (n === null ? '—' : n.toFixed(digits));

/** The period of the page's address (#/reports?from=YYYY-MM-DD&to=YYYY-MM-DD, platform days, `to` inclusive); the last 7 days by default. */
function periodOf(query: URLSearchParams): { from: string; to: string } {
  const today = dayOf(Date.now());
  const to = /^\d{4}-\d{2}-\d{2}$/.test(query.get('to') ?? '') ? query.get('to')! : today;
  const from = /^\d{4}-\d{2}-\d{2}$/.test(query.get('from') ?? '')
    ? query.get('from')!
    : dayOf(Date.parse(midnightOf(to)) - 6 * 86_400_000 + 43_200_000);
  return { from, to };
}

export async function reportsPage(query: URLSearchParams, go: (hash: string) => void): Promise<HTMLElement> {
  const { from, to } = periodOf(query);
  const fromIso = midnightOf(from);
  const toIso = midnightOf(dayOf(Date.parse(midnightOf(to)) + 36 * 3_600_000));
  const [report, cases] = await Promise.all([
    api<SummaryReport>(`/v1/reports/summary?${new URLSearchParams({ from: fromIso, to: toIso }).toString()}`),
    // The summary has no first-response times; the cases of the period do.
    listAll<CaseView>({ from: fromIso, to: toIso }),
  ]);

  const bands = FIRST_RESPONSE_BANDS.map(([, label]) => ({ label, value: 0 }));
  for (const c of cases) {
    if (!c.firstResponse) continue;
    const minutes = (Date.parse(c.firstResponse.at) - Date.parse(c.createdAt)) / 60_000;
    bands[FIRST_RESPONSE_BANDS.findIndex(([limit]) => minutes < limit)].value++;
  }
  const s = report.satisfaction;

  const fromInput = h('input', { type: 'date', id: 'period-from', name: 'from', value: from, required: true });
  const toInput = h('input', { type: 'date', id: 'period-to', name: 'to', value: to, required: true });
  const chooser = h(
    'form',
    { class: 'period', 'aria-label': t('reports.period') },
    h('div', { class: 'field' }, h('label', { for: 'period-from' }, t('field.from')), fromInput),
    h('div', { class: 'field' }, h('label', { for: 'period-to' }, t('field.to')), toInput),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('reports.show')),
  );
  chooser.addEventListener('submit', (e) => {
    e.preventDefault();
    go(`#/reports?${new URLSearchParams({ from: fromInput.value, to: toInput.value }).toString()}`);
  });

  const kpi = (label: string, value: string, id: string) =>
    h('div', { class: 'kpi', id }, h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-label' }, label));

  return h(
    'div',
    { class: 'page' },
    h('h1', { tabindex: '-1' }, t('reports.title')),
    chooser,
    h('p', { class: 'muted' }, `${t('reports.period')}: ${from} — ${to} (${report.period.timeZone})`),
    h(
      'div',
      { class: 'kpis' },
      kpi(t('reports.total'), String(report.volume.total), 'kpi-total'),
      kpi(t('reports.fcr'), pct(report.firstContactResolutionRate), 'kpi-fcr'),
      kpi(t('reports.satisfaction'), num(s.average), 'kpi-satisfaction'),
      kpi(t('reports.resolution'), num(report.averageResolutionHours), 'kpi-resolution'),
    ),
    h(
      'div',
      { class: 'charts' },
      columnChart(
        t('reports.volume'),
        daysOf(from, to).map((day) => ({
          label: day.slice(5),
          value: report.volume.perDay.find((d) => d.day === day)?.count ?? 0,
        })),
        'chart-volume',
      ),
      barChart(
        t('reports.breach'),
        report.slaBreachRate
          .filter((r) => r.met + r.breached > 0)
          .map((r) => ({
            label: t(`deadline.${r.kind}`),
            value: r.rate ?? 0,
            text: `${pct(r.rate)} (${r.breached}/${r.met + r.breached})`,
          })),
        { id: 'chart-breach', max: 1, tone: 'warn' },
      ),
      barChart(t('reports.firstResponse'), bands, { id: 'chart-first-response' }),
      barChart(
        t('reports.rounds'),
        [
          { label: t('reports.round1'), value: s.firstRoundAverage ?? 0, text: num(s.firstRoundAverage) },
          { label: t('reports.final'), value: s.finalAverage ?? 0, text: num(s.finalAverage) },
          ...(['5', '4', '3', '2', '1'] as const).map((r) => ({
            label: `${t('reports.distribution')} ${r}★`,
            value: s.distribution[r],
          })),
        ].filter((b, i) => i >= 2 || b.value > 0),
        { id: 'chart-satisfaction', tone: 'good' },
      ),
      barChart(
        t('reports.merchants'),
        report.topMerchants.map((m) => ({ label: m.merchantId, value: m.count })),
        { id: 'chart-merchants' },
      ),
      barChart(
        t('reports.products'),
        report.topProducts.map((p) => ({ label: p.sku, value: p.count })),
        { id: 'chart-products' },
      ),
      // docs/domain.md §6.5, §11.1: each department's share of the period's cases.
      barChart(
        t('reports.departments'),
        report.byDepartment.map((d) => ({
          label: d.key === null ? t('department.none') : departmentText(d.key),
          value: d.share,
          text: `${pct(d.share)} (${d.count})`,
        })),
        { id: 'chart-departments', max: 1 },
      ),
    ),
    attributionSection(report),
    casesSection(cases),
  );
}

const signed = (r: number | null) => (r === null ? '—' : `${r > 0 ? '+' : ''}${(r * 100).toFixed(1)}%`);

/** docs/domain.md §11.4: carriers, the trend, repeats, satisfied customers, complaint and return rates. */
function attributionSection(report: SummaryReport): HTMLElement {
  const { trend, repeats, rates } = report;
  const kpi = (label: string, value: string, id: string) =>
    h('div', { class: 'kpi', id }, h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-label' }, label));
  return section(
    t('reports.attribution'),
    h(
      'div',
      { class: 'kpis' },
      kpi(t('reports.trend', { previous: trend.volume.previous }), signed(trend.volume.change), 'kpi-trend'),
      kpi(
        t('reports.repeatCustomers'),
        `${pct(repeats.customers.rate)} (${repeats.customers.repeating}/${repeats.customers.of})`,
        'kpi-repeat-customers',
      ),
      kpi(
        t('reports.repeatOrders'),
        `${pct(repeats.orders.rate)} (${repeats.orders.repeating}/${repeats.orders.of})`,
        'kpi-repeat-orders',
      ),
      kpi(
        t('reports.satisfied', { n: report.satisfiedCustomers.atOrAbove }),
        String(report.satisfiedCustomers.count),
        'kpi-satisfied',
      ),
      kpi(t('reports.complaintRate', { orders: rates.orders ?? '—' }), pct(rates.complaintRate), 'kpi-complaint-rate'),
      kpi(t('reports.returnRate', { n: rates.returns ?? '—' }), pct(rates.returnRate), 'kpi-return-rate'),
    ),
    h('h3', {}, t('reports.carriers')),
    table(
      [
        t('reports.carrier'),
        t('reports.carrierCases'),
        t('reports.logistics'),
        t('reports.carrierFault'),
        t('reports.errorRate'),
      ],
      report.carriers.map((c) => [
        c.carrier,
        String(c.cases),
        String(c.logistics),
        String(c.carrierResponsible),
        pct(c.errorRate),
      ]),
      t('reports.noData'),
      { id: 'report-carriers' },
    ),
    h('h3', {}, t('reports.trendByCategory')),
    table(
      [t('reports.category'), t('reports.current'), t('reports.previous'), t('reports.change')],
      trend.byCategory.map((c) => [t(`category.${c.key}`), String(c.current), String(c.previous), signed(c.change)]),
      t('reports.noData'),
      { id: 'report-trend' },
    ),
    h('h3', {}, t('reports.topRepeaters')),
    table(
      [t('reports.repeater'), t('reports.repeatCases')],
      [
        ...repeats.customers.top.map((r) => [`${t('pro.customer')} ${r.id}`, String(r.count)]),
        ...repeats.orders.top.map((r) => [`${t('reports.order')} ${r.id}`, String(r.count)]),
      ],
      t('reports.noData'),
      { id: 'report-repeaters' },
    ),
  );
}

/** The days of a period, first to last (platform days, YYYY-MM-DD); the report lists only days with cases. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length < 366; day = dayOf(Date.parse(midnightOf(day)) + 36 * 3_600_000))
    days.push(day);
  return days;
}

/** The period's cases, newest first, each linked to its workflow in the Temporal Web UI; more on request. */
function casesSection(cases: CaseView[]): HTMLElement {
  const body = h('div', {});
  const more = h('button', { type: 'button', class: 'btn', id: 'more-cases' }, t('reports.more'));
  let shown = 0;
  const grow = () => {
    shown += CASES_PAGE;
    body.replaceChildren(
      table(
        [t('col.case'), t('col.opened'), t('col.status'), t('col.owner'), t('col.workflow')],
        cases
          .slice(0, shown)
          .map((c) => [
            caseLink(c.complaintId),
            formatTime(c.createdAt),
            badge('status', c.status),
            c.owner ?? t('role.none'),
            temporalLink(c.workflowId),
          ]),
        t('reports.noData'),
        { id: 'period-cases' },
      ),
    );
    more.hidden = shown >= cases.length;
  };
  more.addEventListener('click', grow);
  grow();
  return section(`${t('reports.cases')} (${cases.length})`, body, more);
}
