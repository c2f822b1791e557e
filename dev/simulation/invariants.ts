import { temporal } from '@temporalio/proto';
import { viewAfterWrites, type CaseWrite } from '../../activities/caseStore';
import type { CaseViewV1, SlaEventV1, TimelineEntryV1 } from '../../shared/caseView';
import { caseStateQuery, caseViewQuery } from '../../shared/messages';
import { caseModel, readCase } from '../../store/cases';
import { type FixCustomerDoc, findFix, trustFixModel } from '../../store/trustFixes';
import { type Harness, chainOf } from '../stack/harness';
import type { CaseRun, Snapshot } from './driver';
import {
  HOUR,
  MINUTE,
  NAMED_BY_KIND,
  type Pause,
  type Priority,
  ROUTED_CATEGORIES,
  SPEC,
  afterTestingResult,
  approvalOwed,
  isNoReasonReturn,
  mediumOpenedAt,
  refundArrivalOwed,
  trustOwed,
  callbackAt,
  choiceReminderAt,
  firstDue,
  inService,
  ladder,
  nextOpening,
  owedOnExecution,
  partyWindowEnd,
  planOfChoice,
  serviceDaysWithin,
  shiftedByPauses,
  testingOwed,
} from './model';
import { canAct } from './permissions';
import type { Replayer } from './replayer';

/**
 * The invariants checked after each simulated case, each a named check. Every check returns the
 * problems it found; an empty list is a pass. They run in this order, and the first failing one
 * is the case's "first broken invariant".
 */

export const INVARIANTS = [
  'no_workflow_task_failed',
  'closed_or_waiting_with_deadline',
  'one_sla_fact_per_deadline',
  'due_times_match_model',
  'breaches_alert_each_rung_in_time',
  'escalation_level_is_highest_rung',
  'alerted_role_can_act',
  'refunds_within_paid_and_once',
  'payout_above_threshold_approved',
  'customer_messages_wording_and_language',
  'satisfaction_callback_in_time',
  'wrong_order_actions_refused',
  'round_two_one_level_up',
  'crisis_told_at_once',
  'department_told_at_opening',
  'medium_told_at_opening',
  'upset_mark_makes_high',
  'open_case_has_running_deadline',
  'missed_deadline_told_daily',
  'undelivered_message_reaches_person',
  'party_wait_told_staff',
  'solution_owes_what_it_is',
  'refund_arrival_told',
  'testing_owes_what_it_is',
  'choice_offered_and_honoured',
  'suggestion_reaches_department',
  'trust_notice_after_fix',
  'projection_equals_case_view',
  'history_replays',
] as const;
export type Invariant = (typeof INVARIANTS)[number] | 'driver_error';

export interface Violation {
  invariant: Invariant;
  detail: string;
}

export interface Observed {
  history: temporal.api.history.v1.IHistory;
  /** The runs before the last (continue-as-new), oldest first. */
  earlierRuns: temporal.api.history.v1.IHistory[];
  status: string;
  view: CaseViewV1;
  timeline: TimelineEntryV1[];
  sla: SlaEventV1[];
  sms: Array<{ to: string; template: string; text: string }>;
  refunds: Array<{ orderId: string; amountFen: number; kind: string; idempotencyKey: string }>;
  coupons: Array<{ amountFen: number; idempotencyKey?: string; status: string; validDays?: number }>;
  /** What the merchant was told (the sandbox's merchant notices). */
  notices: Array<{ kind: string; text: string }>;
  /** The customer's dedicated agent as the store records it (docs/domain.md §7.1), or null. */
  dedicatedAgent: string | null;
  /** docs/domain.md §9.6: this case's customer in the record of the fix recorded against it, or null (no fix, or not listed). */
  fixed: FixCustomerDoc | null;
}

const TOL = 2 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const t = (s: string) => Date.parse(s);

