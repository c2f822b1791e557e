import { DateTime } from 'luxon';
import type { CaseViewV1 } from './caseView';

/**
 * Times as a customer reads them: in their time zone and language (mainland customers read
 * Simplified Chinese and Beijing time). One home for messages and the case view. Zod-free at run
 * time: workflow code imports it.
 */

export type CustomerLocaleName = 'zh-CN' | 'en';

export function customerTime(ms: number, locale: CustomerLocaleName, timeZone: string): string {
  const zh = locale === 'zh-CN';
  return DateTime.fromMillis(ms, { zone: timeZone })
    .setLocale(locale)
    .toFormat(zh ? "yyyy年M月d日 HH:mm '('ZZZZ')'" : "HH:mm, d LLL yyyy '('ZZZZ')'");
}

/** Deadlines that wait on the customer, not on us: they say nothing of when we are done. */
const CUSTOMER_SIDE = new Set(['objection_window', 'satisfaction_callback', 'feedback']);

/**
 * docs/domain.md §3.3: when the case is expected to be done, from the deadlines running now: the latest of ours.
 * It moves when one moves (an extension, a pause, a priority change). Null when closed or when
 * nothing of ours is running.
 */
export function expectedByMs(view: CaseViewV1): number | null {
  if (view.status === 'closed') return null;
  const ours = view.deadlines.filter((d) => !CUSTOMER_SIDE.has(d.kind)).map((d) => Date.parse(d.dueAt));
  return ours.length ? Math.max(...ours) : null;
}

/** `expectedByMs` as the customer reads it, in their zone and language. */
export function expectedBy(
  ms: number,
  locale: CustomerLocaleName,
  timeZone: string,
): NonNullable<CaseViewV1['expectedBy']> {
  const at = DateTime.fromMillis(ms, { zone: timeZone }).toISO() ?? new Date(ms).toISOString();
  return { at, text: customerTime(ms, locale, timeZone), locale, timeZone };
}
