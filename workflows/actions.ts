import { ApplicationFailure, metricMeter, patched, setHandler } from '@temporalio/workflow';
import type { CaseViewV1 } from '../shared/caseView';
import { addWorkingDays } from '../shared/calendar';
import { EVIDENCE_ITEMS_PER_CASE_MAX } from '../shared/domain';
import type { ErrorCode } from '../shared/errors';
import type { Actor } from '../shared/intake';
import {
  type Acting,
  type SubmissionResult,
  type SubmissionV1,
  addEvidenceUpdate,
  approvalUpdate,
  assignUpdate,
  briefUpdate,
  caseRepairedSignal,
  customerResponseUpdate,
  extendInvestigationUpdate,
  firstResponseUpdate,
  groupFlaggedSignal,
  merchantReplyUpdate,
  proposeResolutionUpdate,
  repairCompletedUpdate,
  testingResultUpdate,
  returnReceivedUpdate,
  returnShipmentUpdate,
  satisfactionUpdate,
  submitUpdate,
  cancelStepUpdate,
  customerChoiceUpdate,
} from '../shared/messages';
import type {
  AddEvidenceV1,
  ApprovalDecisionV1,
  AssignV1,
  CustomerResponseV1,
  ExtendInvestigationV1,
  FirstResponseV1,
  InvestigationBriefV1,
  MerchantReplyV1,
  ProposeResolutionV1,
  RepairCompletedV1,
  TestingResultV1,
  ReturnReceivedV1,
  ReturnShipmentV1,
  SatisfactionV1,
  CancelStepV1,
  CustomerChoiceV1,
} from '../shared/commands';
import { proposalPaysFen } from '../shared/commands';
import { type Case, SYSTEM, nowIso, refuse } from './case';
import { CHOICE_STAGE, choiceOpen, choiceWindowMs, isNoReasonReturn, proposalOfChoice, refundableFen } from './choice';
import { caseAction, registerTable, requireOpen, requireOwner, requireStage, requireWording } from './guards';
import { notifyStaff, sendCustomer } from './messaging';
import { PATCHES } from './patches';
import { startBackgroundWait, startRoutineTarget } from './stages';

/**
 * What people do to a case: one row per action in ACTIONS, each an update whose validator refuses
 * what does not fit the case's stage before anything reaches history (guards.ts). A handler answers once the change is made: the messages it triggers go out (and are retried)
 * behind it, so a slow SMS gateway never holds the caller (nor makes the API say "nothing changed").
 */

const complaintsOpened = metricMeter.createCounter(
  'complaints_opened',
  'cases',
  'new cases, by category, priority and channel',
);

interface ActionDeps {
  notifyStaff: (recipient: string, event: string, text: string) => Promise<void>;
}

/** docs/domain.md §7.3–§7.5: who must approve a proposal, and why; null when the agent may grant it alone. */
export function approvalNeeded(
  c: Case,
  p: ProposeResolutionV1,
): { role: 'supervisor' | 'compliance'; reason: string } | null {
  // docs/domain.md §7.8: the 7-day no-reason return is the customer's right, never refused nor held for approval.
  if (isNoReasonReturn(c, p) && patched(PATCHES.customerChoice.id)) return null;
  if (c.view.category === 'compliance') return { role: 'compliance', reason: 'compliance case' };
  if (p.type === 'apology') return { role: 'supervisor', reason: 'public apology: reputation impact' };
  // docs/domain.md §7.3 counts what the case pays out in all: money already paid in earlier rounds or plans adds up.
  const before = c.view.resolution.paidOutFen ?? 0;
  // Only what the proposal pays counts (a coupon's value, no money for an exchange); older runs summed every amount given (patch).
  const summed = (p.amountFen ?? 0) + (p.couponFen ?? 0);
  const pays = summed === proposalPaysFen(p) || patched(PATCHES.amountPerType.id) ? proposalPaysFen(p) : summed;
  const total = before + pays;
  if (total > c.policy.approval.thresholdFen)
    return {
      role: 'supervisor',
      reason: `amount ${total} fen${before ? ` (${before} already paid on this case)` : ''} above ${c.policy.approval.thresholdFen}`,
    };
  return null;
}

