import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Config } from '../config';
import { categoryOfSubType, derivePriority, suggestCategory } from '../shared/classification';
import type { CustomerLocale, MemberTier, Order } from '../shared/domain';
import { complaintWorkflowId } from '../shared/identity';
import type { Actor, ClassifiedIntake } from '../shared/intake';
import { type ComplaintWorkflowInput, type SubmissionResult, submitUpdate } from '../shared/messages';
import { policyForNewCase } from '../shared/caseCalendar';
import { departmentOf } from '../shared/departments';
import type { SlaPolicy } from '../shared/policy';
import { SA } from '../shared/searchAttributes';
import { readCase } from '../store/cases';
import type { Store } from '../store/connection';
import { dedicatedAgentOf } from '../store/dedicatedAgents';
import { READ_DEADLINE_MS, UPDATE_DEADLINE_MS, within } from './cases';
import { ApiError } from './errors';
import { sendUntilSettled } from './resend';
import type { PolicyBook } from './policyBook';
import type { OpenComplaintRequest } from './schemas';

/**
 * Opening a case (docs/domain.md §1–§2): the order comes from the order service, never from the caller; the
 * case is classified and given its policy here, once; the workflow id is the complaint's identity,
 * so the same complaint submitted again joins the running case instead of opening a second one.
 */

export interface OrderLookup {
  lookupOrder(orderId: string): Promise<Order | null>;
  /**
   * The customer directory: the language customer messages go out in (docs/domain.md §10.5), the member tier (§1.2)
   * and the phone they go to come from here.
   */
  lookupCustomer(customerId: string): Promise<{ locale: CustomerLocale; tier: MemberTier; phone?: string }>;
}

export interface IntakeDeps {
  temporal: Client;
  db: Store;
  orders: OrderLookup;
  config: Config;
  policies: PolicyBook;
}

async function orderFor(orders: OrderLookup, body: OpenComplaintRequest): Promise<Order> {
  const { orderId, merchantId, sku } = body.order;
  let order: Order | null;
  try {
    order = await orders.lookupOrder(orderId);
  } catch (err) {
    throw new ApiError(
      'unavailable',
      `the order service did not answer about ${orderId}; nothing was changed`,
      [],
      undefined,
      err,
    );
  }
  // One answer for "no such order" and "not this customer's": a caller learns nothing about other people's orders.
  const unknown = (path: string) =>
    new ApiError('unknown_order', `no order ${orderId} for customer ${body.customer.id}`, [
      { path, message: 'does not match the order' },
    ]);
  if (!order) throw unknown('order.orderId');
  if (order.customerId !== body.customer.id) throw unknown('customer.id');
  if (order.merchantId !== merchantId) throw unknown('order.merchantId');
  if (order.items.length > 0 && !order.items.some((item) => item.sku === sku)) throw unknown('order.sku');
  return order;
}

type DirectoryEntry = Awaited<ReturnType<OrderLookup['lookupCustomer']>>;

async function directoryEntry(orders: OrderLookup, customerId: string): Promise<DirectoryEntry> {
  try {
    return await orders.lookupCustomer(customerId);
  } catch (err) {
    throw new ApiError(
      'unavailable',
      `the customer directory did not answer about ${customerId}; nothing was changed`,
      [],
      undefined,
      err,
    );
  }
}

/**
 * docs/domain.md §2.3: staff opening a case for a customer may set its priority, with a reason; a
 * customer cannot raise their own: their priority is ignored (rules decide), not refused.
 */
function requestedPriority(
  body: OpenComplaintRequest,
  actor: Actor,
): { priority: OpenComplaintRequest['priority']; reason: string | null } {
  if (actor.role === 'customer' || !body.priority) return { priority: undefined, reason: null };
  if (!body.priorityReason)
    throw new ApiError('invalid_request', 'a priority set by staff needs its reason', [
      { path: 'priorityReason', message: 'required with priority' },
    ]);
  return { priority: body.priority, reason: `set_by:${actor.sub}:${body.priorityReason}` };
}

function classify(
  body: OpenComplaintRequest,
  actor: Actor,
  order: Order,
  directory: DirectoryEntry,
  policy: SlaPolicy,
  dedicatedAgentId: string | null,
): ClassifiedIntake {
  const category = body.category ?? categoryOfSubType(body.subType);
  const requested = requestedPriority(body, actor);
  const { priority, reasons } = derivePriority({
    description: body.description,
    category,
    subType: body.subType,
    // The tier comes from the directory, never from the request (docs/domain.md §1.2): a self-declared VIP would raise the priority.
    memberTier: directory.tier,
    amountPaidFen: order.amountPaidFen,
    largeAmountFen: policy.approval.thresholdFen,
    requested: requested.priority,
  });
  return {
    channel: body.channel,
    // Messages go to the directory's number, never the one typed (ignored): else the platform texts whoever a caller names.
    // No number on file: messages cannot be delivered, and a person is told (workflows/messaging.ts).
    customer: {
      id: body.customer.id,
      name: body.customer.name,
      phone: directory.phone ?? '',
      memberTier: directory.tier,
      locale: directory.locale,
    },
    order: { ...order, sku: body.order.sku },
    category,
    subType: body.subType,
    description: body.description,
    desiredOutcome: body.desiredOutcome,
    priority,
    priorityReasons: requested.reason ? [...reasons, requested.reason] : reasons,
    evidence: body.evidence,
    ...(dedicatedAgentId ? { dedicatedAgentId } : {}),
  };
}