async function getJson<T>(h: Harness, path: string): Promise<T> {
  const res = await fetch(`${h.sandbox.url}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export async function observe(h: Harness, run: CaseRun): Promise<Observed> {
  const id = encodeURIComponent(run.complaintId);
  const [history, d, { view, timeline, slaEvents: sla }, sms, refunds, coupons, notices, grant] = await Promise.all([
    run.handle.fetchHistory(),
    run.handle.describe(),
    // One query: a closed case's every query replays its whole history.
    run.handle.query(caseStateQuery),
    getJson<Observed['sms']>(h, `/sms/messages?complaintId=${id}`),
    getJson<Observed['refunds']>(h, `/payments/refunds?complaintId=${id}`),
    getJson<Observed['coupons']>(h, `/payments/coupons?complaintId=${id}`),
    getJson<Observed['notices']>(h, `/merchants/notices?complaintId=${id}`),
    // Read raw, as intake would find it: one document per customer.
    h.mongo.collection<{ _id: string; agentId?: string }>('dedicated_agents').findOne({ _id: run.customerId }),
  ]);
  const earlierRuns = (await chainOf(h.env.client, run.complaintId, history)).slice(0, -1);
  const fix = run.fix ? await findFix(trustFixModel(h.mongo), run.fix.fixId) : null;
  return {
    history,
    earlierRuns,
    status: d.status.name,
    view,
    timeline,
    sla,
    sms,
    refunds,
    coupons,
    notices,
    dedicatedAgent: grant?.agentId ?? null,
    fixed: fix?.customers.find((c) => c.complaintId === run.complaintId) ?? null,
  };
}

/** Every run's events, oldest first: what the case did, whichever run did it. */
const allEventsOf = (o: Observed) => [...o.earlierRuns.flatMap((r) => r.events ?? []), ...(o.history.events ?? [])];

// ---- the deadline instances and what ends them ----

/** Timeline actions that end a wait of each kind (the step was done). */
const MET_BY: Record<string, (e: TimelineEntryV1, category: string) => boolean> = {
  first_response: (e) => e.action === 'first_response',
  handling: (e) => e.action === 'assigned',
  investigation: (e) => e.action === 'investigation_brief',
  merchant_reply: (e) => e.action === 'merchant_replied',
  category_target: (e, cat) =>
    cat === 'product' ? e.action === 'resolution_proposed' : e.detail?.template === 'solution',
  proposal: (e) => e.action === 'resolution_proposed',
  approval: (e) => e.action === 'resolution_approved' || e.action === 'resolution_rejected',
  refund: (e) => /^(refund|partial_refund)_done$/.test(e.action) || e.action === 'execution_failed',
  credit: (e) => /^(compensation|coupon)_done$/.test(e.action) || e.action === 'execution_failed',
  // A waiting step also ends when staff call it off (cancelStep) or the plan fails around it.
  return_shipment: (e) => e.action === 'return_shipped' || calledOff(e, 'return_shipment'),
  return_inspection: (e) => e.action === 'return_inspected' || calledOff(e, 'return_inspection'),
  repair: (e) => e.action === 'repair_completed' || calledOff(e, 'repair'),
  // docs/domain.md §2.2, §2.6: the routine target ends with the proposal; the social private message is the first human answer.
  routine_handling: (e) => e.action === 'resolution_proposed',
  social_reply: (e) => e.action === 'first_response',
  // docs/domain.md §9.4: the call is met by its outcome recorded; a rating by SMS first means the call is no longer owed.
  phone_callback: (e) => e.action === 'phone_callback_recorded' || e.action === 'satisfaction_rated',
  // docs/domain.md §8.1: the notice went through, or the step failed with it.
  merchant_notice: (e) => e.action === 'merchant_notified' || e.action === 'execution_failed',
  third_party_testing: (e) => e.action === 'testing_result_recorded' || calledOff(e, 'third_party_testing'),
};

function calledOff(e: TimelineEntryV1, step: string): boolean {
  return (e.action === 'step_cancelled' && e.detail?.step === step) || e.action === 'execution_failed';
}

interface Instance {
  kind: string;
  activated: SlaEventV1;
  events: SlaEventV1[];
  /** Where the clock stood (waiting on the customer); `to` is Infinity while it still stands. */
  pauses: Pause[];
  terminal: SlaEventV1[];
}

function instances(sla: SlaEventV1[]): Instance[] {
  const open = new Map<string, Instance>();
  const all: Instance[] = [];
  for (const e of [...sla].sort((a, b) => a.seq - b.seq)) {
    if (e.event === 'activated') {
      const inst: Instance = { kind: e.kind, activated: e, events: [e], pauses: [], terminal: [] };
      open.set(e.kind, inst);
      all.push(inst);
      continue;
    }
    const inst = open.get(e.kind);
    if (!inst) continue;
    inst.events.push(e);
    if (e.event === 'met' || e.event === 'breached' || (e.event as string) === 'cancelled') inst.terminal.push(e);
  }
  for (const inst of all) {
    let pausedAt: number | null = null;
    for (const e of inst.events) {
      if (e.event === 'paused' && pausedAt === null) pausedAt = t(e.at);
      if (e.event === 'resumed' && pausedAt !== null) {
        inst.pauses.push({ from: pausedAt, to: t(e.at) });
        pausedAt = null;
      }
    }
    // Still paused (the customer never sent the evidence): the clock stands, nothing can be missed.
    // A breach before the pause does not end the wait (seed 3 case 97); being met or cancelled does.
    if (pausedAt !== null && inst.terminal.every((e) => e.event === 'breached'))
      inst.pauses.push({ from: pausedAt, to: Infinity });
  }
  return all;
}

/** The instant a deadline instance's clock started, per the rule of docs/domain.md for its kind. */
function startOf(inst: Instance, run: CaseRun, o: Observed): number {
  const act = t(inst.activated.at);
  const last = (action: string) => o.timeline.filter((e) => e.action === action && t(e.at) <= act).pop();
  switch (inst.kind) {
    case 'first_response':
    case 'handling':
    case 'investigation':
    case 'category_target':
    case 'social_reply':
      return run.openedAt;
    case 'merchant_reply':
      return t(last('merchant_copy_sent')?.at ?? inst.activated.at);
    case 'approval':
      return t(last('resolution_proposed')?.at ?? inst.activated.at);
    // docs/domain.md §8.6: the lab's window counts from the test's arrangement, whose due the customer is told.
    case 'third_party_testing':
      return testingArrangedBefore(o, act) ?? act;
    default:
      return act;
  }
}

/** When the workflow asked the merchant to take part in the last joint test arranged by `at` (any run). */
function testingArrangedBefore(o: Observed, at: number): number | undefined {
  return callsOf<{ kind?: string }>(allEventsOf(o), 'sendMerchantNotice')
    .filter((c) => c.input.kind === 'testing_request' && c.at <= at)
    .pop()?.at;
}

/** When an instance stopped running: its met/cancelled fact, the action that did the step, the close, or the end of the run. */
function endOf(inst: Instance, next: Instance | undefined, run: CaseRun, o: Observed): number {
  const start = t(inst.activated.at);
  const done = inst.terminal.find((e) => e.event !== 'breached');
  if (done) return t(done.at);
  const met = MET_BY[inst.kind];
  const act = met ? o.timeline.find((e) => t(e.at) >= start && met(e, categoryAt(o, run, t(e.at)))) : undefined;
  // A category's target belongs to the category the case is in: moved into one without a target, the wait ends (docs/domain.md §3).
  const untargeted =
    inst.kind === 'category_target'
      ? o.timeline.find(
          (e) => t(e.at) >= start && e.action === 'reclassified' && !SPEC.categoryTargetMs[reclassifiedTo(e)],
        )
      : undefined;
  // Moved into a category whose target the case already meets, the wait ends there: the target is the
  // new category's (docs/domain.md §3), as a plan standing when the case moves into product (seed 101 case 1903).
  const metOnArrival =
    inst.kind === 'category_target'
      ? o.timeline.find((e) => t(e.at) >= start && e.action === 'reclassified' && meetsOnArrival(o, e))
      : undefined;
  // The routine target is a low case's: raised above low (by staff, or by the "extremely upset" mark, which
  // makes it high) or reopened, the case is no longer routine and the wait ends (docs/domain.md §2.2).
  const unroutine =
    inst.kind === 'routine_handling'
      ? o.timeline.find(
          (e) =>
            t(e.at) >= start &&
            e.result !== 'refused' &&
            ((e.action === 'priority_changed' && e.detail?.to !== 'low') ||
              e.action === 'marked_extremely_upset' ||
              e.action === 'case_reopened'),
        )
      : undefined;
  const candidates = [
    act ? t(act.at) : Infinity,
    untargeted ? t(untargeted.at) : Infinity,
    metOnArrival ? t(metOnArrival.at) : Infinity,
    unroutine ? t(unroutine.at) : Infinity,
    o.view.closedAt ? t(o.view.closedAt) : Infinity,
    next ? t(next.activated.at) : Infinity,
    run.endedAt,
  ];
  return Math.min(...candidates);
}

/**
 * Whether the category a reclassification moves into has its target met already: product's by a plan
 * standing (proposed and not rejected since), logistics' by the solution told in the current round.
 */
function meetsOnArrival(o: Observed, moved: TimelineEntryV1): boolean {
  const before = o.timeline.filter((e) => e.seq < moved.seq && e.result !== 'refused');
  const to = reclassifiedTo(moved);
  if (to === 'product')
    return (
      before.filter((e) => e.action === 'resolution_proposed' || e.action === 'resolution_rejected').pop()?.action ===
      'resolution_proposed'
    );
  if (to === 'logistics') {
    const told = before.filter((e) => e.detail?.template === 'solution').pop();
    return told !== undefined && !before.some((e) => e.seq > told.seq && e.action === 'case_reopened');
  }
  return false;
}

const reclassifiedTo = (e: TimelineEntryV1) => String((e.detail?.to as { category?: string } | undefined)?.category);

/** The case's category at `at`: the script's, or the last reclassification's before it. */
function categoryAt(o: Observed, run: CaseRun, at: number): string {
  const last = o.timeline.filter((e) => e.action === 'reclassified' && t(e.at) <= at).pop();
  return last ? reclassifiedTo(last) : run.script.category;
}

// ---- the checks ----

/** The argument an activity was scheduled with (JSON, the SDK's default converter). */
function scheduledInput<T>(a: temporal.api.history.v1.IActivityTaskScheduledEventAttributes): T | null {
  const data = a.input?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as T) : null;
}

/** Each call of `activity` this run's history scheduled: when the call began, and its input. */
function callsOf<T>(
  events: temporal.api.history.v1.IHistoryEvent[],
  activity: string,
): Array<{ at: number; input: T }> {
  const out: Array<{ at: number; input: T }> = [];
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType?.name !== activity || !e.eventTime) continue;
    const input = scheduledInput<T>(a);
    if (input) out.push({ at: Number(e.eventTime.seconds) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6), input });
  }
  return out;
}

/** When this run's history scheduled each customer message of `template` (its SMS call began). */
function sendsOf(events: temporal.api.history.v1.IHistoryEvent[], template: string): number[] {
  return callsOf<{ template?: string }>(events, 'sendCustomerMessage')
    .filter((c) => c.input.template === template)
    .map((c) => c.at);
}

export async function checkCase(h: Harness, run: CaseRun, o: Observed, replayer: Replayer): Promise<Violation[]> {
  const out: Violation[] = [];
  const v = (invariant: Invariant, detail: string) => out.push({ invariant, detail });
  const events = o.history.events ?? [];
  const allEvents = allEventsOf(o);
  // Staff may reclassify or change the priority mid-flow (overrides.ts): each instant has its own.
  const { priorityAt, categoryAt, crisisAt, changedDuring } = overridesOf(run, o);
  const priority = run.script.priority;

  // 1. No workflow task failed, and the workflow did not fail or time out.
  // Not the server refusing to let the run end while an update or signal it has not seen waits
  // (UNHANDLED_COMMAND, seed 1 case 495: the customer answered as the case closed): the task is
  // retried with that event, as Temporal designs it.
  const failedTasks = allEvents.filter(
    (e) =>
      e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED &&
      e.workflowTaskFailedEventAttributes?.cause !==
        temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
  );
  for (const e of failedTasks.slice(0, 1)) {
    const a = e.workflowTaskFailedEventAttributes;
    const cause =
      `${String(a?.cause ?? '')} ${a?.failure?.message ?? ''} ${a?.failure?.stackTrace?.split('\n').slice(0, 2).join(' ') ?? ''}`.trim() ||
      'unknown';
    v('no_workflow_task_failed', `workflow task failed at event ${String(e.eventId)}: ${cause.slice(0, 300)}`);
  }
  if (['FAILED', 'TIMED_OUT', 'TERMINATED'].includes(o.status)) v('no_workflow_task_failed', `workflow ${o.status}`);

  // 2. Closed, or waiting on a person with a visible deadline.
  if (o.view.status !== 'closed' && o.view.deadlines.length === 0) {
    v(
      'closed_or_waiting_with_deadline',
      `status ${o.view.status} (${o.view.stage}) with no deadline in view after ${Math.round((run.endedAt - run.openedAt) / 3_600_000)} h`,
    );
  }
  if (o.view.status === 'closed' && o.status === 'RUNNING') {
    // A closed case whose workflow keeps running is fine only while its last writes land; quiesce waited.
    v('closed_or_waiting_with_deadline', 'case closed but its workflow is still running');
  }

  // 3 + 4. One SLA fact per deadline instance; due times equal the model's.
  const insts = instances(o.sla);
  const pending = new Set(o.view.deadlines.map((d) => d.kind));
  insts.forEach((inst, i) => {
    const next = insts.slice(i + 1).find((x) => x.kind === inst.kind);
    const stillRunning = !next && pending.has(inst.kind as never) && o.view.status !== 'closed';
    if (inst.terminal.length !== 1 && !(inst.terminal.length === 0 && stillRunning)) {
      v(
        'one_sla_fact_per_deadline',
        `${inst.kind} (activated ${inst.activated.at}, due ${inst.activated.dueAt}): ${inst.terminal.length} facts [${inst.terminal.map((e) => e.event).join(', ')}]`,
      );
    }
    if (inst.terminal.length === 0 && !stillRunning && o.view.status === 'closed') {
      // covered above: a closed case's waits end in `cancelled`
    }
    const start = startOf(inst, run, o);
    const activated = t(inst.activated.at);
    // A deadline running when staff changed the priority or category moves at once: not judged here.
    if (changedDuring(Math.min(start, activated), endOf(inst, next, run, o))) return;
    const [pr, category, crisis] = [priorityAt(activated), categoryAt(activated), crisisAt(activated)];
    const extendedAt = o.timeline.find((e) => e.action === 'investigation_extended');
    const due0 = firstDue(inst.kind, start, pr, category, run.cal, false, crisis);
    if (due0 !== null && Math.abs(t(inst.activated.dueAt) - due0) > 1_000) {
      v('due_times_match_model', `${inst.kind} started ${iso(start)}: due ${inst.activated.dueAt}, model ${iso(due0)}`);
    }
    const breach = inst.terminal.find((e) => e.event === 'breached');
    if (breach && due0 !== null) {
      const extended = inst.kind === 'investigation' && extendedAt !== undefined && t(extendedAt.at) <= t(breach.at);
      const want = shiftedByPauses(
        firstDue(inst.kind, start, pr, category, run.cal, extended, crisis) ?? due0,
        inst.pauses,
      );
      if (Math.abs(t(breach.dueAt) - want) > 1_000)
        v(
          'due_times_match_model',
          `${inst.kind} breached with due ${breach.dueAt}, model ${iso(want)}${extended ? ' (extended)' : ''}${inst.pauses.length ? ` (${inst.pauses.length} pause(s))` : ''}`,
        );
      if (t(breach.at) + TOL < want)
        v('due_times_match_model', `${inst.kind} breached at ${breach.at}, before its due ${iso(want)}`);
    }
  });

  // 5 + 6 + 7. The ladder: every miss alerted the right role, in service hours unless high; the level; who can act.
  // Alert events are `<kind>_breached` (merchant reply: `merchant_reply_missed`).
  // An alert the SMS gateway refused or lost is still an alert sent, recorded as a failed call (nobody else to tell).
  const alerts = o.timeline.filter(
    (e) =>
      (e.action === 'staff_notified' || e.action === 'staff_notification_failed') &&
      typeof e.detail?.event === 'string' &&
      /_(breached|missed)$/.test(String(e.detail.event)),
  );
  const isAlertFor = (e: TimelineEntryV1, kind: string) =>
    String(e.detail.event) === `${kind}_breached` || String(e.detail.event) === `${kind}_missed`;
  const roleAlerts = alerts.filter((e) =>
    ['supervisor', 'ops_manager', 'merchant_ops', 'compliance', 'agent'].includes(String(e.detail.recipient)),
  );
  const claimed = new Set<TimelineEntryV1>();
  // An alert is recorded when its call ends: through an SMS fault that is after the retries (20 attempts, at most a minute apart).
  const alertTol = run.script.faults.some((f) => f.service === 'sms') ? 20 * MINUTE : TOL;
  let expectedLevel = 0;
  // A miss that tied with the step (within the model's tie) may or may not have climbed.
  let possibleLevel = 0;
  // Two passes: every instance first claims the alerts its ladder owes, and only then is an alert
  // nobody owed unexpected (an earlier wait of the same kind must not take a later one's alert).
  const ladders = insts.flatMap((inst, i) => {
    const activated = t(inst.activated.at);
    const [pr, category, crisis] = [priorityAt(activated), categoryAt(activated), crisisAt(activated)];
    const w = firstDue(inst.kind, startOf(inst, run, o), pr, category, run.cal, false, crisis);
    if (w === null) return [];
    const next = insts.slice(i + 1).find((x) => x.kind === inst.kind);
    const extendedAt = o.timeline.find((e) => e.action === 'investigation_extended');
    const extended = inst.kind === 'investigation' && extendedAt !== undefined;
    const d0 = firstDue(inst.kind, startOf(inst, run, o), pr, category, run.cal, extended, crisis) ?? w;
    const end = endOf(inst, next, run, o);
    // Staff changed the priority or category while it ran: its ladder moved with them, owed alerts are not judged.
    const moved = changedDuring(Math.min(startOf(inst, run, o), activated), end);
    const judged = ladder(
      inst.kind,
      d0,
      end,
      pr,
      category,
      run.cal,
      extended,
      t(inst.activated.at),
      inst.pauses,
      MINUTE,
      crisis,
    );
    const { alerts: want, uncertain } = moved ? { alerts: [], uncertain: true } : judged;
    if (moved && judged.alerts.length) possibleLevel = 2;
    if (inst.kind !== 'merchant_reply')
      for (const a of want) expectedLevel = Math.max(expectedLevel, a.rung === 0 ? 1 : 2);
    if (inst.kind !== 'merchant_reply' && uncertain) possibleLevel = Math.max(possibleLevel, want.length === 0 ? 1 : 2);
    const windowEnd = next ? t(next.activated.at) : Infinity;
    const mine = roleAlerts.filter(
      (e) => isAlertFor(e, inst.kind) && t(e.at) >= t(inst.activated.at) && t(e.at) < windowEnd + 13 * 3_600_000,
    );
    return [{ inst, want, uncertain, end, mine, windowEnd }];
  });
  for (const { inst, want, end, mine } of ladders) {
    for (const a of want) {
      // An alert owed for a miss off hours goes out at the opening; if the step was done before that, either is fine.
      const optional = a.sendAt > end;
      const hit = mine.find(
        (e) =>
          !claimed.has(e) &&
          e.detail.recipient === a.role &&
          t(e.at) - a.sendAt >= -TOL &&
          t(e.at) - a.sendAt <= alertTol,
      );
      if (hit) claimed.add(hit);
      else if (!optional) {
        const got = mine.filter((e) => e.detail.recipient === a.role).map((e) => e.at);
        v(
          'breaches_alert_each_rung_in_time',
          `${inst.kind} rung ${a.rung} missed at ${iso(a.missAt)}: no alert to ${a.role} at ${iso(a.sendAt)} (alerts to ${a.role}: ${got.join(', ') || 'none'})`,
        );
      }
    }
  }
  for (const { inst, want, uncertain, end, mine, windowEnd } of ladders) {
    for (const e of mine) {
      if (claimed.has(e)) continue;
      const lateOptional = uncertain || want.some((a) => a.sendAt > end && e.detail.recipient === a.role);
      // An alert once the next wait of the kind began is that wait's to judge (seed 101 case 843: round
      // two's proposal missed by seconds, an alert round one's ladder did not owe).
      if (!lateOptional && t(e.at) < windowEnd && t(e.at) <= end + TOL + 13 * 3_600_000) {
        claimed.add(e);
        v(
          'breaches_alert_each_rung_in_time',
          `${inst.kind}: unexpected alert to ${String(e.detail.recipient)} at ${e.at} (model: ${want.map((a) => `${a.role}@${iso(a.sendAt)}`).join(', ') || 'none'})`,
        );
      }
    }
  }
  // Judged by when the workflow sent the alert: its line is written when the call ends, after an SMS
  // fault's retries (seed 4 case 130: sent at 20:59 local, failed at 21:13), whichever run sent it.
  const staffCalls = callsOf<{ recipient?: string; event?: string }>(allEvents, 'notifyStaff');
  const sentAt = (e: TimelineEntryV1) =>
    staffCalls
      .filter(
        (c) => c.input.recipient === e.detail.recipient && c.input.event === e.detail.event && c.at <= t(e.at) + TOL,
      )
      .at(-1)?.at ?? t(e.at);
  for (const e of roleAlerts) {
    const sent = sentAt(e);
    // docs/domain.md §2.6: the social private message's misses are told at once, day and night.
    const dayAndNight = String(e.detail.event) === 'social_reply_breached';
    if (priorityAt(sent) !== 'high' && !dayAndNight && !changedDuring(sent - HOUR, sent) && !inService(sent, run.cal))
      v(
        'breaches_alert_each_rung_in_time',
        `${String(e.detail.event)} alert to ${String(e.detail.recipient)} sent at ${iso(sent)}: outside service hours (${priority} priority)`,
      );
  }
  const gatewayCount = (role: string, event: string) =>
    o.sms.filter((m) => m.to === `staff:${role}` && m.template === `staff:${event}`).length;
  const delivered = roleAlerts.filter((e) => e.action === 'staff_notified');
  for (const e of delivered) {
    const role = String(e.detail.recipient);
    const event = String(e.detail.event);
    if (
      gatewayCount(role, event) <
      delivered.filter((x) => x.detail.recipient === role && x.detail.event === event).length
    ) {
      v(
        'breaches_alert_each_rung_in_time',
        `timeline says ${event} went to ${role}, the SMS gateway has fewer such messages`,
      );
      break;
    }
  }
  const reopenedOrFailed = o.timeline.some(
    (e) => e.action === 'case_reopened' || e.action === 'execution_failed' || e.action === 'compensation_failed',
  );
  const highest = Math.max(expectedLevel, possibleLevel);
  if (
    reopenedOrFailed
      ? o.view.escalationLevel < expectedLevel
      : o.view.escalationLevel < expectedLevel || o.view.escalationLevel > highest
  ) {
    v(
      'escalation_level_is_highest_rung',
      `escalationLevel ${o.view.escalationLevel}, model ${expectedLevel}${reopenedOrFailed ? ' (at least: reopened or failed step)' : ''}`,
    );
  }
  for (const b of o.view.breaches) {
    const category = categoryAt(t(b.at));
    if (b.escalatedTo === 'none')
      v('breaches_alert_each_rung_in_time', `${b.kind} breach at ${b.at} escalated to nobody`);
    else if (b.escalatedTo !== 'merchant_ops' && !canAct(b.escalatedTo, b.kind, category))
      v(
        'alerted_role_can_act',
        `${b.kind} escalated to ${b.escalatedTo}, who has no route to act on it (category ${category})`,
      );
  }
  for (const e of roleAlerts) {
    // `<kind>_still_missed`: the daily report after the top rung's burst (docs/domain.md §5.2), about the same deadline.
    const kind = String(e.detail.event).replace(/_(breached|still_missed|missed)$/, '');
    const role = String(e.detail.recipient);
    const category = categoryAt(t(e.at));
    if (role !== 'merchant_ops' && !canAct(role, kind, category))
      v('alerted_role_can_act', `${kind} alert to ${role}, who has no route to act on it (category ${category})`);
  }
  for (const a of run.escalatedApprovals)
    if (a.refused)
      v('alerted_role_can_act', `approval escalated to ${a.role}, whose decision was refused: ${a.detail}`);

  // 8. Money: refunds per order never above what was paid; no idempotency key paid twice.
  const refunded = o.refunds
    .filter((r) => r.orderId === run.orderId && r.kind !== 'compensation')
    .reduce((s, r) => s + r.amountFen, 0);
  if (refunded > run.script.amountPaidFen)
    v(
      'refunds_within_paid_and_once',
      `order ${run.orderId}: refunded ${refunded} fen of ${run.script.amountPaidFen} paid`,
    );
  const keys = [
    ...o.refunds.map((r) => r.idempotencyKey),
    ...o.coupons.map((c) => c.idempotencyKey).filter((k): k is string => !!k),
  ];
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) v('refunds_within_paid_and_once', `idempotency key ${dup} paid twice`);

  // 9. A cumulative payout above the threshold was approved (the plan that crossed it).
  const proposals = o.timeline.filter((e) => e.action === 'resolution_proposed');
  const planOf = (key: string | undefined) => Number(/plan(\d+)/.exec(key ?? '')?.[1] ?? proposals.length);
  const payouts = [
    ...o.refunds.map((r) => ({ plan: planOf(r.idempotencyKey), fen: r.amountFen })),
    // Goodwill coupons, and a fix's (docs/domain.md §9.6: no one approves it), are no plan's.
    ...o.coupons
      .filter((c) => !/goodwill/.test(c.idempotencyKey ?? '') && !isFixCoupon(run, c))
      .map((c) => ({ plan: planOf(c.idempotencyKey), fen: c.amountFen })),
  ].sort((a, b) => a.plan - b.plan);
  let total = 0;
  for (const p of payouts) {
    total += p.fen;
    if (total <= SPEC.approvalThresholdFen) continue;
    const proposed = proposals[p.plan - 1];
    const nextProposal = proposals[p.plan];
    const approved =
      proposed &&
      o.timeline.some(
        (e) =>
          e.action === 'resolution_approved' && e.seq > proposed.seq && (!nextProposal || e.seq < nextProposal.seq),
      );
    // docs/domain.md §7.8: the no-reason return is granted without approval, whatever the amount; what it
    // paid still counts towards the later plans' totals (docs/domain.md §7.3).
    const accepted = proposals.filter((e) => e.result !== 'refused');
    const made = proposed && accepted.length === run.plans.length ? run.plans[accepted.indexOf(proposed)] : undefined;
    const right = made ? noReasonReturnOf(run, o, proposed, made) : undefined;
    if (!approved && right && (right.noReason || (right.onEdge && proposed.detail.noReasonReturn === true))) continue;
    if (!approved) {
      v(
        'payout_above_threshold_approved',
        `plan ${p.plan} took the case's payout to ${total} fen (> ${SPEC.approvalThresholdFen}) without approval`,
      );
      break;
    }
  }

  // 10. Customer messages: the wording rules of docs/domain.md §10.4 (both scripts) and the customer's language.
  for (const m of o.sms.filter((x) => !x.to.startsWith('staff:'))) {
    const bad = bannedIn(m.text);
    if (bad) v('customer_messages_wording_and_language', `${m.template} contains "${bad}": ${m.text.slice(0, 120)}`);
    const cjk = /[\u4e00-\u9fff]/.test(m.text);
    // docs/domain.md §9.6: a fix's notice is English only where staff gave the English words.
    if (m.template === 'trust_notice' && run.locale === 'en' && !run.fix?.whatChangedEn) {
      if (!cjk)
        v(
          'customer_messages_wording_and_language',
          `trust_notice not in Chinese (no English words given): ${m.text.slice(0, 100)}`,
        );
      continue;
    }
    if (run.locale === 'zh-CN' && !cjk) {
      v(
        'customer_messages_wording_and_language',
        `${m.template} is not in Chinese (customer locale zh-CN): ${m.text.slice(0, 100)}`,
      );
      break;
    }
    if (run.locale === 'en' && cjk) {
      v(
        'customer_messages_wording_and_language',
        `${m.template} is not in English (customer locale en): ${m.text.slice(0, 100)}`,
      );
      break;
    }
  }

  // 11. The satisfaction callback: at max(objection end, execution + callbackAfter); high within 24 h.
  // Judged at its first attempt after each solution: one the SMS gateway refused went out in time
  // all the same (as an alert does), and the resend that follows is not a late callback. An attempt
  // is timed from when the workflow sent it, not when its timeline line was written: that waits for
  // the SMS call's retries (seed 1 case 419: sent on time, gateway failing, recorded 2 min later).
  const callbackSends = sendsOf(allEvents, 'satisfaction_callback');
  const solutionSends = sendsOf(allEvents, 'solution');
  const solutions = o.timeline.filter((e) => e.detail?.template === 'solution');
  const attempts = o.timeline.filter(
    (e) =>
      e.detail?.template === 'satisfaction_callback' &&
      (e.action === 'customer_message_sent' || e.action === 'customer_message_failed'),
  );
  const firstAttempts = solutions.flatMap((exec, i) => {
    const next = solutions[i + 1]?.seq ?? Infinity;
    const cb = attempts.find((e) => e.seq > exec.seq && e.seq < next);
    return cb ? [cb] : [];
  });
  for (const cb of firstAttempts) {
    const solution = solutions.filter((e) => e.seq < cb.seq).pop();
    if (!solution) continue;
    // The solution message is recorded when its call ends, after any SMS retries; the execution it
    // reports is the case's `executedAt` (the last round's), or, for an earlier round, when the
    // workflow sent that message (seed 1 case 1471: round 1's solution SMS retried for 5 min).
    const recorded = o.view.resolution.executedAt;
    const solutionSent = solutionSends.filter((at) => at <= t(solution.at)).pop() ?? t(solution.at);
    const executed =
      solution === solutions.at(-1) && recorded && t(recorded) <= t(solution.at) ? t(recorded) : solutionSent;
    const answer = o.timeline.find(
      (e) =>
        (e.action === 'customer_accepted' || e.action === 'customer_objected') &&
        e.seq > solution.seq &&
        e.seq < cb.seq,
    );
    const objectionEnd = answer ? t(answer.at) : executed + SPEC.objectionWindowMs;
    const notReached = o.timeline.find(
      (e) =>
        e.action === 'phone_callback_recorded' && e.detail?.reached === false && e.seq > solution.seq && e.seq < cb.seq,
    );
    const want = callbackAt(executed, priorityAt(executed), notReached ? t(notReached.at) : Infinity);
    const sent = callbackSends.filter((at) => at <= t(cb.at)).pop() ?? t(cb.at);
    if (Math.abs(sent - want) > TOL && !changedDuring(executed, sent))
      v(
        'satisfaction_callback_in_time',
        `callback sent at ${iso(sent)} (recorded ${cb.at}), model ${iso(want)} (executed ${iso(executed)}, objection ended ${iso(objectionEnd)}, ${priority})`,
      );
    if (priorityAt(executed) === 'high' && sent - executed > SPEC.highCallbackWithinMs + TOL)
      v(
        'satisfaction_callback_in_time',
        `high-priority callback ${Math.round((sent - executed) / 3_600_000)} h after execution (> 24 h)`,
      );
  }

  // 11b. docs/domain.md §9.4: a high-priority case's execution owes a phone call due 24 h later (judged on the last execution, whose instant the view holds).
  const lastExecuted = o.view.resolution.executedAt ? t(o.view.resolution.executedAt) : null;
  if (
    lastExecuted !== null &&
    priorityAt(lastExecuted) === 'high' &&
    !changedDuring(lastExecuted - TOL, lastExecuted + TOL)
  ) {
    const owed = o.timeline.find((e) => e.action === 'phone_callback_due' && Math.abs(t(e.at) - lastExecuted) <= TOL);
    if (!owed)
      v('satisfaction_callback_in_time', `the high-priority execution at ${iso(lastExecuted)} owes no phone call`);
    else if (t(String(owed.detail?.dueAt)) !== lastExecuted + SPEC.phoneCallbackMs)
      v(
        'satisfaction_callback_in_time',
        `phone call due ${String(owed.detail?.dueAt)}, model ${iso(lastExecuted + SPEC.phoneCallbackMs)} (24 h after the execution)`,
      );
  }
  for (const e of o.timeline.filter((x) => x.action === 'phone_callback_due')) {
    if (Math.abs(t(String(e.detail?.dueAt)) - t(e.at) - SPEC.phoneCallbackMs) > TOL)
      v('satisfaction_callback_in_time', `phone call owed at ${e.at} due ${String(e.detail?.dueAt)}, not 24 h later`);
  }

  // 12. Actions out of order were refused.
  for (const w of run.wrongOrder)
    if (!w.refused) v('wrong_order_actions_refused', `${w.action} before ${w.before}: ${w.detail}`);

  // docs/domain.md §9.3: round two one level up: the reopened case leaves its agent; a supervisor or above proposes it.
  const reopened = o.timeline.find((e) => e.action === 'case_reopened');
  if (reopened) {
    const roles: readonly string[] = SPEC.roundTwoProposers;
    const wrong = o.timeline.find(
      (e) => e.action === 'resolution_proposed' && e.seq > reopened.seq && !roles.includes(e.actor.role),
    );
    if (wrong)
      v('round_two_one_level_up', `round two proposed at ${wrong.at} by ${wrong.actor.role} ${wrong.actor.sub}`);
    const firstProposal = o.timeline.find((e) => e.action === 'resolution_proposed' && e.seq > reopened.seq);
    const kept = run.snapshots.find(
      (sn) =>
        sn.round > 1 &&
        sn.status === 'in_progress' &&
        sn.at > t(reopened.at) &&
        (!firstProposal || sn.at < t(firstProposal.at)) &&
        sn.owner !== null &&
        !sn.owner.startsWith('supervisor') &&
        !sn.owner.startsWith('ops_manager'),
    );
    if (kept)
      v(
        'round_two_one_level_up',
        `reopened at ${reopened.at}, still owned by ${kept.owner} at ${iso(kept.at)} before anyone proposed round two`,
      );
  }

  checkLiveness(run, o, insts, alertTol, v);
  checkTiers(run, o, priorityAt, changedDuring, alertTol, v);
  checkSolutions(run, o, categoryAt, v);
  checkRefundArrival(run, o, v);
  checkTesting(run, o, alertTol, v);
  checkChoice(run, o, alertTol, v);
  checkSuggestion(run, o, categoryAt, alertTol, v);
  checkTrustNotice(run, o, v);

  // 13. The MongoDB projection equals the final case view (it may trail by a write: poll briefly).
  const cases = caseModel(h.mongo);
  let projected: CaseViewV1 | null = null;
  let view = o.view;
  for (let i = 0; i < 40; i++) {
    projected = await readCase(cases, run.complaintId);
    if (projected && canon(projected) === canon(view)) break;
    // Skipped time runs on after the observation: an open case's next write (a daily progress
    // update) may have landed since, so compare with the case as it is now.
    if (projected && projected.updatedAt > view.updatedAt) view = await run.handle.query(caseViewQuery);
    await new Promise((r) => setTimeout(r, 100));
  }
  // A closed case's query is answered by replaying its history, and replay can read the workflow
  // clock later than the run did: sdk-core folds a workflow task with no new events (the test
  // server records one for an update the validator refused) into the task before it, and wakes
  // the workflow at the later task's time (https://github.com/temporalio/sdk-core/blob/master/arch_docs/workflow_task_chunking.md; seed 1
  // case 724: the last line's time 17 ms later). The case's final view is then what the run last
  // wrote: the projection must equal it, and the replayed view may differ from it in times only.
  const written = o.status !== 'RUNNING' ? lastWrittenView(events) : null;
  const replayShifted =
    written !== null && canon(projected) === canon(written) && canon(timeless(view)) === canon(timeless(written));
  if (!projected) v('projection_equals_case_view', 'no projection');
  else if (canon(projected) !== canon(view) && !replayShifted)
    v('projection_equals_case_view', firstDifference(projected, view));

  // 14. The history replays against the bundle.
  const replayed = await replayer.replay(run.complaintId, o.history);
  if (replayed) v('history_replays', replayed.slice(0, 300));
  return out;
}

