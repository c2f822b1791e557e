import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseViewV1, SlaEventV1, TimelineEntryV1 } from './caseView';
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
  ReclassifyV1,
  ChangePriorityV1,
  CancelStepV1,
  MarkUpsetV1,
  CustomerChoiceV1,
  AddFindingV1,
  PhoneCallbackV1,
} from './commands';
import type { Actor, ClassifiedIntake } from './intake';
import type { SlaPolicy } from './policy';

/**
 * The complaint workflow's messages, declared once for the workflow (handlers) and the API
 * (callers). Names carry a version because running cases and clients depend on them.
 */

export type Acting<T> = T & { actor: Actor };

export interface ComplaintWorkflowInput {
  complaintId: string;
  openedAt: string;
  openedBy: Actor;
  submissionId: string;
  intake: ClassifiedIntake;
  suggestedCategory: { category: ClassifiedIntake['category']; template: string } | null;
  repeatOf: string | null;
  policy: SlaPolicy;
  /** State carried over by continue-as-new; absent on a new case. */
  carried?: CarriedState;
}

/** Everything a case needs to go on after continue-as-new; fields added later are optional (older runs lack them). */
export interface CarriedState {
  view: CaseViewV1;
  timelineSeq: number;
  slaSeq: number;
  projectionVersion: number;
  messagesToday: { day: string; count: number };
  pausedDeadlines: Record<string, number>;
  planSeq: number;
  /** The whole audit log and SLA facts, so the live view keeps them. */
  timeline?: TimelineEntryV1[];
  slaEvents?: SlaEventV1[];
  /** How much of the timeline and SLA facts the projection already holds. */
  written?: { version: number; timeline: number; sla: number };
  /** When the next progress update is due (epoch ms), so one is never sent twice. */
  nextProgressAt?: number | null;
  /** Background waits running when the run ended, restarted by the next run. */
  background?: string[];
  /** One-off alerts already sent (e.g. calendar data missing), never repeated. */
  alertsSent?: string[];
  /** The coupon the current plan issued: a run that resumes the plan revokes it if a later step fails. */
  planCoupon?: { plan: number; couponId: string } | null;
}

export interface SubmissionV1 {
  submissionId: string;
  channel: ClassifiedIntake['channel'];
  evidence: ClassifiedIntake['evidence'];
  actor: Actor;
}

export interface SubmissionResult {
  joined: boolean;
  view: CaseViewV1;
}

export const submitUpdate = defineUpdate<SubmissionResult, [SubmissionV1]>('submit.v1');
export const assignUpdate = defineUpdate<CaseViewV1, [Acting<AssignV1>]>('assign.v1');
export const firstResponseUpdate = defineUpdate<CaseViewV1, [Acting<FirstResponseV1>]>('firstResponse.v1');
export const addEvidenceUpdate = defineUpdate<CaseViewV1, [Acting<AddEvidenceV1>]>('addEvidence.v1');
export const merchantReplyUpdate = defineUpdate<CaseViewV1, [Acting<MerchantReplyV1>]>('merchantReply.v1');
export const extendInvestigationUpdate = defineUpdate<CaseViewV1, [Acting<ExtendInvestigationV1>]>(
  'extendInvestigation.v1',
);
export const briefUpdate = defineUpdate<CaseViewV1, [Acting<InvestigationBriefV1>]>('investigationBrief.v1');
export const proposeResolutionUpdate = defineUpdate<CaseViewV1, [Acting<ProposeResolutionV1>]>('proposeResolution.v1');
export const approvalUpdate = defineUpdate<CaseViewV1, [Acting<ApprovalDecisionV1>]>('approval.v1');
export const returnShipmentUpdate = defineUpdate<CaseViewV1, [Acting<ReturnShipmentV1>]>('returnShipment.v1');
export const returnReceivedUpdate = defineUpdate<CaseViewV1, [Acting<ReturnReceivedV1>]>('returnReceived.v1');
export const repairCompletedUpdate = defineUpdate<CaseViewV1, [Acting<RepairCompletedV1>]>('repairCompleted.v1');
export const testingResultUpdate = defineUpdate<CaseViewV1, [Acting<TestingResultV1>]>('testingResult.v1');
export const customerResponseUpdate = defineUpdate<CaseViewV1, [Acting<CustomerResponseV1>]>('customerResponse.v1');
export const satisfactionUpdate = defineUpdate<CaseViewV1, [Acting<SatisfactionV1>]>('satisfaction.v1');
export const reclassifyUpdate = defineUpdate<CaseViewV1, [Acting<ReclassifyV1>]>('reclassify.v1');
export const cancelStepUpdate = defineUpdate<CaseViewV1, [Acting<CancelStepV1>]>('cancelStep.v1');
export const changePriorityUpdate = defineUpdate<CaseViewV1, [Acting<ChangePriorityV1>]>('changePriority.v1');
export const markUpsetUpdate = defineUpdate<CaseViewV1, [Acting<MarkUpsetV1>]>('markUpset.v1');
export const customerChoiceUpdate = defineUpdate<CaseViewV1, [Acting<CustomerChoiceV1>]>('customerChoice.v1');
export const addFindingUpdate = defineUpdate<CaseViewV1, [Acting<AddFindingV1>]>('addFinding.v1');
export const phoneCallbackUpdate = defineUpdate<CaseViewV1, [Acting<PhoneCallbackV1>]>('phoneCallback.v1');

