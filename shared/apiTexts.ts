import { EVIDENCE_NOTE_MAX, TESTING_LAB_MAX } from './domain';
import { IDENTIFIER_MAX } from './identity';
import {
  APOLOGY_MAX,
  CARRIER_EVENT_MAX,
  FIRST_RESPONSE_MAX,
  MERCHANT_NOTICE_TEXT_MAX,
  MESSAGE_TEXT_MAX,
  PROVIDER_ID_MAX,
  REFUND_REASON_MAX,
  SMS_TO_MAX,
  STAFF_NOTICE_TEXT_MAX,
} from './providers';

/**
 * Every text a caller writes into a case through the API (opening it, acting on it, a carrier's
 * event), how long it may be, and each outside system's field it reaches on its way. A text that
 * reaches a provider takes its limit from that provider's field, so the API refuses (400, naming the
 * field) what the provider would refuse later, when the case has already moved on; a text the way
 * shortens says so. A text that reaches no provider stays on the case, its timeline and staff screens.
 * The API's schemas read the limits of free text here (shared/commands.ts, shared/intake.ts); ids and
 * phone numbers keep their patterns (shared/identity.ts, shared/intake.ts). test/shared/apiTexts.test.ts
 * holds the API to every limit here and walks each text into each field it reaches.
 */

/** A provider's field a text reaches: `whole`, within the field's limit; `cut`, shortened on the way. */
export interface ProviderField {
  /** Provider, and the field as shared/providers.ts names it. */
  field: string;
  fits: 'whole' | 'cut';
  /** How the text stands in the field, when not alone. */
  within?: string;
}

export interface ApiText {
  max: number;
  reaches: readonly ProviderField[];
}

/**
 * Room the merchant's copy of a complaint keeps before the description for its heading
 * ("Complaint <case id> about order <order id> (<sub-type>): ", at most 268 characters).
 */
const COPY_HEADING_ROOM = 400;

/** Customer and order ids make the case id every provider is sent (`cmp.<customer>.<order>.<sub-type>[.<n>]`, at most 156). */
const CASE_ID: ProviderField = {
  field: `every provider: complaintId (at most ${PROVIDER_ID_MAX})`,
  fits: 'whole',
  within: 'the case id',
};

