import type { UpdateDefinition } from '@temporalio/client';
import type { CaseViewV1 } from '../../shared/caseView';
import {
  assignUpdate,
  briefUpdate,
  customerResponseUpdate,
  firstResponseUpdate,
  proposeResolutionUpdate,
  repairCompletedUpdate,
  satisfactionUpdate,
} from '../../shared/messages';
import { agent, openCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  answered,
  breachOf,
  customerTemplates,
  eventually,
  hasDeadline,
  nextServiceOpening,
  policyAt,
  quiet,
  quietView,
  settle,
  sleepUntil,
  slaEvents,
  staffAlertsTo,
  timeline,
} from './helpers';
import type { OpenedCase } from '../support/cases';
import type { SlaPolicy } from '../../shared/policy';

/**
 * A case continued as new in the middle of a stage keeps everything,
 * and calendar data that runs out reaches ops once. Apart from process.test.ts so that each suite's
 * connection to its time-skipping server stays short-lived (the server drops a long-lived one for
 * "excess pings", and a time skip in flight is then lost).
 */

// A harness per test: each time-skipping server and its connection live seconds, not minutes.
const h = useWorkflowHarness('continuation', { each: true });

/**
 * Skips test-server time in half-day steps: each step is a short call, and the workflow continues
 * as new between them rather than inside one long skip (the server has lost long ones).
 */
async function skip(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= HALF_DAY) await h.env.sleep(Math.min(left, HALF_DAY));
}
const HALF_DAY = DAY / 2;

const alertsTo = (id: string, to: string) => staffAlertsTo(h, id, to);

describe('continue-as-new in the middle of every stage', () => {
  it('keeps the timeline, SLA facts, background waits and progress schedule across runs', async () => {
    // Past the updates below: the time-skipping server mishandles an update that meets a continue-as-new.
    const policy = await policyAt(h, 10, { continueAsNewAtEvents: 100 });
    const c = await openCase(h, { policy });
    const runs = new Set<string>();
    const track = async () => runs.add((await c.handle.describe()).runId);
    await track();
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await c.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: 'We are looking into it.', requestEvidence: false, actor: agent }],
    });
    await settle(c, hasDeadline('merchant_reply'), 'the merchant reply wait', { quiet: true });
    await track();
    await skip(4 * DAY);
    await settle(c, (x) => x.investigation.merchantReplyMissed, 'the merchant reply missed after the continue-as-new', {
      quiet: true,
    });
    await track();
    expect(runs.size).toBeGreaterThan(1);
    const t = await timeline(c);
    // The first run's facts are kept: the opening (after the department routing the opening decided) leads.
    expect(t.slice(0, 2).map((e) => e.action)).toContain('complaint_opened');
    expect(t.map((e) => e.seq)).toEqual(t.map((_, i) => i + 1));
    const progress = (await customerTemplates(h, c.input.complaintId)).filter((x) => x === 'progress_update');
    // Opened on day 0, first update after 3 days, then one per working day: at most 2 in 4 days.
    expect(progress.length).toBeLessThanOrEqual(2);
    const v = await quietView(c);
    expect(breachOf(v, 'merchant_reply')).toHaveLength(1);
    expect(
      (await alertsTo(c.input.complaintId, 'merchant_ops')).filter((a) => a.template === 'staff:merchant_reply_missed'),
    ).toHaveLength(1);
    const facts = await slaEvents(c);
    expect(facts.filter((e) => e.kind === 'first_response' && e.event === 'met')).toHaveLength(1);
  }, 200_000);

  it('a case continued as new several times still closes with one fact per deadline', async () => {
    // Without warnings, so the runs end where they did when this was written; every update reaches a
    // sleeping case, and every read too (`settle` with `quiet`), since the time-skipping server loses time
    // skipping for good when an update or a query meets a continue-as-new (docs/liveness.md), and on a
    // loaded machine a run may end at any task.
    const policy = await policyAt(h, 10, { continueAsNewAtEvents: 50, warnings: { share: 0.75, kinds: [] } });
    const c = await openCase(h, { policy });
    const onceAsleep = async <T>(update: UpdateDefinition<CaseViewV1, [T]>, arg: T) => {
      await quiet(c);
      return c.handle.executeUpdate(update, { args: [arg] });
    };
    await onceAsleep(assignUpdate, { agentId: agent.sub, actor: agent });
    await onceAsleep(firstResponseUpdate, { message: 'We are looking into it.', requestEvidence: false, actor: agent });
    await onceAsleep(briefUpdate, {
      responsibility: 'merchant',
      findings: 'Defect confirmed from the photos',
      actor: agent,
    });
    await onceAsleep(proposeResolutionUpdate, {
      type: 'repair',
      note: 'Our proposal after the investigation',
      actor: agent,
    });
    await settle(
      c,
      (x) => x.resolution.steps.some((s) => s.name === 'repair' && s.status === 'waiting'),
      'the repair step',
      { quiet: true },
    );
    await onceAsleep(repairCompletedUpdate, { note: 'fixed', actor: c.merchant });
    await settle(c, (x) => x.status === 'awaiting_customer', 'the objection window', { quiet: true });
    await onceAsleep(customerResponseUpdate, { accept: true, actor: c.customer });
    await skip(2 * DAY);
    await settle(c, (x) => x.satisfaction.callbackSentAt !== null, 'the callback sent', { quiet: true });
    await onceAsleep(satisfactionUpdate, { rating: 4, actor: c.customer });
    await settle(c, (x) => x.status === 'closed', 'the close', { quiet: true });
    const run = await c.handle.describe();
    expect(run.runId).not.toBe(run.raw.workflowExecutionInfo?.firstRunId);
    const facts = await slaEvents(c);
    const activated = facts.filter((e) => e.event === 'activated').length;
    const ended = facts.filter((e) => ['met', 'breached', 'cancelled'].includes(e.event)).length;
    expect(ended).toBe(activated);
    expect(facts.map((e) => e.seq)).toEqual(facts.map((_, i) => i + 1));
  }, 200_000);
});

