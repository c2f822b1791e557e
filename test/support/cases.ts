import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Channel, Priority } from '../../shared/domain';
import type { Actor } from '../../shared/intake';
import type { CaseViewV1 } from '../../shared/caseView';
import { type ComplaintWorkflowInput, caseViewQuery, submitUpdate } from '../../shared/messages';
import { DEFAULT_POLICY, type SlaPolicy } from '../../shared/policy';
import type { complaintWorkflow } from '../../workflows';
import { pollUntil } from './poll';

/** What building a case needs: a client, the sandbox, a task queue and the server's clock. */
export interface CaseWorld {
  env: { client: Client; currentTimeMs(): Promise<number> };
  sandbox: { url: string };
  taskQueue: string;
  /** When present, every case opened is listed here (the harness records their histories). */
  started?: Array<{ workflowId: string; test: string }>;
}

/** Builders for cases and the people acting on them, each test with its own ids. */

export const agent: Actor = { sub: 'agent-7', role: 'agent' };
export const otherAgent: Actor = { sub: 'agent-9', role: 'agent' };
export const supervisor: Actor = { sub: 'sup-1', role: 'supervisor' };
export const otherSupervisor: Actor = { sub: 'sup-2', role: 'supervisor' };
export const compliance: Actor = { sub: 'cmp-1', role: 'compliance' };
export const customerOf = (id: string): Actor => ({ sub: id, role: 'customer', customerId: id });
export const merchantOf = (id: string): Actor => ({ sub: `${id}-staff`, role: 'merchant', merchantId: id });

export interface CaseOptions {
  category?: ComplaintWorkflowInput['intake']['category'];
  subType?: ComplaintWorkflowInput['intake']['subType'];
  priority?: Priority;
  priorityReasons?: string[];
  amountPaidFen?: number;
  policy?: SlaPolicy;
  merchantId?: string;
  sku?: string;
  waybill?: { carrier: string; waybillNo: string };
  /** Where the complaint came in (app unless said). */
  channel?: Channel;
  /** What the order service says of delivery: when the goods were signed for, and whether they carry the 7-day no-reason return. */
  delivery?: { deliveredAt: string; sevenDayReturn: boolean };
  /** docs/domain.md §7.1: the customer's dedicated agent, as intake read it. */
  dedicatedAgentId?: string;
}

export interface OpenedCase {
  handle: WorkflowHandle<typeof complaintWorkflow>;
  input: ComplaintWorkflowInput;
  customer: Actor;
  merchant: Actor;
}

