import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { ApplicationFailure, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { DateTime } from 'luxon';
import { nextServiceStart } from '../shared/calendar';
import { expectedBy, expectedByMs } from '../shared/customerTime';
import type { CaseViewV1, SlaEventV1, TimelineEntryV1 } from '../shared/caseView';
import type { DeadlineKind, EscalationLevel, Status } from '../shared/domain';
import type { ErrorCode } from '../shared/errors';
import type { Actor } from '../shared/intake';
import type { CarriedState, ComplaintWorkflowInput } from '../shared/messages';
import { SA } from '../shared/searchAttributes';

/**
 * Whether a move at history length `movedAt` is not yet written by a completed workflow task, seen
 * from an activation at `historyLength` (see `Case.movedSinceLastTask`).
 */
export function moveUnwritten(historyLength: number, movedAt: number): boolean {
  return historyLength - movedAt < 3;
}

/**
 * The case's state inside its workflow: the view the API returns, the audit log and the SLA facts
 * not yet written to the projection. Every change goes through here so the version, the search
 * attributes and the audit log stay in step.
 */

/** Behaviour a case's history decides (patches): a case started before a change keeps the old path. */
export interface CaseFeatures {
  warnBeforeBreach: boolean;
  /** Crisis cases run their first response and handling on the wall clock and alert on-call, legal and PR at once. */
  crisisOnTheClock?: boolean;
  /** The priority tiers' own actions (docs/domain.md §2.2, §2.6): the medium case's supervisor, the routine target, the social reply. */
  priorityTiers?: boolean;
  expediteDelays: boolean;
  /** Routing to the department of the case's category (docs/domain.md §6.5). */
  departments?: boolean;
}

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
  /** Everything the case carries across continue-as-new, in one object. */
  readonly state: CaseState;
  /** Deadline kinds whose waits a previous run started; each resumes its ladder once. */
  readonly resumed: Set<string>;
  /** Background work (messages, background waits) that must finish before continue-as-new or close. */
  private readonly background = new Set<Promise<unknown>>();
  /** Names of the background waits running, carried over continue-as-new. */
  readonly backgroundWaits = new Set<string>();
  private readonly waits = new Set<Promise<unknown>>();
  private calls = 0;
  /**
   * People's actions (update handlers) running now: what they change is the action's own, not the
   * workflow task's (docs/determinism.md).
   */
  acting = 0;
  /** The history length at which the case last moved other than by a person's action. */
  private movedInTask = -1;
  /** Whether this run continues an earlier one (continue-as-new). */
  readonly continued: boolean;
  /** Set while the execution only waits on a party: whether it still does (execution.ts); the run may then continue as new. */
  partyWait: (() => boolean) | null = null;
  /** The run decided to continue as new: the execution goes no further in it (the next run resumes it). */
  continuing = false;
  /** What Temporal holds of the case: search attribute values by key, and the details text. */
  private indexedValues: Record<string, unknown> = {};
  private lastDetails = '';
  /** The expected completion last written into the view (undefined: not yet in this run). */
  private expectedByShown: number | null | undefined;

  constructor(
    readonly input: ComplaintWorkflowInput,
    readonly features: CaseFeatures = { warnBeforeBreach: false, expediteDelays: false },
  ) {
    this.state = stateOf(input);
    this.resumed = new Set(input.carried?.view.deadlines.map((d) => d.kind) ?? []);
    this.continued = input.carried !== undefined;
  }

  /** Outside calls in flight: continue-as-new waits until none is. Starting or ending one moves the case. */
  get inFlight(): number {
    return this.calls;
  }

  set inFlight(n: number) {
    this.calls = n;
    this.moved();
  }

  /**
   * Whether the case moved, other than by a person's action (a result, a timer, a signal changed it
   * or called out), at a point no completed workflow task has written yet. A person's action that
   * reaches the workflow then is refused for now (guards.ts): its place among the task's commands
   * would not survive a replay (docs/determinism.md).
   *
   * A move in the current task is at this history length; a move a completed task wrote is at least
   * three events back (that task's completion, the next task's scheduling and its start). A query's
   * run-ahead, which ran the case on results no task had written, is refused before it runs
   * (activations.ts); the three events keep the rule safe should one ever get through.
   */
  get movedSinceLastTask(): boolean {
    return moveUnwritten(workflowInfo().historyLength, this.movedInTask);
  }

  private moved(): void {
    if (this.acting === 0) this.movedInTask = workflowInfo().historyLength;
  }

  get view(): CaseViewV1 {
    return this.state.view;
  }

  /**
   * Runs `work` in the background; continue-as-new and close wait for it. Tracking adds no command:
   * a tracked alert's calls already count in `inFlight`, which those waits read first.
   */
  track(work: Promise<unknown>): void {
    this.background.add(work);
    const ended = (): void => {
      this.background.delete(work);
    };
    work.then(ended, ended);
  }

  /** Resolves once no background work is running. */
  backgroundSettled(): Promise<void> {
    return allEnded(this.background);
  }

  /** Names a background wait (merchant reply, category target) while it runs, so a next run restarts it. */
  runWait(name: string, wait: () => Promise<unknown>): void {
    this.backgroundWaits.add(name);
    const running = wait().finally(() => {
      this.backgroundWaits.delete(name);
      this.waits.delete(running);
    });
    this.waits.add(running);
  }

  /** Resolves once every background wait ended (they end when the case closes). */
  waitsEnded(): Promise<void> {
    return allEnded(this.waits);
  }

  get policy() {
    return this.input.policy;
  }

  get closed(): boolean {
    return this.view.status === 'closed';
  }

  carry(): CarriedState {
    const { alertsSent, ...state } = this.state;
    return { ...state, background: [...this.backgroundWaits], alertsSent };
  }

  /** Records an action on the case's audit timeline and marks the view changed (Temporal's `log` is the worker's log). */
  audit(
    actor: Actor,
    action: string,
    detail: Record<string, unknown> = {},
    result: TimelineEntryV1['result'] = 'ok',
  ): void {
    this.state.timeline.push({
      seq: ++this.state.timelineSeq,
      at: nowIso(),
      actor: { sub: actor.sub, role: actor.role },
      action,
      detail,
      result,
    });
    this.touch();
  }

  sla(kind: DeadlineKind, event: SlaEventV1['event'], dueAt: string): void {
    this.state.slaEvents.push({
      seq: ++this.state.slaSeq,
      kind,
      event,
      at: nowIso(),
      dueAt,
      escalationLevel: this.view.escalationLevel,
    });
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
    this.moved();
    this.state.projectionVersion++;
    this.view.updatedAt = nowIso();
    this.refreshExpectedBy();
    this.index();
  }

  /** Every change touches the case, few move the expected completion: it is written out only when it moved. */
  private refreshExpectedBy(): void {
    const ms = expectedByMs(this.view);
    if (ms === this.expectedByShown) return;
    this.expectedByShown = ms;
    this.view.expectedBy =
      ms === null ? null : expectedBy(ms, this.view.customer.locale ?? 'zh-CN', this.policy.calendar.timeZone);
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
      upsertSearchAttributes(
        SEARCHABLE.filter((key) => changed.includes(key.name)).map(
          (key) => ({ key, value: values[key.name] }) as SearchAttributeUpdatePair,
        ),
      );
      this.indexedValues = values;
    }
    const details = detailsOf(v);
    if (details !== this.lastDetails) {
      setCurrentDetails(details);
      this.lastDetails = details;
    }
  }

  /** Counts a customer message against the daily cap; false when today's cap is reached. */
  takeMessageSlot(): boolean {
    const day = DateTime.now().setZone(this.policy.calendar.timeZone).toISODate() ?? '';
    if (this.state.messagesToday.day !== day) this.state.messagesToday = { day, count: 0 };
    if (this.state.messagesToday.count >= this.policy.smsPerCasePerDay) return false;
    this.state.messagesToday.count++;
    return true;
  }

  /** When the daily message cap next allows a message: the next local day's service opening. */
  nextMessageDayMs(): number {
    const tomorrow = DateTime.now().setZone(this.policy.calendar.timeZone).plus({ days: 1 }).startOf('day').toMillis();
    return nextServiceStart(tomorrow, this.policy.calendar);
  }
}

