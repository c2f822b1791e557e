import { Router } from 'express';
import { z } from 'zod';
import { decideFlag, listFlags, type SupplierFlagDoc } from '../../store/supplierFlags';
import { callerOf } from '../auth';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { allow } from '../permissions';
import { Identifier } from '../schemas';
import { parseBody, parseQuery } from '../validate';

/**
 * Supplier tiering (docs/domain.md §11.6): `GET /v1/merchants/flags` lists the merchants the supplier
 * watch flagged for suspension review with the figures, and `POST /v1/merchants/flags/:flagId/decision`
 * records the review's decision (suspend or keep, with a reason) once, in the flag's audit trail.
 */

/** `<merchantId>.<YYYY-MM-DD>`, as the supplier watch names a flag. */
const FLAG_ID_PATTERN = /^[A-Za-z0-9_-]{1,200}\.\d{4}-\d{2}-\d{2}$/;
export const FlagParams = z.object({
  flagId: z
    .string()
    .regex(FLAG_ID_PATTERN, 'must be a flag id, <merchantId>.<YYYY-MM-DD>')
    .describe('the flag: <merchantId>.<the day it was raised>'),
});

const FlagStatus = z.enum(['open', 'suspend', 'keep']);
const Actor = z.object({ sub: z.string(), role: z.string() });

export const SupplierFlagV1 = z
  .object({
    flagId: z.string(),
    merchantId: z.string(),
    raisedAt: z.iso.datetime(),
    window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).describe('the period measured, [from, to)'),
    orders: z.number().int().describe('orders paid in the window, from the order service'),
    returns: z.number().int().describe('orders whose goods came back in the window, from the order service'),
    rate: z.number().describe('returns / orders, 0 to 1'),
    threshold: z.number().describe("the policy's supplierTiering.returnRateAbove the rate was above"),
    policyVersion: z.number().int(),
    status: FlagStatus.describe('open: waiting for the review; suspend or keep: decided'),
    decision: z
      .object({ decision: z.enum(['suspend', 'keep']), by: Actor, at: z.iso.datetime(), reason: z.string() })
      .nullable(),
    events: z
      .array(z.object({ action: z.string(), at: z.iso.datetime(), by: Actor, reason: z.string().nullable() }))
      .describe('the audit trail, oldest first'),
  })
  .meta({ id: 'SupplierFlagV1' });

export const SupplierFlagListV1 = z
  .object({ items: z.array(SupplierFlagV1), nextCursor: z.string().nullable() })
  .meta({ id: 'SupplierFlagListV1' });

const CursorJson = z.tuple([z.string(), z.string()]);
const decode = (text: string) => {
  try {
    const [raisedAt, flagId] = CursorJson.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    const at = new Date(raisedAt);
    return Number.isNaN(at.getTime()) ? null : { raisedAt: at, flagId };
  } catch {
    return null;
  }
};
const encode = (c: { raisedAt: Date; flagId: string }) =>
  Buffer.from(JSON.stringify([c.raisedAt.toISOString(), c.flagId])).toString('base64url');

export const SupplierFlagQuery = z.object({
  status: FlagStatus.optional(),
  merchantId: Identifier.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .refine((c) => decode(c) !== null, 'not a cursor this API handed out')
    .optional()
    .describe('nextCursor of the previous page'),
});

export const FlagDecisionRequestV1 = z
  .strictObject({
    decision: z.enum(['suspend', 'keep']).describe('suspend the merchant, or keep it selling'),
    reason: z.string().trim().min(1, 'must not be blank').max(500).describe('why, for the audit trail'),
  })
  .meta({ id: 'FlagDecisionRequestV1' });

function flagOf(d: SupplierFlagDoc & { _id: string }): z.infer<typeof SupplierFlagV1> {
  const decided = d.events.find((e) => e.action === 'suspend' || e.action === 'keep');
  return {
    flagId: d._id,
    merchantId: d.merchantId,
    raisedAt: d.raisedAt.toISOString(),
    window: { from: d.from.toISOString(), to: d.to.toISOString() },
    orders: d.orders,
    returns: d.returns,
    rate: d.rate,
    threshold: d.threshold,
    policyVersion: d.policyVersion,
    status: d.status,
    decision: decided
      ? {
          decision: decided.action as 'suspend' | 'keep',
          by: { sub: decided.by.sub, role: decided.by.role },
          at: decided.at.toISOString(),
          reason: decided.reason ?? '',
        }
      : null,
    events: d.events.map((e) => ({
      action: e.action,
      at: e.at.toISOString(),
      by: { sub: e.by.sub, role: e.by.role },
      reason: e.reason ?? null,
    })),
  };
}

export function merchantRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.get('/flags', allow('GET /v1/merchants/flags'), async (req, res) => {
    const { limit, cursor, ...filter } = parseQuery(SupplierFlagQuery, req);
    const page = await listFlags(db.supplierFlags, filter, {
      limit,
      after: cursor ? (decode(cursor) ?? undefined) : undefined,
    });
    res.json(
      SupplierFlagListV1.parse({ items: page.items.map(flagOf), nextCursor: page.next ? encode(page.next) : null }),
    );
  });

  router.post('/flags/:flagId/decision', allow('POST /v1/merchants/flags/:flagId/decision'), async (req, res) => {
    const { flagId } = FlagParams.parse(req.params);
    const { decision, reason } = parseBody(FlagDecisionRequestV1, req);
    const caller = callerOf(res);
    const result = await decideFlag(db.supplierFlags, flagId, {
      status: decision,
      reason,
      by: { sub: caller.sub, role: caller.role },
      at: new Date(),
    });
    if (result.outcome !== 'decided') {
      throw result.outcome === 'missing'
        ? new ApiError('not_found', `no supplier flag ${flagId}`)
        : new ApiError('already_decided', `supplier flag ${flagId} was decided before; its trail says by whom`);
    }
    req.log.info({ flagId, merchantId: result.flag.merchantId, decision, by: caller.sub }, 'supplier flag decided');
    res.json(SupplierFlagV1.parse(flagOf(result.flag)));
  });

  return router;
}
