import type { Connection } from 'mongoose';
import type { CalendarPolicy } from '../shared/policy';
import { activeVersion, policyVersionModel } from '../store/policyVersions';

/** What the calendar watch (workflows/calendarWatch.ts) reads: the calendar new cases open with. */
export interface CalendarCoverage {
  policyVersion: number;
  calendar: CalendarPolicy;
}

export function createCalendarWatchActivities({ connection }: { connection: Connection }) {
  return {
    /** The newest published version's calendar; null while no version is published yet. */
    async activeCalendar(): Promise<CalendarCoverage | null> {
      const active = await activeVersion(policyVersionModel(connection));
      return active ? { policyVersion: active._id, calendar: active.policy.calendar } : null;
    },
  };
}

export type CalendarWatchActivities = ReturnType<typeof createCalendarWatchActivities>;
