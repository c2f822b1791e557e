import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  metricMeter,
  patched,
  proxyActivities,
} from '@temporalio/workflow';
import { addWorkingDays, durationMs } from '../shared/calendar';
import type { ExecutionStepV1 } from '../shared/caseView';
import { type DeadlineKind, TESTING_WORKING_DAYS_DEFAULT } from '../shared/domain';
import { ESCALATION_ROLES, nextRung } from '../shared/escalation';
import type { CaseStoreActivities } from '../activities/caseStore';
import type { PaymentActivities } from '../activities/payments';
import { type Case, SYSTEM, nowIso } from './case';
import { type DeadlineOutcome, awaitDeadline, type Notify, warnIfPastCalendar, window } from './deadlines';
import { bestEffort, messaging, reasonOf, sendCustomer } from './messaging';
import { PATCHES } from './patches';

/**
 * Carrying out an approved resolution (docs/domain.md §8): each step tracked with an owner and
 * a deadline; a step that fails half way undoes what was done before it (saga), tells the
 * customer with a goodwill gesture, and hands the case back for a new plan.
 */

/** Money calls retry transport failures until the refund deadline; the idempotency key makes that safe. */
const payments = proxyActivities<Pick<PaymentActivities, 'payRefund' | 'issueCoupon' | 'revokeCoupon'>>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/** The dedicated agent's record: retried like a message (docs/domain.md §7.1); a failure is the owner's to act on. */
const customers = proxyActivities<Pick<CaseStoreActivities, 'grantDedicatedAgent'>>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

const moneyPaid = metricMeter.createCounter(
  'complaint_money_paid_fen',
  'fen',
  'refunds and compensations paid, by kind',
);

class StepFailed extends Error {
  /** `customer`: the customer did not do their part (no goodwill gesture is owed for that). */
  constructor(
    readonly step: string,
    readonly reason: string,
    readonly atFault: 'customer' | 'other' = 'other',
  ) {
    super(`${step} failed: ${reason}`);
  }
}

interface Deps {
  notifyStaff: Notify;
}

/**
 * The saga's view of its plan: `before` holds the steps a previous run of the same plan left on the
 * case (it continued as new while a step waited on a party); those are resumed, not done again.
 */
interface Saga extends Deps {
  before: ReadonlyMap<string, ExecutionStepV1>;
}

type Proposal = NonNullable<Case['view']['resolution']['proposal']>;
/** An idempotency key per step and plan: a retried call pays once, a new plan pays again. */
type StepKey = (step: string) => string;
const planKey = (c: Case, step: string) => `${c.view.workflowId}:${step}:plan${c.state.planSeq}`;
/** How to undo a step done, if a later one fails. */
interface Undo {
  step: string;
  what: string;
  run: () => Promise<void>;
}

export async function executeResolution(c: Case, deps: Deps): Promise<'done' | 'failed'> {
  const proposal = c.view.resolution.proposal;
  if (!proposal) return 'failed';
  /** What to undo if a later step fails, newest last. */
  const undo: Undo[] = [];
  const key: StepKey = (step) => planKey(c, step);
  // Steps are reset with each plan, so a continued run finds on the case only what its plan did so far.
  const saga: Saga = { ...deps, before: new Map(c.continued ? c.view.resolution.steps.map((s) => [s.name, s]) : []) };
  // A coupon the plan issued in an earlier run is not issued again; it is still revoked if a later step fails.
  const issued = saga.before.has('coupon') ? c.state.planCoupon : null;

  try {
    if (proposal.couponFen)
      undo.push(issued ? revokable(c, issued.couponId) : await issueCoupon(c, saga, proposal.couponFen, key));
    await carryOut(c, saga, proposal, key);
    return 'done';
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    const compensated = await compensate(c, saga, undo);
    c.audit(SYSTEM, 'execution_failed', { step: err.step, reason: err.reason, compensated }, 'failed');
    if (err.atFault !== 'customer') await goodwill(c, err, key('goodwill'));
    return 'failed';
  }
}

async function issueCoupon(c: Case, deps: Deps, couponFen: number, key: StepKey): Promise<Undo> {
  const { couponId } = await step<{ couponId: string }>(
    c,
    deps,
    inWindow(c, 'coupon', 'payments', 'credit', durationMs(c.policy.execution.credit)),
    () =>
      payments.issueCoupon({
        complaintId: c.view.complaintId,
        idempotencyKey: key('coupon'),
        customerId: c.view.customer.id,
        amountFen: couponFen,
        validDays: 7,
      }),
  );
  c.view.resolution.paidOutFen = (c.view.resolution.paidOutFen ?? 0) + couponFen;
  c.state.planCoupon = { plan: c.state.planSeq, couponId };
  return revokable(c, couponId);
}

