import {
  ActivityFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import { addWorkingDays, durationMs, firstResponseDue, sameTimeOnWorkingDay } from './calendar';
import type { CaseViewV1 } from '../../../shared/caseView';
import type { EscalationLevel } from '../../../shared/domain';
import { ESCALATION_ROLES } from './escalation';
import { type ComplaintWorkflowInput, caseViewQuery, slaEventsQuery, timelineQuery } from '../../../shared/messages';
import type { ComplaintActivities } from '../../../activities';
import { Case, SYSTEM, nowIso } from './case';
import { awaitDeadline } from './deadlines';
import { registerActions } from './actions';
import { executeResolution } from './execution';
import { messaging, sendCustomer } from './messaging';

/**
 * FROZEN: the complaint workflow as cases started before process-rev-3 run it (workflows/complaint.ts
 * dispatches here when the case's history has no process-rev-3 marker). It must replay those
 * histories command for command: change nothing but types. Remove this folder once no such case is
 * running (docs/operations.md, "Retiring a workflow generation").
 *
 * Frozen for real: every module this folder runs is its own copy (calendar, wording, escalation
 * ladder, search attribute keys, the breach counter), taken from the live code its histories
 * replayed on when it was copied, so a change of shared/ or workflows/ cannot change how these runs
 * replay. What it still takes from outside, and why that is safe (test/workflows/legacyFrozen.test.ts
 * refuses anything else):
 * - @temporalio/workflow, @temporalio/common and luxon: pinned packages; a bump is replayed against
 *   every generation by the replay suite;
 * - shared/messages at run time: the names of the signals, updates and queries the API sends to
 *   every run alike. It is the contract with callers, not behaviour: a frozen copy would leave these
 *   runs deaf to a renamed message, and a rename already breaks the API's running cases;
 * - `import type` from shared/ and activities/ (the view, input, command and activity shapes):
 *   erased before the code runs, so they change no command; a changed shape shows as a type error.
 *
 * One complaint, from intake to close (docs/domain.md §1–§9). The workflow *is* the case:
 * it sleeps on durable timers for each deadline, waits for people (updates), escalates when a
 * deadline passes, and calls activities for every side effect.
 */

const store = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});
const lookups = proxyActivities<ComplaintActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', maximumAttempts: 5 },
});

export const PROPOSAL_CLOCK_BEFORE_ALERT = 'proposal-clock-before-alert';

export type CaseOutcome = Pick<CaseViewV1, 'complaintId' | 'status' | 'closeReason' | 'round'> & { rating: number | null };