/** What the case shows while it waits on the customer's evidence; the investigation keeps it. */
export const EVIDENCE_STAGES = {
  asking: 'asking the customer for evidence',
  waiting: "waiting for the customer's evidence",
} as const;

function pauseForEvidence(c: Case, actor: Actor): void {
  c.view.awaitingEvidence = true;
  c.setStage(EVIDENCE_STAGES.waiting);
  c.audit(actor, 'handling_clock_paused', { why: 'evidence requested' });
}

/** The wait for the customer's evidence pauses the clock only once the request reached them. */
async function requestEvidenceFromCustomer(c: Case, actor: Actor): Promise<void> {
  const sent = await sendCustomer(c, 'evidence_request', {});
  if (c.closed || c.view.investigation.brief) return;
  if (sent) {
    pauseForEvidence(c, actor);
    // Older runs paused with no end (patch).
    if (patched(PATCHES.evidenceWindow.id)) startBackgroundWait(c, 'evidence');
  } else {
    c.audit(SYSTEM, 'evidence_request_not_delivered', { why: 'the clock keeps running' }, 'failed');
    c.setStage('investigating');
  }
}

/** docs/domain.md §3: a 5-working-day investigation only if the customer was told before the 3-day deadline. */
async function extendOnceTold(c: Case, actor: Actor, reason: string, dueMs: number): Promise<void> {
  const sent = await sendCustomer(c, 'extension_notice', { reason, newDueAt: new Date(dueMs).toISOString() });
  const running = c.view.deadlines.find((d) => d.kind === 'investigation');
  const inTime =
    running !== undefined &&
    (running.paused || Date.now() <= Date.parse(running.dueAt)) &&
    !c.view.breaches.some((b) => b.kind === 'investigation');
  if (sent && inTime) {
    c.view.investigation = { ...c.view.investigation, dueAt: new Date(dueMs).toISOString() };
    c.audit(actor, 'investigation_extended', { reason, dueAt: c.view.investigation.dueAt });
    return;
  }
  c.view.investigation = { ...c.view.investigation, extended: false, extensionReason: null };
  c.audit(
    SYSTEM,
    'investigation_extension_failed',
    { reason: sent ? 'the customer was told after the deadline' : 'the customer could not be told' },
    'failed',
  );
  if (c.view.owner)
    await notifyStaff(
      c,
      c.view.owner,
      'extension_failed',
      `${c.view.complaintId}: the investigation was not extended (the customer was not told in time)`,
    );
}

/**
 * docs/domain.md §7.4, §7.5, §5.3: the approver role decides (a supervisor, compliance for a compliance case); and
 * whoever an overdue approval's escalation named may decide it: the operations manager at the
 * ladder's top, not before (test/fixtures/access.json).
 */
function mayDecide(c: Case, approverRole: 'supervisor' | 'compliance', role: Actor['role']): boolean {
  if (role === approverRole) return true;
  const escalation = [...c.view.breaches].reverse().find((b) => b.kind === 'approval');
  return role === 'ops_manager' && c.view.status === 'awaiting_approval' && escalation?.escalatedTo === 'ops_manager';
}

// Each action: a guard (after the actor check) and a handler, as module functions.

function submitted(c: Case, s: SubmissionV1): SubmissionResult {
  const v = c.view;
  const joined = s.submissionId !== c.input.submissionId;
  if (joined) {
    v.evidence.push(...s.evidence.map((e) => ({ ...e, addedBy: s.actor.sub, at: nowIso() })));
    c.audit(s.actor, 'duplicate_submission_joined', { channel: s.channel, evidence: s.evidence.length });
  } else {
    c.audit(s.actor, 'complaint_opened', { channel: s.channel, priority: v.priority, reasons: v.priorityReasons });
    complaintsOpened.add(1, { category: v.category, priority: v.priority, channel: v.channel });
    // docs/domain.md §7.1: a customer with a dedicated agent has each new complaint assigned to that agent.
    const dedicated = c.input.intake.dedicatedAgentId;
    if (dedicated && v.owner === null) assigned(c, { agentId: dedicated, actor: SYSTEM });
  }
  return { joined, view: v };
}

