import { addServiceTime, serviceTimeBetween } from './calendar';
import type { DeadlineKind } from './domain';
import type { CalendarPolicy } from './policy';

/**
 * Where a deadline's window stands: the share of it used, and when a given share is reached, each
 * on the deadline's own clock (service time for the windows people must meet, calendar time for
 * the rest). The workflow warns with it; the API shows it. Zod-free: workflow code imports it.
 */

/** Defaults of the warning before a breach (docs/domain.md §3.2; Alga PSA warns at 50/75/90 %, Zammad "in N minutes"). */
export const WARNING_DEFAULTS = {
  share: 0.75,
  kinds: [
    'first_response',
    'handling',
    'investigation',
    'merchant_reply',
    'category_target',
    'proposal',
    'approval',
    // docs/domain.md §8.6: the owner chases the testing lab before its result is overdue.
    'third_party_testing',
  ] as DeadlineKind[],
};

export interface WindowClock {
  calendar: CalendarPolicy;
  escalation: { serviceTimeDeadlines: readonly DeadlineKind[] };
}

function inServiceTime(clock: WindowClock, kind: DeadlineKind): boolean {
  return clock.escalation.serviceTimeDeadlines.includes(kind);
}

/** The instant at which `share` of the window [startMs, dueMs] has passed. */
export function windowShareAt(
  clock: WindowClock,
  kind: DeadlineKind,
  startMs: number,
  dueMs: number,
  share: number,
): number {
  if (dueMs <= startMs) return dueMs;
  if (!inServiceTime(clock, kind)) return startMs + Math.round(share * (dueMs - startMs));
  return addServiceTime(
    startMs,
    Math.round(share * serviceTimeBetween(startMs, dueMs, clock.calendar)),
    clock.calendar,
  );
}

/** The share of the window [startMs, dueMs] used at `nowMs`, from 0 to 1 (1 once due). */
export function windowShareUsed(
  clock: WindowClock,
  kind: DeadlineKind,
  startMs: number,
  dueMs: number,
  nowMs: number,
): number {
  if (nowMs >= dueMs || dueMs <= startMs) return 1;
  if (nowMs <= startMs) return 0;
  const service = inServiceTime(clock, kind) ? serviceTimeBetween(startMs, dueMs, clock.calendar) : 0;
  const used =
    service > 0 ? serviceTimeBetween(startMs, nowMs, clock.calendar) / service : (nowMs - startMs) / (dueMs - startMs);
  return Math.round(Math.min(1, used) * 100) / 100;
}
