import { z } from 'zod';
import {
  Category,
  Channel,
  ChoiceOption,
  CloseReason,
  CustomerLocale,
  DeadlineKind,
  DesiredOutcome,
  EscalationLevel,
  EvidenceItem,
  MemberTier,
  PaymentMethod,
  Priority,
  ResolutionType,
  Responsibility,
  Status,
  SubType,
} from './domain';

/** The case view (`GET /v1/complaints/:id`), returned by the workflow's query and stored as the projection. */

const at = z.string().describe('ISO-8601 time');
const actorRef = z.object({ sub: z.string(), role: z.string() });

export const DeadlineV1 = z.object({
  kind: DeadlineKind,
  dueAt: at,
  since: at,
  paused: z.boolean().default(false),
  /** The rung of this deadline's own ladder: 0 not missed, 1 supervisor, 2 operations manager. */
  rung: z.number().int().min(0).max(2).default(0),
  /** Further misses at the top rung, each alerting the operations manager again. */
  topRungAlerts: z.number().int().nonnegative().default(0),
  /** Where the share of the window that warns is measured from (the window's start, not the wait's). */
  windowStart: at.optional(),
  /** When the person who must act is warned (policy `warnings.share` of the window); absent when this deadline does not warn. */
  warnAt: at.optional(),
  warned: z.boolean().optional(),
  /** The share of the window used when the API answered, on the deadline's clock (0 to 1); only in API answers. */
  shareUsed: z.number().min(0).max(1).optional(),
  /**
   * The window's full length in the case's policy, for a deadline whose window is one figure of it (the social private
   * message, the routine case's target, the phone callback, the customer's choice); only in API answers.
   */
  window: z.string().describe('ISO-8601 duration').optional(),
});
/** One per missed deadline (not per rung): `escalatedTo` is the highest rung its ladder reached. */
export const BreachV1 = z.object({
  kind: DeadlineKind,
  dueAt: at,
  at,
  escalatedTo: z.enum(['supervisor', 'compliance', 'ops_manager', 'merchant_ops', 'none']),
});
export type DeadlineV1 = z.infer<typeof DeadlineV1>;
export type BreachV1 = z.infer<typeof BreachV1>;

export const StepStatus = z.enum(['pending', 'waiting', 'done', 'failed', 'compensated']);
export const ExecutionStepV1 = z.object({
  name: z.string(),
  status: StepStatus,
  owner: z.string(),
  dueAt: at.optional(),
  detail: z.string().optional(),
  updatedAt: at,
});
export type ExecutionStepV1 = z.infer<typeof ExecutionStepV1>;

export const ProposalV1 = z.object({
  type: ResolutionType,
  amountFen: z.number().int().optional(),
  couponFen: z.number().int().optional(),
  note: z.string(),
  returnFirst: z.boolean().optional(),
  apology: z.string().optional(),
  warrantyMonths: z.number().int().optional(),
  dedicatedAgentId: z.string().optional(),
  testingLab: z.string().optional(),
  proposedBy: z.string(),
  at,
});

/** docs/domain.md §7.9: the options the merchant offered, the customer's window, and what they chose. */
export const CustomerChoiceStateV1 = z.object({
  offered: z.array(z.object({ option: ChoiceOption, compensationFen: z.number().int().optional() })),
  offeredAt: at,
  dueAt: at.describe("the end of the customer's window; then the owner proposes"),
  chosen: ChoiceOption.nullable(),
  chosenAt: at.nullable(),
  /** The window ended without a choice: the owner was told and proposes. */
  lapsed: z.boolean(),
});
export type CustomerChoiceStateV1 = z.infer<typeof CustomerChoiceStateV1>;

export const ApprovalV1 = z.object({
  required: z.boolean(),
  approverRole: z.enum(['supervisor', 'compliance']).nullable(),
  reason: z.string().nullable().describe('why approval is needed'),
  decision: z.enum(['approve', 'reject']).nullable(),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  at: at.nullable(),
});

