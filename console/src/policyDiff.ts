import { h } from './dom.js';
import { hasText, t } from './i18n.js';
import type { PolicyChange } from './policyContract.js';

/**
 * A version's changes against the one it was based on, as the API computed them: each field
 * named in the console's language (the path beside it, for whoever reads the JSON), a value's old
 * and new text, or the items a list gained and lost. Everything is text nodes: a reason or a
 * source typed by a person is never read as HTML.
 */

/** The field a path names, in words: known calendar and SLA fields, else the path itself. */
export function fieldName(path: string): string {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  // A list item (holidays.3) is named by its list.
  const index = parts.length > 1 && /^\d+$/.test(parts[parts.length - 1]) ? Number(parts.pop()) : null;
  const field = parts.filter((p) => p !== 'policy').join('.');
  const key = `policyField.${field}`;
  const base = hasText(key) ? t(key) : field || path;
  return index === null ? base : t('policyField.item', { field: base, n: index + 1 });
}

const valueText = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function listText(items: unknown[] | undefined): string {
  return (items ?? []).map(valueText).join('、');
}

export function diffTable(changes: PolicyChange[], id: string): HTMLElement {
  if (changes.length === 0) return h('p', { class: 'empty' }, t('policy.noChanges'));
  return h(
    'table',
    { class: 'table diff', id },
    h(
      'thead',
      {},
      h('tr', {}, ...[t('diff.field'), t('diff.from'), t('diff.to')].map((c) => h('th', { scope: 'col' }, c))),
    ),
    h(
      'tbody',
      {},
      ...changes.map((c) => {
        const path = c.path;
        const listed = c.added !== undefined || c.removed !== undefined;
        return h(
          'tr',
          { 'data-path': path },
          h(
            'td',
            { 'data-label': t('diff.field') },
            h('span', {}, fieldName(path)),
            h('div', { class: 'muted path' }, path),
          ),
          listed
            ? h(
                'td',
                { 'data-label': t('diff.from') },
                c.removed?.length ? h('span', { class: 'removed' }, `− ${listText(c.removed)}`) : '—',
              )
            : h('td', { 'data-label': t('diff.from') }, valueText(c.from)),
          listed
            ? h(
                'td',
                { 'data-label': t('diff.to') },
                c.added?.length ? h('span', { class: 'added' }, `+ ${listText(c.added)}`) : '—',
              )
            : h('td', { 'data-label': t('diff.to') }, valueText(c.to)),
        );
      }),
    ),
  );
}
