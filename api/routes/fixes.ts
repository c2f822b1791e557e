import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { SubType } from '../../shared/domain';
import { SlaPolicy } from '../../shared/policy';
import { CASE_ID_PATTERN, CASE_ID_RULE } from '../../shared/identity';
import { FIX_KINDS, trustFixWorkflowId } from '../../shared/trust';
import {
  casesById,
  casesSelected,
  findFix,
  insertFix,
  listFixes,
  removeFix,
  type CaseOfFix,
  type TrustFixDoc,
} from '../../store/trustFixes';
import type { trustFixWorkflow } from '../../workflows/trustFix';
import { callerOf } from '../auth';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { allow } from '../permissions';
import { Identifier } from '../schemas';
import { parseBody, parseQuery } from '../validate';

/**
 * Trust after a fix (docs/domain.md §9.6): `POST /v1/fixes` records a root-cause fix against the cases
 * it caused (their ids, or a selector: one merchant, product or carrier, optionally a sub-type, over a
 * period) and starts the fix's workflow, which tells each case's customer what changed, with the
 * policy's goodwill coupon; `GET /v1/fixes` and `GET /v1/fixes/:fixId` show each fix with which
 * customers were told.
 */

/** Cases one fix may name: past this a selector is too wide to be one root cause, and the caller narrows it. */
export const FIX_CASES_MAX = 500;
const MAX_PERIOD_MS = 366 * 86_400_000;

const CaseId = z.string().regex(CASE_ID_PATTERN, `must be ${CASE_ID_RULE}`);
const instant = z.iso.datetime({ offset: true });

const FixSelectorV1 = z
  .strictObject({
    merchantId: Identifier.optional().describe('cases about this merchant (a merchant process)'),
    sku: Identifier.optional().describe('cases about this product (a product batch)'),
    carrier: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be a carrier code: 1 to 32 letters, digits, "_" or "-"')
      .optional()
      .describe('cases whose parcel went with this carrier (a carrier route)'),
    subType: SubType.optional().describe('only cases of this sub-type'),
    from: instant.describe('cases opened at or after'),
    to: instant.describe('cases opened before; after from, at most 366 days later'),
  })
  .superRefine((s, ctx) => {
    if (!s.merchantId && !s.sku && !s.carrier)
      ctx.addIssue({
        code: 'custom',
        path: ['merchantId'],
        message: 'name a merchantId, sku or carrier: a fix concerns one of them',
      });
    const span = Date.parse(s.to) - Date.parse(s.from);
    if (!(span > 0)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (span > MAX_PERIOD_MS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be at most 366 days after from' });
  })
  .meta({ id: 'FixSelectorV1' });

export const RecordFixRequestV1 = z
  .strictObject({
    kind: z.enum(FIX_KINDS).describe('what was fixed: a merchant process, a product batch, a carrier route'),
    whatChanged: z
      .string()
      .trim()
      .min(1, 'must not be blank')
      .max(120)
      .describe('what changed, in Simplified Chinese, as the customers read it (one SMS holds 120 characters of it)'),
    whatChangedEn: z
      .string()
      .trim()
      .min(1, 'must not be blank')
      .max(120)
      .optional()
      .describe('the same in English, for customers whose record says English; without it they read the Chinese'),
    caseIds: z.array(CaseId).min(1).max(FIX_CASES_MAX).optional().describe('the cases the fix concerns'),
    selector: FixSelectorV1.optional().describe(
      'or: the cases the fix concerns, by merchant, product or carrier over a period',
    ),
  })
  .superRefine((b, ctx) => {
    if ((b.caseIds === undefined) === (b.selector === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['caseIds'],
        message: 'give either caseIds or selector, not both or neither',
      });
    const seen = new Set<string>();
    b.caseIds?.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['caseIds', i], message: `${id} is named twice` });
      seen.add(id);
    });
  })
  .meta({ id: 'RecordFixRequestV1' });

