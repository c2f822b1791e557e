import type { CaseView } from './contract.js';
import { countdownEl, deadlineLabel, escalatesTo, nearest } from './deadlines.js';
import { h } from './dom.js';
import { hasText, t } from './i18n.js';

/** Pieces several pages share. */

export const yuan = (fen: number | undefined | null) =>
  fen === undefined || fen === null ? '—' : `¥${(fen / 100).toFixed(2)}`;

export const caseLink = (id: string) => h('a', { href: `#/case/${encodeURIComponent(id)}`, class: 'case-id' }, id);

/** A department's name in the console's language; one the policy added later reads as its id. */
export const departmentText = (id: string) => (hasText(`department.${id}`) ? t(`department.${id}`) : id);

/** The case's link, and what it is about in a line (its department too, docs/domain.md §6.5), so a queue reads without opening each case. */
export const caseCell = (c: CaseView) =>
  h(
    'span',
    {},
    caseLink(c.complaintId),
    h(
      'div',
      { class: 'muted subject' },
      `${t(`category.${c.category}`)}${c.department ? ` → ${departmentText(c.department)}` : ''} · ${c.customer.name} · ${c.description}`,
    ),
  );

export const badge = (kind: string, value: string) =>
  h('span', { class: `badge ${kind}-${value}` }, t(`${kind}.${value}`));

export function section(title: string, ...body: Array<Node | null>): HTMLElement {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...body);
}

/** A table that folds into labelled rows on a phone (each cell carries its column's name). */
export function table(
  columns: string[],
  rows: Array<Array<Node | string>>,
  empty: string,
  attrs: Record<string, string> = {},
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    { class: 'table', ...attrs },
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((cells) => h('tr', {}, ...cells.map((cell, i) => h('td', { 'data-label': columns[i] ?? '' }, cell)))),
    ),
  );
}

/** The next deadline of a case, its live countdown and the rung a miss would alert. */
export function deadlineCells(view: CaseView): Array<Node | string> {
  const d = nearest(view);
  if (!d) return ['—', '—', '—'];
  return [deadlineLabel(d), countdownEl(d), escalatesTo(view, d)];
}

export function message(text: string, kind: 'error' | 'info' = 'info'): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