/** Undoing a coupon the plan issued. */
function revokable(c: Case, couponId: string): Undo {
  return {
    step: 'coupon',
    what: `revoke coupon ${couponId}`,
    run: async () => {
      await payments.revokeCoupon({ complaintId: c.view.complaintId, couponId });
      markStep(c, 'coupon', 'compensated', `coupon ${couponId} revoked`);
    },
  };
}

/** The steps of the proposal's type; a StepFailed leaves the rest undone. */
async function carryOut(c: Case, deps: Saga, proposal: Proposal, key: StepKey): Promise<void> {
  switch (proposal.type) {
    case 'refund':
    case 'partial_refund':
    case 'compensation':
      await pay(c, deps, proposal, proposal.type, key);
      return;
    case 'exchange':
      await returnAndInspect(c, deps);
      await notifyMerchant(
        c,
        deps,
        'ship_replacement',
        key('ship_replacement'),
        `Ship a replacement for order ${c.view.order.orderId} (${c.view.order.sku})`,
      );
      // The customer holds goods again: a later plan may ask for these back.
      c.view.resolution.goodsBack = null;
      return;
    case 'repair':
      if (!deps.before.has('repair_request'))
        await notifyMerchant(
          c,
          deps,
          'repair_request',
          key('repair_request'),
          `Repair the item of order ${c.view.order.orderId} within ${c.policy.execution.repairWorkingDays} working days`,
        );
      warnIfPastCalendar(c, addWorkingDays(Date.now(), c.policy.execution.repairWorkingDays, c.policy.calendar));
      await waitFor(c, deps, {
        name: 'repair',
        owner: 'merchant',
        kind: 'repair',
        dueMs: addWorkingDays(Date.now(), c.policy.execution.repairWorkingDays, c.policy.calendar),
        freshWindow: (from) => addWorkingDays(from, c.policy.execution.repairWorkingDays, c.policy.calendar),
      });
      return;
    case 'resend_parts':
      await notifyMerchant(
        c,
        deps,
        'resend_parts',
        key('resend_parts'),
        `Resend the missing parts of order ${c.view.order.orderId}`,
      );
      return;
    case 'apology':
      // docs/domain.md §7.1: the approved apology reaches the customer; older runs sent only the solution message (patch).
      if (patched(PATCHES.apologySent.id))
        await sendCustomer(c, 'apology', proposal.apology ? { words: proposal.apology } : {});
      return;
    case 'extended_warranty':
      await notifyMerchant(
        c,
        deps,
        'extend_warranty',
        key('extend_warranty'),
        `Extend the warranty of the item of order ${c.view.order.orderId} (${c.view.order.sku}) by ${proposal.warrantyMonths ?? 0} months`,
      );
      return;
    case 'dedicated_agent':
      await grantDedicatedAgent(c, dedicatedAgentOf(c, proposal));
      return;
    case 'third_party_testing':
      if (patched(PATCHES.thirdPartyTesting.id)) await jointTesting(c, deps, proposal.testingLab ?? '', key);
      return;
    case 'referral':
    case 'coupon':
      return;
  }
}

/** docs/domain.md §7.1: the agent the proposal names, else the case's owner. */
export function dedicatedAgentOf(c: Case, proposal: Proposal): string {
  return proposal.dedicatedAgentId ?? c.view.owner ?? proposal.proposedBy;
}

/**
 * docs/domain.md §7.1: the customer's next complaints go to their dedicated agent, from the record
 * intake reads. Retried; a record that still fails is a timeline fact and an alert to the owner, whose
 * supervisor records it by hand (POST /v1/customers/:customerId/dedicated-agent, the same record); the
 * plan goes on (nothing is undone).
 */