export async function putOrder(
  h: CaseWorld,
  order: {
    orderId: string;
    customerId: string;
    merchantId: string;
    amountPaidFen: number;
    sku: string;
    carrier?: string;
    waybillNo?: string;
  },
  delivery?: CaseOptions['delivery'],
): Promise<void> {
  const res = await fetch(`${h.sandbox.url}/orders/${order.orderId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...order, ...orderDetails(order, delivery) }),
  });
  if (!res.ok) throw new Error(`PUT order failed: ${res.status} ${await res.text()}`);
}

/** What the order service holds beyond the ids and the amount: one item of the sku at the price paid, paid on 1 November. */
export function orderDetails(order: { sku: string; amountPaidFen: number }, delivery?: CaseOptions['delivery']) {
  return {
    items: [
      {
        sku: order.sku,
        quantity: 1,
        priceFen: order.amountPaidFen,
        ...(delivery ? { sevenDayReturn: delivery.sevenDayReturn } : {}),
      },
    ],
    paidAt: '2026-11-01T10:00:00+08:00',
    ...(delivery ? { deliveredAt: delivery.deliveredAt } : {}),
  };
}

export async function openCase(h: CaseWorld, opts: CaseOptions = {}): Promise<OpenedCase> {
  const id = randomUUID().slice(0, 8);
  const customerId = `c-${id}`;
  const merchantId = opts.merchantId ?? `m-${id}`;
  const sku = opts.sku ?? `sku-${id}`;
  const amountPaidFen = opts.amountPaidFen ?? 12_900;
  const order = { orderId: `o-${id}`, customerId, merchantId, amountPaidFen, sku, ...(opts.waybill ?? {}) };
  await putOrder(h, order, opts.delivery);
  const customer = customerOf(customerId);
  const input: ComplaintWorkflowInput = {
    complaintId: `cmp-${customerId}-${order.orderId}-${opts.subType ?? 'quality_defect'}`,
    openedAt: new Date(await h.env.currentTimeMs()).toISOString(),
    openedBy: customer,
    submissionId: randomUUID(),
    intake: {
      channel: opts.channel ?? 'app',
      customer: {
        id: customerId,
        name: 'Li Lei',
        phone: `+86138${id.replace(/\D/g, '0').padEnd(8, '0').slice(0, 8)}`,
        memberTier: 'regular',
      },
      order: { ...order, ...orderDetails(order, opts.delivery) },
      category: opts.category ?? 'product',
      subType: opts.subType ?? 'quality_defect',
      description: 'The kettle leaks after two days',
      desiredOutcome: 'refund',
      priority: opts.priority ?? 'medium',
      priorityReasons: opts.priorityReasons ?? ['test'],
      evidence: [],
      ...(opts.dedicatedAgentId ? { dedicatedAgentId: opts.dedicatedAgentId } : {}),
    },
    suggestedCategory: null,
    repeatOf: null,
    // Without department routing unless a suite asks for it (see policyAt in test/workflows/helpers.ts).
    policy: opts.policy ?? { ...DEFAULT_POLICY, departments: {} },
  };
  const handle = (await h.env.client.workflow.start('complaintWorkflow', {
    workflowId: input.complaintId,
    taskQueue: h.taskQueue,
    args: [input],
  })) as WorkflowHandle<typeof complaintWorkflow>;
  h.started?.push({ workflowId: input.complaintId, test: expect.getState().currentTestName ?? 'case' });
  await handle.executeUpdate(submitUpdate, {
    args: [{ submissionId: input.submissionId, channel: opts.channel ?? 'app', evidence: [], actor: customer }],
  });
  return { handle, input, customer, merchant: merchantOf(merchantId) };
}

async function getJson<T>(h: CaseWorld, path: string): Promise<T> {
  const res = await fetch(`${h.sandbox.url}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export const sandboxRecords = {
  sms: (h: CaseWorld, complaintId: string) =>
    getJson<Array<{ to: string; template: string; text: string }>>(
      h,
      `/sms/messages?complaintId=${encodeURIComponent(complaintId)}`,
    ),
  refunds: (h: CaseWorld, complaintId: string) =>
    getJson<Array<{ refundId: string; amountFen: number; kind: string; idempotencyKey: string }>>(
      h,
      `/payments/refunds?complaintId=${encodeURIComponent(complaintId)}`,
    ),
  coupons: (h: CaseWorld, complaintId: string) =>
    getJson<Array<{ couponId: string; amountFen: number; status: 'active' | 'revoked' }>>(
      h,
      `/payments/coupons?complaintId=${encodeURIComponent(complaintId)}`,
    ),
  notices: (h: CaseWorld, merchantId: string) =>
    getJson<Array<{ kind: string; complaintId: string; text: string }>>(
      h,
      `/merchants/notices?merchantId=${encodeURIComponent(merchantId)}`,
    ),
};

export interface SettleOptions {
  timeoutMs?: number;
  /**
   * Read the view only when nothing is in flight, for a case that may continue as new: a query that
   * reaches the time-skipping server while the task deciding a continue-as-new runs is handed to the
   * worker for the closed run, which cannot answer it; the server then keeps time skipping locked
   * for good and every later skip runs at wall-clock speed (docs/liveness.md).
   */
  quiet?: boolean;
}

/** Polls the case until `ok(view)`, for transitions driven by activities; fails with the last view seen. */
export function settle(
  c: OpenedCase,
  ok: (v: CaseViewV1) => boolean,
  what = 'the expected state',
  { timeoutMs, quiet: whenQuiet = false }: SettleOptions = {},
): Promise<CaseViewV1> {
  const read = async () => {
    if (whenQuiet) await quiet(c);
    return c.handle.query(caseViewQuery);
  };
  return pollUntil(read, ok, {
    what: `case ${c.input.complaintId} reach ${what}`,
    timeoutMs: timeoutMs ?? (whenQuiet ? 30_000 : 20_000),
    shown: (v) => ({
      status: v.status,
      stage: v.stage,
      escalationLevel: v.escalationLevel,
      deadlines: v.deadlines,
      breaches: v.breaches,
      steps: v.resolution.steps,
    }),
  });
}

/**
 * Waits until the case's current run has nothing in flight (no workflow task and no activity
 * scheduled and not yet closed, read from its history) and returns the history's length then.
 * What the case does next waits on a timer or on someone's action.
 */
export async function quiet(c: OpenedCase, timeoutMs = 30_000): Promise<number> {
  const length = await pollUntil(
    async () => {
      const events = (await c.handle.fetchHistory()).events ?? [];
      const open = new Set<string>();
      let taskOpen = false;
      for (const e of events) {
        if (e.activityTaskScheduledEventAttributes) open.add(String(e.eventId));
        const closed =
          e.activityTaskCompletedEventAttributes ??
          e.activityTaskFailedEventAttributes ??
          e.activityTaskTimedOutEventAttributes ??
          e.activityTaskCanceledEventAttributes;
        if (closed) open.delete(String(closed.scheduledEventId));
        if (e.workflowTaskScheduledEventAttributes) taskOpen = true;
        if (
          e.workflowTaskCompletedEventAttributes ||
          e.workflowTaskFailedEventAttributes ||
          e.workflowTaskTimedOutEventAttributes
        )
          taskOpen = false;
      }
      return !taskOpen && open.size === 0 && !events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes
        ? events.length
        : null;
    },
    (n) => n !== null,
    { what: `case ${c.input.complaintId} to have nothing in flight`, timeoutMs },
  );
  return length as number;
}
