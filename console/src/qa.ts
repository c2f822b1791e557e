import { api, ApiFailure } from './api.js';
import { h } from './dom.js';
import { lang, t } from './i18n.js';
import { formatTime } from './time.js';
import { caseLink, message, section, table } from './ui.js';

/**
 * 质检 (sampling QA, docs/domain.md §11.3): draw an ended month into the queue (once; again shows the
 * same draw), score each drawn case on the checklist (pass or fail, a note), and the scores per agent.
 * Supervisors score; operations managers draw and read.
 */

interface Check {
  item: string;
  label: string;
  pass: boolean;
  note: string;
}
interface Review {
  complaintId: string;
  month: string;
  agentId: string | null;
  closedAt: string;
  status: 'pending' | 'scored';
  checks: Check[] | null;
  passed: number | null;
  reviewer: string | null;
}
interface ReviewList {
  items: Review[];
  nextCursor: string | null;
  checklist: Array<{ item: string; 'zh-CN': string; en: string }>;
}
interface Scores {
  agents: Array<{ agentId: string | null; drawn: number; scored: number; passRate: number | null }>;
}

/** The month before the platform's current one: the newest that can be drawn. */
function lastMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

const noteOf = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v : '');

export async function qaPage(query: URLSearchParams, role: string, go: (hash: string) => void): Promise<HTMLElement> {
  const month = /^\d{4}-\d{2}$/.test(query.get('month') ?? '') ? query.get('month')! : lastMonth();
  const [queue, scores] = await Promise.all([
    api<ReviewList>(`/v1/qa/reviews?${new URLSearchParams({ month, limit: '200' }).toString()}`),
    api<Scores>(`/v1/reports/qa?month=${month}`),
  ]);
  const label = (c: { 'zh-CN': string; en: string }) => (lang() === 'zh' ? c['zh-CN'] : c.en);

  const monthInput = h('input', {
    type: 'month',
    id: 'qa-month',
    name: 'month',
    value: month,
    required: true,
    pattern: '\\d{4}-\\d{2}',
  });
  const status = h('p', { 'aria-live': 'polite', id: 'qa-status' });
  const chooser = h(
    'form',
    { class: 'period', 'aria-label': t('qa.title') },
    h('div', { class: 'field' }, h('label', { for: 'qa-month' }, t('qa.month')), monthInput),
    h('button', { type: 'submit', class: 'btn' }, t('reports.show')),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-primary',
        id: 'qa-draw',
        onclick: () => {
          api<{ complaintIds: string[]; population: number }>('/v1/qa/draws', {
            method: 'POST',
            body: { month: monthInput.value },
          })
            .then((d) => {
              status.replaceChildren(message(t('qa.drawn', { n: d.complaintIds.length, of: d.population }), 'info'));
              go(`#/qa?month=${monthInput.value}`);
            })
            .catch((err: Error) =>
              status.replaceChildren(message(err instanceof ApiFailure ? err.message : String(err), 'error')),
            );
        },
      },
      t('qa.draw'),
    ),
  );
  chooser.addEventListener('submit', (e) => {
    e.preventDefault();
    go(`#/qa?month=${monthInput.value}`);
  });

  const scoreForm = (r: Review): HTMLElement => {
    const form = h('form', { class: 'qa-score', 'data-action': `qa-${r.complaintId}`, 'aria-label': t('qa.score') });
    const error = h('p', { class: 'field-error', 'aria-live': 'polite' });
    for (const c of queue.checklist) {
      const prior = r.checks?.find((x) => x.item === c.item);
      const id = `${r.complaintId}-${c.item}`;
      form.append(
        h(
          'fieldset',
          { class: 'qa-check' },
          h('legend', {}, label(c)),
          h(
            'label',
            {},
            h('input', {
              type: 'radio',
              name: `${c.item}.pass`,
              value: 'true',
              required: true,
              checked: prior?.pass === true,
            }),
            t('qa.pass'),
          ),
          h(
            'label',
            {},
            h('input', { type: 'radio', name: `${c.item}.pass`, value: 'false', checked: prior?.pass === false }),
            t('qa.fail'),
          ),
          h('label', { for: id }, t('field.note')),
          h('input', {
            id,
            name: `${c.item}.note`,
            maxlength: 500,
            placeholder: t('field.note'),
            value: prior?.note ?? '',
          }),
        ),
      );
    }
    form.append(error, h('button', { type: 'submit', class: 'btn btn-primary' }, t('qa.save')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const checks = Object.fromEntries(
        queue.checklist.map((c) => [
          c.item,
          { pass: data.get(`${c.item}.pass`) === 'true', note: noteOf(data.get(`${c.item}.note`)) },
        ]),
      );
      api<Review>(`/v1/qa/reviews/${encodeURIComponent(r.complaintId)}/score`, { method: 'POST', body: { checks } })
        .then(() => go(`#/qa?month=${month}`))
        .catch((err: Error) => {
          error.textContent = err.message;
        });
    });
    return form;
  };

  const rows = queue.items.map((r) => [
    caseLink(r.complaintId),
    r.agentId ?? '—',
    formatTime(r.closedAt),
    r.status === 'scored' ? t('qa.passed', { n: r.passed ?? 0, of: queue.checklist.length }) : t('qa.pending'),
    role === 'supervisor'
      ? scoreForm(r)
      : r.checks
        ? r.checks.map((c) => `${c.label} ${c.pass ? '✓' : '✗'}`).join(' · ')
        : '—',
  ]);
  const agentRows = scores.agents.map((a) => [
    a.agentId ?? '—',
    String(a.drawn),
    String(a.scored),
    a.passRate === null ? '—' : `${(a.passRate * 100).toFixed(0)}%`,
  ]);

  return h(
    'div',
    { class: 'page', 'data-refresh': 'off' },
    h('h1', { tabindex: '-1' }, t('qa.title')),
    chooser,
    status,
    section(
      `${t('qa.queue')} (${queue.items.length})`,
      table([t('col.case'), t('qa.agent'), t('qa.closedAt'), t('col.status'), t('qa.checklist')], rows, t('qa.empty'), {
        id: 'qa-queue',
      }),
    ),
    section(
      t('qa.perAgent'),
      table([t('qa.agent'), t('qa.drawnCol'), t('qa.scoredCol'), t('qa.passRate')], agentRows, t('reports.noData'), {
        id: 'qa-agents',
      }),
    ),
  );
}