/**
 * Priority, category and crisis at an instant: the opening's, then whatever staff set (the timeline's
 * `priority_changed` and `reclassified`). Deadlines running across a change are not judged against
 * the model's due times: they move at once, by a rule of their own.
 */
function overridesOf(run: CaseRun, o: Observed) {
  const changes = o.timeline.filter(
    (e) =>
      (e.action === 'priority_changed' || e.action === 'reclassified' || e.action === 'marked_extremely_upset') &&
      e.result !== 'refused',
  );
  // docs/domain.md §2.2: an "extremely upset" mark makes the case high, with what high brings.
  const priorityAt = (ms: number): Priority => {
    let p: Priority = run.script.priority;
    for (const e of changes)
      if (t(e.at) <= ms && e.action === 'priority_changed') p = e.detail.to as Priority;
      else if (t(e.at) <= ms && e.action === 'marked_extremely_upset') p = SPEC.upsetPriority;
    return p;
  };
  const categoryAt = (ms: number): string => {
    let c = run.script.category;
    for (const e of changes)
      if (e.action === 'reclassified' && t(e.at) <= ms) c = (e.detail.to as { category: string }).category;
    return c;
  };
  // docs/domain.md §5.4: a crisis is a high-priority case for personal safety or media/regulator involvement.
  const crisisAt = (ms: number) => run.script.crisis !== null && priorityAt(ms) === 'high';
  const changedDuring = (from: number, to: number) => changes.some((e) => t(e.at) >= from - TOL && t(e.at) <= to + TOL);
  return { priorityAt, categoryAt, crisisAt, changedDuring };
}

