import { z } from 'zod';

/** The domain's vocabulary (docs/domain.md §1–§9), each defined once. */

export const Channel = z.enum([
  'app',
  'web',
  'complaint_centre',
  'order_after_sales',
  'weibo',
  'wechat',
  'douyin',
  'third_party',
  'phone',
  'email',
  'sms',
]);
export type Channel = z.infer<typeof Channel>;

export const SUB_TYPES = {
  product: ['quality_defect', 'not_as_described', 'function_mismatch', 'expired'],
  logistics: ['delayed', 'lost', 'damaged_in_transit', 'false_delivery'],
  service: ['rude_agent', 'slow_reply', 'broken_promise'],
  after_sales: ['refund_blocked', 'exchange_blocked', 'warranty_dispute', 'compensation_dispute'],
  compliance: ['counterfeit', 'false_advertising', 'ip_infringement'],
  other: ['policy_question', 'suggestion', 'other'],
} as const;

export const Category = z.enum(['product', 'logistics', 'service', 'after_sales', 'compliance', 'other']);
export type Category = z.infer<typeof Category>;

export const SubType = z.enum(Object.values(SUB_TYPES).flat() as [string, ...string[]]);
export type SubType = z.infer<typeof SubType>;

export const Priority = z.enum(['high', 'medium', 'low']);
export type Priority = z.infer<typeof Priority>;

export const MemberTier = z.enum(['regular', 'vip']);
export type MemberTier = z.infer<typeof MemberTier>;
/** The customer's language (docs/domain.md §10.5): mainland customers read Simplified Chinese unless their record says English. */
export const CustomerLocale = z.enum(['zh-CN', 'en']);
export type CustomerLocale = z.infer<typeof CustomerLocale>;
export const DesiredOutcome = z.enum(['refund', 'exchange', 'repair', 'compensation', 'apology']);

export const Status = z.enum([
  'received',
  'acknowledged',
  'in_progress',
  'awaiting_approval',
  'executing',
  'awaiting_customer',
  'awaiting_feedback',
  'closed',
]);
export type Status = z.infer<typeof Status>;

/** 0 agent, 1 supervisor, 2 operations manager: the roles of ESCALATION_ROLES (shared/escalation.ts). */
export const EscalationLevel = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export type EscalationLevel = z.infer<typeof EscalationLevel>;

export const Role = z.enum(['customer', 'agent', 'supervisor', 'ops_manager', 'compliance', 'merchant', 'system']);
export type Role = z.infer<typeof Role>;
export const STAFF_ROLES: readonly Role[] = ['agent', 'supervisor', 'ops_manager', 'compliance', 'system'];

export const ResolutionType = z.enum([
  'refund',
  'partial_refund',
  'exchange',
  'repair',
  'resend_parts',
  'compensation',
  'coupon',
  'apology',
  'referral',
  /** docs/domain.md §7.1 goodwill: the merchant extends the item's warranty by the proposal's months. */
  'extended_warranty',
  /** docs/domain.md §7.1 goodwill: the customer's next complaints go to one agent. */
  'dedicated_agent',
  /** docs/domain.md §7.1 special: a quality dispute tested by an independent lab the parties agree on; its result decides the plan. */
  'third_party_testing',
]);
export type ResolutionType = z.infer<typeof ResolutionType>;
/** docs/domain.md §7.1: the longest warranty extension an agent may grant. */
export const WARRANTY_MONTHS_MAX = 24;
/** docs/domain.md §7.1: a testing lab's name, told to the merchant and to the customer in one SMS. */
export const TESTING_LAB_MAX = 60;
/** docs/domain.md §8.6: a testing lab's result within 10 working days, the project's default (the sources give none). */
export const TESTING_WORKING_DAYS_DEFAULT = 10;

export const Responsibility = z.enum(['platform', 'merchant', 'carrier', 'customer', 'undetermined']);
export type Responsibility = z.infer<typeof Responsibility>;

