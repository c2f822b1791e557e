import { Router } from 'express';
import { z } from 'zod';
import { createCarriersClient } from '../../clients/carriers';
import { decodeCursor, listCases } from '../../store/cases';
import { callerOf } from '../auth';
import { CustomerRecordV1, parcelKey, recordItem, trailsOf } from '../customerRecord';
import type { AppDeps } from '../deps';
import { allow } from '../permissions';
import { parseQuery } from '../validate';

export const CustomerRecordQuery = z.object({
  // Each case of a page may ask its carrier: pages stay small.
  limit: z.coerce.number().int().min(1).max(50).default(10),
  cursor: z
    .string()
    .refine((c) => decodeCursor(c) !== null, 'not a cursor this API handed out')
    .optional()
    .describe('nextCursor of the previous page'),
});

/** `/v1/me`: the caller's own things. `GET /complaints` is the customer's record of their cases (api/customerRecord.ts). */
export function meRoutes({ db, config, logger }: AppDeps): Router {
  const router = Router();
  const carriers = createCarriersClient({ baseUrl: config.CARRIER_URL, apiKey: config.PROVIDER_API_KEY, logger });

  router.get('/complaints', allow('GET /v1/me/complaints'), async (req, res) => {
    const { limit, cursor } = parseQuery(CustomerRecordQuery, req);
    const { customerId } = callerOf(res);
    // The token's own customer, never a parameter: nobody else's case can be asked for.
    if (!customerId) throw new Error('a customer token without customerId passed authentication');
    const page = await listCases(
      db.cases,
      { customerId },
      { limit, after: cursor ? (decodeCursor(cursor) ?? undefined) : undefined },
    );
    const trails = await trailsOf(carriers, page.items, (err, parcel) =>
      req.log.warn({ err, parcel }, 'carrier trail unavailable for the customer record'),
    );
    const timeZone = config.policy.calendar.timeZone;
    const items = page.items.map((v) => {
      const key = parcelKey(v);
      return recordItem(v, timeZone, key ? trails.get(key) : undefined);
    });
    res.json(CustomerRecordV1.parse({ items, nextCursor: page.nextCursor }));
  });

  return router;
}
