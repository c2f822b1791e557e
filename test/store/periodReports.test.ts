import type { CaseViewV1 } from '../../shared/caseView';
import { writeCase } from '../../store/cases';
import type { Store } from '../../store/connection';
import { summaryReport } from '../../store/reports';
import { caseView } from '../../dev/builders';
import { dropStore, freshStore } from './fixtures';

/**
 * The reports of docs/domain.md §11.4 over a month of hand-made cases: carrier error rate, the
 * trend against the previous period of the same length, repeat complaints per customer and per
 * order, satisfied customers, complaint and return rates. Every expected figure is counted below
 * from the cases, by hand.
 */

let store: Store;
beforeAll(async () => {
  store = await freshStore('store-period-reports');
});
afterAll(async () => {
  await dropStore(store);
});

interface Made {
  customer: string;
  order: string;
  carrier?: string;
  category?: CaseViewV1['category'];
  responsibility?: 'merchant' | 'carrier';
  /** Each round's rating, oldest first, and when the latest was given. */
  ratings?: number[];
  ratedAt?: string;
  returned?: boolean;
  createdAt: string;
}

let n = 0;
function made(m: Made): CaseViewV1 {
  const base = caseView();
  const ratedAt = m.ratedAt ?? m.createdAt;
  const rounds = (m.ratings ?? []).map((rating, i) => ({ round: i + 1, rating, comment: null, at: ratedAt }));
  return caseView({
    complaintId: `cmp.${m.customer}.${m.order}.case-${n++}`,
    createdAt: m.createdAt,
    customer: { ...base.customer, id: m.customer },
    order: { ...base.order, orderId: m.order, ...(m.carrier ? { carrier: m.carrier, waybillNo: `wb-${n}` } : {}) },
    category: m.category ?? 'product',
    round: Math.max(1, rounds.length),
    investigation: {
      ...base.investigation,
      brief: m.responsibility
        ? { responsibility: m.responsibility, findings: 'found', by: 'agent-7', at: m.createdAt }
        : null,
    },
    satisfaction: {
      rating: rounds.at(-1)?.rating ?? null,
      comment: null,
      callbackSentAt: null,
      at: rounds.length ? ratedAt : null,
      rounds,
    },
    resolution: {
      ...base.resolution,
      returnShipment: m.returned ? { carrier: 'sf', waybillNo: `back-${n}`, at: m.createdAt } : null,
    },
  });
}

// November 2026 in Beijing (UTC+8): 30 days; the previous period of the same length is 2 October to 1 November.
const period = {
  from: new Date('2026-11-01T00:00:00+08:00'),
  to: new Date('2026-12-01T00:00:00+08:00'),
  timeZone: 'Asia/Shanghai',
};
const SATISFIED_AT_OR_ABOVE = 4; // the policy default: a rating of 4 or 5

beforeAll(async () => {
  const november = [
    // c-a: three cases, two on order o-a1.
    made({
      customer: 'c-a',
      order: 'o-a1',
      carrier: 'sf',
      category: 'logistics',
      responsibility: 'carrier',
      ratings: [5],
      ratedAt: '2026-11-05T02:00:00.000Z',
      returned: true,
      createdAt: '2026-11-02T02:00:00.000Z',
    }),
    made({
      customer: 'c-a',
      order: 'o-a1',
      carrier: 'sf',
      category: 'product',
      responsibility: 'merchant',
      ratings: [2, 4],
      ratedAt: '2026-11-10T02:00:00.000Z',
      createdAt: '2026-11-03T02:00:00.000Z',
    }),
    made({
      customer: 'c-a',
      order: 'o-a2',
      carrier: 'yto',
      category: 'logistics',
      responsibility: 'carrier',
      createdAt: '2026-11-04T02:00:00.000Z',
    }),
    // c-b: two cases; the later rating (3) is the customer's latest.
    made({
      customer: 'c-b',
      order: 'o-b1',
      carrier: 'sf',
      category: 'logistics',
      ratings: [5],
      ratedAt: '2026-11-20T02:00:00.000Z',
      createdAt: '2026-11-06T02:00:00.000Z',
    }),
    made({
      customer: 'c-b',
      order: 'o-b2',
      category: 'product',
      ratings: [3],
      ratedAt: '2026-11-25T02:00:00.000Z',
      createdAt: '2026-11-07T02:00:00.000Z',
    }),
    // c-c: one case, rated 4; opened at 00:30 on 1 November in Beijing (still 31 October in UTC).
    made({
      customer: 'c-c',
      order: 'o-c1',
      category: 'service',
      ratings: [4],
      ratedAt: '2026-11-12T02:00:00.000Z',
      createdAt: '2026-10-31T16:30:00.000Z',
    }),
  ];
  const october = [
    made({ customer: 'c-d', order: 'o-d1', category: 'product', createdAt: '2026-10-15T02:00:00.000Z' }),
    made({
      customer: 'c-a',
      order: 'o-a0',
      carrier: 'sf',
      category: 'logistics',
      responsibility: 'carrier',
      createdAt: '2026-10-20T02:00:00.000Z',
    }),
    // 23:30 on 1 October in Beijing: before the previous period began.
    made({ customer: 'c-e', order: 'o-e1', category: 'logistics', createdAt: '2026-10-01T15:30:00.000Z' }),
  ];
  await Promise.all([...november, ...october].map((v) => writeCase(store.cases, v, 1)));
});