function mayAssign(c: Case, { agentId, actor }: Acting<AssignV1>): void {
  requireOpen(c);
  if (actor.role === 'agent' && agentId !== actor.sub)
    refuse('forbidden', 'an agent may only take a case for themself');
  if (actor.role === 'agent' && c.view.owner !== null && c.view.owner !== actor.sub)
    refuse('wrong_stage', `${c.view.complaintId} is already owned by ${c.view.owner}`);
  if (actor.role === 'agent' && c.view.round > 1)
    refuse('forbidden', `round ${c.view.round} is handled one level up: a supervisor takes it`);
}

function assigned(c: Case, { agentId, actor }: Acting<AssignV1>): CaseViewV1 {
  const previous = c.view.owner;
  c.view.owner = agentId;
  if (c.view.status === 'received' || c.view.status === 'acknowledged')
    c.setStatus('in_progress', 'waiting for the first response');
  c.audit(actor, 'assigned', { agentId, previous });
  startRoutineTarget(c);
  return c.view;
}

function mayAnswerFirst(c: Case, { message, actor }: Acting<FirstResponseV1>): void {
  requireOwner(c, actor);
  if (c.view.owner === null) refuse('wrong_stage', 'assign the case before answering');
  if (c.view.firstResponse) refuse('wrong_stage', 'the first response was already given');
  requireWording(message);
}

function answeredFirst(c: Case, { message, requestEvidence, actor }: Acting<FirstResponseV1>): CaseViewV1 {
  c.view.firstResponse = { by: actor.sub, message, at: nowIso() };
  c.audit(actor, 'first_response', { requestEvidence });
  // docs/domain.md §1.1, §3: the first human answer goes to the customer on the intake channel (its wording was checked).
  c.track(sendCustomer(c, 'first_response', { message }));
  if (requestEvidence) {
    c.setStage(EVIDENCE_STAGES.asking);
    c.track(requestEvidenceFromCustomer(c, actor));
  } else {
    c.setStage('investigating');
  }
  return c.view;
}

/**
 * A case holds at most EVIDENCE_ITEMS_PER_CASE_MAX pieces of evidence (shared/domain.ts), or enough
 * posts would push it past Temporal's payload limit and stick it. Checked here, where the case's
 * count is known; a refusal writes nothing, so the API answers 422 naming the field.
 */
function requireEvidenceRoom(c: Case, adding: number, field: string): void {
  requireOpen(c);
  const held = c.view.evidence.length;
  if (held + adding <= EVIDENCE_ITEMS_PER_CASE_MAX) return;
  const reason = `the case holds ${held} of at most ${EVIDENCE_ITEMS_PER_CASE_MAX} pieces of evidence; ${adding} more do not fit`;
  throw ApplicationFailure.create({
    type: 'policy_refused' satisfies ErrorCode,
    message: reason,
    nonRetryable: true,
    details: [{ path: field, message: reason }],
  });
}

function mayAddEvidence(c: Case, { items }: Acting<AddEvidenceV1>): void {
  requireEvidenceRoom(c, items.length, 'items');
}

/** A submission joining the running case brings its evidence to it; the first one's is the case's already. */
function mayJoin(c: Case, s: SubmissionV1): void {
  requireOpen(c);
  if (s.submissionId !== c.input.submissionId) requireEvidenceRoom(c, s.evidence.length, 'evidence');
}

function evidenceAdded(c: Case, { items, actor }: Acting<AddEvidenceV1>): CaseViewV1 {
  c.view.evidence.push(...items.map((e) => ({ ...e, addedBy: actor.sub, at: nowIso() })));
  c.audit(actor, 'evidence_added', { items: items.length });
  if (c.view.awaitingEvidence) {
    c.view.awaitingEvidence = false;
    c.setStage('investigating');
    c.audit(SYSTEM, 'handling_clock_resumed', { why: 'evidence received' });
  }
  return c.view;
}

