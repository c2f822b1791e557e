/**
 * What the policy page reads of the API's policy routes (`/v1/policy...` in `/openapi.json`). Written against
 * the published contract (`PolicyVersionV1`, `PolicyCalendarV1` in `/openapi.json`), as any client is;
 * the what-if report is read part by part (whatIfReport.ts).
 */

export interface CalendarPolicy {
  timeZone: string;
  serviceHours: { start: string; end: string };
  workingWeekdays: number[];
  holidays: string[];
  makeUpWorkdays: string[];
  coveredYears: number[];
  computedYears?: number[];
}

/** The SLA policy as JSON: the page edits only the calendar and sends every other field back untouched. */
export interface SlaPolicy {
  version: string;
  calendar: CalendarPolicy;
  [field: string]: unknown;
}

export interface Actor {
  sub: string;
  role: string;
}

/** One difference from the version a draft was based on: a value changed, or items added to / removed from a list. */
export interface PolicyChange {
  /** A dot path: firstResponse, calendar.serviceHours.end, calendar.holidays. */
  path: string;
  from?: unknown;
  to?: unknown;
  added?: unknown[];
  removed?: unknown[];
}

export interface PolicyVersion {
  id: number;
  status: 'draft' | 'published';
  policy: SlaPolicy;
  basedOn: number | null;
  createdBy: Actor;
  createdAt: string;
  reason?: string | null;
  publishedBy?: Actor | null;
  publishedAt?: string | null;
  publishReason?: string | null;
  changes: PolicyChange[];
  /** The audit trail, oldest first: seeded, drafted, published. */
  events?: Array<{ action: string; by: Actor; at: string; reason: string | null }>;
  /** Once published: the workflow offering the new calendar to running cases. */
  rollout?: { workflowId: string; startedAt: string | null };
}

export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'make_up_workday';
  source: 'official' | 'computed';
  festival?: string;
}

export interface YearCalendar {
  year: number;
  official: boolean;
  days: CalendarDay[];
}

/** One year of the State Council's schedule, as the data files of shared/calendar-data/ hold it. */
export interface OfficialSchedule {
  year: number;
  source: string;
  holidays: string[];
  makeUpWorkdays: string[];
}
