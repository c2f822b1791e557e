import request from 'supertest';
import { Role } from '../../shared/domain';
import type { CaseViewV1 } from '../../shared/caseView';
import { writeCase } from '../../store/cases';
import { SummaryReportV1 } from '../../store/reports';
import { ProfessionalComplainantsV1, SatisfiedCustomersV1 } from '../../api/routes/reports';
import { caseView } from '../../dev/builders';
import { useApiHarness, callers, errorOf } from './support';

/**
 * Suspected professional complainants listed for legal review (docs/domain.md §11.5) and the
 * customers tagged satisfied (docs/domain.md §11.4), through the API. Cases are written to the projection as the
 * workflow leaves them; the policy is the default one: 5 cases in 90 days, texts 60 % alike
 * (character-bigram Jaccard) across 2 merchants; satisfied at a rating of 4 or more.
 */

const h = useApiHarness();
const as = async (role: Role) => h.bearer(callers('c-x', 'm-x')[role]);
const DAY = 86_400_000;
const now = Date.now();
const daysAgo = (d: number, minute = 0) => new Date(now - d * DAY + minute * 60_000).toISOString();

// A template a complainant copies from shop to shop, one character changed each time: 15 bigrams
// each, 14 shared with any other (|A ∩ B| = 14, |A ∪ B| = 16), so each pair is 14 / 16 alike.
const T1 = '商品标签没有生产日期，要求十倍赔偿';
const T2 = '食品标签没有生产日期，要求十倍赔偿';
const T3 = '饮品标签没有生产日期，要求十倍赔偿';
const ALIKE = 14 / 16;
const PLAIN = ['水壶漏水', '屏幕有划痕', '快递丢件', '颜色不符', '少发配件', '退款未到账'];

let n = 0;
function filed(
  customer: string,
  merchant: string,
  description: string,
  createdAt: string,
  extra: Partial<CaseViewV1> = {},
): CaseViewV1 {
  const base = caseView();
  return caseView({
    complaintId: `cmp.${customer}.o-${n++}.quality_defect`,
    customer: { ...base.customer, id: customer },
    order: { ...base.order, orderId: `o-${n}`, merchantId: merchant },
    description,
    createdAt,
    ...extra,
  });
}

const pro = [
  filed('c-pro', 'm-1', T1, daysAgo(10)),
  filed('c-pro', 'm-2', T2, daysAgo(9)),
  filed('c-pro', 'm-3', T3, daysAgo(8)),
  filed('c-pro', 'm-1', '快递三天没有更新物流', daysAgo(7)),
  filed('c-pro', 'm-2', '客服态度很差', daysAgo(6)),
  filed('c-pro', 'm-3', '尺码偏小想换货', daysAgo(5)),
];
const cases = [
  ...pro,
  // Many cases at two merchants, nothing alike: not listed.
  ...PLAIN.map((text, i) => filed('c-many', i % 2 ? 'm-1' : 'm-2', text, daysAgo(20, i))),
  // The template at three merchants, but 4 cases, one short of 5: not listed.
  ...[T1, T2, T3, PLAIN[0]].map((text, i) => filed('c-few', `m-${(i % 3) + 1}`, text, daysAgo(15, i))),
  // Five alike texts at one merchant: one grievance told again, not a pattern across merchants.
  ...[T1, T2, T3, T1, T2].map((text, i) => filed('c-one-shop', 'm-1', text, daysAgo(12, i))),
  // The pattern, 100 days ago: outside the policy's 90 days.
  ...[T1, T2, T3, PLAIN[1], PLAIN[2]].map((text, i) => filed('c-old', `m-${(i % 3) + 1}`, text, daysAgo(100, i))),
];

const evidenceOf = (views: CaseViewV1[]) =>
  views.map((v) => ({
    complaintId: v.complaintId,
    merchantId: v.order.merchantId,
    createdAt: v.createdAt,
    description: v.description,
  }));

beforeAll(async () => {
  await Promise.all(cases.map((v) => writeCase(h.db.cases, v, 1)));
});

