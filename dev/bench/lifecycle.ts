import {
  ApplicationFailure,
  type Client,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { signToken } from '../../api/auth';
import type { CaseViewV1 } from '../../shared/caseView';
import { complaintWorkflowId } from '../../shared/identity';
import type { Actor, OpenComplaintV1 } from '../../shared/intake';
import {
  type ComplaintWorkflowInput,
  assignUpdate,
  briefUpdate,
  caseViewQuery,
  customerResponseUpdate,
  firstResponseUpdate,
  proposeResolutionUpdate,
  satisfactionUpdate,
  submitUpdate,
} from '../../shared/messages';
import { SlaPolicy } from '../../shared/policy';
import { BENCH_POLICY } from '../stack/world';

/**
 * One complaint driven from intake to close through the real updates, the way people do it: an
 * agent takes it, answers, briefs and proposes a refund under the approval threshold; the refund
 * runs; the customer accepts, gets the satisfaction callback one second later and rates 5. The
 * steps are written once and sent either by a bare Temporal client or through the API; the floor
 * workflow answers to the same update and query names, so the same steps drive it too.
 */

export const AGENT: Actor = { sub: 'agent-7', role: 'agent' };
export const PAID_FEN = 12_900;
const POLICY = SlaPolicy.parse(BENCH_POLICY);
/** Cases share merchants and products the way real traffic does, so group workflows are reused. */
const MERCHANTS = 50;
const SKUS = 500;
const POLL_MS = 200;
/**
 * Long enough for a refund to wait out a 60 s gateway outage and its retry backoff (up to 64 s more),
 * and for a case to take updates again after worker kills on a busy machine: a restarted worker
 * replays every case it is given, a workflow task that still times out is retried with a growing
 * backoff, and Temporal refuses updates meanwhile ("Workflow Task in failed state"). One such stage
 * took 326 s at load 30 (the worker-kill trial, 2026-11-27), just past the 300 s this was.
 */
const STAGE_TIMEOUT_MS = 600_000;

export interface BenchCase {
  id: string;
  customer: Actor;
  order: { orderId: string; customerId: string; merchantId: string; sku: string; amountPaidFen: number };
  /** The resolution the agent proposes instead of the full refund (the reliability run pays partial refunds and compensations). */
  plan?: { type: 'refund' | 'partial_refund' | 'compensation'; amountFen: number };
  /** The customer rates in the app as soon as the case awaits feedback, without waiting for the callback SMS (a refusing SMS gateway). */
  ratesInApp?: boolean;
}

export function benchCase(run: string, n: number): BenchCase {
  const customerId = `c-${run}-${n}`;
  return {
    id: complaintWorkflowId(customerId, `o-${run}-${n}`, 'quality_defect'),
    customer: { sub: customerId, role: 'customer', customerId },
    order: {
      orderId: `o-${run}-${n}`,
      customerId,
      merchantId: `m-${n % MERCHANTS}`,
      sku: `sku-${n % SKUS}`,
      amountPaidFen: PAID_FEN,
    },
  };
}

/** The order must exist at the sandbox: the API looks it up at intake, the gateway checks refunds against it. */
export async function putOrder(sandboxUrl: string, c: BenchCase): Promise<void> {
  const res = await fetch(`${sandboxUrl}/orders/${c.order.orderId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...c.order,
      items: [{ sku: c.order.sku, quantity: 1, priceFen: PAID_FEN }],
      paidAt: '2026-11-01T10:00:00+08:00',
    }),
  });
  if (!res.ok) throw new Error(`PUT order ${c.order.orderId}: ${res.status}`);
}

/** What `POST /v1/complaints` sends; the API classifies it into the workflow input. The same again joins the running case. */
export function openRequest(c: BenchCase) {
  return {
    channel: 'app',
    customer: { id: c.order.customerId, name: 'Li Lei', phone: '+8613800000000', memberTier: 'regular' },
    order: { orderId: c.order.orderId, merchantId: c.order.merchantId, sku: c.order.sku },
    subType: 'quality_defect',
    description: 'The kettle leaks after two days',
    desiredOutcome: 'refund',
    evidence: [],
  } satisfies OpenComplaintV1;
}

/** The workflow input the API builds for `openRequest(c)` (api/intake.ts). */
export function workflowInput(c: BenchCase): ComplaintWorkflowInput {
  const { channel, customer, subType, description, desiredOutcome } = openRequest(c);
  return {
    complaintId: c.id,
    openedAt: new Date().toISOString(),
    openedBy: c.customer,
    submissionId: `${c.id}:submission`,
    intake: {
      channel,
      customer,
      order: {
        ...c.order,
        items: [{ sku: c.order.sku, quantity: 1, priceFen: PAID_FEN }],
        paidAt: '2026-11-01T10:00:00+08:00',
      },
      category: 'product',
      subType,
      description,
      desiredOutcome,
      priority: 'medium',
      priorityReasons: ['bench'],
      evidence: [],
    },
    suggestedCategory: null,
    repeatOf: null,
    policy: POLICY,
  };
}

interface Step {
  /** The workflow update's name. */
  update: string;
  /** The API route below `/v1/complaints/:id/`. */
  path: string;
  by: 'agent' | 'customer';
  body: Record<string, unknown>;
  /** What the case shows once the work this step set off is done; the next step waits for it. */
  then?: (v: CaseViewV1) => boolean;
}

const STEPS: Step[] = [
  { update: assignUpdate.name, path: 'assign', by: 'agent', body: { agentId: AGENT.sub } },
  // People take minutes between steps, so a real case is investigating before its brief arrives;
  // a brief sent at machine speed could land before the investigation starts and skip it.
  {
    update: firstResponseUpdate.name,
    path: 'first-response',
    by: 'agent',
    body: { message: 'We are checking the kettle.', requestEvidence: false },
    then: (v) => v.investigation.dueAt !== null,
  },
  {
    update: briefUpdate.name,
    path: 'investigation/brief',
    by: 'agent',
    body: { responsibility: 'merchant', findings: 'Defect confirmed' },
  },
  {
    update: proposeResolutionUpdate.name,
    path: 'resolution',
    by: 'agent',
    body: { type: 'refund', amountFen: PAID_FEN, note: 'Full refund' },
    then: (v) => v.status === 'awaiting_customer',
  },
  {
    update: customerResponseUpdate.name,
    path: 'customer-response',
    by: 'customer',
    body: { accept: true },
    then: (v) => v.status === 'awaiting_feedback' && v.satisfaction.callbackSentAt !== null,
  },
  {
    update: satisfactionUpdate.name,
    path: 'satisfaction',
    by: 'customer',
    body: { rating: 5 },
    then: (v) => v.status === 'closed',
  },
];

/** How the steps reach a case: a bare Temporal client, or the API. */
export interface Desk {
  open(c: BenchCase, stats: DriveStats): Promise<void>;
  act(c: BenchCase, step: Step, stats: DriveStats): Promise<void>;
  view(c: BenchCase): Promise<CaseViewV1>;
}

/** Counted over every case a run drives. */
export interface DriveStats {
  /** Case views read while waiting for a stage. */
  reads: number;
  /** Updates sent again, and view reads that failed, after an error that was not the workflow's answer. */
  retries: number;
}

export const newStats = (): DriveStats => ({ reads: 0, retries: 0 });

/** Which workflow a bare client opens: ours, or the floor with its plan. */
export interface Target {
  workflowType: string;
  taskQueue: string;
  input(c: BenchCase): unknown;
}

/**
 * Sends an update until it gets an answer. Each update has a fixed id, so sending it again after a
 * lost answer (the worker died, a call timed out) reaches the same update instead of a second one;
 * the workflow refusing it is an answer and is thrown, unless it says "not now".
 */
async function persist(stats: DriveStats, send: () => Promise<unknown>): Promise<void> {
  const end = Date.now() + STAGE_TIMEOUT_MS;
  for (;;) {
    try {
      await send();
      return;
    } catch (err) {
      // `unavailable` asks for the same action again (the API's 503): the case was between two steps.
      // `wrong_stage` after the stage was seen: a worker killed before its task completed takes the
      // stage back (a query answered from that task showed it), and the next task refuses the
      // action until the result that moves the case arrives again; a person would send it again.
      // A case that never reaches the stage still fails the step at the stage timeout.
      const again =
        err instanceof WorkflowUpdateFailedError &&
        err.cause instanceof ApplicationFailure &&
        (err.cause.type === 'unavailable' || err.cause.type === 'wrong_stage');
      if ((err instanceof WorkflowUpdateFailedError && !again) || Date.now() > end) throw err;
      stats.retries++;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export function bareDesk(client: Client, target: Target): Desk {
  const handle = (c: BenchCase) => client.workflow.getHandle(c.id);
  return {
    // As the API opens a case: update-with-start of `submit.v1`.
    open: (c, stats) =>
      persist(stats, () => {
        const start = new WithStartWorkflowOperation(target.workflowType, {
          workflowId: c.id,
          taskQueue: target.taskQueue,
          args: [target.input(c)],
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
        return client.workflow.executeUpdateWithStart(submitUpdate, {
          updateId: `${c.id}:submit`,
          args: [{ submissionId: `${c.id}:submission`, channel: 'app', evidence: [], actor: c.customer }],
          startWorkflowOperation: start,
        });
      }),
    act: (c, step, stats) =>
      persist(stats, () => {
        const actor = step.by === 'agent' ? AGENT : c.customer;
        return handle(c).executeUpdate(step.update, {
          updateId: `${c.id}:${step.update}`,
          args: [{ ...step.body, actor }],
        });
      }),
    view: (c) => handle(c).query(caseViewQuery),
  };
}

export function apiDesk(apiUrl: string, jwtSecret: string): Desk {
  const tokens = new Map<string, Promise<string>>();
  const bearer = (actor: Actor) => {
    if (!tokens.has(actor.sub))
      tokens.set(
        actor.sub,
        signToken(
          jwtSecret,
          actor.role === 'customer'
            ? { sub: actor.sub, role: 'customer', customerId: actor.customerId }
            : { sub: actor.sub, role: 'agent' },
        ),
      );
    return tokens.get(actor.sub)!;
  };
  const call = async (method: string, path: string, actor: Actor, body?: unknown): Promise<unknown> => {
    const token = await bearer(actor);
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json: unknown = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    open: async (c) => void (await call('POST', '/v1/complaints', c.customer, openRequest(c))),
    act: async (c, step) =>
      void (await call(
        'POST',
        `/v1/complaints/${c.id}/${step.path}`,
        step.by === 'agent' ? AGENT : c.customer,
        step.body,
      )),
    view: async (c) => (await call('GET', `/v1/complaints/${c.id}`, AGENT)) as CaseViewV1,
  };
}

/** Polls the case view until `ready`: stages moved by activities and timers have no update to wait on. */
async function until(desk: Desk, c: BenchCase, ready: (v: CaseViewV1) => boolean, stats: DriveStats): Promise<void> {
  const end = Date.now() + STAGE_TIMEOUT_MS;
  for (;;) {
    let last: string;
    stats.reads++;
    try {
      const view = await desk.view(c);
      if (ready(view)) return;
      last = `${view.status} (${view.stage})`;
    } catch (err) {
      // A query needs a worker; while none runs (killed, restarting) it fails, and the case goes on.
      stats.retries++;
      last = (err as Error).message;
    }
    if (Date.now() > end) throw new Error(`${c.id} stayed ${last}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Drives an opened case to its close through the six updates after intake. */
export async function drive(desk: Desk, c: BenchCase, stats: DriveStats): Promise<void> {
  for (const step of STEPS) {
    await desk.act(
      c,
      c.plan && step.update === proposeResolutionUpdate.name ? { ...step, body: { ...step.body, ...c.plan } } : step,
      stats,
    );
    const then =
      c.ratesInApp && step.update === customerResponseUpdate.name
        ? (v: CaseViewV1) => v.status === 'awaiting_feedback'
        : step.then;
    if (then) await until(desk, c, then, stats);
  }
}

/** An error with its chain of causes: the client's "Workflow Update failed" says why only in its cause. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e = err; e instanceof Error && parts.length < 5; e = e.cause) parts.push(`${e.name}: ${e.message}`);
  return parts.join(' <- ') || String(err);
}

export interface DriveAllOptions {
  lanes: number;
  /** The trial's bound: past it `done` answers 'deadline' while lanes may still run. */
  deadlineMs: number;
  /** Where a case that cannot be driven to its close is written down, named by `trial`. */
  violations: string[];
  trial: string;
}

/**
 * Drives every case from intake to its close, `lanes` at a time (the reliability run's and the
 * cluster's trials); `progress.closed` counts those done so far, for aiming a fault mid-run.
 */
export function driveAll(desk: Desk, cases: BenchCase[], opts: DriveAllOptions) {
  const stats = newStats();
  const progress = { closed: 0 };
  let next = 0;
  const lane = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      try {
        await desk.open(c, stats);
        await drive(desk, c, stats);
        progress.closed++;
      } catch (err) {
        opts.violations.push(`${opts.trial}: ${c.id} could not be driven to its close: ${describeError(err)}`);
      }
    }
  };
  const all = Promise.all(Array.from({ length: Math.min(opts.lanes, cases.length) }, lane));
  const deadline = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), opts.deadlineMs).unref());
  return { stats, progress, done: Promise.race([all.then(() => 'done' as const), deadline]) };
}
