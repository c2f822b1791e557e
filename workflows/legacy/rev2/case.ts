import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { ApplicationFailure, patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { DateTime } from 'luxon';
import type { CaseViewV1, SlaEventV1, TimelineEntryV1 } from '../../../shared/caseView';
import type { DeadlineKind, EscalationLevel, Status } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import type { Actor } from '../../../shared/intake';
import type { CarriedState, ComplaintWorkflowInput } from '../../../shared/messages';
import { SA } from './searchAttributes';

/**
 * The case's state inside its workflow: the view the API returns, the audit log and the SLA facts
 * not yet written to the projection. Every change goes through here so the version, the search
 * attributes and the audit log stay in step.
 */

export const SEARCH_ATTRIBUTES_ON_CHANGE = 'search-attributes-on-change';

/** The search attributes a case keeps current, in the order they are upserted. */
const SEARCHABLE = [SA.status, SA.priority, SA.escalationLevel, SA.slaBreached, SA.ownerId];

export const SYSTEM: Actor = { sub: 'complaint-workflow', role: 'system' };

export function refuse(code: ErrorCode, message: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

export function nowIso(): string {
  return new Date().toISOString();
}

export class Case {
  view: CaseViewV1;
  readonly timeline: TimelineEntryV1[] = [];
  readonly slaEvents: SlaEventV1[] = [];
  version: number;
  timelineSeq: number;
  slaSeq: number;
  messagesToday: { day: string; count: number };
  /** Pause start (epoch ms) per paused deadline kind. */
  pausedDeadlines: Record<string, number>;
  /** Bumped on every proposal, so each plan's payments get their own idempotency keys. */
  planSeq: number;
  /** How much of this run's state the projection already holds. */
  written = { version: -1, timeline: 0, sla: 0 };
  private lastIndexed = '';
  /** What Temporal holds of the case: search attribute values by key, and the details text. */
  private indexedValues: Record<string, unknown> = {};
  private lastDetails = '';

  constructor(readonly input: ComplaintWorkflowInput) {
    const carried: CarriedState | undefined = input.carried;
    this.view = carried?.view ?? initialView(input);
    this.version = carried?.projectionVersion ?? 0;
    this.timelineSeq = carried?.timelineSeq ?? 0;
    this.slaSeq = carried?.slaSeq ?? 0;
    this.messagesToday = carried?.messagesToday ?? { day: '', count: 0 };
    this.pausedDeadlines = carried?.pausedDeadlines ?? {};
    this.planSeq = carried?.planSeq ?? 0;
  }

  get policy() {
    return this.input.policy;
  }

  get closed(): boolean {
    return this.view.status === 'closed';
  }

  carry(): CarriedState {
    return {
      view: this.view,
      timelineSeq: this.timelineSeq,
      slaSeq: this.slaSeq,
      projectionVersion: this.version,
      messagesToday: this.messagesToday,
      pausedDeadlines: this.pausedDeadlines,
      planSeq: this.planSeq,
    };
  }

  /** Records an action in the audit log and marks the view changed. */
  log(actor: Actor, action: string, detail: Record<string, unknown> = {}, result: TimelineEntryV1['result'] = 'ok'): void {
    this.timeline.push({ seq: ++this.timelineSeq, at: nowIso(), actor: { sub: actor.sub, role: actor.role }, action, detail, result });
    this.touch();
  }

  sla(kind: DeadlineKind, event: SlaEventV1['event'], dueAt: string): void {
    this.slaEvents.push({ seq: ++this.slaSeq, kind, event, at: nowIso(), dueAt, escalationLevel: this.view.escalationLevel });
  }

  setStatus(status: Status, stage: string): void {
    this.view.status = status;
    this.view.stage = stage;
    this.touch();
  }

  setStage(stage: string): void {
    this.view.stage = stage;
    this.touch();
  }

  escalateTo(level: EscalationLevel): void {
    if (level > this.view.escalationLevel) this.view.escalationLevel = level;
    this.touch();
  }

  /** Bumps the version and keeps ops' view in Temporal Web UI current. */
  touch(): void {
    this.version++;
    this.view.updatedAt = nowIso();
    if (patched(SEARCH_ATTRIBUTES_ON_CHANGE)) this.index();
    else this.indexEveryStage();
  }

  /**
   * Upserts only the search attributes whose value changed (each upsert is a history event and a
   * visibility write); the stage and next deadline go to the details text, which costs neither.
   */
  private index(): void {
    const v = this.view;
    const values: Record<string, unknown> = {
      [SA.status.name]: v.status,
      [SA.priority.name]: v.priority,
      [SA.escalationLevel.name]: v.escalationLevel,
      [SA.slaBreached.name]: v.breaches.length > 0,
      ...(v.owner ? { [SA.ownerId.name]: v.owner } : {}),
    };
    const changed = Object.keys(values).filter((k) => values[k] !== this.indexedValues[k]);
    if (changed.length) {
      upsertSearchAttributes(SEARCHABLE.filter((key) => changed.includes(key.name)).map((key) => ({ key, value: values[key.name] }) as SearchAttributeUpdatePair));
      this.indexedValues = values;
    }
    const details = detailsOf(v);
    if (details !== this.lastDetails) {
      setCurrentDetails(details);
      this.lastDetails = details;
    }
  }

  /** Before SEARCH_ATTRIBUTES_ON_CHANGE: all of them again on every change of stage. */
  private indexEveryStage(): void {
    const v = this.view;
    const indexed = JSON.stringify([v.status, v.priority, v.escalationLevel, v.breaches.length > 0, v.owner, v.stage]);
    if (indexed === this.lastIndexed) return;
    this.lastIndexed = indexed;
    upsertSearchAttributes([
      { key: SA.status, value: v.status },
      { key: SA.priority, value: v.priority },
      { key: SA.escalationLevel, value: v.escalationLevel },
      { key: SA.slaBreached, value: v.breaches.length > 0 },
      ...(v.owner ? [{ key: SA.ownerId, value: v.owner }] : []),
    ]);
    setCurrentDetails(detailsOf(v));
  }

  /** Counts a customer message against the daily cap; false when today's cap is reached. */
  takeMessageSlot(): boolean {
    const day = DateTime.now().setZone(this.policy.calendar.timeZone).toISODate() ?? '';
    if (this.messagesToday.day !== day) this.messagesToday = { day, count: 0 };
    if (this.messagesToday.count >= this.policy.smsPerCasePerDay) return false;
    this.messagesToday.count++;
    return true;
  }
}

/** The case at a glance in Temporal Web UI. */
function detailsOf(v: CaseViewV1): string {
  const next = v.deadlines.length ? [...v.deadlines].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0] : undefined;
  return [`**${v.status}** · ${v.stage}`, `priority ${v.priority}, escalation level ${v.escalationLevel}, owner ${v.owner ?? 'none'}`,
    next ? `next deadline: ${next.kind} due ${next.dueAt}` : 'no deadline running'].join('\n\n');
}

function initialView(input: ComplaintWorkflowInput): CaseViewV1 {
  const { intake, openedAt } = input;
  return {
    complaintId: input.complaintId,
    workflowId: input.complaintId,
    status: 'received',
    stage: 'sending receipt',
    category: intake.category,
    subType: intake.subType,
    suggestedCategory: input.suggestedCategory,
    priority: intake.priority,
    priorityReasons: intake.priorityReasons,
    channel: intake.channel,
    customer: intake.customer,
    order: {
      orderId: intake.order.orderId,
      merchantId: intake.order.merchantId,
      sku: intake.order.sku,
      amountPaidFen: intake.order.amountPaidFen,
      paidAt: intake.order.paidAt,
      ...(intake.order.carrier ? { carrier: intake.order.carrier } : {}),
      ...(intake.order.waybillNo ? { waybillNo: intake.order.waybillNo } : {}),
    },
    description: intake.description,
    desiredOutcome: intake.desiredOutcome,
    evidence: intake.evidence.map((e) => ({ ...e, addedBy: input.openedBy.sub, at: openedAt })),
    owner: null,
    escalationLevel: 0,
    deadlines: [],
    breaches: [],
    firstResponse: null,
    awaitingEvidence: false,
    investigation: { dueAt: null, extended: false, extensionReason: null, brief: null, merchantReply: null, merchantReplyMissed: false, carrierStatus: null },
    resolution: { proposal: null, approval: null, steps: [], rejections: [], returnShipment: null, refundedFen: 0, paidOutFen: 0, executedAt: null },
    customerResponse: null,
    satisfaction: { rating: null, comment: null, callbackSentAt: null, at: null, rounds: [] },
    round: 1,
    groupFlagged: false,
    repeatOf: input.repeatOf,
    policyVersion: input.policy.version,
    createdAt: openedAt,
    updatedAt: openedAt,
    closedAt: null,
    closeReason: null,
  };
}