async function suspects(role: Role, query = '') {
  return request(h.app)
    .get(`/v1/reviews/professional-complainants${query}`)
    .set('authorization', await as(role));
}

describe('suspected professional complainants (docs/domain.md §11.5)', () => {
  it('lists a customer with 5 or more cases whose texts are alike across merchants, with the evidence and the similarity', async () => {
    const res = await suspects('compliance');
    expect(res.status).toBe(200);
    const list = ProfessionalComplainantsV1.parse(res.body);
    expect(list.rule).toEqual({ minCases: 5, minMerchants: 2, minSimilarity: 0.6 });
    expect(Date.parse(list.period.to) - Date.parse(list.period.from)).toBe(90 * DAY);
    expect(list.suspects.map((s) => s.customerId)).toEqual(['c-pro']);
    const [s] = list.suspects;
    expect(s).toMatchObject({
      cases: 6,
      merchants: ['m-1', 'm-2', 'm-3'],
      similarMerchants: ['m-1', 'm-2', 'm-3'],
      pairCount: 3,
    });
    expect(s.maxSimilarity).toBeCloseTo(ALIKE, 3);
    // The three template texts, oldest first, each pair of them 14/16 alike; the plain texts are not evidence.
    expect(s.evidence).toEqual(evidenceOf(pro.slice(0, 3)));
    const [a, b, c] = pro.map((v) => v.complaintId);
    expect(s.pairs.map((p) => [p.a, p.b].sort())).toEqual(
      expect.arrayContaining([[a, b].sort(), [a, c].sort(), [b, c].sort()]),
    );
    for (const p of s.pairs) expect(p.similarity).toBeCloseTo(ALIKE, 3);
  });

  it('reaches back as far as the caller asks', async () => {
    const list = ProfessionalComplainantsV1.parse(
      (
        await suspects(
          'ops_manager',
          `?from=${encodeURIComponent(daysAgo(200))}&to=${encodeURIComponent(daysAgo(0, 1))}`,
        )
      ).body,
    );
    expect(list.suspects.map((s) => s.customerId).sort()).toEqual(['c-old', 'c-pro']);
  });

  it('decides nothing: no case changes because its customer is listed', async () => {
    await suspects('compliance');
    const docs = await h.db.cases.find({ customerId: 'c-pro' }, { version: 1, status: 1 }).lean();
    expect(docs.map((d) => [d.version, d.status])).toEqual(pro.map(() => [1, 'acknowledged']));
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const res = await suspects(
      'compliance',
      `?from=${encodeURIComponent(daysAgo(1))}&to=${encodeURIComponent(daysAgo(2))}`,
    );
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain('to');
  });

  it.each(Role.options)('as %s: compliance and operations only', async (role) => {
    const res = await suspects(role);
    expect(res.status).toBe(['compliance', 'ops_manager'].includes(role) ? 200 : 403);
  });
});

