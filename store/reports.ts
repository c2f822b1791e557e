import type { PipelineStage } from 'mongoose';
import { z } from 'zod';
import { DeadlineKind } from '../shared/domain';
import { DEFAULT_POLICY } from '../shared/policy';
import type { Store } from './connection';

/**
 * The analytics of docs/domain.md §11.1 over a period, computed by the database (aggregation
 * pipelines over the projection and the SLA events), so a report never loads the cases into memory.
 * Cases count in the period they were opened in; SLA outcomes in the period they happened in.
 */

const rate = z.number().min(0).max(1).nullable().describe('0..1; null when nothing to divide by');
/** Cases and returns of a period may concern orders paid before it: against the period's orders they can pass 1. */
const perOrder = z
  .number()
  .min(0)
  .nullable()
  .describe(
    "0 or more (the period's cases and returns may concern orders paid before it); null when nothing to divide by",
  );
const share = z.object({ key: z.string().nullable(), count: z.number().int(), share: z.number() });

const change = z.object({
  current: z.number().int(),
  previous: z.number().int(),
  change: z.number().nullable().describe('(current - previous) / previous; null when previous is 0'),
});
const repeaters = <K extends string>(key: K) =>
  z.object({
    of: z.number().int().describe(`distinct ${key}s with a case in the period`),
    repeating: z.number().int().describe(`${key}s with two or more cases`),
    cases: z.number().int().describe('the cases of the repeating ones'),
    rate: rate.describe('repeating / of'),
    top: z.array(z.object({ id: z.string(), count: z.number().int() })).describe('the ten with most cases'),
  });

export const SummaryReportV1 = z.object({
  period: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  volume: z.object({
    total: z.number().int(),
    perDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
  }),
  topProducts: z.array(z.object({ sku: z.string(), count: z.number().int() })),
  topMerchants: z.array(z.object({ merchantId: z.string(), count: z.number().int() })),
  byCategory: z.array(share),
  byChannel: z.array(share),
  byDepartment: z
    .array(share)
    .describe(
      "each department's share of the cases routed by category (docs/domain.md §6.5); key null: customer service alone, or opened before routing",
    ),
  byResponsibility: z.array(share).describe('key null: no investigation brief yet'),
  firstContactResolutionRate: rate.describe('closed as resolved in round 1 (never reopened) / closed'),
  repeatComplaintRate: rate.describe('cases opened as a repeat of a closed one / all cases'),
  satisfaction: z.object({
    average: z
      .number()
      .nullable()
      .describe("every rating given, one per round answered: a round's rating stays counted when its case reopens"),
    answered: z.number().int().describe('ratings given, over every round'),
    firstRoundAverage: z.number().nullable().describe('ratings given in round 1, before any reopening'),
    firstRoundAnswered: z.number().int(),
    finalAverage: z.number().nullable().describe("each case's last rating given, in whichever round"),
    distribution: z
      .object({
        1: z.number().int(),
        2: z.number().int(),
        3: z.number().int(),
        4: z.number().int(),
        5: z.number().int(),
      })
      .describe('every rating given, as average counts them'),
  }),
  slaBreachRate: z.array(z.object({ kind: DeadlineKind, met: z.number().int(), breached: z.number().int(), rate })),
  escalations: z
    .array(z.object({ level: z.number().int(), count: z.number().int() }))
    .describe('cases escalated to level 1 (supervisor) and 2 (ops manager)'),
  averageResolutionHours: z.number().nullable().describe('opened to closed, closed cases only'),
  carriers: z
    .array(
      z.object({
        carrier: z.string(),
        cases: z.number().int().describe('cases whose order shipped with this carrier'),
        logistics: z.number().int().describe('of them, in the logistics category'),
        carrierResponsible: z.number().int().describe('of them, the investigation brief found the carrier responsible'),
        errorRate: rate.describe(
          'carrierResponsible / cases: the shipments this platform holds are the complained-about ones',
        ),
      }),
    )
    .describe('carrier error rate per carrier, most cases first (docs/domain.md §11.4)'),
  trend: z
    .object({
      previous: z
        .object({ from: z.string(), to: z.string() })
        .describe('the period of the same length just before this one'),
      volume: change,
      byCategory: z.array(change.extend({ key: z.string() })),
    })
    .describe('this period against the previous one of the same length (docs/domain.md §11.4)'),
  repeats: z
    .object({ customers: repeaters('customerId'), orders: repeaters('orderId') })
    .describe(
      'repeat complaints per customer and per order: two or more cases opened in the period (docs/domain.md §11.4)',
    ),
  satisfiedCustomers: z
    .object({ atOrAbove: z.number().int(), count: z.number().int() })
    .describe(
      'customers tagged satisfied: their latest rating of a case opened in the period is at least atOrAbove (policy satisfiedAtOrAbove); listed by GET /v1/reports/satisfied-customers',
    ),
  rates: z
    .object({
      source: z
        .enum(['order_service', 'unavailable'])
        .describe(
          "where orders and returns come from: the order service's figures for the period, or nothing when it did not answer",
        ),
      orders: z.number().int().nullable().describe('orders paid in the period, from the order service'),
      returns: z
        .number()
        .int()
        .nullable()
        .describe('orders whose goods came back in the period, from the order service'),
      complaintRate: perOrder.describe('cases opened in the period / orders paid in it'),
      returnRate: perOrder.describe('returns in the period / orders paid in it'),
      returnedCases: z.number().int().describe('cases opened in the period whose goods were shipped back'),
    })
    .describe('complaint and return rates of the period (docs/domain.md §11.4)'),
});
export type SummaryReportV1 = z.infer<typeof SummaryReportV1>;

