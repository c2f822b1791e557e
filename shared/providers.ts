import { z } from 'zod';
import {
  Channel,
  ChoiceOption,
  CloseReason,
  CustomerLocale,
  MemberTier,
  Order,
  PaymentMethod,
  ResolutionType,
  Status,
  TESTING_LAB_MAX,
  WARRANTY_MONTHS_MAX,
} from './domain';
import { IDENTIFIER_MAX } from './identity';

/**
 * What we say to and hear from the outside systems (payment gateway, SMS gateway, carrier
 * tracking, merchant portal, order service). The adapters, the sandbox that stands in for those
 * systems and the workflow all read these schemas, so each wire shape is defined here once.
 */

/** Ids every provider takes (complaint, order, customer, merchant ids, waybills, idempotency keys). */
export const PROVIDER_ID_MAX = 200;
const id = z.string().min(1).max(PROVIDER_ID_MAX);
const fen = z.number().int().positive();
const isoTime = z.iso.datetime({ offset: true });

/** A refusal body, `{ code, message }`: how every provider says "no" on business grounds. */
export const ProviderRefusalBody = z.object({ code: z.string(), message: z.string().optional() });

// Payments

export const RefundKind = z.enum(['refund', 'partial_refund', 'compensation']);
export type RefundKind = z.infer<typeof RefundKind>;

/** The gateway's business refusals; each is a non-retryable activity failure of that type. */
export const PaymentRefusal = z.enum(['declined', 'amount_exceeds_paid', 'account_closed', 'unknown_order']);
export type PaymentRefusal = z.infer<typeof PaymentRefusal>;

/** The payment gateway refuses a longer refund reason. */
export const REFUND_REASON_MAX = 500;

export const RefundRequest = z.object({
  complaintId: id,
  orderId: id,
  amountFen: fen,
  kind: RefundKind,
  reason: z.string().min(1).max(REFUND_REASON_MAX),
});
export type RefundRequest = z.infer<typeof RefundRequest>;

export const Refund = RefundRequest.extend({
  refundId: id,
  status: z.literal('succeeded'),
  idempotencyKey: id,
  createdAt: isoTime,
});
export type Refund = z.infer<typeof Refund>;

export const CouponRequest = z.object({
  complaintId: id,
  customerId: id,
  amountFen: fen,
  validDays: z.number().int().positive().max(366),
});
export type CouponRequest = z.infer<typeof CouponRequest>;

export const Coupon = CouponRequest.extend({
  couponId: id,
  status: z.enum(['active', 'revoked']),
  idempotencyKey: id,
  createdAt: isoTime,
  expiresAt: isoTime,
  revokedAt: isoTime.optional(),
});
export type Coupon = z.infer<typeof Coupon>;

// SMS

/**
 * The longest text a customer SMS may carry. Mainland gateways count every character as one
 * (Chinese or Latin; an emoji, a UTF-16 surrogate pair, as two), split a long message into parts
 * of 67 and refuse more than 500 characters, the sender signature 【…】 they prepend included:
 * 480 leaves it room.
 */
export const SMS_MAX_TEXT = 480;

/** The longest recipient the SMS gateway takes: a mobile number, a WeChat id, an e-mail address. */
export const SMS_TO_MAX = 100;

/** `template` is the gateway's template id: a customer MessageTemplate, or `staff:<event>`. */
const SmsFields = z.object({
  to: z.string().min(1).max(SMS_TO_MAX),
  complaintId: id,
  template: z.string().min(1).max(100),
  text: z.string().min(1).max(2000),
  /** The intake channel the answer belongs to (docs/domain.md §1.1: reply on the same channel). */
  channel: Channel.optional(),
});

// Staff alerts reach an internal pager, not a customer's handset, so only customer texts are capped.
export const SmsRequest = SmsFields.refine((m) => m.template.startsWith('staff:') || m.text.length <= SMS_MAX_TEXT, {
  message: `a customer SMS carries at most ${SMS_MAX_TEXT} characters`,
  path: ['text'],
});
export type SmsRequest = z.infer<typeof SmsRequest>;

// Not refined: what a gateway already accepted stays readable, whatever the cap is now.
export const SmsMessage = SmsFields.extend({ messageId: id, idempotencyKey: id.optional(), sentAt: isoTime });
export type SmsMessage = z.infer<typeof SmsMessage>;

