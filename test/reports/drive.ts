import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { CaseViewV1 } from '../../shared/caseView';
import type { CloseReason, DeadlineKind } from '../../shared/domain';
import type { Actor } from '../../shared/intake';
import {
  type ComplaintWorkflowInput,
  approvalUpdate,
  assignUpdate,
  briefUpdate,
  customerResponseUpdate,
  firstResponseUpdate,
  merchantReplyUpdate,
  proposeResolutionUpdate,
  satisfactionUpdate,
  submitUpdate,
} from '../../shared/messages';
import { DEFAULT_POLICY, type SlaPolicy } from '../../shared/policy';
import type { complaintWorkflow } from '../../workflows';
import { storeOn } from '../../store/connection';
import { agent, compliance, customerOf, merchantOf, supervisor } from '../support/cases';
import { pollUntil } from '../support/poll';
import type { Harness } from '../../dev/stack/harness';
import { type Plan, type Proposal, merchantCopied } from './population';

/**
 * Drives planned cases through the real workflow, one update at a time as the API would, and
 * writes down, as it goes, what each action must do to the report: the test's own tally, kept
 * without reading the projection.
 */

export const MINUTE = 60_000;

/** docs/domain.md §2.6: the channels whose cases owe a private message. */
const SOCIAL_CHANNELS: readonly string[] = ['weibo', 'wechat', 'douyin'];
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface ExpectedSla {
  kind: DeadlineKind;
  event: 'met' | 'breached';
  /** When it happens (server time, to the minute): decides the period it falls in. */
  at: number;
}

/** What the test expects of one case, from what it did to it. */
export interface Tally {
  openedAtMs: number;
  round: number;
  escalationLevel: number;
  briefed: boolean;
  /** Every rating the customer gave, round by round: a reopening keeps the earlier round's. */
  ratings: number[];
  closeReason: CloseReason | null;
  /** Server-time bounds of the close: before the closing action and after the case was seen closed. */
  closedWithin: [number, number] | null;
  sla: ExpectedSla[];
}

type Handle = WorkflowHandle<typeof complaintWorkflow>;

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function each<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}

/** The workflow input the API's intake would build for the plan: our own ids, channel and repeatOf. */
/**
 * The suite's week has no phone calls in its account: a high-priority case's call (docs/domain.md §9.4) falls due
 * after the week ends, so every figure is one of the cases the suite drives. The calls have their own suites.
 */
const WEEK_WITHOUT_CALLS: SlaPolicy = { ...DEFAULT_POLICY, phoneCallback: { within: 'P30D' } };

export function inputFor(
  plan: Plan,
  openedAtMs: number,
  policy: SlaPolicy = WEEK_WITHOUT_CALLS,
): ComplaintWorkflowInput {
  const customer = customerOf(plan.customerId);
  const order = {
    orderId: plan.orderId,
    customerId: plan.customerId,
    merchantId: plan.merchantId,
    amountPaidFen: plan.amountPaidFen,
    items: [{ sku: plan.sku, quantity: 1, priceFen: plan.amountPaidFen }],
    paidAt: '2026-11-01T10:00:00+08:00',
  };
  return {
    complaintId: plan.complaintId,
    openedAt: new Date(openedAtMs).toISOString(),
    openedBy: customer,
    submissionId: randomUUID(),
    intake: {
      channel: plan.channel,
      customer: { id: plan.customerId, name: 'Li Lei', phone: '+8613800000000', memberTier: 'regular' },
      order: { ...order, sku: plan.sku },
      category: plan.category,
      subType: plan.subType,
      description: `Complaint ${plan.key} about ${plan.sku}`,
      desiredOutcome: 'refund',
      priority: plan.priority,
      priorityReasons: ['test'],
      evidence: [],
    },
    suggestedCategory: null,
    repeatOf: plan.repeatOf,
    policy,
  };
}

export class DrivenCase {
  readonly customer: Actor;
  readonly merchant: Actor;
  readonly tally: Tally;
  /** Server time of the last thing anyone did to the case (bounds a close the case makes on its own). */
  lastActionAt = 0;
  /** The case was routine (low) when the agent took it. */
  private routine = false;

  private constructor(
    private readonly h: Harness,
    readonly plan: Plan,
    readonly handle: Handle,
    openedAtMs: number,
  ) {
    this.customer = customerOf(plan.customerId);
    this.merchant = merchantOf(plan.merchantId);
    this.tally = {
      openedAtMs,
      round: 1,
      escalationLevel: 0,
      briefed: false,
      ratings: [],
      closeReason: null,
      closedWithin: null,
      sla: [],
    };
  }