export const CaseViewV1 = z.object({
  complaintId: z.string(),
  workflowId: z.string(),
  status: Status,
  stage: z.string().describe('what the case waits for now'),
  category: Category,
  subType: SubType,
  suggestedCategory: z.object({ category: Category, template: z.string() }).nullable(),
  priority: Priority,
  priorityReasons: z.array(z.string()),
  channel: Channel,
  customer: z.object({
    id: z.string(),
    name: z.string(),
    phone: z.string(),
    /** Absent in a merchant's view: how the platform ranks its customers is not the merchant's to read. */
    memberTier: MemberTier.optional(),
    /** The language of customer messages; cases opened before it was recorded have none (zh-CN). */
    locale: CustomerLocale.optional(),
  }),
  order: z.object({
    orderId: z.string(),
    merchantId: z.string(),
    sku: z.string(),
    amountPaidFen: z.number().int(),
    paidAt: z.string(),
    paymentMethod: PaymentMethod.optional(),
    carrier: z.string().optional(),
    waybillNo: z.string().optional(),
    /** From the order service (docs/domain.md §7.8): when the goods were signed for, and whether they carry the 7-day no-reason return. */
    deliveredAt: z.string().optional(),
    sevenDayReturn: z.boolean().optional(),
  }),
  description: z.string(),
  desiredOutcome: DesiredOutcome,
  evidence: z.array(EvidenceItem.extend({ addedBy: z.string(), at })),
  owner: z.string().nullable(),
  escalationLevel: EscalationLevel,
  deadlines: z.array(DeadlineV1),
  /** docs/domain.md §3.3: when the case is expected to be done (the latest deadline of ours running now), for the customer. */
  expectedBy: z
    .object({
      at: z.string().describe("ISO-8601 in the customer's time zone"),
      text: z.string(),
      locale: CustomerLocale,
      timeZone: z.string(),
    })
    .nullable()
    .optional(),
  breaches: z.array(BreachV1),
  /** docs/domain.md §5.6: customer messages that could not be delivered after their retries, each alerted to a person; absent while there was none. */
  undeliveredMessages: z
    .array(z.object({ template: z.string(), at, alerted: z.string().describe('the person or role told') }))
    .optional(),
  /** docs/domain.md §6.5: the department the case is routed to by its category (null: customer service alone); absent on cases opened before routing. */
  department: z.string().nullable().optional(),
  /** docs/domain.md §6.5: what the department's staff found, oldest first; absent while there is none. */
  departmentFindings: z.array(z.object({ department: z.string(), text: z.string(), by: z.string(), at })).optional(),
  firstResponse: z.object({ by: z.string(), message: z.string(), at }).nullable(),
  /** docs/domain.md §7.9: set once the merchant's options are offered to the customer; absent on cases that never had any. */
  choice: CustomerChoiceStateV1.nullable().optional(),
  awaitingEvidence: z.boolean(),
  investigation: z.object({
    dueAt: at.nullable(),
    extended: z.boolean(),
    extensionReason: z.string().nullable(),
    brief: z.object({ responsibility: Responsibility, findings: z.string(), by: z.string(), at }).nullable(),
    merchantReply: z
      .object({
        message: z.string(),
        accepts: z.boolean().nullable(),
        proposal: z.string().nullable(),
        /** docs/domain.md §7.9: the options offered for the customer to choose among. */
        options: z.array(z.object({ option: ChoiceOption, compensationFen: z.number().int().optional() })).optional(),
        by: z.string(),
        at,
      })
      .nullable(),
    merchantReplyMissed: z.boolean(),
    carrierStatus: z.string().nullable(),
  }),
  resolution: z.object({
    proposal: ProposalV1.nullable(),
    approval: ApprovalV1.nullable(),
    steps: z.array(ExecutionStepV1),
    rejections: z.array(z.object({ by: z.string(), reason: z.string(), at })),
    returnShipment: z.object({ carrier: z.string(), waybillNo: z.string(), at }).nullable(),
    /**
     * Where the goods the customer sent back are: shipped back, or inspected and kept by the merchant.
     * A re-plan does not ask for them again; null once a replacement shipped (the customer holds goods again).
     */
    goodsBack: z.enum(['shipped', 'inspected']).nullable().optional(),
    /** Refunded to the customer so far, over every plan and round: the cap for the next refund. */
    refundedFen: z.number().int().default(0),
    /** Money paid out on this case (refunds, compensations, coupons) over every round: the approval threshold's base. */
    paidOutFen: z.number().int().default(0),
    /** docs/domain.md §8.6: the lab's result of the case's latest joint third-party test, kept across re-plans. */
    testingResult: z
      .object({
        lab: z.string(),
        defectConfirmed: z.boolean(),
        reportUrl: z.string(),
        note: z.string(),
        by: z.string(),
        at,
      })
      .nullable()
      .optional(),
    /** When the current plan's steps were all done: the objection window and callback count from here. */
    executedAt: at.nullable().default(null),
  }),
  customerResponse: z.object({ accept: z.boolean(), reason: z.string().nullable(), at }).nullable(),
  satisfaction: z.object({
    /** The latest round's rating. */
    rating: z.number().int().nullable(),
    comment: z.string().nullable(),
    callbackSentAt: at.nullable(),
    at: at.nullable(),
    /** Every round's answer, oldest first (reports give first-round and final ratings, docs/domain.md §11.1); views from before it was kept have none. */
    rounds: z
      .array(z.object({ round: z.number().int(), rating: z.number().int(), comment: z.string().nullable(), at }))
      .default([]),
  }),
  /**
   * docs/domain.md §9.4: the phone call a person owes a high-priority customer after execution, with its outcome once
   * recorded; absent on cases (and rounds) that owe none. Staff notes: a party's view leaves it out.
   */
  phoneCallback: z
    .object({
      round: z.number().int(),
      dueAt: at,
      outcome: z
        .object({
          reached: z.boolean(),
          rating: z.number().int().nullable(),
          notes: z.string().nullable(),
          /** What the customer suggested on the call, forwarded to the case's department (docs/domain.md §9.4). */
          suggestion: z.string().nullable().optional(),
          by: z.string(),
          at,
        })
        .nullable(),
    })
    .nullable()
    .optional(),
  round: z.number().int(),
  groupFlagged: z.boolean(),
  repeatOf: z.string().nullable(),
  policyVersion: z.string(),
  createdAt: at,
  updatedAt: at,
  closedAt: at.nullable(),
  closeReason: CloseReason.nullable(),
});
export type CaseViewV1 = z.infer<typeof CaseViewV1>;

/** One line of the audit log: who did what, when, and with what result (docs/domain.md §10.1). */
export const TimelineEntryV1 = z.object({
  seq: z.number().int(),
  at,
  actor: actorRef,
  action: z.string(),
  detail: z.record(z.string(), z.unknown()).default({}),
  result: z.enum(['ok', 'refused', 'failed', 'breached', 'met']).default('ok'),
});
export type TimelineEntryV1 = z.infer<typeof TimelineEntryV1>;

/** An SLA fact for reports, so reports never recompute history. */
export const SlaEventV1 = z.object({
  seq: z.number().int(),
  kind: DeadlineKind,
  event: z.enum(['activated', 'paused', 'resumed', 'met', 'breached', 'cancelled']),
  at,
  dueAt: at,
  escalationLevel: EscalationLevel,
});
export type SlaEventV1 = z.infer<typeof SlaEventV1>;