interface Count {
  _id: string | number | null;
  count: number;
}

const countBy = (field: string): PipelineStage.FacetPipelineStage[] => [
  { $group: { _id: `$${field}`, count: { $sum: 1 } } },
  { $sort: { count: -1, _id: 1 } },
];

const top10 = (field: string): PipelineStage.FacetPipelineStage[] => [...countBy(field), { $limit: 10 }];

interface CaseFacets {
  total: { count: number }[];
  perDay: Count[];
  topProducts: Count[];
  topMerchants: Count[];
  byCategory: Count[];
  byChannel: Count[];
  byDepartment: Count[];
  byResponsibility: Count[];
  closed: { closed: number; firstContact: number; resolutionMs: number | null }[];
  repeats: { count: number }[];
  ratings: Count[];
  firstRatings: { count: number; sum: number }[];
  lastRatings: { count: number; sum: number }[];
  escalations: Count[];
  carriers: Array<{ _id: string; cases: number; logistics: number; carrierResponsible: number }>;
  customers: Repeaters[];
  topCustomers: Count[];
  orders: Repeaters[];
  topOrders: Count[];
  returns: { count: number }[];
  satisfied: { count: number }[];
}

interface Repeaters {
  of: number;
  repeating: number;
  cases: number;
}

/** Who or what has two or more cases: how many there are, of how many, with how many cases, and the ten with most. */
const repeatsOf = (field: string): Record<string, PipelineStage.FacetPipelineStage[]> => ({
  all: [
    { $group: { _id: field, count: { $sum: 1 } } },
    {
      $group: {
        _id: null,
        of: { $sum: 1 },
        repeating: { $sum: { $cond: [{ $gte: ['$count', 2] }, 1, 0] } },
        cases: { $sum: { $cond: [{ $gte: ['$count', 2] }, '$count', 0] } },
      },
    },
  ],
  top: [
    { $group: { _id: field, count: { $sum: 1 } } },
    { $match: { count: { $gte: 2 } } },
    { $sort: { count: -1, _id: 1 } },
    { $limit: 10 },
  ],
});

/**
 * Each customer's latest rating of a case opened in the period: the case rated last (by the time of
 * its latest answer), that case's latest round.
 */