const Actor = z.object({ sub: z.string(), role: z.string() });

export const FixCustomerV1 = z.object({
  complaintId: z.string(),
  customerId: z.string(),
  caseStatus: z.string().describe("the case's status when the fix was recorded (closed cases are told too)"),
  status: z
    .enum(['pending', 'told', 'undelivered'])
    .describe('pending: not yet sent; told: the notice went out; undelivered: it could not, and a person was alerted'),
  couponFen: z.number().int().describe('the goodwill coupon given (0: none)'),
  couponFailed: z.boolean().describe('a coupon was owed but the gateway refused it; a person was alerted'),
  noCouponBecause: z
    .enum(['policy_none', 'customer_at_fault', 'order_paid_back'])
    .nullable()
    .describe('why no coupon was owed'),
  alerted: z.string().nullable().describe('the person or role alerted about this customer'),
  at: z.iso.datetime().nullable(),
});

export const FixV1 = z
  .object({
    fixId: z.string(),
    kind: z.enum(FIX_KINDS),
    whatChanged: z.string(),
    whatChangedEn: z.string().nullable(),
    selector: FixSelectorV1.nullable().describe('the selector the cases were chosen by, or null for ids given'),
    recordedBy: Actor,
    recordedAt: z.iso.datetime(),
    policyVersion: z.number().int(),
    terms: z
      .object({ couponFen: z.number().int(), validDays: z.number().int(), forResponsibility: z.array(z.string()) })
      .describe("the policy's trustNotice when the fix was recorded"),
    status: z.enum(['telling', 'done']).describe('telling: notices going out; done: every customer told or alerted'),
    told: z.number().int().describe('customers the notice reached'),
    customers: z.array(FixCustomerV1),
  })
  .meta({ id: 'FixV1' });

export const FixListV1 = z
  .object({ items: z.array(FixV1), nextCursor: z.string().nullable() })
  .meta({ id: 'FixListV1' });

export const FixParams = z.object({
  fixId: z
    .string()
    .regex(/^fix-\d{8}-[0-9a-f]{8}$/, 'must be a fix id, fix-<YYYYMMDD>-<8 hex>')
    .describe('the fix'),
});

const CursorJson = z.tuple([z.string(), z.string()]);
const decode = (text: string) => {
  try {
    const [recordedAt, fixId] = CursorJson.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    const at = new Date(recordedAt);
    return Number.isNaN(at.getTime()) ? null : { recordedAt: at, fixId };
  } catch {
    return null;
  }
};
const encode = (c: { recordedAt: Date; fixId: string }) =>
  Buffer.from(JSON.stringify([c.recordedAt.toISOString(), c.fixId])).toString('base64url');

