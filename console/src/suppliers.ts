import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { formatTime } from './time.js';
import { section, table } from './ui.js';

/**
 * 供应商 (supplier tiering, docs/domain.md §11.6): the merchants flagged for suspension review, each
 * with its figures (returns, orders, rate, window, threshold), and the review's decision, suspend or
 * keep with a reason, taken in place on an open flag by a supervisor or an operations manager.
 */

interface Decision {
  decision: 'suspend' | 'keep';
  by: { sub: string; role: string };
  at: string;
  reason: string;
}
interface Flag {
  flagId: string;
  merchantId: string;
  raisedAt: string;
  window: { from: string; to: string };
  orders: number;
  returns: number;
  rate: number;
  threshold: number;
  status: 'open' | 'suspend' | 'keep';
  decision: Decision | null;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export async function suppliersPage(query: URLSearchParams, go: (hash: string) => void): Promise<HTMLElement> {
  const status = ['open', 'suspend', 'keep'].includes(query.get('status') ?? '') ? query.get('status')! : '';
  const { items } = await api<{ items: Flag[] }>(
    `/v1/merchants/flags?${new URLSearchParams({ limit: '200', ...(status ? { status } : {}) }).toString()}`,
  );

  const statusSelect = h(
    'select',
    { id: 'flag-status', name: 'status' },
    ...['', 'open', 'suspend', 'keep'].map((s) =>
      h('option', { value: s, selected: s === status }, t(`suppliers.status.${s || 'all'}`)),
    ),
  );
  const chooser = h(
    'form',
    { class: 'period', 'aria-label': t('suppliers.filter') },
    h('div', { class: 'field' }, h('label', { for: 'flag-status' }, t('col.status')), statusSelect),
    h('button', { type: 'submit', class: 'btn' }, t('reports.show')),
  );
  chooser.addEventListener('submit', (e) => {
    e.preventDefault();
    go(`#/suppliers${statusSelect.value ? `?status=${statusSelect.value}` : ''}`);
  });

  const decideForm = (f: Flag): HTMLElement => {
    const form = h('form', {
      class: 'flag-decision',
      'data-action': `flag-${f.flagId}`,
      'aria-label': t('suppliers.decide'),
    });
    const error = h('p', { class: 'field-error', 'aria-live': 'polite' });
    const reasonId = `reason-${f.flagId}`;
    form.append(
      h(
        'fieldset',
        {},
        h('legend', {}, t('suppliers.decide')),
        h(
          'label',
          {},
          h('input', { type: 'radio', name: 'decision', value: 'suspend', required: true }),
          t('suppliers.status.suspend'),
        ),
        h('label', {}, h('input', { type: 'radio', name: 'decision', value: 'keep' }), t('suppliers.status.keep')),
      ),
      h('label', { for: reasonId }, t('suppliers.reason')),
      h('input', { id: reasonId, name: 'reason', required: true, maxlength: 500, placeholder: t('suppliers.reason') }),
      error,
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('suppliers.save')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(form);
      api<Flag>(`/v1/merchants/flags/${encodeURIComponent(f.flagId)}/decision`, {
        method: 'POST',
        body: { decision: data.get('decision'), reason: data.get('reason') },
      })
        .then(() => go(`#/suppliers${status ? `?status=${status}` : ''}`))
        .catch((err: Error) => {
          error.textContent = err.message;
        });
    });
    return form;
  };

  const decisionCell = (f: Flag): Node | string =>
    f.decision
      ? `${t(`suppliers.status.${f.decision.decision}`)} · ${f.decision.reason} · ${f.decision.by.sub} · ${formatTime(f.decision.at)}`
      : decideForm(f);

  const rows = items.map((f) => [
    f.merchantId,
    String(f.returns),
    String(f.orders),
    percent(f.rate),
    percent(f.threshold),
    t('suppliers.windowDays', {
      from: formatTime(f.window.from),
      to: formatTime(f.window.to),
      // The flag's own window (policy supplierTiering.window when it was raised), in whole days.
      days: Math.round((Date.parse(f.window.to) - Date.parse(f.window.from)) / 86_400_000),
    }),
    t(`suppliers.status.${f.status}`),
    decisionCell(f),
  ]);

  return h(
    'div',
    { class: 'page', 'data-refresh': 'off' },
    h('h1', { tabindex: '-1' }, t('suppliers.title')),
    h('p', {}, t('suppliers.intro')),
    chooser,
    section(
      `${t('suppliers.flags')} (${items.length})`,
      table(
        [
          t('suppliers.merchant'),
          t('suppliers.returns'),
          t('suppliers.orders'),
          t('suppliers.rate'),
          t('suppliers.threshold'),
          t('suppliers.window'),
          t('col.status'),
          t('suppliers.decision'),
        ],
        rows,
        t('suppliers.empty'),
        { id: 'supplier-flags' },
      ),
    ),
  );
}
