import { z } from 'zod';
import { apiTextMax } from './apiTexts';
import { categoryOfSubType } from './classification';
import {
  Category,
  ChoiceOption,
  EVIDENCE_ITEMS_PER_REQUEST_MAX,
  EVIDENCE_URL_MAX,
  EvidenceItem,
  Priority,
  ResolutionType,
  Responsibility,
  SubType,
  WARRANTY_MONTHS_MAX,
} from './domain';

/**
 * Bodies of the action routes, versioned because clients are written against them. How long
 * each text may be, and where it goes, is shared/apiTexts.ts.
 */

// Not blank: the pattern says so in the OpenAPI document too (trimming is invisible there).
const text = (max: number) => z.string().trim().min(1).max(max).regex(/\S/, 'must not be blank');

export const AssignV1 = z.object({ agentId: text(apiTextMax('POST /v1/complaints/:id/assign agentId')) });
export const FirstResponseV1 = z.object({
  /** Sent to the customer as written, so it must fit their SMS. */
  message: text(apiTextMax('POST /v1/complaints/:id/first-response message')),
  /** Ask the customer for missing evidence; the handling clock pauses until it arrives. */
  requestEvidence: z.boolean().default(false),
});
export const AddEvidenceV1 = z.object({ items: z.array(EvidenceItem).min(1).max(EVIDENCE_ITEMS_PER_REQUEST_MAX) });
/** One option a merchant offers; keeping the goods names the compensation offered for them. */
export const OfferedOptionV1 = z
  .object({
    option: ChoiceOption,
    // Bounded like a proposal's amount (no order pays more than 100 million CNY).
    compensationFen: z.number().int().positive().max(10_000_000_000).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.option === 'keep_with_compensation' && o.compensationFen === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['compensationFen'],
        message: 'required to keep the goods with compensation',
      });
    if (o.option !== 'keep_with_compensation' && o.compensationFen !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['compensationFen'],
        message: `not for ${o.option}: only keeping the goods is compensated`,
      });
  });
export type OfferedOptionV1 = z.infer<typeof OfferedOptionV1>;

export const MerchantReplyV1 = z.object({
  message: text(apiTextMax('POST /v1/complaints/:id/merchant-reply message')),
  accepts: z.boolean().optional(),
  proposal: z.string().max(apiTextMax('POST /v1/complaints/:id/merchant-reply proposal')).optional(),
  /** docs/domain.md §7.9: options the customer chooses among; the choice becomes the proposal. */
  options: z
    .array(OfferedOptionV1)
    .min(2)
    .max(ChoiceOption.options.length)
    .refine((all) => new Set(all.map((o) => o.option)).size === all.length, 'each option at most once')
    .optional(),
});
/** The reason goes to the customer in the extension notice. */
export const ExtendInvestigationV1 = z.object({
  reason: text(apiTextMax('POST /v1/complaints/:id/investigation/extend reason')),
});
export const InvestigationBriefV1 = z.object({
  responsibility: Responsibility,
  findings: text(apiTextMax('POST /v1/complaints/:id/investigation/brief findings')),
});
/**
 * docs/domain.md §7.1, §8.6: the proposal fields that belong to one resolution type, refused beside any
 * other; `required`, the type cannot go without it. api/openapi.ts states the same rules from this table.
 */
export const ONE_TYPE_FIELDS = {
  apology: { type: 'apology', required: false, refused: 'only an apology has words to send' },
  warrantyMonths: { type: 'extended_warranty', required: true, refused: 'only an extended warranty has months' },
  dedicatedAgentId: { type: 'dedicated_agent', required: false, refused: 'only a dedicated agent names one' },
  testingLab: { type: 'third_party_testing', required: true, refused: 'only a third-party test names a lab' },
} as const satisfies Record<string, { type: ResolutionType; required: boolean; refused: string }>;