export const latestRatingPerCustomer: PipelineStage.FacetPipelineStage[] = [
  {
    $project: {
      customerId: 1,
      complaintId: 1,
      ratedAt: '$view.satisfaction.at',
      last: { $ifNull: [{ $arrayElemAt: ['$ratings', -1] }, '$rating'] },
    },
  },
  { $match: { last: { $ne: null }, ratedAt: { $ne: null } } },
  { $sort: { customerId: 1, ratedAt: -1 } },
  {
    $group: {
      _id: '$customerId',
      rating: { $first: '$last' },
      complaintId: { $first: '$complaintId' },
      ratedAt: { $first: '$ratedAt' },
      rated: { $sum: 1 },
    },
  },
];

interface SlaOutcome {
  _id: DeadlineKind;
  met: number;
  breached: number;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export interface ReportPeriod {
  from: Date;
  to: Date;
  timeZone: string;
  /** Policy `satisfiedAtOrAbove`; the default policy's when absent. */
  satisfiedAtOrAbove?: number;
  /** Orders paid and orders returned in the period, from the order service; null when it did not answer. */
  orderFigures?: { orders: number; returns: number } | null;
}

const openedIn = (from: Date, to: Date) => ({ createdAt: { $gte: from, $lt: to } });

async function volumeOf(store: Store, from: Date, to: Date): Promise<Count[]> {
  return store.cases.aggregate<Count>([
    { $match: openedIn(from, to) },
    { $group: { _id: '$category', count: { $sum: 1 } } },
  ]);
}

function changeOf(current: number, previous: number) {
  return { current, previous, change: previous > 0 ? (current - previous) / previous : null };
}

export async function summaryReport(store: Store, period: ReportPeriod): Promise<SummaryReportV1> {
  const atOrAbove = period.satisfiedAtOrAbove ?? DEFAULT_POLICY.satisfiedAtOrAbove;
  const figures = period.orderFigures ?? null;
  const opened = openedIn(period.from, period.to);
  const customers = repeatsOf('$customerId');
  const orders = repeatsOf('$view.order.orderId');
  const [facets] = await store.cases.aggregate<CaseFacets>([
    { $match: opened },
    {
      $facet: {
        total: [{ $count: 'count' }],
        perDay: [
          {
            $group: {
              _id: { $dateToString: { format: '%Y-%m-%d', date: '$createdAt', timezone: period.timeZone } },
              count: { $sum: 1 },
            },
          },
          { $sort: { _id: 1 } },
        ],
        topProducts: top10('sku'),
        topMerchants: top10('merchantId'),
        byCategory: countBy('category'),
        byChannel: countBy('channel'),
        byDepartment: countBy('department'),
        byResponsibility: countBy('responsibility'),
        closed: [
          { $match: { status: 'closed' } },
          {
            $group: {
              _id: null,
              closed: { $sum: 1 },
              firstContact: {
                $sum: { $cond: [{ $and: [{ $eq: ['$closeReason', 'resolved'] }, { $eq: ['$round', 1] }] }, 1, 0] },
              },
              resolutionMs: { $avg: { $subtract: ['$closedAt', '$createdAt'] } },
            },
          },
        ],
        repeats: [{ $match: { repeatOf: { $ne: null } } }, { $count: 'count' }],
        ratings: [
          // An older document's one rating is a number, which $unwind takes as a list of one (null: none).
          { $project: { ratings: { $ifNull: ['$ratings', '$rating'] } } },
          { $unwind: '$ratings' },
          { $group: { _id: '$ratings', count: { $sum: 1 } } },
        ],
        // A document written before round 1's rating had its own column: its only rating is round 1's when it never reopened.
        firstRatings: [
          { $project: { first: { $ifNull: ['$firstRating', { $cond: [{ $eq: ['$round', 1] }, '$rating', null] }] } } },
          { $match: { first: { $ne: null } } },
          { $group: { _id: null, count: { $sum: 1 }, sum: { $sum: '$first' } } },
        ],
        lastRatings: [
          { $project: { last: { $ifNull: [{ $arrayElemAt: ['$ratings', -1] }, '$rating'] } } },
          { $match: { last: { $ne: null } } },
          { $group: { _id: null, count: { $sum: 1 }, sum: { $sum: '$last' } } },
        ],
        escalations: [
          { $match: { escalationLevel: { $gte: 1 } } },
          { $group: { _id: '$escalationLevel', count: { $sum: 1 } } },
        ],
        carriers: [
          { $match: { 'view.order.carrier': { $type: 'string' } } },
          {
            $group: {
              _id: '$view.order.carrier',
              cases: { $sum: 1 },
              logistics: { $sum: { $cond: [{ $eq: ['$category', 'logistics'] }, 1, 0] } },
              carrierResponsible: { $sum: { $cond: [{ $eq: ['$responsibility', 'carrier'] }, 1, 0] } },
            },
          },
          { $sort: { cases: -1, _id: 1 } },
        ],
        customers: customers.all,
        topCustomers: customers.top,
        orders: orders.all,
        topOrders: orders.top,
        returns: [{ $match: { 'view.resolution.returnShipment': { $type: 'object' } } }, { $count: 'count' }],
        satisfied: [...latestRatingPerCustomer, { $match: { rating: { $gte: atOrAbove } } }, { $count: 'count' }],
      },
    },
  ]);
  // The period of the same length just before this one, for the trend.
  const previous = { from: new Date(2 * period.from.getTime() - period.to.getTime()), to: period.from };
  const before = await volumeOf(store, previous.from, previous.to);
  const sla = await store.slaEvents.aggregate<SlaOutcome>([
    { $match: { at: { $gte: period.from, $lt: period.to }, event: { $in: ['met', 'breached'] } } },
    {
      $group: {
        _id: '$kind',
        met: { $sum: { $cond: [{ $eq: ['$event', 'met'] }, 1, 0] } },
        breached: { $sum: { $cond: [{ $eq: ['$event', 'breached'] }, 1, 0] } },
      },
    },
    { $sort: { _id: 1 } },
  ]);

  const total = facets.total[0]?.count ?? 0;
  const shares = (rows: Count[]) =>
    rows.map((r) => ({
      key: r._id === null ? null : String(r._id),
      count: r.count,
      share: ratio(r.count, total) ?? 0,
    }));
  const closed = facets.closed[0];
  const ratingCount = (n: number) => facets.ratings.find((r) => r._id === n)?.count ?? 0;
  const answered = facets.ratings.reduce((sum, r) => sum + r.count, 0);
  const ratingSum = facets.ratings.reduce((sum, r) => sum + Number(r._id) * r.count, 0);
  const first = facets.firstRatings[0];
  const returnedCases = facets.returns[0]?.count ?? 0;
  const repeaters = (all: Repeaters | undefined, top: Count[]) => ({
    of: all?.of ?? 0,
    repeating: all?.repeating ?? 0,
    cases: all?.cases ?? 0,
    rate: ratio(all?.repeating ?? 0, all?.of ?? 0),
    top: top.map((r) => ({ id: String(r._id), count: r.count })),
  });
  const last = facets.lastRatings[0];

  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: period.timeZone },
    volume: { total, perDay: facets.perDay.map((r) => ({ day: String(r._id), count: r.count })) },
    topProducts: facets.topProducts.map((r) => ({ sku: String(r._id), count: r.count })),
    topMerchants: facets.topMerchants.map((r) => ({ merchantId: String(r._id), count: r.count })),
    byCategory: shares(facets.byCategory),
    byChannel: shares(facets.byChannel),
    byDepartment: shares(facets.byDepartment),
    byResponsibility: shares(facets.byResponsibility),
    firstContactResolutionRate: closed ? ratio(closed.firstContact, closed.closed) : null,
    repeatComplaintRate: ratio(facets.repeats[0]?.count ?? 0, total),
    satisfaction: {
      average: ratio(ratingSum, answered),
      answered,
      firstRoundAverage: first ? ratio(first.sum, first.count) : null,
      firstRoundAnswered: first?.count ?? 0,
      finalAverage: last ? ratio(last.sum, last.count) : null,
      distribution: { 1: ratingCount(1), 2: ratingCount(2), 3: ratingCount(3), 4: ratingCount(4), 5: ratingCount(5) },
    },
    slaBreachRate: sla.map((r) => ({
      kind: r._id,
      met: r.met,
      breached: r.breached,
      rate: ratio(r.breached, r.met + r.breached),
    })),
    escalations: [1, 2].map((level) => ({ level, count: facets.escalations.find((r) => r._id === level)?.count ?? 0 })),
    averageResolutionHours: closed?.resolutionMs != null ? closed.resolutionMs / 3_600_000 : null,
    carriers: facets.carriers.map((r) => ({
      carrier: r._id,
      cases: r.cases,
      logistics: r.logistics,
      carrierResponsible: r.carrierResponsible,
      errorRate: ratio(r.carrierResponsible, r.cases),
    })),
    trend: {
      previous: { from: previous.from.toISOString(), to: previous.to.toISOString() },
      volume: changeOf(
        total,
        before.reduce((sum, r) => sum + r.count, 0),
      ),
      byCategory: [...new Set([...facets.byCategory, ...before].map((r) => String(r._id)))].sort().map((key) => ({
        key,
        ...changeOf(
          facets.byCategory.find((r) => String(r._id) === key)?.count ?? 0,
          before.find((r) => String(r._id) === key)?.count ?? 0,
        ),
      })),
    },
    repeats: {
      customers: repeaters(facets.customers[0], facets.topCustomers),
      orders: repeaters(facets.orders[0], facets.topOrders),
    },
    satisfiedCustomers: { atOrAbove: atOrAbove, count: facets.satisfied[0]?.count ?? 0 },
    rates: {
      source: figures ? 'order_service' : 'unavailable',
      orders: figures?.orders ?? null,
      returns: figures?.returns ?? null,
      complaintRate: figures ? ratio(total, figures.orders) : null,
      returnRate: figures ? ratio(figures.returns, figures.orders) : null,
      returnedCases,
    },
  };
}

