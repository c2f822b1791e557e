import type { CaseViewV1, TimelineEntryV1 } from '../shared/caseView';
import { type WindowClock, windowShareUsed } from '../shared/deadlineWindow';
import type { DeadlineKind } from '../shared/domain';
import type { Actor } from '../shared/intake';
import type { SlaPolicy } from '../shared/policy';
import { isParty } from './permissions';

/**
 * docs/domain.md §10.3: what a customer or a merchant sees of a case is theirs to see: not
 * staff-internal notes, supervisors' reasons, provider errors, staff ids (but the owner, the customer's
 * contact), or the other party's data. Staff see the case as the workflow holds it; a party sees this
 * cut of it, whichever route answers (read, list, timeline, an action's answer, a joined submission).
 */

type Party = 'customer' | 'merchant';

/** How the platform's staff and its own processes appear to a party: as the platform, never a person's id. */
const PLATFORM = 'platform';

export function viewShownTo<V extends CaseViewV1>(actor: Actor, view: V): V {
  if (!isParty(actor)) return view;
  const merchant = actor.role === 'merchant';
  const { proposal, approval } = view.resolution;
  // The caller's own id and the customer's (both parties know it) stay; anyone else is the platform.
  const who = (sub: string) => (sub === actor.sub || sub === view.customer.id ? sub : PLATFORM);
  const { id, name, phone, memberTier, locale } = view.customer;
  return {
    ...view,
    // The classification's working: keywords, rules, and a priority reason staff gave.
    priorityReasons: [],
    suggestedCategory: null,
    // The merchant reads whom the complaint is from, not how to reach them or how the platform ranks them.
    customer: {
      id,
      name,
      phone: merchant ? '' : phone,
      ...(merchant || !memberTier ? {} : { memberTier }),
      ...(locale ? { locale } : {}),
    },
    evidence: view.evidence.map((e) => ({ ...e, addedBy: who(e.addedBy) })),
    firstResponse: view.firstResponse && { ...view.firstResponse, by: PLATFORM },
    // A department's findings are for the case's owner, like the brief they feed.
    ...(view.departmentFindings ? { departmentFindings: [] } : {}),
    investigation: {
      ...view.investigation,
      // The brief is the staff's finding for the file, not a message to either party.
      brief: null,
      // The merchant's answer is to the platform; the customer hears the outcome from the agent.
      merchantReply: merchant ? view.investigation.merchantReply : null,
    },
    resolution: {
      ...view.resolution,
      // The note is the agent's, for the file and the payment gateway; the customer is told the solution in its own message.
      proposal: proposal && { ...proposal, note: '', proposedBy: PLATFORM },
      approval: approval && { ...approval, reason: null, decidedBy: null, decisionReason: null },
      rejections: [],
      // A step's detail is a provider's error or a party's note to staff; how the step stands is what the parties follow.
      steps: view.resolution.steps.map(({ name: step, status, owner, dueAt, updatedAt }) => ({
        name: step,
        status,
        owner,
        ...(dueAt ? { dueAt } : {}),
        updatedAt,
      })),
    },
    // What the customer said to the platform in objecting and rating stays between them.
    customerResponse:
      merchant && view.customerResponse ? { ...view.customerResponse, reason: null } : view.customerResponse,
    satisfaction: merchant
      ? {
          ...view.satisfaction,
          comment: null,
          rounds: (view.satisfaction.rounds ?? []).map((r) => ({ ...r, comment: null })),
        }
      : view.satisfaction,
    // The call task and its notes are staff's work; the customer hears the call itself.
    phoneCallback: null,
  };
}

/**
 * The timeline's actions a party reads, each under a label of its own and to whom it shows. Anything
 * else (deadlines and escalations, alerts to staff, failed outside calls and their retries,
 * reclassification and priority changes) is the platform's working, not the party's to read.
 */