export const ProposeResolutionV1 = z
  .object({
    type: ResolutionType,
    // Bounded in the contract (callers and fuzzers see the bound): no order pays more than 100 million CNY.
    amountFen: z.number().int().positive().max(10_000_000_000).optional(),
    couponFen: z.number().int().positive().max(100_000).optional(),
    /** The payment gateway is given it as the refund's reason. */
    note: text(apiTextMax('POST /v1/complaints/:id/resolution note')),
    /** docs/domain.md §8.2 return then refund: the customer ships the goods back, the merchant inspects, the refund follows. */
    returnFirst: z.boolean().optional(),
    /** docs/domain.md §7.1: an apology's words, approved with it and sent to the customer whole; without them, the formal apology. */
    apology: text(apiTextMax('POST /v1/complaints/:id/resolution apology')).optional(),
    /** docs/domain.md §7.1: an extended warranty's months, which the merchant is told and the customer's solution message names. */
    warrantyMonths: z.number().int().min(1).max(WARRANTY_MONTHS_MAX).optional(),
    /** docs/domain.md §7.1: the customer's dedicated agent; without it, the case's owner. */
    dedicatedAgentId: text(apiTextMax('POST /v1/complaints/:id/resolution dedicatedAgentId')).optional(),
    /** docs/domain.md §8.6: the independent lab the parties agreed on, named to the merchant and the customer. */
    testingLab: text(apiTextMax('POST /v1/complaints/:id/resolution testingLab')).optional(),
  })
  .superRefine((v, ctx) => {
    const paysMoney = paysAmount(v.type);
    if (paysMoney && v.amountFen === undefined)
      ctx.addIssue({ code: 'custom', path: ['amountFen'], message: `required for ${v.type}` });
    // The amount a proposal names is the amount it moves: a coupon's value is couponFen, an exchange or a repair moves no money.
    if (!paysMoney && v.amountFen !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['amountFen'],
        message:
          v.type === 'coupon'
            ? 'not for a coupon: its value is couponFen'
            : `not for ${v.type}: it pays no money (a goodwill coupon is couponFen)`,
      });
    if (v.type === 'coupon' && v.couponFen === undefined)
      ctx.addIssue({ code: 'custom', path: ['couponFen'], message: 'required for coupon' });
    for (const field of Object.keys(ONE_TYPE_FIELDS) as (keyof typeof ONE_TYPE_FIELDS)[]) {
      const { type, required, refused } = ONE_TYPE_FIELDS[field];
      if (required && v.type === type && v[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `required for ${type}` });
      if (v.type !== type && v[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `${refused} (not ${v.type})` });
    }
    if (v.returnFirst && !['refund', 'partial_refund'].includes(v.type))
      ctx.addIssue({
        code: 'custom',
        path: ['returnFirst'],
        message: 'only a refund can wait for the goods to come back',
      });
  });

/** The resolution types whose `amountFen` is money paid to the customer; the others pay none. */
const PAYS_AMOUNT: readonly ResolutionType[] = ['refund', 'partial_refund', 'compensation'];
export function paysAmount(type: ResolutionType): boolean {
  return PAYS_AMOUNT.includes(type);
}

type Amounts = Pick<ProposeResolutionV1, 'type' | 'amountFen' | 'couponFen'>;

/** docs/domain.md §7.3: what carrying out a proposal pays out in all, the base of the approval threshold: its money, if its type pays any, and its coupon. */
export function proposalPaysFen(p: Amounts): number {
  return (paysAmount(p.type) ? (p.amountFen ?? 0) : 0) + (p.couponFen ?? 0);
}

/** The amount the solution message names: the money of a refund or compensation, a coupon's value; none for the rest. */
export function announcedFen(p: Amounts): number | undefined {
  if (paysAmount(p.type)) return p.amountFen;
  return p.type === 'coupon' ? p.couponFen : undefined;
}

export const ApprovalDecisionV1 = z.object({
  decision: z.enum(['approve', 'reject']),
  reason: text(apiTextMax('POST /v1/complaints/:id/approval reason')),
});
export const ReturnShipmentV1 = z.object({
  carrier: text(apiTextMax('POST /v1/complaints/:id/return-shipment carrier')),
  waybillNo: text(apiTextMax('POST /v1/complaints/:id/return-shipment waybillNo')),
});
export const ReturnReceivedV1 = z.object({
  inspection: z.enum(['ok', 'rejected']),
  note: z.string().max(apiTextMax('POST /v1/complaints/:id/return-received note')).default(''),
});
export const RepairCompletedV1 = z.object({
  note: z.string().max(apiTextMax('POST /v1/complaints/:id/repair-completed note')).default(''),
});
/**
 * docs/domain.md §8.6: the lab's result of a joint third-party test, as staff record it: whether it
 * confirmed the defect, its report (an https: link, opened by staff in the console) and a note.
 */
export const TestingResultV1 = z.object({
  defectConfirmed: z.boolean(),
  reportUrl: z
    .url({ protocol: /^https$/, error: 'expected an https: link to the report' })
    .max(EVIDENCE_URL_MAX, `at most ${EVIDENCE_URL_MAX} characters: a link to the report, not the report`),
  note: text(apiTextMax('POST /v1/complaints/:id/testing-result note')),
});
export const CustomerResponseV1 = z.object({
  accept: z.boolean(),
  reason: z.string().max(apiTextMax('POST /v1/complaints/:id/customer-response reason')).optional(),
});
export const SatisfactionV1 = z.object({
  rating: z.number().int().min(1).max(5),
  comment: z.string().max(apiTextMax('POST /v1/complaints/:id/satisfaction comment')).optional(),
});
/** Staff correct what the keywords suggested (docs/domain.md §2.1); the deadlines that depend on it follow. */
export const ReclassifyV1 = z
  .object({
    category: Category,
    subType: SubType,
    reason: text(apiTextMax('POST /v1/complaints/:id/classification reason')),
  })
  .refine((v) => categoryOfSubType(v.subType) === v.category, {
    path: ['subType'],
    message: 'the sub-type belongs to another category',
  });