async function grantDedicatedAgent(c: Case, agentId: string): Promise<void> {
  const owner = c.view.owner ?? ESCALATION_ROLES[c.view.escalationLevel];
  const granted = await bestEffort(
    c,
    'dedicated_agent',
    async () => {
      await customers.grantDedicatedAgent({
        customerId: c.view.customer.id,
        agentId,
        complaintId: c.view.complaintId,
        grantedAt: nowIso(),
      });
      return true;
    },
    {
      detail: { agentId },
      alert: {
        to: owner,
        text: `customer ${c.view.customer.id}'s dedicated agent ${agentId} was not recorded: their next complaints are not assigned to them until a supervisor records it (POST /v1/customers/${c.view.customer.id}/dedicated-agent, or the case page's form)`,
      },
    },
  );
  addStep(c, 'dedicated_agent', 'platform', Date.now(), granted ? 'done' : 'failed');
  if (granted) c.audit(SYSTEM, 'dedicated_agent_granted', { customerId: c.view.customer.id, agentId });
}

/**
 * docs/domain.md §8.6: the lab the parties agreed on tests the goods. The merchant is asked to take part
 * (a notice that must happen) and the customer told when the result is due; then the plan waits for
 * staff to record the lab's result, on the lab's policy window: the owner warned before it ends, the
 * ladder after, and the owner or a supervisor may call the test off to re-plan.
 */
async function jointTesting(c: Case, deps: Saga, lab: string, key: StepKey): Promise<void> {
  const days = c.policy.execution.testingWorkingDays ?? TESTING_WORKING_DAYS_DEFAULT;
  const dueMs = addWorkingDays(Date.now(), days, c.policy.calendar);
  warnIfPastCalendar(c, dueMs);
  // A resumed plan asked the merchant and told the customer in its earlier run.
  if (!deps.before.has('testing_request')) {
    await notifyMerchant(
      c,
      deps,
      'testing_request',
      key('testing_request'),
      `Joint third-party testing of the item of order ${c.view.order.orderId} (${c.view.order.sku}) at ${lab}: provide the goods or samples the lab asks for; its result is due by ${new Date(dueMs).toISOString()}`,
    );
    await sendCustomer(c, 'testing_arranged', { lab, resultBy: new Date(dueMs).toISOString() });
  }
  await waitFor(c, deps, {
    name: 'third_party_testing',
    owner: 'lab',
    kind: 'third_party_testing',
    dueMs,
    freshWindow: (from) => addWorkingDays(from, days, c.policy.calendar),
  });
}

async function pay(
  c: Case,
  deps: Saga,
  proposal: Proposal,
  kind: 'refund' | 'partial_refund' | 'compensation',
  key: StepKey,
): Promise<void> {
  // docs/domain.md §8.2 return then refund: the refund is due within 24 h of the goods' receipt.
  if (proposal.returnFirst && kind !== 'compensation') await returnAndInspect(c, deps);
  const deadline: DeadlineKind = kind === 'compensation' ? 'credit' : 'refund';
  const windowMs = durationMs(kind === 'compensation' ? c.policy.execution.credit : c.policy.execution.refund);
  const { amountFen } = await step(c, deps, inWindow(c, kind, 'payments', deadline, windowMs), () =>
    payments.payRefund({
      complaintId: c.view.complaintId,
      idempotencyKey: key(kind),
      orderId: c.view.order.orderId,
      amountFen: proposal.amountFen ?? 0,
      kind,
      reason: proposal.note,
    }),
  );
  if (kind !== 'compensation') c.view.resolution.refundedFen = (c.view.resolution.refundedFen ?? 0) + amountFen;
  c.view.resolution.paidOutFen = (c.view.resolution.paidOutFen ?? 0) + amountFen;
  moneyPaid.add(amountFen, { kind });
}

/** Undoes what was done, newest first; returns how many undid. */
async function compensate(c: Case, deps: Deps, undo: Undo[]): Promise<number> {
  let compensated = 0;
  for (const action of undo.reverse()) {
    // A refused compensation must not end the case: record it, tell staff to undo it by hand, go on.
    try {
      await action.run();
      compensated++;
    } catch (undoErr) {
      if (!(undoErr instanceof ActivityFailure)) throw undoErr;
      const reason =
        undoErr.cause instanceof ApplicationFailure ? (undoErr.cause.type ?? undoErr.cause.message) : undoErr.message;
      markStep(c, action.step, 'failed', `${action.what} failed: ${reason}`);
      c.audit(SYSTEM, 'compensation_failed', { step: action.step, what: action.what, reason }, 'failed');
      await deps.notifyStaff(
        ESCALATION_ROLES[nextRung(c.view.escalationLevel)],
        'compensation_failed',
        `${c.view.complaintId}: could not ${action.what} (${reason}); undo it by hand`,
      );
    }
  }
  return compensated;
}

