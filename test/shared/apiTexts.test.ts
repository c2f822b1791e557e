import type { z } from 'zod';
import { ACTIONS } from '../../api/actions';
import { OpenComplaintRequest } from '../../api/schemas';
import { renderCustomerMessage } from '../../activities/notifications';
import { API_TEXTS, type ApiTextKey } from '../../shared/apiTexts';
import type { CustomerLocale } from '../../shared/domain';
import { complaintWorkflowId } from '../../shared/identity';
import {
  CarrierEventV1,
  CouponRequest,
  CustomerMessage,
  MerchantNoticeRequest,
  RefundRequest,
  SmsRequest,
  StaffNotice,
  type CustomerMessageInput,
} from '../../shared/providers';

/**
 * Every text a caller writes into a case reaches the outside systems only in a form they take: the
 * longest text the API accepts, walked into each provider field it reaches as the workflow sends it,
 * passes that provider's own schema. A provider refusing what the API accepted answered 200 and then
 * failed the case (a refund that never pays, an extension silently reverted, a merchant never copied).
 */

/** The bodies a case is opened and acted on with, by route. */
const BODIES: Array<[string, z.ZodType]> = [
  ['POST /v1/complaints', OpenComplaintRequest],
  ...ACTIONS.map((a): [string, z.ZodType] => [a.operation, a.body]),
  ['POST /v1/carrier-events', CarrierEventV1],
];

interface Def {
  type: string;
  format?: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
}
const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;

/** The string fields of a body, by path (`items[].note`): free text and ids; URLs, times and enums are not texts. */
function texts(schema: z.ZodType, path = ''): Array<[string, z.ZodType]> {
  const def = defOf(schema);
  if (def.type === 'object') {
    const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
    return Object.entries(shape).flatMap(([k, v]) => texts(v, path ? `${path}.${k}` : k));
  }
  if (def.type === 'array' && def.element) return texts(def.element, `${path}[]`);
  if (def.innerType) return texts(def.innerType, path);
  if (def.type === 'pipe' && def.in) return texts(def.in, path);
  return def.type === 'string' && !def.format ? [[path, schema]] : [];
}

const FIELDS = new Map(
  BODIES.flatMap(([route, body]) => texts(body).map(([path, leaf]): [string, z.ZodType] => [`${route} ${path}`, leaf])),
);

/** A text of `n` characters the field takes when short enough: digits for a phone number, letters for the rest. */
const sample = (key: string, n: number) => (key.endsWith('customer.phone') ? `+${'8'.repeat(n - 1)}` : 'a'.repeat(n));