function mayMerchantReply(c: Case): void {
  requireOpen(c);
  if (c.view.investigation.merchantReply) refuse('wrong_stage', 'the merchant already replied');
}

function merchantReplied(c: Case, { message, accepts, proposal, options, actor }: Acting<MerchantReplyV1>): CaseViewV1 {
  c.view.investigation.merchantReply = {
    message,
    accepts: accepts ?? null,
    proposal: proposal ?? null,
    ...(options ? { options } : {}),
    by: actor.sub,
    at: nowIso(),
  };
  c.audit(actor, 'merchant_replied', {
    accepts: accepts ?? null,
    ...(options ? { options: options.map((o) => o.option) } : {}),
  });
  offerChoice(c);
  return c.view;
}

/**
 * docs/domain.md §7.9: once the brief is in and the merchant offered options, in round one before any
 * proposal, the customer chooses among them; the choice's own clock runs meanwhile (choice.ts).
 */
function offerChoice(c: Case): void {
  const v = c.view;
  const options = v.investigation.merchantReply?.options;
  if (
    !options?.length ||
    v.choice ||
    v.round > 1 ||
    v.status !== 'in_progress' ||
    !v.investigation.brief ||
    v.resolution.proposal
  )
    return;
  if (!patched(PATCHES.customerChoice.id)) return;
  const now = Date.now();
  v.choice = {
    offered: options,
    offeredAt: new Date(now).toISOString(),
    dueAt: new Date(now + choiceWindowMs(c)).toISOString(),
    chosen: null,
    chosenAt: null,
    lapsed: false,
  };
  c.setStage(CHOICE_STAGE);
  c.audit(SYSTEM, 'choice_offered', { options: options.map((o) => o.option), dueAt: v.choice.dueAt });
  startBackgroundWait(c, 'customer_choice');
}

function mayExtend(c: Case, { reason, actor }: Acting<ExtendInvestigationV1>): void {
  requireOwner(c, actor);
  requireStage(c, 'in_progress');
  const inv = c.view.investigation;
  if (!inv.dueAt || inv.brief) refuse('wrong_stage', 'no investigation is running');
  if (inv.extended) refuse('wrong_stage', 'the investigation was already extended');
  // The running deadline includes the time the clock stood paused for the customer's evidence
  // (and stands still while it is paused); once it was missed, a fresh escalation window does not count.
  const running = c.view.deadlines.find((d) => d.kind === 'investigation');
  const dueMs = running ? (running.paused ? Infinity : Date.parse(running.dueAt)) : Date.parse(inv.dueAt);
  const missed = c.view.breaches.some((b) => b.kind === 'investigation');
  if (missed || Date.now() > dueMs)
    refuse(
      'deadline_passed',
      `the investigation deadline ${running?.dueAt ?? inv.dueAt} has passed; it can no longer be extended`,
    );
  // The reason goes to the customer in the extension notice.
  requireWording(reason);
}

function extensionRequested(c: Case, { reason, actor }: Acting<ExtendInvestigationV1>): CaseViewV1 {
  const due = addWorkingDays(
    Date.parse(c.view.createdAt),
    c.policy.investigation.extendedWorkingDays,
    c.policy.calendar,
  );
  // docs/domain.md §3: the extension counts only once the customer was told, before the original deadline.
  c.view.investigation = { ...c.view.investigation, extended: true, extensionReason: reason };
  c.audit(actor, 'investigation_extension_requested', { reason });
  c.track(extendOnceTold(c, actor, reason, due));
  return c.view;
}

function mayBrief(c: Case, { actor }: Acting<InvestigationBriefV1>): void {
  requireOwner(c, actor);
  requireStage(c, 'in_progress');
  if (!c.view.firstResponse) refuse('wrong_stage', 'answer the customer before closing the investigation');
  if (c.view.investigation.brief) refuse('wrong_stage', 'the brief was already submitted');
}

function briefed(c: Case, { responsibility, findings, actor }: Acting<InvestigationBriefV1>): CaseViewV1 {
  c.view.investigation.brief = { responsibility, findings, by: actor.sub, at: nowIso() };
  c.setStage('proposing a solution');
  c.audit(actor, 'investigation_brief', { responsibility });
  offerChoice(c);
  return c.view;
}