function addStep(c: Case, name: string, owner: string, dueMs: number, status: ExecutionStepV1['status']): void {
  c.view.resolution.steps.push({ name, status, owner, dueAt: new Date(dueMs).toISOString(), updatedAt: nowIso() });
  c.touch();
}

function markStep(c: Case, name: string, status: ExecutionStepV1['status'], detail?: string): void {
  const s = [...c.view.resolution.steps].reverse().find((x) => x.name === name);
  if (s) Object.assign(s, { status, updatedAt: nowIso(), ...(detail ? { detail } : {}) });
  c.touch();
}

interface StepClock {
  name: string;
  owner: string;
  kind: DeadlineKind;
  dueMs: number;
  /** A fresh window of the step's policy length, for each rung of its ladder. */
  freshWindow: (fromMs: number) => number;
}

/** A step that must happen, under its deadline: retried by Temporal; a refusal becomes a StepFailed (saga). */
async function step<T>(c: Case, deps: Deps, clock: StepClock, run: () => Promise<T>): Promise<T> {
  addStep(c, clock.name, clock.owner, clock.dueMs, 'pending');
  let outcome: 'pending' | 'done' | 'failed' = 'pending';
  const deadline = awaitDeadline(c, deps.notifyStaff, {
    ...clock,
    met: () => outcome === 'done',
    cancelled: () => outcome === 'failed' || c.closed,
    onMiss: 'escalate',
  });
  try {
    const result = await run();
    outcome = 'done';
    markStep(c, clock.name, 'done');
    c.audit(SYSTEM, `${clock.name}_done`, { result: result as unknown as Record<string, unknown> });
    return result;
  } catch (err) {
    outcome = 'failed';
    const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
    if (!cause?.nonRetryable) throw err;
    markStep(c, clock.name, 'failed', `${cause.type ?? 'refused'}: ${cause.message}`);
    throw new StepFailed(clock.name, cause.type ?? cause.message);
  } finally {
    await deadline;
  }
}

/** A step that waits for a person (customer ships back, merchant inspects or repairs). */
async function waitFor(c: Case, deps: Saga, clock: StepClock): Promise<void> {
  if (patched(PATCHES.continueWhileWaiting.id)) return waitOnParty(c, deps, clock);
  const { name } = clock;
  addStep(c, name, clock.owner, clock.dueMs, 'waiting');
  const current = () => [...c.view.resolution.steps].reverse().find((s) => s.name === name);
  await awaitDeadline(c, deps.notifyStaff, {
    ...clock,
    met: () => current()?.status === 'done',
    cancelled: () => current()?.status === 'failed' || c.closed,
    onMiss: 'escalate',
  });
  await condition(() => current()?.status !== 'waiting' || c.closed);
  if (current()?.status === 'failed') throw new StepFailed(name, current()?.detail ?? 'refused');
}

/**
 * A step that waits for a person, during which the run may continue as new; a step a previous run
 * left waiting resumes with its clock and ladder where they stood (the deadline on the case).
 */
async function waitOnParty(c: Case, deps: Saga, clock: StepClock): Promise<void> {
  const { name } = clock;
  if (!deps.before.has(name)) addStep(c, name, clock.owner, clock.dueMs, 'waiting');
  const current = () => [...c.view.resolution.steps].reverse().find((s) => s.name === name);
  await onlyWaiting(
    c,
    () => current()?.status === 'waiting',
    async () => {
      await awaitDeadline(c, deps.notifyStaff, {
        ...clock,
        met: () => current()?.status === 'done',
        cancelled: () => current()?.status === 'failed' || c.closed,
        onMiss: 'escalate',
      });
      await condition(() => current()?.status !== 'waiting' || c.closed);
    },
  );
  if (current()?.status === 'failed') throw new StepFailed(name, current()?.detail ?? 'refused');
}

/**
 * While `wait` runs and `waiting()` holds, the plan only waits on a party: no call of the saga is in
 * flight, so the run may continue as new (complaint.ts) and the next run resumes the plan from the
 * steps on the case. Once the run decided to continue, this run's saga goes no further: a party's
 * action that ends the wait meanwhile is the next run's to follow.
 */
async function onlyWaiting<T>(c: Case, waiting: () => boolean, wait: () => Promise<T>): Promise<T> {
  c.partyWait = waiting;
  try {
    const outcome = await wait();
    await condition(() => !c.continuing);
    return outcome;
  } finally {
    c.partyWait = null;
  }
}