/**
 * Opens a case at 22:mm local that decides to continue as new in exactly the task where its first
 * timer fires. That task's history length is the length while the case sleeps plus the timer's
 * firing and a workflow task (scheduled, started); the task before it saw less than the sleeping
 * length. So a threshold fits the cases that sleep at threshold-3 to threshold. The sleeping length
 * varies by up to a dozen events from case to case (how the opening's activity results fall into
 * workflow tasks, more so on a loaded machine), so each round opens a few cases side by side whose
 * windows tile a stretch around the length last seen, and keeps one that fits.
 */
async function continuingAtItsFirstTimer(
  overrides: Record<string, unknown>,
): Promise<{ c: OpenedCase; policy: SlaPolicy; asleep: number }> {
  const probe = await openCase(h, { policy: await policyAt(h, 22, overrides) });
  let expected = await quiet(probe);
  await probe.handle.terminate('test: its history length was measured');
  const seen = [`probe ${expected}`];
  for (let round = 0; round < 8; round++) {
    const tries = await Promise.all(
      WINDOW_STARTS.map(async (start) => {
        const threshold = expected + start + 3;
        const policy = await policyAt(h, 22, { ...overrides, continueAsNewAtEvents: threshold });
        const c = await openCase(h, { policy });
        const asleep = await quiet(c);
        const { runId, raw } = await c.handle.describe();
        const continued = runId !== raw.workflowExecutionInfo?.firstRunId;
        const fits = !continued && asleep <= threshold && asleep + 3 >= threshold;
        return { c, policy, asleep, threshold, continued, fits };
      }),
    );
    const kept = tries.find((t) => t.fits);
    await Promise.all(tries.filter((t) => t !== kept).map((t) => t.c.handle.terminate('test: another case was kept')));
    if (kept) return kept;
    seen.push(tries.map((t) => `${t.threshold}→${t.continued ? 'continued before sleeping' : t.asleep}`).join(' '));
    // Cases that continued before sleeping slept past their threshold: with none asleep, the next stretch starts past the last.
    const asleep = tries
      .filter((t) => !t.continued)
      .map((t) => t.asleep)
      .sort((a, b) => a - b);
    expected = asleep.length ? asleep[Math.floor(asleep.length / 2)] : tries[tries.length - 1].threshold + 3;
  }
  throw new Error(
    `no case slept at a history length its threshold fits (threshold→asleep per round: ${seen.join('; ')})`,
  );
}
/** Each case's window of sleeping lengths starts this far from the length expected: three windows of four, side by side. */
const WINDOW_STARTS = [-3, 1, 5];

describe('a deadline missed in the task that decides to continue as new (simulation seed 108 case 2)', () => {
  it('still alerts the person the miss escalated to', async () => {
    // Opened at 22:mm local with a 1 h product target (calendar time): it misses at 23:mm, and the
    // supervisor's alert waits for 09:00 (docs/domain.md §4.4: alerts on a medium case wait for service hours).
    // No warnings, so nothing else is in flight when the miss fires.
    const overrides = { categoryTargets: { product: 'PT1H' }, warnings: { share: 0.75, kinds: [] } };
    const { c, policy, asleep } = await continuingAtItsFirstTimer(overrides);
    const first = (await c.handle.describe()).runId;
    const opened = Date.parse(c.input.openedAt);
    const serviceOpens = nextServiceOpening(opened + HOUR, policy.calendar.timeZone);
    await sleepUntil(h, serviceOpens + 5 * MINUTE);
    await eventually(
      () => alertsTo(c.input.complaintId, 'supervisor'),
      (a) => a.some((x) => x.template === 'staff:category_target_breached'),
      "the supervisor's alert at 09:00",
    );
    const v = await settle(c, (x) => breachOf(x, 'category_target').length === 1, 'the category target missed');
    expect(Date.parse(breachOf(v, 'category_target')[0].dueAt)).toBe(Date.parse(v.createdAt) + HOUR);
    // The miss fired in the task that met the threshold (nothing came between), and the run went on as new.
    const events = (await h.env.client.workflow.getHandle(c.input.complaintId, first).fetchHistory()).events ?? [];
    expect(Number(events.find((e) => e.timerFiredEventAttributes)?.eventId)).toBe(asleep + 1);
    expect(events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  }, 200_000);
});

describe('calendar data runs out', () => {
  it('a deadline in a year without holiday data alerts ops once', async () => {
    // As in January 2027 with 2026's data only: a calendar whose data covers none of the case's years.
    const c = await answered(h, {
      policy: await policyAt(h, 10, { calendar: { coveredYears: [2025], holidays: [], makeUpWorkdays: [] } }),
    });
    await eventually(
      () => alertsTo(c.input.complaintId, 'ops_manager'),
      (a) => a.some((x) => x.template === 'staff:calendar_data_missing'),
      'the calendar alert',
    );
    await skip(5 * DAY);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await alertsTo(c.input.complaintId, 'ops_manager')).filter((x) => x.template === 'staff:calendar_data_missing'),
    ).toHaveLength(1);
  });
});