/**
 * docs/domain.md §5.5, §8.5: a step that waits on the customer or the merchant (goods back, the
 * inspection, the repair) can be called off by the owner or a supervisor, with a reason; the case
 * goes back to its owner for a new plan, what was done is undone.
 */
export const CancelStepV1 = z.object({
  step: z.enum(['return_shipment', 'return_inspection', 'repair', 'third_party_testing']),
  reason: text(apiTextMax('POST /v1/complaints/:id/steps/cancel reason')),
});
/** A supervisor sets the priority (docs/domain.md §2.3: a customer never can); the windows that depend on it follow. */
export const ChangePriorityV1 = z.object({
  priority: Priority,
  reason: text(apiTextMax('POST /v1/complaints/:id/priority reason')),
});

/** docs/domain.md §7.9: the customer's choice among the options the merchant offered. */
export const CustomerChoiceV1 = z.object({ option: ChoiceOption });

/** docs/domain.md §2.2: an agent marks a customer extremely upset, with what they saw; the case becomes high priority. */
export const MarkUpsetV1 = z.object({ reason: text(apiTextMax('POST /v1/complaints/:id/upset reason')) });

/** docs/domain.md §6.5: a finding of the department the case is routed to, for its owner's investigation. */
export const AddFindingV1 = z.object({ text: text(apiTextMax('POST /v1/complaints/:id/findings text')) });
/**
 * docs/domain.md §9.4: the outcome of the phone callback, as the person who called records it: reached or not, the
 * customer's rating when reached (1–5, as on the SMS callback), notes. A call that did not reach the customer has no rating.
 */
export const PhoneCallbackV1 = z
  .object({
    reached: z.boolean(),
    rating: z.number().int().min(1).max(5).optional(),
    notes: z.string().trim().max(apiTextMax('POST /v1/complaints/:id/phone-callback notes')).optional(),
    /** docs/domain.md §9.4: what the customer suggested on the call; it goes to the department the case is routed to. */
    suggestion: text(apiTextMax('POST /v1/complaints/:id/phone-callback suggestion')).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.reached && body.rating === undefined)
      ctx.addIssue({ code: 'custom', path: ['rating'], message: 'a customer reached gives a rating (1..5)' });
    if (!body.reached && body.rating !== undefined)
      ctx.addIssue({ code: 'custom', path: ['rating'], message: 'a customer not reached gives no rating' });
    if (!body.reached && body.suggestion !== undefined)
      ctx.addIssue({ code: 'custom', path: ['suggestion'], message: 'a customer not reached made no suggestion' });
  });

export type AssignV1 = z.infer<typeof AssignV1>;
export type AddFindingV1 = z.infer<typeof AddFindingV1>;
export type FirstResponseV1 = z.infer<typeof FirstResponseV1>;
export type AddEvidenceV1 = z.infer<typeof AddEvidenceV1>;
export type MerchantReplyV1 = z.infer<typeof MerchantReplyV1>;
export type ExtendInvestigationV1 = z.infer<typeof ExtendInvestigationV1>;
export type InvestigationBriefV1 = z.infer<typeof InvestigationBriefV1>;
export type ProposeResolutionV1 = z.infer<typeof ProposeResolutionV1>;
export type ApprovalDecisionV1 = z.infer<typeof ApprovalDecisionV1>;
export type ReturnShipmentV1 = z.infer<typeof ReturnShipmentV1>;
export type ReturnReceivedV1 = z.infer<typeof ReturnReceivedV1>;
export type RepairCompletedV1 = z.infer<typeof RepairCompletedV1>;
export type TestingResultV1 = z.infer<typeof TestingResultV1>;
export type CustomerResponseV1 = z.infer<typeof CustomerResponseV1>;
export type SatisfactionV1 = z.infer<typeof SatisfactionV1>;
export type ReclassifyV1 = z.infer<typeof ReclassifyV1>;
export type CancelStepV1 = z.infer<typeof CancelStepV1>;
export type ChangePriorityV1 = z.infer<typeof ChangePriorityV1>;
export type MarkUpsetV1 = z.infer<typeof MarkUpsetV1>;
export type CustomerChoiceV1 = z.infer<typeof CustomerChoiceV1>;
export type PhoneCallbackV1 = z.infer<typeof PhoneCallbackV1>;