/** Every durable deadline a case can run; each is a timer in the workflow and an SLA fact in reports. */
export const DeadlineKind = z.enum([
  'first_response',
  'handling',
  'investigation',
  'merchant_reply',
  'category_target',
  'proposal',
  'approval',
  'refund',
  'return_shipment',
  'return_inspection',
  'repair',
  'credit',
  'objection_window',
  'satisfaction_callback',
  'feedback',
  'evidence',
  'routine_handling',
  'social_reply',
  'customer_choice',
  'phone_callback',
  /** docs/domain.md §8.6: the lab's result of a joint third-party test, recorded by staff. */
  'third_party_testing',
  /** docs/domain.md §8.1: a notice to the merchant that a step depends on, while it is retried. */
  'merchant_notice',
]);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

export const CloseReason = z.enum(['resolved', 'no_feedback', 'quality_review']);
export type CloseReason = z.infer<typeof CloseReason>;

/** A note beside a piece of evidence: it stays on the case (shared/apiTexts.ts). */
export const EVIDENCE_NOTE_MAX = 500;
/**
 * Evidence stays on the case and travels in every update's answer, query and projection write, all
 * under Temporal's payload limit (2 MB): a link is a link (the file lives elsewhere), at most 2 048
 * characters, the length browsers and CDNs reliably take; a request brings at most 20 items and a
 * case holds at most 50. 50 links at their longest, with their notes, stay under 150 KB.
 */
export const EVIDENCE_URL_MAX = 2048;
export const EVIDENCE_ITEMS_PER_REQUEST_MAX = 20;
export const EVIDENCE_ITEMS_PER_CASE_MAX = 50;
/**
 * A caller's link is opened by staff in the console: only web links (`javascript:` or `data:` would
 * run in the console). The API also refuses `http:` outside development mode (api/links.ts).
 * Only the API parses this; workflows use the type, so a case holding an older link runs as before.
 */
export const EvidenceItem = z.object({
  kind: z.enum(['photo', 'video', 'delivery_proof', 'chat_screenshot', 'document', 'other']),
  url: z
    .url({ protocol: /^https?$/, error: 'expected an https: link' })
    .max(EVIDENCE_URL_MAX, `at most ${EVIDENCE_URL_MAX} characters: a link to the file, not the file`),
  note: z.string().max(EVIDENCE_NOTE_MAX).default(''),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const OrderItem = z.object({
  sku: z.string(),
  name: z.string().optional(),
  quantity: z.number().int().positive(),
  priceFen: z.number().int().nonnegative(),
  /**
   * docs/domain.md §7.8: the goods carry the 7-day no-reason return (the label their product page
   * shows; custom-made, perishable or opened digital goods do not). Absent: they do not.
   */
  sevenDayReturn: z.boolean().optional(),
});

/** How the order was paid: a refund goes back the same way, and arrives when that way says (docs/domain.md §7.2). */
export const PaymentMethod = z.enum(['wallet', 'alipay', 'wechat_pay', 'bank_card', 'credit_card']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** An order as the order service knows it; amounts come from here, never from the caller. */
export const Order = z.object({
  orderId: z.string(),
  customerId: z.string(),
  merchantId: z.string(),
  amountPaidFen: z.number().int().nonnegative(),
  items: z.array(OrderItem),
  paidAt: z.string(),
  /** Order services that do not say leave the customer with the usual 1–3 working days. */
  paymentMethod: PaymentMethod.optional(),
  carrier: z.string().optional(),
  waybillNo: z.string().optional(),
  /** When the customer signed for the goods (docs/domain.md §7.8: the 7-day no-reason return counts from here); absent while not delivered. */
  deliveredAt: z.string().optional(),
});
export type Order = z.infer<typeof Order>;

/**
 * docs/domain.md §7.9: what a merchant may offer the customer to choose from: the goods back for a
 * refund, an exchange, a repair, or keeping the goods with a compensation.
 */
export const ChoiceOption = z.enum(['return', 'exchange', 'repair', 'keep_with_compensation']);
export type ChoiceOption = z.infer<typeof ChoiceOption>;
