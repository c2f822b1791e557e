import { Router } from 'express';
import { Duration } from 'luxon';
import { z } from 'zod';
import { professionalComplainants } from '../../store/professionalComplainants';
import { satisfiedCustomers, summaryReport } from '../../store/reports';
import type { AppDeps } from '../deps';
import { allow } from '../permissions';
import { customerCursor, ProfessionalComplainantsQuery, ReportQuery, SatisfiedCustomersQuery } from '../schemas';
import { parseQuery } from '../validate';

export const SatisfiedCustomersV1 = z
  .object({
    atOrAbove: z.number().int().describe('policy satisfiedAtOrAbove'),
    items: z.array(
      z.object({
        customerId: z.string(),
        rating: z.number().int().describe("the customer's latest rating"),
        complaintId: z.string().describe('the case it was given on'),
        ratedAt: z.string(),
        rated: z.number().int().describe("the customer's rated cases opened in the period"),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SatisfiedCustomersV1' });

export const ProfessionalComplainantsV1 = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }),
    rule: z
      .object({ minCases: z.number().int(), minMerchants: z.number().int(), minSimilarity: z.number() })
      .describe('the policy figures the list was drawn with'),
    measure: z.string().describe('how similarity is measured'),
    suspects: z.array(
      z.object({
        customerId: z.string(),
        cases: z.number().int().describe('cases opened in the period'),
        merchants: z.array(z.string()),
        similarMerchants: z
          .array(z.string())
          .describe('merchants with a case whose text is alike to one at another merchant'),
        maxSimilarity: z.number(),
        evidence: z.array(
          z.object({ complaintId: z.string(), merchantId: z.string(), createdAt: z.string(), description: z.string() }),
        ),
        pairs: z
          .array(z.object({ a: z.string(), b: z.string(), similarity: z.number() }))
          .describe('alike texts at two merchants, most alike first (at most 50)'),
        pairCount: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ProfessionalComplainantsV1' });

const MEASURE = 'Jaccard index of character bigrams (letters and digits only, lower-cased, NFKC), 0 to 1';

/** `/v1/reports`: analytics computed by the database over the projection and the SLA events. */
export function reportRoutes({ db, config, policies, orders }: AppDeps): Router {
  const router = Router();

  router.get('/summary', allow('GET /v1/reports/summary'), async (req, res) => {
    const { from, to } = parseQuery(ReportQuery, req);
    const period = { from: new Date(from), to: new Date(to) };
    const { satisfiedAtOrAbove } = await policies.active();
    // The rates divide by the order service's figures; without them the rest of the report still stands.
    const orderFigures = await orders.merchantFigures(period.from, period.to).then(
      (f) => ({
        orders: f.merchants.reduce((n, m) => n + m.orders, 0),
        returns: f.merchants.reduce((n, m) => n + m.returns, 0),
      }),
      (err: unknown) => {
        req.log.warn({ err }, 'order figures unavailable: the report goes without its rates');
        return null;
      },
    );
    // Days are the platform's days (docs/domain.md §4.1: Asia/Shanghai by default), not the server's.
    res.json(
      await summaryReport(db, {
        ...period,
        timeZone: config.policy.calendar.timeZone,
        satisfiedAtOrAbove,
        orderFigures,
      }),
    );
  });

  router.get('/satisfied-customers', allow('GET /v1/reports/satisfied-customers'), async (req, res) => {
    const { from, to, limit, cursor } = parseQuery(SatisfiedCustomersQuery, req);
    const { satisfiedAtOrAbove } = await policies.active();
    const after = cursor === undefined ? undefined : (customerCursor.decode(cursor) ?? undefined);
    const page = await satisfiedCustomers(db, {
      from: new Date(from),
      to: new Date(to),
      atOrAbove: satisfiedAtOrAbove,
      limit,
      after,
    });
    res.json(
      SatisfiedCustomersV1.parse({
        atOrAbove: satisfiedAtOrAbove,
        items: page.items,
        nextCursor: page.next === null ? null : customerCursor.encode(page.next),
      }),
    );
  });

  return router;
}

/** `/v1/reviews`: lists people review; nothing on them is decided by the code. */
export function reviewRoutes({ db, policies }: AppDeps): Router {
  const router = Router();

  router.get('/professional-complainants', allow('GET /v1/reviews/professional-complainants'), async (req, res) => {
    const query = parseQuery(ProfessionalComplainantsQuery, req);
    const { professionalComplainants: rule } = await policies.active();
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - Duration.fromISO(rule.window).toMillis());
    const suspects = await professionalComplainants(db, {
      from,
      to,
      minCases: rule.minCases,
      minMerchants: rule.minMerchants,
      minSimilarity: rule.minSimilarity,
    });
    req.log.info(
      { suspects: suspects.length, from: from.toISOString(), to: to.toISOString() },
      'professional complainants listed',
    );
    res.json(
      ProfessionalComplainantsV1.parse({
        period: { from: from.toISOString(), to: to.toISOString() },
        rule: { minCases: rule.minCases, minMerchants: rule.minMerchants, minSimilarity: rule.minSimilarity },
        measure: MEASURE,
        suspects,
      }),
    );
  });

  return router;
}