/** A staff alert the case sent or tried: when the workflow scheduled it or recorded it (any run). */
interface StaffSend {
  at: number;
  recipient: string;
  event: string;
}

function staffSendsOf(o: Observed): StaffSend[] {
  const scheduled = callsOf<{ recipient?: string; event?: string }>(allEventsOf(o), 'notifyStaff').map((c) => ({
    at: c.at,
    recipient: String(c.input.recipient),
    event: String(c.input.event),
  }));
  const recorded = o.timeline
    .filter((e) => e.action === 'staff_notified' || e.action === 'staff_notification_failed')
    .map((e) => ({ at: t(e.at), recipient: String(e.detail.recipient), event: String(e.detail.event) }));
  return [...scheduled, ...recorded].sort((a, b) => a.at - b.at);
}

/** The party waits with a window of their own (docs/domain.md §5.5, §6, §8). */
const PARTY_KINDS = [
  'evidence',
  'merchant_reply',
  'return_shipment',
  'return_inspection',
  'repair',
  'customer_choice',
  'third_party_testing',
] as const;
/** docs/domain.md §7.9: the alert that tells the owner the customer's window to choose ended names it so. */
const TOLD_AS: Partial<Record<(typeof PARTY_KINDS)[number], string>> = { customer_choice: 'choice_lapsed' };
/** docs/domain.md §8.2: the longest of those windows (goods back: 7 days and the reminder's 2 days of grace). */
const LONGEST_PARTY_WINDOW_MS = SPEC.returnShipmentMs + SPEC.returnReminderGraceMs;

/**
 * The liveness rules of docs/domain.md §5 (every wait has a clock, the message-failure rule, crises):
 * at every step an open case has a running deadline that names a person; after a miss a person is
 * told at least once per service day until the case moves; every undelivered message reaches a
 * person; no case waits on a party (or sits in `executing`) past the longest window without staff
 * having been told; a crisis reaches the operations manager, legal and PR at once.
 */