  /** Puts the order at the provider, starts the case and submits it (as `POST /v1/complaints` does). */
  static async open(h: Harness, plan: Plan): Promise<DrivenCase> {
    const input = inputFor(plan, await h.env.currentTimeMs());
    h.sandbox.store.putOrder({ ...input.intake.order });
    const handle = (await h.env.client.workflow.start('complaintWorkflow', {
      workflowId: input.complaintId,
      taskQueue: h.taskQueue,
      args: [input],
    })) as Handle;
    await handle.executeUpdate(submitUpdate, {
      args: [{ submissionId: input.submissionId, channel: plan.channel, evidence: [], actor: input.openedBy }],
    });
    return new DrivenCase(h, plan, handle, Date.parse(input.openedAt));
  }

  get id(): string {
    return this.plan.complaintId;
  }

  get closed(): boolean {
    return this.tally.closeReason !== null;
  }

  now(): Promise<number> {
    return this.h.env.currentTimeMs();
  }

  async expectSla(kind: DeadlineKind, event: ExpectedSla['event'], at?: number): Promise<void> {
    this.tally.sla.push({ kind, event, at: at ?? (await this.now()) });
  }

  /** The case as its projection holds it: never ahead of the workflow, and read without touching it. */
  async projected(): Promise<{ view: CaseViewV1 | null; version: number }> {
    const doc = await storeOn(this.h.mongo).cases.findById(this.id, { view: 1, version: 1 }).lean();
    return { view: (doc?.view as CaseViewV1 | undefined) ?? null, version: doc?.version ?? -1 };
  }

  /**
   * Polls (real time: activities need it) until the case satisfies `ok`. It reads the projection, not
   * the workflow: the time-skipping test server answers a query that arrives during a workflow task
   * by writing an extra, empty workflow task into history, and on replay the SDK merges that task
   * with the next one, so polling by query leaves histories that replay differently from how they ran.
   */
  async settle(ok: (v: CaseViewV1) => boolean, what: string, timeoutMs = 60_000): Promise<CaseViewV1> {
    const projected = await pollUntil(
      () => this.projected(),
      ({ view }) => view !== null && ok(view),
      {
        what: `${this.id} (${this.plan.key}) reach ${what}`,
        timeoutMs,
        everyMs: 150,
        shown: ({ view: v }) =>
          v && { status: v.status, stage: v.stage, round: v.round, breaches: v.breaches, steps: v.resolution.steps },
      },
    );
    return projected.view as CaseViewV1;
  }

  // --- round 1 -------------------------------------------------------------------------------

  /** Assignment (meets the handling deadline) and the first answer (meets first_response, unless late). */
  async answer(): Promise<void> {
    const taken = await this.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await this.expectSla('handling', 'met');
    // docs/domain.md §2.2: a routine (low) case an agent takes has 30 minutes to its proposal; the case's priority as the agent takes it.
    this.routine = taken.priority === 'low';
    await this.handle.executeUpdate(firstResponseUpdate, {
      args: [{ message: 'We are looking into it.', requestEvidence: false, actor: agent }],
    });
    if (!this.plan.lateFirstResponse) await this.expectSla('first_response', 'met');
    // docs/domain.md §2.6: the first answer is the private message a social-channel case owes within 2 h.
    if (SOCIAL_CHANNELS.includes(this.plan.channel)) await this.expectSla('social_reply', 'met');
    if (this.plan.merchantReplies && merchantCopied(this.plan)) {
      await this.handle.executeUpdate(merchantReplyUpdate, {
        args: [{ message: 'We will check the batch.', accepts: true, actor: this.merchant }],
      });
      await this.expectSla('merchant_reply', 'met');
    }
  }

  /** The miss of the 15-minute first response: one rung up (supervisor), seen in the view. */
  async firstResponseMissed(): Promise<void> {
    const v = await this.settle(
      (x) => x.breaches.some((b) => b.kind === 'first_response') && x.escalationLevel === 1,
      'the first-response breach',
    );
    const breach = v.breaches.find((b) => b.kind === 'first_response');
    await this.expectSla('first_response', 'breached', Date.parse(breach?.at ?? ''));
    this.tally.escalationLevel = 1;
  }

  async brief(): Promise<void> {
    await this.settle((x) => x.investigation.dueAt !== null, 'the investigation');
    await this.handle.executeUpdate(briefUpdate, {
      args: [{ responsibility: this.plan.responsibility, findings: `Findings for ${this.plan.key}`, actor: agent }],
    });
    this.tally.briefed = true;
    await this.expectSla('investigation', 'met');
  }

