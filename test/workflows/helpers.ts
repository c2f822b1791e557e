import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import type { CaseViewV1, SlaEventV1, TimelineEntryV1 } from '../../shared/caseView';
import type { ApprovalDecisionV1, ProposeResolutionV1 } from '../../shared/commands';
import type { DeadlineKind } from '../../shared/domain';
import type { Actor } from '../../shared/intake';
import {
  type CarriedState,
  approvalUpdate,
  assignUpdate,
  briefUpdate,
  calendarUpdatedSignal,
  caseViewQuery,
  firstResponseUpdate,
  proposeResolutionUpdate,
  slaEventsQuery,
  timelineQuery,
} from '../../shared/messages';
import { DEFAULT_POLICY, SlaPolicy } from '../../shared/policy';
import { agent, openCase, quiet, sandboxRecords, settle, type CaseOptions, type OpenedCase } from '../support/cases';
import { eventually } from '../support/poll';
import { type Harness, chainOf } from '../../dev/stack/harness';

/** The suites' pollers (test/support/), beside the case-reading helpers below. */
export { eventually, quiet, settle };

/**
 * What the workflow suites share: clock-independent policies, waiting for a case to reach a state
 * (activities run on real time, timers on skipped time), reading refusals and sandbox records.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * A policy whose calendar makes the local clock read `localHour`:mm right now (test-server time),
 * so a deadline that depends on the time of day takes the same branch whenever the suite runs.
 * `Etc/GMT-N` is UTC+N (the IANA sign is inverted); every offset from -12 to +14 exists.
 */