/** What a case carries across continue-as-new: a new field is one edit here and one default in stateOf. */
export type CaseState = Required<Omit<CarriedState, 'background'>>;

/** A new case's state, or the one the previous run carried (fields added later default for older runs). */
function stateOf(input: ComplaintWorkflowInput): CaseState {
  const carried = input.carried;
  return {
    view: carried?.view ?? initialView(input),
    timelineSeq: carried?.timelineSeq ?? 0,
    slaSeq: carried?.slaSeq ?? 0,
    projectionVersion: carried?.projectionVersion ?? 0,
    messagesToday: carried?.messagesToday ?? { day: '', count: 0 },
    pausedDeadlines: carried?.pausedDeadlines ?? {},
    planSeq: carried?.planSeq ?? 0,
    timeline: carried?.timeline ?? [],
    slaEvents: carried?.slaEvents ?? [],
    written: carried?.written ?? { version: -1, timeline: 0, sla: 0 },
    nextProgressAt: carried?.nextProgressAt ?? null,
    alertsSent: carried?.alertsSent ?? [],
    planCoupon: carried?.planCoupon ?? null,
  };
}

/** Resolves once a set of running work is empty; work may add more while it runs. */
async function allEnded(running: Set<Promise<unknown>>): Promise<void> {
  while (running.size) await Promise.all([...running]);
}

/** The case at a glance in Temporal Web UI. */
function detailsOf(v: CaseViewV1): string {
  const next = v.deadlines.length ? [...v.deadlines].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0] : undefined;
  return [
    `**${v.status}** · ${v.stage}`,
    `priority ${v.priority}, escalation level ${v.escalationLevel}, owner ${v.owner ?? 'none'}`,
    next ? `next deadline: ${next.kind} due ${next.dueAt}` : 'no deadline running',
  ].join('\n\n');
}

/** docs/domain.md §7.8: when the goods were signed for, and whether the complained-of item carries the 7-day no-reason return. */
function deliveryOf(
  order: ComplaintWorkflowInput['intake']['order'],
): Pick<CaseViewV1['order'], 'deliveredAt' | 'sevenDayReturn'> {
  const item = order.items.find((i) => i.sku === order.sku);
  return {
    ...(order.deliveredAt ? { deliveredAt: order.deliveredAt } : {}),
    ...(item?.sevenDayReturn !== undefined ? { sevenDayReturn: item.sevenDayReturn } : {}),
  };
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
      ...(intake.order.paymentMethod ? { paymentMethod: intake.order.paymentMethod } : {}),
      ...(intake.order.carrier ? { carrier: intake.order.carrier } : {}),
      ...(intake.order.waybillNo ? { waybillNo: intake.order.waybillNo } : {}),
      ...deliveryOf(intake.order),
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
    investigation: {
      dueAt: null,
      extended: false,
      extensionReason: null,
      brief: null,
      merchantReply: null,
      merchantReplyMissed: false,
      carrierStatus: null,
    },
    resolution: {
      proposal: null,
      approval: null,
      steps: [],
      rejections: [],
      returnShipment: null,
      goodsBack: null,
      refundedFen: 0,
      paidOutFen: 0,
      executedAt: null,
    },
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