function checkLiveness(
  run: CaseRun,
  o: Observed,
  insts: Instance[],
  alertTol: number,
  v: (i: Invariant, d: string) => void,
): void {
  const sends = staffSendsOf(o);
  const staffOnly = (a: StaffSend) => a.recipient !== 'customer';

  // A crisis: the operations manager on call, legal and PR hear of it at once, whatever the hour.
  if (run.script.crisis) {
    for (const who of ['ops_manager', 'legal', 'pr']) {
      if (!sends.some((a) => a.event === 'crisis_opened' && a.recipient === who && a.at <= run.openedAt + alertTol)) {
        const got = sends.filter((a) => a.event === 'crisis_opened').map((a) => `${a.recipient}@${iso(a.at)}`);
        v(
          'crisis_told_at_once',
          `crisis (${run.script.crisis}) opened ${iso(run.openedAt)}: ${who} not told by ${iso(run.openedAt + alertTol)} (crisis alerts: ${got.join(', ') || 'none'})`,
        );
      }
    }
  }

  // docs/domain.md §6.5, its routing written here: a product, logistics or service case's department is told when
  // it opens (in service hours unless high); compliance hears of its case by the review instead.
  const ROUTED = ['product', 'logistics', 'service'];
  const openedAs = categoryAt(o, run, run.openedAt);
  // A high case is told at once, which is before the next opening too.
  const toldBy = nextOpening(run.openedAt, run.cal) + alertTol;
  const closedFirst = o.view.closedAt !== null && t(o.view.closedAt) < toldBy;
  if (
    ROUTED.includes(openedAs) &&
    !closedFirst &&
    !sends.some((a) => a.event === 'department_routed' && a.at <= toldBy)
  ) {
    v(
      'department_told_at_opening',
      `a ${openedAs} case opened ${iso(run.openedAt)}: its department not told by ${iso(toldBy)}`,
    );
  }

  // At every step the driver looked (and at least once a simulated day), an open case had a running
  // deadline naming a person. A case between two of its own steps (an activity in flight) may show
  // none for a moment: a quarter of an hour later it must.
  const snaps = [...run.snapshots].sort((a, b) => a.at - b.at);
  for (const [i, sn] of snaps.entries()) {
    if (sn.status === 'closed') continue;
    const nobody = sn.deadlines.filter((d) => !NAMED_BY_KIND[d.kind]);
    if (nobody.length) {
      v(
        'open_case_has_running_deadline',
        `at ${iso(sn.at)} (${sn.status}, ${sn.stage}) the deadline ${nobody[0].kind} names nobody`,
      );
      break;
    }
    const running = (ds: Snapshot['deadlines']) => ds.some((d) => !d.paused);
    if (running(sn.deadlines)) continue;
    const later = snaps.slice(i + 1).find((x) => x.at >= sn.at + 15 * MINUTE);
    const stillNone = later
      ? later.status === sn.status && !running(later.deadlines)
      : o.view.status === sn.status && !running(o.view.deadlines) && run.endedAt >= sn.at + 15 * MINUTE;
    if (stillNone) {
      v(
        'open_case_has_running_deadline',
        `at ${iso(sn.at)} (${sn.status}, ${sn.stage}, waiting steps: ${sn.waitingSteps.join(', ') || 'none'}) no deadline was running${sn.deadlines.length ? ` (${sn.deadlines.map((d) => `${d.kind} paused`).join(', ')})` : ''}, nor ${later ? `at ${iso(later.at)}` : 'at the end'}`,
      );
      break;
    }
  }

  // After a miss, a person is told at least once per service day until the case moves (the step is
  // done, the case closes, or the wait is replaced). The merchant's reply is not waited for after its miss.
  insts.forEach((inst, i) => {
    const breach = inst.terminal.find((e) => e.event === 'breached');
    if (!breach || inst.kind === 'merchant_reply') return;
    const next = insts.slice(i + 1).find((x) => x.kind === inst.kind);
    const end = endOf(inst, next, run, o);
    const about = sends
      .filter((a) => a.event.startsWith(`${inst.kind}_`) && /_(breached|still_missed)$/.test(a.event))
      .map((a) => a.at);
    const first = about.find((a) => a >= t(breach.at) - alertTol);
    if (first === undefined) return; // the ladder's own check says which alert is missing
    for (const day of serviceDaysWithin(first, end, run.cal)) {
      if (inst.pauses.some((p) => p.from < day.close && p.to > day.open)) continue; // the clock stood: waiting on the customer
      if (about.some((a) => a >= day.open - TOL && a <= day.close + alertTol)) continue;
      v(
        'missed_deadline_told_daily',
        `${inst.kind} missed (due ${breach.dueAt}) and open until ${iso(end)}: nobody told on the service day opening ${iso(day.open)} (alerts about it: ${about.map(iso).join(', ')})`,
      );
      return;
    }
  });

  // Every undelivered message reaches a person: a customer message given up after its retries is
  // shown on the case and alerted to the owner (else the supervisor); a staff alert given up is
  // itself an alert to a person (docs/domain.md §5.6), relayed to someone else or shown on the case.
  for (const e of o.timeline.filter((x) => x.action === 'customer_message_failed')) {
    const template = String(e.detail.template);
    const shown = (o.view.undeliveredMessages ?? []).some(
      (u) => u.template === template && Math.abs(t(u.at) - t(e.at)) <= TOL,
    );
    const alerted = sends.some((a) => a.event === 'customer_message_undelivered' && a.at >= t(e.at) - TOL);
    if (!shown || !alerted) {
      v(
        'undelivered_message_reaches_person',
        `the ${template} message given up at ${e.at}: ${shown ? '' : 'not shown on the case; '}${alerted ? '' : 'nobody alerted'}`,
      );
      break;
    }
  }
  for (const e of o.timeline.filter((x) => x.action === 'staff_notification_failed')) {
    const at = t(e.at);
    const event = String(e.detail.event);
    const recipient = String(e.detail.recipient);
    const relayed = sends.some(
      (a) =>
        a.at >= at - TOL &&
        a.recipient !== recipient &&
        staffOnly(a) &&
        (a.event.includes('undelivered') || a.event.includes(event)),
    );
    const shown = (o.view.undeliveredMessages ?? []).some((u) => Math.abs(t(u.at) - at) <= TOL);
    if (!relayed && !shown) {
      v(
        'undelivered_message_reaches_person',
        `the ${event} alert to ${recipient} given up at ${e.at} (${JSON.stringify(e.detail.error ?? '').slice(0, 80)}): not relayed to another person nor shown on the case`,
      );
      break;
    }
  }

  // No wait on a party beyond its window without staff told. Waits are read from the snapshots: a
  // kind shown in consecutive snapshots is one wait (the reminder's grace continues the goods-back wait).
  for (const kind of PARTY_KINDS) {
    let start: number | null = null;
    let last = 0;
    const judge = (from: number, seenUntil: number) => {
      const limit = partyWindowEnd(kind, from, run.cal);
      if (limit === null) return;
      // Staff alerts wait for service hours: told by an hour after the opening that follows the window.
      const toldBy = nextOpening(limit, run.cal) + HOUR + alertTol;
      if (seenUntil <= toldBy) return;
      // Told about this wait: an alert that names it (its ladder, its window's end, the step called off).
      if (
        sends.some(
          (a) =>
            a.at >= from - TOL &&
            a.at <= toldBy &&
            staffOnly(a) &&
            (a.event.includes(kind) || a.event === TOLD_AS[kind]),
        )
      )
        return;
      v(
        'party_wait_told_staff',
        `${kind} waited from ${iso(from)} to at least ${iso(seenUntil)} (window ends ${iso(limit)}): no staff told by ${iso(toldBy)}`,
      );
    };
    for (const sn of snaps) {
      const d = sn.deadlines.find((x) => x.kind === kind);
      const waiting = d !== undefined && sn.status !== 'closed';
      if (waiting && start === null) start = Math.min(sn.at, t(d.since));
      if (waiting) last = sn.at;
      if (!waiting && start !== null) {
        judge(start, last);
        start = null;
      }
    }
    if (start !== null) judge(start, last);
  }
  // Each wait of an execution runs its own window (judged above): goods shipped back in 7 days and
  // inspected in 7 more are on time throughout. Executing with no clock shown is what must not last.
  let execFrom: number | null = null;
  for (const sn of [...snaps, null]) {
    if (sn && sn.status === 'executing' && sn.deadlines.length === 0) {
      execFrom ??= sn.at;
      const toldBy = nextOpening(execFrom + LONGEST_PARTY_WINDOW_MS, run.cal) + HOUR + alertTol;
      if (sn.at > toldBy && !sends.some((a) => a.at >= execFrom! - TOL && a.at <= toldBy && staffOnly(a))) {
        v(
          'party_wait_told_staff',
          `executing from ${iso(execFrom)} to at least ${iso(sn.at)}: no staff told by ${iso(toldBy)}`,
        );
        break;
      }
    } else execFrom = null;
  }
}

/** Timeline lines that pay money out: docs/domain.md §7.3 counts what the case paid in all, goodwill coupons too. */
const PAYOUT_LINES = /^(refund|partial_refund|compensation|coupon)_done$|^goodwill_coupon_issued$/;

/**
 * docs/domain.md §7.8: whether the model holds a plan (its timeline line, and the plan the driver made)
 * to be the 7-day no-reason return. The customer asked when they chose the return, else when the case
 * opened asking for a refund (every simulated case does); a plan of the choice is the return itself.
 * Asked within a minute of the window's end (`onEdge`): which side the workflow saw is a race the model
 * does not judge.
 */
function noReasonReturnOf(
  run: CaseRun,
  o: Observed,
  line: TimelineEntryV1,
  made: CaseRun['plans'][number],
): { noReason: boolean; onEdge: boolean; askedAt: number } {
  const choseReturn = o.timeline.find(
    (e) => e.action === 'customer_chose' && e.detail.option === 'return' && e.seq < line.seq,
  );
  const askedAt = choseReturn ? t(choseReturn.at) : run.openedAt;
  const shape = made.choice
    ? planOfChoice(made.choice, 0, 0)
    : { type: made.type, returnFirst: made.returnFirst, couponFen: made.couponFen };
  const order = { deliveredAt: run.deliveredAt, sevenDayReturn: run.script.order.sevenDayReturn };
  const noReason = isNoReasonReturn(shape, order, askedAt);
  const onEdge = run.deliveredAt !== null && Math.abs(askedAt - run.deliveredAt - SPEC.noReasonReturnMs) <= MINUTE;
  return { noReason, onEdge, askedAt };
}

type CustomerCall = { template?: string; vars?: { words?: string; warrantyMonths?: number; dedicatedAgent?: string } };

/**
 * docs/domain.md §7.1, §7.3–§7.5: each plan asks the approval the model owes it, and once carried out
 * does what its type owes: an apology reaches the customer (in staff's words when they wrote any) and a
 * rejected one does not; an extended warranty is told to the merchant with its months; a dedicated
 * agent is recorded for the customer's next complaints or, failing that, the owner is told. The
 * solution message names the months or the agent.
 */
function checkSolutions(
  run: CaseRun,
  o: Observed,
  categoryAt: (ms: number) => string,
  v: (i: Invariant, d: string) => void,
): void {
  const bad = (d: string) => v('solution_owes_what_it_is', d);
  const plans = o.timeline.filter((e) => e.action === 'resolution_proposed' && e.result !== 'refused');
  if (plans.length !== run.plans.length || plans.some((e, i) => e.detail.type !== run.plans[i].type)) {
    bad(
      `the workflow recorded the plans ${plans.map((e) => String(e.detail.type)).join(', ') || 'none'}; the driver made ${run.plans.map((p) => p.type).join(', ') || 'none'}`,
    );
    return;
  }
  const customerCalls = callsOf<CustomerCall>(allEventsOf(o), 'sendCustomerMessage');
  const staff = staffSendsOf(o);
  plans.forEach((line, i) => {
    const made = run.plans[i];
    const what = `plan ${i + 1} (${made.type}${made.choice ? `, the customer's choice of ${made.choice}` : ''}, ${line.at})`;
    const next = plans[i + 1];
    const segment = o.timeline.filter((e) => e.seq > line.seq && (!next || e.seq < next.seq));
    const from = t(line.at);

    const category = categoryAt(from);
    const paidBefore = o.timeline.some((e) => e.seq < line.seq && PAYOUT_LINES.test(e.action));
    const { noReason, onEdge, askedAt } = noReasonReturnOf(run, o, line, made);
    const owed = approvalOwed(
      category,
      made.type,
      { amountFen: line.detail.amountFen as number | null, couponFen: line.detail.couponFen as number | null },
      0,
      noReason,
    );
    // What earlier plans paid is judged by payout_above_threshold_approved; here only where it cannot matter.
    const sure = !onEdge && (noReason || category === 'compliance' || made.type === 'apology' || !paidBefore);
    if (sure && String(line.detail.approval) !== (owed ?? 'none'))
      bad(
        `${what}: approval ${String(line.detail.approval)}, model ${owed ?? 'none'} (${category} case${noReason ? ', a 7-day no-reason return' : ''})`,
      );
    if (!onEdge && (line.detail.noReasonReturn === true) !== noReason)
      bad(
        `${what}: ${noReason ? 'not recorded as' : 'recorded as'} a 7-day no-reason return; model ${noReason ? 'is' : 'is not'} (delivered ${run.deliveredAt === null ? 'never' : iso(run.deliveredAt)}, asked ${iso(askedAt)}, label ${String(run.script.order.sevenDayReturn)})`,
      );

    const solution = segment.find(
      (e) =>
        (e.action === 'customer_message_sent' || e.action === 'customer_message_failed') &&
        e.detail.template === 'solution',
    );
    const carriedOut = solution !== undefined && !segment.some((e) => e.action === 'execution_failed');
    const rejected = segment.some((e) => e.action === 'resolution_rejected');
    const until = next ? t(next.at) : Infinity;
    const sendsOfPlan = (template: string) =>
      customerCalls.filter((c) => c.input.template === template && c.at >= from - TOL && c.at <= until + TOL);
    const owes = owedOnExecution(made.type);

    if (owes.customerTemplate) {
      const sent = sendsOfPlan(owes.customerTemplate);
      if (carriedOut && sent.length === 0)
        bad(`${what}: carried out at ${solution.at}, no ${owes.customerTemplate} sent`);
      if (rejected && !solution && sent.length) bad(`${what}: rejected, yet the ${owes.customerTemplate} was sent`);
      for (const c of sent)
        if ((c.input.vars?.words ?? null) !== (made.apology ?? null))
          bad(
            `${what}: the apology sent with ${c.input.vars?.words === undefined ? 'the formal words' : `"${c.input.vars.words.slice(0, 40)}"`}, staff wrote ${made.apology ? `"${made.apology.slice(0, 40)}"` : 'none'}`,
          );
      const delivered = o.sms.filter((m) => m.template === owes.customerTemplate);
      if (made.apology && carriedOut && delivered.length && !delivered.some((m) => m.text.includes(made.apology!)))
        bad(`${what}: the apology delivered does not carry staff's words`);
    }
    // The plan's own message is the first sent after it: the tolerance at the end of `sendsOfPlan` also
    // takes the next plan's message, sent the moment that plan is made (case 1731 of seed 101).
    const named = carriedOut
      ? customerCalls.find((c) => c.input.template === 'solution' && c.at >= from)?.input.vars
      : undefined;
    if (owes.merchantNotice && carriedOut) {
      const months = made.warrantyMonths;
      const told = o.notices.some(
        (n) => n.kind === owes.merchantNotice && new RegExp(`\\b${String(months)}\\b`).test(n.text),
      );
      if (!told)
        bad(
          `${what}: carried out at ${solution.at}, the merchant not told of ${String(months)} months (notices: ${o.notices.map((n) => n.kind).join(', ') || 'none'})`,
        );
      if (named && named.warrantyMonths !== months)
        bad(`${what}: the solution message names ${String(named.warrantyMonths)} months, not ${String(months)}`);
    }
    if (owes.grant && carriedOut) {
      // docs/domain.md §7.1: the agent the proposal names, else the case's owner (the proposer: round two's supervisor takes the case).
      const agent = made.dedicatedAgentId ?? made.by;
      const granted = segment.find((e) => e.action === 'dedicated_agent_granted');
      const failed = segment.find((e) => e.action === 'dedicated_agent_failed');
      if (granted && granted.detail.agentId !== agent)
        bad(`${what}: granted ${String(granted.detail.agentId)} as dedicated agent, model ${agent}`);
      else if (!granted && !failed)
        bad(`${what}: carried out at ${solution.at}, no dedicated agent recorded nor failed`);
      else if (
        !granted &&
        !staff.some(
          (a) => a.event === 'dedicated_agent_failed' && a.recipient === made.by && a.at >= t(failed!.at) - TOL,
        )
      )
        bad(`${what}: the dedicated agent's record failed at ${failed!.at}, the owner ${made.by} not told`);
      if (named && named.dedicatedAgent !== agent)
        bad(`${what}: the solution message names ${String(named.dedicatedAgent)} as dedicated agent, not ${agent}`);
    }
  });
  // What intake reads for the customer's next complaints: the last grant (docs/domain.md §7.1).
  const lastGrant = o.timeline.filter((e) => e.action === 'dedicated_agent_granted').at(-1);
  if ((lastGrant ? String(lastGrant.detail.agentId) : null) !== o.dedicatedAgent)
    bad(
      `the store names ${o.dedicatedAgent ?? 'no'} dedicated agent for ${run.customerId}; the case granted ${lastGrant ? String(lastGrant.detail.agentId) : 'none'}`,
    );
}