export async function policyAt(
  h: Harness,
  localHour: number,
  overrides: Record<string, unknown> = {},
): Promise<SlaPolicy> {
  const utcHour = new Date(await h.env.currentTimeMs()).getUTCHours();
  let offset = (((localHour - utcHour) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  const timeZone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  const calendar = { ...DEFAULT_POLICY.calendar, ...((overrides.calendar as object | undefined) ?? {}), timeZone };
  // Department routing (docs/domain.md §6.5) adds notices and timeline facts the suites written before it do not
  // account for: they run without it, and the departments suite asks for it.
  return SlaPolicy.parse({ ...DEFAULT_POLICY, departments: {}, ...overrides, calendar });
}

/**
 * The reference clock of docs/domain.md §4, written here with plain arithmetic (never
 * shared/calendar.ts): service hours are 09:00–21:00 local, every calendar day, in the fixed-offset zones policyAt()
 * uses. `Etc/GMT-8` is UTC+8 (the IANA sign is inverted); Asia/Shanghai is UTC+8 all year.
 */
export const SERVICE_OPENS = 9 * HOUR;
export const SERVICE_CLOSES = 21 * HOUR;

/** The zone's offset from UTC in ms, for `Etc/GMT`, `Etc/GMT±N` and Asia/Shanghai. */
export function zoneOffsetMs(timeZone: string): number {
  if (timeZone === 'Asia/Shanghai') return 8 * HOUR;
  if (timeZone === 'Etc/GMT' || timeZone === 'UTC') return 0;
  const m = /^Etc\/GMT([+-])(\d{1,2})$/.exec(timeZone);
  if (!m) throw new Error(`no fixed offset known for ${timeZone}`);
  return (m[1] === '-' ? 1 : -1) * Number(m[2]) * HOUR;
}

/** Milliseconds since local midnight of `ms` in the zone. */
export function localClockMs(ms: number, timeZone: string): number {
  const local = ms + zoneOffsetMs(timeZone);
  return ((local % DAY) + DAY) % DAY;
}

/** `ms` if service is open then, else the next 09:00 local. */
export function nextServiceOpening(ms: number, timeZone: string): number {
  const clock = localClockMs(ms, timeZone);
  if (clock < SERVICE_OPENS) return ms - clock + SERVICE_OPENS;
  if (clock >= SERVICE_CLOSES) return ms - clock + DAY + SERVICE_OPENS;
  return ms;
}

/** `start` + `durationMs` of service time: a window that uses up a day ends at 21:00, not at the next 09:00. */
export function plusServiceTime(start: number, durationMs: number, timeZone: string): number {
  let cursor = start;
  let remaining = durationMs;
  while (remaining > 0) {
    cursor = nextServiceOpening(cursor, timeZone);
    const step = Math.min(remaining, SERVICE_CLOSES - localClockMs(cursor, timeZone));
    cursor += step;
    remaining -= step;
  }
  return cursor;
}

/**
 * The last millisecond (23:59:59.999 local) of the `days`-th working day after the local date of
 * `start` (docs/domain.md §4.2): Monday to Friday, less the calendar's holidays, plus its make-up workdays (调休).
 * Plain date arithmetic over the policy's data lists, for the fixed-offset zones of policyAt().
 */
export function endOfWorkingDays(
  start: number,
  days: number,
  cal: { timeZone: string; holidays: string[]; makeUpWorkdays: string[] },
): number {
  const offset = zoneOffsetMs(cal.timeZone);
  let day = Math.floor((start + offset) / DAY);
  for (let counted = 0; counted < days;) {
    day += 1;
    const date = new Date(day * DAY);
    const iso = date.toISOString().slice(0, 10);
    const weekday = date.getUTCDay();
    if (cal.makeUpWorkdays.includes(iso) || (weekday >= 1 && weekday <= 5 && !cal.holidays.includes(iso))) counted += 1;
  }
  return (day + 1) * DAY - 1 - offset;
}

/** What every run of the case's chain began with: the state the run before it carried (none for the first). */
export async function runsOf(h: Harness, c: OpenedCase): Promise<Array<CarriedState | undefined>> {
  return (await chainOf(h.env.client, c.input.complaintId)).map((history) => {
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return input ? defaultPayloadConverter.fromPayload<{ carried?: CarriedState }>(input).carried : undefined;
  });
}

/**
 * Grows the case's history until a run begins whose carried state passes `begun` (the history
 * continued as new), for a case whose policy continues after `continueAtEvents`. What grows it is a
 * calendar rollout sending the case its own calendar again, which changes nothing
 * (workflows/calendarUpdates.ts): a few events each time, as a long wait's reminders and progress
 * updates add, but on no clock and no working day, so a suite does not depend on the date.
 */
export async function continuedAsNew(
  h: Harness,
  c: OpenedCase,
  begun: (s: CarriedState) => boolean,
  continueAtEvents: number,
): Promise<void> {
  const sameCalendar = {
    policyVersion: 0,
    calendar: { ...c.input.policy.calendar, computedYears: c.input.policy.calendar.computedYears ?? [] },
  };
  const runsBegun = async () => (await runsOf(h, c)).filter((s) => s !== undefined && begun(s)).length;
  const before = await runsBegun();
  // Each rollout adds four events: as many as the limit is far more than enough.
  for (let sent = 0; (await runsBegun()) === before; sent++) {
    if (sent === continueAtEvents)
      throw new Error(`no new run of ${c.input.complaintId} began as asked (runs: ${(await runsOf(h, c)).length})`);
    await quiet(c);
    await c.handle.signal(calendarUpdatedSignal, sameCalendar);
  }
  await quiet(c);
}

export const view = (c: OpenedCase) => c.handle.query(caseViewQuery);
/** The view once nothing is in flight: for a case that may continue as new (`settle`'s `quiet`). */
export const quietView = async (c: OpenedCase) => {
  await quiet(c);
  return view(c);
};
export const timeline = (c: OpenedCase): Promise<TimelineEntryV1[]> => c.handle.query(timelineQuery);
export const slaEvents = (c: OpenedCase): Promise<SlaEventV1[]> => c.handle.query(slaEventsQuery);
export const deadline = (v: CaseViewV1, kind: DeadlineKind) => v.deadlines.find((d) => d.kind === kind);
export const hasDeadline = (kind: DeadlineKind) => (v: CaseViewV1) => deadline(v, kind) !== undefined;
export const breachOf = (v: CaseViewV1, kind: DeadlineKind) => v.breaches.filter((b) => b.kind === kind);

/**
 * Skips test-server time to `ms` in half-day steps: a long skip in one call has been lost by the
 * server. For the suites whose cases sleep for days (calendar, liveness).
 */
export async function skipTo(h: Harness, ms: number): Promise<void> {
  for (let now = await h.env.currentTimeMs(); now < ms; now = await h.env.currentTimeMs())
    await h.env.sleep(Math.min(ms - now, DAY / 2));
}

/** Skips test-server time to `ms` (no-op when already past). */
export async function sleepUntil(h: Harness, ms: number): Promise<void> {
  const now = await h.env.currentTimeMs();
  if (ms > now) await h.env.sleep(ms - now);
}

/** Runs an update expected to be refused by its validator; returns the refusal's error code. */
export async function refusal(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    if (!(err.cause instanceof ApplicationFailure)) throw err;
    return err.cause.type ?? undefined;
  }
  throw new Error('the update was accepted');
}

/** Customer messages (templates) and staff alerts of one case, as the sandbox received them. */
export async function customerTemplates(h: Harness, complaintId: string): Promise<string[]> {
  return (await sandboxRecords.sms(h, complaintId)).filter((m) => !m.to.startsWith('staff:')).map((m) => m.template);
}

export async function staffAlerts(h: Harness, complaintId: string): Promise<Array<{ to: string; template: string }>> {
  return (await sandboxRecords.sms(h, complaintId))
    .filter((m) => m.to.startsWith('staff:'))
    .map(({ to, template }) => ({ to, template }));
}

/** The staff alerts of one case that escalate or report a miss, without the warnings before a breach (docs/domain.md §3.2). */
export async function escalationAlerts(
  h: Harness,
  complaintId: string,
): Promise<Array<{ to: string; template: string }>> {
  return (await staffAlerts(h, complaintId)).filter((a) => !a.template.endsWith('_warning'));
}

/** The staff alerts of one case sent to one person or role. */
export async function staffAlertsTo(
  h: Harness,
  complaintId: string,
  to: string,
): Promise<Array<{ to: string; template: string }>> {
  return (await staffAlerts(h, complaintId)).filter((a) => a.to === `staff:${to}`);
}

/** Waits for a staff alert: alerts go out after the change that causes them is recorded. */
export async function alerted(h: Harness, complaintId: string, alert: { to: string; template: string }): Promise<void> {
  await eventually(
    () => staffAlerts(h, complaintId),
    (a) => a.some((x) => x.to === alert.to && x.template === alert.template),
    `${alert.template} to ${alert.to}`,
  );
}

export async function faults(
  h: Harness,
  fault: { service: string; mode: 'error' | 'timeout' | 'decline'; rate: number; count?: number } | null,
): Promise<void> {
  const res = fault
    ? await fetch(`${h.sandbox.url}/_faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      })
    : await fetch(`${h.sandbox.url}/_faults`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

/** The case after the receipt went out and the investigation began (the workflow's own pace). */
export const investigating = (v: CaseViewV1) => v.investigation.dueAt !== null && hasDeadline('investigation')(v);

/** Opens a case, assigns it to `agent` and gives the first response; waits for the investigation to start. */
export async function answered(h: Harness, opts: CaseOptions = {}, requestEvidence = false): Promise<OpenedCase> {
  const c = await openCase(h, opts);
  await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
  await c.handle.executeUpdate(firstResponseUpdate, {
    args: [{ message: 'We are looking into it.', requestEvidence, actor: agent }],
  });
  await settle(c, (v) => v.investigation.dueAt !== null, 'the investigation');
  return c;
}

/** Up to the brief: the investigation is closed and the owner may propose. */
export async function briefed(h: Harness, opts: CaseOptions = {}): Promise<OpenedCase> {
  const c = await answered(h, opts);
  await c.handle.executeUpdate(briefUpdate, {
    args: [{ responsibility: 'merchant', findings: 'Defect confirmed from the photos', actor: agent }],
  });
  await settle(c, hasDeadline('proposal'), 'the proposal deadline');
  return c;
}

/** The case once its solution is carried out (docs/domain.md §8) and the customer may object to it (docs/domain.md §9.1). */
export const solved = (c: OpenedCase) =>
  settle(c, (v) => v.status === 'awaiting_customer', 'the solution (awaiting_customer)');

export type Proposal = Omit<ProposeResolutionV1, 'note'> & { note?: string };

/** Round one is proposed by its agent; a second round by a supervisor (it is handled one level up). */
export async function propose(c: OpenedCase, p: Proposal, by: Actor = agent): Promise<CaseViewV1> {
  return c.handle.executeUpdate(proposeResolutionUpdate, {
    args: [{ note: 'Our proposal after the investigation', ...p, actor: by }],
  });
}

/** The approver's decision on the proposal that awaits it (docs/domain.md §7). */
export async function decide(
  c: OpenedCase,
  by: Actor,
  decision: ApprovalDecisionV1['decision'],
  reason = 'Checked the evidence',
): Promise<CaseViewV1> {
  return c.handle.executeUpdate(approvalUpdate, { args: [{ decision, reason, actor: by }] });
}