/** docs/domain.md §9.3: round one is its agent's; a reopened case is handled one level up, by a supervisor or the operations manager. */
function requireRoundLevel(c: Case, actor: Actor, what: string): void {
  if (c.view.round > 1 && actor.role === 'agent')
    refuse('forbidden', `round ${c.view.round} is handled one level up: a supervisor ${what}`);
  if (c.view.round === 1 && actor.role !== 'agent') refuse('forbidden', `round one is the owning agent's to ${what}`);
}

function mayPropose(c: Case, p: Acting<ProposeResolutionV1>): void {
  requireRoundLevel(c, p.actor, 'proposes');
  requireOwner(c, p.actor);
  requireStage(c, 'in_progress');
  if (!c.view.investigation.brief && c.view.round === 1) refuse('wrong_stage', 'submit the investigation brief first');
  if (choiceOpen(c))
    refuse(
      'wrong_stage',
      `the customer chooses among the merchant's options until ${c.view.choice?.dueAt ?? ''}; then the owner proposes`,
    );
  // Cases recorded before refundedFen existed have none: nothing refunded yet.
  const paid = c.view.order.amountPaidFen - (c.view.resolution.refundedFen ?? 0);
  if ((p.type === 'refund' || p.type === 'partial_refund') && (p.amountFen ?? 0) > paid)
    refuse('amount_exceeds_paid', `refund ${p.amountFen} fen is above the ${paid} fen paid and not yet refunded`);
  if (p.type === 'partial_refund' && (p.amountFen ?? 0) >= paid)
    refuse('policy_refused', 'a partial refund must be less than the amount paid; propose a refund');
  // Money never passes what the order paid: a compensation counts everything the case already paid out.
  const left = c.view.order.amountPaidFen - (c.view.resolution.paidOutFen ?? 0);
  if (p.type === 'compensation' && (p.amountFen ?? 0) > left)
    refuse(
      'amount_exceeds_paid',
      `compensation ${p.amountFen} fen is above the ${left} fen the order paid and the case has not yet paid out`,
    );
  requireWording(p.note);
  if (p.apology) requireWording(p.apology);
}

function proposed(c: Case, p: Acting<ProposeResolutionV1>, deps: ActionDeps): CaseViewV1 {
  const { actor, ...proposal } = p;
  const v = c.view;
  // A supervisor proposing in round two takes the round (it is theirs from now on).
  if (actor.role !== 'agent' && v.owner !== actor.sub) {
    c.audit(actor, 'assigned', { agentId: actor.sub, previous: v.owner });
    v.owner = actor.sub;
  }
  return plan(c, proposal, actor, deps);
}

/** A proposal becomes the case's plan: executed at once, or after the approval the rules ask for (docs/domain.md §7.3–§7.5). */
function plan(c: Case, p: ProposeResolutionV1, actor: Actor, deps: ActionDeps): CaseViewV1 {
  const v = c.view;
  c.state.planSeq++;
  v.resolution.proposal = { ...p, proposedBy: actor.sub, at: nowIso() };
  v.resolution.steps = [];
  const approval = approvalNeeded(c, p);
  v.resolution.approval = {
    required: approval !== null,
    approverRole: approval?.role ?? null,
    reason: approval?.reason ?? null,
    decision: null,
    decidedBy: null,
    decisionReason: null,
    at: null,
  };
  c.audit(actor, 'resolution_proposed', {
    type: p.type,
    amountFen: p.amountFen ?? null,
    couponFen: p.couponFen ?? null,
    approval: approval?.role ?? 'none',
    ...(!approval && isNoReasonReturn(c, p) ? { noReasonReturn: true } : {}),
  });
  if (approval) {
    c.setStatus('awaiting_approval', `waiting for ${approval.role} approval`);
    c.track(
      deps.notifyStaff(
        approval.role,
        'approval_requested',
        `${v.complaintId}: ${p.type} ${p.amountFen ?? ''} needs your approval (${approval.reason})`,
      ),
    );
  } else {
    c.setStatus('executing', `executing ${p.type}`);
  }
  return v;
}

