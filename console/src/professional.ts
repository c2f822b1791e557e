import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { dayOf, formatTime, midnightOf } from './time.js';
import { caseLink, message, section, table } from './ui.js';

/**
 * 职业投诉人 (docs/domain.md §11.5): customers with many cases whose texts are alike across
 * merchants, each with the evidence (the alike texts, each pair's similarity), for legal review.
 * The page only shows: nothing is decided here or by the list.
 */

interface Evidence {
  complaintId: string;
  merchantId: string;
  createdAt: string;
  description: string;
}
interface Suspect {
  customerId: string;
  cases: number;
  merchants: string[];
  similarMerchants: string[];
  maxSimilarity: number;
  evidence: Evidence[];
  pairs: Array<{ a: string; b: string; similarity: number }>;
  pairCount: number;
}
interface SuspectList {
  period: { from: string; to: string };
  rule: { minCases: number; minMerchants: number; minSimilarity: number };
  suspects: Suspect[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function professionalPage(query: URLSearchParams, go: (hash: string) => void): Promise<HTMLElement> {
  // Days of the address (`to` inclusive); without them the policy's window up to now.
  const from = DAY.test(query.get('from') ?? '') ? query.get('from')! : null;
  const to = DAY.test(query.get('to') ?? '') ? query.get('to')! : null;
  const params = new URLSearchParams();
  if (from) params.set('from', midnightOf(from));
  if (to) params.set('to', midnightOf(dayOf(Date.parse(midnightOf(to)) + 36 * 3_600_000)));
  const list = await api<SuspectList>(`/v1/reviews/professional-complainants?${params.toString()}`);

  const fromInput = h('input', {
    type: 'date',
    id: 'pro-from',
    name: 'from',
    value: from ?? dayOf(Date.parse(list.period.from)),
  });
  const toInput = h('input', {
    type: 'date',
    id: 'pro-to',
    name: 'to',
    value: to ?? dayOf(Date.parse(list.period.to)),
  });
  const chooser = h(
    'form',
    { class: 'period', 'aria-label': t('reports.period') },
    h('div', { class: 'field' }, h('label', { for: 'pro-from' }, t('field.from')), fromInput),
    h('div', { class: 'field' }, h('label', { for: 'pro-to' }, t('field.to')), toInput),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('reports.show')),
  );
  chooser.addEventListener('submit', (e) => {
    e.preventDefault();
    go(`#/professional?${new URLSearchParams({ from: fromInput.value, to: toInput.value }).toString()}`);
  });

  const rule = t('pro.rule', {
    cases: list.rule.minCases,
    merchants: list.rule.minMerchants,
    similarity: pct(list.rule.minSimilarity),
  });
  const overview = table(
    [t('pro.customer'), t('pro.cases'), t('pro.merchants'), t('pro.similarMerchants'), t('pro.maxSimilarity')],
    list.suspects.map((s) => [
      h('a', { href: `#suspect-${s.customerId}` }, s.customerId),
      String(s.cases),
      s.merchants.join('、'),
      s.similarMerchants.join('、'),
      pct(s.maxSimilarity),
    ]),
    t('pro.empty'),
    { id: 'pro-suspects' },
  );

  const evidenceOf = (s: Suspect) =>
    h(
      'section',
      {
        class: 'card',
        id: `suspect-${s.customerId}`,
        'aria-label': t('pro.evidenceOf', { customer: s.customerId }),
        'data-customer': s.customerId,
      },
      h('h2', {}, t('pro.evidenceOf', { customer: s.customerId })),
      table(
        [t('col.case'), t('pro.merchant'), t('col.opened'), t('pro.text')],
        s.evidence.map((e) => [caseLink(e.complaintId), e.merchantId, formatTime(e.createdAt), e.description]),
        t('reports.noData'),
        { class: 'table pro-evidence' },
      ),
      h('h3', {}, t('pro.pairs', { shown: s.pairs.length, total: s.pairCount })),
      table(
        [t('pro.caseA'), t('pro.caseB'), t('pro.similarity')],
        s.pairs.map((p) => [caseLink(p.a), caseLink(p.b), pct(p.similarity)]),
        t('reports.noData'),
        { class: 'table pro-pairs' },
      ),
    );

  return h(
    'div',
    { class: 'page', 'data-refresh': 'off' },
    h('h1', { tabindex: '-1' }, t('pro.title')),
    chooser,
    message(t('pro.notice'), 'info'),
    h('p', { class: 'muted', id: 'pro-rule' }, `${rule} ${t('pro.measure')}`),
    section(`${t('pro.suspects')} (${list.suspects.length})`, overview),
    ...list.suspects.map(evidenceOf),
  );
}
