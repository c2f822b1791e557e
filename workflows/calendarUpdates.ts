import { patched, setHandler } from '@temporalio/workflow';
import { addWorkingDays } from '../shared/calendar';
import { type CalendarUpdateV1, calendarUpdatedSignal } from '../shared/messages';
import { type Case, SYSTEM } from './case';
import { PATCHES } from './patches';
import { investigationWorkingDays } from './stages';

/**
 * A newer calendar for a running case (docs/domain.md §4.2: the calendar is live data): a published policy
 * version's holidays and make-up workdays replace the case's, and the working-day deadlines still
 * pending move with them. Only the calendar: the case's windows, service hours and zone stay as
 * promised when it opened. A version the case already has, or an older one, changes nothing, so the
 * rollout may send it again after a retry.
 */
export function registerCalendarUpdates(c: Case): void {
  setHandler(calendarUpdatedSignal, (update) => {
    // A worker from before this code dropped the signal: such a history replays as it ran.
    if (!patched(PATCHES.liveCalendar.id)) return;
    applyCalendar(c, update);
  });
}

function calendarVersionOf(c: Case): number {
  const { calendar, version } = c.policy;
  // Cases opened before policies were published with numbers carry a label; any published version is newer.
  return calendar.policyVersion ?? (/^\d+$/.test(version) ? Number(version) : 0);
}

function applyCalendar(c: Case, { policyVersion, calendar }: CalendarUpdateV1): void {
  const from = calendarVersionOf(c);
  if (c.closed || policyVersion <= from) return;
  const { holidays, makeUpWorkdays, coveredYears, computedYears } = calendar;
  Object.assign(c.policy.calendar, {
    holidays,
    makeUpWorkdays,
    coveredYears,
    computedYears: computedYears ?? [],
    policyVersion,
  });
  const moved = moveInvestigation(c);
  c.audit(SYSTEM, 'calendar_updated', { fromPolicyVersion: from, toPolicyVersion: policyVersion, ...moved });
}

/** The investigation counts working days from opening; its wait reads the due time again and re-arms. */
function moveInvestigation(c: Case): { investigationDueAt?: { from: string; to: string } } {
  const { investigation } = c.view;
  if (!investigation.dueAt || investigation.brief) return {};
  const to = new Date(
    addWorkingDays(Date.parse(c.view.createdAt), investigationWorkingDays(c), c.policy.calendar),
  ).toISOString();
  if (to === investigation.dueAt) return {};
  const from = investigation.dueAt;
  investigation.dueAt = to;
  c.touch();
  return { investigationDueAt: { from, to } };
}