/** A step of the calendar-time kind: due `windowMs` from now, each rung as long again. */
function inWindow(c: Case, name: string, owner: string, kind: DeadlineKind, windowMs: number): StepClock {
  const freshWindow = window(c, kind, windowMs);
  return { name, owner, kind, dueMs: freshWindow(Date.now()), freshWindow };
}

/**
 * docs/domain.md §8.2 return / exchange: the customer is told to ship back within 7 days, the merchant inspects within 7.
 * Goods already back from an earlier plan are not asked for again (older runs asked; patch).
 */
async function returnAndInspect(c: Case, deps: Saga): Promise<void> {
  const goodsBack = c.view.resolution.goodsBack ?? null;
  if (goodsBack !== null && patched(PATCHES.replanKnowsTheGoods.id)) {
    if (goodsBack === 'shipped') await inspectReturn(c, deps);
    return;
  }
  const shipWithin = durationMs(c.policy.execution.returnShipment);
  // A resumed plan told the customer in its earlier run.
  if (!deps.before.has('return_shipment'))
    await sendCustomer(c, 'return_instructions', { shipBy: new Date(Date.now() + shipWithin).toISOString() });
  // Older runs escalated the customer's silence up the staff ladder, without end (patch).
  if (patched(PATCHES.silentCustomerReturn.id)) await awaitReturnShipment(c, deps, shipWithin);
  else await waitFor(c, deps, inWindow(c, 'return_shipment', 'customer', 'return_shipment', shipWithin));
  await inspectReturn(c, deps);
}

/** The merchant hears the goods are on their way back, and inspects them within its window. */
async function inspectReturn(c: Case, deps: Saga): Promise<void> {
  if (!deps.before.has('return_incoming'))
    await notifyMerchant(
      c,
      deps,
      'return_incoming',
      planKey(c, 'return_incoming'),
      `Goods of order ${c.view.order.orderId} are on the way back: ${c.view.resolution.returnShipment?.carrier ?? ''} ${c.view.resolution.returnShipment?.waybillNo ?? ''}`,
    );
  await waitFor(
    c,
    deps,
    inWindow(c, 'return_inspection', 'merchant', 'return_inspection', durationMs(c.policy.execution.returnInspection)),
  );
}

/**
 * docs/domain.md §5.5, §8.2: the customer ships the goods back within the window; past it
 * they are reminded once, and past the grace the step is cancelled and the case goes back to its
 * agent to re-plan or close (the customer's silence owes them no goodwill gesture).
 */
async function awaitReturnShipment(c: Case, deps: Saga, shipWithin: number): Promise<void> {
  const name = 'return_shipment';
  const graceMs = durationMs(c.policy.execution.returnReminderGrace ?? SPEC_RETURN_GRACE);
  // Older runs could not continue as new while the customer had the goods (patch).
  const mayContinue = patched(PATCHES.continueWhileWaiting.id);
  if (!deps.before.has(name)) addStep(c, name, 'customer', Date.now() + shipWithin, 'waiting');
  const current = () => [...c.view.resolution.steps].reverse().find((s) => s.name === name);
  const shipped = () => current()?.status !== 'waiting';
  // A window on the case (the customer must act by then), not a staff deadline: its end is no breach.
  const window = (ms: number) =>
    awaitDeadline(c, deps.notifyStaff, {
      kind: 'return_shipment',
      dueMs: Date.now() + ms,
      freshWindow: (from) => from + ms,
      met: shipped,
      cancelled: () => c.closed,
      onMiss: 'expire',
    });
  // A resumed step whose window is no longer on the case saw it end while the earlier run was continuing as new.
  let endedUnseen = deps.before.get(name)?.status === 'waiting' && !c.view.deadlines.some((d) => d.kind === name);
  const resumable = async (ms: number): Promise<DeadlineOutcome> => {
    if (!endedUnseen)
      return onlyWaiting(
        c,
        () => !shipped(),
        () => window(ms),
      );
    endedUnseen = false;
    return 'missed';
  };
  const shipWindow = (ms: number) => (mayContinue ? resumable(ms) : window(ms));
  // Staff may call the step off while it waits (cancelStep.v1): the case goes back to be re-planned.
  const calledOff = () => {
    if (current()?.status === 'failed') throw new StepFailed(name, current()?.detail ?? 'called off', 'customer');
  };
  // One reminder per plan, whichever run reaches it; a run that resumes the grace keeps its end (the window on the case).
  const reminder = `return_reminder:plan${c.state.planSeq}`;
  const reminded = c.state.alertsSent.includes(reminder);
  if (!reminded && (await shipWindow(shipWithin)) !== 'missed') return calledOff();
  const graceEnds = reminded
    ? Date.parse(c.view.deadlines.find((d) => d.kind === name)?.dueAt ?? nowIso())
    : Date.now() + graceMs;
  if (!reminded) {
    if (mayContinue) c.state.alertsSent.push(reminder);
    c.audit(SYSTEM, 'return_reminder', { shipBy: new Date(graceEnds).toISOString() });
    await sendCustomer(c, 'return_instructions', { shipBy: new Date(graceEnds).toISOString() });
  }
  if ((await shipWindow(Math.max(1, graceEnds - Date.now()))) !== 'missed') return calledOff();
  markStep(c, name, 'failed', 'the customer did not ship the goods back');
  throw new StepFailed(name, 'not_shipped_back', 'customer');
}