// Carriers

/** What a carrier reports, plus `unknown` for a waybill the carrier does not know. */
export const WaybillStatus = z.enum(['in_transit', 'delivered', 'lost', 'returned', 'exception', 'unknown']);
export type WaybillStatus = z.infer<typeof WaybillStatus>;
export const CarrierStatus = WaybillStatus.exclude(['unknown']);

export const WaybillEvent = z.object({
  at: isoTime,
  /** The carrier's own event code (picked_up, out_for_delivery, …); carriers differ too much to enumerate. */
  status: z.string().min(1).max(100),
  location: z.string().max(200).optional(),
  note: z.string().max(500).optional(),
});
export type WaybillEvent = z.infer<typeof WaybillEvent>;

export const WaybillTrail = z.object({
  carrier: id,
  waybillNo: id,
  status: WaybillStatus,
  events: z.array(WaybillEvent),
  signedBy: z.string().max(100).optional(),
});
export type WaybillTrail = z.infer<typeof WaybillTrail>;

/**
 * One event a carrier pushes to `POST /v1/carrier-events` (docs/domain.md §6.1), signed with its secret
 * (api/carrierEvents.ts). `delayed` and `exception` are the ones a complaint acts on.
 */
export const CarrierEventStatus = z.enum([
  'picked_up',
  'in_transit',
  'delayed',
  'out_for_delivery',
  'delivered',
  'exception',
  'lost',
  'returned',
]);
export type CarrierEventStatus = z.infer<typeof CarrierEventStatus>;
/** How long each text of a carrier's event may be (shared/apiTexts.ts says where each goes). */
export const CARRIER_EVENT_MAX = { eventId: 100, waybillNo: 64, location: 200, note: 500 } as const;
export const CarrierEventV1 = z.object({
  /** The carrier's own id of this event: one event is accepted once. */
  eventId: z
    .string()
    .regex(
      new RegExp(`^[A-Za-z0-9_.:-]{1,${CARRIER_EVENT_MAX.eventId}}$`),
      `letters, digits and _ . : - only, at most ${CARRIER_EVENT_MAX.eventId}`,
    ),
  waybillNo: z
    .string()
    .regex(
      new RegExp(`^[A-Za-z0-9_-]{1,${CARRIER_EVENT_MAX.waybillNo}}$`),
      `letters, digits, _ and - only, at most ${CARRIER_EVENT_MAX.waybillNo}`,
    ),
  status: CarrierEventStatus,
  at: isoTime,
  /** Where it happened, as the carrier says it (a depot, a city). */
  location: z.string().max(CARRIER_EVENT_MAX.location).optional(),
  note: z.string().max(CARRIER_EVENT_MAX.note).optional(),
  /** For a delay: when the carrier now expects to deliver. */
  expectedDeliveryAt: isoTime.optional(),
});
export type CarrierEventV1 = z.infer<typeof CarrierEventV1>;

/** The body of a carrier's `POST /carriers/:carrier/waybills/:waybillNo/expedite` (after-sales regulation: ask the carrier to hurry a delayed parcel). */
export const ExpediteRequest = z.object({ complaintId: id, reason: z.string().min(1).max(500) });
export const ExpediteReceipt = ExpediteRequest.extend({
  requestId: id,
  carrier: id,
  waybillNo: id,
  idempotencyKey: id.optional(),
  at: isoTime,
});
export type ExpediteReceipt = z.infer<typeof ExpediteReceipt>;

/** A trail as a carrier (or a test) records it: never `unknown`. */
export const WaybillRecord = WaybillTrail.omit({ carrier: true, waybillNo: true }).extend({ status: CarrierStatus });
export type WaybillRecord = z.infer<typeof WaybillRecord>;

// Merchants

export const MerchantNoticeKind = z.enum([
  'complaint_copy',
  'reminder',
  'escalation',
  'ship_replacement',
  'repair_request',
  'resend_parts',
  'return_incoming',
  /** docs/domain.md §7.1 goodwill: extend the warranty of the order's item. */
  'extend_warranty',
  /** docs/domain.md §8.6: the lab the parties agreed on tests the goods; the merchant takes part. */
  'testing_request',
  /** docs/domain.md §11.6: the month's high-frequency problems of the merchant's cases. */
  'monthly_summary',
]);
export type MerchantNoticeKind = z.infer<typeof MerchantNoticeKind>;