describe('the reports of docs/domain.md §11.4', () => {
  it('gives the carrier error rate per carrier: cases the carrier was found responsible for, over the cases it shipped', async () => {
    const report = await summaryReport(store, { ...period, satisfiedAtOrAbove: SATISFIED_AT_OR_ABOVE });
    // sf shipped three of November's cases (two logistics), one found the carrier's fault; yto one, its fault.
    expect(report.carriers).toEqual([
      { carrier: 'sf', cases: 3, logistics: 2, carrierResponsible: 1, errorRate: 1 / 3 },
      { carrier: 'yto', cases: 1, logistics: 1, carrierResponsible: 1, errorRate: 1 },
    ]);
  });

  it('compares the period with the previous one of the same length', async () => {
    const report = await summaryReport(store, { ...period, satisfiedAtOrAbove: SATISFIED_AT_OR_ABOVE });
    expect(report.trend.previous).toEqual({ from: '2026-10-01T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' });
    // 6 in November, 2 in the previous 30 days: (6 - 2) / 2.
    expect(report.trend.volume).toEqual({ current: 6, previous: 2, change: 2 });
    expect(report.trend.byCategory).toEqual([
      { key: 'logistics', current: 3, previous: 1, change: 2 },
      { key: 'product', current: 2, previous: 1, change: 1 },
      { key: 'service', current: 1, previous: 0, change: null },
    ]);
  });

  it('counts repeat complaints per customer and per order', async () => {
    const { repeats } = await summaryReport(store, { ...period, satisfiedAtOrAbove: SATISFIED_AT_OR_ABOVE });
    // Customers c-a (3 cases) and c-b (2) of 3 complained more than once: 5 cases.
    expect(repeats.customers).toEqual({
      of: 3,
      repeating: 2,
      cases: 5,
      rate: 2 / 3,
      top: [
        { id: 'c-a', count: 3 },
        { id: 'c-b', count: 2 },
      ],
    });
    // Orders: o-a1 twice; o-a2, o-b1, o-b2, o-c1 once.
    expect(repeats.orders).toEqual({ of: 5, repeating: 1, cases: 2, rate: 1 / 5, top: [{ id: 'o-a1', count: 2 }] });
  });

  it('tags a customer satisfied when their latest rating is at or above the policy figure', async () => {
    const report = await summaryReport(store, { ...period, satisfiedAtOrAbove: SATISFIED_AT_OR_ABOVE });
    // c-a's latest rating is the reopened case's round 2 (4); c-b's latest is 3; c-c rated 4.
    expect(report.satisfiedCustomers).toEqual({ atOrAbove: 4, count: 2 });
    // At 5 nobody's latest rating qualifies.
    expect((await summaryReport(store, { ...period, satisfiedAtOrAbove: 5 })).satisfiedCustomers).toEqual({
      atOrAbove: 5,
      count: 0,
    });
  });

  it("publishes the complaint and return rates over the order service's orders and returns", async () => {
    const report = await summaryReport(store, {
      ...period,
      satisfiedAtOrAbove: SATISFIED_AT_OR_ABOVE,
      orderFigures: { orders: 120, returns: 9 },
    });
    // 6 cases over 120 orders; 9 returned orders over 120; one case's goods were shipped back (c-a's first).
    expect(report.rates).toEqual({
      source: 'order_service',
      orders: 120,
      returns: 9,
      complaintRate: 6 / 120,
      returnRate: 9 / 120,
      returnedCases: 1,
    });
    const without = await summaryReport(store, {
      ...period,
      satisfiedAtOrAbove: SATISFIED_AT_OR_ABOVE,
      orderFigures: null,
    });
    expect(without.rates).toEqual({
      source: 'unavailable',
      orders: null,
      returns: null,
      complaintRate: null,
      returnRate: null,
      returnedCases: 1,
    });
  });
});