const PARTY_TIMELINE = new Map<string, { label: string; to: readonly Party[] }>([
  ['complaint_opened', { label: 'complaint_received', to: ['customer', 'merchant'] }],
  ['duplicate_submission_joined', { label: 'complaint_submitted_again', to: ['customer'] }],
  ['receipt_sent', { label: 'receipt_sent', to: ['customer'] }],
  ['assigned', { label: 'agent_assigned', to: ['customer', 'merchant'] }],
  ['first_response', { label: 'agent_replied', to: ['customer'] }],
  ['handling_clock_paused', { label: 'evidence_requested', to: ['customer'] }],
  ['evidence_added', { label: 'evidence_added', to: ['customer', 'merchant'] }],
  ['merchant_copy_sent', { label: 'complaint_sent_to_merchant', to: ['customer', 'merchant'] }],
  ['merchant_replied', { label: 'merchant_replied', to: ['merchant'] }],
  ['investigation_extended', { label: 'investigation_extended', to: ['customer', 'merchant'] }],
  ['investigation_brief', { label: 'investigation_completed', to: ['customer', 'merchant'] }],
  ['choice_offered', { label: 'options_offered', to: ['customer', 'merchant'] }],
  ['customer_chose', { label: 'customer_chose', to: ['customer', 'merchant'] }],
  ['resolution_proposed', { label: 'solution_proposed', to: ['customer', 'merchant'] }],
  ['resolution_approved', { label: 'solution_approved', to: ['customer', 'merchant'] }],
  ['customer_message_sent', { label: 'message_sent', to: ['customer'] }],
  ['refund_done', { label: 'refund_issued', to: ['customer', 'merchant'] }],
  ['partial_refund_done', { label: 'refund_issued', to: ['customer', 'merchant'] }],
  ['compensation_done', { label: 'compensation_paid', to: ['customer', 'merchant'] }],
  ['coupon_done', { label: 'coupon_issued', to: ['customer'] }],
  ['goodwill_coupon_issued', { label: 'coupon_issued', to: ['customer'] }],
  ['merchant_notified', { label: 'merchant_asked_to_act', to: ['merchant'] }],
  ['return_shipped', { label: 'return_shipped', to: ['customer', 'merchant'] }],
  ['return_inspected', { label: 'return_inspected', to: ['customer', 'merchant'] }],
  ['repair_completed', { label: 'repair_completed', to: ['customer', 'merchant'] }],
  ['execution_failed', { label: 'solution_step_failed', to: ['customer', 'merchant'] }],
  ['customer_accepted', { label: 'solution_accepted', to: ['customer', 'merchant'] }],
  ['customer_objected', { label: 'solution_objected', to: ['customer', 'merchant'] }],
  ['objection_window_passed', { label: 'objection_window_ended', to: ['customer', 'merchant'] }],
  ['satisfaction_rated', { label: 'satisfaction_rated', to: ['customer', 'merchant'] }],
  ['case_reopened', { label: 'case_reopened', to: ['customer', 'merchant'] }],
  ['case_closed', { label: 'case_closed', to: ['customer', 'merchant'] }],
  ['carrier_event', { label: 'parcel_update', to: ['customer', 'merchant'] }],
  ['carrier_expedite_requested', { label: 'delivery_expedite_requested', to: ['customer'] }],
]);

/** Who did it, as a party reads it: the caller as themself, anyone else by their side (customer, merchant, platform). */
function actorShownTo(caller: Actor, actor: TimelineEntryV1['actor']): TimelineEntryV1['actor'] {
  if (actor.sub === caller.sub && actor.role === caller.role) return actor;
  const side = actor.role === 'customer' || actor.role === 'merchant' ? actor.role : PLATFORM;
  return { sub: side, role: side };
}

/** A party's timeline says what happened and when, in its own labels, without the details staff recorded (reasons, findings, notes, errors). */
export function timelineShownTo(actor: Actor, entries: TimelineEntryV1[]): TimelineEntryV1[] {
  if (!isParty(actor)) return entries;
  const party = actor.role as Party;
  return entries.flatMap((e) => {
    const shown = PARTY_TIMELINE.get(e.action);
    return shown?.to.includes(party)
      ? [{ ...e, actor: actorShownTo(actor, e.actor), action: shown.label, detail: {} }]
      : [];
  });
}

/**
 * Each running deadline's share of its window used, at the moment of the answer (docs/helpdesks.md: "escalation
 * in N minutes" at a glance), on the deadline's own clock. Computed at read time: a stored number
 * would be stale the minute after the workflow wrote it.
 */
export function withWindowShares<V extends CaseViewV1>(view: V, clock: WindowClock, nowMs = Date.now()): V {
  if (!view.deadlines.length) return view;
  const deadlines = view.deadlines.map((d) => ({
    ...d,
    shareUsed: windowShareUsed(clock, d.kind, Date.parse(d.windowStart ?? d.since), Date.parse(d.dueAt), nowMs),
  }));
  return { ...view, deadlines };
}

/** The deadlines whose window is one figure of the policy, whatever else the case holds (docs/domain.md §3's table, §7.9). */
const POLICY_WINDOWS: Partial<Record<DeadlineKind, (p: SlaPolicy) => string>> = {
  social_reply: (p) => p.socialReply.within,
  routine_handling: (p) => p.routineHandling,
  phone_callback: (p) => p.phoneCallback.within,
  customer_choice: (p) => p.customerChoice,
};

/**
 * Each such deadline's window as the case's own policy has it, so a reader names the window from the
 * case, not from the policy in force now: a running case keeps the version it opened with. None when
 * the case's version is not known (`policy` null).
 */
export function withPolicyWindows<V extends CaseViewV1>(view: V, policy: SlaPolicy | null): V {
  if (!policy || !view.deadlines.some((d) => POLICY_WINDOWS[d.kind])) return view;
  const deadlines = view.deadlines.map((d) => {
    const window = POLICY_WINDOWS[d.kind]?.(policy);
    return window ? { ...d, window } : d;
  });
  return { ...view, deadlines };
}