describe('satisfied customers (docs/domain.md §11.4)', () => {
  const rated = (customer: string, rating: number, at: string) =>
    filed(customer, 'm-9', '水壶漏水', '2026-06-10T02:00:00.000Z', {
      satisfaction: {
        rating,
        comment: null,
        callbackSentAt: null,
        at,
        rounds: [{ round: 1, rating, comment: null, at }],
      },
    });
  const period = `from=${encodeURIComponent('2026-06-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-07-01T00:00:00+08:00')}`;

  beforeAll(async () => {
    await Promise.all(
      [
        rated('c-s1', 5, '2026-06-12T02:00:00.000Z'),
        rated('c-s2', 4, '2026-06-12T02:00:00.000Z'),
        rated('c-s3', 3, '2026-06-12T02:00:00.000Z'),
        // Rated 5, then 2 on a later case: the latest rating is 2.
        rated('c-s4', 5, '2026-06-12T02:00:00.000Z'),
        rated('c-s4', 2, '2026-06-14T02:00:00.000Z'),
      ].map((v) => writeCase(h.db.cases, v, 1)),
    );
  });

  it('lists the customers whose latest rating is 4 or more, page by page', async () => {
    const auth = await as('supervisor');
    const first = SatisfiedCustomersV1.parse(
      (await request(h.app).get(`/v1/reports/satisfied-customers?${period}&limit=1`).set('authorization', auth)).body,
    );
    expect(first.atOrAbove).toBe(4);
    expect(first.items.map((c) => [c.customerId, c.rating])).toEqual([['c-s1', 5]]);
    expect(first.nextCursor).not.toBeNull();
    const second = SatisfiedCustomersV1.parse(
      (
        await request(h.app)
          .get(`/v1/reports/satisfied-customers?${period}&limit=1&cursor=${first.nextCursor}`)
          .set('authorization', auth)
      ).body,
    );
    // c-s3's 3 and c-s4's latest 2 are below 4: nothing after c-s2.
    expect(second).toMatchObject({ items: [{ customerId: 'c-s2', rating: 4 }], nextCursor: null });
  });

  it('refuses a cursor it never handed out', async () => {
    const res = await request(h.app)
      .get(`/v1/reports/satisfied-customers?${period}&cursor=nonsense`)
      .set('authorization', await as('ops_manager'));
    expect(res.status).toBe(400);
    expect(errorOf(res).details.map((d) => d.path)).toContain('cursor');
  });
});

describe('complaint and return rates through the summary (docs/domain.md §11.4)', () => {
  const june = 'from=2026-06-01T00:00:00%2B08:00&to=2026-07-01T00:00:00%2B08:00';
  const order = (orderId: string, merchantId: string, paidAt: string, returnedAt?: string) =>
    h.sandbox.store.putOrder({
      orderId,
      customerId: 'c-buyer',
      merchantId,
      amountPaidFen: 100,
      items: [{ sku: 'sku-1', quantity: 1, priceFen: 100 }],
      paidAt,
      ...(returnedAt && { returnedAt }),
    });

  it("divides the period's cases by the order service's orders, and its returns by the same", async () => {
    // June in Beijing: 40 orders at two merchants, 3 of them returned in June; one paid in May but returned in June; one paid in July.
    for (let i = 0; i < 40; i++)
      order(
        `o-june-${i}`,
        i % 2 ? 'm-a' : 'm-b',
        '2026-06-05T02:00:00.000Z',
        i < 3 ? '2026-06-20T02:00:00.000Z' : undefined,
      );
    order('o-may', 'm-a', '2026-05-20T02:00:00.000Z', '2026-06-02T02:00:00.000Z');
    order('o-july', 'm-a', '2026-06-30T16:30:00.000Z');
    const res = await request(h.app)
      .get(`/v1/reports/summary?${june}`)
      .set('authorization', await as('ops_manager'));
    const report = SummaryReportV1.parse(res.body);
    // The five rated cases of June over 40 orders; 4 returns (3 + May's order) over 40; no case's goods shipped back.
    expect(report.rates).toEqual({
      source: 'order_service',
      orders: 40,
      returns: 4,
      complaintRate: 5 / 40,
      returnRate: 4 / 40,
      returnedCases: 0,
    });
    expect(report.satisfiedCustomers).toEqual({ atOrAbove: 4, count: 2 });
  });

  it('still answers when the order service does not, without the rates', async () => {
    await request(h.sandbox.url).post('/_faults').send({ service: 'orders', mode: 'error', rate: 1 });
    try {
      const res = await request(h.app)
        .get(`/v1/reports/summary?${june}`)
        .set('authorization', await as('supervisor'));
      expect(res.status).toBe(200);
      expect(SummaryReportV1.parse(res.body).rates).toEqual({
        source: 'unavailable',
        orders: null,
        returns: null,
        complaintRate: null,
        returnRate: null,
        returnedCases: 0,
      });
    } finally {
      await request(h.sandbox.url).delete('/_faults');
    }
  });
});
