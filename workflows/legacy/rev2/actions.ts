import { metricMeter, setHandler } from '@temporalio/workflow';
import { addWorkingDays } from './calendar';
import type { Actor } from '../../../shared/intake';
import {
  type Acting, type SubmissionV1, addEvidenceUpdate, approvalUpdate, assignUpdate, briefUpdate, carrierEventSignal,
  customerResponseUpdate, extendInvestigationUpdate, firstResponseUpdate, groupFlaggedSignal, merchantReplyUpdate,
  proposeResolutionUpdate, repairCompletedUpdate, returnReceivedUpdate, returnShipmentUpdate, satisfactionUpdate,
  submitUpdate,
} from '../../../shared/messages';
import type {
  ApprovalDecisionV1, AssignV1, ExtendInvestigationV1, FirstResponseV1, InvestigationBriefV1, MerchantReplyV1, ProposeResolutionV1,
  RepairCompletedV1, ReturnReceivedV1,
} from '../../../shared/commands';
import { checkWording } from './wording';
import { type Case, SYSTEM, nowIso, refuse } from './case';
import { sendCustomer } from './messaging';

/**
 * What people do to a case. Each action is an update whose validator refuses what does not fit
 * the case's stage before anything reaches history; the API turns the refusal code into 409/422/403.
 * A handler answers once the change is made: the messages it triggers go out (and are retried)
 * behind it, so a slow SMS gateway never holds the caller (nor makes the API say "nothing changed").
 */

const complaintsOpened = metricMeter.createCounter('complaints_opened', 'cases', 'new cases, by category, priority and channel');

interface ActionDeps {
  notifyStaff: (recipient: string, event: string, text: string) => Promise<void>;
}

function open(c: Case): void {
  if (c.closed) refuse('case_closed', `${c.view.complaintId} is closed`);
}

/** "agent (owner)" in the role table (test/fixtures/access.json): an agent acts only on the cases they own. */
function owner(c: Case, actor: Actor): void {
  open(c);
  if (actor.role === 'agent' && c.view.owner !== actor.sub) refuse('not_owner', `${c.view.complaintId} is owned by ${c.view.owner ?? 'nobody'}`);
}

function status(c: Case, ...allowed: Array<Case['view']['status']>): void {
  if (!allowed.includes(c.view.status)) refuse('wrong_stage', `${c.view.complaintId} is ${c.view.status}; this action needs ${allowed.join(' or ')}`);
}

function wording(text: string): void {
  const verdict = checkWording(text);
  if (!verdict.ok) refuse('forbidden_wording', `wording not allowed: ${verdict.phrases.join(', ')}`);
}

/** docs/domain.md §7.3–§7.5: who must approve a proposal, and why; null when the agent may grant it alone. */
export function approvalNeeded(c: Case, p: ProposeResolutionV1): { role: 'supervisor' | 'compliance'; reason: string } | null {
  if (c.view.category === 'compliance') return { role: 'compliance', reason: 'compliance case' };
  if (p.type === 'apology') return { role: 'supervisor', reason: 'public apology: reputation impact' };
  const total = (p.amountFen ?? 0) + (p.couponFen ?? 0);
  if (total > c.policy.approval.thresholdFen) return { role: 'supervisor', reason: `amount ${total} fen above ${c.policy.approval.thresholdFen}` };
  return null;
}

