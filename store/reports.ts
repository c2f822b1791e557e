import type { PipelineStage } from 'mongoose';
import { z } from 'zod';
import { DeadlineKind } from '../shared/domain';
import type { Store } from './connection';

/**
 * The analytics of docs/domain.md §11.1 over a period, computed by the database (aggregation
 * pipelines over the projection and the SLA events), so a report never loads the cases into memory.
 * Cases count in the period they were opened in; SLA outcomes in the period they happened in.
 */

const rate = z.number().min(0).max(1).nullable().describe('0..1; null when nothing to divide by');
const share = z.object({ key: z.string().nullable(), count: z.number().int(), share: z.number() });

export const SummaryReportV1 = z.object({
  period: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  volume: z.object({ total: z.number().int(), perDay: z.array(z.object({ day: z.string(), count: z.number().int() })) }),
  topProducts: z.array(z.object({ sku: z.string(), count: z.number().int() })),
  topMerchants: z.array(z.object({ merchantId: z.string(), count: z.number().int() })),
  byCategory: z.array(share),
  byChannel: z.array(share),
  byResponsibility: z.array(share).describe('key null: no investigation brief yet'),
  firstContactResolutionRate: rate.describe('closed as resolved in round 1 (never reopened) / closed'),
  repeatComplaintRate: rate.describe('cases opened as a repeat of a closed one / all cases'),
  satisfaction: z.object({
    average: z.number().nullable().describe('every rating given, one per round answered: a round\'s rating stays counted when its case reopens'),
    answered: z.number().int().describe('ratings given, over every round'),
    firstRoundAverage: z.number().nullable().describe('ratings given in round 1, before any reopening'),
    firstRoundAnswered: z.number().int(),
    finalAverage: z.number().nullable().describe('each case\'s last rating given, in whichever round'),
    distribution: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }).describe('every rating given, as average counts them'),
  }),
  slaBreachRate: z.array(z.object({ kind: DeadlineKind, met: z.number().int(), breached: z.number().int(), rate })),
  escalations: z.array(z.object({ level: z.number().int(), count: z.number().int() })).describe('cases escalated to level 1 (supervisor) and 2 (ops manager)'),
  averageResolutionHours: z.number().nullable().describe('opened to closed, closed cases only'),
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
  byResponsibility: Count[];
  closed: { closed: number; firstContact: number; resolutionMs: number | null }[];
  repeats: { count: number }[];
  ratings: Count[];
  firstRatings: { count: number; sum: number }[];
  lastRatings: { count: number; sum: number }[];
  escalations: Count[];
}

interface SlaOutcome {
  _id: DeadlineKind;
  met: number;
  breached: number;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export async function summaryReport(store: Store, period: { from: Date; to: Date; timeZone: string }): Promise<SummaryReportV1> {
  const opened = { createdAt: { $gte: period.from, $lt: period.to } };
  const [facets] = await store.cases.aggregate<CaseFacets>([
    { $match: opened },
    {
      $facet: {
        total: [{ $count: 'count' }],
        perDay: [
          { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$createdAt', timezone: period.timeZone } }, count: { $sum: 1 } } },
          { $sort: { _id: 1 } },
        ],
        topProducts: top10('sku'),
        topMerchants: top10('merchantId'),
        byCategory: countBy('category'),
        byChannel: countBy('channel'),
        byResponsibility: countBy('responsibility'),
        closed: [
          { $match: { status: 'closed' } },
          {
            $group: {
              _id: null,
              closed: { $sum: 1 },
              firstContact: { $sum: { $cond: [{ $and: [{ $eq: ['$closeReason', 'resolved'] }, { $eq: ['$round', 1] }] }, 1, 0] } },
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
        escalations: [{ $match: { escalationLevel: { $gte: 1 } } }, { $group: { _id: '$escalationLevel', count: { $sum: 1 } } }],
      },
    },
  ]);
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
  const shares = (rows: Count[]) => rows.map((r) => ({ key: r._id === null ? null : String(r._id), count: r.count, share: ratio(r.count, total) ?? 0 }));
  const closed = facets.closed[0];
  const ratingCount = (n: number) => facets.ratings.find((r) => r._id === n)?.count ?? 0;
  const answered = facets.ratings.reduce((sum, r) => sum + r.count, 0);
  const ratingSum = facets.ratings.reduce((sum, r) => sum + Number(r._id) * r.count, 0);
  const first = facets.firstRatings[0];
  const last = facets.lastRatings[0];

  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: period.timeZone },
    volume: { total, perDay: facets.perDay.map((r) => ({ day: String(r._id), count: r.count })) },
    topProducts: facets.topProducts.map((r) => ({ sku: String(r._id), count: r.count })),
    topMerchants: facets.topMerchants.map((r) => ({ merchantId: String(r._id), count: r.count })),
    byCategory: shares(facets.byCategory),
    byChannel: shares(facets.byChannel),
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
    slaBreachRate: sla.map((r) => ({ kind: r._id, met: r.met, breached: r.breached, rate: ratio(r.breached, r.met + r.breached) })),
    escalations: [1, 2].map((level) => ({ level, count: facets.escalations.find((r) => r._id === level)?.count ?? 0 })),
    averageResolutionHours: closed?.resolutionMs != null ? closed.resolutionMs / 3_600_000 : null,
  };
}