/** The merchant portal refuses a longer notice. */
export const MERCHANT_NOTICE_TEXT_MAX = 4000;

export const MerchantNoticeRequest = z.object({
  merchantId: id,
  complaintId: id,
  kind: MerchantNoticeKind,
  text: z.string().min(1).max(MERCHANT_NOTICE_TEXT_MAX),
});
export type MerchantNoticeRequest = z.infer<typeof MerchantNoticeRequest>;

export const MerchantNotice = MerchantNoticeRequest.extend({
  noticeId: id,
  idempotencyKey: id.optional(),
  sentAt: isoTime,
});
export type MerchantNotice = z.infer<typeof MerchantNotice>;

// Customer directory

/** The body of the sandbox's `PUT /customers/:id`; an unknown customer reads as the defaults. */
export const CustomerRecord = z.object({
  name: z.string().min(1).max(100).optional(),
  /** Where customer messages go: the directory's number, never one a caller typed. */
  phone: z
    .string()
    .regex(/^\+?[0-9]{6,16}$/)
    .optional(),
  tier: MemberTier.default('regular'),
  locale: CustomerLocale.default('zh-CN'),
});
export const DirectoryCustomer = CustomerRecord.extend({ customerId: id });
export type DirectoryCustomer = z.infer<typeof DirectoryCustomer>;

// Orders

/**
 * The body of the sandbox's `PUT /orders/:orderId`: an order without its id, and when its goods came
 * back (the order service records returns; intake never reads it).
 */
export const OrderRecord = Order.omit({ orderId: true }).extend({ returnedAt: isoTime.optional() });
export type OrderRecord = z.infer<typeof OrderRecord>;
/** An order as the order service keeps it. */
export const StoredOrder = OrderRecord.extend({ orderId: id });
export type StoredOrder = z.infer<typeof StoredOrder>;

/**
 * The order service's figures per merchant over `[from, to)` (docs/domain.md §11.6): orders paid in
 * the period and orders whose goods came back in it. Merchants with neither are left out.
 */
export const MerchantOrderFigures = z.object({
  from: isoTime,
  to: isoTime,
  merchants: z.array(
    z.object({ merchantId: id, orders: z.number().int().nonnegative(), returns: z.number().int().nonnegative() }),
  ),
});
export type MerchantOrderFigures = z.infer<typeof MerchantOrderFigures>;

// Customer messages (docs/domain.md §3, §5, §8, §9): one template per event, each with its own variables.

export const MessageTemplate = z.enum([
  'acknowledgement',
  'off_hours_reply',
  'first_response',
  'progress_update',
  'extension_notice',
  'evidence_request',
  'solution',
  'step_failed',
  'return_instructions',
  'delivery_delayed',
  'satisfaction_callback',
  'case_closed',
  'choice_offered',
  'trust_notice',
  'apology',
  'testing_arranged',
  'testing_defect_confirmed',
]);
export type MessageTemplate = z.infer<typeof MessageTemplate>;

/** The longest free text a message variable takes; the template cuts it further to fit one SMS. */
export const MESSAGE_TEXT_MAX = 500;
const text = z.string().min(1).max(MESSAGE_TEXT_MAX);

/**
 * The longest first answer an agent may write (`POST /v1/complaints/:id/first-response`): it goes to the
 * customer whole, in one SMS beside the longest complaint number.
 */
export const FIRST_RESPONSE_MAX = 280;
/** The longest apology staff may write (a proposal's `apology`): sent whole, in one SMS beside the longest complaint number. */
export const APOLOGY_MAX = 260;
/** Up to 10 million CNY: more than any one case pays, and a bound the SMS length check can rely on. */
const amount = fen.max(1_000_000_000);
const RESOLUTIONS_WITH_AMOUNT: readonly ResolutionType[] = ['refund', 'partial_refund', 'compensation', 'coupon'];

