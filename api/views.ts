import type { CaseViewV1, TimelineEntryV1 } from '../shared/caseView';
import { type WindowClock, windowShareUsed } from '../shared/deadlineWindow';
import type { Actor } from '../shared/intake';
import { isParty } from './permissions';

/**
 * Complaint-handling §7: what a customer or a merchant sees of a case is theirs to see: not
 * staff-internal notes, supervisors' reasons, or the other party's contact data. Staff see the case
 * as the workflow holds it; a party sees this cut of it, whichever route answers (read, list,
 * timeline, an action's answer, a joined submission).
 */

export function viewShownTo<V extends CaseViewV1>(actor: Actor, view: V): V {
  if (!isParty(actor)) return view;
  const { approval } = view.resolution;
  return {
    ...view,
    // The classification's working: keywords, rules, and a priority reason staff gave.
    priorityReasons: [],
    suggestedCategory: null,
    customer: actor.role === 'merchant' ? { ...view.customer, phone: '' } : view.customer,
    investigation: {
      ...view.investigation,
      // The brief is the staff's finding for the file, not a message to either party.
      brief: null,
      // The merchant's answer is to the platform; the customer hears the outcome from the agent.
      merchantReply: actor.role === 'customer' ? null : view.investigation.merchantReply,
    },
    resolution: {
      ...view.resolution,
      approval: approval && { ...approval, reason: null, decidedBy: null, decisionReason: null },
      rejections: [],
    },
  };
}

/** A party's timeline says what happened and when, without the details staff recorded (reasons, findings, notes). */
export function timelineShownTo(actor: Actor, entries: TimelineEntryV1[]): TimelineEntryV1[] {
  if (!isParty(actor)) return entries;
  return entries.map((e) => ({ ...e, detail: {} }));
}

/**
 * Each running deadline's share of its window used, at the moment of the answer (issue 18: "escalation
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