export async function complaintWorkflowRev2(input: ComplaintWorkflowInput): Promise<CaseOutcome> {
  const c = new Case(input);
  setHandler(caseViewQuery, () => c.view);
  setHandler(timelineQuery, () => c.timeline);
  setHandler(slaEventsQuery, () => c.slaEvents);
  registerActions(c, { notifyStaff });

  const projector = keepProjectionCurrent(c);
  // The receipt goes out while the first-response clock already runs (it counts from opening): a slow
  // SMS gateway must neither hold the deadlines nor let an agent's quick answer escape them.
  const receipt = input.carried ? Promise.resolve() : receive(c);
  void sendProgressUpdates(c);

  while (!c.closed) {
    await runStage(c);
    if (workflowInfo().continueAsNewSuggested && !c.closed) {
      await receipt;
      await condition(allHandlersFinished);
      await flushProjection(c);
      await continueAsNew<typeof complaintWorkflowRev2>({ ...input, carried: c.carry() });
    }
  }
  c.view.deadlines = [];
  c.touch();
  await receipt;
  await condition(allHandlersFinished);
  await projector.stop();
  return { complaintId: c.view.complaintId, status: c.view.status, closeReason: c.view.closeReason, round: c.view.round, rating: c.view.satisfaction.rating };

  async function notifyStaff(recipient: string, event: string, text: string): Promise<void> {
    try {
      await messaging.notifyStaff({ complaintId: c.view.complaintId, recipient, event, text });
      c.log(SYSTEM, 'staff_notified', { recipient, event });
    } catch (err) {
      // An alert that cannot go out (retries exhausted) must not end the case; the audit log shows it.
      if (!(err instanceof ActivityFailure)) throw err;
      c.log(SYSTEM, 'staff_notification_failed', { recipient, event, error: err.cause?.message ?? err.message }, 'failed');
    }
  }

  /**
   * Hands the case back for a new plan. The proposal deadline must start at once: waiting for the
   * alert first let a quick proposal escape it. Patched, because running cases waited.
   */
  async function alertThenReplan(recipient: string, event: string, text: string): Promise<void> {
    if (patched(PROPOSAL_CLOCK_BEFORE_ALERT)) void notifyStaff(recipient, event, text);
    else await notifyStaff(recipient, event, text);
  }

  /** The step the case's status calls for next; each returns when the status moved on. */
  async function runStage(c: Case): Promise<void> {
    switch (c.view.status) {
      case 'received':
      case 'acknowledged':
      case 'in_progress':
        if (!c.view.owner || !c.view.firstResponse) return firstResponse(c);
        return c.view.investigation.brief || c.view.round > 1 ? awaitProposal(c) : investigate(c);
      case 'awaiting_approval':
        return awaitApproval(c);
      case 'executing':
        return execute(c);
      case 'awaiting_customer':
        return objectionWindow(c);
      case 'awaiting_feedback':
        return satisfactionCallback(c);
      case 'closed':
        return;
    }
  }

  /** docs/domain.md §1, §3 intake: the receipt on the original channel at once, and the group-complaint count. */
  async function receive(c: Case): Promise<void> {
    const opened = Date.parse(c.view.createdAt);
    const due = firstResponseDue(opened, durationMs(c.policy.firstResponse), durationMs(c.policy.offHoursFirstResponse), c.policy.calendar);
    await sendCustomer(c, 'acknowledgement', { firstAnswerWorkingDays: 1, contact: 'the customer service desk' });
    if (due.offHours) await sendCustomer(c, 'off_hours_reply', { dueAt: new Date(due.dueMs).toISOString() });
    // People may already have acted while the receipt went out; only a fresh case moves on here.
    if (c.view.status === 'received') c.setStatus('acknowledged', 'waiting for an agent');
    c.log(SYSTEM, 'receipt_sent', { offHours: due.offHours, firstResponseDueAt: new Date(due.dueMs).toISOString() });
    try {
      await lookups.joinComplaintGroups({
        complaintId: c.view.complaintId,
        merchantId: c.view.order.merchantId,
        sku: c.view.order.sku,
        openedAt: c.view.createdAt,
        threshold: c.policy.groupRule.threshold,
        windowMs: durationMs(c.policy.groupRule.window),
      });
    } catch (err) {
      // The group count is a signal for ops, not a step of this case: losing it must not end the case.
      if (!(err instanceof ActivityFailure)) throw err;
      c.log(SYSTEM, 'group_join_failed', { error: err.cause?.message ?? err.message }, 'failed');
    }
  }

  /** docs/domain.md §3: first human answer in 15 service minutes, and the owner by priority (2 h / 4 h / 24 h). */
  async function firstResponse(c: Case): Promise<void> {
    const opened = Date.parse(c.view.createdAt);
    const due = firstResponseDue(opened, durationMs(c.policy.firstResponse), durationMs(c.policy.offHoursFirstResponse), c.policy.calendar);
    await Promise.all([
      // A group flag raises the priority while the case waits; the window follows (docs/domain.md §2.4: high is 2 h).
      awaitDeadline(c, notifyStaff, { kind: 'handling', dueMs: () => opened + durationMs(c.policy.handling[c.view.priority]), met: () => c.view.owner !== null, onMiss: 'escalate' }),
      awaitDeadline(c, notifyStaff, { kind: 'first_response', dueMs: due.dueMs, met: () => c.view.firstResponse !== null, onMiss: 'escalate' }),
    ]);
  }

  /** docs/domain.md §3, §6: facts in 3 working days (5 if extended in time); the merchant's copy; the carrier's trail. */
  async function investigate(c: Case): Promise<void> {
    const opened = Date.parse(c.view.createdAt);
    if (!c.view.investigation.dueAt) {
      c.view.investigation.dueAt = new Date(addWorkingDays(opened, c.policy.investigation.workingDays, c.policy.calendar)).toISOString();
      c.setStage('investigating');
      void copyToMerchant(c);
      void trackCarrier(c);
      void categoryTarget(c);
    }
    await awaitDeadline(c, notifyStaff, {
      kind: 'investigation',
      dueMs: () => Date.parse(c.view.investigation.dueAt ?? c.view.createdAt),
      met: () => c.view.investigation.brief !== null || c.view.status !== 'in_progress',
      paused: () => c.view.awaitingEvidence,
      onMiss: 'escalate',
    });
  }

  async function copyToMerchant(c: Case): Promise<void> {
    await messaging.sendMerchantNotice({
      complaintId: c.view.complaintId,
      merchantId: c.view.order.merchantId,
      kind: 'complaint_copy',
      text: `Complaint ${c.view.complaintId} about order ${c.view.order.orderId} (${c.view.subType}): ${c.view.description}`,
      idempotencyKey: `${c.view.complaintId}:complaint_copy:${c.view.round}`,
    });
    c.log(SYSTEM, 'merchant_copy_sent', { merchantId: c.view.order.merchantId });
    const outcome = await awaitDeadline(c, notifyStaff, {
      kind: 'merchant_reply',
      dueMs: Date.now() + durationMs(c.policy.merchantReply),
      met: () => c.view.investigation.merchantReply !== null || c.closed,
      onMiss: 'merchant_ops',
    });
    if (outcome === 'missed') c.view.investigation.merchantReplyMissed = true;
  }

  async function trackCarrier(c: Case): Promise<void> {
    const { carrier, waybillNo } = c.view.order;
    if (!carrier || !waybillNo) return;
    try {
      const trail = await lookups.trackWaybill({ carrier, waybillNo });
      c.view.investigation.carrierStatus = trail.status;
      c.log(SYSTEM, 'carrier_tracked', { carrier, waybillNo, status: trail.status, events: trail.events.length });
    } catch (err) {
      c.log(SYSTEM, 'carrier_tracking_failed', { carrier, waybillNo, error: (err as Error).message }, 'failed');
    }
  }

  /** docs/domain.md §3: a quality issue gets a solution in 72 h; a logistics issue is resolved in 24 h. */
  async function categoryTarget(c: Case): Promise<void> {
    const target = c.view.category === 'product' ? c.policy.categoryTargets.product : c.view.category === 'logistics' ? c.policy.categoryTargets.logistics : undefined;
    if (!target) return;
    const solved = c.view.category === 'product'
      ? () => c.view.resolution.proposal !== null || c.closed
      : () => ['awaiting_customer', 'awaiting_feedback', 'closed'].includes(c.view.status);
    await awaitDeadline(c, notifyStaff, { kind: 'category_target', dueMs: Date.parse(c.view.createdAt) + durationMs(target), met: solved, onMiss: 'escalate' });
  }

  /** After the brief (or a rejection, a failed step, a reopening) the owner proposes a solution. */
  async function awaitProposal(c: Case): Promise<void> {
    c.setStage(c.view.round > 1 ? 'second round: proposing a new solution' : 'proposing a solution');
    // docs/domain.md §3 (not a figure of the sources): a new plan is due within the priority's handling window.
    await awaitDeadline(c, notifyStaff, {
      kind: 'proposal',
      dueMs: Date.now() + durationMs(c.policy.handling[c.view.priority]),
      met: () => c.view.status !== 'in_progress',
      onMiss: 'escalate',
    });
  }

  /** docs/domain.md §7.4: above 500 CNY or with reputation impact, a supervisor (compliance) decides in time. */
  async function awaitApproval(c: Case): Promise<void> {
    await awaitDeadline(c, notifyStaff, {
      kind: 'approval',
      dueMs: Date.now() + durationMs(c.policy.approval.window),
      met: () => c.view.status !== 'awaiting_approval',
      onMiss: 'escalate',
    });
  }

  async function execute(c: Case): Promise<void> {
    const result = await executeResolution(c, { notifyStaff });
    if (result === 'done') {
      c.setStatus('awaiting_customer', 'objection window');
      const p = c.view.resolution.proposal;
      await sendCustomer(c, 'solution', {
        resolution: p?.type ?? 'apology',
        ...(p?.amountFen !== undefined ? { amountFen: p.amountFen } : p?.couponFen !== undefined ? { amountFen: p.couponFen } : {}),
        executeBy: nowIso(),
        followUp: 'under My complaints in the app',
        objectionUntil: new Date(Date.now() + durationMs(c.policy.objectionWindow)).toISOString(),
        final: true,
      });
      return;
    }
    const level = Math.min(2, c.view.escalationLevel + 1) as EscalationLevel;
    c.escalateTo(level);
    c.setStatus('in_progress', 'execution failed: re-plan');
    await alertThenReplan(ESCALATION_ROLES[level], 'execution_failed', `${c.view.complaintId}: a resolution step failed and was compensated; re-plan`);
  }

  /** docs/domain.md §9.1: the customer has 24 h to object to the solution. */
  async function objectionWindow(c: Case): Promise<void> {
    await awaitDeadline(c, notifyStaff, {
      kind: 'objection_window',
      dueMs: Date.now() + durationMs(c.policy.objectionWindow),
      met: () => c.view.customerResponse !== null,
      onMiss: 'expire',
    });
    const response = c.view.customerResponse;
    if (response && !response.accept) return reopen(c, 'customer_objection');
    c.log(SYSTEM, response ? 'solution_accepted' : 'objection_window_passed');
    c.setStatus('awaiting_feedback', 'satisfaction callback due');
  }

  /** docs/domain.md §9.2: the callback 1–3 days after execution; a rating closes or reopens; silence closes. */
  async function satisfactionCallback(c: Case): Promise<void> {
    const rated = () => c.view.satisfaction.rating !== null;
    if (!c.view.satisfaction.callbackSentAt) {
      await awaitDeadline(c, notifyStaff, {
        kind: 'satisfaction_callback',
        dueMs: Date.now() + durationMs(c.policy.satisfaction.callbackAfter[c.view.priority]),
        met: rated,
        onMiss: 'expire',
      });
      if (!rated()) {
        await sendCustomer(c, 'satisfaction_callback', { answerBy: new Date(Date.now() + durationMs(c.policy.satisfaction.answerWithin)).toISOString() });
        c.view.satisfaction.callbackSentAt = nowIso();
        c.setStage('waiting for the rating');
      }
    }
    const answered = await awaitDeadline(c, notifyStaff, {
      kind: 'feedback',
      dueMs: Date.parse(c.view.satisfaction.callbackSentAt ?? nowIso()) + durationMs(c.policy.satisfaction.answerWithin),
      met: rated,
      onMiss: 'expire',
    });
    if (answered === 'missed') return close(c, 'no_feedback');
    const rating = c.view.satisfaction.rating ?? 0;
    if (rating <= c.policy.satisfaction.reopenAtOrBelow) return reopen(c, 'low_rating');
    return close(c, 'resolved');
  }

  /** docs/domain.md §9.3: second-round handling one level up; after the last allowed round, close for quality review. */
  async function reopen(c: Case, why: string): Promise<void> {
    if (c.view.round > c.policy.maxReopenings) return close(c, 'quality_review', why);
    const level = Math.min(2, c.view.escalationLevel + 1) as EscalationLevel;
    c.view.round += 1;
    c.escalateTo(level);
    c.view.resolution = { ...c.view.resolution, proposal: null, approval: null, steps: [] };
    c.view.customerResponse = null;
    c.view.satisfaction = { rating: null, comment: null, callbackSentAt: null, at: null, rounds: [] };
    c.setStatus('in_progress', 'second round');
    c.log(SYSTEM, 'case_reopened', { why, round: c.view.round, escalationLevel: level });
    await alertThenReplan(ESCALATION_ROLES[level], 'case_reopened', `${c.view.complaintId} reopened (${why}); second round at your level`);
  }

  async function close(c: Case, reason: NonNullable<CaseViewV1['closeReason']>, why?: string): Promise<void> {
    c.view.closeReason = reason;
    c.view.closedAt = nowIso();
    c.setStatus('closed', reason === 'resolved' ? 'closed: resolved' : `closed: ${reason}`);
    c.log(SYSTEM, 'case_closed', { reason, ...(why ? { why } : {}) });
    await sendCustomer(c, 'case_closed', { reason });
  }
}