export const FixQuery = z.object({
  complaintId: CaseId.optional().describe('only fixes that concern this case'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .refine((c) => decode(c) !== null, 'not a cursor this API handed out')
    .optional()
    .describe('nextCursor of the previous page'),
});

function fixOf(d: TrustFixDoc): z.infer<typeof FixV1> {
  return {
    fixId: d._id,
    kind: d.kind as z.infer<typeof FixV1>['kind'],
    whatChanged: d.whatChanged,
    whatChangedEn: d.whatChangedEn ?? null,
    selector: (d.selector as z.infer<typeof FixSelectorV1> | null) ?? null,
    recordedBy: { sub: d.recordedBy.sub, role: d.recordedBy.role },
    recordedAt: d.recordedAt.toISOString(),
    policyVersion: d.policyVersion,
    terms: {
      couponFen: d.terms.couponFen,
      validDays: d.terms.validDays,
      forResponsibility: [...d.terms.forResponsibility],
    },
    status: d.status,
    told: d.customers.filter((c) => c.status === 'told').length,
    customers: d.customers.map((c) => ({
      complaintId: c.complaintId,
      customerId: c.customerId,
      caseStatus: c.caseStatus,
      status: c.status,
      couponFen: c.couponFen,
      couponFailed: c.couponFailed,
      noCouponBecause: (c.noCouponBecause as z.infer<typeof FixCustomerV1>['noCouponBecause']) ?? null,
      alerted: c.alerted ?? null,
      at: c.at ? c.at.toISOString() : null,
    })),
  };
}

/** `fix-<YYYYMMDD>-<8 hex>`: the day says when, the rest keeps two fixes of a day apart. */
const newFixId = (at: Date) => `fix-${at.toISOString().slice(0, 10).replaceAll('-', '')}-${randomUUID().slice(0, 8)}`;

export function fixRoutes({ db, temporal, config, policies }: AppDeps): Router {
  const router = Router();

  router.post('/', allow('POST /v1/fixes'), async (req, res) => {
    const body = parseBody(RecordFixRequestV1, req);
    const caller = callerOf(res);
    let cases: CaseOfFix[];
    if (body.caseIds) {
      const { found, unknown } = await casesById(db.cases, body.caseIds);
      if (unknown.length > 0) {
        throw new ApiError(
          'unknown_cases',
          `no case ${unknown.join(', ')}`,
          unknown.map((id) => ({ path: `caseIds.${body.caseIds!.indexOf(id)}`, message: `no case ${id}` })),
        );
      }
      cases = found;
    } else {
      cases = await casesSelected(db.cases, body.selector!, FIX_CASES_MAX);
      if (cases.length > FIX_CASES_MAX)
        throw new ApiError(
          'too_many_cases',
          `the selector names more than ${FIX_CASES_MAX} cases: narrow it (a sub-type, a shorter period)`,
          [{ path: 'selector', message: `more than ${FIX_CASES_MAX} cases` }],
        );
      if (cases.length === 0)
        throw new ApiError('no_cases', 'the selector names no case', [
          { path: 'selector', message: 'no case matches' },
        ]);
    }
    const active = await policies.activeVersion();
    const at = new Date();
    const fixId = newFixId(at);
    const doc = await insertFix(db.trustFixes, {
      fixId,
      kind: body.kind,
      whatChanged: body.whatChanged,
      whatChangedEn: body.whatChangedEn ?? null,
      selector: body.selector ?? null,
      recordedBy: { sub: caller.sub, role: caller.role },
      recordedAt: at,
      policyVersion: active._id,
      // Versions stored before trust notices existed take the domain's defaults.
      terms: SlaPolicy.shape.trustNotice.parse(active.policy.trustNotice),
      cases,
    });
    try {
      await temporal.workflow.start<typeof trustFixWorkflow>('trustFixWorkflow', {
        workflowId: trustFixWorkflowId(fixId),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ fixId }],
      });
    } catch (err) {
      // Nothing was told: the fix is not kept, so the caller records it again once Temporal answers.
      await removeFix(db.trustFixes, fixId);
      throw err;
    }
    req.log.info({ fixId, kind: body.kind, cases: cases.length, by: caller.sub }, 'root-cause fix recorded');
    res.status(201).json(FixV1.parse(fixOf(doc)));
  });

  router.get('/', allow('GET /v1/fixes'), async (req, res) => {
    const { limit, cursor, complaintId } = parseQuery(FixQuery, req);
    const page = await listFixes(
      db.trustFixes,
      { complaintId },
      { limit, after: cursor ? (decode(cursor) ?? undefined) : undefined },
    );
    res.json(FixListV1.parse({ items: page.items.map(fixOf), nextCursor: page.next ? encode(page.next) : null }));
  });

  router.get('/:fixId', allow('GET /v1/fixes/:fixId'), async (req, res) => {
    const { fixId } = FixParams.parse(req.params);
    const fix = await findFix(db.trustFixes, fixId);
    if (!fix) throw new ApiError('not_found', `no fix ${fixId}`);
    res.json(FixV1.parse(fixOf(fix)));
  });

  return router;
}