type TestingCall = { template?: string; vars?: { lab?: string; resultBy?: string; testingLab?: string } };

/** One joint third-party test of a plan, as the case carried it out (docs/domain.md §8.6). */
interface TestRun {
  what: string;
  lab: string;
  /** The proposer, who owns the case (round two's supervisor took it). */
  owner: string;
  from: number;
  until: number;
  segment: TimelineEntryV1[];
  /** When the merchant was asked to take part. */
  arrangedAt: number | null;
  notice: string;
  activated: SlaEventV1 | undefined;
  result: TimelineEntryV1 | undefined;
  calledOff: TimelineEntryV1 | undefined;
}

/** The joint tests the plans arranged, each with what its plan's part of the timeline holds. */
function testsOf(run: CaseRun, o: Observed): TestRun[] | null {
  const plans = o.timeline.filter((e) => e.action === 'resolution_proposed' && e.result !== 'refused');
  // solution_owes_what_it_is reports plans that differ from the driver's.
  if (plans.length !== run.plans.length) return null;
  const asked = callsOf<{ kind?: string; text?: string }>(allEventsOf(o), 'sendMerchantNotice').filter(
    (c) => c.input.kind === 'testing_request',
  );
  return plans.flatMap((line, i) => {
    const made = run.plans[i];
    if (made.type !== 'third_party_testing') return [];
    const next = plans[i + 1];
    const from = t(line.at);
    const until = next ? t(next.at) : Infinity;
    const segment = o.timeline.filter((e) => e.seq > line.seq && (!next || e.seq < next.seq));
    const arranged = asked.find((c) => c.at >= from - TOL && c.at < until);
    return [
      {
        what: `plan ${i + 1} (third-party testing at ${made.testingLab ?? '?'}, ${line.at})`,
        lab: made.testingLab ?? '',
        owner: made.by,
        from,
        until,
        segment,
        arrangedAt: arranged?.at ?? null,
        notice: arranged?.input.text ?? '',
        activated: o.sla.find(
          (e) =>
            e.kind === 'third_party_testing' && e.event === 'activated' && t(e.at) >= from - TOL && t(e.at) < until,
        ),
        result: segment.find((e) => e.action === 'testing_result_recorded'),
        calledOff: segment.find((e) => e.action === 'step_cancelled' && e.detail?.step === 'third_party_testing'),
      },
    ];
  });
}

/**
 * docs/domain.md §8.6, §3.2: a joint third-party test, carried out, asks the merchant to take part
 * and tells the customer the lab and when its result is due (the model's instant: 10 working days
 * from the arrangement); the lab's wait is due then, and its owner warned at 75 % of the window, in
 * service hours (at once when the case is high), unless the result came first. A confirmed defect sends the case back to its owner
 * (told, the customer told the result, no solution message, no goodwill coupon); no defect found is
 * the solution the customer is told, naming the lab. A test called off is re-planned, never told as
 * a solution.
 */
function checkTesting(run: CaseRun, o: Observed, alertTol: number, v: (i: Invariant, d: string) => void): void {
  const { priorityAt } = overridesOf(run, o);
  const bad = (d: string) => v('testing_owes_what_it_is', d);
  const tests = testsOf(run, o);
  if (!tests) return;
  const customerCalls = callsOf<TestingCall>(allEventsOf(o), 'sendCustomerMessage');
  const staff = staffSendsOf(o);
  const closedAt = o.view.closedAt ? t(o.view.closedAt) : Infinity;
  for (const x of tests) {
    const decided =
      x.segment.some((e) => e.action === 'resolution_approved') ||
      o.timeline.some(
        (e) => e.action === 'resolution_proposed' && t(e.at) === x.from && String(e.detail.approval) === 'none',
      );
    if (x.arrangedAt === null) {
      if (decided && closedAt > x.from + TOL) bad(`${x.what}: decided, the merchant never asked to take part`);
      continue;
    }
    const owed = testingOwed(x.arrangedAt, run.cal, (ms) => priorityAt(ms) === 'high');
    if (!x.notice.includes(x.lab))
      bad(`${x.what}: the merchant's notice does not name the lab: ${x.notice.slice(0, 120)}`);
    const told = customerCalls.find(
      (c) => c.input.template === 'testing_arranged' && c.at >= x.arrangedAt! - TOL && c.at < x.until,
    );
    // The customer is told once the merchant was asked (a notice refused for good ends the plan first).
    if (!told) {
      if (x.activated) bad(`${x.what}: waited for the lab from ${x.activated.at}, the customer never told of the test`);
    } else if (told.input.vars?.lab !== x.lab || told.input.vars?.resultBy !== iso(owed.dueAt))
      bad(
        `${x.what}: the customer told lab ${String(told.input.vars?.lab)}, result by ${String(told.input.vars?.resultBy)}; model ${x.lab} by ${iso(owed.dueAt)}`,
      );
    if (!x.activated) continue;
    if (t(x.activated.dueAt) !== owed.dueAt)
      bad(
        `${x.what}: the lab's result due ${x.activated.dueAt}, model ${iso(owed.dueAt)} (${SPEC.testingWorkingDays} working days from ${iso(x.arrangedAt)})`,
      );

    const end = Math.min(
      x.result ? t(x.result.at) : Infinity,
      x.calledOff ? t(x.calledOff.at) : Infinity,
      closedAt,
      x.until,
      run.endedAt,
    );
    // Each alert names whoever owns the case at its own instant: a result before the warning's instant
    // ends the wait, and round two's supervisor (docs/domain.md §9.3) may take the case before that instant.
    const ownerAt = (ms: number) => [...run.snapshots].filter((sn) => sn.at <= ms).pop()?.owner ?? x.owner;
    const owner = ownerAt(owed.warnAt);
    const warnings = staff.filter(
      (a) => a.event === 'third_party_testing_warning' && a.at >= t(x.activated!.at) - TOL && a.at < x.until,
    );
    if (end > owed.warnSentAt + alertTol) {
      if (!warnings.some((a) => a.recipient === owner && Math.abs(a.at - owed.warnSentAt) <= alertTol))
        bad(
          `${x.what}: the owner ${owner} not warned at ${iso(owed.warnSentAt)} (${SPEC.warningShare * 100} % of the window at ${iso(owed.warnAt)}; warnings: ${warnings.map((a) => `${a.recipient}@${iso(a.at)}`).join(', ') || 'none'})`,
        );
    } else if (end < owed.warnSentAt - TOL && warnings.some((a) => a.at > end + alertTol))
      bad(`${x.what}: the wait ended ${iso(end)}, yet the owner was warned at ${iso(warnings.at(-1)!.at)}`);

    const solutionAfter = (from: number) =>
      customerCalls.filter((c) => c.input.template === 'solution' && c.at >= from - TOL && c.at < x.until);
    const backToPlan = (after: number) =>
      x.until < Infinity ||
      o.view.status === 'in_progress' ||
      run.snapshots.some((sn) => sn.at > after && sn.status === 'in_progress');
    if (x.result) {
      const at = t(x.result.at);
      const defect = x.result.detail?.defectConfirmed === true;
      const later = x.segment.filter((e) => e.seq > x.result!.seq);
      if (afterTestingResult(defect) === 'replan') {
        if (!later.some((e) => e.action === 'testing_defect_confirmed') || !backToPlan(at))
          bad(
            `${x.what}: the lab's result (defect ${String(defect)}) at ${x.result.at}; the case not sent back to be re-planned`,
          );
        const sent = solutionAfter(at);
        if (sent.length)
          bad(
            `${x.what}: the lab's result (defect ${String(defect)}) at ${x.result.at}, yet a solution told at ${iso(sent[0].at)}`,
          );
        if (
          !customerCalls.some(
            (c) =>
              c.input.template === 'testing_defect_confirmed' &&
              c.input.vars?.lab === x.lab &&
              c.at >= at - TOL &&
              c.at <= at + alertTol,
          )
        )
          bad(
            `${x.what}: the lab's result (defect ${String(defect)}) at ${x.result.at}; the customer not told the result`,
          );
        // docs/domain.md §8.6: back to the owner the case has when the result comes.
        const owning = ownerAt(at);
        if (
          !staff.some(
            (a) =>
              a.event === 'testing_defect_confirmed' &&
              a.recipient === owning &&
              a.at >= at - TOL &&
              a.at <= at + alertTol,
          )
        )
          bad(
            `${x.what}: the lab's result (defect ${String(defect)}) at ${x.result.at}; the owner ${owning} not told to re-plan`,
          );
        if (later.some((e) => e.action === 'goodwill_coupon_issued'))
          bad(`${x.what}: a goodwill coupon after the lab's result (nothing failed)`);
      } else {
        const sent = solutionAfter(at)[0];
        if (!sent || sent.at > at + alertTol)
          bad(
            `${x.what}: the lab's result (defect ${String(defect)}) at ${x.result.at}; no solution told by ${iso(at + alertTol)}`,
          );
        else if (sent.input.vars?.testingLab !== x.lab)
          bad(`${x.what}: the solution names lab ${String(sent.input.vars?.testingLab)}, not ${x.lab}`);
        if (later.some((e) => e.action === 'testing_defect_confirmed'))
          bad(
            `${x.what}: the lab's result (defect ${String(defect)}) at ${x.result.at}, yet the case was sent back to re-plan`,
          );
      }
    } else if (x.calledOff) {
      const at = t(x.calledOff.at);
      const sent = solutionAfter(at);
      if (sent.length) bad(`${x.what}: called off at ${x.calledOff.at}, yet a solution told at ${iso(sent[0].at)}`);
      if (!backToPlan(at)) bad(`${x.what}: called off at ${x.calledOff.at}; the case not back to be re-planned`);
    }
  }
}