/** docs/domain.md §3.1: a case open longer than 3 days tells the customer how it goes, every working day. */
async function sendProgressUpdates(c: Case): Promise<void> {
  let next = Date.parse(c.view.createdAt) + durationMs(c.policy.progressUpdates.after);
  while (!c.closed) {
    if (await condition(() => c.closed, Math.max(1, next - Date.now()), { summary: 'next progress update' })) return;
    next = sameTimeOnWorkingDay(Date.now(), c.policy.progressUpdates.everyWorkingDays, c.policy.calendar);
    await sendCustomer(c, 'progress_update', { status: c.view.status, progress: c.view.stage, nextUpdateBy: new Date(next).toISOString() });
  }
}

/** Writes the projection whenever the case changed: the latest view plus the new audit and SLA lines. */
function keepProjectionCurrent(c: Case): { stop: () => Promise<void> } {
  let stopping = false;
  const loop = (async () => {
    for (;;) {
      await condition(() => stopping || c.version > written(c));
      if (c.version > written(c)) await flushProjection(c);
      else if (stopping) return;
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}

function written(c: Case): number {
  return c.written.version;
}

async function flushProjection(c: Case): Promise<void> {
  const last = c.written;
  const version = c.version;
  const timeline = c.timeline.slice(last.timeline);
  const slaEvents = c.slaEvents.slice(last.sla);
  // Arguments are serialized when the activity is scheduled, so later changes do not leak in.
  await store.recordCase({ view: c.view, version, timeline, slaEvents });
  c.written = { version, timeline: last.timeline + timeline.length, sla: last.sla + slaEvents.length };
}