const SPEC_RETURN_GRACE = 'P2D';

/** docs/domain.md §8.1: a notice's window when the case's policy predates the figure. */
const SPEC_MERCHANT_NOTICE = 'PT24H';

/**
 * A notice the plan depends on: retried; a refusal or a long outage fails the step, and the saga re-plans.
 * While it is retried a deadline runs on the case (docs/domain.md §5.5, §8.1), the owner's (else the
 * role at the case's rung) with the staff ladder after a miss, closed when the notice goes through or
 * the step fails. Older runs ran no clock meanwhile (patch).
 */
async function notifyMerchant(
  c: Case,
  deps: Deps,
  kind:
    'ship_replacement' | 'repair_request' | 'resend_parts' | 'return_incoming' | 'extend_warranty' | 'testing_request',
  idempotencyKey: string,
  text: string,
): Promise<void> {
  let outcome: 'pending' | 'done' | 'failed' = 'pending';
  const clocked = patched(PATCHES.merchantNoticeClock.id);
  let deadline: Promise<DeadlineOutcome> | undefined;
  if (clocked) {
    const windowMs = durationMs(c.policy.execution.merchantNotice ?? SPEC_MERCHANT_NOTICE);
    const clock = inWindow(c, kind, 'merchant', 'merchant_notice', windowMs);
    addStep(c, kind, 'merchant', clock.dueMs, 'pending');
    deadline = awaitDeadline(c, deps.notifyStaff, {
      ...clock,
      met: () => outcome === 'done',
      cancelled: () => outcome === 'failed' || c.closed,
      onMiss: 'escalate',
      mustAct: () => c.view.owner ?? ESCALATION_ROLES[c.view.escalationLevel],
    });
  }
  try {
    await messaging.sendMerchantNotice({
      complaintId: c.view.complaintId,
      merchantId: c.view.order.merchantId,
      kind,
      text,
      idempotencyKey,
    });
    outcome = 'done';
  } catch (err) {
    outcome = 'failed';
    if (!(err instanceof ActivityFailure)) throw err;
    if (!clocked) addStep(c, kind, 'merchant', Date.now(), 'failed');
    markStep(c, kind, 'failed', reasonOf(err));
    throw new StepFailed(kind, reasonOf(err));
  } finally {
    // No await without the clock: older runs went on in the same tick, and their commands' order depends on it.
    if (deadline) await deadline;
  }
  if (clocked) markStep(c, kind, 'done');
  else addStep(c, kind, 'merchant', Date.now(), 'done');
  c.audit(SYSTEM, 'merchant_notified', { kind });
}

/** docs/domain.md §8.3: a failed step is reported at once, with a goodwill coupon where policy gives one. */
async function goodwill(c: Case, failure: StepFailed, idempotencyKey: string): Promise<void> {
  const couponFen = c.policy.execution.failureGoodwillCouponFen;
  if (couponFen > 0) {
    const issued = await bestEffort(c, 'goodwill_coupon', () =>
      payments.issueCoupon({
        complaintId: c.view.complaintId,
        idempotencyKey,
        customerId: c.view.customer.id,
        amountFen: couponFen,
        validDays: 7,
      }),
    );
    if (issued) {
      c.view.resolution.paidOutFen = (c.view.resolution.paidOutFen ?? 0) + couponFen;
      c.audit(SYSTEM, 'goodwill_coupon_issued', { couponFen });
    }
  }
  // The step's name only: the reason is a provider's or merchant's words, for staff (timeline), not the customer.
  await sendCustomer(c, 'step_failed', {
    step: failure.step,
    ...(couponFen > 0 ? { goodwillCouponFen: couponFen } : {}),
  });
}