export interface SatisfiedCustomer {
  customerId: string;
  rating: number;
  /** The case rated last, and when. */
  complaintId: string;
  ratedAt: string;
  /** The customer's cases of the period with a rating. */
  rated: number;
}

/**
 * The customers tagged satisfied in a period (docs/domain.md §11.4): their latest rating of a case
 * opened in the period is at least `atOrAbove`. Paged by customer id, `after` the last one listed.
 */
export async function satisfiedCustomers(
  store: Store,
  query: { from: Date; to: Date; atOrAbove: number; limit: number; after?: string },
): Promise<{ items: SatisfiedCustomer[]; next: string | null }> {
  const rows = await store.cases.aggregate<{
    _id: string;
    rating: number;
    complaintId: string;
    ratedAt: string;
    rated: number;
  }>([
    { $match: openedIn(query.from, query.to) },
    ...(latestRatingPerCustomer as PipelineStage[]),
    {
      $match: {
        rating: { $gte: query.atOrAbove },
        ...(query.after === undefined ? {} : { _id: { $gt: query.after } }),
      },
    },
    { $sort: { _id: 1 } },
    { $limit: query.limit + 1 },
  ]);
  const items = rows.slice(0, query.limit).map((r) => ({
    customerId: r._id,
    rating: r.rating,
    complaintId: r.complaintId,
    ratedAt: r.ratedAt,
    rated: r.rated,
  }));
  return { items, next: rows.length > query.limit ? items[items.length - 1].customerId : null };
}