/** The variables each template needs; times are ISO-8601 with offset, money in fen. */
export const MessageVars = {
  acknowledgement: z.object({
    /** When the first answer is due; without it the text promises one "within N working days". */
    expectedBy: isoTime.optional(),
    firstAnswerWorkingDays: z.number().int().positive().max(30).default(1),
    /** The assigned contact: an agent's name; without it, the service desk in the customer's language. */
    contact: text.optional(),
  }),
  off_hours_reply: z.object({ dueAt: isoTime }),
  /** docs/domain.md §3: the first human answer, as the agent wrote it. */
  first_response: z.object({ message: z.string().min(1).max(FIRST_RESPONSE_MAX) }),
  progress_update: z
    .object({
      /** Where the case stands, said for the customer; without it the status is put into words. */
      progress: text.optional(),
      status: Status.optional(),
      nextUpdateBy: isoTime.optional(),
    })
    .refine((v) => v.progress !== undefined || v.status !== undefined, {
      message: 'progress or status is required',
      path: ['progress'],
    }),
  extension_notice: z.object({ reason: text, newDueAt: isoTime }),
  /** Without `items`, the usual ones (photos or video of the problem, an order screenshot) in the customer's language. */
  evidence_request: z.object({ items: z.array(text).min(1).max(10).optional(), dueAt: isoTime.optional() }),
  solution: z
    .object({
      resolution: ResolutionType,
      amountFen: amount.optional(),
      executeBy: isoTime,
      /** How the customer follows the execution, e.g. "under My complaints in the app". */
      followUp: text.optional(),
      objectionUntil: isoTime,
      /** Where a refund goes back to and the published working days it takes; without it the usual 1–3. */
      arrival: z
        .object({
          method: PaymentMethod,
          minWorkingDays: z.number().int().min(0),
          maxWorkingDays: z.number().int().min(0),
        })
        .optional(),
      /** False until approval and verification are done: the text then says "subject to verification". */
      final: z.boolean().default(false),
      /** docs/domain.md §7.1: an extended warranty's months. */
      warrantyMonths: z.number().int().min(1).max(WARRANTY_MONTHS_MAX).optional(),
      /** docs/domain.md §7.1: the customer's dedicated agent, as the customer may reach them. */
      dedicatedAgent: z.string().min(1).max(IDENTIFIER_MAX).optional(),
      /** docs/domain.md §8.6: the lab whose test found no defect (the solution is that result). */
      testingLab: z.string().min(1).max(TESTING_LAB_MAX).optional(),
    })
    .refine((v) => !RESOLUTIONS_WITH_AMOUNT.includes(v.resolution) || v.amountFen !== undefined, {
      message: 'amountFen is required for a refund, compensation or coupon',
      path: ['amountFen'],
    })
    .refine((v) => v.resolution !== 'extended_warranty' || v.warrantyMonths !== undefined, {
      message: 'warrantyMonths is required for an extended warranty',
      path: ['warrantyMonths'],
    })
    .refine((v) => v.resolution !== 'dedicated_agent' || v.dedicatedAgent !== undefined, {
      message: 'dedicatedAgent is required for a dedicated agent',
      path: ['dedicatedAgent'],
    })
    .refine((v) => v.resolution !== 'third_party_testing' || v.testingLab !== undefined, {
      message: 'testingLab is required for a third-party test',
      path: ['testingLab'],
    }),
  step_failed: z.object({
    /** An execution step's name (refund, return_inspection, …), said in the customer's language; other text as given. */
    step: text,
    /** Said to the customer when given; the workflow leaves out provider errors, which are not theirs to read. */
    reason: text.optional(),
    nextAction: text.optional(),
    goodwillCouponFen: amount.optional(),
  }),
  /** docs/domain.md §8.2 return / exchange: the customer ships the goods back, and says with which waybill. */
  return_instructions: z.object({ shipBy: isoTime }),
  /** A delay the carrier reported: we asked it to hurry; its new estimate when it gave one. */
  delivery_delayed: z.object({
    waybillNo: z.string().min(1).max(CARRIER_EVENT_MAX.waybillNo),
    expectedDeliveryAt: isoTime.optional(),
  }),
  satisfaction_callback: z.object({ answerBy: isoTime.optional() }),
  case_closed: z.object({ reason: CloseReason }),
  /** docs/domain.md §7.9: the merchant's options, to choose among in the app by `chooseBy` (sent again as the half-way reminder). */
  choice_offered: z.object({
    options: z
      .array(z.object({ option: ChoiceOption, compensationFen: amount.optional() }))
      .min(1)
      .max(ChoiceOption.options.length),
    chooseBy: isoTime,
  }),
  /** docs/domain.md §9.6: the root cause of the complaint was fixed; what changed, in staff's words, and the goodwill coupon given. */
  trust_notice: z.object({
    whatChanged: text,
    couponFen: amount.optional(),
    validDays: z.number().int().min(1).max(365).optional(),
  }),
  /** docs/domain.md §7.1: the approved apology, in the words staff wrote (sent whole); without them, the formal apology in the customer's language. */
  apology: z.object({ words: z.string().min(1).max(APOLOGY_MAX).optional() }),
  /** docs/domain.md §8.6: the lab the parties agreed on tests the goods; its result is due by `resultBy`. */
  testing_arranged: z.object({ lab: z.string().min(1).max(TESTING_LAB_MAX), resultBy: isoTime }),
  /** docs/domain.md §8.6: the lab confirmed the defect; a new solution follows. */
  testing_defect_confirmed: z.object({ lab: z.string().min(1).max(TESTING_LAB_MAX) }),
} as const satisfies Record<MessageTemplate, z.ZodObject>;