function mayDecideApproval(c: Case, { actor }: Acting<ApprovalDecisionV1>): void {
  requireOpen(c);
  requireStage(c, 'awaiting_approval');
  const role = c.view.resolution.approval?.approverRole;
  if (!mayDecide(c, role ?? 'supervisor', actor.role))
    refuse('forbidden', `this proposal needs ${role ?? 'supervisor'} approval`);
  // Four eyes: a second round is proposed by a supervisor, who must not approve their own plan.
  if (actor.sub === c.view.resolution.proposal?.proposedBy)
    refuse('forbidden', `${actor.sub} proposed this plan: another ${role ?? 'supervisor'} decides it`);
}

function decided(c: Case, { decision, reason, actor }: Acting<ApprovalDecisionV1>, deps: ActionDeps): CaseViewV1 {
  const v = c.view;
  const approval = v.resolution.approval;
  if (approval) Object.assign(approval, { decision, decidedBy: actor.sub, decisionReason: reason, at: nowIso() });
  c.audit(actor, decision === 'approve' ? 'resolution_approved' : 'resolution_rejected', { reason });
  if (decision === 'approve') {
    c.setStatus('executing', `executing ${v.resolution.proposal?.type ?? ''}`);
  } else {
    v.resolution.rejections.push({ by: actor.sub, reason, at: nowIso() });
    c.setStatus('in_progress', 'proposal rejected: re-plan');
    c.track(
      deps.notifyStaff(v.owner ?? 'agent', 'proposal_rejected', `${v.complaintId}: proposal rejected: ${reason}`),
    );
  }
  return v;
}

const waitingStep = (c: Case, name: string) =>
  c.view.resolution.steps.find((s) => s.name === name && s.status === 'waiting');

/** The execution stage waits for this step of the plan (a return, an inspection, a repair). */
const requireWaitingStep = (name: string) => (c: Case) => {
  requireOpen(c);
  requireStage(c, 'executing');
  if (!waitingStep(c, name))
    refuse('wrong_stage', `${c.view.complaintId} is not waiting for ${name.replace('_', ' ')}`);
};

function returnShipped(c: Case, { carrier, waybillNo, actor }: Acting<ReturnShipmentV1>): CaseViewV1 {
  c.view.resolution.returnShipment = { carrier, waybillNo, at: nowIso() };
  c.view.resolution.goodsBack = 'shipped';
  Object.assign(waitingStep(c, 'return_shipment') ?? {}, {
    status: 'done',
    detail: `${carrier} ${waybillNo}`,
    updatedAt: nowIso(),
  });
  c.audit(actor, 'return_shipped', { carrier, waybillNo });
  return c.view;
}

function returnInspected(c: Case, { inspection, note, actor }: Acting<ReturnReceivedV1>): CaseViewV1 {
  Object.assign(waitingStep(c, 'return_inspection') ?? {}, {
    status: inspection === 'ok' ? 'done' : 'failed',
    detail: note || inspection,
    updatedAt: nowIso(),
  });
  // Goods refused at inspection go back to the customer: a new plan may ask for them again.
  c.view.resolution.goodsBack = inspection === 'ok' ? 'inspected' : null;
  c.audit(actor, 'return_inspected', { inspection, note });
  return c.view;
}

function repaired(c: Case, { note, actor }: Acting<RepairCompletedV1>): CaseViewV1 {
  Object.assign(waitingStep(c, 'repair') ?? {}, { status: 'done', detail: note || 'repaired', updatedAt: nowIso() });
  c.audit(actor, 'repair_completed', { note });
  return c.view;
}

/** docs/domain.md §8.6: the owner (or a supervisor and above) records the lab's result of the test the plan waits for. */
function mayRecordTestingResult(c: Case, { actor }: Acting<TestingResultV1>): void {
  requireOwner(c, actor);
  requireWaitingStep('third_party_testing')(c);
}