// Facts that arrive without a caller waiting.

/** A carrier's event on a waybill (POST /v1/carrier-events); the optional fields came later, so older senders still fit. */
export interface CarrierEventSignalV1 {
  waybillNo: string;
  status: string;
  at: string;
  carrier?: string;
  eventId?: string;
  location?: string;
  expectedDeliveryAt?: string;
}
export const carrierEventSignal = defineSignal<[CarrierEventSignalV1]>('carrierEvent.v1');
export const groupFlaggedSignal = defineSignal<[{ groupKey: string; count: number }]>('groupFlagged.v1');

/** The case doctor reset the case past a workflow task that kept failing (workflows/doctor.ts). */
export interface CaseRepairV1 {
  fromRunId: string;
  toRunId: string;
  resetEventId: number;
  failure: string;
}
export const caseRepairedSignal = defineSignal<[CaseRepairV1]>('caseRepaired.v1');

/**
 * A newer calendar for a running case (a published policy version's holidays and make-up days):
 * only the calendar, so the case's windows stay as promised while its working-day deadlines move.
 * A case keeps the newest version it has seen; an older or repeated one changes nothing.
 */
export interface CalendarUpdateV1 {
  /** The published policy version the calendar comes from. */
  policyVersion: number;
  calendar: Pick<SlaPolicy['calendar'], 'holidays' | 'makeUpWorkdays' | 'coveredYears' | 'computedYears'>;
}
export const calendarUpdatedSignal = defineSignal<[CalendarUpdateV1]>('calendarUpdated.v1');

export const caseViewQuery = defineQuery<CaseViewV1>('caseView.v1');
export const timelineQuery = defineQuery<TimelineEntryV1[]>('timeline.v1');
export const slaEventsQuery = defineQuery<SlaEventV1[]>('slaEvents.v1');

/**
 * The three above in one answer. A closed case is no longer in any worker's cache, so every query of
 * it replays its whole history: one query instead of three replays once.
 */
export interface CaseStateV1 {
  view: CaseViewV1;
  timeline: TimelineEntryV1[];
  slaEvents: SlaEventV1[];
}
export const caseStateQuery = defineQuery<CaseStateV1>('caseState.v1');

/** The per-merchant / per-product group counter's message (group-complaint rule). */
export interface GroupMemberV1 {
  complaintId: string;
  openedAt: string;
  threshold: number;
  windowMs: number;
}
export const groupMemberSignal = defineSignal<[GroupMemberV1]>('groupMember.v1');