/** The longest text a field of the API accepts, found by asking it (not read from the table). */
function longestAccepted(key: string): number {
  const leaf = FIELDS.get(key);
  if (!leaf) throw new Error(`${key}: no such field in the API's bodies`);
  const accepts = (n: number) => leaf.safeParse(sample(key, n)).success;
  let lo = key.endsWith('customer.phone') ? 7 : 1;
  let hi = 100_000;
  if (!accepts(lo) || accepts(hi)) throw new Error(`${key}: takes no text of ${lo} characters, or one of ${hi}`);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (accepts(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

describe('the table of API texts', () => {
  it('names every text the API takes into a case, and nothing else', () => {
    expect(Object.keys(API_TEXTS).sort()).toEqual([...FIELDS.keys()].sort());
  });

  it.each(Object.keys(API_TEXTS) as ApiTextKey[])(
    '%s: the API takes as much as the table says, and refuses more',
    (key) => {
      expect(longestAccepted(key)).toBe(API_TEXTS[key].max);
    },
  );
});

// The longest of everything beside the text walked: ids of 64 characters, the longest sub-type, a repeat.
const CUSTOMER = 'c'.repeat(64);
const ORDER = 'o'.repeat(64);
const MERCHANT = 'm'.repeat(64);
const SUB_TYPE = 'compensation_dispute';
const CASE = complaintWorkflowId(CUSTOMER, ORDER, SUB_TYPE, 99);
const TIME = '2026-12-28T14:59:00Z';
const LOCALES: CustomerLocale[] = ['zh-CN', 'en'];

/** A customer message as the SMS gateway receives it, in each language. */
function sms(to: string, message: Pick<CustomerMessageInput, 'template' | 'vars'>): string[] {
  return LOCALES.map((locale) => {
    const parsed = CustomerMessage.parse({ complaintId: CASE, to, channel: 'sms', locale, ...message });
    const text = renderCustomerMessage(parsed);
    SmsRequest.parse({ to, complaintId: CASE, template: message.template, text, channel: 'sms' });
    return text;
  });
}

const refund = (over: Partial<z.input<typeof RefundRequest>>) =>
  RefundRequest.parse({ complaintId: CASE, orderId: ORDER, amountFen: 100, kind: 'refund', reason: 'refund', ...over });
const notice = (over: Partial<z.input<typeof MerchantNoticeRequest>>) =>
  MerchantNoticeRequest.parse({
    merchantId: MERCHANT,
    complaintId: CASE,
    kind: 'complaint_copy',
    text: 'notice',
    ...over,
  });
const staff = (over: Partial<z.input<typeof StaffNotice>>) =>
  StaffNotice.parse({ complaintId: CASE, recipient: 'agent-7', event: 'proposal_rejected', text: 'alert', ...over });
const LONGEST_DESCRIPTION = 'a'.repeat(API_TEXTS['POST /v1/complaints description'].max);
/** The merchant's copy, as the workflow writes it. */
const copy = (description: string, orderId = ORDER) =>
  `Complaint ${CASE} about order ${orderId} (${SUB_TYPE}): ${description}`;

/** docs/domain.md §7.1: the solution message names the dedicated agent whole (the one proposed, else the owner). */
function dedicatedAgentNamed(agent: string): void {
  const vars = { resolution: 'dedicated_agent', dedicatedAgent: agent, executeBy: TIME, objectionUntil: TIME } as const;
  for (const text of sms('+8613800000000', { template: 'solution', vars })) expect(text).toContain(agent);
}

/**
 * How each text reaches each provider field, as the workflow sends it (workflows/stages.ts, actions.ts,
 * execution.ts, carrierEvents.ts): each walk parses the provider's request with the provider's schema.
 */
const WALKS: Record<string, (text: string) => void> = {
  'POST /v1/complaints customer.id → every provider: complaintId (at most 200)': (t) =>
    refund({ complaintId: complaintWorkflowId(t, ORDER, SUB_TYPE, 99) }),
  'POST /v1/complaints customer.id → payments: coupon customerId': (t) =>
    CouponRequest.parse({ complaintId: CASE, customerId: t, amountFen: 500, validDays: 7 }),
  'POST /v1/complaints customer.phone → sms: to (at most 100)': (t) =>
    sms(t, { template: 'case_closed', vars: { reason: 'resolved' } }),
  'POST /v1/complaints order.orderId → every provider: complaintId (at most 200)': (t) =>
    refund({ complaintId: complaintWorkflowId(CUSTOMER, t, SUB_TYPE, 99) }),
  'POST /v1/complaints order.orderId → payments: refund orderId': (t) => refund({ orderId: t }),
  'POST /v1/complaints order.orderId → merchants: notice text': (t) => {
    notice({ text: copy(LONGEST_DESCRIPTION, t) });
    notice({ kind: 'ship_replacement', text: `Ship a replacement for order ${t} (${'s'.repeat(64)})` });
  },
  'POST /v1/complaints order.merchantId → merchants: notice merchantId': (t) => notice({ merchantId: t }),
  'POST /v1/complaints order.sku → merchants: notice text': (t) =>
    notice({ kind: 'ship_replacement', text: `Ship a replacement for order ${ORDER} (${t})` }),
  'POST /v1/complaints description → merchants: notice text (at most 4000)': (t) => notice({ text: copy(t) }),
  'POST /v1/complaints/:id/assign agentId → sms: staff notice recipient': (t) =>
    staff({ recipient: t, event: 'extension_failed' }),
  'POST /v1/complaints/:id/assign agentId → sms: solution dedicatedAgent': (t) => dedicatedAgentNamed(t),
  'POST /v1/complaints/:id/first-response message → sms: first_response message, and the text': (t) => {
    for (const text of sms('+8613800000000', { template: 'first_response', vars: { message: t } }))
      expect(text).toContain(t);
  },
  'POST /v1/complaints/:id/investigation/extend reason → sms: extension_notice reason (at most 500)': (t) => {
    // Cut on the way: the notice must still fit one SMS.
    for (const text of sms('+8613800000000', { template: 'extension_notice', vars: { reason: t, newDueAt: TIME } }))
      expect(text).toContain(`${t.slice(0, 99)}…`);
  },
  'POST /v1/complaints/:id/resolution note → payments: refund reason (at most 500)': (t) => refund({ reason: t }),
  'POST /v1/complaints/:id/resolution apology → sms: apology words, and the text': (t) => {
    for (const text of sms('+8613800000000', { template: 'apology', vars: { words: t } })) expect(text).toContain(t);
  },
  'POST /v1/complaints/:id/resolution dedicatedAgentId → sms: solution dedicatedAgent': (t) => dedicatedAgentNamed(t),
  'POST /v1/complaints/:id/resolution testingLab → sms: testing_arranged lab': (t) => {
    for (const text of sms('+8613800000000', { template: 'testing_arranged', vars: { lab: t, resultBy: TIME } }))
      expect(text).toContain(t);
  },
  'POST /v1/complaints/:id/resolution testingLab → sms: testing_defect_confirmed lab': (t) => {
    for (const text of sms('+8613800000000', { template: 'testing_defect_confirmed', vars: { lab: t } }))
      expect(text).toContain(t);
  },
  'POST /v1/complaints/:id/resolution testingLab → sms: solution testingLab': (t) => {
    const vars = { resolution: 'third_party_testing', testingLab: t, executeBy: TIME, objectionUntil: TIME } as const;
    for (const text of sms('+8613800000000', { template: 'solution', vars })) expect(text).toContain(t);
  },
  'POST /v1/complaints/:id/resolution testingLab → merchants: notice text': (t) =>
    notice({
      kind: 'testing_request',
      text: `Joint third-party testing of the item of order ${ORDER} (${'s'.repeat(64)}) at ${t}: provide the goods or samples the lab asks for; its result is due by ${TIME}`,
    }),
  'POST /v1/complaints/:id/phone-callback suggestion → sms: staff notice text (at most 2000)': (t) =>
    staff({ text: `${CASE}: on the phone callback the customer suggested: ${t}` }),
  'POST /v1/complaints/:id/approval reason → sms: staff notice text (at most 2000)': (t) =>
    staff({ text: `${CASE}: proposal rejected: ${t}` }),
  'POST /v1/complaints/:id/return-shipment carrier → merchants: notice text': (t) =>
    notice({ kind: 'return_incoming', text: `Goods of order ${ORDER} are on the way back: ${t} ${'w'.repeat(64)}` }),
  'POST /v1/complaints/:id/return-shipment waybillNo → merchants: notice text': (t) =>
    notice({ kind: 'return_incoming', text: `Goods of order ${ORDER} are on the way back: ${'SF'.repeat(32)} ${t}` }),
  'POST /v1/carrier-events waybillNo → sms: delivery_delayed waybillNo': (t) =>
    sms('+8613800000000', { template: 'delivery_delayed', vars: { waybillNo: t, expectedDeliveryAt: TIME } }),
};

const REACHES = (Object.keys(API_TEXTS) as ApiTextKey[]).flatMap((key) =>
  API_TEXTS[key].reaches.map((r) => ({ key, walk: `${key} → ${r.field}` })),
);

describe('each API text walked into each provider field it reaches', () => {
  it('has a walk for every field the table says a text reaches, and none the table does not name', () => {
    expect(Object.keys(WALKS).sort()).toEqual(REACHES.map((r) => r.walk).sort());
  });

  it.each(REACHES)('$walk: the longest text the API takes passes', ({ key, walk }) => {
    const text = sample(key, longestAccepted(key));
    expect(() => WALKS[walk](text)).not.toThrow();
  });
});