export const API_TEXTS = {
  'POST /v1/complaints customer.id': {
    max: IDENTIFIER_MAX,
    reaches: [CASE_ID, { field: 'payments: coupon customerId', fits: 'whole' }],
  },
  'POST /v1/complaints customer.name': { max: 100, reaches: [] },
  'POST /v1/complaints customer.phone': {
    max: 17,
    reaches: [{ field: `sms: to (at most ${SMS_TO_MAX})`, fits: 'whole' }],
  },
  'POST /v1/complaints order.orderId': {
    max: IDENTIFIER_MAX,
    reaches: [
      CASE_ID,
      { field: 'payments: refund orderId', fits: 'whole' },
      { field: 'merchants: notice text', fits: 'whole', within: 'the complaint copy and the execution requests' },
    ],
  },
  'POST /v1/complaints order.merchantId': {
    max: IDENTIFIER_MAX,
    reaches: [{ field: 'merchants: notice merchantId', fits: 'whole' }],
  },
  'POST /v1/complaints order.sku': {
    max: IDENTIFIER_MAX,
    reaches: [{ field: 'merchants: notice text', fits: 'whole', within: 'the replacement request' }],
  },
  'POST /v1/complaints description': {
    max: MERCHANT_NOTICE_TEXT_MAX - COPY_HEADING_ROOM,
    reaches: [
      {
        field: `merchants: notice text (at most ${MERCHANT_NOTICE_TEXT_MAX})`,
        fits: 'whole',
        within: 'the complaint copy, after its heading',
      },
    ],
  },
  'POST /v1/complaints priorityReason': { max: 500, reaches: [] },
  'POST /v1/complaints evidence[].note': { max: EVIDENCE_NOTE_MAX, reaches: [] },
  'POST /v1/complaints/:id/assign agentId': {
    max: IDENTIFIER_MAX,
    reaches: [
      { field: 'sms: staff notice recipient', fits: 'whole', within: "the owner's alerts" },
      { field: 'sms: solution dedicatedAgent', fits: 'whole', within: 'a dedicated agent granted without naming one' },
    ],
  },
  'POST /v1/complaints/:id/first-response message': {
    max: FIRST_RESPONSE_MAX,
    reaches: [
      {
        field: 'sms: first_response message, and the text',
        fits: 'whole',
        within: 'one SMS beside the longest case id',
      },
    ],
  },
  'POST /v1/complaints/:id/evidence items[].note': { max: EVIDENCE_NOTE_MAX, reaches: [] },
  'POST /v1/complaints/:id/merchant-reply message': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/merchant-reply proposal': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/investigation/extend reason': {
    max: MESSAGE_TEXT_MAX,
    reaches: [
      {
        field: `sms: extension_notice reason (at most ${MESSAGE_TEXT_MAX})`,
        fits: 'cut',
        within: 'the text: its first 100 characters, so the notice fits one SMS',
      },
    ],
  },
  'POST /v1/complaints/:id/investigation/brief findings': { max: 5000, reaches: [] },
  'POST /v1/complaints/:id/resolution note': {
    max: REFUND_REASON_MAX,
    reaches: [
      {
        field: `payments: refund reason (at most ${REFUND_REASON_MAX})`,
        fits: 'whole',
        within: 'a refund, partial refund or compensation',
      },
    ],
  },
  'POST /v1/complaints/:id/resolution apology': {
    max: APOLOGY_MAX,
    reaches: [
      { field: 'sms: apology words, and the text', fits: 'whole', within: 'one SMS beside the longest case id' },
    ],
  },
  'POST /v1/complaints/:id/resolution dedicatedAgentId': {
    max: IDENTIFIER_MAX,
    reaches: [{ field: 'sms: solution dedicatedAgent', fits: 'whole', within: 'one SMS beside the longest case id' }],
  },
  'POST /v1/complaints/:id/resolution testingLab': {
    max: TESTING_LAB_MAX,
    reaches: [
      { field: 'sms: testing_arranged lab', fits: 'whole', within: 'one SMS beside the longest case id' },
      { field: 'sms: testing_defect_confirmed lab', fits: 'whole', within: 'one SMS beside the longest case id' },
      { field: 'sms: solution testingLab', fits: 'whole', within: 'one SMS beside the longest case id' },
      { field: 'merchants: notice text', fits: 'whole', within: 'the testing request' },
    ],
  },
  'POST /v1/complaints/:id/approval reason': {
    max: 1000,
    reaches: [
      {
        field: `sms: staff notice text (at most ${STAFF_NOTICE_TEXT_MAX})`,
        fits: 'whole',
        within: 'the rejection alert to the owner, after the case id',
      },
    ],
  },
  'POST /v1/complaints/:id/return-shipment carrier': {
    max: IDENTIFIER_MAX,
    reaches: [{ field: 'merchants: notice text', fits: 'whole', within: 'the return notice' }],
  },
  'POST /v1/complaints/:id/return-shipment waybillNo': {
    max: IDENTIFIER_MAX,
    reaches: [{ field: 'merchants: notice text', fits: 'whole', within: 'the return notice' }],
  },
  'POST /v1/complaints/:id/return-received note': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/repair-completed note': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/testing-result note': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/customer-response reason': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/satisfaction comment': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/classification reason': { max: 500, reaches: [] },
  'POST /v1/complaints/:id/priority reason': { max: 500, reaches: [] },
  'POST /v1/complaints/:id/upset reason': { max: 500, reaches: [] },
  'POST /v1/complaints/:id/steps/cancel reason': { max: 500, reaches: [] },
  'POST /v1/complaints/:id/findings text': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/phone-callback notes': { max: 2000, reaches: [] },
  'POST /v1/complaints/:id/phone-callback suggestion': {
    max: 1000,
    reaches: [
      {
        field: `sms: staff notice text (at most ${STAFF_NOTICE_TEXT_MAX})`,
        fits: 'whole',
        within: "the department's notice of the suggestion, after the case id",
      },
    ],
  },
  'POST /v1/carrier-events eventId': { max: CARRIER_EVENT_MAX.eventId, reaches: [] },
  'POST /v1/carrier-events waybillNo': {
    max: CARRIER_EVENT_MAX.waybillNo,
    reaches: [{ field: 'sms: delivery_delayed waybillNo', fits: 'whole' }],
  },
  'POST /v1/carrier-events location': { max: CARRIER_EVENT_MAX.location, reaches: [] },
  'POST /v1/carrier-events note': { max: CARRIER_EVENT_MAX.note, reaches: [] },
} as const satisfies Record<string, ApiText>;

export type ApiTextKey = keyof typeof API_TEXTS;

/** The longest text the API takes for one field of one route. */
export const apiTextMax = (key: ApiTextKey): number => API_TEXTS[key].max;