/** The test is done either way; the execution then re-plans on a confirmed defect, else tells the customer the result. */
function testingResultRecorded(
  c: Case,
  { defectConfirmed, reportUrl, note, actor }: Acting<TestingResultV1>,
): CaseViewV1 {
  const lab = c.view.resolution.proposal?.testingLab ?? '';
  c.view.resolution.testingResult = { lab, defectConfirmed, reportUrl, note, by: actor.sub, at: nowIso() };
  Object.assign(waitingStep(c, 'third_party_testing') ?? {}, {
    status: 'done',
    detail: defectConfirmed ? 'defect confirmed' : 'no defect found',
    updatedAt: nowIso(),
  });
  c.audit(actor, 'testing_result_recorded', { lab, defectConfirmed, reportUrl, note });
  return c.view;
}

function mayCancelStep(c: Case, { step, actor }: Acting<CancelStepV1>): void {
  requireOwner(c, actor);
  requireWaitingStep(step)(c);
}

/** The step fails as called off; the execution undoes what was done and hands the case back to re-plan. */
function stepCancelled(c: Case, { step, reason, actor }: Acting<CancelStepV1>): CaseViewV1 {
  Object.assign(waitingStep(c, step) ?? {}, { status: 'failed', detail: `called off: ${reason}`, updatedAt: nowIso() });
  c.audit(actor, 'step_cancelled', { step, reason });
  return c.view;
}

/** docs/domain.md §7.9: the case's customer chooses once, among what was offered, while the window runs. */
function mayChoose(c: Case, { option }: Acting<CustomerChoiceV1>): void {
  requireOpen(c);
  const choice = c.view.choice;
  if (!choice) refuse('wrong_stage', `${c.view.complaintId} has no options to choose among`);
  if (choice.chosen) refuse('wrong_stage', `the customer already chose ${choice.chosen}`);
  if (choice.lapsed) refuse('wrong_stage', `the window to choose ended at ${choice.dueAt}; the owner proposes`);
  requireStage(c, 'in_progress');
  const offered = choice.offered.map((o) => o.option);
  if (!offered.includes(option))
    refuse('policy_refused', `${option} is not among the options offered: ${offered.join(', ')}`);
  const p = proposalOfChoice(c, option);
  if (option === 'return' && refundableFen(c) <= 0)
    refuse('amount_exceeds_paid', 'the order has nothing left to refund');
  const left = c.view.order.amountPaidFen - (c.view.resolution.paidOutFen ?? 0);
  if (p.type === 'compensation' && (p.amountFen ?? 0) > left)
    refuse(
      'amount_exceeds_paid',
      `compensation ${p.amountFen} fen is above the ${left} fen the order paid and the case has not yet paid out`,
    );
}

/** The choice is the proposal (docs/domain.md §7.9): the approval rules are those of any proposal. */
function chose(c: Case, { option, actor }: Acting<CustomerChoiceV1>, deps: ActionDeps): CaseViewV1 {
  const choice = c.view.choice;
  if (choice) Object.assign(choice, { chosen: option, chosenAt: nowIso() });
  c.audit(actor, 'customer_chose', { option });
  return plan(c, proposalOfChoice(c, option), actor, deps);
}

function mayRespond(c: Case): void {
  requireOpen(c);
  requireStage(c, 'awaiting_customer');
  if (c.view.customerResponse) refuse('wrong_stage', 'the customer already answered');
}

function responded(c: Case, { accept, reason, actor }: Acting<CustomerResponseV1>): CaseViewV1 {
  c.view.customerResponse = { accept, reason: reason ?? null, at: nowIso() };
  c.audit(actor, accept ? 'customer_accepted' : 'customer_objected', { reason: reason ?? null });
  return c.view;
}

/** A rating is taken once the callback asked for it: a high-priority callback goes out while the objection window runs. */
function mayRate(c: Case): void {
  requireOpen(c);
  if (!(c.view.status === 'awaiting_customer' && c.view.satisfaction.callbackSentAt && !c.view.customerResponse))
    requireStage(c, 'awaiting_feedback');
  if (c.view.satisfaction.rating !== null) refuse('wrong_stage', 'the rating was already given');
}

