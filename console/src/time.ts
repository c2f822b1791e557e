import { lang, t } from './i18n.js';

/** Times as the platform reads them: every time shown is in the platform's zone (Asia/Shanghai), whatever the browser's. */

let zone = 'Asia/Shanghai';
export function setTimeZone(tz: string): void {
  zone = tz;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: zone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** The platform's calendar day of an instant, YYYY-MM-DD. */
export function dayOf(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(ms),
  );
}

/** Midnight of a platform day (YYYY-MM-DD) as an ISO instant with the zone's offset. */
export function midnightOf(day: string): string {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(
    new Date(guess),
  );
  const offset = parts.find((p) => p.type === 'timeZoneName')?.value.replace('GMT', '') || '+00:00';
  return `${day}T00:00:00${offset}`;
}

/** "2小时05分" / "2 h 05 min" left, or how long ago it passed. */
export function countdown(dueIso: string, nowMs = Date.now()): { text: string; overdue: boolean } {
  const ms = Date.parse(dueIso) - nowMs;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const hh = Math.floor((abs % 86_400_000) / 3_600_000);
  const mm = Math.floor((abs % 3_600_000) / 60_000);
  const ss = Math.floor((abs % 60_000) / 1000);
  const span =
    d > 0
      ? t('span.dh', { d, h: hh })
      : hh > 0
        ? t('span.hm', { h: hh, m: String(mm).padStart(2, '0') })
        : t('span.ms', { m: mm, s: String(ss).padStart(2, '0') });
  return ms >= 0 ? { text: t('left', { span }), overdue: false } : { text: t('overdue', { span }), overdue: true };
}

/** Keeps every `[data-due]` element's countdown live, once a second, without re-rendering the page. */
export function tickCountdowns(root: ParentNode = document): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-due]'))) {
    const c = countdown(el.dataset.due ?? '');
    el.textContent = c.text;
    el.classList.toggle('overdue', c.overdue);
  }
}