  /** Proposes, gets the approval where one is needed, and waits for the execution to finish. */
  async propose(p: Proposal, onTime = true): Promise<void> {
    const round = this.tally.round;
    this.lastActionAt = await this.now();
    // Round two is handled one level up: a supervisor proposes it.
    await this.handle.executeUpdate(proposeResolutionUpdate, {
      args: [{ ...p, note: 'Our proposal after the investigation', actor: round === 1 ? agent : supervisor }],
    });
    if (onTime) await this.expectSla('proposal', 'met');
    if (round === 1 && this.routine) await this.expectSla('routine_handling', 'met');
    if (round === 1 && this.plan.category === 'product') await this.expectSla('category_target', 'met');
    if (this.plan.category === 'compliance') {
      await this.handle.executeUpdate(approvalUpdate, {
        args: [{ decision: 'approve', reason: 'Checked with the brand owner', actor: compliance }],
      });
      await this.expectSla('approval', 'met');
    }
    await this.settle((x) => x.status === 'awaiting_customer', 'the solution executed');
    if (p.couponFen) await this.expectSla('credit', 'met');
    if (p.type === 'refund' || p.type === 'partial_refund') await this.expectSla('refund', 'met');
    if (p.type === 'compensation') await this.expectSla('credit', 'met');
    // docs/domain.md §8.1: the notice to the merchant runs its own clock until it goes through.
    if (p.type === 'resend_parts') await this.expectSla('merchant_notice', 'met');
    if (round === 1 && this.plan.category === 'logistics') await this.expectSla('category_target', 'met');
  }

  // --- the customer ----------------------------------------------------------------------------

  async accept(): Promise<void> {
    this.lastActionAt = await this.now();
    await this.handle.executeUpdate(customerResponseUpdate, { args: [{ accept: true, actor: this.customer }] });
    await this.settle((x) => x.status === 'awaiting_feedback', 'waiting for feedback');
  }

  /** 3–5 closes as resolved; 1–2 reopens round 1 one level up, and closes round 2 for quality review. */
  async rate(rating: number): Promise<void> {
    const before = await this.now();
    await this.handle.executeUpdate(satisfactionUpdate, { args: [{ rating, comment: 'rated', actor: this.customer }] });
    this.tally.ratings.push(rating);
    if (rating > DEFAULT_POLICY.satisfaction.reopenAtOrBelow) return this.closedAs('resolved', before);
    if (this.tally.round === 1) return this.reopened();
    return this.closedAs('quality_review', before);
  }

  async object(): Promise<void> {
    const before = await this.now();
    await this.handle.executeUpdate(customerResponseUpdate, {
      args: [{ accept: false, reason: 'This does not solve it', actor: this.customer }],
    });
    if (this.tally.round === 1) return this.reopened();
    return this.closedAs('quality_review', before);
  }

  /**
   * Round 2 one level up. Waits until the new proposal's deadline runs: a proposal made while the
   * reopening alert is still going out skips that deadline altogether (see the suite's report).
   */
  private async reopened(): Promise<void> {
    await this.settle(
      (x) => x.round === 2 && x.status === 'in_progress' && x.deadlines.some((d) => d.kind === 'proposal'),
      'the second round',
    );
    this.tally.round = 2;
    this.tally.escalationLevel = Math.min(2, this.tally.escalationLevel + 1);
  }

  private async closedAs(reason: CloseReason, before: number): Promise<void> {
    await this.settle((x) => x.status === 'closed', `closed (${reason})`);
    this.tally.closeReason = reason;
    this.tally.closedWithin = [before, await this.now()];
  }

  /** A close the case makes on its own while time skips (no answer to the callback). */
  async closedWithoutFeedback(sleptUntil: number): Promise<void> {
    const v = await this.settle((x) => x.status === 'closed', 'closed (no_feedback)');
    this.tally.closeReason = 'no_feedback';
    // At the earliest: the callback (docs/domain.md §9.2: a day after execution by default; a high-priority one only
    // "within 24 h", so no earlier than the execution) and then 3 days without an answer.
    const executedAt = Date.parse(v.resolution.executedAt ?? '') || this.lastActionAt;
    const callbackAfter = v.priority === 'high' ? 0 : DAY;
    this.tally.closedWithin = [executedAt + callbackAfter + 3 * DAY, sleptUntil];
  }

  /** The merchant's 24 h copy deadline missed: merchant operations told, no rung up. */
  async merchantReplyMissed(): Promise<void> {
    const v = await this.settle(
      (x) => x.breaches.some((b) => b.kind === 'merchant_reply'),
      'the merchant-reply breach',
    );
    await this.expectSla(
      'merchant_reply',
      'breached',
      Date.parse(v.breaches.find((b) => b.kind === 'merchant_reply')?.at ?? ''),
    );
  }

  /**
   * A second-round proposal that never came: its deadline climbs its own ladder (supervisor, then
   * the operations manager) and counts once in the report (docs/domain.md §5.1: one breach per deadline).
   */
  async proposalMissed(): Promise<void> {
    // Round 1 proposed on time, so this is the case's one proposal breach, however many rungs it climbed.
    const v = await this.settle(
      (x) => x.breaches.filter((b) => b.kind === 'proposal').length === 1,
      'the proposal breach',
    );
    const missed = v.breaches.find((x) => x.kind === 'proposal');
    // The reopening put the case one level up (supervisor); the ladder may have gone on to ops.
    const level = missed?.escalatedTo === 'ops_manager' ? 2 : 1;
    expect(v.escalationLevel).toBe(level);
    await this.expectSla('proposal', 'breached', Date.parse(missed?.at ?? ''));
    this.tally.escalationLevel = level;
  }
}