function rated(c: Case, { rating, comment, actor }: Acting<SatisfactionV1>): CaseViewV1 {
  recordRating(c, actor, rating, comment ?? null);
  return c.view;
}

/** The customer's rating of this round, from the SMS callback or the phone call (docs/domain.md §9.2, §9.4). */
export function recordRating(c: Case, actor: Actor, rating: number, comment: string | null, via?: 'phone'): void {
  const at = nowIso();
  // Every round's rating is kept: reports compare the first round with the final one.
  const rounds = [...(c.view.satisfaction.rounds ?? []), { round: c.view.round, rating, comment, at }];
  c.view.satisfaction = { ...c.view.satisfaction, rating, comment, at, rounds };
  c.audit(actor, 'satisfaction_rated', via ? { rating, via } : { rating });
  // Rated while the objection window runs: the rating is the customer's answer to the solution too (docs/domain.md §9.3: ≤ 2 reopens).
  if (c.view.status === 'awaiting_customer' && !c.view.customerResponse) {
    const accept = rating > c.policy.satisfaction.reopenAtOrBelow;
    c.view.customerResponse = { accept, reason: accept ? null : 'low rating', at };
    c.audit(actor, accept ? 'customer_accepted' : 'customer_objected', { reason: accept ? null : 'low rating' });
  }
}

/** Every action, in the order its handler is registered. */
const ACTIONS = [
  caseAction({ update: submitUpdate, guard: mayJoin, handle: submitted }),
  caseAction({ update: assignUpdate, guard: mayAssign, handle: assigned }),
  caseAction({ update: firstResponseUpdate, guard: mayAnswerFirst, handle: answeredFirst }),
  caseAction({ update: addEvidenceUpdate, guard: mayAddEvidence, handle: evidenceAdded }),
  caseAction({ update: merchantReplyUpdate, guard: mayMerchantReply, handle: merchantReplied }),
  caseAction({ update: extendInvestigationUpdate, guard: mayExtend, handle: extensionRequested }),
  caseAction({ update: briefUpdate, guard: mayBrief, handle: briefed }),
  caseAction({ update: proposeResolutionUpdate, guard: mayPropose, handle: proposed }),
  caseAction({ update: approvalUpdate, guard: mayDecideApproval, handle: decided }),
  caseAction({ update: returnShipmentUpdate, guard: requireWaitingStep('return_shipment'), handle: returnShipped }),
  caseAction({ update: returnReceivedUpdate, guard: requireWaitingStep('return_inspection'), handle: returnInspected }),
  caseAction({ update: repairCompletedUpdate, guard: requireWaitingStep('repair'), handle: repaired }),
  caseAction({ update: cancelStepUpdate, guard: mayCancelStep, handle: stepCancelled }),
  caseAction({ update: testingResultUpdate, guard: mayRecordTestingResult, handle: testingResultRecorded }),
  caseAction({ update: customerResponseUpdate, guard: mayRespond, handle: responded }),
  caseAction({ update: satisfactionUpdate, guard: mayRate, handle: rated }),
  caseAction({ update: customerChoiceUpdate, guard: mayChoose, handle: chose }),
];

function groupFlagged(c: Case, { groupKey, count }: { groupKey: string; count: number }): void {
  if (c.closed || c.view.groupFlagged) return;
  c.view.groupFlagged = true;
  c.view.priorityReasons.push(`group_complaint:${groupKey}:${count}`);
  c.view.priority = 'high';
  // Logging touches the case, which also updates the Priority search attribute.
  c.audit(SYSTEM, 'group_complaint_flagged', { groupKey, count });
}

export function registerActions(c: Case, deps: ActionDeps): void {
  registerTable(c, deps, ACTIONS);
  setHandler(groupFlaggedSignal, (flag) => groupFlagged(c, flag));
  // The case doctor (workflows/doctor.ts) reset this case past a workflow task that kept failing: the timeline says so.
  setHandler(caseRepairedSignal, (repair) =>
    c.audit({ sub: 'case-doctor', role: 'system' }, 'case_repaired', { ...repair }),
  );
}
