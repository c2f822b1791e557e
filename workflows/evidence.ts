import { condition } from '@temporalio/workflow';
import { nextServiceStart, sameTimeOnWorkingDay } from '../shared/calendar';
import { type Case, SYSTEM } from './case';
import { awaitDeadline } from './deadlines';
import { notifyStaff, sendCustomer } from './messaging';

/**
 * docs/domain.md §5.5, §6.3: the customer asked for evidence has a window of working days to
 * send it (the investigation's clock stops meanwhile), is reminded half way, and when the window
 * ends without it the investigation resumes and decides on what it has: the owner (else the
 * supervisor) is told. A background wait, so continue-as-new carries it (stages.ts).
 */

/** Cases opened before the policy named the window carry none: 3 working days (docs/domain.md §3). */
const SPEC_WORKING_DAYS = 3;

export async function evidenceWindow(c: Case): Promise<void> {
  const days = c.policy.evidenceWindow?.workingDays ?? SPEC_WORKING_DAYS;
  const cal = c.policy.calendar;
  // A continued run finds the window where the previous run showed it.
  const shown = c.view.deadlines.find((d) => d.kind === 'evidence');
  const since = shown ? Date.parse(shown.since) : Date.now();
  const dueMs = sameTimeOnWorkingDay(since, days, cal);
  const waiting = () => c.view.awaitingEvidence && !c.closed;
  const reminder = remindHalfWay(c, since, dueMs, waiting);
  const outcome = await awaitDeadline(c, (recipient, event, text) => notifyStaff(c, recipient, event, text), {
    kind: 'evidence',
    dueMs,
    freshWindow: (from) => sameTimeOnWorkingDay(from, days, cal),
    windowStart: since,
    met: () => !c.view.awaitingEvidence,
    cancelled: () => c.closed,
    onMiss: 'expire',
  });
  await reminder;
  if (outcome !== 'missed' || !waiting()) return;
  c.view.awaitingEvidence = false;
  c.setStage('investigating');
  c.audit(SYSTEM, 'handling_clock_resumed', { why: `no evidence within ${days} working days` });
  await notifyStaff(
    c,
    c.view.owner ?? 'supervisor',
    'evidence_not_received',
    `${c.view.complaintId}: the customer sent no evidence within ${days} working days; the investigation resumes on what it has`,
  );
}

/** Once, at the first service hour past the window's middle, unless the evidence came or a previous run sent it. */
async function remindHalfWay(c: Case, since: number, dueMs: number, waiting: () => boolean): Promise<void> {
  const key = `evidence_reminder:${since}`;
  if (c.state.alertsSent.includes(key)) return;
  const at = nextServiceStart(since + (dueMs - since) / 2, c.policy.calendar);
  if (await condition(() => !waiting(), Math.max(1, at - Date.now()))) return;
  c.state.alertsSent.push(key);
  await sendCustomer(c, 'evidence_request', { dueAt: new Date(dueMs).toISOString() });
}
