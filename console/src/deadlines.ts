import type { CaseView, Deadline } from './contract.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { countdown } from './time.js';

/** Windows that close rather than escalate (docs/domain.md §9): the case moves on by itself when they pass. */
const EXPIRING = new Set(['objection_window', 'satisfaction_callback', 'feedback']);

/**
 * Each deadline climbs its own ladder (docs/domain.md §5.1): a miss alerts the next rung,
 * agent → supervisor → operations manager, and at the top alerts the operations manager again.
 * A merchant's missed reply goes to merchant operations, a compliance approval to compliance first.
 */
export function escalatesTo(view: CaseView, d: Deadline): string {
  if (EXPIRING.has(d.kind)) return t('escalates.none');
  if (d.kind === 'merchant_reply') return t('role.merchant_ops');
  const ladder =
    d.kind === 'approval' && view.category === 'compliance'
      ? ['compliance', 'ops_manager']
      : ['supervisor', 'ops_manager'];
  const role = t(`role.${ladder[Math.min(d.rung, 1)]}`);
  return d.rung >= 2 ? role + t('again') : role;
}

/** A policy's duration in words (P2D, PT2H, PT30M, PT1H30M); one written otherwise shows as written. */
export function windowText(iso: string): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  const parts = m
    ? (
        [
          [m[1], 'day'],
          [m[2], 'hour'],
          [m[3], 'minute'],
        ] as const
      ).filter(([n]) => Number(n ?? 0) > 0)
    : [];
  if (!parts.length) return iso;
  return parts
    .map(([n, unit]) => t(`window.${unit}${unit === 'day' && n === '1' ? '' : 's'}`, { n: Number(n) }))
    .join(' ');
}

/**
 * A deadline's name, with its window where the case's policy gives it as one figure (the API's `window`):
 * the figure of the policy the case opened with, not one written into the label.
 */
export function deadlineLabel(d: Pick<Deadline, 'kind' | 'window'>): string {
  const label = t(`deadline.${d.kind}`);
  return d.window ? t('deadline.withWindow', { label, window: windowText(d.window) }) : label;
}

/** The deadline the case will miss first; a paused clock (waiting for the customer) comes last. */
export function nearest(view: CaseView): Deadline | null {
  const sorted = [...view.deadlines].sort(
    (a, b) => Number(a.paused) - Number(b.paused) || Date.parse(a.dueAt) - Date.parse(b.dueAt),
  );
  return sorted[0] ?? null;
}

export function byNearestDeadline(a: CaseView, b: CaseView): number {
  const da = nearest(a);
  const db = nearest(b);
  if (!da || !db) return Number(!da) - Number(!db);
  return Number(da.paused) - Number(db.paused) || Date.parse(da.dueAt) - Date.parse(db.dueAt);
}

/** A live countdown: the page's one-second tick rewrites every element carrying data-due. */
export function countdownEl(d: Deadline): HTMLElement {
  if (d.paused) return h('span', { class: 'countdown paused' }, t('paused'));
  const c = countdown(d.dueAt);
  return h('span', { class: c.overdue ? 'countdown overdue' : 'countdown', 'data-due': d.dueAt }, c.text);
}
