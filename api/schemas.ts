import { z } from 'zod';
import { apiTextMax } from '../shared/apiTexts';
import { CaseViewV1, CustomerChoiceStateV1 } from '../shared/caseView';
import { categoryOfSubType } from '../shared/classification';
import { Category, EscalationLevel, Priority, Status } from '../shared/domain';
import { CASE_ID_PATTERN, CASE_ID_RULE, IDENTIFIER_PATTERN, IDENTIFIER_RULE } from '../shared/identity';
import { OpenComplaintV1 } from '../shared/intake';
import { decodeCursor } from '../store/cases';

/** The API's own request and response shapes, around the domain schemas of shared/. */

/**
 * Ids of people, orders, merchants and products: a documented character set (shared/identity.ts), so
 * a case id built from them is unambiguous and every id is safe in a path, a log line and a query.
 */
export const Identifier = z.string().regex(IDENTIFIER_PATTERN, `must be ${IDENTIFIER_RULE}`).describe(IDENTIFIER_RULE);

export const ComplaintParams = z.object({
  id: z
    .string()
    .regex(CASE_ID_PATTERN, `must be ${CASE_ID_RULE}`)
    .describe(`the complaint id (= its workflow id): ${CASE_ID_RULE}`),
});

const customer = OpenComplaintV1.shape.customer;
const order = OpenComplaintV1.shape.order;

/**
 * The body of `POST /v1/complaints`. A category given by the caller must own the sub-type, or the
 * case would be filed under the wrong desk. Staff set a priority with its reason; from a
 * customer's own token both are ignored (docs/domain.md §2.3), so the reason is required in intake, which knows
 * the caller (api/intake.ts), not here.
 */
export const OpenComplaintRequest = OpenComplaintV1.extend({
  customer: customer.extend({
    id: Identifier,
    memberTier: customer.shape.memberTier.describe('ignored: the tier comes from the customer directory'),
    // Messages go to the contact the directory holds: a typed number would let anyone text anyone.
    phone: customer.shape.phone
      .optional()
      .describe('ignored: customer messages go to the phone the customer directory holds'),
  }),
  order: order.extend({ orderId: Identifier, merchantId: Identifier, sku: Identifier }),
  priority: OpenComplaintV1.shape.priority.describe(
    "staff only, with priorityReason; ignored from a customer's own token (rules decide)",
  ),
  priorityReason: z
    .string()
    .trim()
    .min(1)
    .max(apiTextMax('POST /v1/complaints priorityReason'))
    .regex(/\S/, 'must not be blank')
    .optional()
    .describe('why staff set the priority; required with priority from staff, ignored from a customer'),
}).superRefine((body, ctx) => {
  if (body.category && categoryOfSubType(body.subType) !== body.category) {
    ctx.addIssue({
      code: 'custom',
      path: ['subType'],
      message: `${body.subType} is not a sub-type of ${body.category}`,
    });
  }
});
export type OpenComplaintRequest = z.infer<typeof OpenComplaintRequest>;

const instant = z.iso.datetime({ offset: true }).describe('ISO-8601 time with offset');

export const ListComplaintsQuery = z
  .object({
    status: Status.optional(),
    priority: Priority.optional(),
    category: Category.optional(),
    merchantId: Identifier.optional().describe('ignored for merchants: they see their own cases'),
    department: Identifier.optional().describe(
      "the department the case is routed to (its id in the policy's departments)",
    ),
    // The words the document lists, no more: `escalationLevel=` is no level 0 and `breached=yes` no boolean.
    escalationLevel: z
      .enum(['0', '1', '2'], { error: 'must be 0, 1 or 2' })
      .transform(Number)
      .pipe(EscalationLevel)
      .optional(),
    breached: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((v) => v === 'true')
      .optional()
      .describe('true: cases that missed at least one deadline; false: cases that missed none'),
    from: instant.optional().describe('opened at or after'),
    to: instant.optional().describe('opened before'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z
      .string()
      .refine((c) => decodeCursor(c) !== null, 'not a cursor this API handed out')
      .optional()
      .describe('nextCursor of the previous page'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'must be after from',
  });
export type ListComplaintsQuery = z.infer<typeof ListComplaintsQuery>;

/** `GET /v1/complaints/:id/choice` (docs/domain.md §7.9). */
export const ChoiceResponseV1 = z
  .object({ choice: CustomerChoiceStateV1.nullable(), open: z.boolean() })
  .meta({ id: 'CustomerChoiceV1' });
export type ChoiceResponseV1 = z.infer<typeof ChoiceResponseV1>;

export const CaseListV1 = z.object({ items: z.array(CaseViewV1), nextCursor: z.string().nullable() });

/** A call to an outside system the case is waiting on that failed and will be tried again. */
export const RetryingCallV1 = z.object({
  activity: z.string().describe('the call, e.g. payRefund'),
  attempt: z.number().int().describe('the attempt under way or next'),
  lastFailure: z.string().nullable(),
  nextAttemptAt: z.string().nullable().describe('ISO-8601; null while an attempt runs'),
});
export type RetryingCallV1 = z.infer<typeof RetryingCallV1>;

/**
 * The order's parcel as its carrier's trail says when the case is read (docs/domain.md §6.1: "delivered?
 * when? signed by whom?"). The case keeps only the parcel's status, so the API asks the carrier.
 */
export const ParcelTrailV1 = z.object({
  carrier: z.string(),
  waybillNo: z.string(),
  signedBy: z
    .string()
    .nullable()
    .describe("who signed for the parcel, as the carrier's trail says; null when it names nobody"),
  deliveredAt: z.string().nullable().describe("the trail's delivery, ISO-8601 as the carrier gave it"),
  trail: z
    .enum(['answered', 'unknown_waybill', 'unavailable'])
    .describe('unavailable: the carrier did not answer now; ask again later'),
});
export type ParcelTrailV1 = z.infer<typeof ParcelTrailV1>;

/**
 * One case as `GET /v1/complaints/:id` answers it. Staff also see the outside calls it is
 * retrying (a payment gateway outage shows here long before a deadline does) and the parcel's
 * trail for their investigation; the parties do not (the customer reads the signer in their own record).
 */
export const CaseResponseV1 = CaseViewV1.extend({
  retrying: z.array(RetryingCallV1).optional(),
  parcel: ParcelTrailV1.nullable()
    .optional()
    .describe(
      'staff only: who signed for the parcel and when, asked of its carrier; null when the order names no parcel',
    ),
});
export type CaseResponseV1 = z.infer<typeof CaseResponseV1>;

export const ReportQuery = z
  .object({ from: instant, to: instant })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from' });

/** Where a page of customers ended: opaque to clients, who hand back what they were given. */
export const customerCursor = {
  encode: (customerId: string) => Buffer.from(JSON.stringify([customerId])).toString('base64url'),
  decode: (text: string): string | null => {
    try {
      const [customerId] = z
        .tuple([z.string().min(1)])
        .parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
      return customerId;
    } catch {
      return null;
    }
  },
};

export const SatisfiedCustomersQuery = z
  .object({
    from: instant.describe('cases opened at or after'),
    to: instant.describe('cases opened before'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .refine((c) => customerCursor.decode(c) !== null, 'not a cursor this API handed out')
      .optional()
      .describe('nextCursor of the previous page'),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from' });

export const ProfessionalComplainantsQuery = z
  .object({
    from: instant.optional().describe("cases opened at or after; default: the policy's window before to"),
    to: instant.optional().describe('cases opened before; default: now'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'must be after from',
  });

export const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).optional(),
});