const messageBase = {
  complaintId: id,
  /** The customer's contact on the intake channel (mobile number, WeChat id, e-mail). */
  to: z.string().min(1).max(100),
  channel: Channel,
  /** Older cases recorded no language; they are mainland customers like the rest (docs/domain.md §10.5). */
  locale: CustomerLocale.default('zh-CN'),
  /** Zone in which times are written for the customer. */
  timeZone: z.string().default('Asia/Shanghai'),
};

export const CustomerMessage = z.discriminatedUnion('template', [
  z.object({ ...messageBase, template: z.literal('acknowledgement'), vars: MessageVars.acknowledgement }),
  z.object({ ...messageBase, template: z.literal('off_hours_reply'), vars: MessageVars.off_hours_reply }),
  z.object({ ...messageBase, template: z.literal('first_response'), vars: MessageVars.first_response }),
  z.object({ ...messageBase, template: z.literal('progress_update'), vars: MessageVars.progress_update }),
  z.object({ ...messageBase, template: z.literal('extension_notice'), vars: MessageVars.extension_notice }),
  z.object({ ...messageBase, template: z.literal('evidence_request'), vars: MessageVars.evidence_request }),
  z.object({ ...messageBase, template: z.literal('solution'), vars: MessageVars.solution }),
  z.object({ ...messageBase, template: z.literal('step_failed'), vars: MessageVars.step_failed }),
  z.object({ ...messageBase, template: z.literal('return_instructions'), vars: MessageVars.return_instructions }),
  z.object({ ...messageBase, template: z.literal('delivery_delayed'), vars: MessageVars.delivery_delayed }),
  z.object({ ...messageBase, template: z.literal('satisfaction_callback'), vars: MessageVars.satisfaction_callback }),
  z.object({ ...messageBase, template: z.literal('case_closed'), vars: MessageVars.case_closed }),
  z.object({ ...messageBase, template: z.literal('choice_offered'), vars: MessageVars.choice_offered }),
  z.object({ ...messageBase, template: z.literal('trust_notice'), vars: MessageVars.trust_notice }),
  z.object({ ...messageBase, template: z.literal('apology'), vars: MessageVars.apology }),
  z.object({ ...messageBase, template: z.literal('testing_arranged'), vars: MessageVars.testing_arranged }),
  z.object({
    ...messageBase,
    template: z.literal('testing_defect_confirmed'),
    vars: MessageVars.testing_defect_confirmed,
  }),
]);
/** What a workflow passes to `sendCustomerMessage` (defaults may be left out). */
export type CustomerMessageInput = z.input<typeof CustomerMessage>;
export type CustomerMessage = z.output<typeof CustomerMessage>;

/** The longest staff alert: it reaches an internal pager, not a customer's handset. */
export const STAFF_NOTICE_TEXT_MAX = 2000;

/** An SMS to staff (escalations): `recipient` is a staff id or a role name such as `supervisor`. */
export const StaffNotice = z.object({
  complaintId: id,
  recipient: id,
  event: id,
  text: z.string().min(1).max(STAFF_NOTICE_TEXT_MAX),
});
export type StaffNotice = z.infer<typeof StaffNotice>;