/**
 * docs/domain.md §7.9: the merchant's options are offered once the brief is in (round one, before any
 * plan), and only then; the customer is told, has 2 days and is reminded at the first service hour past
 * half way; a choice is the plan the model says it is; silence ends the window and tells the owner
 * (else the supervisor); nobody else plans while the customer may still choose.
 */
function checkChoice(run: CaseRun, o: Observed, alertTol: number, v: (i: Invariant, d: string) => void): void {
  const bad = (d: string) => v('choice_offered_and_honoured', d);
  const offer = o.timeline.find((e) => e.action === 'choice_offered');
  const reply = o.timeline.find((e) => e.action === 'merchant_replied');
  const brief = o.timeline.find((e) => e.action === 'investigation_brief');
  const ready = reply && brief ? (reply.seq > brief.seq ? reply : brief) : undefined;
  const owed =
    run.offered !== null &&
    ready !== undefined &&
    !o.timeline.some(
      (e) => (e.action === 'resolution_proposed' || e.action === 'case_reopened') && e.seq < ready.seq,
    ) &&
    (o.view.closedAt === null || t(o.view.closedAt) > t(ready.at));
  if (!owed) {
    if (offer)
      bad(
        `a choice offered at ${offer.at}: ${run.offered ? 'not before both the options and the brief, or after a plan' : 'the merchant offered no options'}`,
      );
    return;
  }
  const offeredWant = run
    .offered!.options.map((x) => x.option)
    .sort()
    .join(', ');
  if (!offer) {
    bad(`options (${offeredWant}) and the brief in at ${ready.at}, in round one before any plan: nothing offered`);
    return;
  }
  if (Math.abs(t(offer.at) - t(ready.at)) > TOL) bad(`offered at ${offer.at}, the options and brief in at ${ready.at}`);
  const offeredGot = [...((offer.detail.options as string[] | undefined) ?? [])].sort().join(', ');
  if (offeredGot !== offeredWant) bad(`offered ${offeredGot}, the merchant ${offeredWant}`);
  const choice = o.view.choice;
  if (!choice) {
    bad(`offered at ${offer.at}, the case shows no choice`);
    return;
  }
  const offeredAt = t(choice.offeredAt);
  const dueAt = t(choice.dueAt);
  if (dueAt !== offeredAt + SPEC.customerChoiceMs)
    bad(`the window to choose ends ${choice.dueAt}, model ${iso(offeredAt + SPEC.customerChoiceMs)} (2 days)`);
  const chosenAt = choice.chosenAt ? t(choice.chosenAt) : Infinity;
  const closedAt = o.view.closedAt ? t(o.view.closedAt) : Infinity;

  // Told and reminded (the daily SMS cap may hold a message to the next day: then not judged for time).
  const told = callsOf<CustomerCall>(allEventsOf(o), 'sendCustomerMessage')
    .filter((c) => c.input.template === 'choice_offered')
    .map((c) => c.at);
  const capped = o.timeline.some(
    (e) => e.action === 'customer_message_delayed' && e.detail.template === 'choice_offered',
  );
  if (!capped) {
    if (!told.some((at) => Math.abs(at - offeredAt) <= TOL))
      bad(`offered at ${choice.offeredAt}, the customer not told`);
    const reminder = choiceReminderAt(offeredAt, run.cal);
    const reminded = told.filter((at) => at > offeredAt + TOL);
    const stillOpen = Math.min(chosenAt, closedAt, run.endedAt) > reminder + TOL;
    if (stillOpen && !reminded.some((at) => Math.abs(at - reminder) <= alertTol))
      bad(
        `no reminder at ${iso(reminder)} (the first service hour past half way; sent: ${reminded.map(iso).join(', ') || 'none'})`,
      );
    if (chosenAt < reminder - TOL && reminded.length)
      bad(`reminded at ${iso(reminded[0])}, after the choice ${choice.chosenAt}`);
  }

  const staffPlan = o.timeline.find(
    (e) =>
      e.action === 'resolution_proposed' &&
      e.actor.role !== 'customer' &&
      t(e.at) > offeredAt + TOL &&
      t(e.at) < Math.min(chosenAt, dueAt) - TOL,
  );
  if (staffPlan) bad(`${staffPlan.actor.sub} planned at ${staffPlan.at} while the customer could still choose`);

  if (choice.chosen) {
    if (chosenAt > dueAt) bad(`chose ${choice.chosen} at ${choice.chosenAt}, after the window ended ${choice.dueAt}`);
    const chose = o.timeline.find((e) => e.action === 'customer_chose');
    const plan = o.timeline.find((e) => e.action === 'resolution_proposed' && e.seq > (chose?.seq ?? Infinity));
    const compensation = run.offered!.options.find((x) => x.option === choice.chosen)?.compensationFen;
    // Round one before any plan: nothing refunded yet.
    const want = planOfChoice(choice.chosen, run.script.amountPaidFen, 0, compensation);
    if (!plan || plan.detail.type !== want.type || (plan.detail.amountFen ?? undefined) !== want.amountFen)
      bad(
        `chose ${choice.chosen}: the plan is ${plan ? `${String(plan.detail.type)} ${JSON.stringify(plan.detail.amountFen ?? null)}` : 'none'}, model ${want.type} ${want.amountFen ?? ''}`,
      );
    return;
  }
  if (Math.min(closedAt, run.endedAt) <= dueAt + TOL) return;
  if (!choice.lapsed) bad(`not chosen by ${choice.dueAt}, the window not ended`);
  const owner = [...run.snapshots].filter((sn) => sn.at <= dueAt).pop()?.owner ?? null;
  const want = owner ?? 'supervisor';
  const lapsedTold = staffSendsOf(o).some(
    (a) => a.event === 'choice_lapsed' && a.recipient === want && a.at >= dueAt - TOL && a.at <= dueAt + alertTol,
  );
  if (!lapsedTold) bad(`the window ended ${choice.dueAt} without a choice: ${want} not told`);
}

/**
 * docs/domain.md §9.4, §6.5: a suggestion the customer made on a call that reached them goes to the
 * department the case is routed to (told like any department notice: at once for a high case, else by
 * the next service opening); a case customer service handles alone keeps it on the call's record.
 */
function checkSuggestion(
  run: CaseRun,
  o: Observed,
  categoryAt: (ms: number) => string,
  alertTol: number,
  v: (i: Invariant, d: string) => void,
): void {
  const s = run.suggestion;
  if (!s) return;
  const category = categoryAt(s.at);
  const told = staffSendsOf(o).filter(
    (a) => a.event === 'callback_suggestion' && a.recipient !== 'customer' && a.at >= s.at - TOL,
  );
  if (ROUTED_CATEGORIES.includes(category)) {
    const by = nextOpening(s.at, run.cal) + alertTol;
    if (!told.some((a) => a.at <= by))
      v(
        'suggestion_reaches_department',
        `a suggestion on the call at ${iso(s.at)} in a ${category} case: its department not told by ${iso(by)}`,
      );
    return;
  }
  if (told.length)
    v('suggestion_reaches_department', `a ${category} case has no department, yet ${told[0].recipient} was told`);
  const outcome = o.view.phoneCallback?.outcome;
  if (outcome && Math.abs(t(outcome.at) - s.at) <= TOL && outcome.suggestion !== s.text)
    v('suggestion_reaches_department', `the suggestion made at ${iso(s.at)} is not kept on the call's record`);
}

/** docs/domain.md §9.6: a coupon of the fix recorded against this case (its key names the fix and the case). */
function isFixCoupon(run: CaseRun, c: Observed['coupons'][number]): boolean {
  const key = c.idempotencyKey ?? '';
  return run.fix !== null && key.includes(run.fix.fixId) && key.includes(run.complaintId);
}

/**
 * docs/domain.md §2.2, the tiers' own actions: a case that opens medium involves the supervisor when
 * it opens (in service hours), and no other tier is told so; a customer marked extremely upset makes
 * the case high (what high then owes, the other invariants judge by `priorityAt`), and the case shows
 * who marked it; the owner's first mark of an open case is taken.
 */
function checkTiers(
  run: CaseRun,
  o: Observed,
  priorityAt: (ms: number) => Priority,
  changedDuring: (from: number, to: number) => boolean,
  alertTol: number,
  v: (i: Invariant, d: string) => void,
): void {
  const owedAt = mediumOpenedAt(run.script.priority, run.openedAt, run.cal);
  const scheduled = callsOf<{ recipient?: string; event?: string }>(allEventsOf(o), 'notifyStaff').filter(
    (c) => c.input.event === 'medium_opened',
  );
  const closedFirst = owedAt !== null && o.view.closedAt !== null && t(o.view.closedAt) < owedAt;
  if (owedAt !== null && !closedFirst) {
    const hit = scheduled.find(
      (c) => c.input.recipient === 'supervisor' && c.at >= owedAt - TOL && c.at <= owedAt + alertTol,
    );
    if (!hit)
      v(
        'medium_told_at_opening',
        `a medium case opened ${iso(run.openedAt)}: the supervisor not told by ${iso(owedAt + alertTol)} (told: ${scheduled.map((c) => `${String(c.input.recipient)}@${iso(c.at)}`).join(', ') || 'never'})`,
      );
    else if (!inService(hit.at, run.cal))
      v('medium_told_at_opening', `a medium case's supervisor told at ${iso(hit.at)}: outside service hours`);
  }
  if (owedAt === null && scheduled.length)
    v('medium_told_at_opening', `a ${run.script.priority} case told its opening as medium at ${iso(scheduled[0].at)}`);
  if (scheduled.length > 1) v('medium_told_at_opening', `the medium opening told ${scheduled.length} times`);

  const marks = o.timeline.filter((e) => e.action === 'marked_extremely_upset' && e.result !== 'refused');
  for (const m of run.upsetMarks) {
    const first = m === run.upsetMarks[0];
    const line = marks.find((e) => e.actor.sub === m.by && Math.abs(t(e.at) - m.at) <= TOL);
    if (first && m.refused !== null && m.refused !== 'workflow_closed')
      v('upset_mark_makes_high', `the owner ${m.by}'s mark at ${iso(m.at)} refused: ${m.refused}`);
    if (m.refused === null && !line)
      v('upset_mark_makes_high', `${m.by}'s mark at ${iso(m.at)} taken, but the case does not record it`);
    if (m.refused === null && !o.view.priorityReasons.some((r) => r.includes(m.by)))
      v(
        'upset_mark_makes_high',
        `${m.by} marked the customer extremely upset; the case's reasons do not name them (${o.view.priorityReasons.join(', ')})`,
      );
  }
  // The case is the model's priority after the mark, until staff set another.
  const lastMark = marks.at(-1);
  if (lastMark && !changedDuring(t(lastMark.at) + TOL, Infinity) && o.view.priority !== priorityAt(Infinity))
    v(
      'upset_mark_makes_high',
      `marked extremely upset at ${lastMark.at}; the case is ${o.view.priority}, model ${priorityAt(Infinity)}`,
    );
  // docs/domain.md §5.3, what high then owes beside the other invariants' figures: each miss once
  // marked also texts the case's owner (round one's: the agent it was assigned to).
  const reopened = o.timeline.find((e) => e.action === 'case_reopened');
  const sends = staffSendsOf(o);
  const ROLES = ['supervisor', 'ops_manager', 'merchant_ops', 'compliance', 'agent', 'legal', 'pr'];
  for (const a of sends) {
    if (!marks[0] || a.at < t(marks[0].at) + TOL || !/_breached$/.test(a.event) || !ROLES.includes(a.recipient))
      continue;
    if (priorityAt(a.at) !== 'high' || changedDuring(a.at - HOUR, a.at) || (reopened && a.at >= t(reopened.at) - TOL))
      continue;
    const assigned = o.timeline.filter((e) => e.action === 'assigned' && t(e.at) <= a.at - TOL).at(-1);
    const owner = assigned ? String(assigned.detail.agentId) : null;
    if (
      owner &&
      !sends.some((x) => x.event === a.event && x.recipient === owner && Math.abs(x.at - a.at) <= alertTol)
    ) {
      v(
        'upset_mark_makes_high',
        `${a.event} to ${a.recipient} at ${iso(a.at)}, after the mark at ${marks[0].at}: the owner ${owner} not texted`,
      );
      break;
    }
  }
  for (const sn of run.snapshots)
    if (lastMark && sn.at > t(lastMark.at) + TOL && sn.status !== 'closed' && sn.priority !== priorityAt(sn.at)) {
      v(
        'upset_mark_makes_high',
        `at ${iso(sn.at)} the case was ${sn.priority}, model ${priorityAt(sn.at)} (marked ${lastMark.at})`,
      );
      break;
    }
}