export function registerActions(c: Case, deps: ActionDeps): void {
  const v = () => c.view;

  setHandler(submitUpdate, (s: SubmissionV1) => {
    const joined = s.submissionId !== c.input.submissionId;
    if (joined) {
      v().evidence.push(...s.evidence.map((e) => ({ ...e, addedBy: s.actor.sub, at: nowIso() })));
      c.log(s.actor, 'duplicate_submission_joined', { channel: s.channel, evidence: s.evidence.length });
    } else {
      c.log(s.actor, 'complaint_opened', { channel: s.channel, priority: v().priority, reasons: v().priorityReasons });
      complaintsOpened.add(1, { category: v().category, priority: v().priority, channel: v().channel });
    }
    return { joined, view: v() };
  }, { validator: (_submission) => open(c) });

  setHandler(assignUpdate, ({ agentId, actor }) => {
    const previous = v().owner;
    v().owner = agentId;
    if (v().status === 'received' || v().status === 'acknowledged') c.setStatus('in_progress', 'waiting for the first response');
    c.log(actor, 'assigned', { agentId, previous });
    return v();
  }, {
    validator: ({ agentId, actor }: Acting<AssignV1>) => {
      open(c);
      if (actor.role === 'agent' && agentId !== actor.sub) refuse('forbidden', 'an agent may only take a case for themself');
      if (actor.role === 'agent' && v().owner !== null && v().owner !== actor.sub) refuse('wrong_stage', `${v().complaintId} is already owned by ${v().owner}`);
    },
  });

  setHandler(firstResponseUpdate, ({ message, requestEvidence, actor }) => {
    v().firstResponse = { by: actor.sub, message, at: nowIso() };
    c.log(actor, 'first_response', { requestEvidence });
    if (requestEvidence) {
      v().awaitingEvidence = true;
      c.setStage('waiting for the customer\'s evidence');
      c.log(actor, 'handling_clock_paused', { why: 'evidence requested' });
      void sendCustomer(c, 'evidence_request', { items: ['photos or video of the problem', 'order screenshot'] });
    } else {
      c.setStage('investigating');
    }
    return v();
  }, {
    validator: ({ message, actor }: Acting<FirstResponseV1>) => {
      owner(c, actor);
      if (v().owner === null) refuse('wrong_stage', 'assign the case before answering');
      if (v().firstResponse) refuse('wrong_stage', 'the first response was already given');
      wording(message);
    },
  });

  setHandler(addEvidenceUpdate, ({ items, actor }) => {
    v().evidence.push(...items.map((e) => ({ ...e, addedBy: actor.sub, at: nowIso() })));
    c.log(actor, 'evidence_added', { items: items.length });
    if (v().awaitingEvidence) {
      v().awaitingEvidence = false;
      c.setStage('investigating');
      c.log(SYSTEM, 'handling_clock_resumed', { why: 'evidence received' });
    }
    return v();
  }, { validator: (_evidence) => open(c) });

  setHandler(merchantReplyUpdate, ({ message, accepts, proposal, actor }) => {
    v().investigation.merchantReply = { message, accepts: accepts ?? null, proposal: proposal ?? null, by: actor.sub, at: nowIso() };
    c.log(actor, 'merchant_replied', { accepts: accepts ?? null });
    return v();
  }, {
    validator: ({ actor }: Acting<MerchantReplyV1>) => {
      open(c);
      if (actor.role === 'merchant' && actor.merchantId !== v().order.merchantId) refuse('not_found', 'no such complaint');
      if (v().investigation.merchantReply) refuse('wrong_stage', 'the merchant already replied');
    },
  });

  setHandler(extendInvestigationUpdate, ({ reason, actor }) => {
    const due = addWorkingDays(Date.parse(v().createdAt), c.policy.investigation.extendedWorkingDays, c.policy.calendar);
    v().investigation = { ...v().investigation, dueAt: new Date(due).toISOString(), extended: true, extensionReason: reason };
    c.log(actor, 'investigation_extended', { reason, dueAt: v().investigation.dueAt });
    // docs/domain.md §3: the customer is told before the original deadline passes; the validator guarantees "before".
    void sendCustomer(c, 'extension_notice', { reason, newDueAt: new Date(due).toISOString() });
    return v();
  }, {
    validator: ({ reason, actor }: Acting<ExtendInvestigationV1>) => {
      owner(c, actor);
      status(c, 'in_progress');
      const inv = v().investigation;
      if (!inv.dueAt || inv.brief) refuse('wrong_stage', 'no investigation is running');
      if (inv.extended) refuse('wrong_stage', 'the investigation was already extended');
      // The running deadline includes the time the clock stood paused for the customer's evidence
      // (and stands still while it is paused); once it was missed, a fresh escalation window does not count.
      const running = v().deadlines.find((d) => d.kind === 'investigation');
      const dueMs = running ? (running.paused ? Infinity : Date.parse(running.dueAt)) : Date.parse(inv.dueAt);
      const missed = v().breaches.some((b) => b.kind === 'investigation');
      if (missed || Date.now() > dueMs) refuse('deadline_passed', `the investigation deadline ${running?.dueAt ?? inv.dueAt} has passed; it can no longer be extended`);
      // The reason goes to the customer in the extension notice.
      wording(reason);
    },
  });

  setHandler(briefUpdate, ({ responsibility, findings, actor }) => {
    v().investigation.brief = { responsibility, findings, by: actor.sub, at: nowIso() };
    c.setStage('proposing a solution');
    c.log(actor, 'investigation_brief', { responsibility });
    return v();
  }, {
    validator: ({ actor }: Acting<InvestigationBriefV1>) => {
      owner(c, actor);
      status(c, 'in_progress');
      if (!v().firstResponse) refuse('wrong_stage', 'answer the customer before closing the investigation');
      if (v().investigation.brief) refuse('wrong_stage', 'the brief was already submitted');
    },
  });

  setHandler(proposeResolutionUpdate, (p) => {
    const { actor, ...proposal } = p;
    c.planSeq++;
    v().resolution.proposal = { ...proposal, proposedBy: actor.sub, at: nowIso() };
    v().resolution.steps = [];
    const approval = approvalNeeded(c, p);
    v().resolution.approval = { required: approval !== null, approverRole: approval?.role ?? null, reason: approval?.reason ?? null, decision: null, decidedBy: null, decisionReason: null, at: null };
    c.log(actor, 'resolution_proposed', { type: p.type, amountFen: p.amountFen ?? null, couponFen: p.couponFen ?? null, approval: approval?.role ?? 'none' });
    if (approval) {
      c.setStatus('awaiting_approval', `waiting for ${approval.role} approval`);
      void deps.notifyStaff(approval.role, 'approval_requested', `${v().complaintId}: ${p.type} ${p.amountFen ?? ''} needs your approval (${approval.reason})`);
    } else {
      c.setStatus('executing', `executing ${p.type}`);
    }
    return v();
  }, {
    validator: (p: Acting<ProposeResolutionV1>) => {
      owner(c, p.actor);
      status(c, 'in_progress');
      if (!v().investigation.brief && v().round === 1) refuse('wrong_stage', 'submit the investigation brief first');
      // Cases recorded before refundedFen existed have none: nothing refunded yet.
      const paid = v().order.amountPaidFen - (v().resolution.refundedFen ?? 0);
      if ((p.type === 'refund' || p.type === 'partial_refund') && (p.amountFen ?? 0) > paid) refuse('amount_exceeds_paid', `refund ${p.amountFen} fen is above the ${paid} fen paid and not yet refunded`);
      if (p.type === 'partial_refund' && (p.amountFen ?? 0) >= paid) refuse('policy_refused', 'a partial refund must be less than the amount paid; propose a refund');
      wording(p.note);
    },
  });

  setHandler(approvalUpdate, ({ decision, reason, actor }) => {
    const approval = v().resolution.approval;
    if (approval) Object.assign(approval, { decision, decidedBy: actor.sub, decisionReason: reason, at: nowIso() });
    c.log(actor, decision === 'approve' ? 'resolution_approved' : 'resolution_rejected', { reason });
    if (decision === 'approve') {
      c.setStatus('executing', `executing ${v().resolution.proposal?.type ?? ''}`);
    } else {
      v().resolution.rejections.push({ by: actor.sub, reason, at: nowIso() });
      c.setStatus('in_progress', 'proposal rejected: re-plan');
      void deps.notifyStaff(v().owner ?? 'agent', 'proposal_rejected', `${v().complaintId}: proposal rejected: ${reason}`);
    }
    return v();
  }, {
    validator: ({ actor }: Acting<ApprovalDecisionV1>) => {
      open(c);
      status(c, 'awaiting_approval');
      const role = v().resolution.approval?.approverRole;
      const allowed = role === 'compliance' ? ['compliance'] : ['supervisor', 'ops_manager'];
      if (!allowed.includes(actor.role)) refuse('forbidden', `this proposal needs ${role ?? 'supervisor'} approval`);
    },
  });

  const waitingStep = (name: string) => v().resolution.steps.find((s) => s.name === name && s.status === 'waiting');
  const requireStep = (name: string) => {
    open(c);
    status(c, 'executing');
    if (!waitingStep(name)) refuse('wrong_stage', `${v().complaintId} is not waiting for ${name.replace('_', ' ')}`);
  };

  setHandler(returnShipmentUpdate, ({ carrier, waybillNo, actor }) => {
    v().resolution.returnShipment = { carrier, waybillNo, at: nowIso() };
    Object.assign(waitingStep('return_shipment') ?? {}, { status: 'done', detail: `${carrier} ${waybillNo}`, updatedAt: nowIso() });
    c.log(actor, 'return_shipped', { carrier, waybillNo });
    return v();
  }, { validator: (_shipment) => requireStep('return_shipment') });

  setHandler(returnReceivedUpdate, ({ inspection, note, actor }) => {
    Object.assign(waitingStep('return_inspection') ?? {}, { status: inspection === 'ok' ? 'done' : 'failed', detail: note || inspection, updatedAt: nowIso() });
    c.log(actor, 'return_inspected', { inspection, note });
    return v();
  }, {
    validator: ({ actor }: Acting<ReturnReceivedV1>) => {
      if (actor.role === 'merchant' && actor.merchantId !== v().order.merchantId) refuse('not_found', 'no such complaint');
      requireStep('return_inspection');
    },
  });

  setHandler(repairCompletedUpdate, ({ note, actor }) => {
    Object.assign(waitingStep('repair') ?? {}, { status: 'done', detail: note || 'repaired', updatedAt: nowIso() });
    c.log(actor, 'repair_completed', { note });
    return v();
  }, {
    validator: ({ actor }: Acting<RepairCompletedV1>) => {
      if (actor.role === 'merchant' && actor.merchantId !== v().order.merchantId) refuse('not_found', 'no such complaint');
      requireStep('repair');
    },
  });

  setHandler(customerResponseUpdate, ({ accept, reason, actor }) => {
    v().customerResponse = { accept, reason: reason ?? null, at: nowIso() };
    c.log(actor, accept ? 'customer_accepted' : 'customer_objected', { reason: reason ?? null });
    return v();
  }, {
    validator: (_response) => {
      open(c);
      status(c, 'awaiting_customer');
      if (v().customerResponse) refuse('wrong_stage', 'the customer already answered');
    },
  });

  setHandler(satisfactionUpdate, ({ rating, comment, actor }) => {
    v().satisfaction = { ...v().satisfaction, rating, comment: comment ?? null, at: nowIso() };
    c.log(actor, 'satisfaction_rated', { rating });
    return v();
  }, {
    validator: (_rating) => {
      open(c);
      status(c, 'awaiting_feedback');
      if (v().satisfaction.rating !== null) refuse('wrong_stage', 'the rating was already given');
    },
  });

  setHandler(carrierEventSignal, ({ waybillNo, status: carrierStatus, at }) => {
    if (v().order.waybillNo === waybillNo) v().investigation.carrierStatus = carrierStatus;
    c.log({ sub: 'carrier', role: 'system' }, 'carrier_event', { waybillNo, status: carrierStatus, at });
  });

  setHandler(groupFlaggedSignal, ({ groupKey, count }) => {
    if (c.closed || v().groupFlagged) return;
    v().groupFlagged = true;
    v().priorityReasons.push(`group_complaint:${groupKey}:${count}`);
    v().priority = 'high';
    // Logging touches the case, which also updates the Priority search attribute.
    c.log(SYSTEM, 'group_complaint_flagged', { groupKey, count });
  });
}