type CaseState = 'none' | 'running' | 'closed';

/**
 * The id this complaint's case has now: the first attempt that is not closed. A closed case keeps
 * its id (its history and projection stay), so the same complaint again is a repeat with the next id.
 */
async function currentCaseId(
  deps: IntakeDeps,
  body: OpenComplaintRequest,
): Promise<{ workflowId: string; repeatOf: string | null }> {
  const state = async (workflowId: string): Promise<CaseState> => {
    try {
      const { status } = await within(deps.temporal, READ_DEADLINE_MS, () =>
        deps.temporal.workflow.getHandle(workflowId).describe(),
      );
      return status.name === 'RUNNING' ? 'running' : 'closed';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // Past Temporal's retention a closed case lives on only in the projection.
      return (await readCase(deps.db.cases, workflowId)) ? 'closed' : 'none';
    }
  };
  let repeatOf: string | null = null;
  for (let attempt = 1; ; attempt++) {
    const workflowId = complaintWorkflowId(body.customer.id, body.order.orderId, body.subType, attempt);
    if ((await state(workflowId)) !== 'closed') return { workflowId, repeatOf };
    repeatOf = workflowId;
  }
}

export interface PreparedComplaint {
  input: ComplaintWorkflowInput;
  channel: OpenComplaintRequest['channel'];
}

/** Everything up to the start: checks, classification and the case's id; nothing is written yet. */
export async function prepareComplaint(
  deps: IntakeDeps,
  body: OpenComplaintRequest,
  actor: Actor,
): Promise<PreparedComplaint> {
  if (actor.role === 'customer' && body.customer.id !== actor.customerId) {
    throw new ApiError('forbidden', 'a customer may only open a complaint for themself', [
      { path: 'customer.id', message: 'is not the caller' },
    ]);
  }
  // A malformed request (staff's priority without its reason) is refused before anything is looked up.
  requestedPriority(body, actor);
  const order = await orderFor(deps.orders, body);
  // The newest published version, once per case: the case keeps it whatever is published later.
  const policy = await deps.policies.active();
  const directory = await directoryEntry(deps.orders, body.customer.id);
  // docs/domain.md §7.1: a dedicated agent granted on an earlier case takes this one as it opens.
  const dedicatedAgentId = await dedicatedAgentOf(deps.db.dedicatedAgents, body.customer.id);
  const intake = classify(body, actor, order, directory, policy, dedicatedAgentId);
  const suggestion = suggestCategory(body.description);
  const { workflowId, repeatOf } = await currentCaseId(deps, body);
  const openedAt = Date.now();
  return {
    channel: body.channel,
    input: {
      complaintId: workflowId,
      openedAt: new Date(openedAt).toISOString(),
      openedBy: actor,
      // Tells the workflow which submission started it; any other one joins.
      submissionId: randomUUID(),
      intake,
      suggestedCategory: suggestion && { category: suggestion.category, template: suggestion.template },
      repeatOf,
      // Festival days of years with no official schedule yet, computed from their rules (shared/caseCalendar.ts).
      policy: policyForNewCase(policy, openedAt),
    },
  };
}

/** Starts the case, or joins the running one, and answers with its view. */
export async function submitComplaint(
  deps: IntakeDeps,
  { input, channel }: PreparedComplaint,
): Promise<SubmissionResult> {
  const { intake } = input;
  const department = departmentOf(intake.category, input.policy.departments);
  // An operation is good for one send: each resend of a joining submission needs its own.
  const start = () =>
    new WithStartWorkflowOperation('complaintWorkflow', {
      workflowId: input.complaintId,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [input],
      // A running case is joined; a closed one is never reused (its repeat gets the next id).
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `${intake.priority} ${intake.category}/${intake.subType} complaint on order ${intake.order.orderId} (${intake.order.merchantId})`,
      typedSearchAttributes: [
        { key: SA.status, value: 'received' },
        { key: SA.priority, value: intake.priority },
        { key: SA.category, value: intake.category },
        { key: SA.merchantId, value: intake.order.merchantId },
        { key: SA.escalationLevel, value: 0 },
        { key: SA.slaBreached, value: false },
        // docs/domain.md §6.5: ops filter by the department the case is routed to (the workflow follows a reclassification).
        ...(department ? [{ key: SA.department, value: department }] : []),
      ],
    });
  return within(deps.temporal, UPDATE_DEADLINE_MS, () =>
    sendUntilSettled((updateId) =>
      deps.temporal.workflow.executeUpdateWithStart(submitUpdate, {
        updateId,
        args: [{ submissionId: input.submissionId, channel, evidence: intake.evidence, actor: input.openedBy }],
        startWorkflowOperation: start(),
      }),
    ),
  );
}