/**
 * docs/domain.md §7.2: a refund carried out tells the customer when the money arrives for how the
 * order was paid, in the policy's working days per method (the usual 1–3 when the method is not known):
 * the solution message names the method and the days.
 */
function checkRefundArrival(run: CaseRun, o: Observed, v: (i: Invariant, d: string) => void): void {
  const method = run.script.order.paymentMethod;
  const [min, max] = refundArrivalOwed(method);
  const calls = callsOf<{
    template?: string;
    vars?: { resolution?: string; arrival?: { method?: string; minWorkingDays?: number; maxWorkingDays?: number } };
  }>(allEventsOf(o), 'sendCustomerMessage').filter(
    (c) => c.input.template === 'solution' && ['refund', 'partial_refund'].includes(c.input.vars?.resolution ?? ''),
  );
  for (const c of calls) {
    const a = c.input.vars?.arrival;
    const told = a ? `${String(a.method)} ${String(a.minWorkingDays)}–${String(a.maxWorkingDays)}` : 'nothing';
    const right =
      method === null
        ? !a || (a.minWorkingDays === min && a.maxWorkingDays === max)
        : a?.method === method && a.minWorkingDays === min && a.maxWorkingDays === max;
    if (!right)
      v(
        'refund_arrival_told',
        `the ${String(c.input.vars?.resolution)} message at ${iso(c.at)} tells ${told}; model ${method ?? 'method not known'} ${min}–${max} working days`,
      );
  }
  // What the customer read: the days, in their language (a wallet's, Alipay's or WeChat Pay's at once).
  const phrase =
    max === 0
      ? run.locale === 'en'
        ? 'at once'
        : '即时到账'
      : `${min === max ? max : `${min}–${max}`}${run.locale === 'en' ? ' working day' : ' 个工作日'}`;
  const onlyRefunds =
    run.plans.length > 0 && run.plans.every((p) => p.type === 'refund' || p.type === 'partial_refund');
  if (onlyRefunds && calls.length)
    for (const m of o.sms.filter((x) => x.template === 'solution'))
      if (!m.text.includes(phrase)) {
        v('refund_arrival_told', `the solution message does not say "${phrase}": ${m.text.slice(0, 160)}`);
        break;
      }
}

/**
 * docs/domain.md §9.6: once a fix is recorded against the case, its customer, open or closed alike, is
 * told what changed (in Chinese, English where the customer reads English and staff gave the words),
 * or a person is alerted; with the model's coupon (10 CNY, 7 days; none when the fault was the
 * customer's; never beyond what the order paid less what the case paid out), paid once; the fix's record
 * says which.
 */
function checkTrustNotice(run: CaseRun, o: Observed, v: (i: Invariant, d: string) => void): void {
  if (!run.fix) return;
  const bad = (d: string) => v('trust_notice_after_fix', `fix ${run.fix!.fixId}: ${d}`);
  const c = o.fixed;
  if (!c) return bad('the fix record does not list the case');
  if (c.status !== 'told' && c.status !== 'undelivered') return bad(`the customer's notice is ${c.status}`);
  const briefed = o.timeline.some((e) => e.action === 'investigation_brief' && t(e.at) <= run.fix!.at);
  const fixCoupons = o.coupons.filter((x) => isFixCoupon(run, x));
  const paidOut =
    o.refunds.reduce((sum, r) => sum + r.amountFen, 0) +
    o.coupons.filter((x) => x.status === 'active' && !isFixCoupon(run, x)).reduce((sum, x) => sum + x.amountFen, 0);
  const owed = trustOwed({
    responsibility: briefed ? run.script.responsibility : null,
    paidFen: run.script.amountPaidFen,
    paidOutFen: paidOut,
  });
  if (fixCoupons.length > 1) bad(`${fixCoupons.length} coupons paid for one fix`);
  const coupon = fixCoupons[0];
  if (owed.couponFen === 0 && coupon) bad(`a coupon of ${coupon.amountFen} fen; model none`);
  if (owed.couponFen > 0 && coupon && (coupon.amountFen !== owed.couponFen || coupon.validDays !== owed.validDays))
    bad(
      `a coupon of ${coupon.amountFen} fen for ${String(coupon.validDays)} days; model ${owed.couponFen} fen for ${owed.validDays}`,
    );
  if (owed.couponFen > 0 && !coupon) {
    if (!c.couponFailed) bad(`no coupon (model ${owed.couponFen} fen), and the record does not say it failed`);
    // The alert that it failed rides the SMS gateway, as the notice's does (below).
    else if (!c.alerted && !run.fix.smsOut)
      bad(`no coupon (model ${owed.couponFen} fen), and nobody alerted that it failed, though the SMS gateway was up`);
  }
  if (c.couponFen !== (coupon?.amountFen ?? 0))
    bad(`the record says a coupon of ${c.couponFen} fen, the gateway ${coupon?.amountFen ?? 0}`);
  const notices = o.sms.filter((m) => m.template === 'trust_notice' && !m.to.startsWith('staff:'));
  const words = run.locale === 'en' && run.fix.whatChangedEn ? run.fix.whatChangedEn : run.fix.whatChanged;
  if (c.status === 'told' && !notices.some((m) => m.text.includes(words)))
    bad(`recorded as told, no notice carrying "${words}" reached the customer (${notices.length} notice(s))`);
  // With the gateway out, the staff alerts fail too: the fix's record, which shows the customer as not
  // reached and nobody alerted, is then where it shows (as a case's own alerts fall back to the case:
  // docs/domain.md §5.6).
  if (c.status === 'undelivered' && !c.alerted && !run.fix.smsOut)
    bad('the notice was not delivered and nobody was alerted, though the SMS gateway was up');
  if (notices.length > 1) bad(`the customer was told ${notices.length} times`);
}

/** What of the newer world a case reached (the run's `exercised:` line counts them). */
export function exercised(run: CaseRun, o: Observed): string[] {
  const lines = (action: string) => o.timeline.filter((e) => e.action === action);
  const templates = callsOf<CustomerCall>(allEventsOf(o), 'sendCustomerMessage').map((c) => c.input.template);
  const sends = staffSendsOf(o);
  const tests = testsOf(run, o) ?? [];
  const resultIn = (late: boolean) =>
    tests.some((x) => x.result && x.activated && t(x.result.at) > t(x.activated.dueAt) === late);
  const tags: Array<[string, boolean]> = [
    ['apology sent', templates.includes('apology')],
    ['warranty told', o.notices.some((n) => n.kind === 'extend_warranty')],
    ['dedicated agent granted', lines('dedicated_agent_granted').length > 0],
    ['dedicated agent alerted', lines('dedicated_agent_failed').length > 0],
    ['testing arranged', tests.some((x) => x.arrangedAt !== null)],
    ['testing owner warned', sends.some((a) => a.event === 'third_party_testing_warning')],
    ['testing result in time', resultIn(false)],
    ['testing result late', resultIn(true)],
    ['testing defect confirmed', tests.some((x) => x.result?.detail?.defectConfirmed === true)],
    ['testing no defect', tests.some((x) => x.result?.detail?.defectConfirmed === false)],
    ['testing called off', tests.some((x) => x.calledOff)],
    ['choice offered', lines('choice_offered').length > 0],
    ['choice made', lines('customer_chose').length > 0],
    ['choice lapsed', lines('choice_lapsed').length > 0],
    ['choice refused', run.wrongOrder.some((w) => w.action.startsWith('choice'))],
    ['suggestion to a department', sends.some((a) => a.event === 'callback_suggestion')],
    ['medium opening told', sends.some((a) => a.event === 'medium_opened')],
    ['marked extremely upset', lines('marked_extremely_upset').length > 0],
    ['no-reason return', lines('resolution_proposed').some((e) => e.detail.noReasonReturn === true)],
    [
      'return held for approval',
      lines('resolution_proposed').some((e, i) => {
        const p = run.plans[i];
        return !!p && (p.returnFirst === true || p.choice === 'return') && e.detail.approval !== 'none';
      }),
    ],
    [
      'refund arrival told',
      templates.includes('solution') && run.plans.some((p) => p.type === 'refund' || p.type === 'partial_refund'),
    ],
    ['fix told', o.fixed?.status === 'told'],
    ['fix coupon', (o.fixed?.couponFen ?? 0) > 0],
    ['fix without coupon', o.fixed !== null && o.fixed.couponFen === 0],
    [
      'suggestion kept on the call',
      run.suggestion !== null &&
        !!o.view.phoneCallback?.outcome?.suggestion &&
        !sends.some((a) => a.event === 'callback_suggestion'),
    ],
  ];
  return tags.filter(([, yes]) => yes).map(([tag]) => tag);
}

/** The banned phrases of docs/domain.md §10.4, in simplified and traditional script and English, written out here. */
const BANNED = [
  'absolutely guarantee',
  'full compensation',
  'this is normal',
  'you misunderstood',
  '100% guarantee',
  'nothing we can do',
  'not our problem',
  '绝对保证',
  '全额赔偿',
  '这很正常',
  '您误会了',
  '你误会了',
  '百分之百保证',
  '我们也没办法',
  '不关我们的事',
  '絕對保證',
  '全額賠償',
  '這很正常',
  '您誤會了',
  '你誤會了',
  '百分之百保證',
  '我們也沒辦法',
  '不關我們的事',
];
function bannedIn(text: string): string | undefined {
  const norm = text.toLowerCase().replace(/\s+/g, ' ');
  const compact = norm.replace(/ /g, '');
  return BANNED.find((p) => (/[a-z]/.test(p) ? norm.includes(p) : compact.includes(p)));
}

/** The case view the run's projection writes (the `recordCase` activity's inputs) left in the store. */
function lastWrittenView(events: temporal.api.history.v1.IHistoryEvent[]): CaseViewV1 | null {
  const writes = events
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a?.activityType?.name === 'recordCase');
  return viewAfterWrites(writes.flatMap((a) => scheduledInput<CaseWrite>(a!) ?? []));
}

/** The view with every instant blanked: what replay's clock cannot move. */
function timeless(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x), (_k, val: unknown) =>
    typeof val === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(val) ? 'instant' : val,
  );
}

function canon(x: unknown): string {
  return JSON.stringify(x, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.entries(val as Record<string, unknown>)
            .filter(([, y]) => y !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : val,
  );
}

function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (canon(a) === canon(b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path || 'view'}: projection ${JSON.stringify(a)?.slice(0, 150)} vs view ${JSON.stringify(b)?.slice(0, 150)}`;
}
