import { condition, patched, proxyActivities } from '@temporalio/workflow';
import {
  addWorkingDays,
  durationMs,
  firstResponseDue,
  nextServiceStart,
  sameTimeOnWorkingDay,
} from '../shared/calendar';
import type { CaseViewV1 } from '../shared/caseView';
import type { PaymentMethod } from '../shared/domain';
import type { SlaPolicy } from '../shared/policy';
import { announcedFen } from '../shared/commands';
import { ESCALATION_ROLES, nextRung } from '../shared/escalation';
import type { CarrierActivities } from '../activities/carriers';
import type { GroupActivities } from '../activities/groups';
import { type Case, SYSTEM, nowIso } from './case';
import { type Ladder, awaitDeadline, onTheClock, warnIfPastCalendar, window, windowEnd } from './deadlines';
import { EVIDENCE_STAGES } from './actions';
import { choiceOpen, customerChoiceWindow } from './choice';
import { evidenceWindow } from './evidence';
import { dedicatedAgentOf, executeResolution } from './execution';
import { bestEffort, messaging, notifyStaff, sendCustomer } from './messaging';
import { PATCHES } from './patches';

/**
 * The stages of a case (docs/domain.md §1–§9), each a function of the case that returns
 * when the case's status moved on. complaint.ts runs them in order of the status.
 */

const lookups = proxyActivities<Pick<GroupActivities & CarrierActivities, 'joinComplaintGroups' | 'trackWaybill'>>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', maximumAttempts: 5 },
});

const notify = (c: Case) => (recipient: string, event: string, text: string) => notifyStaff(c, recipient, event, text);

/** The step the case's status calls for next. */
export async function runStage(c: Case): Promise<void> {
  switch (c.view.status) {
    case 'received':
    case 'acknowledged':
    case 'in_progress':
      // A second round waits for a supervisor to propose, not for someone to take the case again.
      if ((!c.view.owner && c.view.round === 1) || !c.view.firstResponse) return firstResponse(c);
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

function firstResponseDueOf(c: Case): { dueMs: number; offHours: boolean } {
  const opened = Date.parse(c.view.createdAt);
  // A crisis is answered on the wall clock: no "we will handle it tomorrow" reply.
  if (onTheClock(c, 'first_response')) return { dueMs: opened + durationMs(c.policy.firstResponse), offHours: false };
  return firstResponseDue(
    Date.parse(c.view.createdAt),
    durationMs(c.policy.firstResponse),
    durationMs(c.policy.offHoursFirstResponse),
    c.policy.calendar,
  );
}

/** docs/domain.md §1, §3 intake: the receipt on the original channel at once, and the group-complaint count. */
export async function receive(c: Case): Promise<void> {
  // docs/domain.md §3 counts the category target from opening, whether or not anybody took the case or the receipt went out yet.
  startBackgroundWait(c, 'category_target');
  const due = firstResponseDueOf(c);
  const sent = await sendCustomer(c, 'acknowledgement', { firstAnswerWorkingDays: 1 });
  if (due.offHours) await sendCustomer(c, 'off_hours_reply', { dueAt: new Date(due.dueMs).toISOString() });
  // People may already have acted while the receipt went out; only a fresh case moves on here. A
  // receipt that failed moves it on too (a person was told), but is not logged as sent (docs/domain.md §5.6).
  if (c.view.status === 'received') c.setStatus('acknowledged', 'waiting for an agent');
  c.audit(
    SYSTEM,
    sent ? 'receipt_sent' : 'receipt_failed',
    { offHours: due.offHours, firstResponseDueAt: new Date(due.dueMs).toISOString() },
    sent ? 'ok' : 'failed',
  );
  // The group count is a signal for ops, not a step of this case.
  await bestEffort(c, 'group_join', () =>
    lookups.joinComplaintGroups({
      complaintId: c.view.complaintId,
      merchantId: c.view.order.merchantId,
      sku: c.view.order.sku,
      openedAt: c.view.createdAt,
      threshold: c.policy.groupRule.threshold,
      windowMs: durationMs(c.policy.groupRule.window),
    }),
  );
}

/** docs/domain.md §3: first human answer in 15 service minutes, and the owner by priority (2 h / 4 h / 24 h). */
async function firstResponse(c: Case): Promise<void> {
  const opened = Date.parse(c.view.createdAt);
  const handlingMs = () => durationMs(c.policy.handling[c.view.priority]);
  await Promise.all([
    // A group flag raises the priority while the case waits; the window follows (docs/domain.md §2.4: high is 2 h).
    awaitDeadline(c, notify(c), {
      kind: 'handling',
      dueMs: () => windowEnd(c, 'handling', opened, handlingMs()),
      freshWindow: (from) => windowEnd(c, 'handling', from, handlingMs()),
      windowStart: opened,
      met: () => c.view.owner !== null,
      cancelled: () => c.closed,
      onMiss: 'escalate',
    }),
    awaitDeadline(c, notify(c), {
      kind: 'first_response',
      dueMs: firstResponseDueOf(c).dueMs,
      freshWindow: window(c, 'first_response', durationMs(c.policy.firstResponse)),
      windowStart: opened,
      met: () => c.view.firstResponse !== null,
      cancelled: () => c.closed,
      onMiss: 'escalate',
    }),
  ]);
}

/** docs/domain.md §3, §6: facts in 3 working days (5 if extended in time); the merchant's copy; the carrier's trail. */
async function investigate(c: Case): Promise<void> {
  const opened = Date.parse(c.view.createdAt);
  if (!c.view.investigation.dueAt) {
    const dueMs = addWorkingDays(opened, c.policy.investigation.workingDays, c.policy.calendar);
    warnIfPastCalendar(c, dueMs);
    c.view.investigation.dueAt = new Date(dueMs).toISOString();
    if (!Object.values<string>(EVIDENCE_STAGES).includes(c.view.stage)) c.setStage('investigating');
    if (!c.state.alertsSent.includes(MERCHANT_COPY_AT_INTAKE)) startBackgroundWait(c, 'merchant_reply');
    c.track(trackCarrier(c));
  }
  await awaitDeadline(c, notify(c), {
    kind: 'investigation',
    dueMs: () => Date.parse(c.view.investigation.dueAt ?? c.view.createdAt),
    // An extended investigation's policy length is the extended one, rung after rung.
    freshWindow: (from) => addWorkingDays(from, investigationWorkingDays(c), c.policy.calendar),
    windowStart: opened,
    met: () => c.view.investigation.brief !== null,
    cancelled: () => c.view.status !== 'in_progress',
    paused: () => c.view.awaitingEvidence,
    onMiss: 'escalate',
  });
}

export function investigationWorkingDays(c: Case): number {
  const { workingDays, extendedWorkingDays } = c.policy.investigation;
  return c.view.investigation.extended ? extendedWorkingDays : workingDays;
}

const BACKGROUND_WAITS = {
  merchant_reply: copyToMerchant,
  category_target: categoryTarget,
  evidence: evidenceWindow,
  routine_handling: routineHandling,
  social_reply: socialReply,
  customer_choice: customerChoiceWindow,
  phone_callback: phoneCallback,
} as const;
export type BackgroundWait = keyof typeof BACKGROUND_WAITS;

/**
 * Waits that run beside the stages (the merchant's reply, the category target), named while they
 * run so continue-as-new restarts them in the next run.
 */
export function startBackgroundWait(c: Case, name: BackgroundWait): void {
  c.runWait(name, () => BACKGROUND_WAITS[name](c));
}

/** Set when the copy was decided at intake (patch `merchant-copy-at-intake`); older runs copy at the investigation. */
export const MERCHANT_COPY_AT_INTAKE = 'merchant_copy_at_intake';

/**
 * docs/domain.md §6.2: the merchant's copy, at intake; a service complaint about platform staff is not the
 * merchant's to answer, so none goes out. Carried in the case's one-off list, so the investigation
 * does not copy again.
 */
export function copyAtIntake(c: Case): void {
  c.state.alertsSent.push(MERCHANT_COPY_AT_INTAKE);
  if (c.view.category === 'service') {
    c.audit(SYSTEM, 'merchant_copy_skipped', { why: 'a service complaint about platform staff' });
    return;
  }
  startBackgroundWait(c, 'merchant_reply');
}

async function copyToMerchant(c: Case): Promise<void> {
  let copied = true;
  if (!c.continued || !c.view.deadlines.some((d) => d.kind === 'merchant_reply')) {
    // A refused or lost copy must not end the case: merchant operations forward it by hand.
    copied =
      (await bestEffort(
        c,
        'merchant_copy',
        () =>
          messaging
            .sendMerchantNotice({
              complaintId: c.view.complaintId,
              merchantId: c.view.order.merchantId,
              kind: 'complaint_copy',
              text: `Complaint ${c.view.complaintId} about order ${c.view.order.orderId} (${c.view.subType}): ${c.view.description}`,
              idempotencyKey: `${c.view.complaintId}:complaint_copy:${c.view.round}`,
            })
            .then(() => {
              c.audit(SYSTEM, 'merchant_copy_sent', { merchantId: c.view.order.merchantId });
              return true;
            }),
        {
          detail: { merchantId: c.view.order.merchantId },
          alert: {
            to: 'merchant_ops',
            text: `the complaint copy to merchant ${c.view.order.merchantId} could not be delivered; forward it by hand`,
          },
        },
      )) === true;
  }
  // A merchant who never got the copy owes no answer: its clock does not run (older runs ran it anyway).
  if (!copied && c.state.alertsSent.includes(MERCHANT_COPY_AT_INTAKE)) {
    c.audit(SYSTEM, 'merchant_clock_stopped', { why: 'the copy did not reach the merchant' });
    return;
  }
  const replyMs = durationMs(c.policy.merchantReply);
  const outcome = await awaitDeadline(c, notify(c), {
    kind: 'merchant_reply',
    dueMs: windowEnd(c, 'merchant_reply', Date.now(), replyMs),
    freshWindow: window(c, 'merchant_reply', replyMs),
    met: () => c.view.investigation.merchantReply !== null,
    cancelled: () => c.closed,
    onMiss: 'merchant_ops',
    // The merchant must answer; the reminder reaches them where the copy did.
    sendWarning: (text) =>
      bestEffort(c, 'merchant_reminder', () =>
        messaging.sendMerchantNotice({
          complaintId: c.view.complaintId,
          merchantId: c.view.order.merchantId,
          kind: 'reminder',
          text,
          idempotencyKey: `${c.view.complaintId}:reply_reminder:${c.view.round}`,
        }),
      ).then(() => undefined),
  });
  if (outcome === 'missed') c.view.investigation.merchantReplyMissed = true;
}

async function trackCarrier(c: Case): Promise<void> {
  const { carrier, waybillNo } = c.view.order;
  if (!carrier || !waybillNo) return;
  const trail = await bestEffort(c, 'carrier_tracking', () => lookups.trackWaybill({ carrier, waybillNo }), {
    detail: { carrier, waybillNo },
  });
  if (!trail) return;
  c.view.investigation.carrierStatus = trail.status;
  c.audit(SYSTEM, 'carrier_tracked', { carrier, waybillNo, status: trail.status, events: trail.events.length });
}

/** docs/domain.md §3 category processing target, while the case's category has one (staff may correct the category). */
export function categoryTargetMs(c: Case): number | null {
  const { product, logistics } = c.policy.categoryTargets;
  const target = c.view.category === 'product' ? product : c.view.category === 'logistics' ? logistics : undefined;
  return target ? durationMs(target) : null;
}

/** docs/domain.md §3: a quality issue gets a solution in 72 h; a logistics issue is resolved in 24 h. */
async function categoryTarget(c: Case): Promise<void> {
  if (categoryTargetMs(c) === null) return;
  const targetMs = () => categoryTargetMs(c) ?? 0;
  const solved = () =>
    c.view.category === 'product'
      ? c.view.resolution.proposal !== null
      : ['awaiting_customer', 'awaiting_feedback'].includes(c.view.status) || c.view.closeReason === 'resolved';
  const opened = Date.parse(c.view.createdAt);
  await awaitDeadline(c, notify(c), {
    kind: 'category_target',
    dueMs: () => windowEnd(c, 'category_target', opened, targetMs()),
    freshWindow: (from) => windowEnd(c, 'category_target', from, targetMs()),
    windowStart: opened,
    met: solved,
    // A case moved to a category without a target has none any more.
    cancelled: () => c.closed || categoryTargetMs(c) === null,
    onMiss: 'escalate',
  });
}

/** Set once a routine case's 30-minute target started: it runs once per case. */
const ROUTINE_TARGET_STARTED = 'routine_target_started';

/**
 * docs/domain.md §2.2: once an agent takes a routine (low-priority) case in its first round, the
 * frontline has 30 min of service time to settle it. Called when the case is taken and when its
 * priority becomes low; runs once per case (patch `priority-tiers`).
 */
export function startRoutineTarget(c: Case): void {
  const v = c.view;
  if (
    !c.features.priorityTiers ||
    v.priority !== 'low' ||
    v.owner === null ||
    v.round > 1 ||
    v.resolution.proposal !== null
  )
    return;
  if (c.state.alertsSent.includes(ROUTINE_TARGET_STARTED)) return;
  c.state.alertsSent.push(ROUTINE_TARGET_STARTED);
  startBackgroundWait(c, 'routine_handling');
}

/** Met by the owner's proposal; a case raised above low, or reopened one level up, is no longer routine. */
async function routineHandling(c: Case): Promise<void> {
  // Cases continued from runs whose policy had no routine target take the default.
  const targetMs = durationMs(c.policy.routineHandling ?? 'PT30M');
  // A wait a continued run restarts keeps the due time its ladder reached (deadlines.ts).
  const taken = Date.now();
  await awaitDeadline(c, notify(c), {
    kind: 'routine_handling',
    dueMs: windowEnd(c, 'routine_handling', taken, targetMs),
    freshWindow: window(c, 'routine_handling', targetMs),
    windowStart: taken,
    met: () => c.view.resolution.proposal !== null,
    cancelled: () => c.closed || c.view.priority !== 'low' || c.view.round > 1,
    paused: () => choiceOpen(c),
    onMiss: 'escalate',
  });
}

/** docs/domain.md §2.6: the channels whose cases owe a private message, and how soon (the policy's, or the default for older runs' policies). */
function socialReplyPolicy(c: Case): SlaPolicy['socialReply'] {
  return c.policy.socialReply ?? { channels: ['weibo', 'wechat', 'douyin'], within: 'PT2H' };
}

export function isSocialCase(c: Case): boolean {
  return socialReplyPolicy(c).channels.includes(c.view.channel);
}

/**
 * docs/domain.md §2.6: a case from Weibo, WeChat or Douyin gets a private message within 2 h of
 * intake on the wall clock, day and night: the first human answer, which goes to the customer on
 * that channel. Its misses alert at once, the top rung reaching operations on call.
 */
async function socialReply(c: Case): Promise<void> {
  const withinMs = durationMs(socialReplyPolicy(c).within);
  const opened = Date.parse(c.view.createdAt);
  await awaitDeadline(c, notify(c), {
    kind: 'social_reply',
    dueMs: opened + withinMs,
    freshWindow: (from) => from + withinMs,
    windowStart: opened,
    met: () => c.view.firstResponse !== null,
    cancelled: () => c.closed,
    onMiss: 'escalate',
    dayAndNight: true,
  });
}

/** After the brief (or a rejection, a failed step, a reopening) the owner proposes a solution. */
async function awaitProposal(c: Case): Promise<void> {
  c.setStage(c.view.round > 1 ? 'second round: proposing a new solution' : 'proposing a solution');
  // docs/domain.md §3 (not a figure of the sources): a new plan is due within the priority's handling window (it follows a priority change).
  const handlingMs = () => durationMs(c.policy.handling[c.view.priority]);
  const start = Date.now();
  const level = c.view.escalationLevel;
  await awaitDeadline(c, notify(c), {
    kind: 'proposal',
    dueMs: () => windowEnd(c, 'proposal', start, handlingMs()),
    freshWindow: (from) => windowEnd(c, 'proposal', from, handlingMs()),
    // A round nobody took yet is the reopened level's to propose.
    mustAct: () => c.view.owner ?? ESCALATION_ROLES[c.view.round > 1 ? Math.max(1, level) : 0],
    met: () => c.view.status === 'awaiting_approval' || c.view.status === 'executing',
    cancelled: () => c.closed,
    // docs/domain.md §7.9: while the customer chooses among the merchant's options the owner cannot propose.
    paused: () => choiceOpen(c),
    onMiss: 'escalate',
  });
}

/** docs/domain.md §7.4: above 500 CNY or with reputation impact, a supervisor (compliance) decides in time. */
async function awaitApproval(c: Case): Promise<void> {
  const windowMs = durationMs(c.policy.approval.window);
  await awaitDeadline(c, notify(c), {
    kind: 'approval',
    dueMs: windowEnd(c, 'approval', Date.now(), windowMs),
    freshWindow: window(c, 'approval', windowMs),
    mustAct: () => c.view.resolution.approval?.approverRole ?? 'supervisor',
    met: () => c.view.status !== 'awaiting_approval' && !c.closed,
    cancelled: () => c.closed,
    onMiss: 'escalate',
    // Escalation names people who may decide (docs/domain.md §5.3): a compliance review climbs within compliance first.
    ...(c.view.resolution.approval?.approverRole === 'compliance' ? { ladder: COMPLIANCE_LADDER } : {}),
  });
}

const COMPLIANCE_LADDER: Ladder = ['compliance', 'compliance', 'ops_manager'];

/**
 * docs/domain.md §7.2: a refund's message says when the money arrives, by how the order was paid.
 * Cases opened before the order service said, or before the policy published the times, have neither.
 */
function refundArrival(c: Case): {
  arrival?: { method: PaymentMethod; minWorkingDays: number; maxWorkingDays: number };
} {
  const type = c.view.resolution.proposal?.type;
  const method = c.view.order.paymentMethod;
  const days = method && (c.policy.refundArrival as SlaPolicy['refundArrival'] | undefined)?.[method];
  return (type === 'refund' || type === 'partial_refund') && method && days ? { arrival: { method, ...days } } : {};
}

/** docs/domain.md §8 execution, then the solution to the customer with the objection window. */
async function execute(c: Case): Promise<void> {
  const result = await executeResolution(c, { notifyStaff: notify(c) });
  if (result === 'done' && defectConfirmedByLab(c)) return replanAfterTesting(c);
  if (result === 'done') {
    const executedAt = Date.now();
    c.view.resolution.executedAt = new Date(executedAt).toISOString();
    c.setStatus('awaiting_customer', 'objection window');
    if (c.view.priority === 'high' && patched(PATCHES.phoneCallback.id)) startPhoneCallback(c, executedAt);
    const p = c.view.resolution.proposal;
    // The amount it pays, by its type (a coupon's value, nothing for an exchange), as approval counted it.
    const amountFen = p ? announcedFen(p) : undefined;
    await sendCustomer(c, 'solution', {
      resolution: p?.type ?? 'apology',
      ...(amountFen !== undefined ? { amountFen } : {}),
      ...refundArrival(c),
      ...(p?.warrantyMonths !== undefined ? { warrantyMonths: p.warrantyMonths } : {}),
      ...(p?.type === 'dedicated_agent' ? { dedicatedAgent: dedicatedAgentOf(c, p) } : {}),
      ...(p?.type === 'third_party_testing' ? { testingLab: p.testingLab } : {}),
      executeBy: nowIso(),
      objectionUntil: new Date(executedAt + durationMs(c.policy.objectionWindow)).toISOString(),
      final: true,
    });
    return;
  }
  const level = nextRung(c.view.escalationLevel);
  c.escalateTo(level);
  c.setStatus('in_progress', 'execution failed: re-plan');
  alertThenReplan(
    c,
    ESCALATION_ROLES[level],
    'execution_failed',
    `${c.view.complaintId}: a resolution step failed and was compensated; re-plan`,
  );
}

/** docs/domain.md §8.6: the plan was a third-party test, and the lab confirmed the defect. */
function defectConfirmedByLab(c: Case): boolean {
  return (
    c.view.resolution.proposal?.type === 'third_party_testing' &&
    c.view.resolution.testingResult?.defectConfirmed === true &&
    patched(PATCHES.thirdPartyTesting.id)
  );
}

/**
 * docs/domain.md §8.6: a defect the lab confirmed is the platform's and the merchant's to make good: the
 * case goes back to its owner (no rung up: nothing failed) to propose the full-responsibility solution,
 * and the customer hears the result.
 */
function replanAfterTesting(c: Case): void {
  const lab = c.view.resolution.testingResult?.lab ?? '';
  c.setStatus('in_progress', 'defect confirmed by the lab: propose the full-responsibility solution');
  c.audit(SYSTEM, 'testing_defect_confirmed', { lab });
  alertThenReplan(
    c,
    c.view.owner ?? ESCALATION_ROLES[c.view.escalationLevel],
    'testing_defect_confirmed',
    `${c.view.complaintId}: the lab ${lab} confirmed the defect; propose the full-responsibility solution (refund, exchange, repair)`,
  );
  c.track(sendCustomer(c, 'testing_defect_confirmed', { lab }));
}

/**
 * Hands the case back for a new plan. The proposal deadline must start at once: waiting for the
 * alert first let a quick proposal escape it.
 */
function alertThenReplan(c: Case, recipient: string, event: string, text: string): void {
  c.track(notifyStaff(c, recipient, event, text));
}

/** docs/domain.md §9.1: the customer has 24 h from the execution to object to the solution; a callback due sooner goes out meanwhile. */
async function objectionWindow(c: Case): Promise<void> {
  const windowMs = durationMs(c.policy.objectionWindow);
  const executedAt = Date.parse(c.view.resolution.executedAt ?? nowIso());
  let open = true;
  const callback = callbackDuringWindow(c, executedAt, windowMs, () => open);
  await awaitDeadline(c, notify(c), {
    kind: 'objection_window',
    dueMs: executedAt + windowMs,
    freshWindow: (from) => from + windowMs,
    met: () => c.view.customerResponse !== null,
    onMiss: 'expire',
  });
  open = false;
  const response = c.view.customerResponse;
  if (response && !response.accept) {
    // A callback still going out belongs to the round the objection ends; it must not hold the next one.
    c.track(callback);
    return reopen(c, 'customer_objection');
  }
  // The callback that went out meanwhile is the one the rating answers: it is not sent twice.
  await callback;
  c.audit(SYSTEM, response ? 'solution_accepted' : 'objection_window_passed');
  c.setStatus(
    'awaiting_feedback',
    c.view.satisfaction.callbackSentAt ? 'waiting for the rating' : 'satisfaction callback due',
  );
}

/**
 * docs/domain.md §9.2: a callback due before the objection window ends (high priority: 12 h after execution, "within
 * 24 h") goes out while the window runs, not after it; the rating is taken once the window ended.
 * If the window ends first, the callback stage sends it at its time. Older runs waited for the window (patch).
 */
async function callbackDuringWindow(
  c: Case,
  executedAt: number,
  windowMs: number,
  windowOpen: () => boolean,
): Promise<void> {
  const afterMs = durationMs(c.policy.satisfaction.callbackAfter[c.view.priority]);
  if (afterMs >= windowMs || c.view.satisfaction.callbackSentAt || !patched(PATCHES.callbackInObjectionWindow.id))
    return;
  const round = c.view.round;
  const due = await awaitDeadline(c, notify(c), {
    kind: 'satisfaction_callback',
    // The SMS is the phone call's fallback: it goes at once when the call did not reach the customer.
    dueMs: phoneCallOf(c) ? () => smsFallbackDue(c, executedAt + afterMs) : executedAt + afterMs,
    freshWindow: (from) => from + afterMs,
    // Only a rating the phone call took can come before this callback.
    met: () => c.view.satisfaction.rating !== null,
    cancelled: () => !windowOpen() || c.closed,
    onMiss: 'expire',
  });
  if (due !== 'missed') return;
  const answerBy = new Date(Date.now() + durationMs(c.policy.satisfaction.answerWithin)).toISOString();
  const sentAt = await sendCustomer(c, 'satisfaction_callback', { answerBy });
  if (sentAt && c.view.round === round && !c.closed) {
    c.view.satisfaction.callbackSentAt = sentAt;
    c.touch();
  }
}

/**
 * docs/domain.md §9.2: the callback 1–3 days after execution (a high-priority case within 24 h, whatever the
 * objection window did); a rating closes or reopens; silence closes.
 */
async function satisfactionCallback(c: Case): Promise<void> {
  const rated = () => c.view.satisfaction.rating !== null;
  const afterMs = durationMs(c.policy.satisfaction.callbackAfter[c.view.priority]);
  const executedAt = Date.parse(c.view.resolution.executedAt ?? nowIso());
  const stageStart = Date.now();
  for (let attempt = 1; !c.view.satisfaction.callbackSentAt; attempt++) {
    await awaitDeadline(c, notify(c), {
      kind: 'satisfaction_callback',
      dueMs:
        attempt === 1
          ? phoneCallOf(c)
            ? () => Math.max(stageStart, smsFallbackDue(c, executedAt + afterMs))
            : Math.max(stageStart, executedAt + afterMs)
          : nextServiceStart(c.nextMessageDayMs(), c.policy.calendar),
      freshWindow: (from) => from + afterMs,
      met: rated,
      onMiss: 'expire',
    });
    if (rated()) break;
    const answerBy = new Date(Date.now() + durationMs(c.policy.satisfaction.answerWithin)).toISOString();
    const sentAt = await sendCustomer(c, 'satisfaction_callback', { answerBy });
    // A callback that did not go out starts no answer clock: it is tried again the next day, then given up.
    if (sentAt) {
      c.view.satisfaction.callbackSentAt = sentAt;
      c.setStage('waiting for the rating');
    } else if (attempt >= CALLBACK_ATTEMPTS) {
      return close(c, 'no_feedback', 'satisfaction callback could not be delivered');
    }
  }
  const answered = await awaitDeadline(c, notify(c), {
    kind: 'feedback',
    dueMs: Date.parse(c.view.satisfaction.callbackSentAt ?? nowIso()) + durationMs(c.policy.satisfaction.answerWithin),
    freshWindow: (from) => from + durationMs(c.policy.satisfaction.answerWithin),
    met: rated,
    onMiss: 'expire',
  });
  if (answered === 'missed') return close(c, 'no_feedback');
  const rating = c.view.satisfaction.rating ?? 0;
  if (rating <= c.policy.satisfaction.reopenAtOrBelow) return reopen(c, 'low_rating');
  return close(c, 'resolved');
}

const CALLBACK_ATTEMPTS = 3;

/** The phone call the current round owes, if any (patch `phone-callback`: older runs owe none). */
export function phoneCallOf(c: Case): NonNullable<CaseViewV1['phoneCallback']> | null {
  const call = c.view.phoneCallback;
  return call && call.round === c.view.round ? call : null;
}

/** When the SMS callback is due: its usual time, or at once once the call was recorded as not reaching the customer. */
function smsFallbackDue(c: Case, usualMs: number): number {
  const outcome = phoneCallOf(c)?.outcome;
  return outcome && !outcome.reached ? Math.min(usualMs, Date.parse(outcome.at)) : usualMs;
}

/**
 * docs/domain.md §9.4: a high-priority customer (an extremely upset one is high, §2.2) is phoned back by a person
 * within 24 h of the execution: a call task in the owner's queue with its own deadline and ladder.
 */
function startPhoneCallback(c: Case, executedAt: number): void {
  const within = durationMs(c.policy.phoneCallback?.within ?? 'PT24H');
  c.view.phoneCallback = { round: c.view.round, dueAt: new Date(executedAt + within).toISOString(), outcome: null };
  c.audit(SYSTEM, 'phone_callback_due', { dueAt: c.view.phoneCallback.dueAt, to: c.view.owner ?? 'agent' });
  startBackgroundWait(c, 'phone_callback');
}

/**
 * Met when the outcome is recorded; a miss climbs the ladder until someone records it. The customer
 * who answered the SMS callback meanwhile, or a case that moved on to another round or closed, owes no call.
 */
async function phoneCallback(c: Case): Promise<void> {
  const call = phoneCallOf(c);
  if (!call) return;
  const within = durationMs(c.policy.phoneCallback?.within ?? 'PT24H');
  await awaitDeadline(c, notify(c), {
    kind: 'phone_callback',
    dueMs: Date.parse(call.dueAt),
    freshWindow: (from) => from + within,
    windowStart: Date.parse(call.dueAt) - within,
    mustAct: () => c.view.owner ?? 'agent',
    met: () => (c.view.phoneCallback?.outcome ?? null) !== null,
    cancelled: () => c.closed || c.view.round !== call.round || c.view.satisfaction.rating !== null,
    onMiss: 'escalate',
  });
}

/** docs/domain.md §9.3: second-round handling one level up; after the last allowed round, close for quality review. */
async function reopen(c: Case, why: string): Promise<void> {
  if (c.view.round > c.policy.maxReopenings) return close(c, 'quality_review', why);
  const level = nextRung(c.view.escalationLevel);
  c.view.round += 1;
  c.escalateTo(level);
  // Round two is no longer the agent's: it waits for a supervisor, who takes it by proposing (older runs kept the agent; patch).
  if (patched(PATCHES.roundTwoOneLevelUp.id)) c.view.owner = null;
  c.view.resolution = { ...c.view.resolution, proposal: null, approval: null, steps: [], executedAt: null };
  c.view.customerResponse = null;
  c.view.satisfaction = { ...c.view.satisfaction, rating: null, comment: null, callbackSentAt: null, at: null };
  c.setStatus('in_progress', 'second round');
  c.audit(SYSTEM, 'case_reopened', { why, round: c.view.round, escalationLevel: level });
  alertThenReplan(
    c,
    ESCALATION_ROLES[level],
    'case_reopened',
    `${c.view.complaintId} reopened (${why}); second round at your level`,
  );
}

async function close(c: Case, reason: NonNullable<CaseViewV1['closeReason']>, why?: string): Promise<void> {
  c.view.closeReason = reason;
  c.view.closedAt = nowIso();
  c.setStatus('closed', reason === 'resolved' ? 'closed: resolved' : `closed: ${reason}`);
  c.audit(SYSTEM, 'case_closed', { reason, ...(why ? { why } : {}) });
  await sendCustomer(c, 'case_closed', { reason });
}

/** docs/domain.md §3.1: a case open longer than 3 days tells the customer how it goes, every working day, in service hours. */
export async function sendProgressUpdates(c: Case): Promise<void> {
  const first = Date.parse(c.view.createdAt) + durationMs(c.policy.progressUpdates.after);
  let next = c.state.nextProgressAt ?? nextServiceStart(first, c.policy.calendar);
  while (!c.closed) {
    c.state.nextProgressAt = next;
    if (await condition(() => c.closed, Math.max(1, next - Date.now()), { summary: 'next progress update' })) return;
    next = nextServiceStart(
      sameTimeOnWorkingDay(Date.now(), c.policy.progressUpdates.everyWorkingDays, c.policy.calendar),
      c.policy.calendar,
    );
    warnIfPastCalendar(c, next);
    c.state.nextProgressAt = next;
    // The status, which the template puts into the customer's language (the stage is staff's English).
    await sendCustomer(c, 'progress_update', { status: c.view.status, nextUpdateBy: new Date(next).toISOString() });
  }
}
